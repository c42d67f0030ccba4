"""Which subscriptions a polling round alerts, and when a round does not run."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram.ext import ApplicationBuilder, CallbackContext

from bot import alerts
from bot.config import Settings
from bot.limits import SlidingWindowLimiter
from bot.state import BotState
from retrieval import NewsService
from tests.conftest import SEED_PAGE

PAGE = SEED_PAGE.stem
USER, OTHER = 1001, 2002


def state_over(service: NewsService | None) -> BotState:
    state = BotState()
    state.configure(Settings.read(env_file=None), service)
    return state


async def seed_ids(service: NewsService) -> list[str]:
    return [row.id for row in await service.articles(20)]


async def test_a_chat_gets_each_matching_article_once_under_its_first_query(
    service: NewsService,
) -> None:
    await service.subscribe(USER, USER, "荷花")
    await service.subscribe(USER, USER, "柏林村 荷塘")  # the same article again
    await service.subscribe(OTHER, OTHER, "亚庆农牧")
    await service.subscribe(OTHER, OTHER, "火星探测")  # matches nothing loaded
    matches = await alerts.matches_by_chat(state_over(service), await seed_ids(service))
    assert set(matches) == {USER, OTHER}
    [(lotus, hits)] = matches[USER]
    assert lotus.query == "荷花" and [h.article_id for h in hits] == [f"{PAGE}-4"]
    assert [sub.query for sub, _ in matches[OTHER]] == ["亚庆农牧"]


async def test_only_new_articles_match_and_the_hourly_limit_holds(service: NewsService) -> None:
    await service.subscribe(USER, USER, "荷花")
    state = state_over(service)
    others = [i for i in await seed_ids(service) if i != f"{PAGE}-4"]
    assert await alerts.matches_by_chat(state, others) == {}
    state.alert_limiter = SlidingWindowLimiter(1, 3600.0)
    assert USER in await alerts.matches_by_chat(state, [f"{PAGE}-4"])
    assert await alerts.matches_by_chat(state, [f"{PAGE}-4"]) == {}


async def test_an_alert_lists_at_most_max_alert_items(
    service: NewsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(alerts, "MAX_ALERT_ITEMS", 1)
    await service.subscribe(USER, USER, "乐山")  # in every seed article
    matches = await alerts.matches_by_chat(state_over(service), await seed_ids(service))
    assert [len(hits) for _, hits in matches[USER]] == [1]


@pytest.mark.filterwarnings("ignore:No `JobQueue` set up")
async def test_no_round_runs_before_the_service_is_open(caplog: pytest.LogCaptureFixture) -> None:
    application: Any = ApplicationBuilder().token("1:abcdefghijk").job_queue(None).build()
    application.bot_data = state_over(None)
    await alerts.poll_feeds_job(CallbackContext(application))  # returns without polling
    with caplog.at_level(logging.WARNING, logger="bot.alerts"):
        alerts.schedule_feed_polling(application)
    assert "feeds will not be polled" in caplog.text

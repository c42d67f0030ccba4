"""The bot's typed shared state: button keys, readiness, per-user limits."""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.config import Settings
from bot.state import BotState, NotReady
from retrieval import NewsService


def configured(**values: object) -> BotState:
    state = BotState()
    state.configure(Settings.read(env_file=None, **values))
    return state


def test_short_ids_travel_in_the_button_and_long_ones_by_key() -> None:
    state = configured()
    assert state.article_button("a1") == "sm:a1"
    long_id = "x" * 60
    data = state.article_button(long_id)
    assert data.startswith("sk:") and len(data.encode()) <= 64
    button = callbacks.parse_summary(data)
    assert button is not None and state.button_article(button) == long_id
    assert state.button_article(callbacks.SummaryButton(key="never-issued")) is None


def test_the_rate_limit_follows_the_settings() -> None:
    state = configured(rate_limit_per_minute=2)
    assert [state.limiter.hit(7).allowed for _ in range(3)] == [True, True, False]
    assert state.limiter.hit(8).allowed


async def test_news_is_not_ready_until_a_service_is_open(service: NewsService) -> None:
    state = configured()
    with pytest.raises(NotReady):
        _ = state.news
    state.configure(state.settings, service)
    assert state.news is service


"""Live news through the real bot and the fake Bot API: an admin adds a feed served by a
local HTTP server, a polling round (the JobQueue job itself, run on demand instead of waiting
a minute) ingests it, subscribers get one alert each, and the new story answers questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import alerts, texts
from bot.limits import SlidingWindowLimiter
from bot.state import App
from retrieval import FetchPolicy, NewsService
from tests.conftest import open_seeded
from tests.feed_server import FeedServer, Route, rss, serve_feeds

from .conftest import ADMIN_ID, USER_ID, state
from .fake_bot_api import FakeBotApi, parse_html

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

OTHER_ID = 2002
MUSEUM = (
    "museum-1",
    "峨眉山博物馆7月1日开馆",
    "峨眉山博物馆将于7月1日正式开馆，首批展出文物三百余件，门票免费。",
)
CHENGDU = ("chengdu-1", "成都新能源项目开工", "成都天府新区新能源产业项目今日开工，总投资50亿元。")
JSON = dict[str, Any]


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with serve_feeds() as server:
        server.routes["/rss.xml"] = Route(rss([MUSEUM, CHENGDU]), etag='"v1"')
        yield server


@pytest.fixture
async def news(tmp_path: Path) -> AsyncIterator[NewsService]:
    """The seeded service, opened with loopback feeds allowed (the feed server is local)."""
    local = FetchPolicy(allow_private=True)
    service = await open_seeded(tmp_path / "t.db", feed_policy=local)
    yield service
    await service.close()


def to(chat_id: int) -> Any:
    return lambda params: params.get("chat_id") == chat_id


def plain(params: JSON) -> str:
    return parse_html(params["text"])[0]


async def say(api: FakeBotApi, text: str, user_id: int = USER_ID) -> str:
    """Send `text` privately as `user_id`; the plain text of the bot's next message there."""
    api.send_message(text, user_id=user_id)
    return plain(await api.wait_for("sendMessage", to(user_id)))


async def polling_round(bot: App) -> None:
    """Run the bot's own repeating polling job once, now."""
    assert bot.job_queue is not None
    [job] = bot.job_queue.get_jobs_by_name(alerts.POLL_JOB_NAME)
    assert job.job.trigger.interval.total_seconds() == alerts.POLL_INTERVAL_SECONDS
    await job.run(bot)


def alerts_to(api: FakeBotApi, chat_id: int) -> list[JSON]:
    """Every alert the bot sent to `chat_id` (without consuming them for `wait_for`)."""
    sent = api.calls_to("sendMessage")
    return [p for p in sent if p["chat_id"] == chat_id and "订阅提醒" in p["text"]]


async def test_feed_to_alert_to_answer(api: FakeBotApi, bot: App, feeds: FeedServer) -> None:
    url = feeds.url("/rss.xml")
    assert await say(api, f"/addfeed {url} 5") == texts.ADMIN_ONLY  # users cannot add feeds
    added = await say(api, f"/addfeed {url} 5", ADMIN_ID)
    assert added.startswith("✅ 已添加订阅源 1") and url in added
    assert (await say(api, "/subscribe 博物馆 开馆")).startswith("🔔 已订阅「博物馆 开馆」")
    assert (await say(api, "/subscribe 乐山 项目", OTHER_ID)).startswith("🔔 已订阅「乐山 项目」")

    await polling_round(bot)

    alert = await api.wait_for("sendMessage", to(USER_ID))
    assert alerts_to(api, USER_ID) == [alert]  # exactly one message for the matching story
    text = plain(alert)
    assert MUSEUM[1] in text and "测试新闻网" in text
    assert "https://news.example.cn/museum-1.html" in text
    assert CHENGDU[1] not in text
    links = [e["url"] for e in parse_html(alert["text"])[1] if e["type"] == "text_link"]
    assert links == ["https://news.example.cn/museum-1.html"]
    assert alerts_to(api, OTHER_ID) == []  # 「乐山 项目」: the Chengdu story only has 项目

    listing = await say(api, "/feeds", ADMIN_ID)
    assert url in listing and "正常" in listing and "共新增 2 篇" in listing

    await polling_round(bot)  # nothing is due: no second alert
    assert len(alerts_to(api, USER_ID)) == 1 and len(feeds.hits("/rss.xml")) == 1

    answer = await say(api, "峨眉山博物馆什么时候开馆？")
    assert answer.startswith("💡") and "7月1日" in answer and "测试新闻网" in answer

    refused = await say(api, "/addfeed ftp://files.example.cn/rss.xml", ADMIN_ID)
    assert refused.startswith("无法添加：" + texts.FEED_BAD_URL)  # in Chinese, not the engine's
    again = await say(api, f"/addfeed {url} 5", ADMIN_ID)
    assert again.startswith("无法添加：" + texts.FEED_DUPLICATE)
    assert (await say(api, "/addfeed", ADMIN_ID)).startswith("用法：/addfeed")
    assert await say(api, "/removefeed 1") == texts.ADMIN_ONLY
    assert await say(api, "/removefeed 1", ADMIN_ID) == texts.REMOVEFEED_DONE.format(id=1)
    assert await say(api, "/removefeed 1", ADMIN_ID) == texts.REMOVEFEED_UNKNOWN.format(id=1)
    assert await say(api, "/feeds", ADMIN_ID) == texts.FEEDS_EMPTY


async def test_subscriptions_are_listed_removed_and_limited(api: FakeBotApi, bot: App) -> None:
    assert await say(api, "/subscriptions") == texts.SUBSCRIPTIONS_EMPTY
    assert (await say(api, "/subscribe")).startswith("用法：/subscribe")
    assert await say(api, "/subscribe ？？") == texts.NOT_SEARCHABLE
    for n in range(10):
        assert (await say(api, f"/subscribe 话题{n}")).startswith("🔔")
    assert await say(api, "/subscribe 第十一个") == texts.SUBSCRIBE_LIMIT.format(n=10)
    listing = (await say(api, "/subscriptions")).splitlines()
    assert listing[1:3] == ["1. 话题0", "2. 话题1"] and len(listing) == 11
    assert await say(api, "/unsubscribe 1", OTHER_ID) == texts.UNSUBSCRIBE_UNKNOWN.format(id=1)
    assert await say(api, "/unsubscribe 1") == texts.UNSUBSCRIBE_DONE.format(id=1)
    assert await say(api, "/unsubscribe 1") == texts.UNSUBSCRIBE_UNKNOWN.format(id=1)
    assert (await say(api, "/unsubscribe abc")).startswith("用法：/unsubscribe")
    assert (await say(api, "/subscribe 第十一个")).startswith("🔔")  # room again


async def test_alerts_are_rate_limited_and_blocked_users_unsubscribed(
    api: FakeBotApi, bot: App, feeds: FeedServer
) -> None:
    st = state(bot)
    st.alert_limiter = SlidingWindowLimiter(1, 3600.0)  # one alert an hour, for the test
    assert (await say(api, f"/addfeed {feeds.url('/rss.xml')} 1", ADMIN_ID)).startswith("✅")
    await say(api, "/subscribe 博物馆 开馆")
    await say(api, "/subscribe 新能源", OTHER_ID)
    await polling_round(bot)
    assert len(alerts_to(api, USER_ID)) == 1 and len(alerts_to(api, OTHER_ID)) == 1

    await api.wait_for("sendMessage", to(USER_ID))
    await api.wait_for("sendMessage", to(OTHER_ID))
    start = dt.datetime.now(dt.UTC)
    st.news.clock = lambda: start + dt.timedelta(minutes=2)  # the 1-minute feed is due again
    changed = (MUSEUM[0], MUSEUM[1], MUSEUM[2] + "博物馆开馆首日预约已满。")
    feeds.routes["/rss.xml"] = Route(rss([changed, CHENGDU]), etag='"v2"')
    api.fail_next("sendMessage", status=403, when=to(USER_ID))
    round_ = await alerts.poll_and_alert(_context(bot))
    assert round_.feeds[0].replaced == 1 and len(round_.feeds[0].new_article_ids) == 1
    # The changed museum story matches again, but its subscription already alerted this hour.
    assert round_.alerted == {} and round_.unsubscribed == []
    assert len(alerts_to(api, USER_ID)) == 1

    st.alert_limiter = SlidingWindowLimiter(6, 3600.0)
    feeds.routes["/rss.xml"] = Route(rss([MUSEUM, CHENGDU]), etag='"v3"')
    st.news.clock = lambda: start + dt.timedelta(minutes=4)
    round_ = await alerts.poll_and_alert(_context(bot))
    assert round_.unsubscribed == [USER_ID]  # Forbidden: the user blocked the bot
    assert await st.news.subscriptions(USER_ID) == []
    assert [s.query for s in await st.news.subscriptions(OTHER_ID)] == ["新能源"]


def _context(bot: App) -> Any:
    """A job-style context for calling the polling round directly (as the job does)."""
    from telegram.ext import CallbackContext

    return CallbackContext(bot)


async def test_a_subscription_alerts_at_most_six_times_an_hour(
    api: FakeBotApi, bot: App, feeds: FeedServer
) -> None:
    st = state(bot)
    assert (await say(api, f"/addfeed {feeds.url('/rss.xml')} 1", ADMIN_ID)).startswith("✅")
    await say(api, "/subscribe 博物馆 开馆")
    start = dt.datetime.now(dt.UTC)
    for n in range(8):  # every round brings a new version of the museum story
        story = (MUSEUM[0], MUSEUM[1], f"{MUSEUM[2]}第{n}次更新。")
        feeds.routes["/rss.xml"] = Route(rss([story]), etag=f'"r{n}"')
        st.news.clock = lambda n=n: start + dt.timedelta(minutes=2 * n)
        round_ = await alerts.poll_and_alert(_context(bot))
        assert len(round_.feeds[0].new_article_ids) == 1
    assert len(alerts_to(api, USER_ID)) == 6
    [subscription] = await st.news.subscriptions(USER_ID)
    assert subscription.last_alert  # recorded with each delivered alert


async def test_one_alert_per_chat_lists_each_article_once(
    api: FakeBotApi, bot: App, feeds: FeedServer
) -> None:
    assert (await say(api, f"/addfeed {feeds.url('/rss.xml')}", ADMIN_ID)).startswith("✅")
    await say(api, "/subscribe 博物馆 开馆")
    await say(api, "/subscribe 峨眉山 博物馆")  # the same story again
    await say(api, "/subscribe 新能源 项目")
    round_ = await alerts.poll_and_alert(_context(bot))
    [alert] = alerts_to(api, USER_ID)
    lines = plain(alert).splitlines()
    assert lines[0] == "🔔 订阅提醒：2 篇相关的新文章"
    assert sum(MUSEUM[1] in line for line in lines) == 1
    assert sum(CHENGDU[1] in line for line in lines) == 1
    assert "「峨眉山 博物馆」" not in lines  # nothing left to list under it
    assert sorted(round_.alerted[USER_ID]) == [1, 3]

"""Operating the bot through the fake Bot API: an empty database, deleting articles, retention."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import retention, texts, webhook
from bot.app import build_application
from bot.config import Settings
from bot.state import App
from retrieval import NewsService
from tests.conftest import SEED_PAGE

from .conftest import ADMIN_ID, USER_ID, make_settings, running, state
from .fake_bot_api import FakeBotApi, parse_html

LOAN_QUESTION = "乐山农商银行向哪家公司发放了贷款？"

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


@pytest.fixture
async def empty_news(tmp_path: Path) -> AsyncIterator[NewsService]:
    service = await NewsService.open(tmp_path / "empty.db")
    yield service
    await service.close()


async def test_start_on_an_empty_database_says_how_to_load_news(
    api: FakeBotApi, settings: Settings, empty_news: NewsService
) -> None:
    async with running(build_application(settings, empty_news)):
        api.send_message("/start")
        reply = parse_html((await api.wait_for("sendMessage"))["text"])[0]
    assert "还没有载入任何文章" in reply
    assert "newsbot ingest" in reply and "newsbot demo" in reply and "/addfeed" in reply
    assert (await empty_news.stats()).articles == 0  # /start did not load the demo page


async def say(api: FakeBotApi, text: str, user_id: int = USER_ID) -> str:
    api.send_message(text, user_id=user_id)
    reply = await api.wait_for("sendMessage", lambda p: p.get("chat_id") == user_id)
    return parse_html(reply["text"])[0]


async def test_admin_delete_removes_articles_from_answers_at_once(
    api: FakeBotApi, bot: App
) -> None:
    page = SEED_PAGE.stem
    assert (await say(api, LOAN_QUESTION)).startswith("💡")
    assert await say(api, f"/delete {page}-3", USER_ID) == texts.ADMIN_ONLY
    assert (await state(bot).news.stats()).articles == 5
    reply = await say(api, f"/delete {page}-3 nope", ADMIN_ID)
    assert reply.startswith("🗑 已删除 1 篇文章（共请求 2 篇）")
    assert texts.DELETE_SOME_UNKNOWN in reply
    assert (await say(api, LOAN_QUESTION)).startswith("抱歉，在已载入的新闻中没有找到")
    assert "亚庆农牧科技" not in await say(api, "/search 亚庆农牧")
    assert await say(api, "/delete", ADMIN_ID) == texts.DELETE_USAGE
    assert {"command": "delete", "description": "删除文章：编号 …（管理员）"} in api.commands(
        {"type": "chat", "chat_id": ADMIN_ID}
    )


async def test_retention_job_prunes_daily_only_when_configured(
    api: FakeBotApi, tmp_path: Path, news: NewsService
) -> None:
    dated = tmp_path / "dated.jsonl"
    dated.write_text('{"id": "old", "date": "2001-01-01", "text": "旧闻：熊猫。"}\n', "utf-8")
    await news.ingest([dated])
    plain = build_application(make_settings(api, tmp_path), news)
    assert plain.job_queue is not None
    assert not plain.job_queue.get_jobs_by_name(retention.RETENTION_JOB_NAME)
    keeping = make_settings(api, tmp_path, retention_days=365)
    async with running(build_application(keeping, news)) as application:
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name(retention.RETENTION_JOB_NAME)
        assert job.job.trigger.interval.total_seconds() == 24 * 3600
        await job.run(application)
        ids = {a.id for a in await news.articles()}
        assert "old" not in ids and len(ids) == 5  # the seed page was ingested today
        assert (await say(api, "/search 熊猫")).startswith("没有找到与「熊猫」匹配的段落")


async def test_healthz_answers_200_only_while_the_bot_serves(
    api: FakeBotApi, settings: Settings, news: NewsService
) -> None:
    import socket
    import urllib.error
    import urllib.request

    def status(url: str) -> int:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    application = build_application(settings, news)
    server = webhook.web_app(application, "hook", "s").listen(port, address="127.0.0.1")
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        assert await asyncio.to_thread(status, url) == 503  # not started yet
        async with running(application):
            assert await asyncio.to_thread(status, url) == 200
        assert await asyncio.to_thread(status, url) == 503  # stopped
    finally:
        server.stop()

"""Operating the bot through the fake Bot API: an empty database, deleting articles, retention."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application
from bot.config import Settings
from retrieval import NewsService

from .conftest import running
from .fake_bot_api import FakeBotApi, parse_html

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

"""Admin handlers: reindex in the background, uploads refused or reduced to a safe name."""

from __future__ import annotations

import asyncio

import pytest

from bot import texts
from bot.handlers.admin import upload_name
from bot.state import App
from tests.e2e.fake_bot_api import FakeBotApi

from .conftest import ADMIN, message, process, sent, state

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


async def test_reindex_is_not_started_twice(app: App, api: FakeBotApi) -> None:
    pending: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    state(app).reindex_task = pending  # type: ignore[assignment]
    await process(app, message("/reindex", user=ADMIN))
    assert sent(api) == [texts.REINDEX_RUNNING]
    pending.cancel()


@pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")
async def test_reindex_runs_in_the_background_and_reports(app: App, api: FakeBotApi) -> None:
    await process(app, message("/reindex", user=ADMIN))
    assert sent(api) == [texts.REINDEX_STARTED]  # the handler returned before the work
    task = state(app).reindex_task
    assert task is not None
    await task
    assert sent(api)[1].startswith("新增 0，未变 5")


async def test_oversized_and_unsupported_uploads_are_refused_without_download(
    app: App, api: FakeBotApi
) -> None:
    big = {"file_id": "f1", "file_unique_id": "u1", "file_name": "a.jsonl", "file_size": 25 << 20}
    await process(app, message("", user=ADMIN, document=big))
    odd = {"file_id": "f2", "file_unique_id": "u2", "file_name": "x.docx", "file_size": 10}
    await process(app, message("", user=ADMIN, document=odd))
    assert sent(api)[0] == "文件太大（25.0 MB）。Telegram 只允许机器人下载 20 MB 以内的文件。"
    assert sent(api)[1].startswith("不支持的文件类型「x.docx」")
    assert not api.calls_to("getFile")


async def test_non_admin_upload_in_a_group_is_ignored(app: App, api: FakeBotApi) -> None:
    doc = {"file_id": "f1", "file_unique_id": "u1", "file_name": "a.txt", "file_size": 10}
    await process(app, message("", chat_type="supergroup", document=doc))
    assert sent(api) == []


def test_upload_names_are_reduced_to_one_safe_component() -> None:
    assert upload_name("../../etc/新闻.txt") == "新闻.txt"
    assert upload_name("..\\..\\x.md") == "x.md"
    assert upload_name(".hidden.txt") == "upload.txt"
    assert upload_name(None) == "upload.txt"

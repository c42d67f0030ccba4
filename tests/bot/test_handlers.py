"""Handlers driven directly through `Application.process_update` (no polling)."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from telegram import Update

from bot import texts
from bot.app import build_application
from bot.config import Settings
from bot.handlers.admin import upload_name
from bot.handlers.arguments import command_argument
from bot.limits import SlidingWindowLimiter
from bot.logs import RedactToken, redact
from bot.state import App, BotState
from retrieval import NewsService
from tests.e2e.fake_bot_api import DEFAULT_GROUP_ID, FakeBotApi, parse_html

ROOT = Path(__file__).resolve().parents[2]
USER = 1001
ADMIN = 42
LOAN_QUESTION = "乐山农商银行向哪家公司发放了贷款？"
JSON = dict[str, Any]

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def settings_for(api: FakeBotApi, tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=SecretStr(api.token),
        telegram_base_url=api.base_url,
        telegram_base_file_url=api.base_file_url,
        admin_ids=frozenset({ADMIN}),
        newsbot_db=tmp_path / "t.db",
        newsbot_data_dirs=(ROOT / "seeds",),
    )


@pytest.fixture
async def news(tmp_path: Path) -> AsyncIterator[NewsService]:
    service = await NewsService.open(tmp_path / "t.db", seed_paths=[ROOT / "seeds"])
    yield service
    await service.close()


@pytest.fixture
async def app(api: FakeBotApi, news: NewsService, tmp_path: Path) -> AsyncIterator[App]:
    application = build_application(settings_for(api, tmp_path), news)
    await application.initialize()  # getMe: the bot learns its username
    yield application
    await application.shutdown()


_update_ids = iter(range(1, 10**9))


def message(
    text: str,
    *,
    user: int = USER,
    chat: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> JSON:
    entities = []
    match = re.match(r"/\w+(@\w+)?", text)
    if match:
        entities.append({"type": "bot_command", "offset": 0, "length": match.end()})
    for found in re.finditer(r"@\w{4,}", text):
        if not match or found.start() >= match.end():
            entities.append({"type": "mention", "offset": found.start(), "length": len(found[0])})
    chat_id = chat if chat is not None else (user if chat_type == "private" else DEFAULT_GROUP_ID)
    body: JSON = {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": chat_type},
        "from": {"id": user, "is_bot": False, "first_name": "U"},
        "text": text,
        **extra,
    }
    if entities:
        body["entities"] = entities
    return {"update_id": next(_update_ids), "message": body}


def callback(data: str, *, user: int = USER) -> JSON:
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cbq{update_id}",
            "from": {"id": user, "is_bot": False, "first_name": "U"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": user, "type": "private"},
                "text": "old",
            },
        },
    }


async def process(app: App, payload: JSON, api: FakeBotApi | None = None) -> None:
    if api is not None and "callback_query" in payload:
        api._pending_callbacks.add(payload["callback_query"]["id"])  # as press_button does
    await app.process_update(Update.de_json(payload, app.bot))


def sent(api: FakeBotApi, chat_id: int | None = None) -> list[str]:
    return [
        parse_html(p["text"])[0]
        for p in api.calls_to("sendMessage")
        if chat_id is None or p["chat_id"] == chat_id
    ]


def state(app: App) -> BotState:
    return app.bot_data


# ------------------------------------------------------------------ who gets an answer


async def test_group_chatter_is_ignored_and_mentions_are_answered(
    app: App, api: FakeBotApi
) -> None:
    await process(app, message(LOAN_QUESTION, chat_type="supergroup"))
    await process(app, message(f"@another_bot {LOAN_QUESTION}", chat_type="supergroup"))
    assert sent(api) == []
    await process(app, message(f"{LOAN_QUESTION} @{app.bot.username}", chat_type="supergroup"))
    assert len(sent(api, DEFAULT_GROUP_ID)) == 1 and sent(api)[0].startswith("💡")


async def test_a_bare_mention_gets_an_example(app: App, api: FakeBotApi) -> None:
    await process(app, message(f"@{app.bot.username}", chat_type="group", chat=-5))
    (reply,) = sent(api, -5)
    assert reply.startswith("请直接发送您的问题，例如：") and reply.endswith("？")


async def test_messages_sent_via_the_bot_inline_are_not_questions(
    app: App, api: FakeBotApi
) -> None:
    via = {"id": app.bot.id, "is_bot": True, "first_name": "NewsBot", "username": "x_bot"}
    await process(app, message("乐山农商银行成功向亚庆农牧发放贷款。", via_bot=via))
    assert sent(api) == []


async def test_unknown_commands_get_help_only_in_private(app: App, api: FakeBotApi) -> None:
    await process(app, message("/nonsense"))
    await process(app, message("/nonsense", chat_type="supergroup"))
    assert sent(api) == [texts.UNKNOWN_COMMAND]


# ------------------------------------------------------------------ buttons and limits


async def test_unknown_or_expired_buttons_say_so(app: App, api: FakeBotApi) -> None:
    for data in ("sk:nosuchkey", "pg:nosuchkey:1", "whatever"):
        await process(app, callback(data), api)
    answers = api.calls_to("answerCallbackQuery")
    assert [a["text"] for a in answers] == [
        texts.BUTTON_EXPIRED,
        texts.PAGE_EXPIRED,
        texts.BUTTON_EXPIRED,
    ]


async def test_summary_button_of_a_removed_article(app: App, api: FakeBotApi) -> None:
    await process(app, callback("sm:gone-article"), api)
    assert sent(api) == ["没有编号为 gone-article 的文章。用 /articles 查看编号。"]


async def test_rate_limit_applies_to_buttons_too(app: App, api: FakeBotApi) -> None:
    state(app).limiter = SlidingWindowLimiter(1, 60.0)
    await process(app, message("/search 乐山"))
    key = state(app).searches.add("乐山")
    await process(app, callback(f"pg:{key}:1"), api)
    (answer,) = api.calls_to("answerCallbackQuery")
    assert answer["text"].startswith("操作太频繁，请")


async def test_unsearchable_inputs_are_explained(app: App, api: FakeBotApi) -> None:
    await process(app, message("！！！？"))
    await process(app, message("/search 。。。"))
    await process(app, message("/summary ……"))
    assert sent(api) == [texts.NOT_SEARCHABLE] * 3


async def test_command_argument_keeps_inner_spacing() -> None:
    update = Update.de_json(message("/search@news_bot  乐山  农商 "), None)
    assert update.message is not None
    assert command_argument(update.message) == "乐山  农商"


# ------------------------------------------------------------------ admin


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


# ------------------------------------------------------------------ errors and readiness


async def test_service_not_ready_is_reported_politely(api: FakeBotApi, tmp_path: Path) -> None:
    application = build_application(settings_for(api, tmp_path))  # post_init has not run
    await application.initialize()
    try:
        await process(application, message(LOAN_QUESTION))
    finally:
        await application.shutdown()
    assert sent(api) == [texts.NOT_READY]


def test_redact_removes_plain_encoded_and_secret_forms_of_the_token() -> None:
    token = "123456:ABCdefGHIjklMNOpqr"
    text = f"a {token} b 123456%3AABCdefGHIjklMNOpqr c ABCdefGHIjklMNOpqr"
    assert redact(text, token) == "a <token> b <token> c <token>"
    assert redact("nothing", "") == "nothing"


def test_log_filter_redacts_messages_arguments_and_tracebacks() -> None:
    token = "123456:ABCdefGHIjklMNOpqr"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactToken(token))
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("url %s", f"https://api/bot{token}/getMe")
        try:
            raise RuntimeError(f"failed https://api/file/bot{token}/doc.txt")
        except RuntimeError:
            log.exception("download failed")
            exc_info = sys.exc_info()
        log.error("again", exc_info=exc_info)
    finally:
        log.removeHandler(handler)
    output = stream.getvalue()
    assert "ABCdefGHI" not in output
    assert output.count("<token>") == 3 and "RuntimeError: failed" in output

"""Handlers driven directly through `Application.process_update` (no polling), against the
fake Bot API: fixtures and update builders shared by the handler tests."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application
from bot.config import Secret, Settings
from bot.state import App, BotState
from retrieval import NewsService
from tests.conftest import open_seeded
from tests.e2e.fake_bot_api import DEFAULT_GROUP_ID, FakeBotApi, parse_html

ROOT = Path(__file__).resolve().parents[3]
USER = 1001
ADMIN = 42
LOAN_QUESTION = "乐山农商银行向哪家公司发放了贷款？"
JSON = dict[str, Any]



@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def settings_for(api: FakeBotApi, tmp_path: Path) -> Settings:
    return Settings.read(
        env_file=None,
        telegram_bot_token=Secret(api.token),
        telegram_base_url=api.base_url,
        telegram_base_file_url=api.base_file_url,
        admin_ids=frozenset({ADMIN}),
        newsbot_db=tmp_path / "t.db",
        newsbot_data_dirs=(ROOT / "seeds",),
    )


@pytest.fixture
async def news(tmp_path: Path) -> AsyncIterator[NewsService]:
    service = await open_seeded(tmp_path / "t.db")
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

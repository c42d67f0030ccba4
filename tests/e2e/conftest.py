"""Fixtures that run the real bot Application against the fake Bot API server."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.config import Secret, Settings
from bot.state import App, BotState
from retrieval import NewsService
from tests.conftest import open_seeded

from .fake_bot_api import DEFAULT_USER_ID, FakeBotApi, run_application

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ADMIN_ID = 42
USER_ID = DEFAULT_USER_ID


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def make_settings(api: FakeBotApi, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings pointing at the fake server (no .env, no environment surprises)."""
    values: dict[str, Any] = {
        "telegram_bot_token": Secret(api.token),
        "telegram_base_url": api.base_url,
        "telegram_base_file_url": api.base_file_url,
        "admin_ids": frozenset({ADMIN_ID}),
        "newsbot_db": tmp_path / "t.db",
        "newsbot_data_dirs": (SEEDS,),
        "rate_limit_per_minute": 100,
    }
    values.update(overrides)
    return Settings.read(env_file=None, **values)


@pytest.fixture
def settings(api: FakeBotApi, tmp_path: Path) -> Settings:
    return make_settings(api, tmp_path)


@pytest.fixture
async def news(tmp_path: Path) -> AsyncIterator[NewsService]:
    """A service on a fresh SQLite database seeded from seeds/."""
    service = await open_seeded(tmp_path / "t.db")
    yield service
    await service.close()


def running(application: App) -> contextlib.AbstractAsyncContextManager[App]:
    """Run `application` as `run_polling` does (post_init, polling, post_shutdown), in this loop."""
    return run_application(application, hooks=True)


@pytest.fixture
async def bot(api: FakeBotApi, settings: Settings, news: NewsService) -> AsyncIterator[App]:
    """The real bot, polling the fake server, over the seeded service."""
    async with running(build_application(settings, news)) as application:
        yield application


def state(application: App) -> BotState:
    return application.bot_data

"""Building the bot's Application: typed state, a handler for every menu command, the
service opened and closed around the run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot import alerts, texts
from bot.app import build_application, close_service, open_service_and_publish_commands
from bot.config import Secret, Settings
from bot.state import BotState
from retrieval import NewsService
from tests.conftest import SEEDS
from tests.e2e.fake_bot_api import FakeBotApi

ADMIN = 42

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def settings_for(api: FakeBotApi, tmp_path: Path, **values: object) -> Settings:
    return Settings.read(
        env_file=None,
        telegram_bot_token=Secret(api.token),
        telegram_base_url=api.base_url,
        telegram_base_file_url=api.base_file_url,
        admin_ids=frozenset({ADMIN}),
        newsbot_db=tmp_path / "t.db",
        newsbot_data_dirs=(SEEDS,),
        **values,
    )


def test_the_state_is_typed_and_takes_the_given_service(
    api: FakeBotApi, tmp_path: Path, service: NewsService
) -> None:
    application = build_application(settings_for(api, tmp_path, rate_limit_per_minute=3), service)
    state = application.bot_data
    assert isinstance(state, BotState) and state.service is service and not state.owns_service
    assert state.limiter.limit == 3


def test_every_command_in_either_menu_has_a_handler(api: FakeBotApi, tmp_path: Path) -> None:
    application = build_application(settings_for(api, tmp_path))
    handled = {
        command
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    assert {name for name, _ in texts.ADMIN_COMMANDS} | {"start"} <= handled
    [job] = application.job_queue.get_jobs_by_name(alerts.POLL_JOB_NAME)  # type: ignore[union-attr]
    assert job is not None


def test_a_missing_token_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        build_application(Settings.read(env_file=None, newsbot_db=tmp_path / "t.db"))


async def test_post_init_opens_the_service_and_publishes_both_menus_and_shutdown_closes_it(
    api: FakeBotApi, tmp_path: Path
) -> None:
    application = build_application(settings_for(api, tmp_path))
    await application.initialize()
    try:
        await open_service_and_publish_commands(application)
        state = application.bot_data
        # the configured data folder is for /reindex: opening the service loads nothing
        assert state.owns_service and (await state.news.stats()).articles == 0
        menus = api.calls_to("setMyCommands")
        assert [len(m["commands"]) for m in menus] == [
            len(texts.COMMANDS),
            len(texts.ADMIN_COMMANDS),
        ]
        assert menus[1]["scope"] == {"type": "chat", "chat_id": ADMIN}
        await close_service(application)
        assert state.service is None and not state.owns_service
    finally:
        await application.shutdown()

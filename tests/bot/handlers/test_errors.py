"""The error handler: a service that is not open yet is reported politely."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import texts
from bot.app import build_application
from tests.e2e.fake_bot_api import FakeBotApi

from .conftest import LOAN_QUESTION, message, process, sent, settings_for

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


async def test_service_not_ready_is_reported_politely(api: FakeBotApi, tmp_path: Path) -> None:
    application = build_application(settings_for(api, tmp_path))  # post_init has not run
    await application.initialize()
    try:
        await process(application, message(LOAN_QUESTION))
    finally:
        await application.shutdown()
    assert sent(api) == [texts.NOT_READY]

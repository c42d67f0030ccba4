"""A running bot that loses the Bot API server keeps polling with backoff and answers again
once it is back (#12 point 12)."""

from __future__ import annotations

import asyncio

import pytest

from bot.state import App

from .conftest import USER_ID
from .fake_bot_api import FakeBotApi, parse_html

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

LOAN_QUESTION = "乐山农商银行向哪家公司发放了贷款？"
LOAN_ANSWER = "乐山农商银行成功向乐山市亚庆农牧科技有限责任公司"


async def test_bot_serves_again_after_the_network_returns(api: FakeBotApi, bot: App) -> None:
    api.send_message(LOAN_QUESTION, user_id=USER_ID)
    first = await api.wait_for("sendMessage", timeout=15)
    assert LOAN_ANSWER in parse_html(first["text"])[0]

    api.stop()
    await asyncio.sleep(3)  # several failed polls: the retry interval has grown
    assert bot.running and bot.updater is not None and bot.updater.running
    api.start()  # same port

    api.send_message(LOAN_QUESTION, user_id=USER_ID)
    second = await api.wait_for("sendMessage", timeout=40)
    assert LOAN_ANSWER in parse_html(second["text"])[0]

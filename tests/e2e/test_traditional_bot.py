"""Readers of Traditional Chinese get the bot in Traditional; search ignores the script
(the real bot over the seed page, through the fake Bot API server)."""

from __future__ import annotations

import pytest

from bot import texts
from bot.state import App

from .conftest import USER_ID
from .fake_bot_api import FakeBotApi
from .test_bot import LOAN_ANSWER, LOAN_QUESTION, ask, button_data, plain

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

TRADITIONAL_QUESTION = "樂山農商銀行向哪家公司發放了貸款？"
TRADITIONAL_ANSWER = "樂山農商銀行成功向樂山市亞慶農牧科技有限責任公司"


async def test_a_question_in_traditional_is_answered_in_traditional(
    api: FakeBotApi, bot: App
) -> None:
    simplified = plain(await ask(api, LOAN_QUESTION))
    assert LOAN_ANSWER in simplified
    traditional = plain(await ask(api, TRADITIONAL_QUESTION))
    assert TRADITIONAL_ANSWER in traditional and "相關段落" in traditional
    assert LOAN_ANSWER not in traditional
    # the same passages were found: search does not depend on the script
    assert traditional.count("000_844d4cf99fbf511c.txt") == simplified.count(
        "000_844d4cf99fbf511c.txt"
    )
    # a message showing no script (a command) stays in the script the reader used last
    assert plain(await ask(api, "/articles")).startswith("🗂 最近的文章")  # 「最近的文章」 is both
    usage = plain(await ask(api, "/search"))
    assert usage.startswith("用法：/search") and "關鍵詞" in usage
    back = plain(await ask(api, LOAN_QUESTION))  # writing Simplified again switches back
    assert LOAN_ANSWER in back


async def test_a_traditional_telegram_language_gets_traditional_pages_and_buttons(
    api: FakeBotApi, bot: App
) -> None:
    api.send_message("/search 乐山", language_code="zh-TW")
    first = await api.wait_for("sendMessage", lambda p: p.get("chat_id") == USER_ID)
    assert plain(first).startswith("🔎 「樂山」 第 1 頁")
    labels = [b["text"] for row in first["reply_markup"]["inline_keyboard"] for b in row]
    assert "下一頁 »" in labels and "按時間" in labels
    message_id = api.last_message(USER_ID).message_id
    forward = next(d for d in button_data(first) if d.endswith(":1"))
    api.press_button(message_id, forward)
    edit = await api.wait_for("editMessageText")
    assert "第 2 頁" in plain(edit)  # the edited page keeps the reader's script
    help_text = plain(await ask(api, "/help", language_code="zh-HK"))
    assert "您好！我是新聞問答機器人" in help_text
    assert texts.HELP_INTRO not in help_text

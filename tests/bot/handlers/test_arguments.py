"""What follows a command or a mention."""

from __future__ import annotations

from telegram import Update

from bot.handlers.arguments import command_argument, number_argument, without_mention

from .conftest import message


async def test_command_argument_keeps_inner_spacing() -> None:
    update = Update.de_json(message("/search@news_bot  乐山  农商 "), None)
    assert update.message is not None
    assert command_argument(update.message) == "乐山  农商"


def test_number_argument_takes_plain_ascii_ids_only() -> None:
    assert number_argument("12") == 12
    assert number_argument("１２") is None and number_argument("²") is None
    assert number_argument("") is None and number_argument("1" * 10) is None


def test_the_mention_is_removed_in_any_case() -> None:
    assert without_mention("@News_Bot 乐山新闻？", "news_bot") == "乐山新闻？"
    assert without_mention("乐山 @news_botty", "news_bot") == "乐山 @news_botty"

"""Commands for everyone: unknown commands, buttons, unsearchable inputs."""

from __future__ import annotations

import pytest

from bot import texts
from bot.state import App
from tests.e2e.fake_bot_api import FakeBotApi

from .conftest import callback, message, process, sent

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


async def test_unknown_commands_get_help_only_in_private(app: App, api: FakeBotApi) -> None:
    await process(app, message("/nonsense"))
    await process(app, message("/nonsense", chat_type="supergroup"))
    assert sent(api) == [texts.UNKNOWN_COMMAND]


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


async def test_unsearchable_inputs_are_explained(app: App, api: FakeBotApi) -> None:
    await process(app, message("！！！？"))
    await process(app, message("/search 。。。"))
    await process(app, message("/summary ……"))
    assert sent(api) == [texts.NOT_SEARCHABLE] * 3

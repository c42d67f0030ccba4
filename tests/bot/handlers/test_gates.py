"""Who gets an answer: group chatter, mentions, messages via the bot, rate limits."""

from __future__ import annotations

import pytest

from bot.limits import SlidingWindowLimiter
from bot.state import App
from tests.e2e.fake_bot_api import DEFAULT_GROUP_ID, FakeBotApi

from .conftest import LOAN_QUESTION, callback, message, process, sent, state

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


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


async def test_rate_limit_applies_to_buttons_too(app: App, api: FakeBotApi) -> None:
    state(app).limiter = SlidingWindowLimiter(1, 60.0)
    await process(app, message("/search 乐山"))
    key = state(app).searches.add("乐山")
    await process(app, callback(f"pg:{key}:1"), api)
    (answer,) = api.calls_to("answerCallbackQuery")
    assert answer["text"].startswith("操作太频繁，请")

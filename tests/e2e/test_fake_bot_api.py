"""The fake Bot API server, driven by a real python-telegram-bot ``Application``."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from .fake_bot_api import (
    DEFAULT_GROUP_ID,
    DEFAULT_USER_ID,
    FakeBotApi,
    parse_html,
    run_application,
)

USER = DEFAULT_USER_ID


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"start args={context.args}")


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = [[InlineKeyboardButton("国内", callback_data="cat:cn")]]
    await update.effective_message.reply_text(
        "选择频道", reply_markup=InlineKeyboardMarkup(keyboard)
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("好的")
    await query.edit_message_text(f"已选择 <b>{query.data}</b>", parse_mode="HTML")


def echo_app(api: FakeBotApi) -> Application:  # type: ignore[type-arg]
    app = api.application_builder().build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@pytest.mark.asyncio
async def test_message_is_echoed(api: FakeBotApi) -> None:
    async with run_application(echo_app(api)):
        api.send_message("今天有什么新闻？")
        sent = await api.wait_for("sendMessage")
    assert sent["chat_id"] == USER  # JSON-decoded back to int
    assert sent["text"] == "今天有什么新闻？"
    assert api.messages(USER) == ["今天有什么新闻？"]
    methods = [call.method for call in api.calls]
    assert methods[:2] == ["getMe", "deleteWebhook"]
    assert api.delivered_updates[0]["message"]["text"] == "今天有什么新闻？"


@pytest.mark.asyncio
async def test_command_arrives_as_command(api: FakeBotApi) -> None:
    async with run_application(echo_app(api)):
        api.send_message("/start 科技")
        private = await api.wait_for("sendMessage")
        api.send_message(f"/start@{api.bot_username}", chat_type="supergroup")
        group = await api.wait_for("sendMessage")
    assert private["text"] == "start args=['科技']"
    assert group == {**group, "chat_id": DEFAULT_GROUP_ID, "text": "start args=[]"}
    entity = api.delivered_updates[0]["message"]["entities"][0]
    assert entity == {"type": "bot_command", "offset": 0, "length": 6}


@pytest.mark.asyncio
async def test_button_press_reaches_callback_handler(api: FakeBotApi) -> None:
    async with run_application(echo_app(api)):
        api.send_message("/menu")
        sent = await api.wait_for("sendMessage")
        assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "cat:cn"
        message_id = api.last_message(USER).message_id
        update_id = api.press_button(message_id, "cat:cn")
        answer = await api.wait_for("answerCallbackQuery")
        edit = await api.wait_for("editMessageText")
    assert answer == {**answer, "callback_query_id": f"cbq{update_id}", "text": "好的"}
    assert edit["message_id"] == message_id
    assert api.messages(USER) == ["已选择 cat:cn"]  # the edit replaced the text in place
    edited = api.message(USER, message_id)
    assert edited.entities == [{"type": "bold", "offset": 4, "length": 6}]
    assert edited.edits == ["选择频道"] and edited.reply_markup is None
    with pytest.raises(ValueError, match="no button"):
        api.press_button(message_id, "cat:cn")  # the keyboard is gone after the edit


@pytest.mark.asyncio
async def test_edit_with_same_text_is_not_modified(api: FakeBotApi) -> None:
    async with run_application(echo_app(api)) as app:
        message = await app.bot.send_message(USER, "第一版")
        edited = await app.bot.edit_message_text("第二版", chat_id=USER, message_id=message.id)
        assert not isinstance(edited, bool) and edited.text == "第二版"
        with pytest.raises(BadRequest, match="not modified"):
            await app.bot.edit_message_text("第二版", chat_id=USER, message_id=message.id)
        # PTB strips "Bad Request: " and .capitalize()s the rest of the description
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await app.bot.edit_message_text("x", chat_id=USER, message_id=999)
    assert api.messages(USER) == ["第二版"]
    failed = api.calls_to("editMessageText", ok=False)
    assert [params["text"] for params in failed] == ["第二版", "x"]


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore:.*retry_after.*timedelta")
async def test_429_is_retried_by_rate_limiter(api: FakeBotApi) -> None:
    app = api.application_builder().rate_limiter(AIORateLimiter(max_retries=2)).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    api.fail_next("sendMessage", status=429, retry_after=1)
    async with run_application(app):
        started = time.monotonic()
        api.send_message("限流测试")
        sent = await api.wait_for("sendMessage")
        elapsed = time.monotonic() - started
    assert sent["text"] == "限流测试"
    assert elapsed >= 1.0
    attempts = [c for c in api.calls if c.method == "sendMessage"]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[0].response["parameters"] == {"retry_after": 1}
    assert api.messages(USER) == ["限流测试"]


@pytest.mark.asyncio
async def test_html_is_validated(api: FakeBotApi) -> None:
    async with run_application(echo_app(api)) as app:
        for bad in ("<b>没有闭合", "<div>不支持</div>", "1 < 2", "<b><i>x</b></i>"):
            with pytest.raises(BadRequest, match="Can't parse entities"):
                await app.bot.send_message(USER, bad, parse_mode="HTML")
        ok = await app.bot.send_message(USER, "<b>要闻</b> &lt;三&gt;", parse_mode="HTML")
        assert ok.text == "要闻 <三>" and ok.entities[0].type == "bold"
        # length counts UTF-16 units after removing markup: emoji are 2 units
        await app.bot.send_message(USER, f"<b>{'新' * 4096}</b>", parse_mode="HTML")
        await app.bot.send_message(USER, "😀" * 2048)
        with pytest.raises(BadRequest, match="Message is too long"):
            await app.bot.send_message(USER, "😀" * 2048 + "a")
    assert len(api.messages(USER)) == 3


@pytest.mark.asyncio
async def test_document_is_downloaded(api: FakeBotApi) -> None:
    received: list[bytes] = []

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        doc = update.effective_message.document
        assert doc is not None
        data = await (await context.bot.get_file(doc.file_id)).download_as_bytearray()
        received.append(bytes(data))
        await update.effective_message.reply_text(f"{doc.file_name}: {len(data)} bytes")

    app = api.application_builder().build()
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    content = "新闻稿\n".encode() + bytes(range(256)) + b"\r\n--\r\n"
    async with run_application(app):
        api.send_document("稿件.txt", content, caption="请总结", mime_type="text/plain")
        sent = await api.wait_for("sendMessage")
    assert received == [content]
    assert sent["text"] == f"稿件.txt: {len(content)} bytes"
    assert api.calls_to("getFile")[0]["file_id"].startswith("BQAC")


@pytest.mark.asyncio
async def test_inline_query_commands_and_uploads(api: FakeBotApi) -> None:
    async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.inline_query is not None
        article = InlineQueryResultArticle(
            "1", "头条", InputTextMessageContent(f"搜索：{update.inline_query.query}")
        )
        await update.inline_query.answer([article], cache_time=0)

    app = api.application_builder().build()
    app.add_handler(InlineQueryHandler(on_inline))
    async with run_application(app) as running:
        update_id = api.inline_query("油价")
        answer = await api.wait_for("answerInlineQuery")
        await running.bot.set_my_commands([("news", "最新新闻"), ("help", "帮助")])
        commands = await running.bot.get_my_commands()
        await running.bot.send_chat_action(USER, "typing")
        await running.bot.send_document(USER, b"%PDF-1.4", filename="report.pdf")
    assert answer["inline_query_id"] == f"iq{update_id}"
    assert answer["results"][0]["input_message_content"]["message_text"] == "搜索：油价"
    assert [c.command for c in commands] == ["news", "help"]
    assert api.commands() == [
        {"command": "news", "description": "最新新闻"},
        {"command": "help", "description": "帮助"},
    ]
    upload = api.calls_to("sendDocument")[0]["document"]
    assert (upload.filename, upload.content) == ("report.pdf", b"%PDF-1.4")


def test_parse_html_offsets_are_utf16() -> None:
    text, entities = parse_html("😀<b>粗</b><a href='https://example.com'>链</a>")
    assert text == "😀粗链"
    assert entities == [
        {"type": "bold", "offset": 2, "length": 1},
        {"type": "text_link", "url": "https://example.com", "offset": 3, "length": 1},
    ]

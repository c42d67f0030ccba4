"""How the bot speaks: rendered HTML split into messages, replies in groups, 'typing…'."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import ReplyParameters, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError

from bot.html_split import split_html
from bot.render import Rendered
from bot.script import SIMPLIFIED, convert, reader_script
from bot.state import Context

logger = logging.getLogger(__name__)

#: Telegram shows 'typing…' for about five seconds; refresh it a little sooner.
TYPING_REFRESH_SECONDS = 4.5


def script_of(update: Update, context: Context) -> str:
    """The script to answer this update's user in (`bot.script`), remembered for later."""
    user = update.effective_user
    scripts = context.bot_data.scripts
    chosen = reader_script(update, scripts.get(user.id) if user else None)
    if user is not None:
        scripts[user.id] = chosen
    return chosen


def plain(text: str) -> Rendered:
    """A message without buttons (`text` is HTML the caller has already escaped)."""
    return text, None


async def send(
    context: Context,
    chat_id: int,
    rendered: Rendered,
    reply_to: int | None = None,
    script: str | None = None,
) -> None:
    """Send HTML split into messages under the limit; the keyboard goes under the last one.

    In `script`, or else in the one last used by the reader whose private chat this is.
    """
    if script is None:
        script = context.bot_data.scripts.get(chat_id, SIMPLIFIED)
    text, keyboard = convert(rendered, script)
    chunks = split_html(text)
    for number, chunk in enumerate(chunks, start=1):
        await context.bot.send_message(
            chat_id,
            chunk,
            reply_markup=keyboard if number == len(chunks) else None,
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True)
                if reply_to is not None and number == 1
                else None
            ),
        )


async def reply(update: Update, context: Context, rendered: Rendered) -> None:
    """Answer the update's chat; in groups as a reply to the user's message."""
    chat = update.effective_chat
    if chat is None:
        return
    message = update.message
    reply_to = message.message_id if message is not None and chat.type != ChatType.PRIVATE else None
    await send(context, chat.id, rendered, reply_to, script_of(update, context))


async def _send_typing(context: Context, chat_id: int) -> None:
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as exc:  # the indicator is a courtesy; never fail the answer for it
        logger.debug("sendChatAction failed: %s", type(exc).__name__)


@contextlib.asynccontextmanager
async def typing(update: Update, context: Context) -> AsyncIterator[None]:
    """Show 'typing…' in the chat while the body runs (refreshed every few seconds)."""
    chat = update.effective_chat
    if chat is None:
        yield
        return

    async def keep_typing() -> None:
        while True:
            await asyncio.sleep(TYPING_REFRESH_SECONDS)
            await _send_typing(context, chat.id)

    await _send_typing(context, chat.id)
    refresher = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        refresher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await refresher

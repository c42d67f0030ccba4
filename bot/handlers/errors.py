"""The error handler: log the failure without the token, tell the user it failed."""

from __future__ import annotations

import contextlib
import logging
import traceback

from telegram import Update
from telegram.error import BadRequest, TelegramError

from bot import texts
from bot.explain import explain
from bot.handlers.replying import plain, reply
from bot.logs import redact
from bot.state import Context, NotReady

logger = logging.getLogger(__name__)


async def report_error(update: object, context: Context) -> None:
    """Log the traceback (without the bot token) and tell the user briefly that it failed."""
    error = context.error
    trace = "".join(traceback.format_exception(error)) if error else "unknown error"
    logger.error("error while handling an update:\n%s", redact(trace, context.bot.token))
    if not isinstance(update, Update):
        return
    if isinstance(error, NotReady):
        text = texts.NOT_READY
    else:
        text = explain(error) if isinstance(error, Exception) else texts.ERROR
    try:
        if update.callback_query is not None:
            with contextlib.suppress(BadRequest):  # already answered, or too old
                await update.callback_query.answer(texts.ERROR_PLAIN, show_alert=True)
                return
        if update.effective_chat is not None and update.inline_query is None:
            await reply(update, context, plain(text))
    except TelegramError as exc:
        logger.warning("could not tell the user about the error: %s", type(exc).__name__)

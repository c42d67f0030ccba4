"""Who gets an answer: which messages are questions, who is an admin, who must slow down."""

from __future__ import annotations

import logging
import math

from telegram import Message, MessageEntity, Update
from telegram.ext import filters

from bot import texts
from bot.handlers.replying import plain, reply
from bot.state import Context

logger = logging.getLogger(__name__)


class _AddressedToBot(filters.MessageFilter):
    """Messages that mention the bot by @username or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        name = f"@{bot.username}".lower()
        mentions = message.parse_entities([MessageEntity.MENTION]).values()
        return any(m.lower() == name for m in mentions)


ADDRESSED_TO_BOT = _AddressedToBot(name="AddressedToBot")
#: Plain text that is a question: anything in private chats; in groups only when addressed.
QUESTION = (
    filters.UpdateType.MESSAGE
    & filters.TEXT
    & ~filters.COMMAND
    & ~filters.VIA_BOT
    & (filters.ChatType.PRIVATE | ADDRESSED_TO_BOT)
)


def is_admin(update: Update, context: Context) -> bool:
    """The sender is one of ADMIN_IDS."""
    user = update.effective_user
    return user is not None and user.id in context.bot_data.settings.admin_ids


async def within_rate_limit(update: Update, context: Context) -> bool:
    """Count a request against the user's per-minute budget; warn once when it is spent."""
    user = update.effective_user
    if user is None:
        return True
    verdict = context.bot_data.limiter.hit(user.id)
    if verdict.allowed:
        return True
    seconds = max(1, math.ceil(verdict.retry_after))
    query = update.callback_query
    if query is not None:
        await query.answer(texts.SLOW_DOWN_PLAIN.format(seconds=seconds))
    elif verdict.first_refusal:
        await reply(update, context, plain(texts.SLOW_DOWN.format(seconds=seconds)))
    return False


async def refuse_non_admin(update: Update, context: Context, what: str) -> bool:
    """True (after a polite refusal, logged by user id) when the user is not an admin."""
    if is_admin(update, context):
        return False
    user = update.effective_user
    logger.warning("refused %s for non-admin user %s", what, user.id if user else "?")
    await reply(update, context, plain(texts.ADMIN_ONLY))
    return True

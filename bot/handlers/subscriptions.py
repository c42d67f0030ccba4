"""Keyword subscriptions: a chat is alerted when polled feeds bring matching articles."""

from __future__ import annotations

from telegram import Update

from bot import markup, texts
from bot.handlers.arguments import command_argument, number_argument
from bot.handlers.gates import within_rate_limit
from bot.handlers.replying import plain, reply
from bot.render import feeds as feed_render
from bot.state import ALERTS_PER_HOUR, Context
from retrieval import QueryError, SubscriptionLimit


async def subscribe(update: Update, context: Context) -> None:
    """`/subscribe 关键词`: alert this chat when polling brings matching new articles."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and user is not None and chat is not None
    query = command_argument(message)
    if not query:
        await reply(update, context, plain(texts.SUBSCRIBE_USAGE))
        return
    if not await within_rate_limit(update, context):
        return
    try:
        row = await context.bot_data.news.subscribe(user.id, chat.id, query)
    except SubscriptionLimit as exc:
        await reply(update, context, plain(texts.SUBSCRIBE_LIMIT.format(n=exc.limit)))
        return
    except QueryError:
        await reply(update, context, plain(texts.NOT_SEARCHABLE))
        return
    text = texts.SUBSCRIBE_DONE.format(
        query=markup.esc(row.query), id=row.id, per_hour=ALERTS_PER_HOUR
    )
    await reply(update, context, plain(text))


async def list_subscriptions(update: Update, context: Context) -> None:
    """`/subscriptions`: the user's subscriptions with their ids."""
    user = update.effective_user
    assert user is not None
    rows = await context.bot_data.news.subscriptions(user.id)
    await reply(update, context, feed_render.subscriptions(rows))


async def unsubscribe(update: Update, context: Context) -> None:
    """`/unsubscribe ID`: remove one of the user's own subscriptions."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    subscription_id = number_argument(command_argument(message))
    if subscription_id is None:
        await reply(update, context, plain(texts.UNSUBSCRIBE_USAGE))
        return
    removed = await context.bot_data.news.unsubscribe(user.id, subscription_id)
    text = texts.UNSUBSCRIBE_DONE if removed else texts.UNSUBSCRIBE_UNKNOWN
    await reply(update, context, plain(text.format(id=subscription_id)))

"""What a reader is told for each error the engine raises: one Chinese sentence, never the
engine's English message.

The engine's messages are written for operators and the terminal; a Chinese reply must not
quote them. Each error type (and, where the engine names one, its reason) maps here to a
sentence of `bot.texts`, with the user's own words escaped. `tests/bot/test_explain.py` walks
every exception class of the engine, so a new one cannot reach a chat in English.
"""

from __future__ import annotations

from bot import texts
from bot.markup import esc, short
from retrieval import (
    MAX_FEED_MINUTES,
    MAX_SUBSCRIPTIONS,
    MIN_FEED_MINUTES,
    FeedError,
    FeedProblem,
    QueryError,
    QuerySyntaxError,
    StoreError,
    SubscriptionLimit,
    UnknownArticle,
    UnreadableText,
)


def explain(error: Exception) -> str:
    """The Chinese sentence (Telegram HTML) for an engine error; `texts.ERROR` otherwise."""
    if isinstance(error, QuerySyntaxError):
        if error.field == "source":
            return texts.QUERY_BAD_SOURCE
        if error.field == "range":
            return texts.QUERY_BAD_RANGE
        return texts.QUERY_BAD_DATE.format(
            field=esc(error.field), value=esc(short(error.value, 40))
        )
    if isinstance(error, QueryError):
        return texts.NOT_SEARCHABLE
    if isinstance(error, UnknownArticle):
        article_id = str(error.args[0]) if error.args else ""
        return texts.UNKNOWN_ARTICLE.format(article_id=esc(short(article_id, 80)))
    if isinstance(error, SubscriptionLimit):
        return texts.SUBSCRIBE_LIMIT.format(n=error.limit or MAX_SUBSCRIPTIONS)
    if isinstance(error, FeedProblem):
        return {
            "url": texts.FEED_BAD_URL,
            "interval": texts.FEED_BAD_INTERVAL.format(low=MIN_FEED_MINUTES, high=MAX_FEED_MINUTES),
            "duplicate": texts.FEED_DUPLICATE,
        }.get(error.reason, texts.FEED_PROBLEM)
    if isinstance(error, StoreError):
        return texts.STORE_PROBLEM
    if isinstance(error, UnreadableText):
        return texts.UNREADABLE_TEXT
    if isinstance(error, FeedError):
        return texts.FETCH_PROBLEM
    return texts.ERROR

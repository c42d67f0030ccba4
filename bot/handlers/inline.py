"""Inline mode: ``@bot words`` in any chat offers the best passages to send there."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, Update

from bot.render import answers
from bot.state import Context
from retrieval import QueryError

#: Passages offered per inline query.
INLINE_RESULTS = 10
#: Telegram may reuse the answer to the same query for this long.
INLINE_CACHE_SECONDS = 60


async def answer_inline_query(update: Update, context: Context) -> None:
    """Offer the best passages for `@bot words` as articles the user can send."""
    inline = update.inline_query
    assert inline is not None
    text = inline.query.strip()
    results: list[InlineQueryResultArticle] = []
    if text:
        try:
            found = await context.bot_data.news.search(text, k=INLINE_RESULTS)
            results = answers.inline_results(found)
        except QueryError:
            pass
    await inline.answer(results, cache_time=INLINE_CACHE_SECONDS)

"""What everyone can ask: questions, /search with its pages, /summary, articles, /help."""

from __future__ import annotations

import dataclasses

from telegram import Update
from telegram.error import BadRequest

from bot import callbacks, markup, texts
from bot.explain import explain
from bot.handlers.arguments import command_argument, without_mention
from bot.handlers.gates import within_rate_limit
from bot.handlers.replying import plain, reply, script_of, send, typing
from bot.render import Rendered, answers, reports
from bot.script import convert, convert_text
from bot.state import Context
from retrieval import QueryError, UnknownArticle

#: Articles listed by /articles.
RECENT_ARTICLES = 20


async def show_help(update: Update, context: Context) -> None:
    """Tell what the bot knows and how to ask, with examples that work on the loaded news."""
    news = context.bot_data.news
    stats, examples = await news.stats(), await news.examples()
    await reply(update, context, reports.help_text(stats, examples, context.bot.username))


async def answer_question(update: Update, context: Context) -> None:
    """Answer a plain question with the best sentence and its sources."""
    message = update.effective_message
    assert message is not None
    question = without_mention(message.text or "", context.bot.username)
    news = context.bot_data.news
    if not question:
        examples = await news.examples()
        example = examples.questions[0] if examples.questions else texts.MISSING
        text = texts.EMPTY_QUESTION.format(example=markup.esc(example))
        await reply(update, context, plain(text))
        return
    if not await within_rate_limit(update, context):
        return
    async with typing(update, context):
        try:
            result = await news.ask(question)
        except QueryError as exc:
            await reply(update, context, plain(explain(exc)))
            return
    await reply(update, context, answers.answer(result, context.bot_data.article_button))


async def _search_page(
    context: Context, query: str, key: str, page: int, sort: str = callbacks.RELEVANCE
) -> Rendered:
    """Page `page` of `query`: one passage more is asked for, to know if a next page exists."""
    state = context.bot_data
    size = answers.PAGE_SIZE
    result = await state.news.search(query, k=size + 1, offset=page * size, sort=sort)
    has_next = len(result.hits) > size
    result = dataclasses.replace(result, hits=result.hits[:size])
    return answers.search_page(result, page, has_next, key, state.article_button)


async def search_news(update: Update, context: Context) -> None:
    """List the passages matching `/search words`, five per page with page buttons."""
    message = update.effective_message
    assert message is not None
    query = command_argument(message)
    state = context.bot_data
    if not query:
        examples = await state.news.examples()
        words = markup.esc(examples.search_words or texts.MISSING)
        await reply(update, context, plain(texts.SEARCH_USAGE.format(example=words)))
        return
    if not await within_rate_limit(update, context):
        return
    key = state.searches.add(query)
    async with typing(update, context):
        try:
            page = await _search_page(context, query, key, 0)
        except QueryError as exc:
            await reply(update, context, plain(explain(exc)))
            return
    await reply(update, context, page)


async def turn_page(update: Update, context: Context) -> None:
    """Show another page of a search in the same message, or say the search has expired."""
    query = update.callback_query
    assert query is not None
    button = callbacks.parse_page(query.data or "")
    text = context.bot_data.searches.get(button.key) if button else None
    script = script_of(update, context)
    if button is None or text is None:
        await query.answer(convert_text(texts.PAGE_EXPIRED, script), show_alert=True)
        return
    if not await within_rate_limit(update, context):
        return
    page = await _search_page(context, text, button.key, button.page, button.sort)
    html_text, keyboard = convert(page, script)
    await query.answer()
    try:
        await query.edit_message_text(html_text, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def summarize_news(update: Update, context: Context) -> None:
    """Summarize the latest news, one article (by id), or the articles on a topic."""
    message = update.effective_message
    assert message is not None
    if not await within_rate_limit(update, context):
        return
    target = command_argument(message)
    async with typing(update, context):
        try:
            summary = await context.bot_data.news.summarize(target or None)
        except QueryError as exc:
            await reply(update, context, plain(explain(exc)))
            return
    await reply(update, context, answers.summary(summary))


async def summarize_from_button(update: Update, context: Context) -> None:
    """Send the summary of the article whose 「摘要」 button was pressed."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None
    button = callbacks.parse_summary(query.data or "")
    article_id = context.bot_data.button_article(button) if button else None
    if article_id is None or chat is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    if not await within_rate_limit(update, context):
        return
    await query.answer()
    news = context.bot_data.news
    async with typing(update, context):
        try:
            await news.article(article_id)
        except UnknownArticle:
            text = texts.UNKNOWN_ARTICLE.format(article_id=markup.esc(article_id))
            await send(context, chat.id, plain(text))
            return
        summary = await news.summarize(article_id)
    await send(context, chat.id, answers.summary(summary))


async def expire_button(update: Update, context: Context) -> None:
    """Tell the user that a button from an old message no longer works."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts.BUTTON_EXPIRED, show_alert=True)


async def list_articles(update: Update, context: Context) -> None:
    """List the most recent articles with their ids."""
    if not await within_rate_limit(update, context):
        return
    rows = await context.bot_data.news.articles(RECENT_ARTICLES)
    await reply(update, context, reports.articles(rows))


async def list_sources(update: Update, context: Context) -> None:
    """Each publication with its article count and newest date."""
    if not await within_rate_limit(update, context):
        return
    await reply(update, context, reports.sources(await context.bot_data.news.sources()))


async def show_article(update: Update, context: Context) -> None:
    """Send the full text of `/article ID`, split across messages under the length limit."""
    message = update.effective_message
    assert message is not None
    article_id = command_argument(message)
    if not article_id:
        await reply(update, context, plain(texts.ARTICLE_USAGE))
        return
    if not await within_rate_limit(update, context):
        return
    try:
        article = await context.bot_data.news.article(article_id)
    except UnknownArticle:
        text = texts.UNKNOWN_ARTICLE.format(article_id=markup.esc(markup.short(article_id, 80)))
        await reply(update, context, plain(text))
        return
    await reply(update, context, answers.article(article))


async def unknown_command(update: Update, context: Context) -> None:
    """Point a private chat at /help when the command is not one of ours."""
    await reply(update, context, plain(texts.UNKNOWN_COMMAND))

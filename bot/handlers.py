"""Telegram handlers: small async functions over `NewsService`, rendered by `bot.render`.

Each handler reads like the sentence describing it. Shared state lives in one typed
`BotState` in ``application.bot_data[STATE_KEY]``: the service, the settings, the per-user
rate limiter and the server-side keys behind inline buttons (search queries and long
article ids never travel in callback data).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import re
import tempfile
import traceback
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from telegram import Message, MessageEntity, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackContext, ExtBot, filters

from bot import render, texts
from bot.config import Settings
from bot.limits import ShortKeys, SlidingWindowLimiter
from retrieval import (
    DEFAULT_FEED_MINUTES,
    MAX_FEED_MINUTES,
    MIN_FEED_MINUTES,
    SUPPORTED,
    Examples,
    FeedProblem,
    NewsService,
    QueryError,
    SubscriptionLimit,
    UnknownArticle,
)

logger = logging.getLogger(__name__)

STATE_KEY = "newsbot"
SEARCH_TTL = 3600.0
SEARCH_SLOTS = 5000
ARTICLE_KEY_TTL = 24 * 3600.0
ARTICLE_KEY_SLOTS = 5000
INLINE_RESULTS = 10
INLINE_CACHE_SECONDS = 60
RECENT_ARTICLES = 20
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
TYPING_REFRESH_SECONDS = 4.5
#: Alerts one subscription may send per hour.
ALERTS_PER_HOUR = 6

Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]


class NotReady(RuntimeError):
    """The service is not open yet (post_init has not run)."""


@dataclass
class BotState:
    """Everything the handlers share."""

    settings: Settings
    limiter: SlidingWindowLimiter
    searches: ShortKeys[str]
    article_keys: ShortKeys[str]
    service: NewsService | None = None
    owns_service: bool = False
    reindex_task: asyncio.Task[None] | None = None
    #: Alerts sent per subscription id in the last hour (kept in memory: after a restart
    #: a subscription may alert again, which errs on the side of telling the user).
    alert_limiter: SlidingWindowLimiter = field(
        default_factory=lambda: SlidingWindowLimiter(ALERTS_PER_HOUR, 3600.0)
    )
    #: Held during a polling round so a manual round and the timer never overlap.
    poll_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @classmethod
    def create(cls, settings: Settings, service: NewsService | None = None) -> BotState:
        return cls(
            settings=settings,
            limiter=SlidingWindowLimiter(settings.rate_limit_per_minute, 60.0),
            searches=ShortKeys(SEARCH_SLOTS, SEARCH_TTL),
            article_keys=ShortKeys(ARTICLE_KEY_SLOTS, ARTICLE_KEY_TTL),
            service=service,
        )

    @property
    def news(self) -> NewsService:
        if self.service is None:
            raise NotReady("the news service is not open yet")
        return self.service

    def article_button(self, article_id: str) -> str:
        """Callback data of the 「摘要」 button for `article_id` (≤ 64 bytes)."""
        direct = render.summary_data(article_id)
        return direct or render.summary_key_data(self.article_keys.add(article_id))


def state_of(context: Context) -> BotState:
    return cast(BotState, context.bot_data[STATE_KEY])


def data_dirs(settings: Settings) -> list[Path]:
    """The configured data folders that exist."""
    return [p for p in settings.newsbot_data_dirs if p.exists()]


def redact(text: str, token: str) -> str:
    """`text` with the bot token (plain or percent-encoded, or its secret half) removed."""
    if not token:
        return text
    secret = token.split(":", 1)[-1]
    for needle in (token, quote(token, safe=""), secret):
        if len(needle) >= 8:
            text = text.replace(needle, "<token>")
    return text


# ------------------------------------------------------------------ filters


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


# ------------------------------------------------------------------ helpers


def is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in state_of(context).settings.admin_ids


def command_argument(message: Message) -> str:
    """The text after `/command` (or `/command@bot`), spacing kept, stripped."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def number_argument(text: str) -> int | None:
    """A plain ASCII id such as `12` (not 「１２」 or 「²」), or None."""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


def _without_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


async def send(
    context: Context, chat_id: int, rendered: render.Rendered, reply_to: int | None = None
) -> None:
    """Send HTML split into messages under the limit; the keyboard goes under the last one."""
    text, keyboard = rendered
    chunks = render.split_html(text)
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


async def reply(update: Update, context: Context, rendered: render.Rendered) -> None:
    """Answer the update's chat; in groups as a reply to the user's message."""
    chat = update.effective_chat
    if chat is None:
        return
    message = update.message
    reply_to = message.message_id if message is not None and chat.type != ChatType.PRIVATE else None
    await send(context, chat.id, rendered, reply_to)


def _plain(text: str) -> render.Rendered:
    return text, None


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


async def within_rate_limit(update: Update, context: Context) -> bool:
    """Count a request against the user's per-minute budget; warn once when it is spent."""
    user = update.effective_user
    if user is None:
        return True
    verdict = state_of(context).limiter.hit(user.id)
    if verdict.allowed:
        return True
    seconds = max(1, math.ceil(verdict.retry_after))
    query = update.callback_query
    if query is not None:
        await query.answer(texts.SLOW_DOWN_PLAIN.format(seconds=seconds))
    elif verdict.first_refusal:
        await reply(update, context, _plain(texts.SLOW_DOWN.format(seconds=seconds)))
    return False


async def refuse_non_admin(update: Update, context: Context, what: str) -> bool:
    """True (after a polite refusal, logged by user id) when the user is not an admin."""
    if is_admin(update, context):
        return False
    user = update.effective_user
    logger.warning("refused %s for non-admin user %s", what, user.id if user else "?")
    await reply(update, context, _plain(texts.ADMIN_ONLY))
    return True


async def examples_for(context: Context) -> Examples:
    """Example questions that the loaded news can answer (the service caches them)."""
    return await state_of(context).news.examples()


# ------------------------------------------------------------------ commands for everyone


async def show_help(update: Update, context: Context) -> None:
    """Tell what the bot knows and how to ask, with examples that work on the loaded news."""
    st = state_of(context)
    stats = await st.news.stats()
    examples = await examples_for(context)
    await reply(update, context, render.help_text(stats, examples, context.bot.username))


async def answer_question(update: Update, context: Context) -> None:
    """Answer a plain question with the best sentence and its sources."""
    message = update.effective_message
    assert message is not None
    question = _without_mention(message.text or "", context.bot.username)
    st = state_of(context)
    if not question:
        examples = await examples_for(context)
        example = examples.questions[0] if examples.questions else texts.MISSING
        text = texts.EMPTY_QUESTION.format(example=render.esc(example))
        await reply(update, context, _plain(text))
        return
    if not await within_rate_limit(update, context):
        return
    async with typing(update, context):
        try:
            result = await st.news.ask(question)
        except QueryError:
            await reply(update, context, _plain(texts.NOT_SEARCHABLE))
            return
    await reply(update, context, render.answer(result, st.article_button, result.suggestion))


async def _search_page(context: Context, query: str, key: str, page: int) -> render.Rendered:
    st = state_of(context)
    size = render.PAGE_SIZE
    result = await st.news.search(query, k=size + 1, offset=page * size)
    has_next = len(result.hits) > size
    result = dataclasses.replace(result, hits=result.hits[:size])
    return render.search_page(result, page, has_next, key, st.article_button)


async def search_news(update: Update, context: Context) -> None:
    """List the passages matching `/search words`, five per page with page buttons."""
    message = update.effective_message
    assert message is not None
    query = command_argument(message)
    st = state_of(context)
    if not query:
        examples = await examples_for(context)
        words = render.esc(examples.search_words or texts.MISSING)
        await reply(update, context, _plain(texts.SEARCH_USAGE.format(example=words)))
        return
    if not await within_rate_limit(update, context):
        return
    key = st.searches.add(query)
    async with typing(update, context):
        try:
            page = await _search_page(context, query, key, 0)
        except QueryError:
            await reply(update, context, _plain(texts.NOT_SEARCHABLE))
            return
    await reply(update, context, page)


async def turn_page(update: Update, context: Context) -> None:
    """Show another page of a search in the same message, or say the search has expired."""
    query = update.callback_query
    assert query is not None
    match = render.PAGE_PATTERN.match(query.data or "")
    text = state_of(context).searches.get(match.group(1)) if match else None
    if match is None or text is None:
        await query.answer(texts.PAGE_EXPIRED, show_alert=True)
        return
    if not await within_rate_limit(update, context):
        return
    html_text, keyboard = await _search_page(context, text, match.group(1), int(match.group(2)))
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
    st = state_of(context)
    async with typing(update, context):
        try:
            summary = await st.news.summarize(target or None)
        except QueryError:
            await reply(update, context, _plain(texts.NOT_SEARCHABLE))
            return
    await reply(update, context, render.summary(summary))


def _button_article(context: Context, data: str) -> str | None:
    direct = render.SUMMARY_PATTERN.match(data)
    if direct:
        return direct.group(1)
    keyed = render.SUMMARY_KEY_PATTERN.match(data)
    return state_of(context).article_keys.get(keyed.group(1)) if keyed else None


async def summarize_from_button(update: Update, context: Context) -> None:
    """Send the summary of the article whose 「摘要」 button was pressed."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None
    article_id = _button_article(context, query.data or "")
    if article_id is None or chat is None:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    if not await within_rate_limit(update, context):
        return
    await query.answer()
    st = state_of(context)
    async with typing(update, context):
        try:
            await st.news.article(article_id)
        except UnknownArticle:
            text = texts.UNKNOWN_ARTICLE.format(article_id=render.esc(article_id))
            await send(context, chat.id, _plain(text))
            return
        summary = await st.news.summarize(article_id)
    await send(context, chat.id, render.summary(summary))


async def expire_button(update: Update, context: Context) -> None:
    """Tell the user that a button from an old message no longer works."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts.BUTTON_EXPIRED, show_alert=True)


async def list_articles(update: Update, context: Context) -> None:
    """List the most recent articles with their ids."""
    if not await within_rate_limit(update, context):
        return
    rows = await state_of(context).news.articles(RECENT_ARTICLES)
    await reply(update, context, render.articles(rows))


async def show_article(update: Update, context: Context) -> None:
    """Send the full text of `/article ID`, split across messages under the length limit."""
    message = update.effective_message
    assert message is not None
    article_id = command_argument(message)
    if not article_id:
        await reply(update, context, _plain(texts.ARTICLE_USAGE))
        return
    if not await within_rate_limit(update, context):
        return
    try:
        article = await state_of(context).news.article(article_id)
    except UnknownArticle:
        text = texts.UNKNOWN_ARTICLE.format(article_id=render.esc(render.short(article_id, 80)))
        await reply(update, context, _plain(text))
        return
    await reply(update, context, render.article(article))


async def answer_inline_query(update: Update, context: Context) -> None:
    """Offer the best passages for `@bot words` as articles the user can send."""
    inline = update.inline_query
    assert inline is not None
    text = inline.query.strip()
    results = []
    if text:
        try:
            found = await state_of(context).news.search(text, k=INLINE_RESULTS)
            results = render.inline_results(found)
        except QueryError:
            pass
    await inline.answer(results, cache_time=INLINE_CACHE_SECONDS)


async def unknown_command(update: Update, context: Context) -> None:
    """Point a private chat at /help when the command is not one of ours."""
    await reply(update, context, _plain(texts.UNKNOWN_COMMAND))


# ------------------------------------------------------------------ admin


async def reindex_news(update: Update, context: Context) -> None:
    """Rebuild the index in the background (admins only) and report counts and time when done."""
    if await refuse_non_admin(update, context, "/reindex"):
        return
    st = state_of(context)
    if st.reindex_task is not None and not st.reindex_task.done():
        await reply(update, context, _plain(texts.REINDEX_RUNNING))
        return
    await reply(update, context, _plain(texts.REINDEX_STARTED))
    st.reindex_task = context.application.create_task(
        _reindex_and_report(update, context), update=update, name="reindex"
    )


async def _reindex_and_report(update: Update, context: Context) -> None:
    st = state_of(context)
    dirs = data_dirs(st.settings)
    report = await st.news.reindex(dirs)
    logger.info(
        "reindex: %d articles, %d passages in %.1f s",
        report.articles,
        report.passages,
        report.seconds,
    )
    await reply(update, context, render.reindex_report(report, loaded_dirs=bool(dirs)))


async def show_stats(update: Update, context: Context) -> None:
    """Show admins the counts, today's questions and latency."""
    if await refuse_non_admin(update, context, "/stats"):
        return
    await reply(update, context, render.stats(await state_of(context).news.stats()))


async def list_feeds(update: Update, context: Context) -> None:
    """Show admins every feed with its schedule and health."""
    if await refuse_non_admin(update, context, "/feeds"):
        return
    await reply(update, context, render.feeds(await state_of(context).news.feeds()))


async def add_feed(update: Update, context: Context) -> None:
    """`/addfeed URL [minutes]`: start polling a feed (admins only)."""
    if await refuse_non_admin(update, context, "/addfeed"):
        return
    message = update.effective_message
    assert message is not None
    args = command_argument(message).split()
    usage = texts.ADDFEED_USAGE.format(
        low=MIN_FEED_MINUTES, high=MAX_FEED_MINUTES, default=DEFAULT_FEED_MINUTES
    )
    minutes = number_argument(args[1]) if len(args) == 2 else DEFAULT_FEED_MINUTES
    if not 1 <= len(args) <= 2 or minutes is None:
        await reply(update, context, _plain(usage))
        return
    try:
        feed = await state_of(context).news.add_feed(args[0], minutes)
    except FeedProblem as exc:
        text = texts.ADDFEED_INVALID.format(reason=render.esc(str(exc))) + "\n" + usage
        await reply(update, context, _plain(text))
        return
    logger.info("feed %d added: %s every %d min", feed.id, feed.url, feed.interval_minutes)
    text = texts.ADDFEED_DONE.format(
        id=feed.id, url=render.esc(feed.url), minutes=feed.interval_minutes
    )
    await reply(update, context, _plain(text))


async def remove_feed(update: Update, context: Context) -> None:
    """`/removefeed ID`: stop polling a feed (admins only)."""
    if await refuse_non_admin(update, context, "/removefeed"):
        return
    message = update.effective_message
    assert message is not None
    feed_id = number_argument(command_argument(message))
    if feed_id is None:
        await reply(update, context, _plain(texts.REMOVEFEED_USAGE))
        return
    removed = await state_of(context).news.remove_feed(feed_id)
    text = texts.REMOVEFEED_DONE if removed else texts.REMOVEFEED_UNKNOWN
    await reply(update, context, _plain(text.format(id=feed_id)))


# ------------------------------------------------------------------ subscriptions


async def subscribe(update: Update, context: Context) -> None:
    """`/subscribe 关键词`: alert this chat when polling brings matching new articles."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and user is not None and chat is not None
    query = command_argument(message)
    if not query:
        await reply(update, context, _plain(texts.SUBSCRIBE_USAGE))
        return
    if not await within_rate_limit(update, context):
        return
    news = state_of(context).news
    try:
        row = await news.subscribe(user.id, chat.id, query)
    except SubscriptionLimit as exc:
        await reply(update, context, _plain(texts.SUBSCRIBE_LIMIT.format(n=exc.limit)))
        return
    except QueryError:
        await reply(update, context, _plain(texts.NOT_SEARCHABLE))
        return
    text = texts.SUBSCRIBE_DONE.format(
        query=render.esc(row.query), id=row.id, per_hour=ALERTS_PER_HOUR
    )
    await reply(update, context, _plain(text))


async def list_subscriptions(update: Update, context: Context) -> None:
    """`/subscriptions`: the user's subscriptions with their ids."""
    user = update.effective_user
    assert user is not None
    rows = await state_of(context).news.subscriptions(user.id)
    await reply(update, context, render.subscriptions(rows))


async def unsubscribe(update: Update, context: Context) -> None:
    """`/unsubscribe ID`: remove one of the user's own subscriptions."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    subscription_id = number_argument(command_argument(message))
    if subscription_id is None:
        await reply(update, context, _plain(texts.UNSUBSCRIBE_USAGE))
        return
    removed = await state_of(context).news.unsubscribe(user.id, subscription_id)
    text = texts.UNSUBSCRIBE_DONE if removed else texts.UNSUBSCRIBE_UNKNOWN
    await reply(update, context, _plain(text.format(id=subscription_id)))


def _upload_name(name: str | None) -> str:
    """The uploaded file's own name, reduced to a safe single path component."""
    base = Path((name or "").replace("\\", "/")).name.strip()
    return base if base and not base.startswith(".") else "upload.txt"


async def ingest_document(update: Update, context: Context) -> None:
    """Load a news file an admin sends and report per file, like `newsbot ingest`."""
    message = update.effective_message
    chat = update.effective_chat
    assert message is not None and message.document is not None and chat is not None
    if not is_admin(update, context):
        user = update.effective_user
        logger.warning("refused upload from non-admin user %s", user.id if user else "?")
        if chat.type == ChatType.PRIVATE:
            await reply(update, context, _plain(texts.UPLOAD_REFUSED))
        return
    document = message.document
    name = _upload_name(document.file_name)
    if not name.lower().endswith(SUPPORTED):
        text = texts.UPLOAD_UNSUPPORTED.format(name=render.esc(name), kinds="、".join(SUPPORTED))
        await reply(update, context, _plain(text))
        return
    if document.file_size and document.file_size > MAX_DOWNLOAD_BYTES:
        text = texts.UPLOAD_TOO_BIG.format(mb=document.file_size / 1024 / 1024)
        await reply(update, context, _plain(text))
        return
    async with typing(update, context):
        with tempfile.TemporaryDirectory(prefix="newsbot-upload-") as folder:
            path = Path(folder) / name
            telegram_file = await document.get_file()
            await telegram_file.download_to_drive(path)
            report = await state_of(context).news.ingest([path])
    logger.info("ingested upload %s: %d added, %d failed", name, report.added, report.failed)
    await reply(update, context, render.ingest_report(report))


# ------------------------------------------------------------------ errors


async def report_error(update: object, context: Context) -> None:
    """Log the traceback (without the bot token) and tell the user briefly that it failed."""
    error = context.error
    trace = "".join(traceback.format_exception(error)) if error else "unknown error"
    logger.error("error while handling an update:\n%s", redact(trace, context.bot.token))
    if not isinstance(update, Update):
        return
    text = texts.NOT_READY if isinstance(error, NotReady) else texts.ERROR
    try:
        if update.callback_query is not None:
            with contextlib.suppress(BadRequest):  # already answered, or too old
                await update.callback_query.answer(texts.ERROR_PLAIN, show_alert=True)
                return
        if update.effective_chat is not None and update.inline_query is None:
            await reply(update, context, _plain(text))
    except TelegramError as exc:
        logger.warning("could not tell the user about the error: %s", type(exc).__name__)

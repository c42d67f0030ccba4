"""What operators (ADMIN_IDS) can do: reindex, stats, manage feeds, upload news files,
delete articles."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from telegram import Update
from telegram.constants import ChatType

from bot import markup, texts
from bot.explain import explain
from bot.handlers.arguments import command_argument, number_argument
from bot.handlers.gates import is_admin, refuse_non_admin
from bot.handlers.replying import plain, reply, typing
from bot.render import feeds as feed_render
from bot.render import reports
from bot.state import Context
from retrieval import (
    DEFAULT_FEED_MINUTES,
    MAX_FEED_MINUTES,
    MIN_FEED_MINUTES,
    SUPPORTED,
    FeedProblem,
)

logger = logging.getLogger(__name__)

#: Telegram lets bots download files up to this size.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


async def reindex_news(update: Update, context: Context) -> None:
    """Rebuild the index in the background (admins only) and report counts and time when done."""
    if await refuse_non_admin(update, context, "/reindex"):
        return
    state = context.bot_data
    if state.reindex_task is not None and not state.reindex_task.done():
        await reply(update, context, plain(texts.REINDEX_RUNNING))
        return
    await reply(update, context, plain(texts.REINDEX_STARTED))
    state.reindex_task = context.application.create_task(
        _reindex_and_report(update, context), update=update, name="reindex"
    )


async def _reindex_and_report(update: Update, context: Context) -> None:
    state = context.bot_data
    dirs = state.settings.existing_data_dirs()
    report = await state.news.reindex(dirs)
    logger.info(
        "reindex: %d articles, %d passages in %.1f s",
        report.articles,
        report.passages,
        report.seconds,
    )
    await reply(update, context, reports.reindex_report(report, loaded_dirs=bool(dirs)))


async def show_stats(update: Update, context: Context) -> None:
    """Show admins the counts, today's questions and latency."""
    if await refuse_non_admin(update, context, "/stats"):
        return
    await reply(update, context, reports.stats(await context.bot_data.news.stats()))


async def list_feeds(update: Update, context: Context) -> None:
    """Show admins every feed with its schedule and health."""
    if await refuse_non_admin(update, context, "/feeds"):
        return
    await reply(update, context, feed_render.feeds(await context.bot_data.news.feeds()))


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
        await reply(update, context, plain(usage))
        return
    try:
        feed = await context.bot_data.news.add_feed(args[0], minutes)
    except FeedProblem as exc:
        text = texts.ADDFEED_INVALID.format(reason=explain(exc)) + "\n" + usage
        await reply(update, context, plain(text))
        return
    logger.info("feed %d added: %s every %d min", feed.id, feed.url, feed.interval_minutes)
    text = texts.ADDFEED_DONE.format(
        id=feed.id, url=markup.esc(feed.url), minutes=feed.interval_minutes
    )
    await reply(update, context, plain(text))


async def remove_feed(update: Update, context: Context) -> None:
    """`/removefeed ID`: stop polling a feed (admins only)."""
    if await refuse_non_admin(update, context, "/removefeed"):
        return
    message = update.effective_message
    assert message is not None
    feed_id = number_argument(command_argument(message))
    if feed_id is None:
        await reply(update, context, plain(texts.REMOVEFEED_USAGE))
        return
    removed = await context.bot_data.news.remove_feed(feed_id)
    text = texts.REMOVEFEED_DONE if removed else texts.REMOVEFEED_UNKNOWN
    await reply(update, context, plain(text.format(id=feed_id)))


async def delete_articles(update: Update, context: Context) -> None:
    """`/delete ID [ID…]`: delete articles and their passages at once (admins only)."""
    if await refuse_non_admin(update, context, "/delete"):
        return
    message = update.effective_message
    assert message is not None
    ids = command_argument(message).split()
    if not ids:
        await reply(update, context, plain(texts.DELETE_USAGE))
        return
    removed = await context.bot_data.news.delete_articles(ids)
    user = update.effective_user
    logger.info("admin %s deleted %d of %d articles", user.id if user else "?", removed, len(ids))
    text = texts.DELETE_DONE.format(n=removed, asked=len(ids))
    if removed < len(ids):
        text += "\n" + texts.DELETE_SOME_UNKNOWN
    await reply(update, context, plain(text))


def upload_name(name: str | None) -> str:
    """The uploaded file's own name, reduced to a safe single path component."""
    base = Path((name or "").replace("\\", "/")).name.strip()
    return base if base and not base.startswith(".") else "upload.txt"


async def ingest_document(update: Update, context: Context) -> None:
    """Load a news file an admin sends and report per file, like `newsbot ingest`."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and message.document is not None and chat is not None
    if not is_admin(update, context):
        user = update.effective_user
        logger.warning("refused upload from non-admin user %s", user.id if user else "?")
        if chat.type == ChatType.PRIVATE:
            await reply(update, context, plain(texts.UPLOAD_REFUSED))
        return
    document = message.document
    name = upload_name(document.file_name)
    if not name.lower().endswith(SUPPORTED):
        text = texts.UPLOAD_UNSUPPORTED.format(name=markup.esc(name), kinds="、".join(SUPPORTED))
        await reply(update, context, plain(text))
        return
    if document.file_size and document.file_size > MAX_DOWNLOAD_BYTES:
        text = texts.UPLOAD_TOO_BIG.format(mb=document.file_size / 1024 / 1024)
        await reply(update, context, plain(text))
        return
    async with typing(update, context):
        with tempfile.TemporaryDirectory(prefix="newsbot-upload-") as folder:
            path = Path(folder) / name
            telegram_file = await document.get_file()
            await telegram_file.download_to_drive(path)
            report = await context.bot_data.news.ingest([path])
    logger.info("ingested upload %s: %d added, %d failed", name, report.added, report.failed)
    await reply(update, context, reports.ingest_report(report))

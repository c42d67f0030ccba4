"""The Telegram bot: builds the python-telegram-bot `Application` and runs it.

`build_application` wires handlers, HTML defaults, concurrency and Telegram's flood limits;
tests build it against a fake Bot API. `main` runs it in production: long polling, or a
webhook when WEBHOOK_URL is set, until SIGINT/SIGTERM (which `run_polling`/`run_webhook`
turn into a clean shutdown that closes the database).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import alerts, handlers, texts
from bot.config import Settings
from bot.handlers import STATE_KEY, BotState
from retrieval import FetchPolicy, NewsService

logger = logging.getLogger(__name__)

#: How often a request that hit Telegram's flood limit (429) is retried after retry_after.
FLOOD_RETRIES = 3

App = Application[Any, Any, Any, Any, Any, Any]


def _token(settings: Settings) -> str:
    secret = settings.telegram_bot_token
    token = secret.get_secret_value() if secret is not None else ""
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return token


def build_application(settings: Settings, service: NewsService | None = None) -> App:
    """The bot's Application. Without `service`, post_init opens one and post_shutdown closes it."""
    application: App = (
        ApplicationBuilder()
        .token(_token(settings))
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(True)
        .rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES))
        .post_init(open_service_and_publish_commands)
        .post_shutdown(close_service)
        .build()
    )
    application.bot_data[STATE_KEY] = BotState.create(settings, service)
    add_handlers(application)
    schedule_feed_polling(application)
    return application


def schedule_feed_polling(application: App) -> None:
    """Run a polling round (`alerts.poll_feeds_job`) every minute while the bot runs.

    The JobQueue starts and stops with the application, so rounds never outlive the
    service that post_shutdown closes. It needs the ``python-telegram-bot[job-queue]``
    extra; without it the bot still answers questions and says why feeds are not polled.
    """
    if application.job_queue is None:
        logger.warning(
            "feeds will not be polled: install python-telegram-bot[job-queue] for the JobQueue"
        )
        return
    application.job_queue.run_repeating(
        alerts.poll_feeds_job,
        interval=alerts.POLL_INTERVAL_SECONDS,
        first=alerts.POLL_INTERVAL_SECONDS,
        name=alerts.POLL_JOB_NAME,
    )


def add_handlers(application: App) -> None:
    """Commands, questions, buttons, inline queries, uploads and the error handler."""
    application.add_handlers(
        [
            CommandHandler(["start", "help"], handlers.show_help),
            CommandHandler("search", handlers.search_news),
            CommandHandler("summary", handlers.summarize_news),
            CommandHandler("articles", handlers.list_articles),
            CommandHandler("article", handlers.show_article),
            CommandHandler("reindex", handlers.reindex_news),
            CommandHandler("stats", handlers.show_stats),
            CommandHandler("feeds", handlers.list_feeds),
            CommandHandler("addfeed", handlers.add_feed),
            CommandHandler("removefeed", handlers.remove_feed),
            CommandHandler("subscribe", handlers.subscribe),
            CommandHandler("subscriptions", handlers.list_subscriptions),
            CommandHandler("unsubscribe", handlers.unsubscribe),
            MessageHandler(handlers.QUESTION, handlers.answer_question),
            MessageHandler(
                filters.UpdateType.MESSAGE & filters.Document.ALL, handlers.ingest_document
            ),
            CallbackQueryHandler(handlers.turn_page, pattern=r"^pg:"),
            CallbackQueryHandler(handlers.summarize_from_button, pattern=r"^s[mk]:"),
            CallbackQueryHandler(handlers.expire_button),
            InlineQueryHandler(handlers.answer_inline_query),
            MessageHandler(
                filters.UpdateType.MESSAGE & filters.COMMAND & filters.ChatType.PRIVATE,
                handlers.unknown_command,
            ),
        ]
    )
    application.add_error_handler(handlers.report_error)


async def open_service_and_publish_commands(application: App) -> None:
    """Open the news service (seeding an empty database) and publish the command menu."""
    state: BotState = application.bot_data[STATE_KEY]
    if state.service is None:
        settings = state.settings
        settings.newsbot_db.parent.mkdir(parents=True, exist_ok=True)
        seeds = handlers.data_dirs(settings)
        policy = FetchPolicy(allow_private=settings.newsbot_feeds_allow_private)
        state.service = await NewsService.open(
            settings.newsbot_db, seed_paths=seeds, feed_policy=policy
        )
        state.owns_service = True
        stats = await state.service.stats()
        logger.info("news service open: %d articles, %d passages", stats.articles, stats.passages)
    await application.bot.set_my_commands(texts.COMMANDS)
    for admin in sorted(state.settings.admin_ids):
        try:
            await application.bot.set_my_commands(
                texts.ADMIN_COMMANDS, scope=BotCommandScopeChat(admin)
            )
        except TelegramError as exc:  # e.g. the admin has not started a chat with the bot
            logger.warning("could not publish admin commands for %s: %s", admin, exc)


async def close_service(application: App) -> None:
    """Close the news service if post_init opened it."""
    state: BotState = application.bot_data[STATE_KEY]
    if state.owns_service and state.service is not None:
        await state.service.close()
        state.service = None
        state.owns_service = False
        logger.info("news service closed")


class RedactToken(logging.Filter):
    """Removes the bot token from log records (message, arguments and traceback text)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = handlers.redact(message, self.token)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = handlers.redact(text, self.token)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = handlers.redact(record.exc_text, self.token)
        if record.stack_info:
            record.stack_info = handlers.redact(record.stack_info, self.token)
        return True


def configure_logging(settings: Settings) -> None:
    """Log at LOG_LEVEL to stderr, never the token (httpx logs request URLs, which hold it)."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        level=settings.log_level.upper(),
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)  # its DEBUG dumps every row
    redactor = RedactToken(_token(settings))
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)


def main(settings: Settings) -> None:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook when WEBHOOK_URL is set."""
    configure_logging(settings)
    application = build_application(settings)
    try:
        if settings.webhook_url:
            secret = settings.webhook_secret
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                # Without a configured secret, a fresh one per run still authenticates Telegram.
                secret_token=secret.get_secret_value() if secret else secrets.token_urlsafe(32),
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:  # its message quotes the token: never let it reach a traceback
        logger.error("Telegram rejected TELEGRAM_BOT_TOKEN; check the token with @BotFather")
        raise SystemExit(1) from None
    except Exception:
        logger.exception("the bot stopped because of an error")  # redacted by RedactToken
        raise SystemExit(1) from None

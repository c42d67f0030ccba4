"""The Telegram bot: builds the python-telegram-bot `Application`, routes updates, runs it.

`build_application` wires the handlers, HTML defaults, concurrency and Telegram's flood
limits; tests build it against a fake Bot API. `main` runs it in production: long polling, or
a webhook when WEBHOOK_URL is set, until SIGINT/SIGTERM (which `run_polling`/`run_webhook`
turn into a clean shutdown that closes the database). Telegram unreachable at start is one
line and exit code 1; lost later, polling retries with backoff and the bot keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from urllib.parse import urlsplit

from telegram import BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import alerts, callbacks, local_time, retention, texts, webhook
from bot.config import Settings, open_news_service
from bot.handlers import admin, commands, inline, subscriptions
from bot.handlers.errors import report_error
from bot.handlers.gates import QUESTION
from bot.logs import configure_logging
from bot.state import App, BotState
from retrieval import NewsService

logger = logging.getLogger(__name__)

#: How often a request that hit Telegram's flood limit (429) is retried after retry_after.
FLOOD_RETRIES = 3


def build_application(settings: Settings, service: NewsService | None = None) -> App:
    """The bot's Application. Without `service`, post_init opens one and post_shutdown closes it."""
    context_types = ContextTypes(bot_data=BotState)
    application: App = (
        ApplicationBuilder()
        .token(settings.bot_token())
        .context_types(context_types)
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
    application.bot_data.configure(settings, service)
    local_time.use_zone(settings.zone())
    add_handlers(application)
    alerts.schedule_feed_polling(application)
    retention.schedule_retention(application)
    return application


def add_handlers(application: App) -> None:
    """Commands, questions, buttons, inline queries, uploads and the error handler."""
    application.add_handlers(
        [
            CommandHandler(["start", "help"], commands.show_help),
            CommandHandler("search", commands.search_news),
            CommandHandler("summary", commands.summarize_news),
            CommandHandler("articles", commands.list_articles),
            CommandHandler("article", commands.show_article),
            CommandHandler("sources", commands.list_sources),
            CommandHandler("reindex", admin.reindex_news),
            CommandHandler("stats", admin.show_stats),
            CommandHandler("feeds", admin.list_feeds),
            CommandHandler("addfeed", admin.add_feed),
            CommandHandler("removefeed", admin.remove_feed),
            CommandHandler("delete", admin.delete_articles),
            CommandHandler("subscribe", subscriptions.subscribe),
            CommandHandler("subscriptions", subscriptions.list_subscriptions),
            CommandHandler("unsubscribe", subscriptions.unsubscribe),
            MessageHandler(QUESTION, commands.answer_question),
            MessageHandler(
                filters.UpdateType.MESSAGE & filters.Document.ALL, admin.ingest_document
            ),
            CallbackQueryHandler(commands.turn_page, pattern=callbacks.is_page),
            CallbackQueryHandler(commands.summarize_from_button, pattern=callbacks.is_summary),
            CallbackQueryHandler(commands.expire_button),
            InlineQueryHandler(inline.answer_inline_query),
            MessageHandler(
                filters.UpdateType.MESSAGE & filters.COMMAND & filters.ChatType.PRIVATE,
                commands.unknown_command,
            ),
        ]
    )
    application.add_error_handler(report_error)


async def open_service_and_publish_commands(application: App) -> None:
    """Open the news service (seeding an empty database) and publish the command menu."""
    state = application.bot_data
    if state.service is None:
        state.service = await open_news_service(state.settings)
        state.owns_service = True
        stats = await state.service.stats()
        logger.info("news service open: %d articles, %d passages", stats.articles, stats.passages)
        await state.service.prepare_for_many_questions()
    await application.bot.set_my_commands(texts.COMMANDS)
    for admin_id in sorted(state.settings.admin_ids):
        try:
            await application.bot.set_my_commands(
                texts.ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError as exc:  # e.g. the admin has not started a chat with the bot
            logger.warning("could not publish admin commands for %s: %s", admin_id, exc)


async def close_service(application: App) -> None:
    """Close the news service if post_init opened it."""
    state = application.bot_data
    if state.owns_service and state.service is not None:
        await state.service.close()
        state.service = None
        state.owns_service = False
        logger.info("news service closed")


def main(settings: Settings) -> None:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook when WEBHOOK_URL is set."""
    configure_logging(settings)
    application = build_application(settings)
    try:
        if settings.webhook_url:
            secret = settings.webhook_secret
            # Our own web app (bot/webhook.py) rather than run_webhook: it adds /healthz.
            serving = webhook.serve(
                application,
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                # Without a configured secret, a fresh one per run still authenticates Telegram.
                secret=secret.get_secret_value() if secret else secrets.token_urlsafe(32),
            )
            asyncio.run(serving)
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:  # its message quotes the token: never let it reach a traceback
        logger.error("Telegram rejected TELEGRAM_BOT_TOKEN; check the token with @BotFather")
        raise SystemExit(1) from None
    except NetworkError as exc:
        # Only at start: once running, polling retries with backoff (up to 30 s apart) and
        # keeps serving when the network returns.
        host = urlsplit(settings.telegram_base_url).netloc
        logger.error(
            "cannot reach the Telegram Bot API at %s (%s); check the network and "
            "TELEGRAM_BASE_URL", host, exc,
        )
        raise SystemExit(1) from None
    except Exception:
        logger.exception("the bot stopped because of an error")  # redacted by RedactToken
        raise SystemExit(1) from None

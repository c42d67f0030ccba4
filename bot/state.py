"""What the bot's handlers share, typed: the `bot_data` of the Application.

python-telegram-bot builds `bot_data` from `ContextTypes(bot_data=BotState)`, so every
handler reads ``context.bot_data.news`` with its type known, instead of looking up dict keys
and casting. The Application creates the state without arguments; `build_application` then
hands it the settings (and, in tests, an open service) through `configure`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot import callbacks
from bot.config import Settings
from bot.limits import ShortKeys, SlidingWindowLimiter
from retrieval import NewsService

#: How long, and how many, searches stay pageable (their keys are in the page buttons).
SEARCH_TTL = 3600.0
SEARCH_SLOTS = 5000
#: How long, and how many, long article ids stay reachable from 「摘要」 buttons.
ARTICLE_KEY_TTL = 24 * 3600.0
ARTICLE_KEY_SLOTS = 5000
#: Alerts one subscription may send per hour.
ALERTS_PER_HOUR = 6


class NotReady(RuntimeError):
    """The service is not open yet (post_init has not run)."""


class BotState:
    """Everything the handlers share: settings, service, rate limits and button keys."""

    settings: Settings
    #: Requests per user per minute (RATE_LIMIT_PER_MINUTE).
    limiter: SlidingWindowLimiter

    def __init__(self) -> None:
        self.searches: ShortKeys[str] = ShortKeys(SEARCH_SLOTS, SEARCH_TTL)
        self.article_keys: ShortKeys[str] = ShortKeys(ARTICLE_KEY_SLOTS, ARTICLE_KEY_TTL)
        self.service: NewsService | None = None
        #: True when post_init opened the service, so post_shutdown must close it.
        self.owns_service = False
        self.reindex_task: asyncio.Task[None] | None = None
        #: Alerts sent per subscription id in the last hour (kept in memory: after a restart
        #: a subscription may alert again, which errs on the side of telling the user).
        self.alert_limiter = SlidingWindowLimiter(ALERTS_PER_HOUR, 3600.0)
        #: Held during a polling round so a manual round and the timer never overlap.
        self.poll_lock = asyncio.Lock()
        #: The script (`bot.script`) each user was last answered in, by user id.
        self.scripts: dict[int, str] = {}

    def configure(self, settings: Settings, service: NewsService | None = None) -> None:
        """Take the settings and, when the caller already opened one, the service."""
        self.settings = settings
        self.limiter = SlidingWindowLimiter(settings.rate_limit_per_minute, 60.0)
        self.service = service

    @property
    def news(self) -> NewsService:
        """The open service; NotReady before post_init has opened it."""
        if self.service is None:
            raise NotReady("the news service is not open yet")
        return self.service

    def article_button(self, article_id: str) -> str:
        """Callback data of the 「摘要」 button for `article_id` (≤ 64 bytes)."""
        direct = callbacks.summary_data(article_id)
        return direct or callbacks.summary_key_data(self.article_keys.add(article_id))

    def button_article(self, button: callbacks.SummaryButton) -> str | None:
        """The article a 「摘要」 button names, or None when its key has expired."""
        if button.article_id is not None:
            return button.article_id
        return self.article_keys.get(button.key) if button.key is not None else None


#: The `context` every handler and job receives: ``context.bot_data`` is the `BotState`.
Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotState]
#: The bot's Application (its JobQueue's context type is not tracked by the builder).
App = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotState, JobQueue[Any]]

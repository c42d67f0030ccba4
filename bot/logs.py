"""Logging setup for the bot, and keeping the bot token out of every log line.

The token is a password: whoever holds it controls the bot. httpx logs request URLs, which
hold it, and tracebacks of failed requests quote it, so every record is passed through
`RedactToken` before a handler writes it.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from bot.config import Settings

#: Shortest text replaced as a token fragment (shorter would eat ordinary words).
MIN_SECRET_CHARS = 8


def redact(text: str, token: str) -> str:
    """`text` with the bot token (plain or percent-encoded, or its secret half) removed."""
    if not token:
        return text
    secret = token.split(":", 1)[-1]
    for needle in (token, quote(token, safe=""), secret):
        if len(needle) >= MIN_SECRET_CHARS:
            text = text.replace(needle, "<token>")
    return text


class RedactToken(logging.Filter):
    """Removes the bot token from log records (message, arguments and traceback text)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, self.token)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text, self.token)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self.token)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.token)
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
    redactor = RedactToken(settings.bot_token())
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)

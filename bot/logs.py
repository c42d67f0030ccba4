"""Logging setup for the bot: no secret in any log line, network failures as one line.

The token is a password: whoever holds it controls the bot. httpx logs request URLs, which
hold it, telegram's DEBUG logs print request bodies (setWebhook's `secret_token`), and
tracebacks of failed requests quote them; so every record is passed through `RedactSecrets`
(the token and every other secret setting) on the root handler before it is written, at every
level. A network failure is a condition, not a bug: its traceback is replaced by one line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

from telegram.error import NetworkError

from bot.config import Settings

#: Shortest text replaced as a secret fragment (shorter would eat ordinary words; settings
#: validation refuses shorter secrets).
MIN_SECRET_CHARS = 8


def _needles(secret: str) -> list[str]:
    """The forms a secret takes in logs: as is, percent-encoded, and a token's secret half."""
    forms = {secret, quote(secret, safe=""), secret.split(":", 1)[-1]}
    return sorted((f for f in forms if len(f) >= MIN_SECRET_CHARS), key=len, reverse=True)


def redact(text: str, token: str) -> str:
    """`text` with the bot token (plain or percent-encoded, or its secret half) removed."""
    return redact_all(text, [token], "<token>")


def redact_all(text: str, secrets: Iterable[str], mask: str = "<secret>") -> str:
    """`text` with every form of every secret replaced by `mask`."""
    for secret in secrets:
        if secret:
            for needle in _needles(secret):
                text = text.replace(needle, mask)
    return text


class RedactSecrets(logging.Filter):
    """Removes secrets from log records (message, arguments and traceback text)."""

    def __init__(self, secrets: dict[str, str]) -> None:
        super().__init__()
        #: mask -> secret, e.g. {"<token>": "123:abc"}
        self.secrets = {mask: value for mask, value in secrets.items() if value}

    def clean(self, text: str) -> str:
        for mask, secret in self.secrets.items():
            text = redact_all(text, [secret], mask)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.clean(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self.clean(text)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True


class RedactToken(RedactSecrets):
    """`RedactSecrets` for the bot token alone."""

    def __init__(self, token: str) -> None:
        super().__init__({"<token>": token})


class NetworkErrorsInOneLine(logging.Filter):
    """A record carrying a telegram `NetworkError` loses its traceback: the error's text is
    appended to the message instead. The bootstrap's own abort record is dropped, since
    `bot.app.main` reports a failure to reach Telegram at start in one line of its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, NetworkError):
            return True
        if record.name.startswith("telegram") and "Bootstrap" in record.getMessage():
            return False
        record.msg, record.args = f"{record.getMessage()} ({type(error).__name__}: {error})", None
        record.exc_info, record.exc_text = None, None
        return True


def secrets_of(settings: Settings) -> dict[str, str]:
    """Every secret setting, by the mask that replaces it in logs."""
    token = settings.telegram_bot_token
    webhook = settings.webhook_secret
    return {
        "<token>": token.get_secret_value() if token else "",
        "<webhook-secret>": webhook.get_secret_value() if webhook else "",
    }


def configure_logging(settings: Settings) -> None:
    """Log at LOG_LEVEL to stderr; no secret at any level, network errors in one line."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        level=settings.log_level.upper(),
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)  # its DEBUG dumps every row
    one_line = NetworkErrorsInOneLine()
    redactor = RedactSecrets(secrets_of(settings))
    for handler in logging.getLogger().handlers:
        handler.addFilter(one_line)  # first: it reads the exception before redaction drops it
        handler.addFilter(redactor)

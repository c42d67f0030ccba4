"""Settings from the environment and `.env` (documented in `.env.example`).

The only module of newsbot that reads the environment: the engine gets what it needs as
arguments (`open_news_service` turns settings into a `NewsService`), so tests and both front
ends (the bot and the CLI) configure it the same way. `load_settings` validates every
variable at start and turns pydantic's report into one line per bad variable naming the form
it expects (`SettingsError`), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from retrieval import FetchPolicy, NewsService

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = Path("data/newsbot.db")
#: The demo newspaper page: loaded only on request (`newsbot demo`, `make run`). A checkout
#: reads seeds/; an installed package, the copy pyproject's data-files put under the prefix.
SEED_DIR = next(
    (d for d in (PROJECT_ROOT / "seeds", Path(sys.prefix) / "share" / "newsbot" / "seeds")
     if d.is_dir()),
    PROJECT_ROOT / "seeds",
)
DEFAULT_TZ = "Asia/Shanghai"

#: What each variable must look like, for the one-line error when it does not.
EXPECTED = {
    "telegram_bot_token": "the token from @BotFather (digits:letters)",
    "telegram_base_url": "an http(s) URL ending in /bot",
    "telegram_base_file_url": "an http(s) URL ending in /file/bot",
    "admin_ids": "numeric Telegram user ids separated by commas, e.g. 12345,67890",
    "newsbot_db": "a file path",
    "newsbot_data_dirs": "folders separated by colons or commas",
    "log_level": "one of DEBUG, INFO, WARNING, ERROR",
    "webhook_url": "an https:// URL, or empty for long polling",
    "webhook_secret": "8-256 characters A-Z a-z 0-9 _ -",
    "webhook_listen": "an IP address to listen on, e.g. 0.0.0.0",
    "webhook_port": "a port number 1-65535",
    "rate_limit_per_minute": "a whole number, at least 1",
    "newsbot_feeds_allow_private": "1 or 0 (true or false)",
    "tz": "an IANA time zone name such as Asia/Shanghai",
    "retention_days": "a whole number of days, at least 1 (or unset to keep everything)",
}


class SettingsError(ValueError):
    """One or more settings are invalid; the message has one line per bad variable."""


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("not an http(s) URL")
    return value


class Settings(BaseSettings):
    """Everything an operator can configure. Field names map to upper-case variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    newsbot_db: Path = DEFAULT_DB
    newsbot_data_dirs: Annotated[tuple[Path, ...], NoDecode] = ()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    rate_limit_per_minute: int = Field(default=20, ge=1)
    newsbot_feeds_allow_private: bool = False
    #: The operator's time zone (IANA name): every date and time is shown in it.
    tz: str = DEFAULT_TZ
    #: Days of news to keep; older articles are pruned daily. Unset: keep everything.
    retention_days: int | None = Field(default=None, ge=1)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """`TZ=Asia/Shanghai`: an IANA zone name (a POSIX rule like `CST-8` is refused)."""
        if not value.strip():
            return DEFAULT_TZ
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as {DEFAULT_TZ}"
            ) from None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """`ADMIN_IDS=123,456` (commas or spaces)."""
        if isinstance(value, str):
            ids = value.replace(",", " ").split()
            if not all(v.isdigit() for v in ids):
                raise ValueError("not numeric user ids")
            return frozenset(int(v) for v in ids)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("telegram_base_url", "telegram_base_file_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str) -> str:
        return _http_url(value) if value.strip() else ""

    @field_validator("webhook_secret")
    @classmethod
    def _check_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram accepts 1-256 characters of A-Z a-z 0-9 _ - (empty means: none); fewer
        than 8 are refused, being guessable and too short to redact from logs safely."""
        if value is None or not value.get_secret_value():
            return None
        secret = value.get_secret_value()
        allowed = all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
        if not 8 <= len(secret) <= 256 or not allowed:
            raise ValueError("not a valid secret token")
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        token = value.get_secret_value().strip()
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret or any(c.isspace() for c in secret):
            raise ValueError("not a bot token")
        return SecretStr(token)

    @field_validator("newsbot_data_dirs", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        """`NEWSBOT_DATA_DIRS=seeds:/srv/papers` (colon- or comma-separated)."""
        if isinstance(value, str):
            return tuple(Path(v) for v in value.replace(",", ":").split(":") if v.strip())
        return value

    def bot_token(self) -> str:
        """The Telegram bot token; ValueError when TELEGRAM_BOT_TOKEN is not set."""
        secret = self.telegram_bot_token
        token = secret.get_secret_value() if secret is not None else ""
        if not token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        return token

    def zone(self) -> ZoneInfo:
        """The operator's time zone (TZ)."""
        return ZoneInfo(self.tz)

    def existing_data_dirs(self) -> list[Path]:
        """The configured data folders that exist (a missing one is skipped, not an error)."""
        return [p for p in self.newsbot_data_dirs if p.exists()]


def load_settings(**overrides: object) -> Settings:
    """The settings from the environment and `.env`, every one validated.

    Raises SettingsError with one line per bad variable: its name, what it should look like,
    and (except for secrets) the value given.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    """pydantic's report as one line per bad variable."""
    lines: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field in lines:
            continue
        expected = EXPECTED.get(field, str(error["msg"]))
        secret = "token" in field or "secret" in field
        given = "" if secret else f", got {str(error.get('input', ''))[:60]!r}"
        lines[field] = f"{field.upper()}: expected {expected}{given}"
    return "\n".join(lines.values())


async def open_news_service(settings: Settings, *, repair: bool = True) -> NewsService:
    """The service the settings describe: its database (never loaded implicitly: the data
    folders are read by `reindex` only), fetching feeds under the configured policy.

    `repair=False` opens without rebuilding an index that is out of step (for `doctor`).
    """
    policy = FetchPolicy(allow_private=settings.newsbot_feeds_allow_private)
    service = await NewsService.open(settings.newsbot_db, feed_policy=policy, repair=repair)
    zone = settings.zone()
    # 「今天」「昨天」 in questions are the operator's days, like every date the bot shows.
    service.today = lambda: dt.datetime.now(zone).date()
    return service

"""Settings from the environment and `.env` (documented in `.env.example`).

The only module of newsbot that reads the environment: the engine gets what it needs as
arguments (`open_news_service` turns settings into a `NewsService`), so tests and both front
ends (the bot and the CLI) configure it the same way. `load_settings` validates every
variable at start and reports each bad one on a line naming the form it expects
(`SettingsError`), never a traceback.

Why not pydantic-settings (which this module used until a later round): every `newsbot`
command reads the settings first, and importing pydantic, then tearing it down at exit, cost
a fresh process about a quarter of a second of its one-second budget for a first answer
(README, "Speed"). Fifteen variables, each a string with one small parser below, do not need
a validation framework; the `.env` file is read by python-dotenv, as pydantic-settings did.
The rules are the same: names are matched without regard to case, the environment wins over
`.env`, unknown names are ignored, and an override passed in code is validated like a
variable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

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
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

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


class Secret:
    """A token or password: shown as asterisks by `repr` and `str`, so printing the settings
    or logging them never reveals it; `get_secret_value` is the one way to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """The secret itself."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return "**********" if self._value else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    """Everything an operator can configure. Field names map to upper-case variables.

    Build it with `Settings.read` (or `load_settings`), which reads and validates the
    variables; the constructor takes values as they are.
    """

    telegram_bot_token: Secret | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: frozenset[int] = frozenset()
    newsbot_db: Path = DEFAULT_DB
    newsbot_data_dirs: tuple[Path, ...] = ()
    log_level: str = "INFO"
    webhook_url: str = ""
    webhook_secret: Secret | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    rate_limit_per_minute: int = 20
    newsbot_feeds_allow_private: bool = False
    #: The operator's time zone (IANA name): every date and time is shown in it.
    tz: str = DEFAULT_TZ
    #: Days of news to keep; older articles are pruned daily. None: keep everything.
    retention_days: int | None = None

    @classmethod
    def read(
        cls,
        env_file: str | Path | None = ".env",
        environ: Mapping[str, str] | None = None,
        **overrides: object,
    ) -> Settings:
        """The settings of `environ` (default: this process's environment) over those of
        `env_file` (None: no file), with `overrides` (field names, values of any form the
        variable accepts) over both. Raises SettingsError naming every bad variable."""
        given: dict[str, object] = {}
        if env_file is not None and Path(env_file).is_file():
            given.update(_known(dotenv_values(env_file)))
        given.update(_known(os.environ if environ is None else environ))
        unknown = set(overrides) - _PARSERS.keys()
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        given.update(overrides)
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name, parse in _PARSERS.items():  # in declaration order, as the lines are shown
            if name not in given:
                continue
            raw = given[name]
            try:
                values[name] = parse(raw)
            except (ValueError, TypeError):
                shown = _normalized(name, raw)
                secret = "token" in name or "secret" in name
                got = "" if secret else f", got {shown[:60]!r}"
                problems.append(f"{name.upper()}: expected {EXPECTED[name]}{got}")
        if problems:
            raise SettingsError("\n".join(problems))
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (validated as in `read`)."""
        checked = {name: _PARSERS[name](value) for name, value in changes.items()}
        return dataclasses.replace(self, **checked)

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
    return Settings.read(**overrides)  # type: ignore[arg-type]


def _known(variables: Mapping[str, str | None]) -> dict[str, object]:
    """The variables that name a setting, by field name (any case); unset ones left out."""
    return {
        key.lower(): value for key, value in variables.items()
        if value is not None and key.lower() in _PARSERS
    }


def _normalized(name: str, raw: object) -> str:
    """A bad value as the error line shows it (a log level upper-cased, as it is checked)."""
    text = raw if isinstance(raw, str) else str(raw)
    return text.strip().upper() if name == "log_level" else text


# Each parser takes a variable's string (or an override's value) and returns the field's
# value, raising ValueError when it is not of the form EXPECTED describes.


def _text(raw: object) -> str:
    if not isinstance(raw, str):
        raise TypeError("not text")
    return raw


def _http_url(raw: object) -> str:
    value = _text(raw)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("not an http(s) URL")
    return value


def _optional_http_url(raw: object) -> str:
    return _http_url(raw) if _text(raw).strip() else ""


def _whole_number(low: int, high: int | None = None) -> Callable[[object], int]:
    def parse(raw: object) -> int:
        if isinstance(raw, bool):
            raise TypeError("not a number")
        value = raw if isinstance(raw, int) else int(_text(raw).strip())
        if value < low or (high is not None and value > high):
            raise ValueError("out of range")
        return value

    return parse


def _retention_days(raw: object) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return _whole_number(1)(raw)


def _flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    value = _text(raw).strip().lower()
    if value in ("1", "true", "yes", "on", "t", "y"):
        return True
    if value in ("0", "false", "no", "off", "f", "n", ""):
        return False
    raise ValueError("not a flag")


def _secret(raw: object) -> str | None:
    """The secret's text, stripped; None when absent or empty."""
    if raw is None:
        return None
    value = raw.get_secret_value() if isinstance(raw, Secret) else _text(raw)
    return value.strip() or None


def _token(raw: object) -> Secret | None:
    token = _secret(raw)
    if token is None:
        return None
    bot_id, _, rest = token.partition(":")
    if not bot_id.isdigit() or not rest or any(c.isspace() for c in rest):
        raise ValueError("not a bot token")
    return Secret(token)


def _webhook_secret(raw: object) -> Secret | None:
    """Telegram accepts 1-256 characters of A-Z a-z 0-9 _ - (empty means: none); fewer
    than 8 are refused, being guessable and too short to redact from logs safely."""
    secret = _secret(raw)
    if secret is None:
        return None
    allowed = all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
    if not 8 <= len(secret) <= 256 or not allowed:
        raise ValueError("not a valid secret token")
    return Secret(secret)


def _admin_ids(raw: object) -> frozenset[int]:
    """`ADMIN_IDS=123,456` (commas or spaces)."""
    if isinstance(raw, str):
        ids = raw.replace(",", " ").split()
        if not all(v.isdigit() for v in ids):
            raise ValueError("not numeric user ids")
        return frozenset(int(v) for v in ids)
    if isinstance(raw, Iterable):
        return frozenset(_whole_number(0)(v) for v in raw)
    raise TypeError("not user ids")


def _path(raw: object) -> Path:
    if isinstance(raw, Path):
        return raw
    if not _text(raw).strip():
        raise ValueError("empty path")
    return Path(_text(raw).strip())


def _db_path(raw: object) -> Path:
    """`NEWSBOT_DB=` left empty (as a copied `.env.example` may be) means the default."""
    return DEFAULT_DB if isinstance(raw, str) and not raw.strip() else _path(raw)


def _paths(raw: object) -> tuple[Path, ...]:
    """`NEWSBOT_DATA_DIRS=seeds:/srv/papers` (colon- or comma-separated)."""
    if isinstance(raw, str):
        return tuple(Path(v.strip()) for v in raw.replace(",", ":").split(":") if v.strip())
    if isinstance(raw, Iterable):
        return tuple(_path(v) for v in raw)
    raise TypeError("not paths")


def _log_level(raw: object) -> str:
    level = _text(raw).strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError("not a log level")
    return level


def _zone(raw: object) -> str:
    """`TZ=Asia/Shanghai`: an IANA zone name (a POSIX rule like `CST-8` is refused)."""
    value = _text(raw).strip()
    if not value:
        return DEFAULT_TZ
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None
    return value


#: Each field's parser, in the order the fields are declared (and errors listed).
_PARSERS: dict[str, Callable[[object], Any]] = {
    "telegram_bot_token": _token,
    "telegram_base_url": _http_url,
    "telegram_base_file_url": _http_url,
    "admin_ids": _admin_ids,
    "newsbot_db": _db_path,
    "newsbot_data_dirs": _paths,
    "log_level": _log_level,
    "webhook_url": _optional_http_url,
    "webhook_secret": _webhook_secret,
    "webhook_listen": _text,
    "webhook_port": _whole_number(1, 65535),
    "rate_limit_per_minute": _whole_number(1),
    "newsbot_feeds_allow_private": _flag,
    "tz": _zone,
    "retention_days": _retention_days,
}


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

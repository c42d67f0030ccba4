"""Settings from the environment and `.env` (documented in `.env.example`).

The only module of newsbot that reads the environment: the engine gets what it needs as
arguments (`open_news_service` turns settings into a `NewsService`), so tests and both front
ends (the bot and the CLI) configure it the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from retrieval import FetchPolicy, NewsService

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = Path("data/newsbot.db")
#: The demo newspaper page: loaded only on request (`newsbot demo`, `make run`).
SEED_DIR = PROJECT_ROOT / "seeds"
DEFAULT_TZ = "Asia/Shanghai"


class Settings(BaseSettings):
    """Everything an operator can configure. Field names map to upper-case variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    newsbot_db: Path = DEFAULT_DB
    newsbot_data_dirs: Annotated[tuple[Path, ...], NoDecode] = ()
    log_level: str = "INFO"
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
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
            return frozenset(int(v) for v in value.replace(",", " ").split())
        return value

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


async def open_news_service(settings: Settings) -> NewsService:
    """The service the settings describe: its database (never loaded implicitly: the data
    folders are read by `reindex` only), fetching feeds under the configured policy."""
    policy = FetchPolicy(allow_private=settings.newsbot_feeds_allow_private)
    return await NewsService.open(settings.newsbot_db, feed_policy=policy)

"""Settings from the environment, and opening the service they describe."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bot.config import Settings, open_news_service
from tests.conftest import SEEDS


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_lists_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "123, 456 789")
    monkeypatch.setenv("NEWSBOT_DATA_DIRS", "seeds:/srv/papers,/srv/more")
    monkeypatch.setenv("NEWSBOT_FEEDS_ALLOW_PRIVATE", "1")
    read = settings()
    assert read.admin_ids == frozenset({123, 456, 789})
    assert read.newsbot_data_dirs == (Path("seeds"), Path("/srv/papers"), Path("/srv/more"))
    assert read.newsbot_feeds_allow_private is True


def test_a_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "0")
    with pytest.raises(ValidationError, match="rate_limit_per_minute"):
        settings()


def test_the_token_is_required_only_when_asked_for() -> None:
    assert settings(telegram_bot_token=SecretStr("1:abc")).bot_token() == "1:abc"
    for missing in (None, SecretStr("")):
        with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN is not set"):
            settings(telegram_bot_token=missing).bot_token()


def test_missing_data_folders_are_skipped(tmp_path: Path) -> None:
    read = settings(newsbot_data_dirs=(tmp_path / "gone", SEEDS))
    assert read.existing_data_dirs() == [SEEDS]


async def test_open_news_service_never_loads_the_data_folders_and_applies_the_feed_policy(
    tmp_path: Path,
) -> None:
    read = settings(
        newsbot_db=tmp_path / "sub" / "news.db",
        newsbot_data_dirs=(SEEDS, tmp_path / "gone"),
        newsbot_feeds_allow_private=True,
    )
    service = await open_news_service(read)
    try:
        assert (await service.stats()).articles == 0  # the folders are for /reindex only
        assert service.feed_policy.allow_private is True
    finally:
        await service.close()
    assert settings().newsbot_data_dirs == ()  # the demo page is not a default data folder
    empty = await open_news_service(settings(newsbot_db=tmp_path / "empty.db"))
    try:
        assert empty.feed_policy.allow_private is False
    finally:
        await empty.close()


def test_time_zone_and_retention_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings().tz == "Asia/Shanghai" and settings().retention_days is None
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setenv("RETENTION_DAYS", "30")
    read = settings()
    assert read.zone().key == "Europe/Berlin" and read.retention_days == 30
    monkeypatch.setenv("TZ", "Mars/Olympus")
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        settings()
    monkeypatch.setenv("TZ", "")
    monkeypatch.setenv("RETENTION_DAYS", "0")
    with pytest.raises(ValidationError, match="retention_days"):
        settings()

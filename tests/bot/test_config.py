"""Settings from the environment, and opening the service they describe."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Secret, Settings, SettingsError, open_news_service
from tests.conftest import SEEDS


def settings(**values: object) -> Settings:
    return Settings.read(env_file=None, **values)


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
    with pytest.raises(SettingsError, match="RATE_LIMIT_PER_MINUTE: expected a whole number"):
        settings()


def test_the_token_is_required_only_when_asked_for() -> None:
    assert settings(telegram_bot_token=Secret("1:abc")).bot_token() == "1:abc"
    for missing in (None, Secret("")):
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


def test_every_bad_variable_is_one_line_naming_it_and_the_expected_form(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot.config import SettingsError, load_settings

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("ADMIN_IDS", "@name")
    monkeypatch.setenv("WEBHOOK_PORT", "http")
    monkeypatch.setenv("WEBHOOK_SECRET", "short")
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(SettingsError) as bad:
        load_settings()
    assert str(bad.value).splitlines() == [
        "ADMIN_IDS: expected numeric Telegram user ids separated by commas, e.g. 12345,67890, "
        "got '@name'",
        "LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, got 'LOUD'",
        "WEBHOOK_SECRET: expected 8-256 characters A-Z a-z 0-9 _ -",
        "WEBHOOK_PORT: expected a port number 1-65535, got 'http'",
    ]
    assert "short" not in str(bad.value)


def test_cli_reports_a_bad_setting_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from bot.cli.commands import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADMIN_IDS", "@name")
    result = CliRunner().invoke(app, ["stats", "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: ADMIN_IDS: expected numeric Telegram user ids separated by commas, "
        "e.g. 12345,67890, got '@name'\n"
    )


def test_time_zone_and_retention_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings().tz == "Asia/Shanghai" and settings().retention_days is None
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setenv("RETENTION_DAYS", "30")
    read = settings()
    assert read.zone().key == "Europe/Berlin" and read.retention_days == 30
    monkeypatch.setenv("TZ", "Mars/Olympus")
    with pytest.raises(SettingsError, match=r"TZ: expected an IANA time zone .* 'Mars/Olympus'"):
        settings()
    monkeypatch.setenv("TZ", "")
    monkeypatch.setenv("RETENTION_DAYS", "0")
    with pytest.raises(SettingsError, match="RETENTION_DAYS"):
        settings()


async def test_questions_about_days_use_the_operators_time_zone(tmp_path: Path) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC−11
        service = await open_news_service(settings(newsbot_db=tmp_path / "z.db", tz=zone))
        try:
            assert service.today() == dt.datetime.now(ZoneInfo(zone)).date()
        finally:
            await service.close()


def test_env_file_is_read_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# a comment\nRATE_LIMIT_PER_MINUTE=7\nlog_level=debug\nNEWSBOT_DB=\n"
        "SOMETHING_ELSE=ignored\nWEBHOOK_PORT=9000\n",
        "utf-8",
    )
    monkeypatch.setenv("WEBHOOK_PORT", "8500")
    read = Settings.read(env_file=env)
    assert read.rate_limit_per_minute == 7
    assert read.log_level == "DEBUG"  # names and levels in any case
    assert read.newsbot_db == Path("data/newsbot.db")  # left empty: the default
    assert read.webhook_port == 8500  # the environment over .env
    assert Settings.read(env_file=tmp_path / "missing.env").rate_limit_per_minute == 20


def test_secrets_never_show_in_reprs_or_errors() -> None:
    token = "123456:ABCdefGHIjklMNOpqr"
    read = Settings.read(
        env_file=None, environ={"TELEGRAM_BOT_TOKEN": token, "WEBHOOK_SECRET": "hook-Secret-01"}
    )
    assert read.bot_token() == token
    assert token not in repr(read) and "hook-Secret" not in repr(read)
    assert str(read.telegram_bot_token) == "**********"
    with pytest.raises(SettingsError) as bad:
        Settings.read(env_file=None, environ={"TELEGRAM_BOT_TOKEN": "no colon here"})
    assert str(bad.value) == (
        "TELEGRAM_BOT_TOKEN: expected the token from @BotFather (digits:letters)"
    )


def test_a_changed_copy_is_validated_too() -> None:
    read = settings()
    assert read.replace(newsbot_db=Path("x.db")).newsbot_db == Path("x.db")
    assert read.newsbot_db == Path("data/newsbot.db")
    with pytest.raises(ValueError):
        read.replace(webhook_port=0)
    with pytest.raises(TypeError, match="unknown settings: colour"):
        Settings.read(env_file=None, colour="blue")

"""Logging setup, and the bot token kept out of every log line."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.logs import RedactToken, configure_logging, redact


def test_redact_removes_plain_encoded_and_secret_forms_of_the_token() -> None:
    token = "123456:ABCdefGHIjklMNOpqr"
    text = f"a {token} b 123456%3AABCdefGHIjklMNOpqr c ABCdefGHIjklMNOpqr"
    assert redact(text, token) == "a <token> b <token> c <token>"
    assert redact("nothing", "") == "nothing"


def test_log_filter_redacts_messages_arguments_and_tracebacks() -> None:
    token = "123456:ABCdefGHIjklMNOpqr"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactToken(token))
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("url %s", f"https://api/bot{token}/getMe")
        try:
            raise RuntimeError(f"failed https://api/file/bot{token}/doc.txt")
        except RuntimeError:
            log.exception("download failed")
            exc_info = sys.exc_info()
        log.error("again", exc_info=exc_info)
    finally:
        log.removeHandler(handler)
    output = stream.getvalue()
    assert "ABCdefGHI" not in output
    assert output.count("<token>") == 3 and "RuntimeError: failed" in output


def test_configure_logging_sets_the_level_and_redacts_on_the_root_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])  # as in a fresh process: basicConfig adds one
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(logging.getLogger("httpx"), "level", logging.NOTSET)
    token = "123456:ABCdefGHIjklMNOpqr"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, telegram_bot_token=SecretStr(token), log_level="debug"
    )
    configure_logging(settings)
    (handler,) = root.handlers
    assert root.level == logging.DEBUG
    assert logging.getLogger("httpx").level == logging.WARNING
    record = logging.LogRecord(
        "httpx", logging.INFO, "", 0, "GET %s", (f"https://x/bot{token}",), None
    )
    assert handler.filter(record)
    assert handler.format(record).endswith("GET https://x/bot<token>")

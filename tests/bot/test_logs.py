"""Logging setup, and the bot token kept out of every log line."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from bot.config import Secret, Settings
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
    settings = Settings.read(
        env_file=None, telegram_bot_token=Secret(token), log_level="debug"
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


def test_no_secret_at_debug_from_any_logger_and_network_errors_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from telegram.error import NetworkError

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    for name in ("httpx", "telegram.ext", "telegram.Bot"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    token, secret = "123456:ABCdefGHIjklMNOpqr", "hook-Secret-0123456789"
    settings = Settings.read(
        env_file=None, telegram_bot_token=Secret(token), webhook_secret=Secret(secret),
        log_level="DEBUG",
    )
    configure_logging(settings)
    (handler,) = root.handlers
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    logging.getLogger("telegram.Bot").debug("Calling setWebhook with {'secret_token': %r}", secret)
    logging.getLogger("httpx").warning("POST https://x/bot%s/setWebhook", token)
    try:
        raise NetworkError(f"httpx.ConnectError: https://x/bot{token}/getUpdates failed")
    except NetworkError:
        logging.getLogger("telegram.ext").exception("polling failed")
    output = stream.getvalue()
    assert secret not in output and "Secret-0123456789" not in output
    assert "ABCdefGHI" not in output
    assert "<webhook-secret>" in output and "<token>" in output
    lines = output.splitlines()
    assert lines[-1].endswith(
        "polling failed (NetworkError: httpx.ConnectError: https://x/bot<token>/getUpdates failed)"
    )
    assert "Traceback" not in output

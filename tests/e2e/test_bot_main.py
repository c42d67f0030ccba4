"""`newsbot run` as a real process: polling or webhook, clean SIGTERM shutdown, no token in logs."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import open_seeded

from .conftest import ADMIN_ID, ROOT, SEEDS, USER_ID
from .fake_bot_api import FakeBotApi, parse_html

LOAN_QUESTION = "乐山农商银行向哪家公司发放了贷款？"
LOAN_ANSWER = "乐山农商银行成功向乐山市亚庆农牧科技有限责任公司"


def bot_env(api: FakeBotApi, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.base_url,
        TELEGRAM_BASE_FILE_URL=api.base_file_url,
        ADMIN_IDS=str(ADMIN_ID),
        NEWSBOT_DB=str(tmp_path / "data" / "bot.db"),
        NEWSBOT_DATA_DIRS=str(SEEDS),
        LOG_LEVEL="DEBUG",  # the most verbose logs must still not contain the token
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def start_bot(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    """`newsbot run` in `cwd` (no .env there), logging to cwd/bot.log."""
    with (cwd / "bot.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-c", "from bot.cli.commands import main; main()", "run"],
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_bot(process: subprocess.Popen[bytes], cwd: Path) -> tuple[int, str]:
    """SIGTERM, then the exit code and everything logged."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        log = (cwd / "bot.log").read_text("utf-8", "replace")
        pytest.fail(f"the bot did not stop on SIGTERM:\n{log[-3000:]}")
    return process.returncode, (cwd / "bot.log").read_text("utf-8", "replace")


async def load_seeds(tmp_path: Path) -> None:
    """The operator's explicit load of the demo page (the bot never loads it by itself)."""
    service = await open_seeded(tmp_path / "data" / "bot.db")
    await service.close()


async def test_polling_bot_answers_and_stops_cleanly_on_sigterm(
    api: FakeBotApi, tmp_path: Path
) -> None:
    await load_seeds(tmp_path)
    process = start_bot(bot_env(api, tmp_path), tmp_path)
    try:
        await api.wait_for("setMyCommands", timeout=30)  # post_init opened the service
        api.send_message(LOAN_QUESTION)
        reply = await api.wait_for("sendMessage", timeout=15)
    finally:
        code, log = stop_bot(process, tmp_path)
    assert LOAN_ANSWER in parse_html(reply["text"])[0]
    assert code == 0, log[-3000:]
    assert "news service open: 5 articles" in log and "news service closed" in log
    assert api.token not in log and api.token.split(":")[1] not in log
    assert (tmp_path / "data" / "bot.db").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def post_update(url: str, update: dict[str, object], secret: str | None) -> int:
    request = urllib.request.Request(
        url, json.dumps(update).encode(), {"Content-Type": "application/json"}
    )
    if secret is not None:
        request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def get_status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


async def test_webhook_mode_when_webhook_url_is_set(api: FakeBotApi, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    env = bot_env(
        api,
        tmp_path,
        WEBHOOK_URL=url,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET="s3cret-hook",
    )
    await load_seeds(tmp_path)
    process = start_bot(env, tmp_path)
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": USER_ID, "type": "private"},
            "from": {"id": USER_ID, "is_bot": False, "first_name": "U"},
            "text": LOAN_QUESTION,
        },
    }
    try:
        webhook = await api.wait_for("setWebhook", timeout=30)
        assert webhook["url"] == url and webhook["secret_token"] == "s3cret-hook"
        await asyncio.sleep(0.5)  # the web server starts right after setWebhook
        health = f"http://127.0.0.1:{port}/healthz"
        assert await asyncio.to_thread(get_status, health) == (200, "ok\n")
        assert await asyncio.to_thread(post_update, url, update, "wrong") == 403
        assert await asyncio.to_thread(post_update, url, update, "s3cret-hook") == 200
        reply = await api.wait_for("sendMessage", timeout=15)
        assert await asyncio.to_thread(post_update, url, {"update_id": "x"}, "s3cret-hook") == 400
    finally:
        code, log = stop_bot(process, tmp_path)
    assert LOAN_ANSWER in parse_html(reply["text"])[0]
    assert code == 0, log[-3000:]
    assert api.token not in log
    assert "s3cret-hook" not in log and "<webhook-secret>" in log  # logged at DEBUG, redacted


async def test_no_network_at_start_is_one_line_and_exit_1(
    api: FakeBotApi, tmp_path: Path
) -> None:
    env = bot_env(api, tmp_path, LOG_LEVEL="WARNING")
    api.stop()
    process = start_bot(env, tmp_path)
    code = await asyncio.to_thread(process.wait, 60)
    log = (tmp_path / "bot.log").read_text("utf-8", "replace")
    assert code == 1, log[-3000:]
    (line,) = log.splitlines()
    assert "ERROR bot.app: cannot reach the Telegram Bot API at 127.0.0.1:" in line
    assert "check the network and TELEGRAM_BASE_URL" in line


async def test_rejected_token_exits_with_an_error_that_does_not_show_it(
    api: FakeBotApi, tmp_path: Path
) -> None:
    wrong = "999999:WRONG-secret-token-value"
    process = start_bot(bot_env(api, tmp_path, TELEGRAM_BOT_TOKEN=wrong), tmp_path)
    code = await asyncio.to_thread(process.wait, 30)
    log = (tmp_path / "bot.log").read_text("utf-8", "replace")
    assert code == 1, log[-3000:]
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in log
    assert "WRONG-secret" not in log
    assert "The token `<token>` was rejected" in log  # PTB's own log record, redacted
    assert log.rstrip().endswith("check the token with @BotFather")  # no uncaught traceback

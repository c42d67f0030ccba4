"""`newsbot doctor`: one line per problem (database, index, feeds, token), exit code 1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.commands import app
from retrieval import NewsService
from tests.e2e.fake_bot_api import FakeBotApi

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    path = tmp_path / "news.db"
    assert invoke("demo", "--db", str(path))[0] == 0
    return path


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


def test_a_healthy_database(db: Path) -> None:
    code, out, _ = invoke("doctor", "--db", str(db))
    assert code == 0 and out.startswith("ok: 5 articles, ") and "0 feeds" in out


def test_an_index_out_of_step_and_unsearchable_articles(db: Path) -> None:
    async def drop_from_index() -> None:
        service = await NewsService.open(db)
        try:
            async with service.store.transaction() as tx:  # the index alone loses an article
                lost = await tx.passage_ids_of(["000_844d4cf99fbf511c-2"])
                await tx.segments.add_tombstones(lost)
                await tx.segments.bump_generation()
        finally:
            await service.close()

    asyncio.run(drop_from_index())
    code, out, _ = invoke("doctor", "--db", str(db))
    lines = out.splitlines()
    assert code == 1 and all(line.startswith("problem: ") for line in lines)
    assert "index out of step with the articles" in lines[0] and "newsbot reindex" in lines[0]
    assert lines[1] == "problem: article 000_844d4cf99fbf511c-2 cannot be found by any search"
    assert invoke("reindex", "--db", str(db))[0] == 0
    assert invoke("doctor", "--db", str(db))[0] == 0  # the advice works


def test_failing_feeds_are_problems(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_FEEDS_ALLOW_PRIVATE", "1")
    url = "http://127.0.0.1:9/gone.xml"  # the discard port: nothing listens
    assert invoke("feeds", "add", url, "--db", str(db))[0] == 0
    assert invoke("feeds", "poll", "--db", str(db))[0] == 1
    code, out, _ = invoke("doctor", "--db", str(db))
    assert code == 1 and out.startswith(f"problem: feed 1 ({url}) failed its last 1 polls: ")


def test_an_unusable_database_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    code, _, err = invoke("doctor", "--db", str(bad))
    assert code == 1 and "not a usable newsbot database" in err and "Traceback" not in err


def test_the_token_is_checked_with_get_me(
    db: Path, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BASE_URL", api.base_url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", api.token)
    code, out, _ = invoke("doctor", "--db", str(db))
    assert code == 0 and out.strip().endswith(f"token valid (@{api.bot_username})")
    wrong = "999999:WRONG-secret"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", wrong)
    code, out, _ = invoke("doctor", "--db", str(db))
    assert code == 1 and out.strip() == (
        "problem: Telegram rejected TELEGRAM_BOT_TOKEN (getMe); check it with @BotFather"
    )
    assert "WRONG" not in out

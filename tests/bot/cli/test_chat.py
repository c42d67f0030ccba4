"""`newsbot chat`: the bot's inputs in a terminal, with the bot's command names."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot import texts
from bot.cli import chat
from bot.cli.commands import app
from retrieval import NewsService, QueryError
from tests.conftest import SEED_PAGE

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with the demo page loaded (`newsbot demo`); no .env is read."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "news.db"
    assert runner.invoke(app, ["demo", "--db", str(path)]).exit_code == 0
    return path


def test_chat_on_an_empty_database_says_how_to_load_news(tmp_path: Path) -> None:
    result = runner.invoke(app, ["chat", "--db", str(tmp_path / "e.db")], input="/quit\n")
    assert result.exit_code == 0
    assert "0 articles loaded" in result.stdout and "newsbot demo" in result.stdout


def test_chat_takes_the_bots_inputs(db: Path) -> None:
    script = "柏林村的荷塘有多少亩？\n/search 钜能\n/article nope\n/summary\n/bogus\n/quit\n"
    result = runner.invoke(app, ["chat", "--db", str(db)], input=script)
    assert result.exit_code == 0
    assert "300亩" in result.stdout
    assert "钜能" in result.stdout
    assert "no article with id 'nope'" in result.stdout
    assert "unknown command /bogus" in result.stdout


def test_chat_commands_are_the_bots_commands() -> None:
    bot_commands = {name for name, _ in texts.ADMIN_COMMANDS}
    assert {c.name for c in chat.COMMANDS} <= bot_commands
    assert set(chat.HELP_COMMANDS) <= bot_commands | {"start"}
    help_text = chat.help_text()
    assert all(c.usage in help_text for c in chat.COMMANDS) and "/quit" in help_text


async def test_each_input_gets_the_reply_the_command_table_names(service: NewsService) -> None:
    page = SEED_PAGE.stem
    assert await chat.respond(service, "/quit") is None
    assert await chat.respond(service, "/help") == chat.help_text()
    article = await chat.respond(service, f"/article {page}-5")
    assert article is not None and "## 项目拉练：互学互鉴奋进赶超" in article
    answer = await chat.respond(service, "乐山农商银行向哪家公司发放了贷款？")
    assert answer is not None and answer.startswith("答案：") and "亚庆农牧" in answer
    assert await chat.respond(service, "/search ！？") == (
        "cannot search: " + str(await _query_error(service, "！？"))
    )
    unknown = await chat.respond(service, "/feeds")
    assert unknown is not None and unknown.startswith("unknown command /feeds.")


async def _query_error(service: NewsService, text: str) -> QueryError:
    try:
        await service.search(text, 5)
    except QueryError as exc:  # the service's own wording of the problem
        return exc
    raise AssertionError(f"{text!r} was searchable")

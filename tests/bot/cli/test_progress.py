"""Progress bars: one per long step on a terminal, nothing when the output is piped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import progress
from bot.cli.commands import app
from bot.cli.progress import Bars
from retrieval import NewsService
from tests.conftest import SEEDS


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


async def test_every_long_step_gets_a_bar_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0)
    screen = Terminal()
    bars = Bars(screen, enabled=True)
    service = await NewsService.open(tmp_path / "n.db")
    try:
        await service.ingest([SEEDS], bars)
        bars.close()
        ingest_shown = screen.getvalue()
        screen.truncate(0)
        bars = Bars(screen, enabled=True)
        await service.reindex(progress=bars, retokenize=True)
        bars.close()
        retokenized = screen.getvalue()
        screen.truncate(0)
        bars = Bars(screen, enabled=True)
        await service.reindex(progress=bars)
        bars.close()
    finally:
        await service.close()
    for label in ("reading", "tokenizing", "indexing", "saving"):
        assert f"{label}:" in ingest_shown, ingest_shown
    assert "tokenizing:" in retokenized and "saving:" in retokenized
    assert "merging:" in screen.getvalue()  # a rebuild from stored postings merges segments


def test_bars_are_off_unless_both_outputs_are_terminals() -> None:
    assert not Bars(io.StringIO()).enabled  # stderr piped
    assert not Bars(Terminal()).enabled  # stdout is pytest's capture, not a terminal
    piped = io.StringIO()
    Bars(piped, enabled=False)("read", 1, 10)
    assert piped.getvalue() == ""


def test_piped_ingest_prints_only_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    result = CliRunner().invoke(app, ["ingest", str(SEEDS), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("5 added")
    assert "\r" not in result.stdout

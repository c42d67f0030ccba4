"""The `newsbot` script's entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
_PROBE = """
import gc, sys
import bot.cli.commands as commands
seen = {}
commands.main = lambda: seen.update(enabled=gc.isenabled(), frozen=gc.get_freeze_count())
from bot.cli.entry import main
main()
print(seen["enabled"], seen["frozen"] > 10000)
"""


def test_the_command_line_runs_with_its_imports_frozen_out_of_the_collector() -> None:
    # A fresh interpreter: the test process has long since imported everything.
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split() == ["True", "True"]


def test_the_installed_script_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from bot.cli.entry import main; main()", "--help"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert done.returncode == 0
    assert "search" in done.stdout and "ask" in done.stdout

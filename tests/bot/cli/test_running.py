"""Ctrl-C and SIGTERM: one line saying what the database holds, never "nothing changed" after
a commit; no worker process outlives an ingest that was killed or stopped (#12 points 5-6)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer

from bot.cli import running
from retrieval import NewsService

NEWSBOT = str(Path(sys.executable).parent / "newsbot")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return tmp_path / "news.db"


def _articles(path: Path, count: int, chars: int = 60, prefix: str = "a") -> Path:
    rng = random.Random(count)
    pool = "乐山农商银行向公司发放贷款项目建设推进会议召开城市经济发展新闻记者报道今天明天"
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            text = "".join(rng.choice(pool) for _ in range(chars)) + "。"
            handle.write(json.dumps({"id": f"{prefix}{n}", "text": text}, ensure_ascii=False))
            handle.write("\n")
    return path


@pytest.mark.parametrize(("sig", "name", "code"), [(signal.SIGINT, "Ctrl-C", 130),
                                                    (signal.SIGTERM, "SIGTERM", 143)])
def test_interrupt_after_the_commit_says_what_the_database_holds(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], sig: int, name: str, code: int
) -> None:
    path = _articles(tmp_path / "n.jsonl", 3)

    async def ingest_then_get_interrupted(service: NewsService) -> None:
        await service.ingest([path])
        os.kill(os.getpid(), sig)
        await asyncio.sleep(30)

    with pytest.raises(typer.Exit) as stopped:
        running.with_service(db, ingest_then_get_interrupted)
    assert stopped.value.exit_code == code
    assert capsys.readouterr().err == (
        f"error: interrupted by {name}; {db} holds 3 articles (3 added by this command); "
        "everything committed is kept\n"
    )


def _children(pid: int) -> set[int]:
    """Every live descendant of `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _ingest_until_workers_run(tmp_path: Path) -> tuple[subprocess.Popen[str], set[int], Path]:
    data = _articles(tmp_path / "big.jsonl", 30_000, chars=300)
    db = tmp_path / "big.db"
    proc = subprocess.Popen(
        [NEWSBOT, "ingest", str(data), "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while len(_children(proc.pid)) < 3:  # the fork server and two workers
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the ingest never started worker processes"
        time.sleep(0.1)
    time.sleep(0.5)
    return proc, _children(proc.pid), db


def _wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _alive(pids)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_leaves_no_worker_alive(tmp_path: Path) -> None:
    proc, workers, _ = _ingest_until_workers_run(tmp_path)
    proc.kill()
    proc.wait()
    assert _wait_gone(workers, 5) == set()


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_workers_and_prints_one_line(tmp_path: Path) -> None:
    proc, workers, db = _ingest_until_workers_run(tmp_path)
    started = time.monotonic()
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 20  # promptly, even on a loaded machine
    assert proc.returncode == 143
    assert err.count("\n") == 1 and err.startswith("error: interrupted by SIGTERM; "), err
    assert f"{db} holds " in err and "everything committed is kept" in err
    assert _wait_gone(workers, 5) == set()

"""The query log: counts and latency percentiles since a moment, never the question text."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from retrieval.store import Store, deferred


async def test_stats_count_found_and_latency_since_a_moment(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    try:
        assert (await store.query_log.stats("2000-01-01")).count == 0
        for ms, found in ((30.0, True), (10.0, False), (20.0, True)):
            await store.query_log.log("ask", ms, found)
        stats = await store.query_log.stats("2000-01-01")
        assert (stats.count, stats.found, stats.p50_ms, stats.p95_ms) == (3, 2, 20.0, 30.0)
        assert (await store.query_log.stats("2999-01-01")).count == 0
    finally:
        await store.close()


def _rows_on_disk(path: Path) -> int:
    """query_log rows another connection (another process) sees."""
    with sqlite3.connect(path) as other:
        return int(other.execute("SELECT count(*) FROM query_log").fetchone()[0])


async def test_logged_rows_are_written_together_a_moment_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logging commits nothing at once (a commit per question would slow the next one): the
    rows go out together when the flush delay has passed."""
    monkeypatch.setattr(deferred, "DEFERRED_FLUSH_S", 0.05)
    store = await Store.open(tmp_path / "n.db")
    try:
        await store.query_log.log("ask", 5.0, True)
        await store.query_log.log("ask", 6.0, False)
        assert _rows_on_disk(tmp_path / "n.db") == 0
        for _ in range(100):
            await asyncio.sleep(0.02)
            if _rows_on_disk(tmp_path / "n.db"):
                break
        assert _rows_on_disk(tmp_path / "n.db") == 2
    finally:
        await store.close()


async def test_many_waiting_rows_and_closing_write_them_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deferred, "DEFERRED_FLUSH_S", 60.0)
    monkeypatch.setattr(deferred, "DEFERRED_FLUSH_ROWS", 3)
    store = await Store.open(tmp_path / "n.db")
    for ms in (1.0, 2.0):
        await store.query_log.log("ask", ms, True)
    assert _rows_on_disk(tmp_path / "n.db") == 0
    await store.query_log.log("ask", 3.0, True)  # the third: the batch is full
    assert _rows_on_disk(tmp_path / "n.db") == 3
    await store.query_log.log("ask", 4.0, True)
    await store.close()  # what waits is written on close, not lost
    assert _rows_on_disk(tmp_path / "n.db") == 4

"""The query log: counts and latency percentiles since a moment, never the question text."""

from __future__ import annotations

from pathlib import Path

from retrieval.store import Store


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

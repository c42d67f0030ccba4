"""The query log: when each question was answered, how fast, and whether found.

No question text is stored (questions may be private). Logging never waits for an ingest
nor makes the asker wait: rows go through `Database.write_without_waiting`, which writes them
in batches a moment later.
"""

from __future__ import annotations

from retrieval.store.connection import Database, utcnow
from retrieval.upkeep_records import QueryStats

_INSERT = "INSERT INTO query_log (at, kind, latency_ms, found) VALUES (?, ?, ?, ?)"


class QueryLog:
    """Reads and writes of the `query_log` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def log(self, kind: str, latency_ms: float, found: bool) -> None:
        """Record one answered request."""
        await self._db.write_without_waiting(_INSERT, (utcnow(), kind, latency_ms, int(found)))

    async def stats(self, since: str) -> QueryStats:
        """Questions logged since the ISO timestamp `since` (this process's rows written first,
        so they count at once)."""
        await self._db.flush_deferred()
        sql = "SELECT latency_ms, found FROM query_log WHERE at >= ? ORDER BY latency_ms"
        async with self._db.reader.execute(sql, (since,)) as cur:
            rows = [(float(r[0]), int(r[1])) async for r in cur]
        if not rows:
            return QueryStats(0, 0, 0.0, 0.0)
        lat = [r[0] for r in rows]
        return QueryStats(
            len(rows),
            sum(r[1] for r in rows),
            lat[len(lat) // 2],
            lat[min(len(lat) - 1, int(len(lat) * 0.95))],
        )

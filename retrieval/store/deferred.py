"""Writes that must never wait (the query log): kept in memory and written together.

Each is written `DEFERRED_FLUSH_S` after the first of them, at once when `DEFERRED_FLUSH_ROWS`
are waiting, whenever a writer lets the write connection go, and on close. A commit per
question would cost the asker the commit, and the next question more: every commit changes
the file under the readers, which then drop their cached pages and re-read the index
generation. The price is that another process sees the log a moment late, and a process
killed outright loses the last moment's rows (statistics only, never an article).

They never wait for another process either: when one holds the write lock, the rows stay
deferred (at most `MAX_DEFERRED`, the oldest dropped) and go out with a later write. The
database (`retrieval.store.connection`) owns the write connection and the lock that lets one
writer at a time use it; these rows take both in turn like any other writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import aiosqlite

Row = tuple[object, ...]
logger = logging.getLogger(__name__)

#: Deferred rows kept while other processes hold the write lock; the oldest go first.
MAX_DEFERRED = 10_000
#: Deferred rows are written this long after the first of them is deferred...
DEFERRED_FLUSH_S = 2.0
#: ...or as soon as this many are waiting.
DEFERRED_FLUSH_ROWS = 256


def is_busy(exc: sqlite3.Error) -> bool:
    """True for SQLite's "database is locked/busy": another process holds the write lock."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


class DeferredWrites:
    """Rows waiting to be written, and the timer that writes them."""

    def __init__(
        self, path: Path, write: aiosqlite.Connection, writing: asyncio.Lock,
        busy_timeout_s: float,
    ) -> None:
        self.path = path
        self._write = write
        self._writing = writing
        self._busy_timeout_s = busy_timeout_s
        self._rows: list[tuple[str, Row]] = []
        #: The pending timed write of the rows, and its task once it runs.
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    async def add(self, sql: str, row: Row) -> None:
        """Run `sql` with `row` later: within `DEFERRED_FLUSH_S`, or now when
        `DEFERRED_FLUSH_ROWS` are waiting and no writer holds the connection."""
        self._rows.append((sql, row))
        if len(self._rows) >= DEFERRED_FLUSH_ROWS and not self._writing.locked():
            await self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(DEFERRED_FLUSH_S, self._when_due)

    def _when_due(self) -> None:
        """The timer's callback: start writing the rows (one write at a time)."""
        self._timer = None
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.flush())

    async def flush(self) -> None:
        """Write the rows (consecutive rows of one statement in one batch).

        Never waits for another process and never raises: the rows are written in one
        transaction that fails at once when another process is writing, and then stay deferred
        for the next flush.
        """
        if not self._rows:
            return
        async with self._writing:
            pending, self._rows = self._rows, []
            await self._write.execute("PRAGMA busy_timeout = 0")
            try:
                await self._write.execute("BEGIN IMMEDIATE")
                try:
                    for sql, rows in _batches(pending):
                        await self._write.executemany(sql, rows)
                    await self._write.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.OperationalError):
                        await self._write.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                # Busy: try again with the next write. Anything else (a read-only file, a full
                # disk) would fail again: those rows are dropped rather than fail an answer.
                if is_busy(exc):
                    self._rows = [*pending, *self._rows][-MAX_DEFERRED:]
                else:
                    logger.warning(
                        "%s: could not write %d log rows: %s", self.path, len(pending), exc
                    )
            finally:
                await self._write.execute(
                    f"PRAGMA busy_timeout = {int(self._busy_timeout_s * 1000)}"
                )

    async def close(self, *, write: bool) -> None:
        """Stop the timer, let a running write finish, and write the rest if `write`."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._task is not None:
            await self._task
        if write:
            await self.flush()


def _batches(pending: Sequence[tuple[str, Row]]) -> list[tuple[str, list[Row]]]:
    """Consecutive rows of the same statement grouped, order kept."""
    batches: list[tuple[str, list[Row]]] = []
    for sql, row in pending:
        if batches and batches[-1][0] == sql:
            batches[-1][1].append(row)
        else:
            batches.append((sql, [row]))
    return batches

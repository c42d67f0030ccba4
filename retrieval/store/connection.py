"""The database file: opening it, the one write path, and readers on their own connection.

Two connections to one SQLite file in WAL mode. Every write goes through the write connection,
either inside `transaction()` (all or nothing) or as one autocommitted statement via
`single_write()`, and one lock lets only one writer at a time use it: a small write issued
while an ingest transaction is open would otherwise become part of it (and vanish on
rollback). Reads use the read-only connection, which under WAL keeps seeing the last committed
state while a long write is in progress, so answering questions never waits for an ingest and
never sees half of one. Writes that must never wait (the query log) are deferred while a
writer holds the connection and flushed when it lets go.

Several processes share the file (the bot, CLI ingests from cron): SQLite lets one of them
write at a time. A writer waits at most `busy_timeout_s` for another process's transaction and
then raises `StoreError` with one line saying so, never a "database is locked" traceback. The
query log does not wait at all: when another process holds the write lock its rows stay
deferred (a bounded number) and go out with a later write.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from retrieval.errors import StoreError
from retrieval.store.schema import migrate

Row = tuple[object, ...]

#: How long a write waits for another process's write transaction before giving up.
BUSY_TIMEOUT_S = 30.0
#: Deferred rows kept while other processes hold the write lock; the oldest go first.
MAX_DEFERRED = 10_000


def _is_busy(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def busy_error(path: Path, exc: sqlite3.Error, waited_s: float) -> StoreError:
    """The one-line error for a write that waited too long for another process."""
    return StoreError(
        f"{path}: another process kept the database busy for over {waited_s:.0f} s ({exc}); "
        "try again when it has finished"
    )


def utcnow() -> str:
    """The current UTC time as the ISO 8601 text the tables store and compare."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Database:
    """One database file. Create with `await Database.open(path)`."""

    def __init__(
        self,
        path: Path,
        write: aiosqlite.Connection,
        read: aiosqlite.Connection,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
    ):
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._write = write
        self._read = read
        self._writing = asyncio.Lock()
        self._deferred: list[tuple[str, Row]] = []

    @classmethod
    async def open(cls, path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date.

        `busy_timeout_s` bounds how long a write waits for another process's transaction.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        opened: list[aiosqlite.Connection] = []
        try:
            write = await aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout_s)
            opened.append(write)
            # 16 KiB pages pack article bodies with far less slack than the default 4 KiB; it
            # only takes effect when the file is created.
            await write.execute("PRAGMA page_size=16384")
            await write.execute("PRAGMA journal_mode=WAL")
            await write.execute("PRAGMA foreign_keys=ON")
            await write.execute("PRAGMA synchronous=NORMAL")
            await migrate(write)
            read = await aiosqlite.connect(path, isolation_level=None)
            opened.append(read)
            await read.execute("PRAGMA query_only=ON")
        except BaseException as exc:
            for conn in opened:
                await conn.close()
            if isinstance(exc, sqlite3.Error) and _is_busy(exc):
                raise busy_error(path, exc, busy_timeout_s) from exc
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"{path}: not a usable newsbot database ({exc})") from exc
            raise
        return cls(path, write, read, busy_timeout_s)

    @property
    def reader(self) -> aiosqlite.Connection:
        """The read-only connection (sees the last committed state)."""
        return self._read

    async def close(self) -> None:
        """Write what is deferred, then close both connections."""
        await self.flush_deferred()
        await self._read.close()
        await self._write.close()

    @asynccontextmanager
    async def transaction(self, *, wait: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """All writes inside commit together; any exception (or cancellation) rolls back.

        `wait=False` raises `StoreError` at once when another process is writing (for
        housekeeping that can just as well happen another time).
        """
        async with self._writing:
            try:
                if not wait:
                    await self._write.execute("PRAGMA busy_timeout = 0")
                await self._write.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                if _is_busy(exc):
                    raise busy_error(self.path, exc, self.busy_timeout_s) from exc
                raise StoreError(f"{self.path}: cannot write: {exc}") from exc
            finally:
                if not wait:
                    await self._write.execute(
                        f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}"
                    )
            try:
                yield self._write
            except BaseException:
                await self._write.execute("ROLLBACK")
                raise
            try:
                await self._write.execute("COMMIT")
            except sqlite3.Error as exc:
                await self._write.execute("ROLLBACK")
                if _is_busy(exc):
                    raise busy_error(self.path, exc, self.busy_timeout_s) from exc
                raise
        await self.flush_deferred()

    @asynccontextmanager
    async def single_write(self) -> AsyncIterator[aiosqlite.Connection]:
        """The write connection for one autocommitted statement, outside any transaction.

        A statement that waited `busy_timeout_s` for another process raises `StoreError`.
        """
        async with self._writing:
            try:
                yield self._write
            except sqlite3.Error as exc:
                if _is_busy(exc):
                    raise busy_error(self.path, exc, self.busy_timeout_s) from exc
                raise

    async def write_without_waiting(self, sql: str, row: Row) -> None:
        """Run `sql` with `row` now, or, while a writer holds the connection, when it ends."""
        self._deferred.append((sql, row))
        if not self._writing.locked():
            await self.flush_deferred()

    async def flush_deferred(self) -> None:
        """Write the deferred rows (consecutive rows of one statement in one batch).

        Never waits for another process and never raises: the rows are written in one
        transaction that fails at once when another process is writing, and then stay deferred
        for the next flush (at most `MAX_DEFERRED`, the oldest dropped).
        """
        if not self._deferred:
            return
        async with self._writing:
            pending, self._deferred = self._deferred, []
            await self._write.execute("PRAGMA busy_timeout = 0")
            try:
                await self._write.execute("BEGIN IMMEDIATE")
                try:
                    for sql, rows in _batches(pending):
                        await self._write.executemany(sql, rows)
                    await self._write.execute("COMMIT")
                except BaseException:
                    await self._write.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                # Busy: try again with the next write. Anything else (a read-only file, a full
                # disk) would fail again: those rows are dropped rather than fail an answer.
                if _is_busy(exc):
                    self._deferred = [*pending, *self._deferred][-MAX_DEFERRED:]
            finally:
                await self._write.execute(
                    f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}"
                )


def _batches(pending: Sequence[tuple[str, Row]]) -> list[tuple[str, list[Row]]]:
    """Consecutive rows of the same statement grouped, order kept."""
    batches: list[tuple[str, list[Row]]] = []
    for sql, row in pending:
        if batches and batches[-1][0] == sql:
            batches[-1][1].append(row)
        else:
            batches.append((sql, [row]))
    return batches

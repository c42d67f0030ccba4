"""The database file: opening it, the one write path, and readers on their own connection.

Two connections to one SQLite file in WAL mode. Every write goes through the write connection,
either inside `transaction()` (all or nothing) or as one autocommitted statement via
`single_write()`, and one lock lets only one writer at a time use it: a small write issued
while an ingest transaction is open would otherwise become part of it (and vanish on
rollback). Reads use the read-only connection, which under WAL keeps seeing the last committed
state while a long write is in progress, so answering questions never waits for an ingest and
never sees half of one. Writes that must never wait (the query log) are deferred while a
writer holds the connection and flushed when it lets go.
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


def utcnow() -> str:
    """The current UTC time as the ISO 8601 text the tables store and compare."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Database:
    """One database file. Create with `await Database.open(path)`."""

    def __init__(self, path: Path, write: aiosqlite.Connection, read: aiosqlite.Connection):
        self.path = path
        self._write = write
        self._read = read
        self._writing = asyncio.Lock()
        self._deferred: list[tuple[str, Row]] = []

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date."""
        path.parent.mkdir(parents=True, exist_ok=True)
        opened: list[aiosqlite.Connection] = []
        try:
            write = await aiosqlite.connect(path, isolation_level=None)
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
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"{path}: not a usable newsbot database ({exc})") from exc
            raise
        return cls(path, write, read)

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
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """All writes inside commit together; any exception (or cancellation) rolls back."""
        async with self._writing:
            await self._write.execute("BEGIN IMMEDIATE")
            try:
                yield self._write
            except BaseException:
                await self._write.execute("ROLLBACK")
                raise
            await self._write.execute("COMMIT")
        await self.flush_deferred()

    @asynccontextmanager
    async def single_write(self) -> AsyncIterator[aiosqlite.Connection]:
        """The write connection for one autocommitted statement, outside any transaction."""
        async with self._writing:
            yield self._write

    async def write_without_waiting(self, sql: str, row: Row) -> None:
        """Run `sql` with `row` now, or, while a writer holds the connection, when it ends."""
        self._deferred.append((sql, row))
        if not self._writing.locked():
            await self.flush_deferred()

    async def flush_deferred(self) -> None:
        """Write the deferred rows (consecutive rows of one statement in one batch)."""
        if not self._deferred:
            return
        async with self._writing:
            pending, self._deferred = self._deferred, []
            for sql, rows in _batches(pending):
                await self._write.executemany(sql, rows)


def _batches(pending: Sequence[tuple[str, Row]]) -> list[tuple[str, list[Row]]]:
    """Consecutive rows of the same statement grouped, order kept."""
    batches: list[tuple[str, list[Row]]] = []
    for sql, row in pending:
        if batches and batches[-1][0] == sql:
            batches[-1][1].append(row)
        else:
            batches.append((sql, [row]))
    return batches

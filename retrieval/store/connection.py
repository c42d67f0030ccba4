"""The database file: opening it, the one write path, and readers on their own connection.

Two connections to one SQLite file in WAL mode. Every write goes through the write connection,
either inside `transaction()` (all or nothing) or as one autocommitted statement via
`single_write()`, and one lock lets only one writer at a time use it: a small write issued
while an ingest transaction is open would otherwise become part of it (and vanish on
rollback). Reads use the read-only connection, which under WAL keeps seeing the last committed
state while a long write is in progress, so answering questions never waits for an ingest and
never sees half of one. Writes that must never wait (the query log) are deferred while a
writer holds the connection and flushed when it lets go.

A database the process may not write (read-only file or folder) is opened read-only, so it
can still be searched: nothing is migrated, the query log is skipped, and a write is refused
with a `StoreError` naming the file. SQLite's own failures on writing (disk full, read-only,
I/O errors) also become a one-line `StoreError` naming the file; the transaction rolls back.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from retrieval.errors import StoreError
from retrieval.store.schema import check_current, migrate

Row = tuple[object, ...]
logger = logging.getLogger(__name__)


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
        *,
        read_only: bool = False,
    ):
        self.path = path
        self._write = write
        self._read = read
        #: Opened read-only because the file or its folder is not writable.
        self.read_only = read_only
        self._writing = asyncio.Lock()
        self._deferred: list[tuple[str, Row]] = []

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date.

        A database that exists but may not be written is opened read-only (see the module).
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create its folder: {exc.strerror or exc}") from None
        if path.exists() and not _writable(path):
            return await cls._open_read_only(path)
        if not path.exists() and not os.access(path.parent, os.W_OK):
            raise StoreError(f"{path}: cannot create the database: the folder is not writable")
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

    @classmethod
    async def _open_read_only(cls, path: Path) -> Database:
        """Both connections read-only; the schema must already be current."""
        uri = f"{path.resolve().as_uri()}?mode=ro"
        try:
            conn = await aiosqlite.connect(uri, uri=True, isolation_level=None)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the read-only database ({exc})") from None
        try:
            try:
                await check_current(conn)
            except sqlite3.OperationalError:
                # WAL needs a -shm file it may not create in a read-only folder: read the file
                # as it is, as an immutable snapshot (nothing else can be writing it).
                await conn.close()
                immutable = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
                conn = await aiosqlite.connect(immutable, uri=True, isolation_level=None)
                await check_current(conn)
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, StoreError):
                raise StoreError(f"{path}: {exc}") from None
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"{path}: not a usable newsbot database ({exc})") from None
            raise
        logger.info("%s is not writable: opened read-only", path)
        return cls(path, conn, conn, read_only=True)

    @property
    def reader(self) -> aiosqlite.Connection:
        """The read-only connection (sees the last committed state)."""
        return self._read

    async def close(self) -> None:
        """Write what is deferred, then close both connections."""
        await self.flush_deferred()
        await self._read.close()
        if self._write is not self._read:
            await self._write.close()

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: the database is read-only (no write permission)")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """All writes inside commit together; any exception (or cancellation) rolls back.

        SQLite's failures (disk full, read-only, I/O) come out as `StoreError`.
        """
        self._refuse_if_read_only()
        async with self._writing:
            try:
                await self._write.execute("BEGIN IMMEDIATE")
                try:
                    yield self._write
                    await self._write.execute("COMMIT")
                except BaseException:
                    # SQLite may have rolled back already (it does on a full disk).
                    with contextlib.suppress(sqlite3.OperationalError):
                        await self._write.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                raise self._failure(exc) from None
        await self.flush_deferred()

    @asynccontextmanager
    async def single_write(self) -> AsyncIterator[aiosqlite.Connection]:
        """The write connection for one autocommitted statement, outside any transaction."""
        self._refuse_if_read_only()
        async with self._writing:
            try:
                yield self._write
            except sqlite3.OperationalError as exc:
                raise self._failure(exc) from None

    def _failure(self, exc: sqlite3.OperationalError) -> StoreError:
        """A write failure as one line naming the file and the cause."""
        text = str(exc)
        if "full" in text:
            cause = "the disk is full"
        elif "readonly" in text or "read-only" in text:
            cause = "the database is read-only"
        else:
            cause = "the write failed"
        return StoreError(f"{self.path}: {cause} ({text}); nothing of this write was stored")

    async def write_without_waiting(self, sql: str, row: Row) -> None:
        """Run `sql` with `row` now, or, while a writer holds the connection, when it ends.

        Nothing is written to a read-only database (the query log is optional there).
        """
        if self.read_only:
            return
        self._deferred.append((sql, row))
        if not self._writing.locked():
            await self.flush_deferred()

    async def flush_deferred(self) -> None:
        """Write the deferred rows (consecutive rows of one statement in one batch)."""
        if not self._deferred:
            return
        async with self._writing:
            pending, self._deferred = self._deferred, []
            try:
                for sql, rows in _batches(pending):
                    await self._write.executemany(sql, rows)
            except sqlite3.OperationalError as exc:
                # Statistics are not worth failing an answer for (e.g. on a full disk).
                logger.warning("%s: could not write %d log rows: %s", self.path, len(pending), exc)


def _writable(path: Path) -> bool:
    """Whether this process may write the database file and create its journal beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _batches(pending: Sequence[tuple[str, Row]]) -> list[tuple[str, list[Row]]]:
    """Consecutive rows of the same statement grouped, order kept."""
    batches: list[tuple[str, list[Row]]] = []
    for sql, row in pending:
        if batches and batches[-1][0] == sql:
            batches[-1][1].append(row)
        else:
            batches.append((sql, [row]))
    return batches

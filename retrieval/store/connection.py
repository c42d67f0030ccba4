"""The database file: opening it, the one write path, and readers on their own connection.

Two connections to one SQLite file in WAL mode. Every write goes through the write connection,
either inside `transaction()` (all or nothing) or as one autocommitted statement via
`single_write()`, and one lock lets only one writer at a time use it: a small write issued
while an ingest transaction is open would otherwise become part of it (and vanish on
rollback). Reads use the read-only connection, which under WAL keeps seeing the last committed
state while a long write is in progress, so answering questions never waits for an ingest and
never sees half of one. Writes that must never wait (the query log) are deferred: kept in
memory and written together (`retrieval.store.deferred`), also whenever a writer lets the
connection go.

Several processes share the file (the bot, CLI ingests from cron): SQLite lets one of them
write at a time. A writer waits at most `busy_timeout_s` for another process's transaction and
then raises `StoreError` with one line saying so, never a "database is locked" traceback.

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
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from retrieval.errors import StoreError
from retrieval.store.deferred import DeferredWrites, Row, is_busy
from retrieval.store.schema import check_current, migrate

logger = logging.getLogger(__name__)
#: The reader maps up to this much of the database file: a question reads a few dozen
#: passages scattered over the file, and mapped pages are read without a system call and a
#: copy each. Mapped pages the reader touched count in its resident size (they are the OS
#: page cache's, shared and reclaimable), so the mapping is capped: a small database is
#: mapped whole, a large one in its first part and read as usual beyond.
READ_MMAP_BYTES = 256 << 20
#: How often opening retries the switch to WAL mode while another process holds the file.
_WAL_RETRY_S = 0.05
#: How long a quick read (on the event loop) waits on a busy database; under WAL that only
#: happens while another process recovers the log after a crash.
_QUICK_TIMEOUT_S = 1.0
#: The write-ahead log is cut back to this size after a checkpoint.
WAL_LIMIT_BYTES = 16 << 20

#: How long a write waits for another process's write transaction before giving up.
BUSY_TIMEOUT_S = 30.0
def utcnow() -> str:
    """The current UTC time as the ISO 8601 text the tables store and compare."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


async def _switch_to_wal(conn: aiosqlite.Connection, busy_timeout_s: float) -> None:
    """Put the database in WAL mode, waiting up to `busy_timeout_s` for other processes.

    Changing the journal mode needs the database to itself, and SQLite reports "locked" at
    once instead of calling the busy handler when another process is creating the same new
    database at that moment (two ingests started together): so wait here, briefly and often.
    """
    deadline = time.monotonic() + busy_timeout_s
    while True:
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
            await asyncio.sleep(_WAL_RETRY_S)


def busy_error(path: Path, exc: sqlite3.Error, waited_s: float) -> StoreError:
    """The one-line error for a write that waited too long for another process."""
    return StoreError(
        f"{path}: another process kept the database busy for over {waited_s:.0f} s ({exc}); "
        "try again when it has finished"
    )


class Database:
    """One database file. Create with `await Database.open(path)`."""

    def __init__(
        self,
        path: Path,
        write: aiosqlite.Connection,
        read: aiosqlite.Connection,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        *,
        read_only: bool = False,
        read_target: tuple[str, bool] | None = None,
    ):
        self.path = path
        #: How the reader was opened (`database`, `uri`), for the quick reader to do the same.
        self._read_target = read_target or (str(path), False)
        self._quick: sqlite3.Connection | None = None
        self.busy_timeout_s = busy_timeout_s
        self._write = write
        self._read = read
        self._mapped = False
        #: Opened read-only because the file or its folder is not writable.
        self.read_only = read_only
        self._writing = asyncio.Lock()
        self._deferred = DeferredWrites(path, write, self._writing, busy_timeout_s)

    @classmethod
    async def open(cls, path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date.

        A database that exists but may not be written is opened read-only (see the module).
        `busy_timeout_s` bounds how long a write waits for another process's transaction.
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
            write = await aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout_s)
            opened.append(write)
            # 16 KiB pages pack article bodies with far less slack than the default 4 KiB; it
            # only takes effect when the file is created.
            await write.execute("PRAGMA page_size=16384")
            await _switch_to_wal(write, busy_timeout_s)
            await write.execute("PRAGMA foreign_keys=ON")
            await write.execute("PRAGMA synchronous=NORMAL")
            # A large ingest grows the write-ahead log to the size of its batches; without a
            # limit the file keeps that size for good. Checkpoints truncate it to this.
            await write.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
            await migrate(write)
            read = await aiosqlite.connect(path, isolation_level=None)
            opened.append(read)
            await read.execute("PRAGMA query_only=ON")
        except BaseException as exc:
            for conn in opened:
                await conn.close()
            if isinstance(exc, sqlite3.Error) and is_busy(exc):
                raise busy_error(path, exc, busy_timeout_s) from exc
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"{path}: not a usable newsbot database ({exc})") from exc
            raise
        return cls(path, write, read, busy_timeout_s)

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
                uri = immutable
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, StoreError):
                raise StoreError(f"{path}: {exc}") from None
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"{path}: not a usable newsbot database ({exc})") from None
            raise
        logger.info("%s is not writable: opened read-only", path)
        return cls(path, conn, conn, read_only=True, read_target=(uri, True))

    @property
    def reader(self) -> aiosqlite.Connection:
        """The read-only connection (sees the last committed state)."""
        return self._read

    async def map_for_questions(self) -> None:
        """Prepare to answer questions (once): map the database file into the reader, and
        open the quick reader (`read(..., quick=True)`).

        Not done on open: an ingest reads little through the reader, and the mapped pages it
        touched would count in its resident size, which has a bound of its own.
        """
        if not self._mapped:
            self._mapped = True
            await self._read.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES}")
            database, uri = self._read_target
            try:
                quick = sqlite3.connect(
                    database, uri=uri, isolation_level=None, check_same_thread=False,
                    timeout=_QUICK_TIMEOUT_S,
                )
                quick.execute("PRAGMA query_only=ON")
                quick.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES}")
            except sqlite3.Error as exc:  # answer through the reader's thread instead
                logger.info("%s: no quick reader (%s)", self.path, exc)
            else:
                self._quick = quick

    async def read(
        self, sql: str, args: Sequence[object] = (), *, quick: bool = False
    ) -> list[sqlite3.Row]:
        """All rows of one read, in one trip to the reader's thread.

        A cursor opened with `async with` costs a trip for the statement, one per batch of
        rows and one to close; on a question's path those trips cost more than the reads.
        `quick=True` is for the small indexed reads on a question's path (a few dozen rows
        by key): once `map_for_questions` has run they are read at once on the calling
        thread, on a third connection, since the trip to the reader's thread costs more than
        the read itself. Under WAL a reader never waits for a writer, so this cannot hold up
        the event loop behind an ingest.
        """
        if quick and self._quick is not None:
            return self._quick.execute(sql, args).fetchall()
        return list(await self._read.execute_fetchall(sql, args))

    def data_version(self) -> int | None:
        """A number that changes whenever any other connection commits to the database
        (`PRAGMA data_version`), or None before `map_for_questions`.

        Read without leaving the thread: a question checks it to skip reading the index
        generation when nothing was written since its last look.
        """
        if self._quick is None:
            return None
        # fetchall: the statement runs to its end, so no read transaction stays open.
        return int(self._quick.execute("PRAGMA data_version").fetchall()[0][0])

    async def close(self) -> None:
        """Write what is deferred, then close both connections."""
        await self._deferred.close(write=not self.read_only)
        if self._quick is not None:
            self._quick.close()
            self._quick = None
        await self._read.close()
        if self._write is not self._read:
            await self._write.close()

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: the database is read-only (no write permission)")

    @asynccontextmanager
    async def transaction(self, *, wait: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """All writes inside commit together; any exception (or cancellation) rolls back.

        `wait=False` raises `StoreError` at once when another process is writing (for
        housekeeping that can just as well happen another time). SQLite's failures (busy past
        the timeout, disk full, read-only, I/O) come out as one-line `StoreError`s.
        """
        self._refuse_if_read_only()
        async with self._writing:
            try:
                if not wait:
                    await self._write.execute("PRAGMA busy_timeout = 0")
                await self._write.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._failure(exc) from None
            finally:
                if not wait:
                    await self._write.execute(
                        f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}"
                    )
            try:
                yield self._write
                await self._write.execute("COMMIT")
            except BaseException as exc:
                # SQLite may have rolled back already (it does on a full disk).
                with contextlib.suppress(sqlite3.OperationalError):
                    await self._write.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise self._failure(exc) from None
                raise
        await self.flush_deferred()

    @asynccontextmanager
    async def single_write(self) -> AsyncIterator[aiosqlite.Connection]:
        """The write connection for one autocommitted statement, outside any transaction.

        A statement that waited `busy_timeout_s` for another process raises `StoreError`.
        """
        self._refuse_if_read_only()
        async with self._writing:
            try:
                yield self._write
            except sqlite3.OperationalError as exc:
                raise self._failure(exc) from None

    def _failure(self, exc: sqlite3.Error) -> StoreError:
        """A write failure as one line naming the file and the cause."""
        if is_busy(exc):
            return busy_error(self.path, exc, self.busy_timeout_s)
        text = str(exc)
        if "full" in text:
            cause = "the disk is full"
        elif "readonly" in text or "read-only" in text:
            cause = "the database is read-only"
        else:
            cause = "the write failed"
        return StoreError(f"{self.path}: {cause} ({text}); nothing of this write was stored")

    async def write_without_waiting(self, sql: str, row: Row) -> None:
        """Run `sql` with `row` with the other deferred rows (`retrieval.store.deferred`).

        Nothing is written to a read-only database (the query log is optional there).
        """
        if not self.read_only:
            await self._deferred.add(sql, row)

    async def flush_deferred(self) -> None:
        """Write the deferred rows now if no other process is writing (never waits, never
        raises)."""
        if not self.read_only:
            await self._deferred.flush()


def _writable(path: Path) -> bool:
    """Whether this process may write the database file and create its journal beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)

"""SQLite storage, the only package that writes SQL.

`Store` is one object per database file, composed of one part per group of tables, so a change
to feeds never touches the article code:

* `connection` opens the file (WAL, pragmas, migrations) and owns the one write path;
* `schema` holds the migrations;
* `articles` (`store.articles`, and `Transaction` for the writes that commit with the index);
* `feeds` (`store.feeds`, `store.subscriptions`);
* `querylog` (`store.query_log`);
* `segments` (`store.segments`: the index's segment registry, tombstones and generation).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from retrieval.errors import StoreError
from retrieval.records import ArticleRow
from retrieval.store.articles import ArticleTables, Transaction
from retrieval.store.connection import BUSY_TIMEOUT_S, Database
from retrieval.store.feeds import FeedTable, SubscriptionTable
from retrieval.store.querylog import QueryLog
from retrieval.store.schema import MIGRATIONS
from retrieval.store.segments import IndexSnapshot, SegmentTable
from retrieval.upkeep_records import FeedRow, SubscriptionRow

# Row records and StoreError are re-exported for front ends that still import them from here;
# new code imports them from `retrieval` (the package root) or `retrieval.records`.
__all__ = [
    "MIGRATIONS",
    "ArticleRow",
    "FeedRow",
    "IndexSnapshot",
    "Store",
    "StoreError",
    "SubscriptionRow",
    "Transaction",
]


class Store:
    """Async access to the newsbot database. Create with `await Store.open(path)`."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.articles = ArticleTables(db)
        self.feeds = FeedTable(db)
        self.subscriptions = SubscriptionTable(db)
        self.query_log = QueryLog(db)
        self.segments = SegmentTable(db)

    @classmethod
    async def open(cls, path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Store:
        """Open (creating if needed) the database at `path` and bring its schema up to date.

        Writes wait at most `busy_timeout_s` for another process (then `StoreError`).
        """
        return cls(await Database.open(path, busy_timeout_s))

    @property
    def path(self) -> Path:
        """The database file."""
        return self._db.path

    @property
    def read_only(self) -> bool:
        """Whether the database was opened read-only (the process may not write it)."""
        return self._db.read_only

    async def map_for_questions(self) -> None:
        """Read the database through a memory map from now on (see `Database`)."""
        await self._db.map_for_questions()

    def data_version(self) -> int | None:
        """Changes whenever another connection commits (None until `map_for_questions`)."""
        return self._db.data_version()

    async def close(self) -> None:
        """Write what is pending, then close the database."""
        await self._db.close()

    async def health_problems(self) -> list[str]:
        """What is wrong with the file itself: SQLite's quick check, and the schema version."""
        problems: list[str] = []
        async with self._db.reader.execute("PRAGMA quick_check") as cur:
            checks = [str(r[0]) async for r in cur]
        if checks != ["ok"]:
            problems += [f"database {self.path}: {line}" for line in checks[:10]]
        async with self._db.reader.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        if version != len(MIGRATIONS):
            problems.append(
                f"database {self.path}: schema v{version}, expected v{len(MIGRATIONS)}"
            )
        return problems

    @asynccontextmanager
    async def transaction(self, *, wait: bool = True) -> AsyncIterator[Transaction]:
        """All writes inside commit together; any exception (or cancellation) rolls back.

        `wait=False`: raise `StoreError` at once instead of waiting for another process.
        """
        async with self._db.transaction(wait=wait) as conn:
            yield Transaction(conn)

"""SQLite storage: schema, migrations, transactions. The only module that writes SQL.

One database file holds the articles, their paragraphs, the passage spans and the persisted
BM25 index (as array blobs). An article's text is stored once, as its body (paragraphs joined
by newlines); paragraphs and passages are character spans into it, sliced with `substr`, so
the database stays well under three times the size of the text it holds. The index blobs
commit together with the articles, so an ingest lands as a whole or not at all: a failure
half-way (bad input, crash, Ctrl-C) rolls back to the previous consistent state.

Two connections: writes go through `_write` inside explicit transactions; reads use `_read`,
which under WAL keeps seeing the last committed state while a long write is in progress, so
answering questions never waits for an ingest and never sees half of one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from retrieval.errors import StoreError
from retrieval.records import (
    Article,
    ArticleRow,
    FeedPollState,
    FeedRow,
    NewPassage,
    Paragraph,
    PassageRow,
    QueryStats,
    SubscriptionRow,
)

# Row records are re-exported for front ends that still import them from here; new code imports
# them from `retrieval` (the package root) or `retrieval.records`.
__all__ = [
    "MIGRATIONS",
    "ArticleRow",
    "FeedPollState",
    "FeedRow",
    "NewPassage",
    "PassageRow",
    "QueryStats",
    "Store",
    "StoreError",
    "SubscriptionRow",
    "Transaction",
]

#: Ordered migrations; `PRAGMA user_version` records how many have been applied.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        title TEXT NOT NULL,
        kicker TEXT NOT NULL DEFAULT '',
        subtitle TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_recent ON articles (date DESC, seq DESC);
    CREATE TABLE paragraphs (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        heading TEXT NOT NULL DEFAULT '',
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX paragraphs_article ON paragraphs (article_id, ordinal);
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        paragraph INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );
    CREATE INDEX passages_article ON passages (article_id);
    CREATE TABLE index_blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE query_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        latency_ms REAL NOT NULL,
        found INTEGER NOT NULL
    );
    CREATE INDEX query_log_at ON query_log (at);
    """,
    # 2: feeds polled on a schedule (with their conditional-GET state and health), and the
    # users' keyword subscriptions that are alerted when polling brings matching articles.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT UNIQUE NOT NULL,
        interval_minutes INTEGER NOT NULL,
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        last_polled TEXT NOT NULL DEFAULT '',
        last_success TEXT NOT NULL DEFAULT '',
        last_error TEXT NOT NULL DEFAULT '',
        items_added INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        next_poll TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        query TEXT NOT NULL,
        created TEXT NOT NULL,
        last_alert TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX subscriptions_user ON subscriptions (user_id);
    """,
)


def _utcnow() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


_FEED_COLUMNS = (
    "id, url, interval_minutes, etag, last_modified, last_polled, last_success, last_error,"
    " items_added, failures, next_poll"
)
_SUBSCRIPTION_COLUMNS = "id, user_id, chat_id, query, created, last_alert"


def _feed(row: Sequence[object]) -> FeedRow:
    return FeedRow(
        id=int(str(row[0])), url=str(row[1]), interval_minutes=int(str(row[2])),
        etag=str(row[3]), last_modified=str(row[4]), last_polled=str(row[5]),
        last_success=str(row[6]), last_error=str(row[7]), items_added=int(str(row[8])),
        failures=int(str(row[9])), next_poll=str(row[10]),
    )


def _subscription(row: Sequence[object]) -> SubscriptionRow:
    return SubscriptionRow(
        int(str(row[0])), int(str(row[1])), int(str(row[2])), str(row[3]), str(row[4]),
        str(row[5]),
    )


class Store:
    """Async access to the newsbot database. Create with `await Store.open(path)`."""

    def __init__(self, path: Path, write: aiosqlite.Connection, read: aiosqlite.Connection):
        self.path = path
        self._write = write
        self._read = read
        # One writer at a time on the write connection: a small write issued while an ingest
        # transaction is open would otherwise become part of it (and vanish on rollback).
        self._writing = asyncio.Lock()
        self._pending_log: list[tuple[str, str, float, int]] = []

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database at `path` and bring its schema up to date."""
        path.parent.mkdir(parents=True, exist_ok=True)
        opened: list[aiosqlite.Connection] = []
        try:
            write = await aiosqlite.connect(path, isolation_level=None)
            opened.append(write)
            # 16 KiB pages pack article bodies (~2 KB each) with far less slack than the
            # default 4 KiB; it only takes effect when the file is created.
            await write.execute("PRAGMA page_size=16384")
            await write.execute("PRAGMA journal_mode=WAL")
            await write.execute("PRAGMA foreign_keys=ON")
            await write.execute("PRAGMA synchronous=NORMAL")
            await cls._migrate(write)
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

    @staticmethod
    async def _migrate(conn: aiosqlite.Connection) -> None:
        async with conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise StoreError(f"database schema v{version} is newer than this newsbot")
        for number in range(version, len(MIGRATIONS)):
            script = MIGRATIONS[number]
            await conn.executescript(
                f"BEGIN IMMEDIATE; {script}; PRAGMA user_version = {number + 1}; COMMIT;"
            )

    async def close(self) -> None:
        """Write what is pending, then close both connections."""
        await self._flush_log()
        await self._read.close()
        await self._write.close()

    # ------------------------------------------------------------------ transactions

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """All writes inside commit together; any exception (or cancellation) rolls back."""
        async with self._writing:
            await self._write.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._write)
            except BaseException:
                await self._write.execute("ROLLBACK")
                raise
            await self._write.execute("COMMIT")
        await self._flush_log()

    @asynccontextmanager
    async def _single_write(self) -> AsyncIterator[aiosqlite.Connection]:
        """The write connection for one autocommitted statement, outside any transaction."""
        async with self._writing:
            yield self._write

    # ------------------------------------------------------------------ reads

    async def content_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """`{article id: content hash}` for the given ids that are stored."""
        out: dict[str, str] = {}
        id_list = list(ids)
        for i in range(0, len(id_list), 500):
            chunk = id_list[i : i + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, content_hash FROM articles WHERE id IN ({marks})"
            async with self._read.execute(sql, chunk) as cur:
                out.update({str(r[0]): str(r[1]) async for r in cur})
        return out

    async def passage_ids_of(self, article_ids: Sequence[str]) -> list[int]:
        """Ids of the passages of the given articles."""
        out: list[int] = []
        for i in range(0, len(article_ids), 500):
            chunk = list(article_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id FROM passages WHERE article_id IN ({marks})"
            async with self._read.execute(sql, chunk) as cur:
                out.extend([int(r[0]) async for r in cur])
        return out

    async def passage_ids(self) -> list[int]:
        """Ids of every stored passage."""
        async with self._read.execute("SELECT id FROM passages") as cur:
            return [int(r[0]) async for r in cur]

    async def passages(self, ids: Sequence[int]) -> dict[int, PassageRow]:
        """Passages by id, with their paragraph heading and article facts."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"""
            SELECT p.id, p.article_id, p.paragraph,
                   substr(a.body, p.start + 1, p.end - p.start),
                   coalesce(g.heading, ''), a.title, a.date, a.source, a.url
            FROM passages p
            JOIN articles a ON a.id = p.article_id
            LEFT JOIN paragraphs g ON g.article_id = p.article_id AND g.ordinal = p.paragraph
            WHERE p.id IN ({marks})"""
        async with self._read.execute(sql, list(ids)) as cur:
            rows = [PassageRow(int(r[0]), *r[1:]) async for r in cur]
        return {r.id: r for r in rows}

    async def all_passages(self) -> AsyncIterator[tuple[int, str]]:
        """Every stored passage as `(id, text)`, in id order (for re-tokenizing)."""
        sql = """
            SELECT p.id, substr(a.body, p.start + 1, p.end - p.start)
            FROM passages p
            JOIN articles a ON a.id = p.article_id
            ORDER BY p.id"""
        async with self._read.execute(sql) as cur:
            async for row in cur:
                yield int(row[0]), str(row[1])

    async def article(self, article_id: str) -> Article | None:
        """The whole article, or None."""
        sql = """SELECT id, title, kicker, subtitle, author, date, source, url, body
                 FROM articles WHERE id = ?"""
        async with self._read.execute(sql, (article_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        body = str(row[8])
        sql = "SELECT start, end, heading FROM paragraphs WHERE article_id = ? ORDER BY ordinal"
        async with self._read.execute(sql, (article_id,)) as cur:
            paragraphs = [Paragraph(body[r[0] : r[1]], str(r[2])) async for r in cur]
        return Article(
            id=row[0], title=row[1], kicker=row[2], subtitle=row[3], author=row[4],
            date=row[5], source=row[6], url=row[7], paragraphs=paragraphs,
        )

    async def recent_articles(self, limit: int, offset: int = 0) -> list[ArticleRow]:
        """Newest first: by date, then by ingestion order."""
        sql = """
            SELECT a.id, a.title, a.date, a.source, a.url, a.author,
                   (SELECT count(*) FROM paragraphs g WHERE g.article_id = a.id)
            FROM articles a ORDER BY a.date DESC, a.seq DESC LIMIT ? OFFSET ?"""
        async with self._read.execute(sql, (limit, offset)) as cur:
            return [ArticleRow(*r) async for r in cur]

    async def counts(self) -> tuple[int, int]:
        """`(articles, passages)` stored."""
        async with self._read.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM passages)"
        ) as cur:
            row = await cur.fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def sources(self) -> list[tuple[str, int, str]]:
        """`(source, articles, latest date)` per source, most articles first."""
        sql = """SELECT source, count(*), max(date) FROM articles
                 GROUP BY source ORDER BY count(*) DESC"""
        async with self._read.execute(sql) as cur:
            return [(str(r[0]), int(r[1]), str(r[2] or "")) async for r in cur]

    async def load_blobs(self) -> dict[str, bytes]:
        """The persisted index arrays (empty when no index was saved yet)."""
        async with self._read.execute("SELECT name, data FROM index_blobs") as cur:
            return {str(r[0]): bytes(r[1]) async for r in cur}

    async def meta(self) -> dict[str, str]:
        """All key/value settings recorded with the index."""
        async with self._read.execute("SELECT key, value FROM meta") as cur:
            return {str(r[0]): str(r[1]) async for r in cur}

    async def query_stats(self, since: str) -> QueryStats:
        """Questions logged since the ISO timestamp `since`."""
        sql = "SELECT latency_ms, found FROM query_log WHERE at >= ? ORDER BY latency_ms"
        async with self._read.execute(sql, (since,)) as cur:
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

    # ------------------------------------------------------------------ feeds

    async def feeds(self) -> list[FeedRow]:
        """Every feed, in the order they were added."""
        async with self._read.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id") as cur:
            return [_feed(r) async for r in cur]

    async def feed(self, feed_id: int) -> FeedRow | None:
        """One feed, or None."""
        sql = f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?"
        async with self._read.execute(sql, (feed_id,)) as cur:
            row = await cur.fetchone()
        return _feed(row) if row else None

    async def due_feeds(self, now: str) -> list[FeedRow]:
        """Feeds whose next poll is at or before the ISO timestamp `now` (or never set)."""
        sql = f"SELECT {_FEED_COLUMNS} FROM feeds WHERE next_poll <= ? ORDER BY next_poll, id"
        async with self._read.execute(sql, (now,)) as cur:
            return [_feed(r) async for r in cur]

    async def add_feed(self, url: str, interval_minutes: int, next_poll: str) -> FeedRow | None:
        """Insert a feed; None when the URL is already there."""
        async with self._single_write() as conn:
            async with conn.execute(
                "INSERT INTO feeds (url, interval_minutes, next_poll) VALUES (?, ?, ?)"
                " ON CONFLICT (url) DO NOTHING RETURNING id",
                (url, interval_minutes, next_poll),
            ) as cur:
                row = await cur.fetchone()
            return await self.feed(int(row[0])) if row else None

    async def remove_feed(self, feed_id: int) -> bool:
        """Delete a feed (its articles stay); False when there was none."""
        sql = "DELETE FROM feeds WHERE id = ?"
        async with self._single_write() as conn, conn.execute(sql, (feed_id,)) as cur:
            return cur.rowcount > 0

    async def record_poll(self, feed_id: int, state: FeedPollState) -> None:
        """Save the outcome of one poll: validators, health counters and the next poll time."""
        async with self._single_write() as conn:
            await conn.execute(
                """UPDATE feeds SET etag = ?, last_modified = ?, last_polled = ?,
                       last_success = CASE WHEN ? THEN ? ELSE last_success END,
                       last_error = ?, items_added = items_added + ?, failures = ?, next_poll = ?
                   WHERE id = ?""",
                (
                    state.etag, state.last_modified, state.polled, int(state.success), state.polled,
                    state.error, state.added, state.failures, state.next_poll, feed_id,
                ),
            )

    # ------------------------------------------------------------------ subscriptions

    async def subscriptions(self, user_id: int | None = None) -> list[SubscriptionRow]:
        """A user's subscriptions (everyone's when `user_id` is None), oldest first."""
        where, args = ("WHERE user_id = ?", (user_id,)) if user_id is not None else ("", ())
        sql = f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions {where} ORDER BY id"
        async with self._read.execute(sql, args) as cur:
            return [_subscription(r) async for r in cur]

    async def add_subscription(self, user_id: int, chat_id: int, query: str) -> SubscriptionRow:
        """Store a new subscription."""
        async with self._single_write() as conn:
            async with conn.execute(
                "INSERT INTO subscriptions (user_id, chat_id, query, created) VALUES (?, ?, ?, ?)"
                f" RETURNING {_SUBSCRIPTION_COLUMNS}",
                (user_id, chat_id, query, _utcnow()),
            ) as cur:
                row = await cur.fetchone()
            assert row is not None
            return _subscription(row)

    async def remove_subscription(self, subscription_id: int, user_id: int) -> bool:
        """Delete one of `user_id`'s subscriptions; False when they have no such one."""
        async with self._single_write() as conn, conn.execute(
            "DELETE FROM subscriptions WHERE id = ? AND user_id = ?", (subscription_id, user_id)
        ) as cur:
            return cur.rowcount > 0

    async def remove_subscriptions_of_chat(self, chat_id: int) -> int:
        """Delete every subscription alerting `chat_id` (the bot can no longer write there)."""
        async with self._single_write() as conn, conn.execute(
            "DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)
        ) as cur:
            return cur.rowcount

    async def record_alert(self, subscription_ids: Sequence[int]) -> None:
        """Note that these subscriptions were just alerted."""
        async with self._single_write() as conn:
            now = _utcnow()
            await conn.executemany(
                "UPDATE subscriptions SET last_alert = ? WHERE id = ?",
                [(now, i) for i in subscription_ids],
            )

    # ------------------------------------------------------------------ query log

    async def log_query(self, kind: str, latency_ms: float, found: bool) -> None:
        """Record one answered request (no text: questions may be private).

        Never waits for an ingest: while one holds the write connection the record is kept
        in memory and written when the ingest's transaction ends.
        """
        self._pending_log.append((_utcnow(), kind, latency_ms, int(found)))
        if not self._writing.locked():
            await self._flush_log()

    async def _flush_log(self) -> None:
        if not self._pending_log:
            return
        async with self._writing:
            rows, self._pending_log = self._pending_log, []
            await self._write.executemany(
                "INSERT INTO query_log (at, kind, latency_ms, found) VALUES (?, ?, ?, ?)", rows
            )


class Transaction:
    """The writes available inside `Store.transaction()`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def delete_articles(self, ids: Sequence[str]) -> None:
        """Remove articles with their paragraphs and passages."""
        await self._conn.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])

    async def insert_articles(
        self, items: Sequence[tuple[Article, str, Sequence[NewPassage]]]
    ) -> list[list[int]]:
        """Store articles (with content hash and passage spans); returns each one's passage ids.

        Ids are assigned here, in bulk, so the whole batch is three `executemany` calls rather
        than one round trip per passage (the corpus has hundreds of thousands).
        """
        async with self._conn.execute(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'passages'), 0),"
            " coalesce((SELECT max(seq) FROM articles), 0)"
        ) as cur:
            row = await cur.fetchone()
        next_passage, next_seq = (int(row[0]) + 1, int(row[1]) + 1) if row else (1, 1)
        now = _utcnow()
        article_rows: list[tuple[object, ...]] = []
        paragraph_rows: list[tuple[object, ...]] = []
        passage_rows: list[tuple[object, ...]] = []
        ids: list[list[int]] = []
        for n, (article, content_hash, spans) in enumerate(items):
            article_rows.append((
                article.id, next_seq + n, article.title, article.kicker, article.subtitle,
                article.author, article.date, article.source, article.url, article.text,
                content_hash, now,
            ))
            start = 0
            for i, para in enumerate(article.paragraphs):
                paragraph_rows.append((article.id, i, para.heading, start, start + len(para.text)))
                start += len(para.text) + 1
            own = list(range(next_passage, next_passage + len(spans)))
            next_passage += len(spans)
            passage_rows.extend(
                (pid, article.id, sp.paragraph, sp.start, sp.end)
                for pid, sp in zip(own, spans, strict=True)
            )
            ids.append(own)
        await self._conn.executemany(
            """INSERT INTO articles (id, seq, title, kicker, subtitle, author, date, source, url,
                                     body, content_hash, ingested_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            article_rows,
        )
        await self._conn.executemany(
            "INSERT INTO paragraphs (article_id, ordinal, heading, start, end)"
            " VALUES (?, ?, ?, ?, ?)",
            paragraph_rows,
        )
        await self._conn.executemany(
            "INSERT INTO passages (id, article_id, paragraph, start, end) VALUES (?, ?, ?, ?, ?)",
            passage_rows,
        )
        return ids

    async def save_blobs(self, blobs: dict[str, bytes]) -> None:
        """Replace the persisted index arrays."""
        await self._conn.execute("DELETE FROM index_blobs")
        await self._conn.executemany(
            "INSERT INTO index_blobs (name, data) VALUES (?, ?)", list(blobs.items())
        )

    async def set_meta(self, values: dict[str, str]) -> None:
        """Record settings the index was built with."""
        await self._conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )

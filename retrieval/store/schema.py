"""The database schema as ordered migrations, and bringing a database up to date.

`PRAGMA user_version` records how many migrations have been applied; they run in one
transaction with the version bump, so a database is never left half-migrated. A database
from a newer newsbot is refused rather than guessed at.
"""

from __future__ import annotations

import aiosqlite

from retrieval.errors import StoreError

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
    # 3: where a printed article stands: its page (版次), the region on the page, and the
    # caption of its photo.
    """
    ALTER TABLE articles ADD COLUMN page TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN region TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN caption TEXT NOT NULL DEFAULT '';
    """,
    # 4: the segmented index (`retrieval.segment_files` describes the design): the registry of
    # segment directories, the tombstoned passage ids, and the generation counter readers poll.
    # The old whole-index blobs stay until the first open converts them into a segment.
    """
    CREATE TABLE segments (
        generation INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        n_docs INTEGER NOT NULL,
        total_length INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('live', 'retired')),
        created REAL NOT NULL,
        retired REAL
    );
    CREATE INDEX segments_state ON segments (state);
    CREATE TABLE tombstones (passage_id INTEGER PRIMARY KEY);
    CREATE TABLE index_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
    INSERT INTO index_state (id, generation) VALUES (1, 0);
    """,
    # 5: whether folding a passage leaves its script alone (`retrieval.folding.keeps_script`),
    # so the second ranking stage skips the Traditional→Simplified converter for it. Passages
    # stored before have 0: converted, as they always were.
    """
    ALTER TABLE passages ADD COLUMN simplified INTEGER NOT NULL DEFAULT 0;
    """,
)


async def check_current(conn: aiosqlite.Connection) -> None:
    """Raise StoreError unless the database has every migration (for read-only use)."""
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    version = int(row[0]) if row else 0
    if version != len(MIGRATIONS):
        raise StoreError(
            f"database schema v{version} is not v{len(MIGRATIONS)}, and the file is read-only "
            "so it cannot be upgraded"
        )


async def _version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection) -> None:
    """Apply the migrations `conn`'s database lacks.

    The version is read again once the write lock is held: two processes opening a new
    database at once must not both apply the same migration.
    """
    version = await _version(conn)
    if version > len(MIGRATIONS):
        raise StoreError(f"database schema v{version} is newer than this newsbot")
    if version == len(MIGRATIONS):
        return
    await conn.execute("BEGIN IMMEDIATE")
    try:
        for number in range(await _version(conn), len(MIGRATIONS)):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number + 1}")
    except BaseException:
        await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")

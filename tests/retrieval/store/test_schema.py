"""Schema migrations: new, reopened, older and newer databases, and files that are not ones."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from retrieval.errors import StoreError
from retrieval.records import Article, NewPassage, Paragraph
from retrieval.store import MIGRATIONS, Store


def _article(aid: str, text: str = "正文。") -> Article:
    return Article(id=aid, title=f"标题{aid}", paragraphs=[Paragraph(text, "小标题")])


async def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "sub" / "n.db")
    await store.close()
    async with aiosqlite.connect(tmp_path / "sub" / "n.db") as conn:
        async with conn.execute("PRAGMA user_version") as cur:
            assert (await cur.fetchone()) == (len(MIGRATIONS),)
        async with conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone()) == ("wal",)


async def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    async with store.transaction() as tx:
        await tx.insert_articles([(_article("a"), "h", [NewPassage(0, 0, 3)])])
    await store.close()
    store = await Store.open(tmp_path / "n.db")
    assert await store.articles.counts() == (1, 1)
    await store.close()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    async with aiosqlite.connect(tmp_path / "n.db") as conn:
        await conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="newer"):
        await Store.open(tmp_path / "n.db")


async def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable newsbot database"):
        await Store.open(path)


async def test_version_1_database_gains_feeds_and_subscriptions_and_keeps_articles(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v1.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await conn.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
        await conn.execute(
            "INSERT INTO articles (id, seq, title, body, content_hash, ingested_at)"
            " VALUES ('old', 1, '旧文章', '旧正文。', 'h', '2025-01-01T00:00:00+00:00')"
        )
        await conn.execute(
            "INSERT INTO passages (article_id, paragraph, start, end) VALUES ('old', 0, 0, 4)"
        )
    store = await Store.open(path)
    try:
        assert await store.articles.counts() == (1, 1)
        old = await store.articles.article("old")
        assert old is not None and old.title == "旧文章"
        assert await store.feeds.all() == [] and await store.subscriptions.of_user() == []
        feed = await store.feeds.add("https://example.com/rss", 30, "2025-01-01T00:00:00+00:00")
        assert feed is not None and feed.url == "https://example.com/rss"
    finally:
        await store.close()
    async with aiosqlite.connect(path) as conn:
        async with conn.execute("PRAGMA user_version") as cur:
            assert (await cur.fetchone()) == (len(MIGRATIONS),)
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur:
            tables = {r[0] async for r in cur}
    assert {"feeds", "subscriptions", "articles"} <= tables

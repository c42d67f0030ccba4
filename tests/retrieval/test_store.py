"""Schema migrations and transactions."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from retrieval.errors import StoreError
from retrieval.records import Article, FeedPollState, NewPassage, Paragraph
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


async def test_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    async with store.transaction() as tx:
        await tx.insert_articles([(_article("keep"), "h", [NewPassage(0, 0, 3)])])
        await tx.save_blobs({"terms": b"a"})
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.delete_articles(["keep"])
            await tx.insert_articles([(_article("new"), "h", [NewPassage(0, 0, 3)])])
            await tx.save_blobs({"terms": b"b"})
            raise RuntimeError("crash half-way")
    assert await store.articles.counts() == (1, 1)
    assert (await store.articles.article("keep")) is not None
    assert await store.articles.load_blobs() == {"terms": b"a"}
    await store.close()


async def test_passages_are_sliced_from_their_paragraph(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    async with store.transaction() as tx:
        ids = await tx.insert_articles(
            [(_article("a", "第一句。第二句。"), "h", [NewPassage(0, 0, 4), NewPassage(0, 4, 8)])]
        )
    rows = await store.articles.passages(ids[0])
    assert [rows[i].text for i in ids[0]] == ["第一句。", "第二句。"]
    assert rows[ids[0][0]].heading == "小标题" and rows[ids[0][0]].title == "标题a"
    await store.close()


async def test_passage_ids_are_never_reused(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    async with store.transaction() as tx:
        first = await tx.insert_articles([(_article("a"), "h", [NewPassage(0, 0, 3)])])
        await tx.delete_articles(["a"])
        second = await tx.insert_articles([(_article("a"), "h", [NewPassage(0, 0, 3)])])
    assert second[0][0] > first[0][0]
    await store.close()


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


async def test_feeds_are_unique_by_url_and_record_each_poll(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    try:
        feed = await store.feeds.add("https://a.example/rss", 15, "2025-01-01T00:00:00+00:00")
        assert feed is not None and feed.interval_minutes == 15 and feed.failures == 0
        assert await store.feeds.add("https://a.example/rss", 5, "x") is None  # duplicate
        assert await store.feeds.due("2024-12-31T00:00:00+00:00") == []
        assert [f.id for f in await store.feeds.due("2025-01-01T00:00:00+00:00")] == [feed.id]
        ok = FeedPollState("2025-01-01T00:00:00+00:00", True, '"e"', "lm", "", 3, 0, "2025-01-02")
        await store.feeds.record_poll(feed.id, ok)
        bad = FeedPollState("2025-01-02T00:00:00+00:00", False, '"e"', "lm", "boom", 0, 1, "z")
        await store.feeds.record_poll(feed.id, bad)
        after = await store.feeds.get(feed.id)
        assert after is not None
        assert (after.etag, after.last_modified, after.items_added) == ('"e"', "lm", 3)
        assert after.last_success == "2025-01-01T00:00:00+00:00"  # kept through the failure
        assert (after.last_polled, after.last_error, after.failures, after.next_poll) == (
            "2025-01-02T00:00:00+00:00", "boom", 1, "z",
        )
        assert await store.feeds.remove(feed.id) and not await store.feeds.remove(feed.id)
        assert await store.feeds.all() == []
    finally:
        await store.close()


async def test_subscriptions_belong_to_their_user(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    try:
        mine = await store.subscriptions.add(1, 10, "乐山 项目")
        theirs = await store.subscriptions.add(2, 20, "高铁")
        assert [s.query for s in await store.subscriptions.of_user(1)] == ["乐山 项目"]
        assert len(await store.subscriptions.of_user()) == 2
        assert not await store.subscriptions.remove(theirs.id, 1)  # not user 1's to remove
        await store.subscriptions.record_alert([mine.id])
        alerted = (await store.subscriptions.of_user(1))[0]
        assert alerted.last_alert >= alerted.created
        assert await store.subscriptions.remove_chat(20) == 1
        assert await store.subscriptions.remove(mine.id, 1)
        assert await store.subscriptions.of_user() == []
    finally:
        await store.close()


async def test_small_writes_wait_for_an_open_transaction_and_survive_its_rollback(
    tmp_path: Path,
) -> None:
    import asyncio

    store = await Store.open(tmp_path / "n.db")
    entered = asyncio.Event()
    release = asyncio.Event()

    async def failing_ingest() -> None:
        async with store.transaction() as tx:
            await tx.insert_articles([(_article("doomed"), "h", [NewPassage(0, 0, 3)])])
            entered.set()
            await release.wait()
            raise RuntimeError("ingest fails after the subscription was written")

    ingest = asyncio.create_task(failing_ingest())
    await entered.wait()
    await store.query_log.log("ask", 1.0, True)  # does not wait for the ingest
    subscribe = asyncio.create_task(store.subscriptions.add(7, 7, "乐山"))
    await asyncio.sleep(0.05)
    assert not subscribe.done(), "a small write must not run inside another transaction"
    release.set()
    with pytest.raises(RuntimeError):
        await ingest
    await subscribe
    assert [s.query for s in await store.subscriptions.of_user(7)] == ["乐山"]
    assert await store.articles.article("doomed") is None
    await store.close()
    store = await Store.open(tmp_path / "n.db")
    assert (await store.query_log.stats("2000-01-01")).count == 1
    await store.close()

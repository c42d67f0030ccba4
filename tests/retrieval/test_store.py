"""Schema migrations and transactions."""

from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from retrieval.models import Article, Paragraph
from retrieval.store import MIGRATIONS, NewPassage, Store, StoreError


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
    assert await store.counts() == (1, 1)
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
    assert await store.counts() == (1, 1)
    assert (await store.article("keep")) is not None
    assert await store.load_blobs() == {"terms": b"a"}
    await store.close()


async def test_passages_are_sliced_from_their_paragraph(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    async with store.transaction() as tx:
        ids = await tx.insert_articles(
            [(_article("a", "第一句。第二句。"), "h", [NewPassage(0, 0, 4), NewPassage(0, 4, 8)])]
        )
    rows = await store.passages(ids[0])
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

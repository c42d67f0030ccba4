"""The one write path: transactions roll back whole; small writes wait and survive rollbacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.records import Article, NewPassage, Paragraph
from retrieval.store import Store


def _article(aid: str, text: str = "正文。") -> Article:
    return Article(id=aid, title=f"标题{aid}", paragraphs=[Paragraph(text, "小标题")])


async def test_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    async with store.transaction() as tx:
        await tx.insert_articles([(_article("keep"), "h", [NewPassage(0, 0, 3)])])
        await tx.set_meta({"terms": "a"})
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.delete_articles(["keep"])
            await tx.insert_articles([(_article("new"), "h", [NewPassage(0, 0, 3)])])
            await tx.set_meta({"terms": "b"})
            raise RuntimeError("crash half-way")
    assert await store.articles.counts() == (1, 1)
    assert (await store.articles.article("keep")) is not None
    assert (await store.articles.meta())["terms"] == "a"
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


async def test_the_mapped_reader_sees_what_another_connection_commits(tmp_path: Path) -> None:
    """The reader maps the file; pages another writer changes (through the WAL) are still read
    as committed, never a stale copy."""
    reader_side = await Store.open(tmp_path / "n.db")
    await reader_side.map_for_questions()
    writer_side = await Store.open(tmp_path / "n.db")
    assert await reader_side.articles.article("a") is None
    async with writer_side.transaction() as tx:
        await tx.insert_articles([(_article("a", "第一版。"), "h1", [NewPassage(0, 0, 4)])])
    first = await reader_side.articles.article("a")
    assert first is not None and first.text == "第一版。"
    async with writer_side.transaction() as tx:
        await tx.delete_articles(["a"])
        await tx.insert_articles([(_article("a", "第二版正文。"), "h2", [NewPassage(0, 0, 6)])])
    second = await reader_side.articles.article("a")
    assert second is not None and second.text == "第二版正文。"
    rows = await reader_side.articles.passages(
        await reader_side.articles.passage_ids()
    )
    assert [r.text for r in rows.values()] == ["第二版正文。"]
    await writer_side.close()
    await reader_side.close()


async def test_the_data_version_moves_exactly_when_something_is_committed(
    tmp_path: Path,
) -> None:
    store = await Store.open(tmp_path / "n.db")
    other = await Store.open(tmp_path / "n.db")
    assert store.data_version() is None  # no quick reader before answering questions
    await store.map_for_questions()
    start = store.data_version()
    assert start is not None
    await store.articles.passage_ids()  # reading commits nothing
    assert store.data_version() == start
    async with store.transaction() as tx:  # this process's own writer
        await tx.insert_articles([(_article("a"), "h1", [NewPassage(0, 0, 3)])])
    after_own = store.data_version()
    assert after_own != start
    assert [r.text for r in (await store.articles.passages([1])).values()] == ["正文。"]
    async with other.transaction() as tx:  # another connection, as another process would
        await tx.insert_articles([(_article("b", "别的。"), "h2", [NewPassage(0, 0, 3)])])
    assert store.data_version() != after_own
    assert [r.text for r in (await store.articles.passages([2])).values()] == ["别的。"]
    await other.close()
    await store.close()

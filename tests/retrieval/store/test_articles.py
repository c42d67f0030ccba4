"""Article tables: passages sliced from stored bodies, passage ids never reused."""

from __future__ import annotations

from pathlib import Path

from retrieval.records import Article, NewPassage, Paragraph
from retrieval.store import Store


def _article(aid: str, text: str = "正文。") -> Article:
    return Article(id=aid, title=f"标题{aid}", paragraphs=[Paragraph(text, "小标题")])


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

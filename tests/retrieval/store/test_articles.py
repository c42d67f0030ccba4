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
    assert rows[ids[0][0]].title == "标题a"
    await store.close()


async def test_headings_are_read_for_the_paragraphs_asked_that_have_one(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    headed = Article(
        id="b", title="标题b",
        paragraphs=[
            Paragraph("导语。"), Paragraph("一节。", "一、背景"), Paragraph("二节。", "二、做法")
        ],
    )
    async with store.transaction() as tx:
        await tx.insert_articles([(headed, "h", [NewPassage(0, 0, 3)])])
    asked = [("b", 0), ("b", 2), ("b", 2), ("b", 9), ("none", 1)]
    assert await store.articles.headings(asked) == {("b", 2): "二、做法"}
    assert await store.articles.headings([]) == {}
    await store.close()


async def test_passage_ids_are_never_reused(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "n.db")
    async with store.transaction() as tx:
        first = await tx.insert_articles([(_article("a"), "h", [NewPassage(0, 0, 3)])])
        await tx.delete_articles(["a"])
        second = await tx.insert_articles([(_article("a"), "h", [NewPassage(0, 0, 3)])])
    assert second[0][0] > first[0][0]
    await store.close()

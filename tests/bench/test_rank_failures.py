"""The failure analysis' buckets, and its answer passages cut the way ingest cuts them."""

from __future__ import annotations

from pathlib import Path

from bench.quality import Question
from bench.rank_failures import answer_passages, bucket
from retrieval import NewsService
from retrieval.records import Article, Paragraph

#: Two sentences of about 200 characters each: at most 300 per passage puts each in its own.
FIRST = "甲" * 197 + "在乐山。"
SECOND = "乙" * 190 + "主席是李丰，任期五年。"


def test_buckets_name_rank_ranges_and_misses() -> None:
    assert bucket(0, 200) == "rank 1"
    assert bucket(4, 200) == "ranks 2-5"
    assert bucket(5, 200) == "ranks 6-30"
    assert bucket(150, 200) == "ranks 101-200"
    assert bucket(None, 200) == "not in the top 200"


async def test_answer_passages_are_the_stored_cuts_and_a_straddling_answer_has_none(
    tmp_path: Path,
) -> None:
    service = await NewsService.open(tmp_path / "t.db")
    try:
        await service.ingest_articles(
            [Article("a1", "标题", [Paragraph(FIRST + SECOND)], date="2023-08-01")], "test"
        )
        held, in_article = await answer_passages(
            service, Question("主席是谁？", frozenset({"a1"}), ("李丰",))
        )
        assert in_article
        assert held == {SECOND}
        # 「乐山。乙乙」 spans the cut between the two passages: the article holds it, no passage.
        held, in_article = await answer_passages(
            service, Question("在哪里？", frozenset({"a1"}), ("乐山。乙乙",))
        )
        assert in_article
        assert held == set()
    finally:
        await service.close()

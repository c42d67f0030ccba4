"""Search and ask (retrieval.service.questions) through NewsService on the seed page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.service import NewsService, QueryError, UnknownArticle
from tests.conftest import DATA, SEED_PAGE

PAGE = SEED_PAGE.stem


def _seed_questions() -> list[dict[str, object]]:
    lines = (DATA / "seed_questions.jsonl").read_text("utf-8").splitlines()
    return [json.loads(ln) for ln in lines if ln.strip()]


@pytest.mark.parametrize("case", _seed_questions(), ids=lambda c: str(c["question"]))
async def test_seed_questions_are_answered_in_the_top_three(
    service: NewsService, case: dict[str, object]
) -> None:
    answer = await service.ask(str(case["question"]))
    expected = f"{PAGE}-{case['article']}"
    assert any(
        h.article_id == expected and str(case["answer"]) in h.text for h in answer.hits[:3]
    ), [h.text[:40] for h in answer.hits]


async def test_answer_sentence_and_sources(service: NewsService) -> None:
    answer = await service.ask("乐山农商银行向哪家公司发放了贷款？")
    assert answer.found
    assert "亚庆农牧" in answer.sentence
    top = answer.hits[0]
    assert top.article_id == f"{PAGE}-3"
    assert "落地符合农业转型金融标准贷款" in top.title
    assert top.source == SEED_PAGE.name


async def test_each_hit_carries_its_paragraphs_section_heading(service: NewsService) -> None:
    """Headings are read for the page shown only; each must be its own paragraph's."""
    result = await service.search("项目拉练 招商引资 大体检", k=10)
    assert result.hits
    for hit in result.hits:
        article = await service.article(hit.article_id)
        assert hit.heading == article.paragraphs[hit.paragraph].heading
    assert any(h.heading for h in result.hits)  # a section of the feature is among them


async def test_off_topic_questions_are_not_found(service: NewsService) -> None:
    lines = (DATA / "seed_offtopic.txt").read_text("utf-8").splitlines()
    silent = [not (await service.ask(q)).found for q in lines if q.strip()]
    assert sum(silent) / len(silent) >= 0.8


async def test_queries_without_words_are_refused(service: NewsService) -> None:
    for query in ("", "   ", "？？！！", "😀🎉", "的了吗"):
        with pytest.raises(QueryError):
            await service.search(query)


async def test_a_very_long_query_is_answered(service: NewsService) -> None:
    result = await service.search("乐山农商银行贷款" * 1250)
    assert result.hits and result.hits[0].article_id == f"{PAGE}-3"


async def test_search_pages_do_not_overlap(service: NewsService) -> None:
    first = await service.search("项目", k=5)
    second = await service.search("项目", k=5, offset=5)
    assert [h.rank for h in second.hits] == [6, 7, 8, 9, 10]
    assert not {(h.article_id, h.text) for h in first.hits} & {
        (h.article_id, h.text) for h in second.hits
    }


async def test_unknown_article(service: NewsService) -> None:
    with pytest.raises(UnknownArticle):
        await service.article("nope")


async def test_topic_summary_collapses_reprints(service: NewsService, tmp_path: Path) -> None:
    story = "峨眉山景区端午假期接待游客12.6万人次，同比增长三成。景区提前增派了观光车。"
    records = [
        {"id": "wire-1", "title": "峨眉山端午接待游客12.6万人次", "text": story},
        {"id": "wire-2", "title": "峨眉山端午接待游客12.6万人次", "text": story},
        {"id": "other", "title": "乐山大佛夜游开放", "text": "乐山大佛推出夜游，端午游客可夜游。"},
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    await service.ingest([path])
    topic = await service.summarize("端午 游客")
    ids = [item.article_id for item in topic.items]
    assert len({"wire-1", "wire-2"} & set(ids)) == 1 and "other" in ids
    search = await service.search("峨眉山端午接待游客")
    assert len({"wire-1", "wire-2"} & {h.article_id for h in search.hits}) == 1


async def test_a_process_over_its_mapped_page_budget_releases_them_and_answers_the_same(
    service: NewsService,
) -> None:
    before = await service.search("乐山农商银行贷款")
    pages = service._shared.pages
    pages.budget = 0  # every question finds the process over budget
    after = await service.search("乐山农商银行贷款")
    assert pages.releases >= 1 or pages.resident_file_bytes() is None
    assert [(h.article_id, h.text) for h in after.hits] == [
        (h.article_id, h.text) for h in before.hits
    ]


async def test_search_on_a_worker_thread_finds_what_the_loop_finds(
    service: NewsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.service import questions

    inline = await service.search("乐山农商银行贷款")
    monkeypatch.setattr(questions, "INLINE_SEARCH_PASSAGES", 0)  # as over a huge index
    threaded = await service.search("乐山农商银行贷款")
    assert [(h.article_id, h.score) for h in threaded.hits] == [
        (h.article_id, h.score) for h in inline.hits
    ]


async def test_a_service_answering_many_questions_loads_the_compiled_search_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import retrieval.segment_search as segment_search
    import retrieval.term_matrix as term_matrix

    monkeypatch.setattr(segment_search, "compiled_loaded", False)
    monkeypatch.setattr(term_matrix, "_compiled", None)
    service = await NewsService.open(tmp_path / "n.db")
    try:
        await service.ingest([SEED_PAGE])
        before = (await service.search("亚庆农牧")).hits
        answer = await service.ask("乐山农商银行向哪家公司发放了贷款？")
        # One page is far too small for it to pay: nothing is loaded.
        assert not await service.prepare_for_many_questions()
        assert not segment_search.compiled_loaded
        assert term_matrix._compiled is None
        monkeypatch.setattr(segment_search, "COMPILED_WHEN_LOADED_FROM", 1)
        assert await service.prepare_for_many_questions()
        assert segment_search.compiled_loaded
        assert term_matrix._compiled is not None  # the second stage's passes too
        assert (await service.search("亚庆农牧")).hits == before
        again = await service.ask("乐山农商银行向哪家公司发放了贷款？")
        assert (again.sentence, again.hits, again.confidence) == (
            answer.sentence, answer.hits, answer.confidence
        )
    finally:
        await service.close()

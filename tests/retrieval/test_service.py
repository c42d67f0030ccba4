"""NewsService end to end on the seed page and on small inputs written by the tests."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from retrieval.service import NewsService, QueryError, UnknownArticle
from tests.conftest import DATA, SEED_PAGE, SEEDS

PAGE = SEED_PAGE.stem


def _seed_questions() -> list[dict[str, object]]:
    lines = (DATA / "seed_questions.jsonl").read_text("utf-8").splitlines()
    return [json.loads(ln) for ln in lines if ln.strip()]


async def test_empty_database_ingests_the_seed_folder(service: NewsService) -> None:
    assert [a.id for a in await service.articles()][:0] == []
    stats = await service.stats()
    assert stats.articles == 5 and stats.passages > 5
    assert {a.id for a in await service.articles()} == {f"{PAGE}-{i}" for i in range(1, 6)}


async def test_reingesting_the_same_page_adds_nothing(service: NewsService) -> None:
    report = await service.ingest([SEEDS])
    assert (report.added, report.unchanged, report.replaced, report.failed) == (0, 5, 0, 0)


async def test_a_changed_article_replaces_its_old_version(
    service: NewsService, tmp_path: Path
) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"id": "x1", "text": "旧版本提到青蛙。"}, ensure_ascii=False))
    assert (await service.ingest([path])).added == 1
    path.write_text(json.dumps({"id": "x1", "text": "新版本提到熊猫。"}, ensure_ascii=False))
    report = await service.ingest([path])
    assert (report.added, report.replaced) == (0, 1)
    assert (await service.search("熊猫")).hits[0].article_id == "x1"
    assert (await service.search("青蛙")).hits == []


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


async def test_bad_files_are_reported_and_good_ones_still_go_in(
    service: NewsService, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("熊猫新闻\n\n成都大熊猫基地迎来新生熊猫宝宝。", "utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "企鹅。"}\n{oops\n', "utf-8")
    report = await service.ingest([good, bad, tmp_path / "missing.md"])
    assert (report.added, report.failed) == (2, 2)
    assert [str(e) for e in report.errors] == [
        f"{bad}:2: malformed JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
        f"{tmp_path / 'missing.md'}: no such file or directory",
    ]
    assert (await service.stats()).articles == 7


async def test_a_crash_half_way_through_ingest_keeps_the_previous_state(
    service: NewsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "n.jsonl"
    record = {"id": f"{PAGE}-3", "text": "覆盖原文的新内容。"}
    path.write_text(json.dumps(record, ensure_ascii=False))

    async def crash(*args: object) -> None:
        raise KeyboardInterrupt

    from retrieval.store import Transaction

    monkeypatch.setattr(Transaction, "save_blobs", crash)
    with pytest.raises(KeyboardInterrupt):
        await service.ingest([path])
    assert (await service.stats()).articles == 5
    assert "亚庆农牧" in " ".join(p.text for p in (await service.article(f"{PAGE}-3")).paragraphs)
    assert (await service.search("亚庆农牧")).hits
    monkeypatch.undo()
    reopened = await NewsService.open(service.store.path)
    assert (await reopened.search("亚庆农牧")).hits[0].article_id == f"{PAGE}-3"
    await reopened.close()


async def test_restart_loads_the_saved_index_without_reingesting(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    first = await NewsService.open(db, seed_paths=[SEEDS])
    expected = await first.search("钜能")
    await first.close()
    again = await NewsService.open(db, seed_paths=[SEEDS])
    assert len(again.index) > 0
    assert (await again.search("钜能")).hits == expected.hits[:] or [
        h.article_id for h in (await again.search("钜能")).hits
    ] == [h.article_id for h in expected.hits]
    await again.close()


async def test_reindex_keeps_answering_meanwhile(service: NewsService) -> None:
    async def ask_many() -> list[bool]:
        return [(await service.ask("柏林村的荷塘有多少亩？")).found for _ in range(20)]

    report, answers = await asyncio.gather(service.reindex(), ask_many())
    assert all(answers)
    assert report.passages == (await service.stats()).passages


async def test_summaries(service: NewsService) -> None:
    one = await service.summarize(f"{PAGE}-3")
    assert one.kind == "article" and len(one.items[0].sentences) <= 3
    assert "亚庆农牧" in "".join(one.items[0].sentences)
    digest = await service.summarize()
    assert digest.kind == "digest" and len(digest.items) == 5
    topic = await service.summarize("乐山 项目建设")
    assert topic.kind == "topic" and topic.items
    assert len({i.article_id for i in topic.items}) == len(topic.items)


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


async def test_every_stored_passage_fits_the_bound(service: NewsService) -> None:
    from retrieval.passages import MAX_PASSAGE_CHARS

    texts = [text async for _, text in service.store.articles.all_passages()]
    assert texts and max(len(t) for t in texts) <= MAX_PASSAGE_CHARS
    # Short paragraphs are packed with the one before them (「…赵迎春主持。」 is not alone).
    assert any("赵迎春主持" in t and "高质量发展" in t for t in texts)

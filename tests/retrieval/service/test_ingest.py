"""Ingest and reindex (retrieval.service.ingest) through NewsService, on the seed page and small
inputs written by the tests."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from retrieval.service import NewsService
from tests.conftest import SEED_PAGE, SEEDS, open_seeded

PAGE = SEED_PAGE.stem


async def test_an_empty_database_is_never_loaded_implicitly(tmp_path: Path) -> None:
    empty = await NewsService.open(tmp_path / "empty.db")
    try:
        assert (await empty.stats()).articles == 0 and len(empty.index) == 0
        assert (await empty.reindex()).articles == 0  # a rebuild loads nothing either
    finally:
        await empty.close()


async def test_ingesting_the_seed_folder(service: NewsService) -> None:
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

    from retrieval.segment_files import segments_dir
    from retrieval.store.segments import SegmentWrites

    before = sorted(p.name for p in segments_dir(service.store.path).iterdir())
    # The new segment is written by then: it must not stay behind, registered or not.
    monkeypatch.setattr(SegmentWrites, "register", crash)
    with pytest.raises(KeyboardInterrupt):
        await service.ingest([path])
    assert sorted(p.name for p in segments_dir(service.store.path).iterdir()) == before
    assert (await service.stats()).articles == 5
    assert "亚庆农牧" in " ".join(p.text for p in (await service.article(f"{PAGE}-3")).paragraphs)
    assert (await service.search("亚庆农牧")).hits
    monkeypatch.undo()
    reopened = await NewsService.open(service.store.path)
    assert (await reopened.search("亚庆农牧")).hits[0].article_id == f"{PAGE}-3"
    await reopened.close()


async def test_restart_loads_the_saved_index_without_reingesting(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    first = await open_seeded(db)
    expected = await first.search("钜能")
    await first.close()
    again = await NewsService.open(db)
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


async def test_every_stored_passage_fits_the_bound(service: NewsService) -> None:
    from retrieval.passages import MAX_PASSAGE_CHARS

    texts = [text async for _, text in service.store.articles.all_passages()]
    assert texts and max(len(t) for t in texts) <= MAX_PASSAGE_CHARS
    # Short paragraphs are packed with the one before them (「…赵迎春主持。」 is not alone).
    assert any("赵迎春主持" in t and "高质量发展" in t for t in texts)


async def test_each_passage_is_stored_with_whether_folding_keeps_its_script(
    service: NewsService, tmp_path: Path
) -> None:
    """A Simplified passage skips the converter at search time; a Traditional one is marked
    for it, and both are found by a Simplified question."""
    from retrieval.folding import keeps_script

    path = tmp_path / "scripts.jsonl"
    records = [
        {"id": "trad", "text": "樂山農商銀行向亞慶農牧發放貸款。"},
        {"id": "simp", "text": "乐山农商银行向别的公司发放贷款。"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    await service.ingest([path])
    rows = await service.store.articles.passages(list(range(1, 200)))
    by_article = {r.article_id: r for r in rows.values() if r.article_id in ("trad", "simp")}
    assert by_article["simp"].simplified and not by_article["trad"].simplified
    assert all(r.simplified == keeps_script(r.text) for r in rows.values())
    found = {h.article_id for h in (await service.search("乐山农商银行 贷款")).hits}
    assert {"trad", "simp"} <= found


async def test_reindex_marks_the_passages_stored_before_the_mark(
    service: NewsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database from before the mark has every passage unmarked (converted at search
    time, as before); a reindex marks the ones folding keeps, in batches."""
    import aiosqlite

    from retrieval.folding import keeps_script
    from retrieval.service import index_upkeep

    async with aiosqlite.connect(service.store.path) as conn:
        await conn.execute("UPDATE passages SET simplified = 0")
        await conn.commit()
    ids = await service.store.articles.passage_ids()
    assert not any(r.simplified for r in (await service.store.articles.passages(ids)).values())
    monkeypatch.setattr(index_upkeep, "_MARK_BATCH", 7)
    before = [(h.article_id, h.score) for h in (await service.search("亚庆农牧 贷款")).hits]
    await service.reindex()
    rows = (await service.store.articles.passages(ids)).values()
    assert all(r.simplified == keeps_script(r.text) for r in rows)
    assert sum(r.simplified for r in rows) > 0.9 * len(ids)
    assert [(h.article_id, h.score) for h in (await service.search("亚庆农牧 贷款")).hits] == before
    assert await service._ingest.upkeep.mark_simplified() == 0  # nothing left to mark

"""Several processes on one database: concurrent ingests, a running service seeing another
process's work, never overwriting it, concurrent ingests of one file, and a query log that
never waits for another process's write lock."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from retrieval import NewsService, StoreError
from retrieval.segment_files import segments_dir
from retrieval.store import Store
from tests.retrieval.service.processes import finish, hold_write_lock, start_ingest

ANIMALS = ["熊猫", "企鹅", "海豚", "骆驼", "孔雀", "松鼠", "斑马", "袋鼠"]


def _file(path: Path, prefix: str, n: int) -> Path:
    """`n` articles `prefix-i`, each naming a different animal and a number of its own."""
    lines = [
        json.dumps(
            {"id": f"{prefix}-{i}", "text": f"{prefix}报道：{ANIMALS[i % 8]}第{i}号在园区出生。"},
            ensure_ascii=False,
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines), "utf-8")
    return path


async def _searchable(service: NewsService, article_ids: set[str]) -> set[str]:
    """The ids among `article_ids` found by searching for their own text."""
    found = set()
    for article_id in article_ids:
        article = await service.article(article_id)
        result = await service.search(article.paragraphs[0].text, k=3)
        if article_id in {h.article_id for h in result.hits}:
            found.add(article_id)
    return found


async def _consistent(service: NewsService) -> None:
    """Every stored passage is in the index exactly once (no loss, no duplicate)."""
    view = await service._shared.fresh_index()
    _, passages = await service.store.articles.counts()
    assert len(view) == passages
    assert len(set(view.keys.tolist())) == passages


async def test_two_processes_ingesting_at_once_leave_everything_searchable(
    tmp_path: Path,
) -> None:
    db = tmp_path / "n.db"
    first = start_ingest(db, _file(tmp_path / "a.jsonl", "甲", 40))
    second = start_ingest(db, _file(tmp_path / "b.jsonl", "乙", 40))
    assert finish(first).split() == ["40", "0", "0", "0"]
    assert finish(second).split() == ["40", "0", "0", "0"]
    service = await NewsService.open(db)
    wanted = {f"{p}-{i}" for p in "甲乙" for i in range(40)}
    assert await _searchable(service, wanted) == wanted
    await _consistent(service)
    await service.close()


async def test_a_running_service_sees_another_process_ingest_at_the_next_question(
    service: NewsService, tmp_path: Path
) -> None:
    assert (await service.search("袋鼠")).hits == []
    finish(start_ingest(service.store.path, _file(tmp_path / "a.jsonl", "丙", 8)))
    hits = (await service.search("袋鼠")).hits
    assert [h.article_id for h in hits] == ["丙-7"]


async def test_a_service_never_overwrites_a_segment_it_did_not_build(
    service: NewsService, tmp_path: Path
) -> None:
    root = segments_dir(service.store.path)
    finish(start_ingest(service.store.path, _file(tmp_path / "other.jsonl", "丁", 8)))
    theirs = {p.name: {f.name: f.stat().st_mtime_ns for f in p.iterdir()} for p in root.iterdir()}
    # This service has not looked since: it ingests and deletes from an older view.
    await service.ingest([_file(tmp_path / "mine.jsonl", "戊", 8)])
    assert await service.delete_articles(["戊-0"]) == 1
    for name, files in theirs.items():
        assert {f.name: f.stat().st_mtime_ns for f in (root / name).iterdir()} == files
    again = await NewsService.open(service.store.path)
    wanted = {f"丁-{i}" for i in range(8)} | {f"戊-{i}" for i in range(1, 8)}
    assert await _searchable(again, wanted) == wanted
    await _consistent(again)
    await again.close()


async def test_the_same_file_ingested_by_two_processes_at_once_is_stored_once(
    tmp_path: Path,
) -> None:
    db = tmp_path / "n.db"
    path = _file(tmp_path / "same.jsonl", "己", 30)
    runs = [start_ingest(db, path) for _ in range(2)]
    reports = sorted(finish(run).split() for run in runs)
    # Whichever commits second finds everything stored already: no error, no duplicate.
    assert reports == [["0", "30", "0", "0"], ["30", "0", "0", "0"]]
    service = await NewsService.open(db)
    assert (await service.stats()).articles == 30
    await _consistent(service)
    await service.close()


async def test_an_article_stored_by_another_process_meanwhile_is_not_stored_twice(
    service: NewsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of the test above, made certain: the first look (outside the transaction)
    misses what another process stores before the write transaction begins."""
    path = _file(tmp_path / "a.jsonl", "庚", 3)
    other = await NewsService.open(service.store.path)
    await other.ingest([path])
    await other.close()

    async def nothing_stored(ids: object) -> dict[str, str]:
        return {}

    monkeypatch.setattr(service.store.articles, "content_hashes", nothing_stored)
    report = await service.ingest([path])
    assert (report.added, report.unchanged, report.failed) == (0, 3, 0)
    await _consistent(service)


async def test_feed_style_ingests_of_the_same_items_in_two_services_do_not_collide(
    tmp_path: Path,
) -> None:
    import asyncio

    from retrieval import Article, Paragraph

    db = tmp_path / "n.db"
    first, second = await NewsService.open(db), await NewsService.open(db)
    items = [Article(id=f"feed-{i}", title="标题", paragraphs=[Paragraph(f"新闻{i}号。")])
             for i in range(5)]
    reports = await asyncio.gather(
        first.ingest_articles(items, "feed"), second.ingest_articles(items, "feed")
    )
    assert sorted(r.added for r in reports) == [0, 5]
    await _consistent(first)
    await first.close()
    await second.close()


async def test_answers_do_not_wait_for_another_process_holding_the_write_lock(
    service: NewsService,
) -> None:
    holder = hold_write_lock(service.store.path, 2.0)
    try:
        started = time.perf_counter()
        answer = await service.ask("柏林村的荷塘有多少亩？")
        await service.stats()
        assert time.perf_counter() - started < 1.0
        assert answer.found
    finally:
        finish(holder)
    # The logged question went out with the next write once the lock was free.
    await service.store.query_log.log("search", 1.0, True)
    assert (await service.store.query_log.stats("2000-01-01")).count == 2


async def test_a_write_waits_boundedly_then_reports_one_line(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    await (await Store.open(db)).close()  # create it
    store = await Store.open(db, busy_timeout_s=0.3)
    holder = hold_write_lock(db, 1.0)
    try:
        started = time.perf_counter()
        try:
            async with store.transaction():
                pass
        except StoreError as exc:
            message = str(exc)
        else:
            raise AssertionError("the transaction should not have begun")
        assert time.perf_counter() - started < 0.9
        assert "\n" not in message and str(db) in message and "another process" in message
    finally:
        finish(holder)
        await store.close()

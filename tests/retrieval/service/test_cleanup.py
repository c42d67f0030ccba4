"""Deleting, pruning, retention and export (retrieval.service.cleanup) through NewsService."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from retrieval import NewsService, jsonl_record
from tests.conftest import SEED_PAGE

PAGE = SEED_PAGE.stem


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    return path


DATED = [
    {"id": "old-1", "date": "2023-07-01", "source": "甲报", "text": "七月初的熊猫新闻。"},
    {"id": "old-2", "date": "2023-07-02T09:30:00+08:00", "source": "乙报", "text": "熊猫扩建。"},
    {"id": "new-1", "date": "2023-07-20", "source": "甲报", "text": "七月下旬熊猫宝宝出生。"},
]


async def test_deleted_articles_are_gone_from_every_answer_at_once(service: NewsService) -> None:
    loan = "乐山农商银行向哪家公司发放了贷款？"
    assert (await service.ask(loan)).found
    passages_before = (await service.stats()).passages
    assert await service.delete_articles([f"{PAGE}-3", "no-such-id", f"{PAGE}-3"]) == 1
    assert all(h.article_id != f"{PAGE}-3" for h in (await service.search("亚庆农牧")).hits)
    assert not (await service.ask(loan)).found
    stats = await service.stats()
    assert stats.articles == 4 and len(service.index) == stats.passages < passages_before
    assert await service.delete_articles([f"{PAGE}-3"]) == 0
    reopened = await NewsService.open(service.store.path)  # the deletion was saved with the index
    try:
        assert len(reopened.index) == stats.passages
        assert all(h.article_id != f"{PAGE}-3" for h in (await reopened.search("亚庆农牧")).hits)
    finally:
        await reopened.close()


async def test_prune_by_date_and_source(service: NewsService, tmp_path: Path) -> None:
    await service.ingest([write_jsonl(tmp_path / "d.jsonl", DATED)])
    assert await service.prune(dt.date(2023, 7, 2), source="乙报") == 0  # old-2 is on the 2nd
    assert await service.prune(dt.date(2023, 7, 3), source="乙报") == 1
    assert {h.article_id for h in (await service.search("熊猫")).hits} == {"old-1", "new-1"}
    assert await service.prune(dt.date(2023, 7, 10)) == 1  # the undated seed page stays
    assert (await service.stats()).articles == 6


async def test_retention_counts_undated_articles_from_their_ingestion(
    service: NewsService, tmp_path: Path
) -> None:
    await service.ingest([write_jsonl(tmp_path / "d.jsonl", DATED)])
    today = dt.datetime.now(dt.UTC).date()
    assert await service.apply_retention(30, dt.date(2023, 7, 31)) == 0  # 07-01 is 30 days old
    assert await service.apply_retention(20, dt.date(2023, 7, 31)) == 2  # before 07-11
    ids = {a.id for a in await service.articles()}
    assert "new-1" in ids and f"{PAGE}-1" in ids  # the seed page was ingested today
    assert await service.apply_retention(2, today + dt.timedelta(days=2)) == 1  # new-1 only
    assert await service.apply_retention(1, today + dt.timedelta(days=2)) == 5  # the seed page


async def test_export_reads_back_as_the_same_articles(
    service: NewsService, tmp_path: Path
) -> None:
    await service.ingest([write_jsonl(tmp_path / "d.jsonl", DATED)])
    backup = tmp_path / "backup.jsonl"
    lines = [
        json.dumps(jsonl_record(a), ensure_ascii=False) async for a in service.export_articles()
    ]
    backup.write_text("\n".join(lines), "utf-8")
    copy = await NewsService.open(tmp_path / "copy.db")
    try:
        assert (await copy.ingest([backup])).added == 8
        for original in [await service.article(i) for i in ("old-2", f"{PAGE}-1", f"{PAGE}-5")]:
            restored = await copy.article(original.id)
            assert (restored.title, restored.date, restored.source, restored.text) == (
                original.title, original.date, original.source, original.text
            )
            assert (restored.kicker, restored.subtitle, restored.author) == (
                original.kicker, original.subtitle, original.author
            )
        again = await service.ingest([backup])
        # Only the article with section headings changes: headings are not in the JSONL form.
        assert (again.unchanged, again.replaced) == (7, 1)
    finally:
        await copy.close()
    since = [a.id async for a in service.export_articles(dt.date(2023, 7, 2))]
    assert "old-1" not in since and {"old-2", "new-1", f"{PAGE}-1"} <= set(since)

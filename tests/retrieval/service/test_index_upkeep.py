"""The segmented index through the service: delete, merge, reindex (and its failure), clean-up
of directories, and opening a database of the whole-index-blob era."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import aiosqlite
import pytest

import retrieval.segment_bounds as segment_bounds
from retrieval import NewsService
from retrieval.index import InvertedIndex
from retrieval.legacy_index import to_blobs
from retrieval.segment_files import segments_dir
from retrieval.segment_merge import MergePolicy
from retrieval.segment_search import SegmentSet
from retrieval.service.tokenizing import worker_tokenizer
from retrieval.store.segments import SegmentWrites
from tests.conftest import SEED_PAGE, open_seeded
from tests.retrieval.format_1_segments import rewrite_as_format_1

PAGE = SEED_PAGE.stem


def _dirs(service: NewsService) -> list[str]:
    return sorted(p.name for p in segments_dir(service.store.path).iterdir())


async def _ranking(service: NewsService, query: str) -> list[tuple[str, float]]:
    return [(h.article_id, h.score) for h in (await service.search(query)).hits]


async def test_deleted_articles_are_gone_at_once_also_for_another_service(
    service: NewsService,
) -> None:
    other = await NewsService.open(service.store.path)
    assert f"{PAGE}-3" in {h.article_id for h in (await other.search("亚庆农牧")).hits}
    assert await service.delete_articles([f"{PAGE}-3", "no-such-id"]) == 1
    assert f"{PAGE}-3" not in {h.article_id for h in (await service.search("亚庆农牧")).hits}
    assert f"{PAGE}-3" not in {h.article_id for h in (await other.search("亚庆农牧")).hits}
    assert (await other.stats()).articles == 4
    assert len(other.index) == (await other.stats()).passages
    await other.close()


async def test_small_segments_are_merged_without_changing_any_score(
    service: NewsService, tmp_path: Path
) -> None:
    service._shared.merge_policy = MergePolicy(factor=3, floor_docs=1000)
    before = await _ranking(service, "熊猫")
    for i in range(2):
        path = tmp_path / f"{i}.jsonl"
        path.write_text(json.dumps({"id": f"x{i}", "text": f"熊猫{i}号出生。"}, ensure_ascii=False))
        await service.ingest([path])
    assert len(service.index.members) == 1  # seed + two ingests: three of one tier, merged
    after = await _ranking(service, "熊猫")
    assert {a for a, _ in after} >= {a for a, _ in before} | {"x0", "x1"}
    reopened = await NewsService.open(service.store.path)
    assert await _ranking(reopened, "熊猫") == after
    await reopened.close()


async def test_the_segments_of_one_ingest_are_merged_into_one_at_its_end(
    service: NewsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ingest written in several batches leaves one segment (beside the seed page's),
    scoring exactly as the batches' segments did; the seed's segment is left alone."""
    from retrieval.service import ingest as ingest_module
    from retrieval.sources import files

    monkeypatch.setattr(ingest_module, "_BATCH_CHARS", 30)
    monkeypatch.setattr(files, "CHUNK_ARTICLES", 3)
    seed_segments = {m.segment.name for m in service.index.members}
    path = tmp_path / "batches.jsonl"
    lines = [json.dumps({"id": f"b{i}", "text": f"第{i}条新闻说熊猫{i}号出生。"}) for i in range(9)]
    path.write_text("\n".join(lines))
    merged_into: list[int] = []
    merge_written = service._ingest.upkeep.merge_written

    async def spying(names: list[str], progress: object) -> bool:
        merged_into.append(len(names))
        before = await _ranking(service, "熊猫 出生")
        done = await merge_written(names, None)
        assert await _ranking(service, "熊猫 出生") == before  # the same scores, merged
        return done

    monkeypatch.setattr(service._ingest.upkeep, "merge_written", spying)
    report = await service.ingest([path])
    assert report.added == 9
    assert merged_into and merged_into[0] >= 2  # several batches, several segments
    names = {m.segment.name for m in service.index.members}
    assert len(service.index.members) == 2 and seed_segments <= names
    reopened = await NewsService.open(service.store.path)
    assert len(reopened.index.members) == 2
    assert {h.article_id for h in (await reopened.search("熊猫", k=20)).hits} >= {
        f"b{i}" for i in range(9)
    }
    await reopened.close()


async def test_an_ingest_larger_than_the_cap_keeps_its_segments(
    service: NewsService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.service import index_upkeep
    from retrieval.service import ingest as ingest_module
    from retrieval.sources import files

    monkeypatch.setattr(ingest_module, "_BATCH_CHARS", 30)
    monkeypatch.setattr(files, "CHUNK_ARTICLES", 3)
    monkeypatch.setattr(index_upkeep, "MERGE_WRITTEN_DOCS", 3)
    path = tmp_path / "batches.jsonl"
    lines = [json.dumps({"id": f"c{i}", "text": f"第{i}条新闻说熊猫{i}号出生。"}) for i in range(6)]
    path.write_text("\n".join(lines))
    before = len(service.index.members)
    await service.ingest([path])
    assert len(service.index.members) == before + 2  # one segment per batch, none merged


async def test_retired_and_orphaned_directories_are_removed_only_after_their_grace(
    service: NewsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.service import index_upkeep

    root = segments_dir(service.store.path)
    fresh, stale = root / "seg-fresh-orphan", root / ".tmp-seg-stale-orphan"
    fresh.mkdir()
    stale.mkdir()
    hours_ago = time.time() - 7200
    os.utime(stale, (hours_ago, hours_ago))
    old = _dirs(service)
    await service.reindex()  # retires the seed segment
    assert fresh.exists() and not stale.exists()
    assert set(old) - {stale.name} <= set(_dirs(service))  # retired one kept for readers
    monkeypatch.setattr(index_upkeep, "RETIRED_GRACE_S", 0.0)
    await service._ingest.upkeep.collect_garbage()
    live = set(service.index.generations)
    assert len(live) == 1 and len(_dirs(service)) == 2  # the rebuilt segment and `fresh`
    assert fresh.exists()


async def test_reindex_failing_half_way_keeps_the_previous_state(
    service: NewsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await _ranking(service, "亚庆农牧")
    dirs = _dirs(service)

    async def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(SegmentWrites, "retire", crash)
    with pytest.raises(OSError):
        await service.reindex(retokenize=True)
    assert _dirs(service) == dirs
    assert await _ranking(service, "亚庆农牧") == before
    monkeypatch.undo()
    reopened = await NewsService.open(service.store.path)
    assert await _ranking(reopened, "亚庆农牧") == before
    await reopened.close()


async def test_a_stored_passage_missing_from_the_index_is_restored_on_open(
    service: NewsService,
) -> None:
    async with service.store.transaction() as tx:  # simulate a loss: unregister everything
        await tx.segments.retire(list(service.index.generations))
        await tx.segments.bump_generation()
    before = (await service.stats()).passages
    reopened = await NewsService.open(service.store.path)
    assert len(reopened.index) == before
    assert (await reopened.search("亚庆农牧")).hits
    await reopened.close()


async def _old_format_database(db: Path, blobs: dict[str, bytes] | None) -> None:
    """A database as the blob-era version left it: schema v2, the index in `index_blobs`."""
    service = await open_seeded(db)
    docs = [(pid, worker_tokenizer().tokenize(text))
            async for pid, text in service.store.articles.all_passages()]
    await service.close()
    shutil.rmtree(segments_dir(db))
    index = InvertedIndex.build(docs)
    async with aiosqlite.connect(db) as conn:
        await conn.executescript(
            "DROP TABLE segments; DROP TABLE tombstones; DROP TABLE index_state;"
            " ALTER TABLE passages DROP COLUMN simplified; PRAGMA user_version = 3;"
        )
        await conn.executemany(
            "INSERT INTO index_blobs (name, data) VALUES (?, ?)",
            list((blobs if blobs is not None else to_blobs(index)).items()),
        )
        await conn.commit()


def _dirs_of(db: Path) -> list[str]:
    root = segments_dir(db)
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


async def test_an_old_format_database_is_converted_once_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "old.db"
    await _old_format_database(db, None)
    from retrieval.service.index_upkeep import IndexUpkeep

    async def no_rebuild(*args: object, **kwargs: object) -> bool:
        raise AssertionError("the stored postings should have been converted, not rebuilt")

    monkeypatch.setattr(IndexUpkeep, "rebuild", no_rebuild)
    service = await NewsService.open(db)
    assert len(service.index.members) == 1
    assert len(service.index) == (await service.stats()).passages
    assert f"{PAGE}-3" in {h.article_id for h in (await service.search("亚庆农牧")).hits}
    assert await service.store.segments.legacy_blobs() == {}
    await service.close()
    again = await NewsService.open(db)
    assert len(_dirs_of(db)) == 1
    await again.close()


async def test_old_blobs_of_an_unknown_format_are_rebuilt_from_the_passages(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.db"
    await _old_format_database(db, {"header": b'{"format": "0"}'})
    service = await NewsService.open(db)
    assert len(service.index) == (await service.stats()).passages > 0
    assert (await service.search("亚庆农牧")).hits
    assert await service.store.segments.legacy_blobs() == {}
    await service.close()


async def test_segments_written_before_the_window_bounds_get_them_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment_bounds, "WINDOW_TERM_POSTINGS", 2)  # the seed page is small
    db = tmp_path / "news.db"
    service = await open_seeded(db)
    queries = ("亚庆农牧", "熊猫", "记者")
    before = [await _ranking(service, q) for q in queries]
    old = [m.segment.name for m in service.index.members]
    await service.close()
    for name in old:  # as an earlier version wrote them
        for field in ("window_terms", "window_weight"):
            (segments_dir(db) / name / f"{field}.npy").unlink()
    reopened = await NewsService.open(db)
    windows = [m.segment.arrays.windows for m in reopened.index.members]
    assert all(w is not None and len(w.terms) for w in windows)
    assert set(old).isdisjoint(m.segment.name for m in reopened.index.members)
    assert [await _ranking(reopened, q) for q in queries] == before
    await reopened.close()


async def test_segments_of_the_previous_format_answer_alike_and_are_rewritten_on_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "news.db"
    service = await open_seeded(db)
    await service.delete_articles([f"{PAGE}-2"])  # a tombstone the rewrite must apply
    queries = ("亚庆农牧", "熊猫", "记者")
    before = [await _ranking(service, q) for q in queries]
    terms = [worker_tokenizer().tokenize(q) for q in queries]
    top = [service.index.top_k(t, 10) for t in terms]
    old, tombstones = list(service.index.members), service.index.tombstones
    assert len(tombstones)
    await service.close()
    for m in old:
        rewrite_as_format_1(segments_dir(db), m.segment.name)
    # Read as it is (a process that may not write the database does this) ...
    live = {m.generation: m.segment.name for m in old}
    view = SegmentSet.open(segments_dir(db), live, tombstones)
    assert all(m.segment.arrays.packed is None for m in view.members)
    assert [view.top_k(t, 10) for t in terms] == top
    # ... and rewritten in the current format by a process that opens it to write, saying so.
    with caplog.at_level(logging.WARNING):
        reopened = await NewsService.open(db)
    assert any("rewriting" in r.getMessage() and "once" in r.getMessage() for r in caplog.records)
    assert all(m.segment.arrays.packed is not None for m in reopened.index.members)
    assert {m.segment.name for m in old}.isdisjoint(
        {m.segment.name for m in reopened.index.members})
    assert [await _ranking(reopened, q) for q in queries] == before
    assert len(reopened.index) == (await reopened.stats()).passages
    await reopened.close()

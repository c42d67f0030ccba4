"""Segments: write, reload, merge, delete, refresh, crash safety, and scoring equivalence.

Equivalence is the central property: a query over any split of the passages into segments,
with any tombstones, scores exactly as one merged segment and as `InvertedIndex` over the
same live passages, which `test_index.py` ties to rank-bm25.
"""

from __future__ import annotations

import itertools
import mmap
import random
from pathlib import Path

import numpy as np
import pytest

from retrieval import segment_search
from retrieval.index import BM25Params, InvertedIndex
from retrieval.posting_words import pack, rows_of, tfs_of
from retrieval.segment_files import (
    Segment,
    SegmentError,
    arrays_of_docs,
    load_segment,
    remove_orphans,
    segments_dir,
)
from retrieval.segment_merge import MergePolicy, merge_segments
from retrieval.segment_prune import pruned_top_k
from retrieval.segment_search import SegmentSet
from retrieval.segment_writer import SegmentWriter, write_segment, writing_segment
from tests.retrieval.format_1_segments import write_format_1
from tests.retrieval.test_index import LuceneIdfBM25

Docs = list[tuple[int, list[str]]]
QUERIES = (["w1", "w2", "w1"], ["w3"], ["w70", "unknown"], ["w0", "w5", "w9", "w11"], ["w79"])


def _docs(seed: int, n_docs: int = 500, first_key: int = 1000) -> Docs:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(80)]
    docs = []
    for i in range(n_docs):
        words = vocab[: rng.randint(5, 80)]
        docs.append((first_key + 3 * i, [rng.choice(words) for _ in range(rng.randint(0, 40))]))
    return docs


def _split(root: Path, docs: Docs, cuts: list[int]) -> dict[int, str]:
    """Write `docs` as consecutive segments cut at `cuts`; `{generation: name}`."""
    bounds = [0, *cuts, len(docs)]
    return {
        g + 1: write_segment(root, arrays_of_docs(docs[lo:hi])).name
        for g, (lo, hi) in enumerate(itertools.pairwise(bounds))
    }


def _assert_same_ranking(a: SegmentSet, b: SegmentSet | InvertedIndex) -> None:
    for query in QUERIES:
        np.testing.assert_allclose(a.scores(query), b.scores(query), rtol=1e-6, atol=0)
        left, right = a.top_k(query, 15), b.top_k(query, 15)
        np.testing.assert_allclose([r.score for r in left], [r.score for r in right], rtol=1e-7)
        if isinstance(b, SegmentSet):
            assert left == right
        else:  # InvertedIndex breaks ties at the cut-off arbitrarily; above it, by key
            last = left[-1].score if left else 0.0
            assert [r for r in left if r.score > last] == [r for r in right if r.score > last]
    terms = ["w1", "w40", "w79", "unknown", "w1"]
    assert a.document_frequencies(terms) == b.document_frequencies(terms)
    assert len(a) == len(b)


def test_write_and_reload_round_trip(tmp_path: Path) -> None:
    docs = _docs(1, 60)
    info = write_segment(tmp_path, arrays_of_docs(docs))
    assert (info.n_docs, info.total_length) == (60, sum(len(t) for _, t in docs))
    loaded = load_segment(tmp_path, info.name)
    built = InvertedIndex.build(docs)
    for field in ("hashes", "indptr", "doc_len", "keys"):
        np.testing.assert_array_equal(getattr(loaded.arrays, field), getattr(built, field))
    np.testing.assert_array_equal(rows_of(loaded.arrays.postings), built.doc_rows)
    np.testing.assert_array_equal(tfs_of(loaded.arrays.postings), built.tfs)
    # Each array in the narrowest of its types that holds it.
    a = loaded.arrays
    assert [a.indptr.dtype, a.postings.dtype, a.doc_len.dtype, a.keys.dtype] == [
        np.uint32, np.uint32, np.uint16, np.uint32
    ]
    assert loaded.total_length == info.total_length
    assert sorted(p.name for p in tmp_path.iterdir()) == [info.name]


def test_loaded_arrays_are_read_only_memory_maps(tmp_path: Path) -> None:
    info = write_segment(tmp_path, arrays_of_docs(_docs(2, 30)))
    arrays = load_segment(tmp_path, info.name).arrays
    for field in ("hashes", "indptr", "postings", "doc_len", "keys"):
        array = getattr(arrays, field)
        assert not array.flags.writeable
        base = array
        while base is not None and not isinstance(base, mmap.mmap):
            base = base.base
        assert isinstance(base, mmap.mmap), f"{field} is a copy, not a mapping"
        with pytest.raises(ValueError):
            array[0] = 1


def test_files_are_complete_before_the_segment_gets_its_live_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str, list[str]]] = []
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        seen.append((self.name, Path(target).name, sorted(p.name for p in self.iterdir())))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    info = write_segment(tmp_path, arrays_of_docs(_docs(3, 20)))
    [(source, target, files)] = seen
    assert source == ".tmp-" + info.name and target == info.name
    assert "meta.json" in files and len(files) == 10  # 9 arrays: 2 term bounds, 2 window ones


def test_a_failed_write_leaves_no_live_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "rename", disk_full)
    with pytest.raises(OSError):
        write_segment(tmp_path, arrays_of_docs(_docs(4, 20)))
    assert list(tmp_path.iterdir()) == []  # the temporary directory was removed too


def test_a_crash_mid_write_leaves_only_a_temporary_directory_that_orphan_removal_drops(
    tmp_path: Path,
) -> None:
    kept = write_segment(tmp_path, arrays_of_docs(_docs(5, 20))).name
    crashed = SegmentWriter(tmp_path)  # the process dies after writing part of its arrays
    crashed.put("keys", np.arange(5, dtype=np.int64))
    with pytest.raises(SegmentError, match="segment missing"):
        load_segment(tmp_path, crashed.name)
    stray = write_segment(tmp_path, arrays_of_docs(_docs(6, 20))).name  # never registered
    assert remove_orphans(tmp_path, {kept}, older_than_s=3600) == []
    assert remove_orphans(tmp_path, {kept}) == sorted([".tmp-" + crashed.name, stray])
    assert [p.name for p in tmp_path.iterdir()] == [kept]


def test_a_malformed_segment_is_a_clear_error(tmp_path: Path) -> None:
    info = write_segment(tmp_path, arrays_of_docs(_docs(7, 20)))
    np.save(tmp_path / info.name / "doc_len.npy", np.zeros(3, np.int32))
    with pytest.raises(SegmentError, match="sizes disagree"):
        load_segment(tmp_path, info.name)
    with writing_segment(tmp_path) as writer, pytest.raises(ValueError, match="not written"):
        writer.commit()


def test_segments_live_beside_the_database() -> None:
    assert segments_dir(Path("/data/news.db")) == Path("/data/news.db.segments")


@pytest.mark.parametrize("params", [BM25Params(), BM25Params(k1=1.5, b=0.75)])
def test_split_segments_score_as_one_merged_segment_and_as_the_single_index(
    tmp_path: Path, params: BM25Params
) -> None:
    docs = _docs(8)
    split = SegmentSet.open(tmp_path, _split(tmp_path, docs, [7, 200, 201, 420]), (), params)
    assert len(split.members) == 5
    merged_info = merge_segments(tmp_path, [m.segment for m in split.members])
    assert merged_info is not None
    merged = SegmentSet.open(tmp_path, {9: merged_info.name}, (), params)
    single = InvertedIndex.build(docs, params)
    _assert_same_ranking(split, merged)
    _assert_same_ranking(split, single)
    reference = LuceneIdfBM25([t for _, t in docs], k1=params.k1, b=params.b)
    for query in QUERIES:
        np.testing.assert_allclose(split.scores(query), reference.get_scores(query), rtol=1e-5)


def test_tombstoned_passages_leave_results_and_statistics(tmp_path: Path) -> None:
    docs = _docs(9)
    dead = [k for k, _ in docs[::7]] + [k for k, _ in docs[300:330]] + [999_999]
    live = _split(tmp_path, docs, [100, 310])
    deleted = SegmentSet.open(tmp_path, live, dead)
    _assert_same_ranking(deleted, InvertedIndex.build(docs).remove(dead))
    assert not set(dead) & {r.key for q in QUERIES for r in deleted.top_k(q, 500)}
    assert not set(dead) & set(deleted.keys.tolist())
    assert deleted.sizes()[2] == (210, _dead_in(docs[100:310], dead))
    info = merge_segments(tmp_path, [m.segment for m in deleted.members], dead)
    assert info is not None and info.n_docs == len(docs) - len(set(dead) & {k for k, _ in docs})
    _assert_same_ranking(deleted, SegmentSet.open(tmp_path, {4: info.name}))


def _dead_in(docs: Docs, dead: list[int]) -> int:
    return len({k for k, _ in docs} & set(dead))


def test_merging_only_tombstoned_documents_writes_nothing(tmp_path: Path) -> None:
    docs = _docs(10, 20)
    [(_, name)] = _split(tmp_path, docs, []).items()
    segment = load_segment(tmp_path, name)
    assert merge_segments(tmp_path, [segment], [k for k, _ in docs]) is None
    partial = merge_segments(tmp_path, [segment], [k for k, _ in docs[1:]])
    assert partial is not None
    survivor = load_segment(tmp_path, partial.name).arrays
    assert survivor.keys.tolist() == [docs[0][0]]
    assert len(survivor.hashes) == len(set(docs[0][1]))  # terms left without postings are gone


def test_refresh_maps_new_segments_drops_retired_ones_and_reuses_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = _docs(11, 100), _docs(12, 50, first_key=5000)
    first = write_segment(tmp_path, arrays_of_docs(old)).name
    view = SegmentSet.open(tmp_path, {1: first})
    assert view.refresh({1: first}) is view  # nothing changed: no work, same view
    second = write_segment(tmp_path, arrays_of_docs(new)).name
    loads: list[str] = []
    real_load = segment_search.load_segment

    def counting_load(root: Path, name: str) -> Segment:
        loads.append(name)
        return real_load(root, name)

    monkeypatch.setattr(segment_search, "load_segment", counting_load)
    grown = view.refresh({1: first, 2: second})
    assert loads == [second]
    assert grown.members[0] is view.members[0]
    assert len(view) == 100 and len(grown) == 150  # the old view is untouched
    _assert_same_ranking(grown, InvertedIndex.build(old + new))
    shrunk = grown.refresh({2: second})
    assert loads == [second]
    _assert_same_ranking(shrunk, InvertedIndex.build(new))
    with pytest.raises(SegmentError, match="missing"):
        shrunk.refresh({2: second, 3: "seg-gone"})


def test_an_empty_set_finds_nothing(tmp_path: Path) -> None:
    empty = SegmentSet.open(tmp_path, {})
    assert empty.top_k(["w1"], 5) == [] and len(empty) == 0
    assert empty.document_frequencies(["w1"]) == [0]
    assert empty.scores(["w1"]).shape == (0,) and empty.n_terms == 0
    with pytest.raises(ValueError):
        write_segment(tmp_path, arrays_of_docs([]))


def test_tiered_policy_merges_a_full_tier_and_rewrites_segments_with_many_deletions() -> None:
    policy = MergePolicy(factor=4, floor_docs=100)
    assert policy.plan({g: (50, 0) for g in range(1, 4)}) == []
    assert policy.plan({g: (50, 0) for g in range(1, 6)}) == [1, 2, 3, 4]
    big_and_small = {1: (5000, 0), 2: (450, 0), **{g: (10, 0) for g in range(3, 6)}}
    assert policy.plan(big_and_small) == []  # 450 and 10 are different tiers
    assert policy.plan({**big_and_small, 6: (399, 0)}) == [3, 4, 5, 6]
    assert policy.plan({1: (5000, 2000), 2: (10, 0)}) == [1]


def test_ties_at_the_cut_off_go_to_the_lowest_passage_ids_whatever_the_split(
    tmp_path: Path,
) -> None:
    docs: Docs = [(key, ["same", "words"]) for key in range(100, 130)]
    split = SegmentSet.open(tmp_path, _split(tmp_path, docs, [11, 19]))
    expected = [100, 101, 102, 103, 104]
    assert [r.key for r in split.top_k(["same"], 5)] == expected
    reversed_split = SegmentSet.open(tmp_path, _split(tmp_path, docs[::-1], [4, 25]))
    assert [r.key for r in reversed_split.top_k(["words", "same"], 5)] == expected


def test_a_view_remembers_document_frequencies_only_for_its_own_tombstones(
    tmp_path: Path,
) -> None:
    docs = _docs(5)
    live = _split(tmp_path, docs, [250])
    view = SegmentSet.open(tmp_path, live)
    view.top_k(["w1", "w2"], 5)  # looks the terms up, and remembers their df
    whole = InvertedIndex.build(docs)
    assert view.document_frequencies(["w2", "w1"]) == whole.document_frequencies(["w2", "w1"])
    dead = [k for k, _ in docs[:40]]
    later = view.refresh(live, dead)
    assert later.document_frequencies(["w1", "w2"]) == whole.remove(dead).document_frequencies(
        ["w1", "w2"]
    )
    assert later.document_frequencies(["w1"]) != view.document_frequencies(["w1"])


@pytest.mark.parametrize("chunk", [1, 7, 1 << 22])
def test_a_merge_in_small_steps_writes_the_same_segment_as_in_one_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The merge streams output terms a chunk of postings at a time; the step size changes
    nothing: arrays, term bounds and scores equal those of a segment written whole."""
    from retrieval import segment_merge

    docs = _docs(11)
    dead = [k for k, _ in docs[::5]]
    live = _split(tmp_path, docs, [120, 121, 333])
    view = SegmentSet.open(tmp_path, live, dead)
    monkeypatch.setattr(segment_merge, "MERGE_CHUNK", chunk)
    info = merge_segments(tmp_path, [m.segment for m in view.members], dead)
    assert info is not None
    merged = load_segment(tmp_path, info.name).arrays
    kept = [(k, t) for k, t in docs if k not in set(dead)]
    whole = load_segment(tmp_path, write_segment(tmp_path, arrays_of_docs(kept)).name).arrays
    for field in ("hashes", "indptr", "postings", "doc_len", "keys", "max_tf", "min_len"):
        np.testing.assert_array_equal(getattr(merged, field), getattr(whole, field), field)
    _assert_same_ranking(view, SegmentSet.open(tmp_path, {9: info.name}))


def test_a_streamed_array_must_be_filled_exactly_and_its_segment_needs_term_bounds(
    tmp_path: Path,
) -> None:
    for filled in (False, True):
        writer = SegmentWriter(tmp_path)
        with pytest.raises(ValueError, match="not one of its types"):
            writer.stream("postings", 3, np.dtype(np.int32))
        words = writer.stream("postings", 3, np.dtype(np.uint32))
        words.write(pack(np.array([0, 1]), np.array([1, 1], np.uint8), 3))
        with pytest.raises(ValueError, match="more values"):
            words.write(np.array([2, 3], np.int64))
        if filled:
            words.write(pack(np.array([2]), np.array([1], np.uint8), 3))
        writer.put("hashes", np.array([5], np.uint64))
        writer.put("indptr", np.array([0, 3], np.int64))
        writer.put("doc_len", np.array([1, 1, 1], np.int32))
        writer.put("keys", np.array([10, 11, 12], np.int64))
        problem = "need their term bounds" if filled else "2 of 3 values"
        with pytest.raises(ValueError, match=problem):
            writer.commit()
        writer.abort()
    assert not any(tmp_path.iterdir())  # nothing published, nothing left



def _wide_copy(root: Path, name: str) -> str:
    """The segment `name` written again with 64-bit posting words, offsets and ids (the
    types a segment of 2^24 documents or 2^32 postings gets)."""
    a = load_segment(root, name).arrays
    with writing_segment(root) as writer:
        words = writer.stream("postings", a.n_postings, np.dtype(np.uint64))
        words.write(a.postings.astype(np.uint64))
        for field in ("hashes", "indptr", "doc_len", "keys", "max_tf", "min_len"):
            writer.put(field, getattr(a, field))
        assert a.windows is not None
        writer.put_windows(a.windows)
        return writer.commit().name


def test_old_format_and_wide_segments_score_exactly_like_the_current_ones(
    tmp_path: Path,
) -> None:
    docs = _docs(12)
    dead = [k for k, _ in docs[::7]]
    live = _split(tmp_path / "now", docs, [100, 300])
    current = SegmentSet.open(tmp_path / "now", live, dead)
    mixed = {
        1: write_format_1(tmp_path / "now", docs[:100]),
        2: write_format_1(tmp_path / "now", docs[100:300], bounds=False),
        3: _wide_copy(tmp_path / "now", live[3]),
    }
    view = SegmentSet.open(tmp_path / "now", mixed, dead)
    assert view.members[2].segment.arrays.postings.dtype == np.uint64
    _assert_same_ranking(view, current)
    for query in QUERIES:
        assert view.top_k(query, 7) == current.top_k(query, 7)
        pruned = pruned_top_k(view, query, 7, min_postings=0)
        assert pruned == current.exhaustive_top_k(query, 7)
    # Merging them streams each input's postings from its files, whatever its format.
    info = merge_segments(tmp_path / "now", [m.segment for m in view.members], dead)
    assert info is not None
    merged = load_segment(tmp_path / "now", info.name).arrays
    assert merged.postings.dtype == np.uint32 and merged.packed is not None
    _assert_same_ranking(SegmentSet.open(tmp_path / "now", {9: info.name}), current)

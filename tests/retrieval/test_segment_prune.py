"""Pruned top-k (MaxScore, numpy and compiled) returns exactly the exhaustive top-k, and the
per-term bounds hold.

The property loops use fixed seeds: random Zipf-like corpora (common words with long posting
lists, as news has) split into several segments with tombstones, and tie-heavy corpora where
many passages score the same, so the cut at k falls inside a tie that only the passage id
decides. Equality is exact: same passage ids, same float scores, same order.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

import retrieval.segment_bounds as segment_bounds
import retrieval.segment_daat as segment_daat
from retrieval.index import BM25Params
from retrieval.segment_daat import compiled_top_k
from retrieval.segment_files import (
    arrays_of_docs,
)
from retrieval.segment_prune import QueryPostings, postings_read, pruned_top_k
from retrieval.segment_search import SegmentSet
from retrieval.segment_writer import write_segment
from tests.retrieval.format_1_segments import write_format_1
from tests.retrieval.segment_corpora import (
    random_queries,
    tied_docs,
    write_segments,
    zipf_docs,
)


def _assert_pruned_equals_exhaustive(
    view: SegmentSet, queries: list[list[str]], ks: tuple[int, ...]
) -> int:
    """Checks every query and k; returns how many searches skipped postings."""
    skipping = 0
    for query, k in itertools.product(queries, ks):
        expected = view.exhaustive_top_k(query, k)
        pruned = pruned_top_k(view, query, k, min_postings=0)
        assert pruned == expected, (query, k)
        assert compiled_top_k(QueryPostings(view, query), k) == expected, (query, k)
        read, total = postings_read(view)
        skipping += read < total
        assert view.top_k(query, k) == expected
    return skipping


@pytest.fixture(params=[(4096, 1, 3), (7, 2, 3), (7, 1, 10**9), (7, 3, 40), (4096, 3, 3)])
def window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """The compiled search's rows per window (one window per segment here, or many), its
    threads (each segment's rows cut into that many parts, searched at once) and the
    postings from which a term's list is bounded per window in the segments written (3: most
    lists, 40: the common words', 10^9: none, each window then bounding a term by its
    segment bound where it has a posting)."""
    rows, threads, long_list = request.param
    monkeypatch.setattr(segment_daat, "WINDOW_ROWS", rows)
    monkeypatch.setattr(segment_daat, "SEARCH_THREADS", threads)
    monkeypatch.setattr(segment_bounds, "WINDOW_ROWS", rows)
    monkeypatch.setattr(segment_bounds, "WINDOW_TERM_POSTINGS", long_list)
    return int(rows)


@pytest.mark.parametrize("seed", range(6))
def test_pruned_top_k_is_the_exhaustive_top_k_on_random_segmented_corpora(
    tmp_path: Path, seed: int, window: int
) -> None:
    rng = random.Random(seed)
    docs = zipf_docs(rng, rng.randint(300, 900))
    live = write_segments(tmp_path, docs, rng, rng.randint(1, 5))
    dead = [key for key, _ in docs if rng.random() < 0.1] if seed % 2 else []
    params = BM25Params() if seed < 3 else BM25Params(k1=1.5, b=0.75)
    view = SegmentSet.open(tmp_path, live, dead, params)
    vocab = [f"w{i}" for i in range(400)]
    used = _assert_pruned_equals_exhaustive(view, random_queries(rng, vocab, 40), (1, 5, 30))
    assert used >= 20  # a good share of the 120 searches skipped postings
    for query in random_queries(rng, vocab, 10):
        hits = view.top_k(query, 50)
        assert not {r.key for r in hits} & set(dead)


@pytest.mark.parametrize("seed", range(4))
def test_pruned_top_k_breaks_ties_at_the_cut_by_lowest_passage_id(
    tmp_path: Path, seed: int, window: int
) -> None:
    rng = random.Random(100 + seed)
    docs = tied_docs(rng, 400)
    # Shuffled into segments out of id order, so the tie-break cannot ride on row order.
    rng.shuffle(docs)
    live = write_segments(tmp_path, docs, rng, 4)
    dead = [key for key, _ in docs[::9]]
    view = SegmentSet.open(tmp_path, live, dead if seed % 2 else [])
    queries = [list(q) for q in ("a", "ab", "abc", "fedcba", "aab", "ffe", "bdz", "xab", "ycdx")]
    queries += [list(q) for q in ("xabcdef", "yfedcba", "xxbb", "xyaf")]
    queries += [[c * 2 for c in q] + list(q) for q in ("ab", "cde")]  # terms not in shapes
    used = _assert_pruned_equals_exhaustive(view, queries, (1, 3, 7, 30, 64))
    assert used > 0
    tied = view.top_k(["a"], 5)
    if len({r.score for r in tied}) == 1:
        assert [r.key for r in tied] == sorted(r.key for r in tied)


def test_pruning_skips_terms_when_common_words_cannot_lift_a_passage(tmp_path: Path) -> None:
    common = [(key, ["the", "of", "and"] * 3) for key in range(1000, 3000)]
    rare = [(5000, ["the", "comet", "orbit"]), (5001, ["comet", "and"]), (5002, ["orbit"])]
    live = {1: write_segment(tmp_path, arrays_of_docs(common + rare)).name}
    view = SegmentSet.open(tmp_path, live)
    query = ["the", "comet", "of", "orbit", "and"]
    pruned = pruned_top_k(view, query, 2, min_postings=0)
    assert pruned is not None and [r.key for r in pruned] == [5000, 5002]  # 5002 is shorter
    assert pruned == view.exhaustive_top_k(query, 2)
    assert postings_read(view) == (4, 3 * 2000 + 6)  # the common words were only looked up


def test_segments_without_window_bounds_load_and_prune_exactly(tmp_path: Path) -> None:
    rng = random.Random(12)
    docs = zipf_docs(rng, 500)
    live = write_segments(tmp_path, docs, rng, 2)
    for name in live.values():  # as written before window bounds existed
        for field in ("window_terms", "window_weight"):
            (tmp_path / name / f"{field}.npy").unlink()
    view = SegmentSet.open(tmp_path, live)
    assert all(m.segment.arrays.windows is None for m in view.members)
    vocab = [f"w{i}" for i in range(400)]
    assert _assert_pruned_equals_exhaustive(view, random_queries(rng, vocab, 20), (1, 10)) > 0


def test_format_1_segments_with_and_without_bounds_prune_exactly(tmp_path: Path) -> None:
    rng = random.Random(11)
    docs = zipf_docs(rng, 600)
    live = write_segments(tmp_path, docs[400:], rng, 1)
    # Two segments of the previous format, written before the bounds existed.
    live = {1: write_format_1(tmp_path, docs[:150], bounds=False),
            2: write_format_1(tmp_path, docs[150:400], bounds=False), 3: live[1]}
    view = SegmentSet.open(tmp_path, live)
    assert [m.segment.arrays.max_tf is None for m in view.members] == [True, True, False]
    vocab = [f"w{i}" for i in range(400)]
    assert _assert_pruned_equals_exhaustive(view, random_queries(rng, vocab, 30), (1, 10)) > 0


def test_larger_collections_are_pruned_from_fewer_postings() -> None:
    from retrieval.segment_prune import PRUNE_FROM_POSTINGS, prune_from

    sizes = [1, 200_000, 730_000, 3_000_000, 50_000_000]
    thresholds = [prune_from(n) for n in sizes]
    assert thresholds == sorted(thresholds, reverse=True)
    assert thresholds[0] == PRUNE_FROM_POSTINGS and thresholds[-1] > 0
    assert thresholds[3] < thresholds[2]

"""retrieval.posting_cache: a view's common terms' weights, kept between queries."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.posting_cache import PostingCache
from retrieval.segment_search import SegmentSet
from tests.retrieval.test_segments import QUERIES, _docs, _split


def _arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(n, dtype=np.intp), np.ones(n, np.float32)


def test_short_lists_are_not_kept_and_long_ones_are() -> None:
    cache = PostingCache(budget=1 << 20, min_postings=10)
    cache.put("rare", *_arrays(9))
    cache.put("common", *_arrays(10))
    assert cache.get("rare") is None
    found = cache.get("common")
    assert found is not None and len(found[0]) == 10
    assert cache.size == 10 * (8 + 4)


def test_the_least_recently_used_term_leaves_first_and_the_budget_holds() -> None:
    cache = PostingCache(budget=3 * 100 * 12, min_postings=1)
    for term in ("a", "b", "c"):
        cache.put(term, *_arrays(100))
    assert cache.get("a") is not None  # "b" is now the least recent
    cache.put("d", *_arrays(100))
    assert cache.get("b") is None
    assert all(cache.get(t) is not None for t in ("a", "c", "d"))
    assert cache.size <= 3 * 100 * 12
    cache.put("huge", *_arrays(1000))  # larger than the whole budget: not kept
    assert cache.get("huge") is None and cache.get("d") is not None


def test_cached_weights_score_exactly_as_freshly_computed_ones(tmp_path: Path) -> None:
    docs = _docs(21)
    live = _split(tmp_path, docs, [150, 320])
    dead = [k for k, _ in docs[::11]]
    fresh = SegmentSet.open(tmp_path, live, dead)
    fresh._postings = PostingCache(budget=0)  # never keeps anything
    cached = SegmentSet.open(tmp_path, live, dead)
    cached._postings = PostingCache(min_postings=1)
    mixed = SegmentSet.open(tmp_path, live, dead)  # common terms cached, rare ones batched
    mixed._postings = PostingCache(min_postings=60)
    for _ in range(2):  # the second round reads the kept terms from the cache
        for query in QUERIES:
            expected = fresh.top_k(query, 20)
            assert cached.top_k(query, 20) == expected == mixed.top_k(query, 20)
            assert np.array_equal(cached.scores(query), fresh.scores(query))
            assert np.array_equal(mixed.scores(query), fresh.scores(query))
    assert cached._postings.size > mixed._postings.size > 0


def test_a_refreshed_view_starts_with_an_empty_cache(tmp_path: Path) -> None:
    docs = _docs(22)
    live = _split(tmp_path, docs, [200])
    view = SegmentSet.open(tmp_path, live)
    view._postings = PostingCache(min_postings=1)
    view.top_k(QUERIES[0], 5)
    newer = view.refresh(live, [docs[0][0]])
    assert newer is not view and newer._postings.size == 0

"""The compiled search of large collections (`retrieval.segment_daat`): what only it has to get
right. Its results against the exhaustive search on random corpora are checked with the numpy
pruned search's, in `test_segment_prune.py`."""

from __future__ import annotations

import dataclasses
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import retrieval.segment_daat as segment_daat
import retrieval.segment_search as segment_search
from retrieval.index import Ranked
from retrieval.segment_daat import _search_segment, compiled_top_k, load_machine_code
from retrieval.segment_prune import QueryPostings
from retrieval.segment_search import SegmentSet
from tests.retrieval.segment_corpora import random_queries, write_segments, zipf_docs


def test_large_collections_are_searched_by_the_compiled_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    docs = zipf_docs(rng, 600)
    view = SegmentSet.open(tmp_path, write_segments(tmp_path, docs, rng, 3), [docs[5][0]])
    queries = random_queries(rng, [f"w{i}" for i in range(400)], 20)
    calls: list[int] = []

    def counted(q: QueryPostings, k: int) -> list[Ranked]:
        calls.append(k)
        return compiled_top_k(q, k)

    monkeypatch.setattr(segment_search, "compiled_search", lambda: counted)
    monkeypatch.setattr(segment_search, "COMPILED_FROM_PASSAGES", len(docs) + 1)
    small = [view.top_k(query, 10) for query in queries]
    assert calls == []  # below the size, the numpy searches
    monkeypatch.setattr(segment_search, "COMPILED_FROM_PASSAGES", len(docs) - 1)
    assert [view.top_k(query, 10) for query in queries] == small
    assert len(calls) == len([q for q in queries if q])
    # Without numba (or its cache), the numpy search still answers.
    monkeypatch.setattr(segment_search, "compiled_search", lambda: None)
    assert [view.top_k(query, 10) for query in queries] == small


def test_the_compiled_search_reads_64_bit_posting_words_too(tmp_path: Path) -> None:
    # Segments of more than 2^24 passages store 64-bit words: the same search, another type.
    rng = random.Random(11)
    docs = zipf_docs(rng, 500)
    view = SegmentSet.open(tmp_path, write_segments(tmp_path, docs, rng, 2), [docs[3][0]])
    for query in random_queries(rng, [f"w{i}" for i in range(400)], 15):
        q = QueryPostings(view, query)
        q.members = [
            dataclasses.replace(m, postings=np.asarray(m.postings).astype(np.uint64))
            for m in q.members
        ]
        assert compiled_top_k(q, 10) == view.exhaustive_top_k(query, 10), query


def test_the_compiled_search_answers_several_threads_at_once(tmp_path: Path) -> None:
    # A large collection is searched on worker threads; the compiled loop releases the GIL,
    # so searches overlap and must not share any scratch.
    rng = random.Random(13)
    docs = zipf_docs(rng, 700)
    view = SegmentSet.open(tmp_path, write_segments(tmp_path, docs, rng, 3), [docs[9][0]])
    queries = [q for q in random_queries(rng, [f"w{i}" for i in range(400)], 40) if q]
    expected = [view.exhaustive_top_k(query, 20) for query in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda q: compiled_top_k(QueryPostings(view, q), 20), queries * 3))
    assert got == expected * 3


def test_a_loaded_compiled_search_also_serves_smaller_collections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below `COMPILED_FROM_PASSAGES` the compiled search is used only once a process has
    loaded it ahead (`load_compiled_search`), from `COMPILED_WHEN_LOADED_FROM` passages."""
    rng = random.Random(17)
    docs = zipf_docs(rng, 500)
    view = SegmentSet.open(tmp_path, write_segments(tmp_path, docs, rng, 2), [docs[4][0]])
    queries = [q for q in random_queries(rng, [f"w{i}" for i in range(400)], 12) if q]
    calls: list[int] = []

    def counted(q: QueryPostings, k: int) -> list[Ranked]:
        calls.append(k)
        return compiled_top_k(q, k)

    monkeypatch.setattr(segment_search, "compiled_search", lambda: counted)
    monkeypatch.setattr(segment_search, "compiled_loaded", False)
    monkeypatch.setattr(segment_search, "COMPILED_WHEN_LOADED_FROM", len(docs) - 1)
    numpy_results = [view.top_k(query, 10) for query in queries]
    assert calls == []  # not loaded: the numpy searches
    assert view.load_compiled_search()
    assert segment_search.compiled_loaded
    assert [view.top_k(query, 10) for query in queries] == numpy_results
    assert len(calls) == len(queries)
    calls.clear()
    monkeypatch.setattr(segment_search, "COMPILED_WHEN_LOADED_FROM", len(docs) + 1)
    assert [view.top_k(query, 10) for query in queries] == numpy_results
    assert calls == []  # loaded, but the collection is below the size it pays from


def test_loading_ahead_fails_softly_without_numba_or_when_it_cannot_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(19)
    docs = zipf_docs(rng, 100)
    view = SegmentSet.open(tmp_path, write_segments(tmp_path, docs, rng, 1))
    before = view.top_k(["w1", "w2"], 5)
    monkeypatch.setattr(segment_search, "compiled_loaded", False)
    monkeypatch.setattr(segment_search, "COMPILED_WHEN_LOADED_FROM", 1)
    with monkeypatch.context() as without_numba:
        without_numba.setattr(segment_search, "compiled_search", lambda: None)
        assert not view.load_compiled_search()
        assert not segment_search.compiled_loaded

    def failing(*_: object) -> None:
        raise RuntimeError("LLVM could not compile")

    monkeypatch.setattr(segment_daat, "load_machine_code", failing)
    assert not view.load_compiled_search()
    assert not segment_search.compiled_loaded
    assert view.top_k(["w1", "w2"], 5) == before


def test_the_machine_code_is_loaded_for_the_arrays_it_will_search() -> None:
    # numba loads one signature per array type; 64-bit words mapped read-only (a segment of
    # more than 2^24 passages) are one no other test searches.
    words = np.array([(3 << 8) | 1, (9 << 8) | 2], np.uint64)
    words.flags.writeable = False

    def kinds() -> set[tuple[str, bool]]:
        return {(s[0].dtype.name, s[0].mutable) for s in _search_segment.signatures}

    assert ("uint64", False) not in kinds()
    load_machine_code([words], np.ones(16, np.float32))
    assert ("uint64", False) in kinds()

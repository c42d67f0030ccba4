"""The whole-index blob format of older databases: what was saved reads back the same."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.index import BM25Params, InvertedIndex
from retrieval.legacy_index import from_blobs, to_blobs
from tests.retrieval.test_index import random_corpus


def test_round_trip_through_blobs() -> None:
    docs = random_corpus(5)
    index = InvertedIndex.build([(i * 7, d) for i, d in enumerate(docs)])
    again = from_blobs(to_blobs(index), index.params)
    assert again is not None
    np.testing.assert_array_equal(again.doc_rows, index.doc_rows)
    np.testing.assert_array_equal(again.hashes, index.hashes)
    assert [(r.key, r.score) for r in again.top_k(["w9"], 5)] == [
        (r.key, r.score) for r in index.top_k(["w9"], 5)
    ]


def test_blobs_of_another_format_ask_for_a_rebuild() -> None:
    blobs = to_blobs(InvertedIndex.build([(1, ["a"])]))
    blobs["header"] = b'{"format": "0"}'
    assert from_blobs(blobs, BM25Params()) is None
    assert from_blobs({}, BM25Params()) is None


def test_round_trip_across_decoding_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    import retrieval.index as module

    monkeypatch.setattr(module, "_POSTING_CHUNK", 7)
    docs = random_corpus(6, 200)
    index = InvertedIndex.build([(i, d) for i, d in enumerate(docs)])
    again = from_blobs(to_blobs(index), index.params)
    assert again is not None
    np.testing.assert_array_equal(again.doc_rows, index.doc_rows)
    np.testing.assert_allclose(again.impacts, index.impacts)


def test_round_trip_with_gaps_wider_than_16_bits() -> None:
    docs = [(i, ["rare"] if i in (3, 70_003) else ["common"]) for i in range(70_010)]
    index = InvertedIndex.build(docs)
    again = from_blobs(to_blobs(index), index.params)
    assert again is not None
    np.testing.assert_array_equal(again.doc_rows, index.doc_rows)
    assert [r.key for r in again.top_k(["rare"], 5)] == [3, 70_003]

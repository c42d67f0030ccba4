"""The index's scores against rank-bm25 computing the project's BM25 definition directly."""

from __future__ import annotations

import math
import random
from collections import Counter

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from retrieval.index import BM25Params, InvertedIndex
from retrieval.term_encoding import encode, term_hashes
from retrieval.tokenizer import Tokenizer
from tests.conftest import SEED_PAGE


class LuceneIdfBM25(BM25Okapi):  # type: ignore[misc]
    """rank-bm25's BM25Okapi with the always-positive idf that retrieval.index defines."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        for word, freq in nd.items():
            self.idf[word] = math.log1p((self.corpus_size - freq + 0.5) / (freq + 0.5))


def random_corpus(seed: int, n_docs: int = 400) -> list[list[str]]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(80)]
    return [
        [rng.choice(vocab[: rng.randint(5, 80)]) for _ in range(rng.randint(1, 40))]
        for _ in range(n_docs)
    ]


@pytest.mark.parametrize("params", [BM25Params(), BM25Params(k1=1.5, b=0.5)])
def test_scores_equal_rank_bm25(params: BM25Params) -> None:
    docs = random_corpus(1)
    index = InvertedIndex.build([(i, d) for i, d in enumerate(docs)], params)
    reference = LuceneIdfBM25(docs, k1=params.k1, b=params.b)
    for query in (["w1", "w2", "w1"], ["w3"], ["w70", "unknown"], ["w0", "w5", "w9", "w11"]):
        np.testing.assert_allclose(index.scores(query), reference.get_scores(query), rtol=1e-5)


def test_top_k_is_the_best_k_in_score_order() -> None:
    docs = random_corpus(2)
    index = InvertedIndex.build([(100 + i, d) for i, d in enumerate(docs)])
    reference = LuceneIdfBM25(docs, k1=1.2, b=0.5).get_scores(["w4", "w8"])
    top = index.top_k(["w4", "w8"], 10)
    assert [r.key - 100 for r in top] == sorted(range(len(docs)), key=lambda i: -reference[i])[:10]
    assert [r.score for r in top] == sorted((r.score for r in top), reverse=True)


def test_adding_documents_equals_building_from_scratch() -> None:
    docs = random_corpus(3)
    whole = InvertedIndex.build([(i, d) for i, d in enumerate(docs)])
    part = InvertedIndex.build([(i, d) for i, d in enumerate(docs[:250])])
    grown = part.add([(i, d) for i, d in enumerate(docs) if i >= 250])
    for query in (["w1", "w7"], ["w79"], ["w0"]):
        np.testing.assert_allclose(grown.scores(query), whole.scores(query), rtol=1e-6)
    assert len(part) == 250, "add must not change the index it was called on"


def test_removing_documents_equals_never_having_them() -> None:
    docs = random_corpus(4)
    index = InvertedIndex.build([(i, d) for i, d in enumerate(docs)]).remove([0, 5, 17])
    kept = [d for i, d in enumerate(docs) if i not in (0, 5, 17)]
    reference = LuceneIdfBM25(kept, k1=1.2, b=0.5)
    query = ["w2", "w3"]
    np.testing.assert_allclose(index.scores(query), reference.get_scores(query), rtol=1e-5)
    assert 5 not in {r.key for r in index.top_k(["w2", "w3"], 400)}


def test_no_known_terms_or_empty_index_ranks_nothing() -> None:
    assert InvertedIndex.empty().top_k(["乐山"], 5) == []
    index = InvertedIndex.build([(1, ["a", "b"])])
    assert index.top_k(["zzz"], 5) == []


def test_seed_page_ranking_is_not_flattened_by_common_terms() -> None:
    """On a tiny corpus BM25Okapi's idf is 0 for terms in half the passages; ours is not."""
    tok = Tokenizer()
    paragraphs = [p for p in SEED_PAGE.read_text("utf-8").split("\n\n") if p.strip()]
    docs = [tok.tokenize(p.replace("\n", "")) for p in paragraphs]
    index = InvertedIndex.build([(i, d) for i, d in enumerate(docs)])
    query = tok.tokenize("项目建设")
    scores = index.scores(query)
    assert (scores > 0).sum() > 10
    assert len(set(np.round(scores[scores > 0], 4))) > 5


def test_merging_two_indexes_with_disjoint_and_shared_terms() -> None:
    left = InvertedIndex.build([(1, ["a", "b"]), (2, ["b", "c", "c"])])
    right = InvertedIndex.build([(3, ["c", "d"]), (4, ["a"])])
    whole = InvertedIndex.build(
        [(1, ["a", "b"]), (2, ["b", "c", "c"]), (3, ["c", "d"]), (4, ["a"])]
    )
    merged = left.merge(right)
    np.testing.assert_array_equal(merged.hashes, whole.hashes)
    np.testing.assert_array_equal(merged.doc_rows, whole.doc_rows)
    np.testing.assert_array_equal(merged.tfs, whole.tfs)
    assert merged.document_frequencies(["a", "c", "zz"]) == [2, 2, 0]


def test_encode_lays_out_each_document_term_count_by_hash_then_row() -> None:
    docs = [*random_corpus(5, 150), [], ["w1"] * 300, ["新", "#新闻", "新"]]
    encoded = encode(docs)
    expected = sorted(
        (int(term_hashes([term])[0]), row, min(count, 255))
        for row, tokens in enumerate(docs)
        for term, count in Counter(tokens).items()
    )
    terms = np.repeat(encoded.hashes, np.diff(encoded.indptr))
    got = list(zip(terms.tolist(), encoded.rows.tolist(), encoded.tfs.tolist(), strict=True))
    assert got == expected
    assert len(set(encoded.hashes.tolist())) == len(encoded.hashes)
    assert encoded.lengths.tolist() == [len(tokens) for tokens in docs]
    assert encoded.rows.dtype == np.int32 and encoded.tfs.dtype == np.uint8


def test_encode_of_no_documents_is_empty() -> None:
    encoded = encode([])
    assert len(encoded.hashes) == len(encoded.rows) == len(encoded.lengths) == 0
    assert encoded.indptr.tolist() == [0]

"""A phrase search among the passages holding every required term (`top_k_holding`)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

import retrieval.segment_search as segment_search
from retrieval.index import BM25Params
from retrieval.segment_files import arrays_of_docs
from retrieval.segment_search import SegmentSet
from retrieval.segment_writer import write_segment
from retrieval.tokenizer import Tokenizer

Docs = list[tuple[int, list[str]]]


def _docs(rng: random.Random, n_docs: int, vocab: int = 120) -> Docs:
    words = [f"w{i}" for i in range(vocab)]
    weights = [1.0 / (i + 1) for i in range(vocab)]
    return [
        (10 + 3 * i, rng.choices(words, weights, k=rng.randint(1, 40))) for i in range(n_docs)
    ]


def _view(root: Path, docs: Docs, rng: random.Random, dead: list[int]) -> SegmentSet:
    cuts = sorted(rng.sample(range(1, len(docs)), rng.randint(0, 3)))
    bounds = [0, *cuts, len(docs)]
    live = {
        g + 1: write_segment(root, arrays_of_docs(docs[lo:hi])).name
        for g, (lo, hi) in enumerate(itertools.pairwise(bounds))
    }
    return SegmentSet.open(root, live, dead, BM25Params())


@pytest.fixture(params=[False, True], ids=["numpy", "compiled"])
def compiled(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Holders scored by numpy, or by the compiled loop (as once it is loaded)."""
    monkeypatch.setattr(segment_search, "compiled_loaded", bool(request.param))
    monkeypatch.setattr(segment_search, "COMPILED_WHEN_LOADED_FROM", 0)
    return bool(request.param)


@pytest.mark.parametrize("seed", range(5))
def test_holding_search_is_the_full_ranking_restricted_to_holders(
    tmp_path: Path, seed: int, compiled: bool
) -> None:
    rng = random.Random(seed)
    docs = _docs(rng, rng.randint(200, 600))
    dead = [key for key, _ in docs if rng.random() < 0.1] if seed % 2 else []
    view = _view(tmp_path, docs, rng, dead)
    assert view.searched_compiled() == compiled
    held = {key: set(words) for key, words in docs if key not in dead}
    vocab = [f"w{i}" for i in range(120)]
    for _ in range(30):
        query = rng.sample(vocab[:30], rng.randint(1, 6)) + rng.sample(vocab[30:], 2)
        query += query[: rng.randint(0, 2)]  # a repeated term counts twice
        required = rng.sample(query, rng.randint(1, 2))
        k = rng.choice((1, 5, 30))
        everything = view.exhaustive_top_k(query, len(docs))
        expected = [r for r in everything if set(required) <= held[r.key]][:k]
        assert view.top_k_holding(query, required, k, limit=len(docs)) == expected


def test_too_many_holders_hand_the_search_back(tmp_path: Path) -> None:
    docs = [(i, ["common", "rare" if i % 50 == 0 else "other"]) for i in range(1, 301)]
    view = _view(tmp_path, docs, random.Random(1), [])
    assert view.top_k_holding(["common"], ["common"], 5, limit=100) is None
    rare = view.top_k_holding(["common", "rare"], ["rare"], 10, limit=100)
    assert rare is not None and [r.key for r in rare] == [50, 100, 150, 200, 250, 300]


def test_a_required_term_no_passage_holds_finds_nothing(tmp_path: Path) -> None:
    view = _view(tmp_path, _docs(random.Random(2), 100), random.Random(2), [])
    assert view.top_k_holding(["w1", "w2"], ["w1", "absent"], 10, limit=1000) == []


def test_phrase_bigrams_are_terms_of_every_passage_holding_the_phrase() -> None:
    tokenizer = Tokenizer()
    assert tokenizer.phrase_bigrams("乐山 日报") == ["#乐山", "#山日", "#日报"]
    assert tokenizer.phrase_bigrams("“樂山”") == ["#乐山"]  # folded like the passages
    assert tokenizer.phrase_bigrams("LK-99") == []  # no two Han characters: no narrowing
    passage = "据乐山日报消息，台风“卡努”移入东海，5G网络恢复。"
    for phrase in ("乐山日报", "台风“卡努”移入", "5G网络"):
        assert set(tokenizer.phrase_bigrams(phrase)) <= set(tokenizer.tokenize(passage))

"""Second-stage ranking over BM25's candidates: question coverage and duplicate collapsing.

BM25 scores each term independently, so a passage that mentions every question word once,
scattered over unrelated sentences, can outrank the one sentence that answers the question.
The candidates BM25 returns (a few dozen) are re-scored as

    bm25 / best_bm25 + SENTENCE_WEIGHT · best sentence coverage + PASSAGE_WEIGHT · coverage

where coverage is the share of the question's idf mass whose terms appear (in the best single
sentence, or anywhere in the passage). Reprints of the same story (news wires are copied
verbatim) are collapsed to their best-ranked copy so they do not crowd out other sources.
The weights were measured on the news dev set (README, "Answer quality").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from retrieval.answer import coverage
from retrieval.passages import split_sentences

#: How many BM25 candidates the second stage looks at.
CANDIDATES = 30
SENTENCE_WEIGHT = 1.0
PASSAGE_WEIGHT = 1.0
_DUPLICATE_PREFIX = 40
_NON_WORD = re.compile(r"\W+")


@dataclass(frozen=True)
class Candidate:
    """A first-stage result: store key, BM25 score and the passage text."""

    key: int
    score: float
    text: str


def duplicate_key(text: str) -> str:
    """Texts with the same key are treated as copies of one another (reprints)."""
    return _NON_WORD.sub("", text)[:_DUPLICATE_PREFIX]


def rerank(
    candidates: Sequence[Candidate],
    weights: Mapping[str, float],
    tokenize: Callable[[str], list[str]],
) -> list[tuple[Candidate, float]]:
    """Candidates re-scored and re-ordered (best first), reprints removed."""
    if not candidates:
        return []
    best = max(c.score for c in candidates) or 1.0
    scored = []
    for cand in candidates:
        sentences = [set(tokenize(s)) for s in split_sentences(cand.text)]
        sentence_cov = max((coverage(weights, terms) for terms in sentences), default=0.0)
        passage_cov = coverage(weights, set().union(*sentences))
        score = (
            cand.score / best + SENTENCE_WEIGHT * sentence_cov + PASSAGE_WEIGHT * passage_cov
        )
        scored.append((cand, score))
    scored.sort(key=lambda pair: -pair[1])
    seen: set[str] = set()
    out = []
    for cand, score in scored:
        key = duplicate_key(cand.text)
        if key in seen:
            continue
        seen.add(key)
        out.append((cand, score))
    return out

"""Extractive summaries: a few sentences of an article, chosen by MMR with a lead bias.

News is written lead-first, so the first sentence gets a head start; after it, sentences are
picked for being central to the article (cosine similarity of term counts to the whole text)
and not repeating what is already picked (maximal marginal relevance). Sentences are returned
in article order so the summary reads like the article.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from retrieval.text import split_sentences

_LEAD_BONUS = 0.3
_REDUNDANCY = 0.7
_MIN_CHARS = 8


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def summarize(
    paragraphs: Sequence[str],
    tokenize: Callable[[str], list[str]],
    max_sentences: int = 3,
    max_chars: int = 400,
) -> list[str]:
    """Up to `max_sentences` sentences (at most `max_chars` in all), in article order."""
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    candidates = [(i, s) for i, s in enumerate(sentences) if len(s) >= _MIN_CHARS]
    if not candidates:
        return sentences[:1]
    bags = {i: Counter(tokenize(s)) for i, s in candidates}
    whole: Counter[str] = Counter()
    for bag in bags.values():
        whole.update(bag)
    relevance = {i: _cosine(bag, whole) for i, bag in bags.items()}
    first = candidates[0][0]
    relevance[first] += _LEAD_BONUS
    chosen: list[int] = []
    used = 0
    pool = dict(candidates)
    while pool and len(chosen) < max_sentences:
        def mmr(i: int) -> float:
            overlap = max((_cosine(bags[i], bags[j]) for j in chosen), default=0.0)
            return (1 - _REDUNDANCY) * relevance[i] - _REDUNDANCY * overlap + relevance[i] * 0.5

        pick = max(pool, key=mmr)
        text = pool.pop(pick)
        if chosen and used + len(text) > max_chars:
            continue
        if any(_cosine(bags[pick], bags[j]) > 0.8 for j in chosen):
            continue
        chosen.append(pick)
        used += len(text)
    return [sentences[i] for i in sorted(chosen)]

"""Choosing the answer sentence among the top passages, and deciding whether there is one.

BM25 finds passages that share rare words with the question. The answer sentence is the
sentence in those passages that covers the most of the question's weight (idf of the question
terms it contains), nudged by where its passage ranked and by whether it holds the kind of
thing the question asks for (a number for 「多少」, a date for 「何时」...).

"Found" is decided on coverage, not on the raw BM25 score: a score's scale depends on the
corpus and the question length, while "the best passage holds at least this share of what the
question is about" means the same thing on a one-page corpus and on 68k articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from retrieval.rank import coverage
from retrieval.text import split_sentences

_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万亿两]+(?:个|家|名|人|元|吨|亩|倍|项|次|年|天)")
_DATE = re.compile(r"\d{1,4}\s*[年月日号]|[上下]午|今年|去年|明年|近日|日前|周[一二三四五六日]")
_QUESTION_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"多少|几[个家名人年天次位项]|多大|多长|多高|多重|比例|百分"), _NUMBER),
    (re.compile(r"何时|什么时候|哪一?年|哪一?天|几月|几号|几日|日期|时间"), _DATE),
)


@dataclass(frozen=True)
class SentenceChoice:
    """The chosen sentence, the passage it came from (index into the hits), its coverage."""

    sentence: str
    hit_index: int
    coverage: float


def _kind_bonus(question: str, sentence: str) -> float:
    for asks, holds in _QUESTION_KINDS:
        if asks.search(question):
            return 0.15 if holds.search(sentence) else -0.1
    return 0.0


def choose_sentence(
    question: str,
    question_weights: Mapping[str, float],
    passages: Sequence[str],
    tokenize: Callable[[str], list[str]],
) -> SentenceChoice | None:
    """The best answer sentence among `passages` (best-ranked first), or None if none."""
    best: SentenceChoice | None = None
    best_score = float("-inf")
    for rank, text in enumerate(passages):
        for sentence in split_sentences(text):
            cov = coverage(question_weights, set(tokenize(sentence)))
            score = cov - 0.04 * rank + _kind_bonus(question, sentence)
            if len(sentence) < 6:
                score -= 0.2
            if score > best_score:
                best_score = score
                best = SentenceChoice(sentence, rank, cov)
    return best

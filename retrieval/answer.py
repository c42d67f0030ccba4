"""Ranking the candidate answer sentences among the top passages.

BM25 finds passages that share rare words with the question. The candidate sentences are
those passages' sentences, ordered by how much of the question's weight (idf of the question
terms) they cover, nudged by where their passage ranked and by whether they hold the kind of
thing the question asks for (a number for 「多少」, a date for 「何时」...) near its words,
and by how many of the other top passages repeat it: news wires reprint a story with new
openings and cuts, so the passages differ while the sentence that carries the reported fact
recurs word for word; a sentence several sources kept is more likely the fact than the
paraphrase of the question in one copy's lead.
Whether the best of them actually answers is `retrieval.answerability`'s call.

(`retrieval.rank.is_found`, a share of the query's weight, remains the test for subscriptions:
does a new article cover a standing query.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from retrieval.answerability import candidates, near, question_terms
from retrieval.question import QuestionAnalysis
from retrieval.rank import coverage, sentence_terms

#: How many of the best-scored sentences are checked against their article before giving up.
CHECKED_SENTENCES = 8
#: Score bonus for a sentence holding a candidate of the asked type near the question's words,
#: and the malus for one that holds none.
TYPE_BONUS = 0.15
TYPE_MALUS = 0.1
#: Score bonus per other top passage holding the same sentence, counted up to REPEATS_CAP.
REPEAT_BONUS = 0.1
REPEATS_CAP = 3
_REPEAT_PREFIX = 30
_NON_WORD = re.compile(r"\W+")


@dataclass(frozen=True)
class SentenceChoice:
    """A candidate sentence, the passage it came from (index into the hits), its coverage."""

    sentence: str
    hit_index: int
    coverage: float


def _type_score(question: QuestionAnalysis, sentence: str) -> float:
    if not question.answer_type:
        return 0.0
    found = candidates(
        sentence, question.answer_type, question.text, question.units,
        year=question.wants_year, day=question.wants_day,
    )
    return TYPE_BONUS if near(sentence, found, question_terms(question)) else -TYPE_MALUS


def rank_sentences(
    question: QuestionAnalysis,
    question_weights: Mapping[str, float],
    passages: Sequence[str],
    tokenize: Callable[[str], list[str]],
) -> list[SentenceChoice]:
    """Every sentence of `passages` (best-ranked passage first), best answer first.

    The score is the sentence's coverage of the question, less a little per passage rank,
    plus `TYPE_BONUS` when it holds a candidate of the asked type near the question's words,
    plus `REPEAT_BONUS` for each other passage that repeats it.
    """
    split = [sentence_terms(text, tokenize) for text in passages]
    repeats = Counter(
        key for sentences in split for key in {sentence_key(s) for s, _ in sentences}
    )
    scored: list[tuple[float, int, SentenceChoice]] = []
    for rank, sentences in enumerate(split):
        for sentence, terms in sentences:
            cov = coverage(question_weights, terms)
            score = cov - 0.04 * rank + _type_score(question, sentence)
            score += REPEAT_BONUS * min(repeats[sentence_key(sentence)] - 1, REPEATS_CAP)
            if len(sentence) < 6:
                score -= 0.2
            scored.append((score, len(scored), SentenceChoice(sentence, rank, cov)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [choice for _, _, choice in scored]


def sentence_key(sentence: str) -> str:
    """Sentences with the same key count as one sentence repeated (punctuation ignored)."""
    return _NON_WORD.sub("", sentence)[:_REPEAT_PREFIX]

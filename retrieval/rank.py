"""Second-stage ranking over BM25's candidates, and the "found" test: both rest on coverage.

BM25 scores each term independently, so a passage that mentions every question word once,
scattered over unrelated sentences, can outrank the one sentence that answers the question.
The candidates BM25 returns (a few dozen) are re-scored as

    bm25 / best_bm25 + SENTENCE_WEIGHT · best sentence coverage + PASSAGE_WEIGHT · coverage
                     + ARTICLE_WEIGHT · article coverage

where coverage is the share of the question's idf mass whose terms appear (in the best single
sentence, anywhere in the passage, or anywhere in the candidate passages of the same article).
The article term rewards a passage whose story also covers the rest of the question in its
other passages (a 300-character passage often holds the answer while the names the question
uses stand in the passage before it); it reuses the token sets already built, so it costs no
extra tokenization. Reprints of the same story (news wires are copied
verbatim) are collapsed to their best-ranked copy so they do not crowd out other sources.
The weights were measured on the news dev set (README, "Answer quality").

"Found" (does the engine have an answer; does a new article match a subscription) is decided
on coverage too, not on the raw BM25 score: a score's scale depends on the corpus and the
question length, while "the best passage holds at least this share of what the question is
about" means the same thing on a one-page corpus and on a large archive. Coverage lives here,
below `answer`, which uses it to choose the answer sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from retrieval.records import Candidate
from retrieval.text import fold, split_sentences
from retrieval.tokenizer import BIGRAM_MARK

#: How many BM25 candidates the second stage looks at.
CANDIDATES = 30
SENTENCE_WEIGHT = 1.0
PASSAGE_WEIGHT = 1.0
ARTICLE_WEIGHT = 0.5
#: Share of the question's word idf mass the best passage must cover to count as an answer.
#: Chosen by measurement (README, "Answer quality"): off-topic seed questions stay below it.
FOUND_COVERAGE = 0.35
_DUPLICATE_PREFIX = 40
_NON_WORD = re.compile(r"\W+")


def coverage(question_weights: Mapping[str, float], tokens: set[str]) -> float:
    """Share of the question's total term weight that appears in `tokens` (0..1)."""
    total = sum(question_weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in question_weights.items() if t in tokens) / total


def answer_coverage(
    word_weights: Mapping[str, float], text: str, tokenize: Callable[[str], list[str]]
) -> float:
    """How much of a question's *word* weight the passage `text` covers.

    The measure behind "found": judged on whole words, because bigrams spanning a stopword
    (「#放了」) never occur in documents and would make every question look half unanswered.
    """
    return coverage(word_weights, set(tokenize(text)))


def is_found(answer_cov: float) -> bool:
    """True when a passage's `answer_coverage` is enough to call it an answer."""
    return answer_cov >= FOUND_COVERAGE


def term_finder(terms: Iterable[str]) -> Callable[[str], list[str]]:
    """A stand-in for the tokenizer where only the question's own terms matter (coverage):
    the `terms` that occur in a text, found by substring in the folded text.

    Tokenizing the few dozen candidate passages again for every question would cost more than
    the whole BM25 stage; looking for a handful of known strings costs a fraction of that.
    A bigram term (`BIGRAM_MARK` and two characters) is found exactly where the tokenizer
    would make it; a word is also found inside a longer word (「银行」 in 「农商银行」), which
    the tokenizer might have kept whole, a small and measured difference (README, "Speed").
    """
    needles = [(t, t[len(BIGRAM_MARK) :] if t.startswith(BIGRAM_MARK) else t) for t in terms]

    def find(text: str) -> list[str]:
        folded = fold(text)
        return [term for term, needle in needles if needle and needle in folded]

    return find


def duplicate_key(text: str) -> str:
    """Texts with the same key are treated as copies of one another (reprints)."""
    return _NON_WORD.sub("", text)[:_DUPLICATE_PREFIX]


def rerank(
    candidates: Sequence[Candidate],
    weights: Mapping[str, float],
    tokenize: Callable[[str], list[str]],
    articles: Sequence[str] = (),
) -> list[tuple[Candidate, float]]:
    """Candidates re-scored and re-ordered (best first), reprints removed.

    `articles`: the article id of each candidate (same order), for the article-coverage term;
    without it every passage counts as its own article.
    """
    if not candidates:
        return []
    best = max(c.score for c in candidates) or 1.0
    groups = list(articles) if len(articles) == len(candidates) else [
        str(c.key) for c in candidates
    ]
    passage_terms = []
    article_terms: dict[str, set[str]] = {}
    for cand, group in zip(candidates, groups, strict=True):
        sentences = [set(tokenize(s)) for s in split_sentences(cand.text)]
        terms = set().union(*sentences)
        passage_terms.append((sentences, terms))
        article_terms.setdefault(group, set()).update(terms)
    scored = []
    for cand, group, (sentences, terms) in zip(candidates, groups, passage_terms, strict=True):
        sentence_cov = max((coverage(weights, s) for s in sentences), default=0.0)
        score = (
            cand.score / best
            + SENTENCE_WEIGHT * sentence_cov
            + PASSAGE_WEIGHT * coverage(weights, terms)
            + ARTICLE_WEIGHT * coverage(weights, article_terms[group])
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

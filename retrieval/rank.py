"""Second-stage ranking over BM25's candidates, and the "found" test: both rest on coverage.

BM25 scores each term independently, so a passage that mentions every question word once,
scattered over unrelated sentences, can outrank the one sentence that answers the question.
The candidates BM25 returns (a few dozen) are re-scored as

    bm25 / best_bm25 + SENTENCE_WEIGHT · best sentence coverage + PASSAGE_WEIGHT · coverage
                     + ARTICLE_WEIGHT · article coverage + PHRASE_WEIGHT · phrase match
                     + SLOT_WEIGHT · slot fill + COPULA_WEIGHT · copula

where coverage is the share of the question's idf mass whose terms appear (in the best single
sentence, anywhere in the passage, or anywhere in the candidate passages of the same article).
The best sentence is one that does not ask (`retrieval.text.asks`): a headline or an
interviewer's question repeats the question's words, most of them, without the answer. A
sentence's coverage is taken `SENTENCE_CONTEXT_SHARE` together with the sentence before it in
the passage: a story names its subject once and reports the facts in the sentences that
follow, so the sentence holding the answer often repeats few of the question's words itself.
The article term rewards a passage whose story also covers the rest of the question in its
other passages (a 300-character passage often holds the answer while the names the question
uses stand in the passage before it); it reuses the token sets already built, so it costs no
extra tokenization. The phrase match is the longest stretch of the question's own wording
(question words and punctuation cut out) that the passage repeats verbatim, as a share of
that wording: coverage counts terms one by one, while a question is usually asked in the words
of the sentence that answers it (「要求各地全力搜救失联、被困人员」), and a passage that restates
the topic in other words rarely holds the answer. It is found with substring tests on the
folded passage, a few dozen per candidate.

The slot fill is the best share, over the passage's sentences that do not themselves ask
(end in a question mark), of the words written around the question word that stand next to
new text (`retrieval.question_slot`: 「推动健全涉案财物追缴处置机制」 fills
「推动健全什么机制」), and the copula term whether one of them follows the word before the
question word with 是, 为 or a colon (「主题为」): coverage and the phrase reward a passage
that restates the question, these one that goes on where the question stops, the way the
sentence holding the answer does (`SlotTest.passage_fills`: the slot words are found in the
same pass over the candidates as the question's terms). Reprints of the same story (news
wires are copied verbatim) are collapsed to their best-ranked copy so they do not crowd out
other sources.
The weights were measured on the news dev set (README, "Answer quality").

"Found" (does the engine have an answer; does a new article match a subscription) is decided
on coverage too, not on the raw BM25 score: a score's scale depends on the corpus and the
question length, while "the best passage holds at least this share of what the question is
about" means the same thing on a one-page corpus and on a large archive. Coverage lives here,
below `answer`, which uses it to choose the answer sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from retrieval.folding import fold
from retrieval.question_slot import SlotTest, slot_context
from retrieval.records import Candidate
from retrieval.term_matrix import TermMatrix, compiled_kernels, longest_shared, term_matrix
from retrieval.text import asks, sentence_spans, split_sentences, word_head
from retrieval.tokenizer import BIGRAM_MARK

#: How many BM25 candidates the second stage looks at.
CANDIDATES = 30
SENTENCE_WEIGHT = 1.0
PASSAGE_WEIGHT = 1.0
ARTICLE_WEIGHT = 0.5
PHRASE_WEIGHT = 0.25
#: Share of a sentence's coverage taken together with the sentence before it.
SENTENCE_CONTEXT_SHARE = 0.4
SLOT_WEIGHT = 0.2
COPULA_WEIGHT = 0.1
#: Share of the question's word idf mass the best passage must cover to count as an answer.
#: Chosen by measurement (README, "Answer quality"): off-topic seed questions stay below it.
FOUND_COVERAGE = 0.35
_DUPLICATE_PREFIX = 40
#: Where a question's wording breaks: punctuation, spaces and the question words, which stand
#: where the answer stands in the passage and so never belong to a phrase it repeats.
_QUESTION_BREAKS = re.compile(
    r"[\W_]+|什么时候|什么时间|什么|多少|哪一?[个些位家年天里儿座所支种艘]?|谁|"
    r"几[个家名人位次项年天倍]?|何时|何地|如何|怎么样?|怎样|多[大高长久远重快深宽]"
)


def coverage(question_weights: Mapping[str, float], tokens: set[str]) -> float:
    """Share of the question's total term weight that appears in `tokens` (0..1)."""
    return coverer(question_weights)(tokens)


def coverer(question_weights: Mapping[str, float]) -> Callable[[set[str]], float]:
    """`coverage` with the question fixed: its total weight is summed once, not per call.

    Summed exactly (`math.fsum`): a set's order changes from run to run with string
    hashing, and a plain float sum in another order can break a tie between two sentences
    the other way.
    """
    total = math.fsum(question_weights.values())
    if total <= 0:
        return lambda tokens: 0.0
    weight = question_weights.get

    def share(tokens: set[str]) -> float:
        if len(tokens) < len(question_weights):  # usually: only the question's terms
            return math.fsum(weight(t, 0.0) for t in tokens) / total
        return math.fsum(w for t, w in question_weights.items() if t in tokens) / total

    return share


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


class TermFinder:
    """A stand-in for the tokenizer where only the question's own terms matter (coverage):
    the `terms` that occur in a text, found by substring in the folded text.

    Tokenizing the few dozen candidate passages again for every question would cost more than
    the whole BM25 stage; looking for a handful of known strings costs a fraction of that.
    A bigram term (`BIGRAM_MARK` and two characters) is found exactly where the tokenizer
    would make it; a word is also found inside a longer word (「银行」 in 「农商银行」), which
    the tokenizer might have kept whole, a small and measured difference (README, "Speed").
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self._needles = [
            (t, t[len(BIGRAM_MARK) :] if t.startswith(BIGRAM_MARK) else t)
            for t in dict.fromkeys(terms)
        ]

    @property
    def terms(self) -> list[str]:
        """The terms looked for (each once)."""
        return [term for term, _ in self._needles]

    def matrix(
        self, texts: Sequence[str], also: Sequence[str] = (), simplified: Sequence[bool] = ()
    ) -> TermMatrix | None:
        """The `TermMatrix` of `texts` for these terms (columns in `terms` order), with where
        the strings `also` stand (`term_matrix`, as is `simplified`)."""
        return term_matrix(texts, [needle for _, needle in self._needles], also, simplified)

    def __call__(self, text: str) -> list[str]:
        folded = fold(text)
        return [term for term, needle in self._needles if needle and needle in folded]

    def sentences(self, text: str) -> list[tuple[str, set[str]]]:
        """Each sentence of `text` with the terms it holds: what `sentence_terms` computes
        for any tokenizer, in one fold of the whole passage.

        Folding is done once per passage (not per sentence: the Traditional→Simplified
        converter costs more per call than per character), and only the terms present in
        the passage are looked for in its sentences. The folded passage is cut where the
        original splits into sentences when folding kept its length (it nearly always does:
        full-width marks become ASCII ones one for one); otherwise each sentence is folded on
        its own.
        """
        return self.folded_sentences(text, fold(text))

    def folded_sentences(self, text: str, folded_text: str) -> list[tuple[str, set[str]]]:
        """`sentences` for a caller that already has `folded_text` (`fold(text)`)."""
        if len(folded_text) == len(text):
            spans = sentence_spans(folded_text)
            pairs = [(text[a:b], folded_text[a:b]) for a, b in spans]
        else:
            pairs = [(s, fold(s)) for s in split_sentences(text)]
        present = [(t, n) for t, n in self._needles if n and n in folded_text]
        return [(s, {t for t, n in present if n in f}) for s, f in pairs]


def term_finder(terms: Iterable[str]) -> TermFinder:
    """A `TermFinder` for `terms` (the question's weighted terms)."""
    return TermFinder(terms)


def sentence_terms(
    text: str, tokenize: Callable[[str], list[str]]
) -> list[tuple[str, set[str]]]:
    """The sentences of `text`, each with its set of tokens (only question terms, for a
    `TermFinder`)."""
    if isinstance(tokenize, TermFinder):
        return tokenize.sentences(text)
    return [(s, set(tokenize(s))) for s in split_sentences(text)]


def question_phrases(question: str) -> list[str]:
    """The stretches of a question's folded wording between its breaks (`_QUESTION_BREAKS`)."""
    return [piece for piece in _QUESTION_BREAKS.split(fold(question)) if piece]


def phrase_match(phrases: Sequence[str], folded_text: str) -> float:
    """`longest_shared` as a share of the phrases' total length (0..1)."""
    total = sum(len(p) for p in phrases)
    return longest_shared(phrases, folded_text) / total if total else 0.0


def duplicate_key(text: str) -> str:
    """Texts with the same key are treated as copies of one another (reprints)."""
    return word_head(text, _DUPLICATE_PREFIX)


def rerank(
    candidates: Sequence[Candidate],
    weights: Mapping[str, float],
    tokenize: Callable[[str], list[str]],
    articles: Sequence[str] = (),
    question: str = "",
    limit: int | None = None,
) -> list[tuple[Candidate, float]]:
    """Candidates re-scored and re-ordered (best first), reprints removed.

    `articles`: the article id of each candidate (same order), for the article-coverage term;
    without it every passage counts as its own article. `question`: the text asked, for the
    phrase match and the slot terms; without it those terms are left out. `limit`: only the
    first this many are wanted (the reprint test then stops there).
    """
    if not candidates:
        return []
    best = max(c.score for c in candidates) or 1.0
    groups = list(articles) if len(articles) == len(candidates) else [
        str(c.key) for c in candidates
    ]
    phrases = question_phrases(question) if question else []
    slot = SlotTest(slot_context(fold(question)) if question else ("", ""))
    #: Per candidate: the slot fill and whether the copula follows (none without a slot).
    fills: list[tuple[float, bool]] = [(0.0, False)] * len(candidates)
    if isinstance(tokenize, TermFinder) and (
        matrix := tokenize.matrix(
            [c.text for c in candidates], slot.needles, [c.simplified for c in candidates]
        )
    ) is not None:
        parts = _matrix_parts(matrix, tokenize.terms, weights, groups, phrases)
        if slot:
            shares, copulas = slot.passage_fills(matrix)
            fills = list(zip(shares.tolist(), copulas.tolist(), strict=True))
    else:
        parts = _passage_parts(candidates, weights, tokenize, groups, phrases)
        if slot:
            fills = [slot.best_fill(fold(c.text)) for c in candidates]
    scored = [
        (
            cand,
            cand.score / best
            + SENTENCE_WEIGHT * sentence_cov
            + PASSAGE_WEIGHT * passage_cov
            + ARTICLE_WEIGHT * article_cov
            + PHRASE_WEIGHT * phrase
            + SLOT_WEIGHT * fill
            + COPULA_WEIGHT * copula,
        )
        for cand, (sentence_cov, passage_cov, article_cov, phrase), (fill, copula) in zip(
            candidates, parts, fills, strict=True
        )
    ]
    scored.sort(key=lambda pair: -pair[1])
    seen: set[str] = set()
    out: list[tuple[Candidate, float]] = []
    for cand, score in scored:
        if limit is not None and len(out) >= limit:
            break
        key = duplicate_key(cand.text)
        if key in seen:
            continue
        seen.add(key)
        out.append((cand, score))
    return out


#: Per candidate: best sentence coverage, passage coverage, article coverage, phrase match.
_Parts = list[tuple[float, float, float, float]]


def _matrix_parts(
    matrix: TermMatrix,
    terms: Sequence[str],
    weights: Mapping[str, float],
    groups: Sequence[str],
    phrases: Sequence[str],
) -> _Parts:
    """The rerank measures of every candidate at once, from their `TermMatrix`."""
    total = sum(weights.values())
    share = np.array([weights.get(t, 0.0) for t in terms], np.float64)
    share = share / total if total > 0 else np.zeros_like(share)
    ids = {group: i for i, group in enumerate(dict.fromkeys(groups))}
    group_of = np.array([ids[g] for g in groups], np.intp)
    kernels = compiled_kernels()
    if kernels is not None:
        sentence_cov, passage_cov, article_cov = kernels.coverages(
            matrix.holds, matrix.starts, matrix.asking, share, group_of, len(ids),
            SENTENCE_CONTEXT_SHARE,
        )
    else:
        before = np.zeros_like(matrix.holds)  # the terms of the sentence before, in the passage
        before[1:] = matrix.holds[:-1]
        before[matrix.starts] = False
        in_context = (1 - SENTENCE_CONTEXT_SHARE) * (matrix.holds @ share) + (
            SENTENCE_CONTEXT_SHARE * ((matrix.holds | before) @ share)
        )
        sentence_cov = matrix.best_sentence(np.where(matrix.asking, 0.0, in_context))
        passage_terms = matrix.passage_terms()
        article_terms = np.zeros((len(ids), len(terms)), np.bool_)
        np.logical_or.at(article_terms, group_of, passage_terms)
        passage_cov = passage_terms @ share
        article_cov = (article_terms @ share)[group_of]
    wording = sum(len(p) for p in phrases)
    phrase = [n / wording if wording else 0.0 for n in matrix.longest_shared(phrases)]
    return list(
        zip(
            sentence_cov.tolist(), passage_cov.tolist(), article_cov.tolist(), phrase,
            strict=True,
        )
    )


def _passage_parts(
    candidates: Sequence[Candidate],
    weights: Mapping[str, float],
    tokenize: Callable[[str], list[str]],
    groups: Sequence[str],
    phrases: Sequence[str],
) -> _Parts:
    """The rerank measures candidate by candidate, for any tokenizer."""
    passage_terms = []
    article_terms: dict[str, set[str]] = {}
    for cand, group in zip(candidates, groups, strict=True):
        folded = fold(cand.text) if phrases or isinstance(tokenize, TermFinder) else ""
        if isinstance(tokenize, TermFinder):  # fold each passage once, for both measures
            pairs = tokenize.folded_sentences(cand.text, folded)
        else:
            pairs = sentence_terms(cand.text, tokenize)
        sentences = [terms for _, terms in pairs]
        terms = set().union(*sentences)
        phrase = phrase_match(phrases, folded) if phrases else 0.0
        telling = [  # (terms alone, with the sentence before) of each sentence that tells
            (held, held | pairs[i - 1][1] if i else held)
            for i, (text, held) in enumerate(pairs)
            if not asks(text)
        ]
        passage_terms.append((telling, terms, phrase))
        article_terms.setdefault(group, set()).update(terms)
    return [
        (
            max(
                (
                    (1 - SENTENCE_CONTEXT_SHARE) * coverage(weights, alone)
                    + SENTENCE_CONTEXT_SHARE * coverage(weights, with_before)
                    for alone, with_before in sentences
                ),
                default=0.0,
            ),
            coverage(weights, terms),
            coverage(weights, article_terms[group]),
            phrase,
        )
        for group, (sentences, terms, phrase) in zip(groups, passage_terms, strict=True)
    ]

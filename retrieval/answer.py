"""Ranking the candidate answer sentences among the top passages.

BM25 finds passages that share rare words with the question. The candidate sentences are
those passages' sentences, scored by a short linear sum of cheap signals:

* coverage — how much of the question's weight (idf of the question terms) they hold,
  half on their own and half together with the sentence right before them: a story names
  its subject once and then reports the facts in the sentences that follow (「…在湘投资达
  123.89亿元」 after the sentence naming 国家能源集团 and 湖南), so the sentence holding the
  answer often repeats few of the question's words itself. Only the sentence before lends
  its words: lent backwards too, the answer would lift the sentence leading up to it;
* the question's wording — the share of its pairs of adjacent Han characters (question words
  left out) the sentence holds: unlike the terms, they do not depend on how the segmenter cut
  either text (「能源集团」 one word in the question, two in the sentence), and they favour
  the sentence that words the fact as the question does;
* the passage's rank, a small malus per place;
* repeats — how many of the other top passages hold the same sentence: news wires reprint a
  story with new openings and cuts, so the passages differ while the sentence that carries
  the reported fact recurs word for word; a sentence several sources kept is more likely the
  fact than the paraphrase of the question in one copy's lead;
* the slot — whether the words written around the question word (「健全」 and 「机制」 in
  「推动健全什么机制」) stand in the sentence with something new beside them, where the
  answer goes (「推动健全涉案财物追缴处置机制」), rather than merely occurring in it; and
  whether the word before the question word is followed by a copula (「主题是」「主题为」
  「主题：」), the way a sentence introduces the very thing asked about;
* for a number or date question, whether the sentence holds a number or date near the
  question's words;
* the question's stated facts — whether the sentence writes its years, dates and numbers
  (「2023年上半年」): a story of the asked year and another one's 「今年上半年」 hold the same
  words, and only the first is sure to be about the year asked;
* a malus for a sentence that is itself a question (a headline or an interviewer's question
  restates what is asked without answering it), and for a fragment of a few characters.

Every signal is a substring or regex test on the sentence as written: no tokenizer call,
and no folding (Traditional → Simplified costs more per sentence than all the tests); a
Traditional-script sentence only misses these nudges, not the check of its answer. Whether
the best of them actually answers (entities, person and place types) is
`retrieval.answerability`'s call.

(`retrieval.rank.is_found`, a share of the query's weight, remains the test for subscriptions:
does a new article cover a standing query.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from retrieval.answerability import type_fits
from retrieval.question import QuestionAnalysis
from retrieval.question_slot import ASKING, SlotTest
from retrieval.rank import coverer, sentence_terms
from retrieval.text import asks, word_head

#: How many of the best-scored sentences are checked against their article before giving up.
CHECKED_SENTENCES = 8
#: Share of the coverage term taken from the sentence together with the one before it (in
#: its passage) rather than from the sentence alone.
CONTEXT_SHARE = 0.5
#: Score malus per place of the sentence's passage in the search ranking.
RANK_MALUS = 0.04
#: Score bonus for a number or date of the asked kind near the question's words,
#: and the malus for a sentence holding none.
TYPE_BONUS = 0.15
TYPE_MALUS = 0.1
#: Score bonus per other top passage holding the same sentence, counted up to REPEATS_CAP.
REPEAT_BONUS = 0.1
REPEATS_CAP = 3
#: Score bonus when the words around the question word stand in the sentence next to
#: new text (the share of the two sides that do, for questions with both).
SLOT_BONUS = 0.3
#: Score bonus when the word before the question word is followed by 是, 为 or a colon.
COPULA_BONUS = 0.2
#: Score bonus for stating the question's years, dates and numbers (a share for some).
FACT_BONUS = 0.1
#: Score bonus for holding all of the question's character pairs (a share for some).
PAIR_BONUS = 0.1
#: Score malus for a sentence that is itself a question, and for a fragment.
QUESTION_MALUS = 0.1
SHORT_MALUS = 0.2
SHORT_CHARS = 6
_REPEAT_PREFIX = 30
_HAN_PAIR = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
#: Pairs holding a question word say nothing of where the answer is.
_QUESTION_PAIR = re.compile(r"[什么哪谁几怎何吗呢]|多少")


@dataclass(frozen=True)
class SentenceChoice:
    """A candidate sentence, the passage it came from (index into the hits), its coverage."""

    sentence: str
    hit_index: int
    coverage: float


def rank_sentences(
    question: QuestionAnalysis,
    question_weights: Mapping[str, float],
    passages: Sequence[str],
    tokenize: Callable[[str], list[str]],
) -> list[SentenceChoice]:
    """Every sentence of `passages` (best-ranked passage first), best answer first.

    The score is the sentence's coverage of the question (`CONTEXT_SHARE` of it together
    with the sentence before), less `RANK_MALUS` per passage
    rank, plus `REPEAT_BONUS` for each other passage that repeats it, plus `PAIR_BONUS` for
    the question's wording, plus `SLOT_BONUS` and `COPULA_BONUS` for the question word's
    context, plus `FACT_BONUS` for its stated facts, plus or minus the number/date fit,
    minus the malus for a question or a fragment (module docstring).
    """
    split = [sentence_terms(text, tokenize) for text in passages]
    keys = [[sentence_key(s) for s, _ in sentences] for sentences in split]
    repeats = Counter(key for passage in keys for key in set(passage))
    slot = SlotTest(question.slot)
    pairs = question_pairs(question.text)
    pair_share = PAIR_BONUS / len(pairs) if pairs else 0.0
    coverage = coverer(question_weights)
    facts = question.facts
    scored: list[tuple[float, int, SentenceChoice]] = []
    for rank, sentences in enumerate(split):
        for i, ((sentence, terms), key) in enumerate(zip(sentences, keys[rank], strict=True)):
            cov = coverage(terms)
            asks = ASKING.search(sentence) is not None
            context = terms | sentences[i - 1][1] if i else terms
            score = (1 - CONTEXT_SHARE) * cov + CONTEXT_SHARE * coverage(context)
            score -= RANK_MALUS * rank
            if asks:
                score -= QUESTION_MALUS
            else:  # a question's slot holds another question word, not an answer
                score += SLOT_BONUS * slot(sentence)
                if slot.copula(sentence):
                    score += COPULA_BONUS
            score += REPEAT_BONUS * min(repeats[key] - 1, REPEATS_CAP)
            if pairs:
                score += pair_share * sum(1 for pair in pairs if pair in sentence)
            if question.facts:
                score += FACT_BONUS * sum(fact in sentence for fact in facts) / len(facts)
            fits = type_fits(question, sentence)
            if fits is not None:
                score += TYPE_BONUS if fits else -TYPE_MALUS
            if len(sentence) < SHORT_CHARS:
                score -= SHORT_MALUS
            scored.append((score, len(scored), SentenceChoice(sentence, rank, cov)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [choice for _, _, choice in scored]


def to_check(ranked: Sequence[SentenceChoice]) -> list[SentenceChoice]:
    """The best-ranked sentences worth checking against their article, CHECKED_SENTENCES
    of them, each once.

    A sentence holding none of the question's terms is passed over (its neighbours may be on
    the topic, but a name or number it holds answers something else), and so is a question
    (a headline's or an interviewer's: it asks what it names rather than telling). A story
    republished by several papers puts the same sentence in several passages: checked once,
    it leaves room for a sentence that says something else.
    """
    chosen: list[SentenceChoice] = []
    seen: set[str] = set()
    for choice in ranked:
        key = sentence_key(choice.sentence)
        if choice.coverage <= 0 or key in seen or asks(choice.sentence):
            continue
        seen.add(key)
        chosen.append(choice)
        if len(chosen) == CHECKED_SENTENCES:
            break
    return chosen


def question_pairs(question: str) -> frozenset[str]:
    """The question's pairs of adjacent Han characters, less those holding a question word."""
    return frozenset(
        pair for pair in _HAN_PAIR.findall(question) if not _QUESTION_PAIR.search(pair)
    )


def sentence_key(sentence: str) -> str:
    """Sentences with the same key count as one sentence repeated (punctuation ignored)."""
    return word_head(sentence, _REPEAT_PREFIX)

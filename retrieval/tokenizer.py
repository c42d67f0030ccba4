"""The one tokenization pipeline for the index and for queries.

fold (NFKC, lowercase, Traditional→Simplified) → jieba segmentation → drop punctuation →
join adjacent short pieces → drop stopwords → add character bigrams.

Segmentation uses jieba's dictionary and HMM through `rjieba`, the Python binding of jieba-rs
(a compiled port of jieba): it gives jieba's tokens at ~16× the speed of pure-Python jieba,
which is what makes ingesting the 48M-character corpus in about a minute possible. The same
segmenter is used for documents and queries, so their tokens always agree.

Names jieba does not know come out in pieces (「赖淑芳」 → 赖 / 淑芳, 「钜能」 → 钜 / 能).
`join_short_pieces` adds the concatenation of two adjacent CJK pieces whose joint length is at
most three characters, on both the index and the query side, so the name is one token again
whichever way a particular context happened to split it.

Character bigrams of every run of Chinese characters are added as separate terms (prefixed
with `#` so 「#乐山」 the bigram and 「乐山」 the word count separately). They match what
segmentation splits differently in two contexts (「李丰为」 in a document against 「李丰」 in
a question) and reward passages that share longer phrases with the question. On the news dev
set they raised answer-hit@5 from 0.64 to 0.67 over words alone (README, "Answer quality").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import rjieba

from retrieval.folding import fold
from retrieval.text import HAN, is_han

#: Bump whenever the tokens for a given text can change; a stored index whose version differs is
#: re-tokenized by `reindex`.
TOKENIZER_VERSION = "3"

#: Marks bigram terms, so they never collide with word terms.
BIGRAM_MARK = "#"

_JOIN_MAX_CHARS = 3
_HAN_RUN = re.compile(rf"[{HAN}]{{2,}}")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The curated stopword list shipped in `retrieval/data/stopwords.txt`."""
    raw = resources.files("retrieval").joinpath("data/stopwords.txt").read_text("utf-8")
    words = (line.strip() for line in raw.splitlines())
    return frozenset(fold(w) for w in words if w and not w.startswith("#"))


#: A letter or a digit: `str.isalnum` characters, Unicode categories L* and N* (`\w` without
#: the underscore). One regex search per piece is several times faster than asking
#: `unicodedata.category` character by character, with the same answer.
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def _is_word(token: str) -> bool:
    """True when the token holds at least one letter or digit (punctuation and spaces do not)."""
    return _LETTER_OR_DIGIT.search(token) is not None


def join_short_pieces(pieces: Sequence[str], stop: frozenset[str]) -> list[str]:
    """Content pieces plus the joins of adjacent short CJK pieces (see module docstring).

    A stopword never takes part in a join: 「发放」+「了」 would only add noise.
    """
    out = [p for p in pieces if p not in stop]
    for left, right in itertools.pairwise(pieces):
        if (
            len(left) + len(right) <= _JOIN_MAX_CHARS
            and left not in stop
            and right not in stop
            and is_han(left)
            and is_han(right)
        ):
            out.append(left + right)
    return out


class Tokenizer:
    """Turns text into BM25 terms. Stateless apart from the stopword set; safe to share."""

    version = TOKENIZER_VERSION

    def __init__(self, stop: Iterable[str] | None = None) -> None:
        self._stop = frozenset(stop) if stop is not None else stopwords()

    def words(self, text: str) -> list[str]:
        """Word terms only (no bigrams): what a reader would call the words of the query."""
        pieces = [p for p in rjieba.cut(fold(text)) if _is_word(p)]
        return join_short_pieces(pieces, self._stop)

    def tokenize(self, text: str) -> list[str]:
        """All terms of `text`: words (with joins), then the character bigrams."""
        folded = fold(text)
        pieces = [p for p in rjieba.cut(folded) if _is_word(p)]
        terms = join_short_pieces(pieces, self._stop)
        if not terms:
            return terms
        for run in _HAN_RUN.findall(folded):
            terms.extend([BIGRAM_MARK + a + b for a, b in itertools.pairwise(run)])
        return terms

    def phrase_bigrams(self, phrase: str) -> list[str]:
        """The bigram terms that every indexed passage holding `phrase` holds (spaces ignored).

        `tokenize` adds every adjacent pair of a Han run, and stored text has no space between
        two Han characters (`retrieval.text.clean_spacing`), so a passage whose text holds the
        phrase holds these terms: their postings narrow a phrase search down before any text
        is read. Empty when the phrase has no two adjacent Han characters.
        """
        folded = "".join(fold(phrase).split())
        pairs = (a + b for run in _HAN_RUN.findall(folded) for a, b in itertools.pairwise(run))
        return list(dict.fromkeys(BIGRAM_MARK + pair for pair in pairs))

    def tokenize_many(self, texts: Iterable[str]) -> list[list[str]]:
        """`tokenize` over many texts."""
        return [self.tokenize(t) for t in texts]

"""`fold`: the case, width and script folding applied before anything is tokenized or
compared, so that a query typed in Traditional characters, full-width digits or capitals
finds the same tokens as the index.

`fold(text)` is exactly `t2s(NFKC(text).lower())`: Unicode compatibility normalization, then
lowercase, then OpenCC's Traditional→Simplified conversion. Whole-text NFKC costs several
times the rest on a Chinese text, while nearly every character of one is left alone by it:
full-width ASCII forms are narrowed by arithmetic, the few other characters NFKC changes in
the blocks Chinese text uses are normalized run by run, and only what is left beyond those
blocks goes through `nfkc_piecewise`. The tests compare every path with the definition.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    """The Traditional→Simplified converter (loaded once; OpenCC's C++ core is fast)."""
    return opencc.OpenCC("t2s")


#: The blocks Chinese text uses in which NFKC changes some characters (Latin-1 symbols,
#: general punctuation, letterlike and enclosed forms, CJK compatibility, full-width forms).
#: Everything outside them (CJK ideographs, ASCII) is left as it is by NFKC.
_NFKC_BLOCKS = (
    (0x00A0, 0x02FF), (0x2000, 0x33FF), (0xF900, 0xFAFF), (0xFB00, 0xFB4F),
    (0xFE10, 0xFE6F), (0xFF00, 0xFFEF),
)


#: Code points below this are looked up in `_changed_by_nfkc` (the last block ends below it).
_TABLE_END = 0xFFF0


@lru_cache(maxsize=1)
def _changed_by_nfkc() -> npt.NDArray[np.bool_]:
    """Per code point below `_TABLE_END` (one entry more, always False, for those above):
    whether it is in `_NFKC_BLOCKS` and NFKC changes it on its own.

    Built on first use from `unicodedata` itself (a few thousand lookups, once), so it matches
    the Python in use. Chinese punctuation (「。、“”《》」) is in these blocks but stable:
    a typical passage has no such character at all, or one run (「……」「℃」).
    """
    table = np.zeros(_TABLE_END + 1, np.bool_)
    for first, last in _NFKC_BLOCKS:
        for c in range(first, last + 1):
            table[c] = unicodedata.normalize("NFKC", chr(c)) != chr(c)
    return table


@lru_cache(maxsize=4096)
def _nfkc_run(run: str) -> str:
    return unicodedata.normalize("NFKC", run)


_FULL_WIDTH_FIRST, _FULL_WIDTH_LAST, _FULL_WIDTH_SHIFT = 0xFF01, 0xFF5E, 0xFEE0
_IDEOGRAPHIC_SPACE = 0x3000


def _normalize_common(text: str) -> str:
    """`text` with the full-width ASCII forms (「，」「：」「２」) and the ideographic space
    narrowed, and every run of the other characters of `_NFKC_BLOCKS` that NFKC changes
    (「……」「℃」「Ⅲ」) normalized: what NFKC makes of all of them.

    Done on the text's code points as numpy arrays: `str.translate` looks every character up
    in a dict, and a regular expression over a character class of thousands tests every
    character against it; both cost several times more on a Chinese passage.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32).copy()
    wide = (codes >= _FULL_WIDTH_FIRST) & (codes <= _FULL_WIDTH_LAST)
    codes[wide] -= _FULL_WIDTH_SHIFT
    codes[codes == _IDEOGRAPHIC_SPACE] = ord(" ")
    narrowed = codes.tobytes().decode("utf-32-le")
    changed = np.flatnonzero(_changed_by_nfkc()[np.minimum(codes, _TABLE_END)])
    if not len(changed):
        return narrowed
    # Maximal runs of consecutive changed positions: normalized together, as NFKC would.
    breaks = np.flatnonzero(np.diff(changed) != 1) + 1
    starts = changed[np.concatenate(([0], breaks))].tolist()
    ends = (changed[np.concatenate((breaks - 1, [len(changed) - 1]))] + 1).tolist()
    pieces: list[str] = []
    done = 0
    for start, end in zip(starts, ends, strict=True):
        pieces += (narrowed[done:start], _nfkc_run(narrowed[start:end]))
        done = end
    pieces.append(narrowed[done:])
    return "".join(pieces)


def _nfkc(match: re.Match[str]) -> str:
    # The same few runs recur in every text: normalize each once.
    return _nfkc_run(match.group())


#: Texts up to this long are folded through a small cache: answering one question folds the
#: same candidate passages and sentences at several steps. Longer texts (whole articles
#: while ingesting) are never kept, so the cache stays small.
_CACHED_FOLD_CHARS = 1000


#: How many folds `remember_folds` keeps: a question's candidate passages, a few times over.
_REMEMBERED = 256
_remembered: OrderedDict[str, str] = OrderedDict()


def fold(text: str) -> str:
    """NFKC, lowercase and Traditional→Simplified: the form every token is made from.

    NFKC is applied only to the runs of characters it may change (full-width punctuation,
    symbols): normalizing a whole Chinese text costs far more, for the same result.
    """
    if len(text) <= _CACHED_FOLD_CHARS:
        known = _remembered.get(text)
        return known if known is not None else _fold_cached(text)
    return _fold(text)


def remember_folds(texts: Sequence[str], folded: Sequence[str]) -> None:
    """Keep `folded[i]` as `fold(texts[i])`, for texts a caller folded together.

    The second ranking stage folds its candidates joined into one text (a converter call per
    passage costs more than the whole text's conversion); the answer's steps then fold the
    best of those passages one by one, which this saves. The caller vouches that each piece
    is the passage's own fold (nothing folding does spans the separator it joined them with).
    """
    for text, piece in zip(texts, folded, strict=True):
        if len(text) <= _CACHED_FOLD_CHARS:
            _remembered[text] = piece
            _remembered.move_to_end(text)
    while len(_remembered) > _REMEMBERED:
        _remembered.popitem(last=False)


@lru_cache(maxsize=4096)
def _fold_cached(text: str) -> str:
    return _fold(text)


def keeps_script(text: str) -> bool:
    """True when folding `text` converts none of its script: `fold(text)` is
    `fold_keeping_script(text)`. Nearly every passage of a Simplified Chinese source.

    Stored with each passage at ingest, so the second ranking stage can skip the converter
    for it (`retrieval.term_matrix`): the converter is most of the cost of folding.
    """
    return fold(text) == fold_keeping_script(text)


def fold_keeping_script(text: str) -> str:
    """`fold` without the Traditional→Simplified conversion: NFKC and lowercase only."""
    if not unicodedata.is_normalized("NFKC", text):
        text = _normalize_common(text)
        if not unicodedata.is_normalized("NFKC", text):
            text = nfkc_piecewise(text)
    return text.lower()


def _fold(text: str) -> str:
    return to_simplified(fold_keeping_script(text))


def to_simplified(text: str) -> str:
    """The script part of `fold`: OpenCC's Traditional→Simplified conversion alone."""
    converted: str = _t2s().convert(text)
    return converted


#: Characters around which NFKC may be applied piecewise: each is unchanged by NFKC, has
#: combining class 0 and is never the second character of a composition, so nothing before
#: it combines with it or moves past it. ASCII, CJK ideographs, common CJK punctuation and
#: curly quotes: nearly all of a Chinese text.
_SAFE_CHARS = "\x00-\x7f\u3001-\u3011\u3400-\u4dbf\u4e00-\u9fff\u2018\u2019\u201c\u201d"
#: A run of other characters with the character before it (a base a combining mark may join):
#: what is left to normalize once `_normalize_common` is done. Characters outside its blocks
#: (「𝕏」, Arabic presentation forms, Hangul jamo) are rare, and normalizing a whole
#: 10,000-character text for one of them costs a search milliseconds.
_UNUSUAL_RUNS = re.compile(f".?[^{_SAFE_CHARS}]+", re.DOTALL)


def nfkc_piecewise(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, computed on the runs of `_UNUSUAL_RUNS` only."""
    return _UNUSUAL_RUNS.sub(_nfkc, text)


#: No character beyond this has a canonical decomposition (the planes above hold no
#: composed characters); `char_folds` scans below it for the characters that compose.
_DECOMPOSED_END = 0x30000
#: The jamo that Hangul composition joins to the syllable before them (Unicode ch. 3.12).
_HANGUL_VOWELS = range(0x1161, 0x1176)
_HANGUL_TRAILING = range(0x11A8, 0x11C3)
#: The one character `str.lower` lowers by its context (a final capital sigma).
_CONTEXT_LOWERED = "\u03a3"


@dataclass(frozen=True)
class CharFolds:
    """`fold_keeping_script` character by character, for a compiled pass over code points.

    For each code point c of the Basic Multilingual Plane, `length[c]` code points from
    `codes[start[c]:]` are what folding makes of it wherever it stands, or `length[c]` is -1
    where that depends on its neighbours (a text holding one is folded the general way).
    """

    start: npt.NDArray[np.int32]
    length: npt.NDArray[np.int8]
    codes: npt.NDArray[np.uint32]


@lru_cache(maxsize=1)
def char_folds() -> CharFolds:
    """The `CharFolds` of the Python in use (built once, from `unicodedata`).

    A character folds on its own when NFKC cannot join it to what stands before it or after
    it: its decomposition starts with a character of combining class 0 that is never the
    second of a canonical composition (so nothing before it composes with it or moves past
    it, and nothing after it can move before it or compose with anything in it, every
    character being such a start). Then NFKC of a text is the NFKC of each character in
    turn, and so is lowercase, except for the capital sigma, lowered by its context.
    """
    # Hangul syllables compose by arithmetic, not by listed decompositions: a vowel jamo
    # joins a leading consonant, a trailing consonant joins a syllable without one.
    seconds = {chr(c) for c in [*_HANGUL_VOWELS, *_HANGUL_TRAILING]}
    for code in range(_DECOMPOSED_END):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    start = np.zeros(0x10000, np.int32)
    length = np.full(0x10000, -1, np.int8)
    out: list[int] = []
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code < 0xE000:  # surrogates: not characters
            continue
        first = unicodedata.normalize("NFKD", char)[0]
        if unicodedata.combining(first) or first in seconds:
            continue
        nfkc = unicodedata.normalize("NFKC", char)
        if _CONTEXT_LOWERED in nfkc:
            continue
        folded = nfkc.lower()
        if len(folded) > 127:
            continue
        start[code], length[code] = len(out), len(folded)
        out += map(ord, folded)
    return CharFolds(start, length, np.array(out, np.uint32))

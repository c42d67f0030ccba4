"""Which of a question's terms each sentence of a few dozen passages holds, as one matrix.

The second ranking stage needs, for every candidate passage, the question terms in each of
its sentences. Worked passage by passage that is a fold, a sentence split and a set per
sentence, thirty times over, and the fixed cost of each call is most of the work: the
Traditional→Simplified converter and the full-width narrowing cost nearly as much for a
300-character passage as for ten of them. So the candidates are joined into one text
(a control character between passages: no sentence, converter phrase or NFKC run spans it),
folded once, cut into sentences and searched for every term in a few vectorized passes over
its code points; where a term occurs says which sentence holds it. Coverage then is a
matrix-vector product instead of a sum per sentence.

A term counts for a sentence only when one of its occurrences lies wholly inside that
sentence, as a substring test on the sentence would find it. The result is the same as
`TermFinder.sentences` on each passage, except that whitespace-only sentences are kept (they
hold no term, so no coverage changes) and a passage that folding lengthens is cut into
sentences after folding rather than before (so 「…」 and an ASCII 「...」 end a sentence there).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import numpy.typing as npt

from retrieval.folding import (
    CharFolds,
    char_folds,
    fold,
    fold_keeping_script,
    remember_folds,
    to_simplified,
)
from retrieval.text import CLOSING_MARKS, SENTENCE_END_MARKS, find_all

logger = logging.getLogger(__name__)

#: Between two passages in the joined text: a control character the store never keeps in a
#: text (ingest strips them) and that folding leaves alone, so the folded text splits back
#: into the folded passages.
_JOIN = "\x1f"
#: Character classes of the folded text, looked up by code point (one gather per text).
_END, _CLOSE, _SPACE, _DOT = 1, 2, 4, 8
_BMP = 0x10000


def _class_table() -> npt.NDArray[np.uint8]:
    table = np.zeros(_BMP, np.uint8)
    for marks, bit in ((SENTENCE_END_MARKS, _END), (CLOSING_MARKS, _CLOSE)):
        for c in marks:  # as folding leaves them: full-width 「！？；）」 become ASCII
            table[ord(unicodedata.normalize("NFKC", c))] |= bit
    for c in " \t\n\r\v\f":
        table[ord(c)] |= _SPACE
    table[ord(".")] |= _DOT
    return table


_CLASSES = _class_table()
#: `retrieval.term_matrix_compiled` once `load_compiled_rerank` has loaded it in this process.
_compiled: ModuleType | None = None
#: The character folds its `fold_codes` reads, built by `load_compiled_rerank`.
_char_folds: CharFolds | None = None


def load_compiled_rerank() -> bool:
    """Load the compiled passes (`retrieval.term_matrix_compiled`) for every later question
    of this process; False, loading nothing, when numba cannot (the numpy passes serve).

    Each kernel is run once on a small text, so numba loads (or compiles) its machine code
    now rather than during a question.
    """
    global _compiled, _char_folds
    try:
        from retrieval import term_matrix_compiled as kernels

        folds = char_folds()

        codes = np.frombuffer("问？答。".encode("utf-32-le"), np.uint32)
        ends = np.array([len(codes)], np.int64)
        bounds = kernels.sentence_bounds(codes, _CLASSES, ends)
        kernels.asking_rows(codes, _CLASSES, bounds)
        needles, offsets = _packed(["问", "答"])
        kernels.term_holds(codes, bounds, needles, offsets, 1)
        kernels.longest_shared(codes, ends, _pattern(["答"]))
        kernels.fold_codes(codes, folds.start, folds.length, folds.codes)
        starts = np.zeros(1, np.intp)
        rows = np.zeros((len(bounds), 1), np.bool_)
        kernels.coverages(
            rows, starts, np.zeros(len(bounds), np.bool_), np.ones(1), starts, 1, 0.5
        )
        table = np.zeros(_BMP, np.bool_)
        kernels.slot_fills(
            codes, bounds.astype(np.intp), starts, np.zeros(len(bounds), np.bool_),
            np.zeros(1, np.intp), np.zeros(1, np.intp), np.ones(1, np.intp),
            np.ones(1, np.bool_), table, table, table, 1.0,
        )
    except Exception as exc:  # numba missing or failing to compile: a speed-up lost
        logger.warning("compiled rerank not loaded, using the numpy passes: %s", exc)
        return False
    _compiled, _char_folds = kernels, folds
    return True


def compiled_kernels() -> ModuleType | None:
    """`retrieval.term_matrix_compiled` where `load_compiled_rerank` loaded it, else None:
    the second stage's arithmetic over a `TermMatrix` then runs in its loops too."""
    return _compiled


def _packed(needles: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """The needles' code points one after the other, and where each starts (and the last
    ends), as `term_matrix_compiled.term_holds` takes them."""
    codes = np.frombuffer("".join(needles).encode("utf-32-le"), np.uint32)
    offsets = np.zeros(len(needles) + 1, np.int64)
    offsets[1:] = np.cumsum([len(n) for n in needles])
    return codes, offsets


def _pattern(phrases: Sequence[str]) -> npt.NDArray[np.int64]:
    """The phrases' code points with -1 after each (matching no character)."""
    out: list[int] = []
    for phrase in phrases:
        out += [*map(ord, phrase), -1]
    return np.array(out, np.int64)


#: A run of this many dots ends a sentence: 「…」 folds to three.
_ELLIPSIS_DOTS = 3


@dataclass(frozen=True)
class TermMatrix:
    """Sentences (rows) × question terms (columns) of a batch of passages.

    `holds[s, t]`: sentence `s` holds term `t`; `starts[p]`: the first row of passage `p`
    (each passage has at least one row); `folded[p]`: passage `p` folded; `asking[s]`:
    sentence `s` ends in a question mark (`retrieval.text.asks`); `text`: the folded
    passages joined (a control character between them), `codes` its code points and
    `ends[s]` where in it sentence `s` ends, for other searches over all the passages at once;
    `also_at[i]`: where in `text` the `i`-th of the extra needles (`term_matrix`'s `also`)
    starts, found in the same pass as the terms.
    """

    holds: npt.NDArray[np.bool_]
    starts: npt.NDArray[np.intp]
    folded: list[str]
    asking: npt.NDArray[np.bool_]
    text: str
    codes: npt.NDArray[np.uint32]
    ends: npt.NDArray[np.intp]
    also_at: tuple[npt.NDArray[np.intp], ...] = ()

    def rows_at(self, offsets: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """The row (sentence) holding each of `offsets` into `text`."""
        return self.ends.searchsorted(offsets, side="right")

    def passage_terms(self) -> npt.NDArray[np.bool_]:
        """Passages × terms: the terms some sentence of the passage holds."""
        return np.logical_or.reduceat(self.holds, self.starts, axis=0)

    def best_sentence(
        self, sentence_weights: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Per passage, the largest value of `sentence_weights` among its sentences."""
        return np.maximum.reduceat(sentence_weights, self.starts)

    def longest_shared(self, phrases: Sequence[str]) -> list[int]:
        """Per passage, `longest_shared(phrases, folded passage)`: in one compiled pass over
        the joined text once loaded, else passage by passage."""
        if _compiled is None or not phrases:
            return [longest_shared(phrases, f) for f in self.folded]
        ends = np.cumsum([len(f) + len(_JOIN) for f in self.folded]) - len(_JOIN)
        found = _compiled.longest_shared(self.codes, ends.astype(np.int64), _pattern(phrases))
        return [int(n) for n in found]


def longest_shared(phrases: Sequence[str], folded_text: str) -> int:
    """Length of the longest substring of one of `phrases` that occurs in `folded_text`.

    From each start, a substring one longer than the best so far is tried first, so a start
    that cannot beat it costs one test: about one substring test per question character.
    """
    best = 0
    for phrase in phrases:
        start = 0
        while start + best < len(phrase):
            end = start + best + 1
            if phrase[start:end] in folded_text:
                while end < len(phrase) and phrase[start : end + 1] in folded_text:
                    end += 1
                best = end - start
            start += 1
    return best


def term_matrix(
    texts: Sequence[str],
    needles: Sequence[str],
    also: Sequence[str] = (),
    simplified: Sequence[bool] = (),
) -> TermMatrix | None:
    """The `TermMatrix` of `texts` for terms found as the substrings `needles` (folded), with
    where the strings `also` stand (`TermMatrix.also_at`), found in the same pass.

    `simplified[i]`: folding leaves text i's script alone (stored with each passage,
    `retrieval.folding.keeps_script`), so the converter is skipped for it. Offsets are those
    of the folded text (NFKC may lengthen a passage: 「…」 becomes three dots). None when a
    passage holds the separator, so the joined text cannot be split back (the caller then
    works passage by passage).
    """
    if not texts or any(_JOIN in t for t in texts):
        return None
    pieces = _folded_pieces(texts, simplified)
    if pieces is None:
        return None
    folded = _JOIN.join(pieces)
    remember_folds(texts, pieces)
    codes = np.frombuffer(folded.encode("utf-32-le"), np.uint32)
    passage_ends = np.cumsum([len(p) + len(_JOIN) for p in pieces]) - len(_JOIN)
    if _compiled is not None:
        bounds = _compiled.sentence_bounds(codes, _CLASSES, passage_ends.astype(np.int64))
        holds, also_needle, also_start = _compiled.term_holds(
            codes, bounds, *_packed([*needles, *also]), len(needles)
        )
        also_at = tuple(also_start[also_needle == i] for i in range(len(also)))
        asking = _compiled.asking_rows(codes, _CLASSES, bounds)
    else:
        bounds, holds, also_at = _sentence_terms(folded, codes, passage_ends, needles, also)
        asking = _asking(codes, bounds)
    # Row i is the text after bound i-1 up to bound i; a passage's rows begin after the
    # previous passage's end (each passage ends at a bound, so it has at least one row).
    first_rows = bounds.searchsorted(np.concatenate(([-1], passage_ends[:-1])), side="right")
    return TermMatrix(
        holds, first_rows.astype(np.intp), pieces, asking, folded, codes,
        bounds.astype(np.intp), also_at,
    )


def _folded_pieces(texts: Sequence[str], simplified: Sequence[bool]) -> list[str] | None:
    """Each text folded: joined and folded at once (the fixed cost of each call to the
    converter is most of the work), the texts whose script folding keeps without the
    converter. None when a text's fold cannot be told from the others'."""
    keep = list(simplified) if len(simplified) == len(texts) else [False] * len(texts)
    groups = (
        [t for t, k in zip(texts, keep, strict=True) if k],
        [t for t, k in zip(texts, keep, strict=True) if not k],
    )
    folded = [
        _fold_joined(_JOIN.join(group), kept).split(_JOIN) if group else []
        for kept, group in zip((True, False), groups, strict=True)
    ]
    if [len(f) for f in folded] != [len(g) for g in groups]:
        return None
    kept_pieces, other_pieces = iter(folded[0]), iter(folded[1])
    return [next(kept_pieces) if k else next(other_pieces) for k in keep]


def _fold_joined(text: str, keep_script: bool) -> str:
    """`fold_keeping_script(text)` (`keep_script`) or `fold(text)`; where the compiled passes
    are loaded, the first part in one pass over the code points unless a character of
    `text` folds by its neighbours."""
    if _compiled is not None and _char_folds is not None:
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        out, folded = _compiled.fold_codes(
            codes, _char_folds.start, _char_folds.length, _char_folds.codes
        )
        if folded:
            kept: str = out.tobytes().decode("utf-32-le")
            return kept if keep_script else to_simplified(kept)
    return fold_keeping_script(text) if keep_script else fold(text)


def _sentence_terms(
    folded: str,
    codes: npt.NDArray[np.uint32],
    passage_ends: npt.NDArray[np.int64],
    needles: Sequence[str],
    also: Sequence[str],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], tuple[npt.NDArray[np.intp], ...]]:
    """`term_matrix`'s bounds, holds and `also_at`, with numpy."""
    # Every sentence ends at a mark or at its passage's end; a mark right at a passage's end
    # ends the same sentence, so the union is taken.
    bounds = np.union1d(sentence_ends(codes), passage_ends)
    holds = np.zeros((len(bounds), len(needles)), np.bool_)
    columns, starts, lengths = _occurrences(folded, codes, [*needles, *also])
    extra = columns >= len(needles)
    also_at = tuple(starts[columns == len(needles) + i] for i in range(len(also)))
    columns, starts, lengths = columns[~extra], starts[~extra], lengths[~extra]
    row = bounds.searchsorted(starts, side="right")
    inside = starts + lengths <= bounds[np.minimum(row, len(bounds) - 1)]
    holds[row[inside], columns[inside]] = True
    return bounds, holds, also_at


def _asking(codes: npt.NDArray[np.uint32], bounds: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """Per row (the text up to each of `bounds`): whether its last character other than a
    closing mark or a space is a question mark. A row with no such character of its own
    looks back into the row before, which ends in an end mark, never in 「?」 alone."""
    classes = _CLASSES[np.minimum(codes, _BMP - 1)]
    marks = np.flatnonzero((classes & (_CLOSE | _SPACE)) == 0)
    if len(marks) == 0:  # only spaces and closing marks: nothing asks
        return np.zeros(len(bounds), np.bool_)
    last = marks.searchsorted(bounds) - 1
    at = marks[np.maximum(last, 0)]
    asking: npt.NDArray[np.bool_] = (last >= 0) & (codes[at] == ord("?"))
    return asking


def sentence_ends(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.intp]:
    """Where sentences of a folded text (as code points) end, as `retrieval.text` cuts them:
    after a run of end marks, after 「…」's dots or a dot before a space, each with the
    closing quotes and brackets that follow."""
    n = len(codes)
    if n == 0:
        return np.zeros(0, np.intp)
    classes = _CLASSES[np.minimum(codes, _BMP - 1)]  # U+FFFF: no class, like any beyond
    ending = (classes & _END).astype(np.bool_)
    dots = (classes & _DOT).astype(np.bool_)
    if dots.any():
        spaced = np.append((classes[1:] & _SPACE).astype(np.bool_), False)
        ending |= dots & spaced
        run = dots.copy()  # runs of at least `_ELLIPSIS_DOTS` dots
        for shift in range(1, _ELLIPSIS_DOTS):
            run[shift:] &= dots[:-shift]
            run[:shift] = False
        ending |= run
    last = np.flatnonzero(ending & ~np.append(ending[1:], False)) + 1  # end of each run
    opens = np.flatnonzero((classes & _CLOSE) == 0)  # the next char not a closing mark
    nxt = opens.searchsorted(last)
    return np.where(nxt < len(opens), opens[np.minimum(nxt, len(opens) - 1)], n)


def _occurrences(
    text: str, codes: npt.NDArray[np.uint32], needles: Sequence[str]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """`(column, start, length)` of every occurrence in `text` of each non-empty needle,
    overlapping ones included; `codes` are `text`'s code points.

    Found with numpy rather than by `str.find` per occurrence: question terms such as
    「工作」 occur hundreds of times in thirty passages. The places where some needle's first
    character stands are found by one table lookup over the text and sorted by the two
    characters there; each needle's places are then one range of that order, found by binary
    search (and confirmed in full when the needle is longer than two). A needle with a
    character beyond the Basic Multilingual Plane is searched with `str.find`.
    """
    found: list[tuple[int, npt.NDArray[np.intp]]] = []
    usable = [(i, n) for i, n in enumerate(needles) if n and max(map(ord, n)) < _BMP]
    for column, needle in enumerate(needles):
        if needle and max(map(ord, needle)) >= _BMP:
            found.append((column, np.array(find_all(text, needle), np.intp)))
    if usable:
        first_chars = np.zeros(_BMP, np.bool_)
        first_chars[[ord(n[0]) for _, n in usable]] = True
        at = np.flatnonzero(first_chars[np.minimum(codes, _BMP - 1)])
        # Each such place keyed by its first two characters and sorted by key (stable: by
        # place within a key), so a needle's places are one range of the sorted keys.
        pair = (codes[at].astype(np.int64) << 21) | np.append(codes, 0)[at + 1]
        order = np.argsort(pair, kind="stable")
        keys = pair[order]
        heads = np.array(
            [(ord(n[0]) << 21) | (ord(n[1]) if len(n) > 1 else 0) for _, n in usable], np.int64
        )
        single = np.array([len(n) == 1 for _, n in usable])
        lo = keys.searchsorted(heads)
        hi = keys.searchsorted(np.where(single, heads + (1 << 21), heads + 1))
        for (column, needle), a, b in zip(usable, lo.tolist(), hi.tolist(), strict=True):
            starts = at[order[a:b]]
            if len(needle) > 2:
                starts = np.array(
                    [x for x in starts.tolist() if text.startswith(needle, x)], np.intp
                )
            found.append((column, starts))
    if not found:
        empty = np.zeros(0, np.intp)
        return empty, empty, empty
    columns = np.repeat(
        np.array([c for c, _ in found], np.intp), [len(a) for _, a in found]
    )
    starts = np.concatenate([a for _, a in found]).astype(np.intp)
    lengths = np.array([len(needles[c]) for c, _ in found], np.intp)
    return columns, starts, np.repeat(lengths, [len(a) for _, a in found])

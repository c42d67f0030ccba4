"""Per-window bounds of a segment's long posting lists (block-max metadata).

Why: the compiled search (`retrieval.segment_daat`) walks a segment `WINDOW_ROWS` rows at a
time and skips what cannot reach the top k, judging each term by the largest weight it can
add to *any* passage of the segment. A common word has one passage somewhere where it is
weighed heavily, so its bound is high everywhere, and a question of many common words must
sum their postings in every window. Bounded per window instead, most of its windows get a
bound well under its segment-wide one: fewer terms stay essential in a window, fewer
passages are looked up, and a window whose terms together cannot reach θ is skipped whole
(block-max MaxScore, Ding & Suel 2011, with blocks of rows rather than of postings, since our
windows are rows).

What is stored, as for the segment-wide bounds (`retrieval.segment_files`), is what bounds a
weight under any collection statistics: per (term, window) the largest tf and the shortest
passage among the term's postings in that window (a BM25 weight grows with tf and shrinks
with length); a window without a posting of the term has tf 0 and bounds nothing. Only terms
with at least `WINDOW_TERM_POSTINGS` postings get them: a shorter list appears in few
windows and costs little either way. The arrays are flat (term-major, `n_windows` per term):

    window_terms.npy    uint32[B]       the terms (segment term numbers, ascending) bounded
    window_max_tf.npy   uint8[B*W]      largest tf of term b in window w at b*W + w
    window_min_len.npy  uint16[B*W]     shortest passage of term b in window w (as doc_len)

with W = ceil(n_docs / rows) and `rows` (`WINDOW_ROWS` when written) in meta.json. A segment
written before these existed loads without them and is searched with its segment-wide bounds
until it is rewritten (`IndexUpkeep.upgrade_segments`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.posting_words import PostingArray, rows_of, tfs_of

#: Rows per window; the compiled search's window, which the stored bounds must match.
WINDOW_ROWS = 1 << 12
#: A term gets per-window bounds from this many postings (one per window on average).
WINDOW_TERM_POSTINGS = 1 << 12
#: The stored arrays and their types, narrowest first (the writer picks the first that fits).
WINDOW_DTYPES: dict[str, tuple[type[np.integer[Any]], ...]] = {
    "window_terms": (np.uint32, np.int64),
    "window_max_tf": (np.uint8,),
    "window_min_len": (np.uint16, np.int32),
}
_CHUNK = 1 << 22  # postings per step when deriving the bounds from a written segment


def n_windows(n_docs: int, rows: int) -> int:
    """Windows of `rows` rows covering `n_docs` rows."""
    return -(-n_docs // rows)


@dataclass(frozen=True)
class WindowBounds:
    """A segment's per-window bounds (module docstring), as stored; `rows` per window
    (recorded in the segment's meta.json)."""

    rows: int
    terms: npt.NDArray[np.integer[Any]]
    max_tf: npt.NDArray[np.uint8]
    min_len: npt.NDArray[np.integer[Any]]


def long_terms(indptr: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
    """The terms (ascending) whose lists are long enough to be bounded per window."""
    lengths = np.diff(np.asarray(indptr, np.int64))
    return np.flatnonzero(lengths >= WINDOW_TERM_POSTINGS).astype(np.int64)


class WindowBoundsBuilder:
    """Fills the bounds of a segment's long terms from its postings, a run of terms (or a
    part of one term's list) at a time, as a merge or a writer produces them, so no more than
    a chunk is ever held."""

    def __init__(self, indptr: npt.NDArray[np.integer[Any]], n_docs: int) -> None:
        self._indptr = np.asarray(indptr, np.int64)
        self.terms = long_terms(self._indptr)
        self.rows = WINDOW_ROWS
        self._windows = n_windows(n_docs, self.rows)
        size = len(self.terms) * self._windows
        self._max_tf = np.zeros(size, np.uint8)
        self._min_len = np.full(size, np.iinfo(np.int32).max, np.int32)

    def add(
        self, first: int, last: int, rows: npt.NDArray[np.integer[Any]],
        tfs: npt.NDArray[np.integer[Any]], lengths: npt.NDArray[np.integer[Any]],
    ) -> None:
        """The postings of terms `first:last`, all of them, in term order (rows ascending
        within a term), with the length of each posting's passage."""
        base = int(self._indptr[first])
        lo_b, hi_b = np.searchsorted(self.terms, [first, last])
        for b in range(int(lo_b), int(hi_b)):
            t = int(self.terms[b])
            a, z = int(self._indptr[t]) - base, int(self._indptr[t + 1]) - base
            self.add_term(t, rows[a:z], tfs[a:z], lengths[a:z])

    def add_term(
        self, term: int, rows: npt.NDArray[np.integer[Any]],
        tfs: npt.NDArray[np.integer[Any]], lengths: npt.NDArray[np.integer[Any]],
    ) -> None:
        """Some of the postings of the long term `term` (rows ascending)."""
        b = int(np.searchsorted(self.terms, term))
        if b == len(self.terms) or self.terms[b] != term or len(rows) == 0:
            return
        windows = np.asarray(rows, np.int64) // self.rows
        starts = np.flatnonzero(np.diff(windows, prepend=-1))
        slots = b * self._windows + windows[starts]
        top = np.maximum.reduceat(np.asarray(tfs, np.uint8), starts)
        least = np.minimum.reduceat(np.asarray(lengths, np.int64), starts)
        self._max_tf[slots] = np.maximum(self._max_tf[slots], top)
        self._min_len[slots] = np.minimum(self._min_len[slots], least)

    def bounds(self) -> WindowBounds:
        """What was filled; a window without a posting of a term has tf 0 and length 0."""
        return WindowBounds(
            self.rows, self.terms, self._max_tf, np.where(self._max_tf > 0, self._min_len, 0)
        )


def window_bounds(
    indptr: npt.NDArray[np.integer[Any]], postings: PostingArray,
    doc_len: npt.NDArray[np.integer[Any]],
) -> WindowBounds:
    """The per-window bounds of a segment's arrays (possibly memory-mapped), each long
    term's list read a chunk at a time."""
    builder = WindowBoundsBuilder(indptr, len(doc_len))
    offsets = np.asarray(indptr, np.int64)
    lengths = np.asarray(doc_len)
    for t in builder.terms.tolist():
        lo, hi = int(offsets[t]), int(offsets[t + 1])
        for a in range(lo, hi, _CHUNK):
            words = np.asarray(postings[a : min(hi, a + _CHUNK)])
            rows = rows_of(words)
            builder.add_term(t, rows, tfs_of(words), lengths[rows])
    return builder.bounds()

"""What bounds a term's weight in a segment: over the whole segment, and per window of rows.

A term's segment-wide bound (`term_bounds`: its largest tf and its shortest passage, stored
as `max_tf.npy` and `min_len.npy`, see `retrieval.segment_files`) lets MaxScore skip what
cannot reach the top k. The rest of this module is about the per-window bounds of a
segment's long posting lists (block-max metadata).

Why: the compiled search (`retrieval.segment_daat`) walks a segment `WINDOW_ROWS` rows at a
time and skips what cannot reach the top k, judging each term by the largest weight it can
add to *any* passage of the segment. A common word has one passage somewhere where it is
weighed heavily, so its bound is high everywhere, and a question of many common words must
sum their postings in every window. Bounded per window instead, most of its windows get a
bound under its segment-wide one: fewer terms stay essential in a window, fewer passages
are looked up, and a window whose terms together cannot reach θ is skipped whole (block-max
MaxScore, Ding & Suel 2011, with blocks of rows rather than of postings, since our windows
are rows).

What is stored is each long term's largest BM25 weight without idf (`tf·(k1+1)/(tf+norm)`)
in each window, under the segment's own average passage length A0, rounded *up* to one of
255 steps of k1+1 (a byte per term and window; 0 where the term has no posting there). The
collection's average length A moves as segments come and go, and a weight under A is at
most `max(1, A/A0)` times its weight under A0 (the length term of the denominator shrinks
by at most that factor and the rest does not grow), so the stored byte bounds the weight
under any collection. The largest tf and the shortest passage per window bound it too but
measured no tighter than the segment-wide bound: in 4,096 rows a common word has both a
passage repeating it and a short one, seldom the same passage.

Only terms with at least `WINDOW_TERM_POSTINGS` postings are bounded: a shorter list appears
in few windows and costs little either way. The arrays are flat (term-major, W per term):

    window_terms.npy    uint32[B]       the terms (segment term numbers, ascending) bounded
    window_weight.npy   uint8[B*W]      term b's bound in window w at b*W + w, in steps of
                                        (k1+1)/255

with W = ceil(n_docs / rows); meta.json records `window_rows` (`WINDOW_ROWS` when written),
`window_k1`, `window_b` and `window_avgdl` (A0). A search under other k1 or b, and a segment
written before these existed, use the segment-wide bounds (`IndexUpkeep.upgrade_segments`
rewrites the latter once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.index import BM25Params
from retrieval.posting_words import PostingArray, rows_of, tfs_of

#: Rows per window; the compiled search's window, which the stored bounds must match.
WINDOW_ROWS = 1 << 12
#: A term gets per-window bounds from this many postings (one per window on average).
WINDOW_TERM_POSTINGS = 1 << 12
#: The stored arrays and their types, narrowest first (the writer picks the first that fits).
WINDOW_DTYPES: dict[str, tuple[type[np.integer[Any]], ...]] = {
    "window_terms": (np.uint32, np.int64),
    "window_weight": (np.uint8,),
}
#: Steps of k1+1 a stored weight is rounded up to.
WEIGHT_STEPS = 255
_CHUNK = 1 << 22  # postings per step when deriving the bounds from a written segment


def n_windows(n_docs: int, rows: int) -> int:
    """Windows of `rows` rows covering `n_docs` rows."""
    return -(-n_docs // rows)


@dataclass(frozen=True)
class WindowBounds:
    """A segment's per-window bounds (module docstring), as stored: `rows` per window, the
    BM25 parameters and the average length (A0) the weights were computed under."""

    rows: int
    terms: npt.NDArray[np.integer[Any]]
    weight: npt.NDArray[np.uint8]
    k1: float
    b: float
    avgdl: float

    def meta(self) -> dict[str, float]:
        """What meta.json records besides the arrays."""
        return {
            "window_rows": self.rows, "window_k1": self.k1, "window_b": self.b,
            "window_avgdl": self.avgdl,
        }

    def step(self, params: BM25Params, avgdl: float) -> float:
        """What one stored step bounds under `params` and the collection's average length
        `avgdl`; 0 when the weights were stored under other parameters (unusable)."""
        if (params.k1, params.b) != (self.k1, self.b) or self.avgdl <= 0:
            return 0.0
        return (self.k1 + 1) / WEIGHT_STEPS * max(1.0, avgdl / self.avgdl)


def long_terms(indptr: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.int64]:
    """The terms (ascending) whose lists are long enough to be bounded per window."""
    lengths = np.diff(np.asarray(indptr, np.int64))
    return np.flatnonzero(lengths >= WINDOW_TERM_POSTINGS).astype(np.int64)


class WindowBoundsBuilder:
    """Fills the bounds of a segment's long terms from its postings, a run of terms (or a
    part of one term's list) at a time, as a merge or a writer produces them, so no more than
    a chunk is ever held."""

    def __init__(
        self, indptr: npt.NDArray[np.integer[Any]], doc_len: npt.NDArray[np.integer[Any]],
        params: BM25Params | None = None,
    ) -> None:
        self._indptr = np.asarray(indptr, np.int64)
        self.terms = long_terms(self._indptr)
        self.rows = WINDOW_ROWS
        self._windows = n_windows(len(doc_len), self.rows)
        self.params = params or BM25Params()
        lengths = np.asarray(doc_len)
        self.avgdl = float(lengths.sum(dtype=np.int64)) / max(len(lengths), 1)
        self._weight = np.zeros(len(self.terms) * self._windows, np.uint8)

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
        k1, slope = self.params.k1, self.params.b
        tf = np.asarray(tfs, np.float64)
        norm = k1 * (1 - slope + slope * np.asarray(lengths, np.float64) / self.avgdl)
        steps = np.ceil(tf * (k1 + 1) / (tf + norm) / (k1 + 1) * WEIGHT_STEPS * (1 + 1e-9))
        quantized = np.clip(steps, 1, WEIGHT_STEPS).astype(np.uint8)
        windows = np.asarray(rows, np.int64) // self.rows
        starts = np.flatnonzero(np.diff(windows, prepend=-1))
        slots = b * self._windows + windows[starts]
        top = np.maximum.reduceat(quantized, starts)
        self._weight[slots] = np.maximum(self._weight[slots], top)

    def bounds(self) -> WindowBounds:
        """What was filled (0 where a term has no posting in a window)."""
        return WindowBounds(
            self.rows, self.terms, self._weight, self.params.k1, self.params.b, self.avgdl
        )


def window_bounds(
    indptr: npt.NDArray[np.integer[Any]], postings: PostingArray,
    doc_len: npt.NDArray[np.integer[Any]],
) -> WindowBounds:
    """The per-window bounds of a segment's arrays (possibly memory-mapped), each long
    term's list read a chunk at a time."""
    builder = WindowBoundsBuilder(indptr, doc_len)
    offsets = np.asarray(indptr, np.int64)
    lengths = np.asarray(doc_len)
    for t in builder.terms.tolist():
        lo, hi = int(offsets[t]), int(offsets[t + 1])
        for a in range(lo, hi, _CHUNK):
            words = np.asarray(postings[a : min(hi, a + _CHUNK)])
            rows = rows_of(words)
            builder.add_term(t, rows, tfs_of(words), lengths[rows])
    return builder.bounds()


def term_bounds(
    indptr: npt.NDArray[np.integer[Any]], postings: PostingArray,
    doc_len: npt.NDArray[np.integer[Any]],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int32]]:
    """Each term's largest tf and shortest document, in steps of whole terms.

    Works chunk by chunk on (possibly memory-mapped) arrays, so deriving the bounds of a large
    segment needs memory for one chunk of postings.
    """
    n_terms = len(indptr) - 1
    max_tf = np.zeros(n_terms, np.uint8)
    min_len = np.zeros(n_terms, np.int32)
    first = 0
    while first < n_terms:
        # Whole terms from `first` whose postings end within one chunk (at least one term).
        last = int(np.searchsorted(indptr, int(indptr[first]) + _CHUNK, side="right")) - 1
        last = min(max(last, first + 1), n_terms)
        lo, hi = int(indptr[first]), int(indptr[last])
        starts = (indptr[first:last] - indptr[first]).astype(np.int64)
        filled = np.flatnonzero(np.diff(indptr[first : last + 1]))  # terms with postings
        if len(filled):
            at = starts[filled]
            words = np.asarray(postings[lo:hi])
            max_tf[first + filled] = np.maximum.reduceat(tfs_of(words), at)
            min_len[first + filled] = np.minimum.reduceat(np.asarray(doc_len)[rows_of(words)], at)
        first = last
    return max_tf, min_len

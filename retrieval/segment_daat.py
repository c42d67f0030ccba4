"""Exact top-k over a large collection, compiled (MaxScore, a window of passages at a time).

Why compiled: `retrieval.segment_prune` does MaxScore a term at a time with numpy, so it
reads every posting of the terms it cannot skip and makes passes over a score per passage
of the segment; over a few million passages those passes are most of the cost, whatever the
threshold. The classic loop of Lucene and PISA walks the lists together instead, in passage
order, and looks the other lists up only for passages that can still enter the top k. Python
cannot run such a loop fast; numba compiles the two functions below to machine code (once,
kept on disk beside this module).

Per segment, smallest first, with one threshold θ carried across segments: terms are sorted
by their upper bound (`QueryPostings.bound`: idf, repeats and the largest weight any of the
segment's postings can have); the lowest-bound terms whose bounds sum below θ are
*non-essential*: a passage holding none of the others cannot reach θ. The segment's rows
are taken `WINDOW_ROWS` at a time: the essential lists' postings in the window are summed
into a small array (it stays in cache, and each posting costs one addition rather than a
comparison with every other list's cursor), then each passage summed, in row order, gets
its non-essential terms looked up, highest bound first (galloping search forward through
the sorted list), while its sum plus the bounds left can still reach θ. A passage that
reaches θ is kept; the k best scores form a min-heap whose least is θ, and as θ rises more
terms become non-essential for the windows after. Where a segment stores window bounds
(`retrieval.segment_bounds`), each term is judged window by window instead: by its bound in
that window, or for a short list by whether it has a posting there; a window whose bounds
sum below θ is skipped, and the essential terms are chosen for each window (block-max
MaxScore). The loops themselves are in `retrieval.segment_daat_loops`.

The loop runs without the GIL, so one search is split over `SEARCH_THREADS` threads: each
takes its share of every segment's rows, with a heap of its own, and they share θ, so a good
passage one thread finds lets the others skip more. A query over a million articles waits
for its slowest part, about half the single-threaded time when a core is free.

Scores are exact, not approximations: each posting's weight is computed in the same float32
operations as `SegmentSet.exhaustive_top_k` (`idf · tf·(k1+1) / (tf + norm)`), and float32
weights summed in float64 give the same sum in any order; every passage scoring θ or more
when it is met is kept, so the caller breaks ties at the cut by passage id exactly as the
exhaustive search does. Comparisons keep a relative slack and the bounds are inflated, so
rounding can only keep more passages, never drop one. A term that turns non-essential
inside a window was already summed there, and its cursor stands past the window, so its
lookup finds nothing to add twice.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from retrieval.index import Ranked, ranked
from retrieval.posting_words import PostingArray
from retrieval.segment_bounds import WINDOW_DTYPES, n_windows
from retrieval.segment_bounds import WINDOW_ROWS as STORED_WINDOW_ROWS
from retrieval.segment_daat_loops import _score_rows, _search_segment
from retrieval.segment_prune import MemberPostings, QueryPostings

F64Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: Rows per window: the window's sums stay in the processor's fastest cache (measured at 1M
#: articles: 2^12 and 2^13 fastest, 2^18 slower than visiting one document at a time). The
#: segments' window bounds are stored for this size (`retrieval.segment_bounds`).
WINDOW_ROWS = STORED_WINDOW_ROWS
#: Threads one search runs on (the calling thread and helpers), each over its share of the
#: rows: a query waits for the slowest, so on a machine with a core to spare it takes about
#: half as long.
SEARCH_THREADS = min(2, os.cpu_count() or 1)


def scores_of_rows(q: QueryPostings, member: MemberPostings, rows: IntArray) -> F64Array:
    """The exact scores of `q` of the member's sorted local `rows` (as the exhaustive search
    gives them: the same float32 weights, summed exactly in float64)."""
    scores = np.zeros(len(rows))
    _score_rows(
        np.asarray(member.postings), member.lo, member.hi, q.idf, q.repeats, q.rows.norm,
        member.first, np.float32(q.params.k1 + 1), rows.astype(np.int64), scores,
    )
    return scores


_NO_DEAD = np.zeros(0, np.bool_)
#: The window bounds as stored (`retrieval.segment_bounds.WINDOW_DTYPES`), empty: what
#: stands in where a segment has none.
_NO_WINDOWS = np.zeros(0, WINDOW_DTYPES["window_weight"][0])


def load_machine_code(postings: Sequence[PostingArray], norm: npt.NDArray[np.float32]) -> None:
    """Load (or compile) the search loop for the array types of `postings` (posting words
    of 32 or 64 bits, mapped read-only or not) and `norm`, by running it on no terms:
    numba loads the machine code of a signature the first time it is called with it."""
    seen = set()
    none = np.zeros(0, np.int64)
    for words in postings:
        array = np.asarray(words)
        if (array.dtype, array.flags.writeable) in seen:
            continue
        seen.add((array.dtype, array.flags.writeable))
        _search_segment(
            array, none, none, np.zeros(0, np.float32), np.zeros(0), np.zeros(0), norm, 0,
            np.float32(1), _NO_DEAD, np.zeros(1), np.zeros(2, np.int64), np.zeros(1),
            np.zeros(1, np.int64), np.zeros(1), 0, 0, WINDOW_ROWS,
            none, _NO_WINDOWS, 0, np.zeros(0), 1.0,
        )
        _score_rows(
            array, none, none, np.zeros(0, np.float32), np.zeros(0), norm, 0, np.float32(1),
            none, np.zeros(0),
        )


@lru_cache(maxsize=1)
def _helpers() -> ThreadPoolExecutor:
    """The threads that search the other parts of a query beside the calling thread."""
    return ThreadPoolExecutor(SEARCH_THREADS - 1, thread_name_prefix="newsbot-search")


def compiled_top_k(q: QueryPostings, k: int) -> list[Ranked]:
    """`SegmentSet.exhaustive_top_k` of the query `q` (scores and ties identical).

    Every segment's rows are cut into `SEARCH_THREADS` equal ranges; thread i searches the
    i-th range of every segment (smallest segment first), with its own heap and kept
    passages, and the threads share θ. The loop runs without the GIL, so on an otherwise idle
    machine the parts run at once. Each part keeps every passage that reaches θ, so the k
    best of all the parts' kept passages are the k best overall.
    """
    if k <= 0 or not q.members:
        return []
    members = sorted(q.members, key=lambda m: m.end - m.first)
    theta = np.zeros(1)
    parts = max(1, SEARCH_THREADS)
    if parts == 1:
        found = [_search_part(q, k, members, 0, 1, theta)]
    else:
        pending = [
            _helpers().submit(_search_part, q, k, members, part, parts, theta)
            for part in range(1, parts)
        ]
        found = [_search_part(q, k, members, 0, parts, theta), *(f.result() for f in pending)]
    rows = np.concatenate([r for r, _ in found])
    scores = np.concatenate([s for _, s in found])
    keys = q.rows.keys[rows]
    order = np.lexsort((keys, -scores))[:k]
    return ranked(keys[order], scores[order])


def _window_start(row: int) -> int:
    """The first row of the window holding `row`."""
    return row - row % WINDOW_ROWS


def _search_part(
    q: QueryPostings, k: int, members: list[MemberPostings], part: int, parts: int,
    theta: F64Array,
) -> tuple[IntArray, F64Array]:
    """The kept rows and scores of the `part`-th of `parts` row ranges of every member."""
    heap = np.zeros(k)
    state = np.zeros(2, np.int64)
    # Every passage kept is distinct and live, and what θ passed is dropped when half full.
    capacity = len(q.rows.norm) + k
    out_rows = np.empty(capacity, np.int64)  # only the kept part is ever read
    out_scores = np.empty(capacity)
    k1_plus_1 = np.float32(q.params.k1 + 1)
    cap = q.window_cap
    for m in members:
        n_rows = m.end - m.first
        # Parts start on a window's first row, so window w is rows w·WINDOW_ROWS onwards.
        start = _window_start(n_rows * part // parts)
        stop = n_rows if part == parts - 1 else _window_start(n_rows * (part + 1) // parts)
        windows, window_row = m.windows, m.window_row
        step = 0.0
        if windows is not None and window_row is not None and windows.rows == WINDOW_ROWS:
            step = windows.step(q.params, q.view.avgdl)
        if step > 0 and windows is not None and window_row is not None:
            weight, count = np.asarray(windows.weight), n_windows(n_rows, WINDOW_ROWS)
        else:  # the segment bounds alone
            window_row, weight, count = np.full(len(m.lo), -1, np.int64), _NO_WINDOWS, 0
        _search_segment(
            np.asarray(m.postings), m.lo, m.hi, q.idf, q.repeats, m.bound,
            q.rows.norm, m.first, k1_plus_1, _NO_DEAD if m.dead is None else m.dead,
            heap, state, theta, out_rows, out_scores, start, stop, WINDOW_ROWS,
            window_row, weight, count, cap, step,
        )
    kept = int(state[1])
    return out_rows[:kept], out_scores[:kept]

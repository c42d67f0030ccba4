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
terms become non-essential for the windows after.

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

from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from retrieval.index import Ranked, ranked
from retrieval.segment_prune import QueryPostings

F64Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: Relative slack of θ comparisons (float64 sums of the same weights in another order).
_SLACK = 1e-9
#: Rows per window: the window's sums stay in the processor's fastest cache (measured at 1M
#: articles: 2^12 and 2^13 fastest, 2^18 slower than visiting one document at a time).
WINDOW_ROWS = 1 << 12


@njit(cache=True, nogil=True)
def _first_at_least(words: Any, pos: int, end: int, row: int | np.int64) -> int:
    """The first position in `words[pos:end]` of a posting of `row` or a later row
    (galloping, then binary search): lookups move forward through a list."""
    key = row << 8
    if pos >= end or np.int64(words[pos]) >= key:
        return pos
    step = 1
    low = pos
    while pos + step < end and np.int64(words[pos + step]) < key:
        low = pos + step
        step *= 2
    high = min(pos + step, end)
    while low < high:  # words[low] < key; find the first index in (low, high] >= key
        mid = (low + high) // 2
        if np.int64(words[mid]) < key:
            low = mid + 1
        else:
            high = mid
    return low


@njit(cache=True, nogil=True)
def _search_segment(
    words: Any,
    lo: IntArray,
    hi: IntArray,
    term_idf: npt.NDArray[np.float32],
    repeats: F64Array,
    bound: F64Array,
    norm: npt.NDArray[np.float32],
    first: int,
    k1_plus_1: np.float32,
    dead: npt.NDArray[np.bool_],
    heap: F64Array,
    state: IntArray,
    theta_box: F64Array,
    out_rows: IntArray,
    out_scores: F64Array,
    window: int,
) -> None:
    """One segment's part of the search (module docstring), `window` rows at a time.

    `heap` (k scores, `state[0]` of them filled) and θ (`theta_box[0]`) carry over between
    segments; kept passages are appended to `out_rows` (global rows) and `out_scores` from
    `state[1]`. `dead` is per local row (empty when nothing is tombstoned).
    """
    k = heap.shape[0]
    slack = 1.0 - _SLACK
    n_terms = lo.shape[0]
    order = np.argsort(bound, kind="mergesort")  # lowest bound first
    pos = lo.copy()
    end = hi.copy()
    below = np.zeros(n_terms + 1)  # below[i]: bounds of order[:i] summed
    for i in range(n_terms):
        below[i + 1] = below[i] + bound[order[i]]
    theta = theta_box[0]
    n_optional = 0
    while n_optional < n_terms and below[n_optional + 1] < theta * slack:
        n_optional += 1
    has_dead = dead.shape[0] > 0
    filled = state[0]
    kept = state[1]
    acc = np.zeros(window)  # the window's essential sums, all zero between windows
    touched = np.empty(window, np.int64)
    rows_used = np.int64(0)  # one past the last row any list holds
    for t in range(n_terms):
        if lo[t] < hi[t]:
            rows_used = max(rows_used, (np.int64(words[hi[t] - 1]) >> 8) + 1)
    for w0 in range(0, rows_used, window):
        w1 = w0 + window
        n_touched = 0
        for j in range(n_optional, n_terms):
            t = order[j]
            p = np.int64(pos[t])
            e = end[t]
            while p < e:
                w = np.int64(words[p])
                r = w >> 8
                if r >= w1:
                    break
                tf = np.float32(w & 255)
                weight = term_idf[t] * (tf * k1_plus_1 / (tf + norm[first + r]))
                cell = r - w0
                if acc[cell] == 0.0:  # a weight is never 0: first posting of this row
                    touched[n_touched] = cell
                    n_touched += 1
                acc[cell] += np.float64(weight) * repeats[t]
                p += 1
            pos[t] = p
        visit = np.sort(touched[:n_touched])
        for v in range(n_touched):
            cell = visit[v]
            score = acc[cell]
            acc[cell] = 0.0
            current = w0 + cell
            if has_dead and dead[current]:
                continue
            reachable = True
            for j in range(n_optional - 1, -1, -1):
                if score + below[j + 1] < theta * slack:
                    reachable = False
                    break
                t = order[j]
                at = _first_at_least(words, pos[t], end[t], current)
                pos[t] = at
                if at < end[t]:
                    w = np.int64(words[at])
                    if w >> 8 == current:
                        tf = np.float32(w & 255)
                        weight = term_idf[t] * (tf * k1_plus_1 / (tf + norm[first + current]))
                        score += np.float64(weight) * repeats[t]
            if not reachable or score <= 0.0 or score < theta * slack:
                continue
            out_rows[kept] = first + current
            out_scores[kept] = score
            kept += 1
            if filled < k:  # sift up
                heap[filled] = score
                c = filled
                filled += 1
                while c > 0:
                    parent = (c - 1) // 2
                    if heap[parent] <= heap[c]:
                        break
                    heap[parent], heap[c] = heap[c], heap[parent]
                    c = parent
            elif score > heap[0]:  # replace the least, sift down
                heap[0] = score
                c = 0
                while True:
                    left = 2 * c + 1
                    least = c
                    if left < k and heap[left] < heap[least]:
                        least = left
                    if left + 1 < k and heap[left + 1] < heap[least]:
                        least = left + 1
                    if least == c:
                        break
                    heap[least], heap[c] = heap[c], heap[least]
                    c = least
            if filled == k and heap[0] > theta:
                theta = heap[0]
                while n_optional < n_terms and below[n_optional + 1] < theta * slack:
                    n_optional += 1
                if kept > out_rows.shape[0] // 2:  # drop what θ has passed (keeps room)
                    write = 0
                    for i in range(kept):
                        if out_scores[i] >= theta * slack:
                            out_rows[write] = out_rows[i]
                            out_scores[write] = out_scores[i]
                            write += 1
                    kept = write
    state[0] = filled
    state[1] = kept
    theta_box[0] = theta


_NO_DEAD = np.zeros(0, np.bool_)


def compiled_top_k(q: QueryPostings, k: int) -> list[Ranked]:
    """`SegmentSet.exhaustive_top_k` of the query `q` (scores and ties identical)."""
    if k <= 0 or not q.members:
        return []
    heap = np.zeros(k)
    state = np.zeros(2, np.int64)
    theta = np.zeros(1)
    # Every passage kept is distinct and live, and what θ passed is dropped when half full.
    capacity = len(q.rows.norm) + k
    out_rows = np.empty(capacity, np.int64)  # only the kept part is ever read
    out_scores = np.empty(capacity)
    k1_plus_1 = np.float32(q.params.k1 + 1)
    for m in sorted(q.members, key=lambda m: m.end - m.first):
        _search_segment(
            np.asarray(m.postings), m.lo, m.hi, q.idf, q.repeats, m.bound,
            q.rows.norm, m.first, k1_plus_1, _NO_DEAD if m.dead is None else m.dead,
            heap, state, theta, out_rows, out_scores, WINDOW_ROWS,
        )
    kept = int(state[1])
    rows, scores = out_rows[:kept], out_scores[:kept]
    keys = q.rows.keys[rows]
    order = np.lexsort((keys, -scores))[:k]
    return ranked(keys[order], scores[order])

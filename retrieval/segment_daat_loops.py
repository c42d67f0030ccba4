"""The compiled loops of `retrieval.segment_daat`: one segment's part of a top-k search
(MaxScore a window of rows at a time, with per-window bounds), and the exact scores of given
rows. Kept apart from the Python that drives them (threads, parts, each segment's bounds);
numba compiles these functions and keeps their machine code on disk beside this module.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

F64Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: Relative slack of θ comparisons (float64 sums of the same weights in another order).
_SLACK = 1e-9
#: A window whose summed passages are more than 1/_DENSE_SHARE of its rows has them listed
#: in row order by one pass over its sums instead of a sort (measured at 1M articles: 1/16
#: best, p95 a fifth lower than always sorting).
_DENSE_SHARE = 16


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
    row_start: int,
    row_end: int,
    window: int,
    window_row: IntArray,
    window_weight: Any,
    n_windows: int,
    cap: F64Array,
    step: float,
) -> None:
    """The search (module docstring) of one segment's local rows `row_start..row_end`
    (`row_start` a multiple of `window`), `window` rows at a time.

    Per window, each term is bounded by what it can add there: from the segment's window
    bounds (`window_row[t]` its row in `window_weight`, `n_windows` per row, -1 for none;
    a stored step is worth `step` of weight, times `cap[t]`, its idf, repeats and margin)
    or, for a term without them, its segment bound where its list has a posting in the
    window and 0 where it has none. A window
    whose bounds sum below θ is skipped; otherwise the terms are split into essential and
    optional by these bounds, as the segment bounds split them across windows (`n_windows`
    0: the segment bounds alone, as for a segment written without window bounds).

    `heap` (k scores, `state[0]` of them filled) carries over between the parts one thread
    searches; kept passages are appended to `out_rows` (global rows) and `out_scores` from
    `state[1]`. θ is `theta_box[0]`, shared by the threads of one search: read at every
    window and raised when this part's heap raises it. Any value it holds is the k-th best
    score of k real passages (a lower bound of the final k-th score), so a raise lost to
    another thread's write, or read late, only prunes less. `dead` is per local row (empty
    when nothing is tombstoned).
    """
    k = heap.shape[0]
    slack = 1.0 - _SLACK
    n_terms = lo.shape[0]
    order = np.argsort(bound, kind="mergesort")  # lowest bound first
    pos = np.empty(n_terms, np.int64)
    end = np.empty(n_terms, np.int64)
    rows_used = np.int64(row_start)  # one past the last row of the part any list holds
    for t in range(n_terms):
        pos[t] = _first_at_least(words, lo[t], hi[t], row_start)
        end[t] = _first_at_least(words, pos[t], hi[t], row_end)
        if pos[t] < end[t]:
            rows_used = max(rows_used, (np.int64(words[end[t] - 1]) >> 8) + 1)
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
    in_window = np.empty(n_terms)  # each term's bound in the current window
    for w0 in range(row_start, rows_used, window):
        w1 = w0 + window
        shared = theta_box[0]  # another thread may have raised θ
        if shared > theta:
            theta = shared
        if n_windows > 0:
            cell_of_window = w0 // window
            total = 0.0
            for t in range(n_terms):
                bounded = window_row[t]
                if bounded >= 0:
                    stored = window_weight[bounded * n_windows + cell_of_window]
                    in_window[t] = cap[t] * step * np.float64(stored)
                else:  # a short list: its segment bound, where it has a posting here
                    next_at = _first_at_least(words, pos[t], end[t], w0)
                    pos[t] = next_at
                    there = next_at < end[t] and (np.int64(words[next_at]) >> 8) < w1
                    in_window[t] = bound[t] if there else 0.0
                total += in_window[t]
            if total < theta * slack:  # no passage of this window can reach θ
                continue
            for i in range(n_terms):  # insertion sort: a few dozen terms, lowest first
                t = order[i]
                j = i
                while j > 0 and in_window[order[j - 1]] > in_window[t]:
                    order[j] = order[j - 1]
                    j -= 1
                order[j] = t
            for i in range(n_terms):
                below[i + 1] = below[i] + in_window[order[i]]
            n_optional = 0
        while n_optional < n_terms and below[n_optional + 1] < theta * slack:
            n_optional += 1
        n_touched = 0
        for j in range(n_optional, n_terms):
            t = order[j]
            p = np.int64(pos[t])
            if n_windows > 0:  # it may have been optional in the windows before
                p = np.int64(_first_at_least(words, int(p), end[t], w0))
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
        if n_touched * _DENSE_SHARE > window:  # one pass over the window beats a sort
            n_visit = 0
            for offset in range(window):
                if acc[offset] != 0.0:  # touched: a weight is never 0
                    touched[n_visit] = offset
                    n_visit += 1
            visit = touched[:n_visit]
        else:
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
                if theta > theta_box[0]:
                    theta_box[0] = theta
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


@njit(cache=True, nogil=True)
def _score_rows(
    words: Any,
    lo: IntArray,
    hi: IntArray,
    term_idf: npt.NDArray[np.float32],
    repeats: F64Array,
    norm: npt.NDArray[np.float32],
    first: int,
    k1_plus_1: np.float32,
    rows: IntArray,
    scores: F64Array,
) -> None:
    """Adds to `scores[i]` the score of the segment's local row `rows[i]` (sorted): every
    term's list is walked forward once, galloping from row to row."""
    for t in range(lo.shape[0]):
        p = lo[t]
        e = hi[t]
        for i in range(rows.shape[0]):
            r = rows[i]
            p = _first_at_least(words, p, e, r)
            if p >= e:
                break
            w = np.int64(words[p])
            if w >> 8 == r:
                tf = np.float32(w & 255)
                weight = term_idf[t] * (tf * k1_plus_1 / (tf + norm[first + r]))
                scores[i] += np.float64(weight) * repeats[t]

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
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from retrieval.index import Ranked, ranked
from retrieval.posting_words import PostingArray
from retrieval.segment_bounds import WINDOW_DTYPES, n_windows
from retrieval.segment_bounds import WINDOW_ROWS as STORED_WINDOW_ROWS
from retrieval.segment_prune import MemberPostings, QueryPostings

F64Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: Relative slack of θ comparisons (float64 sums of the same weights in another order).
_SLACK = 1e-9
#: Rows per window: the window's sums stay in the processor's fastest cache (measured at 1M
#: articles: 2^12 and 2^13 fastest, 2^18 slower than visiting one document at a time). The
#: segments' window bounds are stored for this size (`retrieval.segment_bounds`).
WINDOW_ROWS = STORED_WINDOW_ROWS
#: A window whose summed passages are more than 1/_DENSE_SHARE of its rows has them listed
#: in row order by one pass over its sums instead of a sort (measured at 1M articles: 1/16
#: best, p95 a fifth lower than always sorting).
_DENSE_SHARE = 16
#: Threads one search runs on (the calling thread and helpers), each over its share of the
#: rows: a query waits for the slowest, so on a machine with a core to spare it takes about
#: half as long.
SEARCH_THREADS = min(2, os.cpu_count() or 1)


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

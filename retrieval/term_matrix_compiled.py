"""The second ranking stage's passes over the candidates' text, compiled.

`retrieval.term_matrix` finds where sentences end, which sentences ask, which question terms
each sentence holds, and `retrieval.rank` the longest stretch of the question's wording each
passage repeats. Over a question's 30 candidates (some 8,000 characters) each of those is a
few dozen numpy passes or a few hundred substring tests, and their fixed costs add up to
about a third of a search. Written as loops over the code points, numba runs each in one
pass. The numpy and Python versions stay the reference and serve whenever these are not
loaded (`retrieval.term_matrix.load_compiled_rerank`: a process answering many questions
loads them, a one-question command does not pay for numba); the tests compare the two on
random texts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

# The character classes (bits of the table passed in) and the ellipsis run, as the numpy
# passes define them: one definition for both.
from retrieval.term_matrix import _CLOSE, _DOT, _ELLIPSIS_DOTS, _END, _SPACE

_QUESTION_MARK = ord("?")
_LOW_BITS = 0xFFFF


@njit(cache=True, nogil=True)
def _class_of(table: Any, code: Any) -> int:
    # Beyond the table (the Basic Multilingual Plane), as numpy's clip to U+FFFF: no class.
    return int(table[code]) if code < len(table) - 1 else int(table[len(table) - 1])


@njit(cache=True, nogil=True)
def _first_chars(codes: Any) -> Any:
    """A filter of the code points in `codes` by their low 16 bits: a text position whose
    entry is False holds none of them (most positions), and is passed over at one lookup."""
    maybe = np.zeros(_LOW_BITS + 1, np.bool_)
    for c in codes:
        if c >= 0:
            maybe[c & _LOW_BITS] = True
    return maybe


@njit(cache=True, nogil=True)
def sentence_bounds(codes: Any, table: Any, passage_ends: Any) -> Any:
    """`union1d(sentence_ends(codes), passage_ends)`: where every sentence (row) ends."""
    n = len(codes)
    ends = np.empty(n + len(passage_ends) + 1, np.int64)
    count = 0
    dots_before = 0  # consecutive dots just before position i
    i = 0
    ending_prev = False
    while i < n:
        cls = _class_of(table, codes[i])
        is_dot = (cls & _DOT) != 0
        ending = (cls & _END) != 0
        if is_dot:
            if i + 1 < n and (_class_of(table, codes[i + 1]) & _SPACE) != 0:
                ending = True
            if dots_before >= _ELLIPSIS_DOTS - 1:
                ending = True
            dots_before += 1
        else:
            dots_before = 0
        if ending_prev and not ending:  # a run of ending characters stopped before i
            j = i
            while j < n and (_class_of(table, codes[j]) & _CLOSE) != 0:
                j += 1
            ends[count] = j
            count += 1
        ending_prev = ending
        i += 1
    if ending_prev:
        ends[count] = n
        count += 1
    # Merge with the passage ends (both sorted), keeping each value once.
    out = np.empty(count + len(passage_ends), np.int64)
    a = b = size = 0
    while a < count or b < len(passage_ends):
        if b >= len(passage_ends) or (a < count and ends[a] <= passage_ends[b]):
            value = ends[a]
            a += 1
        else:
            value = passage_ends[b]
            b += 1
        if size == 0 or out[size - 1] != value:
            out[size] = value
            size += 1
    return out[:size]


@njit(cache=True, nogil=True)
def asking_rows(codes: Any, table: Any, bounds: Any) -> Any:
    """Per row, whether its last character other than a closing mark or a space is 「?」
    (looking back into the rows before when it has none), as `term_matrix._asking`."""
    out = np.zeros(len(bounds), np.bool_)
    last_mark = -1  # the last position before the current bound that is a mark
    pos = 0
    for r in range(len(bounds)):
        while pos < bounds[r]:
            if (_class_of(table, codes[pos]) & (_CLOSE | _SPACE)) == 0:
                last_mark = pos
            pos += 1
        out[r] = last_mark >= 0 and codes[last_mark] == _QUESTION_MARK
    return out


@njit(cache=True, nogil=True)
def term_holds(codes: Any, bounds: Any, needles: Any, offsets: Any, n_terms: int) -> Any:
    """`(holds, also_needle, also_at)`: per row and term (the first `n_terms` needles),
    whether an occurrence of the term lies wholly inside the row; and every occurrence of
    the other needles (needle index, start), in order of start.

    `needles` holds the needles' code points one after the other, needle i at
    `offsets[i]:offsets[i + 1]`. Each text position is matched against the needles whose
    first code point it holds (found by binary search in the needles sorted by it).
    """
    n_needles = len(offsets) - 1
    holds = np.zeros((len(bounds), n_terms), np.bool_)
    firsts = np.empty(n_needles, np.int64)
    for k in range(n_needles):
        firsts[k] = needles[offsets[k]] if offsets[k + 1] > offsets[k] else -1
    order = np.argsort(firsts, kind="mergesort")
    sorted_firsts = firsts[order]
    maybe = _first_chars(firsts)
    also_needle = np.empty(16, np.int64)
    also_at = np.empty(16, np.int64)
    n_also = 0
    n = len(codes)
    row = 0
    for p in range(n):
        c = np.int64(codes[p])
        if not maybe[c & _LOW_BITS]:
            continue
        while row < len(bounds) and bounds[row] <= p:
            row += 1
        lo = np.searchsorted(sorted_firsts, c)
        while lo < n_needles and sorted_firsts[lo] == c:
            k = order[lo]
            lo += 1
            length = offsets[k + 1] - offsets[k]
            if p + length > n:
                continue
            same = True
            for q in range(1, length):
                if codes[p + q] != needles[offsets[k] + q]:
                    same = False
                    break
            if not same:
                continue
            if k < n_terms:
                if row < len(bounds) and p + length <= bounds[row]:
                    holds[row, k] = True
            else:
                if n_also == len(also_at):
                    also_at = np.concatenate((also_at, np.empty(n_also, np.int64)))
                    also_needle = np.concatenate((also_needle, np.empty(n_also, np.int64)))
                also_needle[n_also] = k - n_terms
                also_at[n_also] = p
                n_also += 1
    return holds, also_needle[:n_also], also_at[:n_also]


@njit(cache=True, nogil=True)
def longest_shared(codes: Any, passage_ends: Any, pattern: Any) -> Any:
    """Per passage (the text up to each of `passage_ends`, the one before skipped with its
    separator), the length of the longest substring of `pattern` it holds; `pattern` is the
    phrases' code points with -1 between them, which matches nothing, so no run spans two.

    Dynamic programming over the text: the run ending at (text p, pattern g) is one more
    than the run ending at (p - 1, g - 1) when the two characters are equal. Only the
    pattern positions holding the text's character are visited (binary search in the
    pattern's positions sorted by code point).
    """
    g_count = len(pattern)
    best = np.zeros(len(passage_ends), np.int64)
    if g_count == 0:
        return best
    order = np.argsort(pattern, kind="mergesort")
    sorted_codes = pattern[order]
    maybe = _first_chars(pattern)
    previous = np.zeros(g_count, np.int64)  # run lengths ending at the text position before
    touched = np.empty(g_count, np.int64)
    n_touched = 0
    new_g = np.empty(g_count, np.int64)
    new_v = np.empty(g_count, np.int64)
    start = 0
    for passage in range(len(passage_ends)):
        end = passage_ends[passage]
        for t in range(n_touched):
            previous[touched[t]] = 0
        n_touched = 0
        longest = 0
        for p in range(start, end):
            c = np.int64(codes[p])
            n_new = 0
            lo = np.searchsorted(sorted_codes, c) if maybe[c & _LOW_BITS] else g_count
            while lo < g_count and sorted_codes[lo] == c:
                g = order[lo]
                lo += 1
                run = previous[g - 1] + 1 if g > 0 else 1
                new_g[n_new] = g
                new_v[n_new] = run
                n_new += 1
                if run > longest:
                    longest = run
            for t in range(n_touched):
                previous[touched[t]] = 0
            for t in range(n_new):
                previous[new_g[t]] = new_v[t]
                touched[t] = new_g[t]
            n_touched = n_new
        best[passage] = longest
        start = end + 1
    return best


@njit(cache=True, nogil=True)
def fold_codes(codes: Any, start: Any, length: Any, table: Any) -> Any:
    """`fold_keeping_script` of the text `codes` by `retrieval.folding.CharFolds`, or an
    empty array with False when a character of it folds by its neighbours (or lies beyond
    the Basic Multilingual Plane)."""
    total = 0
    for c in codes:
        if c > _LOW_BITS or length[c] < 0:
            return np.zeros(0, np.uint32), False
        total += length[c]
    out = np.empty(total, np.uint32)
    j = 0
    for c in codes:
        first = start[c]
        for t in range(length[c]):
            out[j] = table[first + t]
            j += 1
    return out, True


@njit(cache=True, nogil=True)
def coverages(
    holds: Any, starts: Any, asking: Any, share: Any, group_of: Any, n_groups: int,
    context_share: float,
) -> Any:
    """`(sentence, passage, article)` coverage of each passage, as `retrieval.rank`'s numpy
    `_matrix_parts` computes them: the best sentence that does not ask (its terms, and with
    the sentence before it in the passage, mixed by `context_share`), the passage's terms,
    and the terms of every passage of its article (`group_of`)."""
    rows, n_terms = holds.shape
    n_passages = len(starts)
    sentence = np.empty(n_passages)
    passage = np.zeros(n_passages)
    article_terms = np.zeros((n_groups, n_terms), np.bool_)
    passage_terms = np.zeros(n_terms, np.bool_)
    for p in range(n_passages):
        first = starts[p]
        last = starts[p + 1] if p + 1 < n_passages else rows
        best = -np.inf
        passage_terms[:] = False
        for r in range(first, last):
            alone = 0.0
            joined = 0.0
            for t in range(n_terms):
                if holds[r, t]:
                    alone += share[t]
                    joined += share[t]
                    passage_terms[t] = True
                elif r > first and holds[r - 1, t]:
                    joined += share[t]
            value = 0.0 if asking[r] else (1 - context_share) * alone + context_share * joined
            if value > best:
                best = value
        sentence[p] = best
        group = group_of[p]
        for t in range(n_terms):
            if passage_terms[t]:
                passage[p] += share[t]
                article_terms[group, t] = True
    article_share = np.zeros(n_groups)
    for g in range(n_groups):
        for t in range(n_terms):
            if article_terms[g, t]:
                article_share[g] += share[t]
    article = np.empty(n_passages)
    for p in range(n_passages):
        article[p] = article_share[group_of[p]]
    return sentence, passage, article


@njit(cache=True, nogil=True)
def _row_of(bounds: Any, offset: int) -> int:
    """The row holding text `offset` (as `TermMatrix.rows_at`)."""
    return int(np.searchsorted(bounds, offset, side="right"))


@njit(cache=True, nogil=True)
def slot_fills(
    codes: Any, bounds: Any, starts: Any, asking: Any, at: Any, side_of: Any,
    word_lengths: Any, new_after: Any, blocked_after: Any, blocked_before: Any,
    copula_chars: Any, share: float,
) -> Any:
    """`question_slot.SlotTest.passage_fills` from where the slot words stand: `at[i]` is
    where slot word `side_of[i]` starts (of length `word_lengths[side]`, with the new text
    after it when `new_after[side]`). Per passage, the best share of slot words filled in
    one sentence that does not ask, and whether such a sentence has the copula."""
    n = len(codes)
    rows = len(bounds)
    held = np.zeros(rows)
    copula = np.zeros(rows, np.bool_)
    counted = np.zeros((len(word_lengths), rows), np.bool_)  # each side once per row
    for i in range(len(at)):
        side = side_of[i]
        start = at[i]
        row = _row_of(bounds, start)
        if row >= rows:
            continue
        after = start + word_lengths[side]
        after_new = new_after[side]
        if after_new and after < n:
            code = min(np.int64(codes[after]), len(copula_chars) - 1)
            if copula_chars[code] and _row_of(bounds, after) == row:
                copula[row] = True
        beside = after if after_new else start - 2
        if beside < 0 or beside + 2 > n:
            continue
        blocked = blocked_after if after_new else blocked_before
        first = min(np.int64(codes[beside]), len(blocked) - 1)
        second = min(np.int64(codes[beside + 1]), len(blocked) - 1)
        if (
            not blocked[first] and not blocked[second]
            and _row_of(bounds, beside) == row and _row_of(bounds, beside + 1) == row
            and not counted[side, row]
        ):
            counted[side, row] = True
            held[row] += 1
    n_passages = len(starts)
    best = np.empty(n_passages)
    any_copula = np.zeros(n_passages, np.bool_)
    for p in range(n_passages):
        last = starts[p + 1] if p + 1 < n_passages else rows
        value = -np.inf
        for r in range(starts[p], last):
            filled = 0.0 if asking[r] else held[r] * share
            if filled > value:
                value = filled
            if copula[r] and not asking[r]:
                any_copula[p] = True
        best[p] = value
    return best, any_copula

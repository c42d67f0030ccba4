"""Exact top-k over a `SegmentSet` that skips postings which cannot reach the top k (MaxScore).

Why: the exhaustive search scores every posting of every query term, and a question has about
twenty terms, several of them common words whose posting lists grow with the collection. Most
of those postings belong to passages that match nothing else and can never enter the top k.

How (MaxScore, Turtle & Flood 1995, done a term at a time with numpy instead of a document at
a time): every term has an upper bound on the weight it can add to one passage, from the
largest tf and the shortest passage in its lists (stored per term in each segment, see
`retrieval.segment_files`): BM25's weight grows with tf and shrinks with length.

1. Essential terms: terms are read whole, highest bound first (the rare, informative ones),
   their weights added into a per-thread dense accumulator. After each term the threshold θ
   rises to the k-th best partial score: k real passages score at least that much, so the
   final k-th score does too. Reading stops when the bounds of the terms left sum below θ:
   a passage holding none of the terms read so far cannot reach the top k.
2. Candidates: passages read so far whose partial score plus the bounds left reaches θ.
3. Refine: the remaining (*non-essential*) terms are looked up for the candidates only, highest
   bound first: binary search in the sorted posting lists (`np.searchsorted`) when there are
   few candidates, one pass through a dense position array when there are many. After each
   term, candidates that can no longer reach θ are dropped and θ rises again.
4. The survivors' scores are summed term by term in query order, exactly as the exhaustive
   `np.bincount` sums them, from the same float32 weights: the top k, scores and ties (lowest
   passage id first) are identical to `SegmentSet.exhaustive_top_k`, not merely close.

Bounds are inflated slightly and comparisons keep equality, so rounding can only make the
pruning more cautious, never drop a passage that belongs in the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from retrieval.index import FloatArray, IntArray, Ranked, idf

if TYPE_CHECKING:
    from retrieval.segment_search import SegmentSet, ViewRows

F64Array = npt.NDArray[np.float64]

#: Relative inflation of the per-term bounds, far above float32 rounding of the weights.
_BOUND_MARGIN = 1e-5
#: Relative slack when comparing float64 sums of the same weights added in different orders.
_SLACK = 1e-9
#: Queries with fewer postings than this are cheaper to score exhaustively.
PRUNE_FROM_POSTINGS = 1 << 15
#: A binary search per candidate costs about this many postings of a pass through a list.
_SEARCH_COST = 24
#: Above this share of the collection as candidates, pruning saves nothing: search it all.
MAX_CANDIDATE_SHARE = 0.25


@dataclass(frozen=True)
class _Member:
    """One segment's part of a query: its arrays, first global row and term posting spans."""

    doc_rows: npt.NDArray[np.int32]
    tfs: npt.NDArray[np.uint8]
    first: int
    end: int
    lo: IntArray  # per distinct query term
    hi: IntArray


class _Query:
    """One query's distinct terms with idf, bounds and posting spans in every segment."""

    def __init__(self, view: SegmentSet, terms: Sequence[str]) -> None:
        self.view = view
        self.rows: ViewRows = view.rows()
        distinct = list(dict.fromkeys(terms))
        index = {t: i for i, t in enumerate(distinct)}
        #: The distinct term of each query position, in query order (the summing order).
        self.positions = np.fromiter((index[t] for t in terms), np.int64, len(terms))
        self.repeats = np.bincount(self.positions, minlength=len(distinct)).astype(np.float64)
        df, spans = view.lookup(distinct)
        self.idf = idf(view.n_docs, df.astype(np.float64)).astype(np.float32)
        params = view.params
        best = np.zeros(len(distinct))  # bound of one occurrence's weight / idf
        self.length = np.zeros(len(distinct), np.int64)
        self.members: list[_Member] = []
        for span in spans:
            a = span.member.segment.arrays
            present = span.hi > span.lo
            if a.max_tf is not None and a.min_len is not None:
                max_tf = np.where(present, a.max_tf[span.term], 0).astype(np.float64)
                min_len = np.where(present, a.min_len[span.term], 0).astype(np.float64)
            else:  # a segment without stored bounds: any tf, the shortest possible passage
                max_tf, min_len = np.where(present, 255.0, 0.0), np.zeros(len(distinct))
            norm = params.k1 * (1 - params.b + params.b * min_len / view.avgdl)
            with np.errstate(invalid="ignore", divide="ignore"):
                weight = np.where(present, max_tf * (params.k1 + 1) / (max_tf + norm), 0.0)
            best = np.maximum(best, weight)
            self.length += span.hi - span.lo
            first = self.rows.offset[span.member.generation]
            self.members.append(
                _Member(a.doc_rows, a.tfs, first, first + a.n_docs, span.lo, span.hi)
            )
        #: Upper bound of what each distinct term adds to one passage's score, repeats included.
        self.bound = best * self.idf.astype(np.float64) * self.repeats * (1 + _BOUND_MARGIN)
        self._one = np.float32(params.k1 + 1)

    def weights(self, term: int, tfs: npt.NDArray[np.uint8], rows: IntArray) -> FloatArray:
        """Weights of one occurrence of `term`, computed as the exhaustive search does."""
        tf = tfs.astype(np.float32)
        weights: FloatArray = self.idf[term] * tf * self._one / (tf + self.rows.norm[rows])
        return weights

    def postings(self, term: int) -> tuple[IntArray, FloatArray]:
        """All postings of `term` in every segment: global rows and one occurrence's weights."""
        rows, tfs = [], []
        for m in self.members:
            lo, hi = int(m.lo[term]), int(m.hi[term])
            if lo < hi:
                local = m.doc_rows[lo:hi].astype(np.int64)
                rows.append(local + m.first if m.first else local)
                tfs.append(m.tfs[lo:hi])
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        all_rows = np.concatenate(rows)
        return all_rows, self.weights(term, np.concatenate(tfs), all_rows)

    def look_up(self, term: int, rows: IntArray, where: IntArray) -> FloatArray:
        """The weight of one occurrence of `term` in each of the sorted global `rows` (or 0).

        Per segment, a binary search of each row in the term's sorted list when the rows are
        few against the list; otherwise one pass writing the list's positions into the dense
        `where` (all zero, and left so) and reading them back at `rows`.
        """
        out = np.zeros(len(rows), np.float32)
        spans = np.searchsorted(rows, [(m.first, m.end) for m in self.members])
        for m, (start, stop) in zip(self.members, spans.tolist(), strict=True):
            lo, hi = int(m.lo[term]), int(m.hi[term])
            if lo == hi or start == stop:
                continue
            postings = m.doc_rows[lo:hi]
            if (stop - start) * _SEARCH_COST < hi - lo:
                local = (rows[start:stop] - m.first).astype(np.int32)
                at = np.minimum(np.searchsorted(postings, local), hi - lo - 1)
                hit = np.flatnonzero(postings[at] == local)
                at = at[hit]
            else:
                listed = postings.astype(np.int64) + m.first
                where[listed] = np.arange(1, hi - lo + 1)
                at = where[rows[start:stop]]
                where[listed] = 0
                hit = np.flatnonzero(at)
                at = at[hit] - 1
            if len(hit):
                found = hit + start
                out[found] = self.weights(term, m.tfs[lo + at], rows[found])
        return out

    def exact(self, table: FloatArray) -> F64Array:
        """Scores from per-term weights (`table[term, passage]`), summed in query order."""
        scores = np.zeros(table.shape[1])
        for term in self.positions.tolist():
            scores += table[term]
        return scores

    def live(self, rows: IntArray) -> npt.NDArray[np.bool_]:
        """Which of the global `rows` are not tombstoned."""
        dead = self.rows.dead
        return np.ones(len(rows), np.bool_) if dead is None else ~dead[rows]


def _kth_largest(values: F64Array, k: int) -> float:
    return float(np.partition(values, len(values) - k)[len(values) - k])


def _distinct(parts: list[IntArray], where: IntArray) -> IntArray:
    """The distinct rows of `parts`, sorted; marks them in the dense `where` (left zero)."""
    found = []
    for rows in parts:
        new = rows[where[rows] == 0]
        where[new] = 1
        found.append(new)
    out = np.sort(np.concatenate([np.zeros(0, np.int64), *found]))
    where[out] = 0
    return out


class _Scratch:
    """Dense per-document arrays reused across queries; all zero between queries."""

    def __init__(self, n_docs: int) -> None:
        self.acc = np.zeros(n_docs)  # partial scores
        self.where = np.zeros(n_docs, np.int64)  # 1 + a posting's or candidate's index

    @staticmethod
    def of(view: SegmentSet) -> _Scratch:
        scratch: _Scratch | None = getattr(view.scratch, "arrays", None)
        if scratch is None:
            scratch = view.scratch.arrays = _Scratch(len(view.rows().norm))
        return scratch


def pruned_top_k(
    view: SegmentSet, terms: Sequence[str], k: int, min_postings: int = PRUNE_FROM_POSTINGS
) -> list[Ranked] | None:
    """`view.exhaustive_top_k(terms, k)`, reading fewer postings (module docstring).

    Returns None when the exhaustive search is as cheap (the query has fewer than
    `min_postings` postings, or no term can be skipped); the caller then searches it all.
    """
    if not terms or k <= 0 or view.n_docs == 0:
        return []
    q = _Query(view, terms)
    if int(q.length.sum()) < min_postings:
        return None
    scratch = _Scratch.of(view)
    try:
        return _search(q, k, scratch)
    except BaseException:
        view.scratch.arrays = None  # possibly left dirty
        raise


def _search(q: _Query, k: int, scratch: _Scratch) -> list[Ranked] | None:
    acc, slack = scratch.acc, 1 - _SLACK
    by_bound = np.argsort(-q.bound, kind="stable")
    left = np.cumsum(q.bound[by_bound][::-1])[::-1]  # bound sum of each term and those after
    theta = 0.0
    pool = np.zeros(0, np.int64)  # passages whose partial score reached θ
    read: list[tuple[int, IntArray, FloatArray]] = []
    try:
        # 1. Read whole terms, highest bound first, until the rest cannot make a passage.
        for i, t in enumerate(by_bound.tolist()):
            if left[i] < theta * slack:
                break
            rows, weights = q.postings(t)
            read.append((t, rows, weights))
            acc[rows] += weights * q.repeats[t]
            new = rows[acc[rows] >= theta]
            pool = np.union1d(pool[acc[pool] >= theta], new[q.live(new)])
            if len(pool) >= k:
                theta = max(theta, _kth_largest(acc[pool], k) * slack)
        optional = by_bound[len(read) :]
        if len(optional) == 0 or sum(len(r) for _, r, _ in read) == 0:
            return None
        # 2. Candidates: what was read and can still reach θ with the bounds left.
        rest = float(q.bound[optional].sum())
        cands = _distinct([r[acc[r] + rest >= theta * slack] for _, r, _ in read], scratch.where)
        cands = cands[q.live(cands)]
        if len(cands) > MAX_CANDIDATE_SHARE * q.view.n_docs:
            return None
        partial = acc[cands]
    finally:
        for _, rows, _ in read:
            acc[rows] = 0.0
    # 3. Refine with the skipped terms, dropping candidates that can no longer reach θ.
    looked_up = np.zeros((len(optional), len(cands)), np.float32)
    alive = np.arange(len(cands))
    for i, t in enumerate(optional.tolist()):
        found = q.look_up(t, cands[alive], scratch.where)
        looked_up[i, alive] = found
        partial[alive] += found * q.repeats[t]
        rest = max(0.0, rest - float(q.bound[t]))
        if len(alive) >= k:
            theta = max(theta, _kth_largest(partial[alive], k) * slack)
        alive = alive[partial[alive] + rest >= theta * slack]
    table = np.zeros((len(q.bound), len(alive)), np.float32)
    table[optional] = looked_up[:, alive]
    survivors = cands[alive]
    for t, rows, weights in read:  # each term's rows are sorted: segments follow each other
        if len(rows) == 0:
            continue
        at = np.minimum(np.searchsorted(rows, survivors), len(rows) - 1)
        hit = np.flatnonzero(rows[at] == survivors)
        table[t, hit] = weights[at[hit]]
    # 4. Exact scores of the survivors, summed in query order; ties by passage id.
    scores = q.exact(table)
    keys = q.rows.keys[survivors]
    order = np.lexsort((keys, -scores))[:k]
    order = order[scores[order] >= np.finfo(np.float64).tiny]
    return [Ranked(int(keys[i]), float(np.float32(scores[i]))) for i in order]

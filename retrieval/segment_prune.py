"""Exact top-k over a `SegmentSet` that skips postings which cannot reach the top k (MaxScore).

Why: the exhaustive search scores every posting of every query term, and a question has about
twenty terms, several of them common words whose posting lists grow with the collection. Most
of those postings belong to passages that match nothing else and can never enter the top k.

How (MaxScore, Turtle & Flood 1995, done a term at a time with numpy instead of a document at
a time): every term has an upper bound on the weight it can add to one passage, from the
largest tf and the shortest passage in its lists (stored per term in each segment, see
`retrieval.segment_files`): BM25's weight grows with tf and shrinks with length.

1. Seed: the rarest terms' postings are scored, the best few passages are scored exactly
   (every term looked up), and the k-th exact score is a first threshold θ: k real passages
   score at least θ, so the final k-th score is at least θ.
2. Split: terms sorted by bound; the low-bound terms whose bounds sum below θ are
   *non-essential*: a passage holding none of the other (*essential*) terms scores below θ.
   Only the essential terms' postings are read in full; their passages are the candidates.
3. Refine: the non-essential terms are looked up for the candidates only (binary search in the
   sorted posting lists, `np.searchsorted`), highest bound first; after each term a candidate
   whose partial score plus the bounds still to come is below θ is dropped, and θ rises to the
   k-th best partial score (a lower bound of that passage's full score).
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
#: Postings read to find the first threshold (rarest terms first, at least one term).
SEED_POSTINGS = 1 << 13
#: Passages scored exactly to set the first threshold, per result wanted.
SEED_PER_RESULT = 2
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

    def postings(self, terms: IntArray) -> tuple[IntArray, FloatArray, IntArray]:
        """All postings of `terms`: global rows, weights (one occurrence), distinct term."""
        rows, tfs, which = [], [], []
        for m in self.members:
            for t in terms.tolist():
                lo, hi = int(m.lo[t]), int(m.hi[t])
                if lo < hi:
                    local = m.doc_rows[lo:hi].astype(np.int64)
                    rows.append(local + m.first if m.first else local)
                    tfs.append(m.tfs[lo:hi])
                    which.append(np.full(hi - lo, t, np.int64))
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.int64)
        all_rows, term = np.concatenate(rows), np.concatenate(which)
        tf = np.concatenate(tfs).astype(np.float32)
        weights = self.idf[term] * tf * self._one / (tf + self.rows.norm[all_rows])
        return all_rows, weights, term

    def look_up(self, term: int, rows: IntArray) -> FloatArray:
        """The weight of one occurrence of `term` in each of the sorted global `rows` (or 0)."""
        out = np.zeros(len(rows), np.float32)
        for m in self.members:
            lo, hi = int(m.lo[term]), int(m.hi[term])
            if lo == hi:
                continue
            start, stop = np.searchsorted(rows, (m.first, m.end))
            if start == stop:
                continue
            local = (rows[start:stop] - m.first).astype(np.int32)
            postings = m.doc_rows[lo:hi]
            at = np.minimum(np.searchsorted(postings, local), hi - lo - 1)
            hit = np.flatnonzero(postings[at] == local)
            if len(hit):
                found = hit + start
                out[found] = self.weights(term, m.tfs[lo + at[hit]], rows[found])
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


def _sum_by_row(
    rows: IntArray, values: F64Array, n_rows: int
) -> tuple[IntArray, F64Array, IntArray]:
    """Distinct rows (ascending), the sum of `values` per row, and each value's row slot."""
    if len(rows) * 8 > n_rows:  # dense is cheaper than sorting this many
        summed = np.asarray(np.bincount(rows, weights=values, minlength=n_rows), np.float64)
        distinct: IntArray = np.flatnonzero(summed)
        slot = np.empty(n_rows, np.int64)
        slot[distinct] = np.arange(len(distinct))
        return distinct, summed[distinct], slot[rows]
    order = np.argsort(rows, kind="stable")  # runs of sorted posting lists: a cheap merge
    ordered = rows[order]
    new = np.ones(len(rows), np.bool_)
    new[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new)
    slot = np.empty(len(rows), np.int64)
    slot[order] = np.cumsum(new) - 1
    sums: F64Array = np.add.reduceat(values[order], starts)
    return ordered[starts], sums, slot


def _kth_largest(values: F64Array, k: int) -> float:
    return float(np.partition(values, len(values) - k)[len(values) - k])


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
    n_terms = len(q.bound)
    if int(q.length.sum()) < min_postings:
        return None
    # 1. Seed threshold: exact scores of the best passages of the rarest terms.
    rarest = np.argsort(q.length, kind="stable")
    n_seed = max(1, int(np.searchsorted(np.cumsum(q.length[rarest]), SEED_POSTINGS, "right")))
    rows, weights, term = q.postings(rarest[:n_seed])
    theta = 0.0
    if len(rows):
        seen, partial, _ = _sum_by_row(rows, weights * q.repeats[term], len(q.rows.norm))
        usable = q.live(seen)
        seen, partial = seen[usable], partial[usable]
        if len(seen) >= k:
            n_best = min(len(seen), SEED_PER_RESULT * k)
            best = np.argpartition(partial, len(seen) - n_best)[len(seen) - n_best :]
            seeds = np.sort(seen[best])
            table = np.stack([q.look_up(t, seeds) for t in range(n_terms)])
            theta = _kth_largest(q.exact(table), k)
    # 2. Split: the low-bound terms whose bounds sum below θ cannot make a passage on their own.
    by_bound = np.argsort(q.bound, kind="stable")
    below = np.cumsum(q.bound[by_bound]) < theta * (1 - _SLACK)
    n_skipped = int(below.sum())
    if n_skipped == 0:
        return None
    optional = by_bound[:n_skipped][::-1]  # highest bound first
    rest = float(q.bound[optional].sum())
    rows, weights, term = q.postings(np.sort(by_bound[n_skipped:]))
    if len(rows) == 0:
        return []
    cands, partial, slot = _sum_by_row(rows, weights * q.repeats[term], len(q.rows.norm))
    keep = q.live(cands)
    if int(keep.sum()) >= k:
        theta = max(theta, _kth_largest(partial[keep], k) * (1 - _SLACK))
    keep &= partial + rest >= theta * (1 - _SLACK)
    if keep.sum() > MAX_CANDIDATE_SHARE * view.n_docs:
        return None
    survivor_of = np.full(len(cands), -1, np.int64)
    survivors = np.flatnonzero(keep)
    survivor_of[survivors] = np.arange(len(survivors))
    table = np.zeros((n_terms, len(survivors)), np.float32)
    where = survivor_of[slot]
    taken = where >= 0
    table[term[taken], where[taken]] = weights[taken]
    cands, partial = cands[survivors], partial[survivors]
    # 3. Refine with the skipped terms, dropping candidates that can no longer reach θ.
    alive = np.arange(len(cands))
    for t in optional.tolist():
        found = q.look_up(t, cands[alive])
        table[t, alive] = found
        partial[alive] += found * q.repeats[t]
        rest = max(0.0, rest - float(q.bound[t]))
        if len(alive) >= k:
            theta = max(theta, _kth_largest(partial[alive], k) * (1 - _SLACK))
        alive = alive[partial[alive] + rest >= theta * (1 - _SLACK)]
    # 4. Exact scores of the survivors, summed in query order; ties by passage id.
    scores = q.exact(table[:, alive])
    keys = q.rows.keys[cands[alive]]
    order = np.lexsort((keys, -scores))[:k]
    order = order[scores[order] >= np.finfo(np.float64).tiny]
    return [Ranked(int(keys[i]), float(np.float32(scores[i]))) for i in order]

"""Exact top-k over a `SegmentSet` that skips postings which cannot reach the top k (MaxScore).

Why: the exhaustive search scores every posting of every query term, and a question has about
twenty terms, several of them common words whose posting lists grow with the collection. Most
of those postings belong to passages that match nothing else and can never enter the top k.

How (MaxScore, Turtle & Flood 1995, done a term at a time with numpy instead of a document at
a time): every term has an upper bound on the weight it can add to one passage, from the
largest tf and the shortest passage in its lists (stored per term in each segment, see
`retrieval.segment_files`): BM25's weight grows with tf and shrinks with length. A threshold θ
is always a score that k real passages reach, so the final k-th score is at least θ.

0. Seed: the few highest-bound (rare) terms' postings give partial scores; the k-th best is
   the first θ.
1. Segments are searched one at a time, smallest first, each raising θ for the next (a small
   segment finds good passages cheaply; the large ones then skip the most). In a segment, the
   terms whose bounds there sum below θ are *optional*: a passage holding none of the other
   (*essential*) terms scores below θ. The essential terms are read whole and summed per
   passage (`np.bincount` over the segment's rows); a little more than the minimum is read
   (`READ_SHARE`), which leaves far fewer candidates.
2. Candidates: passages whose partial score plus the optional bounds reaches θ.
3. Refine: the optional terms are looked up for the candidates only, highest bound first:
   binary search in the sorted posting list (`np.searchsorted`) when the candidates are few
   against it, one pass through a dense position array otherwise. After each term,
   candidates that can no longer reach θ are dropped and θ rises to the k-th partial score.
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

from retrieval.index import FloatArray, IntArray, Ranked, idf, ranked, weight_without_idf
from retrieval.posting_words import PostingArray, rows_of, tfs_of, words_of_rows
from retrieval.segment_bounds import WindowBounds

if TYPE_CHECKING:
    from retrieval.segment_search import SegmentSet
    from retrieval.segment_view import ViewRows

F64Array = npt.NDArray[np.float64]

#: Relative inflation of the per-term bounds, far above float32 rounding of the weights.
_BOUND_MARGIN = 1e-5
#: Relative slack when comparing float64 sums of the same weights added in different orders.
_SLACK = 1e-9
#: Queries with fewer postings than `prune_from` are cheaper to score exhaustively.
PRUNE_FROM_POSTINGS = 800_000
_PRUNE_FLOOR = 150_000
_PRUNE_SCALE = 5e11


def prune_from(n_docs: int) -> int:
    """Postings from which a query over `n_docs` passages is pruned rather than scored whole.

    The exhaustive search is one bincount over the postings (their weights mostly kept by the
    view, `retrieval.posting_cache`) plus passes over a score per passage; the pruned search
    costs about the same whatever the collection's size. So the more passages, the earlier
    pruning pays. Measured per question (the news-dev questions, each scored both ways): the
    two cost the same at about 800k postings over 0.73M passages and 150–200k over 2.9M;
    over 0.19M passages pruning never paid below 300k.
    """
    return int(min(PRUNE_FROM_POSTINGS, max(_PRUNE_FLOOR, _PRUNE_SCALE / max(n_docs, 1))))
#: Terms are read whole until the bounds of those left sum below this share of θ: reading a
#: little more than needed leaves far fewer candidates to look the rest up for.
READ_SHARE = 0.8
#: Postings read for the first threshold (highest-bound terms first, at least one term).
SEED_POSTINGS = 1 << 14
#: A binary search per candidate costs about this many postings of a pass through a list.
_SEARCH_COST = 24


@dataclass(frozen=True)
class MemberPostings:
    """One segment's part of a query: its arrays, first global row and term posting spans."""

    postings: PostingArray  # posting words (`retrieval.segment_files`)
    first: int
    end: int
    lo: IntArray  # per distinct query term
    hi: IntArray
    bound: F64Array  # per distinct term: its weight bound in this segment, repeats included
    dead: npt.NDArray[np.bool_] | None  # per local row
    #: The segment's per-window bounds (`retrieval.segment_bounds`), None without them, and
    #: per distinct term its row in them (-1: not bounded per window).
    windows: WindowBounds | None = None
    window_row: IntArray | None = None


def _window_rows(
    windows: WindowBounds, terms: IntArray, present: npt.NDArray[np.bool_]
) -> IntArray:
    """Each query term's row in a segment's window bounds (-1 when absent or not bounded)."""
    at = np.minimum(np.searchsorted(windows.terms, terms), max(len(windows.terms) - 1, 0))
    found = present & (len(windows.terms) > 0)
    if len(windows.terms):
        found &= np.asarray(windows.terms)[at] == terms
    return np.where(found, at, -1).astype(np.int64)


class QueryPostings:
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
        self.members: list[MemberPostings] = []
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
            bound = weight * self.idf.astype(np.float64) * self.repeats * (1 + _BOUND_MARGIN)
            self.members.append(MemberPostings(
                a.postings, first, first + a.n_docs, span.lo, span.hi, bound,
                span.member.dead, a.windows,
                None if a.windows is None else _window_rows(a.windows, span.term, present),
            ))
        #: Upper bound of what each distinct term adds to one passage's score, repeats included.
        self.bound = best * self.idf.astype(np.float64) * self.repeats * (1 + _BOUND_MARGIN)
        self.params = params

    @property
    def window_cap(self) -> F64Array:
        """Per distinct term, what multiplies a window's weight bound (without idf): idf,
        repeats and the bounds' margin, as in `bound`."""
        return self.idf.astype(np.float64) * self.repeats * (1 + _BOUND_MARGIN)

    def weights(self, term: int, tfs: npt.NDArray[np.uint8], rows: IntArray) -> FloatArray:
        """Weights of one occurrence of `term`, computed as the exhaustive search does."""
        tf = tfs.astype(np.float32)
        weights: FloatArray = self.idf[term] * weight_without_idf(
            tf, self.rows.norm[rows], self.params
        )
        return weights

    def postings(self, term: int) -> tuple[IntArray, FloatArray]:
        """All postings of `term` in every segment: global rows and one occurrence's weights."""
        rows, tfs = [], []
        for m in self.members:
            lo, hi = int(m.lo[term]), int(m.hi[term])
            if lo < hi:
                words = m.postings[lo:hi]
                local = rows_of(words)
                rows.append(local + m.first if m.first else local)
                tfs.append(tfs_of(words))
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        all_rows = np.concatenate(rows)
        return all_rows, self.weights(term, np.concatenate(tfs), all_rows)

    def look_up_local(
        self, term: int, m: MemberPostings, rows: IntArray, where: IntArray
    ) -> FloatArray:
        """The weight of one occurrence of `term` in each of the segment's sorted local `rows`.

        A binary search of each row in the term's sorted list when the rows are few against
        the list; otherwise one pass writing the list's positions into the dense `where` (all
        zero, and left so) and reading them back at `rows`.
        """
        out = np.zeros(len(rows), np.float32)
        lo, hi = int(m.lo[term]), int(m.hi[term])
        if lo == hi or len(rows) == 0:
            return out
        words = m.postings[lo:hi]
        if len(rows) * _SEARCH_COST < hi - lo:
            # A row's words are row << TF_BITS | tf with tf >= 1: its tf-0 word sorts just
            # before it, and after every word of a smaller row.
            at = np.minimum(np.searchsorted(words, words_of_rows(rows, words)), hi - lo - 1)
            hit = np.flatnonzero(rows_of(words[at]) == rows)
            at = at[hit]
        else:
            postings = rows_of(words)
            where[postings] = np.arange(1, hi - lo + 1)
            at = where[rows]
            where[postings] = 0
            hit = np.flatnonzero(at)
            at = at[hit] - 1
        if len(hit):
            out[hit] = self.weights(term, tfs_of(words[at]), rows[hit] + m.first)
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


class Scratch:
    """A dense per-document array reused across queries; all zero between queries."""

    def __init__(self, n_docs: int) -> None:
        self.where = np.zeros(n_docs, np.int64)  # 1 + a posting's or candidate's index
        self.read = 0  # postings read whole by this thread's last query
        self.total = 0  # postings of that query's terms

    @staticmethod
    def of(view: SegmentSet) -> Scratch:
        scratch: Scratch | None = getattr(view.scratch, "arrays", None)
        if scratch is None:
            scratch = view.scratch.arrays = Scratch(len(view.rows().norm))
        return scratch


def pruned_top_k(
    view: SegmentSet, terms: Sequence[str], k: int, min_postings: int = PRUNE_FROM_POSTINGS
) -> list[Ranked] | None:
    """`view.exhaustive_top_k(terms, k)`, reading fewer postings (module docstring).

    Returns None when the exhaustive search is as cheap (the query has fewer than
    `min_postings` postings); the caller then searches it all.
    """
    if not terms or k <= 0 or view.n_docs == 0:
        return []
    q = QueryPostings(view, terms)
    if int(q.length.sum()) < min_postings:
        return None
    scratch = Scratch.of(view)
    scratch.read, scratch.total = 0, int(q.length.sum())
    try:
        return _search(q, k, scratch)
    except BaseException:
        view.scratch.arrays = None  # possibly left dirty
        raise


def postings_read(view: SegmentSet) -> tuple[int, int]:
    """Postings the calling thread's last pruned query read whole, of all its terms' postings.

    For tests and benchmarks: what the pruning saved.
    """
    scratch = Scratch.of(view)
    return scratch.read, scratch.total


def _search(q: QueryPostings, k: int, scratch: Scratch) -> list[Ranked]:
    """Segment by segment, smallest first: each raises θ for the next (module docstring)."""
    slack = 1 - _SLACK
    theta = _seed(q, k) * slack
    keys: list[IntArray] = []
    scores: list[F64Array] = []
    for m in sorted(q.members, key=lambda m: m.end - m.first):
        found = _search_member(q, m, k, theta, scratch)
        if found is None:
            continue
        rows, exact = found
        keys.append(q.rows.keys[rows])
        scores.append(exact)
        best = np.concatenate(scores)
        if len(best) >= k:
            theta = max(theta, _kth_largest(best, k) * slack)
    if not keys:
        return []
    all_keys, all_scores = np.concatenate(keys), np.concatenate(scores)
    order = np.lexsort((all_keys, -all_scores))[:k]
    order = order[all_scores[order] >= np.finfo(np.float64).tiny]
    return ranked(all_keys[order], all_scores[order])


def _seed(q: QueryPostings, k: int) -> float:
    """A first θ: the k-th best partial score over the few highest-bound terms (or 0).

    Those terms are the rare ones, so this reads few postings, and it spares the first
    segment searched from being scored whole.
    """
    if SEED_POSTINGS == 0:
        return 0.0
    by_bound = np.argsort(-q.bound, kind="stable")
    budget = np.cumsum(q.length[by_bound]) <= SEED_POSTINGS
    budget[0] = True
    parts = [q.postings(t) for t in by_bound[budget].tolist()]
    rows = np.concatenate([np.zeros(0, np.int64), *(r for r, _ in parts)])
    if len(rows) < k:
        return 0.0
    weights = np.concatenate(
        [w * q.repeats[t] for t, (_, w) in zip(by_bound[budget].tolist(), parts, strict=True)]
    )
    distinct, slot = np.unique(rows, return_inverse=True)
    partial = np.bincount(slot, weights).astype(np.float64)[q.live(distinct)]
    return _kth_largest(partial, k) if len(partial) >= k else 0.0


def _search_member(
    q: QueryPostings, m: MemberPostings, k: int, theta: float, scratch: Scratch
) -> tuple[IntArray, F64Array] | None:
    """The passages of one segment that can reach θ, with exact scores (global rows).

    None when no passage of the segment can reach θ.
    """
    slack = 1 - _SLACK
    by_bound = np.argsort(-m.bound, kind="stable")
    left = np.cumsum(m.bound[by_bound][::-1])[::-1]  # bound sum of each term and those after
    enough = theta * min(READ_SHARE, slack)
    n_read = int(np.count_nonzero(left >= enough)) if theta > 0 else len(left)
    essential = by_bound[:n_read]
    optional = by_bound[n_read:]
    rest = float(m.bound[optional].sum())
    # 1. The essential terms' postings, summed per passage of the segment.
    parts = [(t, int(m.lo[t]), int(m.hi[t])) for t in essential.tolist() if m.lo[t] < m.hi[t]]
    if not parts:
        return None
    words = np.concatenate([m.postings[lo:hi] for _, lo, hi in parts])
    local = rows_of(words)
    scratch.read += len(local)
    tfs = tfs_of(words)
    term = np.repeat(np.array([t for t, _, _ in parts]), [hi - lo for _, lo, hi in parts])
    tf = tfs.astype(np.float32)
    weights = q.idf[term] * weight_without_idf(tf, q.rows.norm[m.first :][local], q.params)
    n_local = m.end - m.first
    partial = np.asarray(np.bincount(local, weights * q.repeats[term], minlength=n_local), float)
    # 2. Candidates: passages that can still reach θ with the optional terms' bounds: one
    # comparison over the segment's passages (a large segment has millions), the tombstone
    # test on the few that pass.
    floor = max(theta * slack - rest, 0.0) if theta > 0 else 0.0
    cands = np.flatnonzero(partial >= max(floor, np.finfo(np.float64).tiny))
    if m.dead is not None:
        cands = cands[~m.dead[cands]]
    if len(cands) >= k:
        theta = max(theta, _kth_largest(partial[cands], k) * slack)
        cands = cands[partial[cands] + rest >= theta * slack]
    partial = partial[cands]
    # 3. Refine with the optional terms, highest bound first.
    looked_up = np.zeros((len(optional), len(cands)), np.float32)
    alive = np.arange(len(cands))
    for i, t in enumerate(optional.tolist()):
        found = q.look_up_local(t, m, cands[alive], scratch.where)
        looked_up[i, alive] = found
        partial[alive] += found * q.repeats[t]
        rest = max(0.0, rest - float(m.bound[t]))
        if len(alive) >= k:
            theta = max(theta, _kth_largest(partial[alive], k) * slack)
        alive = alive[partial[alive] + rest >= theta * slack]
    # 4. Exact scores of the survivors, from the same weights, summed in query order: the
    # essential terms' weights are looked up again for the few survivors, cheaper than
    # finding them among all the postings read in step 1.
    survivors = cands[alive]
    table = np.zeros((len(q.bound), len(survivors)), np.float32)
    table[optional] = looked_up[:, alive]
    for t, _, _ in parts:
        table[t] = q.look_up_local(t, m, survivors, scratch.where)
    return survivors + m.first, q.exact(table)

"""BM25 over all live segments with global statistics: what the service queries.

A `SegmentSet` is an immutable view of the live segments (in generation order) and the
tombstoned passage ids; `refresh` returns a new view that maps only segments it has not seen
and reuses the others, so a reader swaps views the way it swapped whole indexes before, and
queries running on other threads keep the view they started with.

Scores are `retrieval.index`'s BM25 with *global* statistics: the document count, average
length and each term's df are summed over all segments, so a query scores a passage exactly
as one index over the same passages would, however the passages are split into segments.

Tombstoned passages are out of the statistics as well as out of the results: N and the total
length exclude them, and a term's df subtracts its tombstoned postings (counted per query, only
in segments that have tombstones, which are few and shrink at every merge). So deleting is
exactly `InvertedIndex.remove` and a merge that drops tombstoned documents changes no score.

Why term weights are computed at query time rather than stored: a stored per-posting weight
depends on N, df and the average length of the whole collection, so every ingest would have
to rewrite every segment. Each query instead computes `idf · tf · (k1+1) / (tf + norm[doc])`
over its postings, with `norm` (the length normalization, one float per document) computed
once per view; that is a gather and three float operations per posting, and for common terms
the view keeps the result without the idf (`retrieval.posting_cache`). Documents are
numbered globally within a view (each segment's rows after the previous segment's), so all
segments' postings are summed by one `np.bincount` and selected once: a query costs about
what it costs over a single index, plus a vocabulary lookup and two slices per segment and
term.
Ties are broken by passage id (ascending), which is insertion order and does not depend on
the split.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retrieval.index import (
    BM25Params,
    FloatArray,
    IntArray,
    Ranked,
    idf,
    ranked,
)
from retrieval.posting_cache import PostingCache
from retrieval.posting_words import rows_of
from retrieval.segment_files import load_segment
from retrieval.segment_holding import top_k_holding
from retrieval.segment_prune import QueryPostings, prune_from, pruned_top_k
from retrieval.segment_view import Member, TermSpans, ViewRows, member_of
from retrieval.segment_weights import Slice, weigh, weigh_rare
from retrieval.term_encoding import query_term_hash
from retrieval.top_selection import leaders

#: Terms whose df a view remembers before it forgets them all and starts again.
_DF_CACHE_TERMS = 1 << 16
#: From this many passages every query is searched by the compiled document-at-a-time
#: MaxScore (`retrieval.segment_daat`), loaded by the first query if need be: over 0.73M
#: passages it takes well under half the time of the numpy searches.
COMPILED_FROM_PASSAGES = 400_000
#: From this many passages the compiled search is used once a process has loaded it ahead
#: (`SegmentSet.load_compiled_search`): a process answering many questions (the bot, a batch
#: of questions) gains on every one, most on the slowest, while a one-question command would
#: pay more to load it than it saves. Measured on the news-dev questions: about even with the
#: numpy searches at 50k passages, and faster from there (at 0.19M the slowest questions'
#: BM25 stage takes a third of the time).
COMPILED_WHEN_LOADED_FROM = 50_000

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def compiled_search() -> Callable[[QueryPostings, int], list[Ranked]] | None:
    """`retrieval.segment_daat.compiled_top_k`, imported on first use; None when it cannot be
    loaded, and the numpy searches serve instead.

    Imported late because numba and the machine code it keeps on disk take a few hundred
    milliseconds to load, which a small collection (and its first answer) should not pay.
    """
    try:
        from retrieval.segment_daat import compiled_top_k
    except (ImportError, OSError, RuntimeError) as exc:
        logger.warning("compiled search unavailable, using the numpy search: %s", exc)
        return None
    return compiled_top_k


#: Set once `SegmentSet.load_compiled_search` has loaded the compiled search in this process.
compiled_loaded = False


class SegmentSet:
    """The live segments of one database, searched as one BM25 index."""

    def __init__(
        self,
        root: Path,
        members: Sequence[Member],
        tombstones: IntArray,
        params: BM25Params = BM25Params(),
    ) -> None:
        self.root = root
        self.members = tuple(sorted(members, key=lambda m: m.generation))
        self.tombstones = tombstones
        self.params = params
        self.n_docs = sum(m.n_live for m in self.members)
        self.total_length = sum(m.segment.total_length - m.dead_length for m in self.members)
        self.avgdl = self.total_length / self.n_docs if self.n_docs else 1.0
        self.avgdl = self.avgdl or 1.0
        self._global: ViewRows | None = None
        self._n_terms: int | None = None
        self._lock = threading.Lock()
        #: Live df of terms looked up in this view (the view never changes, so neither do
        #: they): a question's terms are looked up for ranking and again for their weights.
        self._df: dict[str, int] = {}
        #: Per-thread scratch arrays of `retrieval.segment_prune` (one per document each).
        self.scratch = threading.local()
        self._postings = PostingCache()

    # ------------------------------------------------------------------ views

    @classmethod
    def empty(cls, root: Path, params: BM25Params = BM25Params()) -> SegmentSet:
        """A view with no segments."""
        return cls(root, (), np.zeros(0, np.int64), params)

    @classmethod
    def open(
        cls,
        root: Path,
        live: Mapping[int, str],
        tombstones: Iterable[int] | IntArray = (),
        params: BM25Params = BM25Params(),
    ) -> SegmentSet:
        """Map the live segments `{generation: name}` under `root`."""
        return cls.empty(root, params).refresh(live, tombstones)

    def refresh(
        self, live: Mapping[int, str], tombstones: Iterable[int] | IntArray = ()
    ) -> SegmentSet:
        """The view for the registry's current live segments and tombstones.

        Returns `self` when nothing changed; otherwise maps only segments not in this view
        and reuses the others (their tombstone masks too, when the tombstones are the same).
        Raises `SegmentError` when a live segment's directory is missing or malformed.
        """
        given = tombstones if isinstance(tombstones, np.ndarray) else list(tombstones)
        dead = np.unique(np.asarray(given, np.int64))
        same_dead = np.array_equal(dead, self.tombstones)
        current = {m.generation: m for m in self.members}
        if same_dead and {g: m.segment.name for g, m in current.items()} == dict(live):
            return self
        members = []
        for generation in sorted(live):
            old = current.get(generation)
            if old is not None and old.segment.name == live[generation]:
                members.append(old if same_dead else member_of(generation, old.segment, dead))
            else:
                segment = load_segment(self.root, live[generation])
                members.append(member_of(generation, segment, dead))
        return SegmentSet(self.root, members, dead, self.params)

    def with_params(self, params: BM25Params) -> SegmentSet:
        """The same segments scored with other BM25 parameters."""
        return SegmentSet(self.root, self.members, self.tombstones, params)

    @property
    def generations(self) -> tuple[int, ...]:
        """The generations of the live segments, oldest first."""
        return tuple(m.generation for m in self.members)

    def mapped_arrays(self) -> list[npt.NDArray[np.generic]]:
        """Every segment array of the view (memory-mapped ones are what `MappedPages` trims)."""
        return [
            array
            for m in self.members
            for f in dataclasses.fields(m.segment.arrays)
            if (array := getattr(m.segment.arrays, f.name)) is not None
        ]

    def sizes(self) -> dict[int, tuple[int, int]]:
        """`{generation: (documents, tombstoned documents)}`, what a merge policy weighs."""
        return {m.generation: (m.segment.arrays.n_docs, len(m.dead_rows)) for m in self.members}

    # ------------------------------------------------------------------ statistics

    def __len__(self) -> int:
        return self.n_docs

    @property
    def n_terms(self) -> int:
        """Distinct terms over all segments (computed on first use: it is a union)."""
        if self._n_terms is None:
            hashes = [m.segment.arrays.hashes for m in self.members]
            self._n_terms = len(np.unique(np.concatenate([np.zeros(0, np.uint64), *hashes])))
        return self._n_terms

    @property
    def keys(self) -> IntArray:
        """Passage ids of the live documents, in the order `scores` uses."""
        view = self.rows()
        return np.delete(view.keys, view.dead_rows)

    def rows(self) -> ViewRows:
        """Per-view arrays over all segments' documents, built on first use (thread-safe)."""
        rows = self._global
        if rows is None:
            with self._lock:
                rows = self._global
                if rows is None:
                    rows = self._global = ViewRows.of(self.members, self.params, self.avgdl)
        return rows

    def lookup(self, terms: Sequence[str]) -> tuple[IntArray, list[TermSpans]]:
        """Global live df of each term (repeats kept) and each member's posting spans."""
        wanted = np.fromiter((query_term_hash(t) for t in terms), np.uint64, len(terms))
        df = np.zeros(len(terms), np.int64)
        spans = []
        for m in self.members:
            a = m.segment.arrays
            if len(a.hashes) == 0:
                continue
            pos = np.minimum(np.searchsorted(a.hashes, wanted), len(a.hashes) - 1)
            found = a.hashes[pos] == wanted
            lo = np.where(found, a.indptr[pos], 0).astype(np.int64)
            hi = np.where(found, a.indptr[pos + 1], 0).astype(np.int64)
            counts = hi - lo
            if m.dead is not None:
                for i in np.flatnonzero(counts).tolist():
                    term = int(pos[i])
                    dead = m.dead_counts.get(term)
                    if dead is None:
                        rows = rows_of(a.postings[lo[i] : hi[i]])
                        dead = int(np.count_nonzero(m.dead[rows]))
                        m.dead_counts[term] = dead
                    counts[i] -= dead
            df += counts
            if found.any():
                spans.append(TermSpans(m, lo, hi, pos))
        if len(self._df) > _DF_CACHE_TERMS:
            self._df.clear()
        self._df.update(zip(terms, df.tolist(), strict=True))
        return df, spans

    def document_frequencies(self, terms: Sequence[str]) -> list[int]:
        """How many live documents contain each of `terms` (0 for unknown terms)."""
        if not terms:
            return []
        known = self._df
        if all(t in known for t in terms):
            return [known[t] for t in terms]
        df, _ = self.lookup(terms)
        return [int(d) for d in df]

    # ------------------------------------------------------------------ scoring

    def _accumulate(
        self, terms: Sequence[str], looked_up: tuple[IntArray, list[TermSpans]] | None = None
    ) -> tuple[npt.NDArray[np.float64], IntArray] | None:
        """Summed scores of every document of the view (global rows) and the postings' rows.

        A common term's postings over all segments (rows numbered over the view) are weighted
        without idf once and kept (`term_postings`); the rare terms' postings are gathered
        together and weighted in one vectorized pass. Every weight is scaled by its term's
        idf and all are summed by one `np.bincount`. Summing float32 weights in float64 is
        exact at these magnitudes, so the order of the postings does not change a score.
        """
        df, spans = self.lookup(terms) if looked_up is None else looked_up
        term_idf = idf(self.n_docs, df.astype(np.float64)).astype(np.float32)
        view = self.rows()
        bounds = [(s, s.lo.tolist(), s.hi.tolist()) for s in spans]
        rows_parts: list[IntArray] = []
        weight_parts: list[npt.NDArray[np.float32]] = []
        rare: list[Slice] = []
        rare_idf: list[float] = []  # the idf of each slice in `rare`
        for i, term in enumerate(terms):
            slices = [(s, lo[i], hi[i]) for s, lo, hi in bounds if lo[i] < hi[i]]
            count = sum(hi - lo for _, lo, hi in slices)
            if count == 0:
                continue
            if count < self._postings.min_postings:  # never kept: weighed with the others
                rare += slices
                rare_idf += [term_idf[i]] * len(slices)
                continue
            rows, weights = self.term_postings(term, slices)
            rows_parts.append(rows)
            weight_parts.append(term_idf[i] * weights)
        if rare:
            rows, weights = weigh_rare(view, self.params, rare, rare_idf)
            rows_parts.append(rows)
            weight_parts.append(weights)
        if not rows_parts:
            return None
        rows = np.concatenate(rows_parts)
        acc = np.asarray(  # already float64: no copy
            np.bincount(rows, weights=np.concatenate(weight_parts), minlength=len(view.norm)),
            np.float64,
        )
        acc[view.dead_rows] = 0.0
        return acc, rows

    def term_postings(
        self, term: str, slices: Sequence[Slice]
    ) -> tuple[IntArray, npt.NDArray[np.float32]]:
        """A term's postings over the view: global rows and `tf·(k1+1)/(tf+norm)` (no idf).

        `slices`: the term's `(span, lo, hi)` in each member. Kept in the view's
        `PostingCache` when the list is long.
        """
        cached = self._postings.get(term)
        if cached is not None:
            return cached
        rows, weights = weigh(self.rows(), self.params, slices)
        self._postings.put(term, rows, weights)
        return rows, weights

    def top_k(self, terms: Sequence[str], k: int = 10) -> list[Ranked]:
        """The `k` best live passages for the query terms, best first; ties by passage id.

        The same result as `exhaustive_top_k`: over a large collection found by the compiled
        search (`retrieval.segment_daat`), otherwise by skipping postings that cannot reach
        the top k when the query has enough of them (`retrieval.segment_prune`).
        """
        if not terms or k <= 0 or self.n_docs == 0:
            return []
        if self.searched_compiled() and (search := compiled_search()) is not None:
            return search(QueryPostings(self, terms), k)
        looked_up = self.lookup(terms)
        postings = sum(int((s.hi - s.lo).sum()) for s in looked_up[1])
        if postings >= prune_from(self.n_docs):
            pruned = pruned_top_k(self, terms, k, min_postings=0)
            if pruned is not None:
                return pruned
        return self.exhaustive_top_k(terms, k, looked_up)

    def searched_compiled(self) -> bool:
        """Whether this view's queries go to the compiled search (if it can be loaded)."""
        return self.n_docs >= COMPILED_FROM_PASSAGES or (
            compiled_loaded and self.n_docs >= COMPILED_WHEN_LOADED_FROM
        )

    def load_compiled_search(self) -> bool:
        """Load the compiled search and its machine code for this view's arrays now, so
        that later queries over `COMPILED_WHEN_LOADED_FROM` passages use it. False, loading
        nothing, when this view is smaller than that (it would not pay) or when it cannot be
        loaded (the numpy searches serve)."""
        global compiled_loaded
        if self.n_docs < COMPILED_WHEN_LOADED_FROM or compiled_search() is None:
            return False
        from retrieval.segment_daat import load_machine_code

        try:
            load_machine_code([m.segment.arrays.postings for m in self.members], self.rows().norm)
        except Exception as exc:  # numba failing to compile here: a speed-up lost, not answers
            logger.warning("compiled search not loaded ahead, using the numpy search: %s", exc)
            return False
        compiled_loaded = True
        return True

    def top_k_holding(
        self, terms: Sequence[str], required: Sequence[str], k: int, limit: int
    ) -> list[Ranked] | None:
        """`top_k` among the passages holding every `required` term (a quoted phrase's
        bigrams); None when more than `limit` passages hold them
        (`retrieval.segment_holding`)."""
        return top_k_holding(self, terms, required, k, limit)

    def exhaustive_top_k(
        self,
        terms: Sequence[str],
        k: int = 10,
        looked_up: tuple[IntArray, list[TermSpans]] | None = None,
    ) -> list[Ranked]:
        """`top_k` by scoring every posting of the query terms (the reference).

        `argpartition`-style selection over the summed scores as in `InvertedIndex.top_k`,
        except that every document tied with the k-th score is kept and the tie is decided by
        passage id, so the result does not depend on how the passages are split.
        `looked_up` is `self.lookup(terms)` when the caller has it already.
        """
        if not terms or k <= 0 or self.n_docs == 0:
            return []
        summed = self._accumulate(terms, looked_up)
        if summed is None:
            return []
        acc, _ = summed
        best = leaders(acc, k)
        keys = self.rows().keys[best]
        order = np.lexsort((keys, -acc[best]))[:k]
        return ranked(keys[order], acc[best[order]])

    def scores(self, terms: Sequence[str]) -> FloatArray:
        """Dense scores of every live document, aligned with `keys` (for tests and evaluation)."""
        view = self.rows()
        summed = self._accumulate(terms) if terms and self.n_docs else None
        acc = summed[0] if summed is not None else np.zeros(len(view.norm))
        return np.delete(acc, view.dead_rows).astype(np.float32)

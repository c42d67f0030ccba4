"""BM25 over an inverted index held in numpy arrays: build, add, remove, score, top-k.

The scoring function is rank-bm25's `BM25Okapi` term weight with one change to the idf:

    score(q, d) = Σ_{t in q} idf(t) · tf · (k1 + 1) / (tf + k1 · (1 − b + b · |d| / avgdl))
    idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))        (tf = tf(t, d))

`BM25Okapi` uses ln((N − df + 0.5)/(df + 0.5)), which is zero or negative (then floored to a
small epsilon) for any term in half or more of the passages; on a one-page corpus that ranks
most passages at zero. The `1 +` inside the log (Lucene's form) keeps every idf positive and
leaves the ordering of rare terms as before. Query terms count once per occurrence, as in
rank-bm25's `get_scores`. `tests/retrieval/test_index.py` checks scores against rank-bm25
computing this definition directly.

Why not rank-bm25 itself: its `get_scores` loops over every document in Python for every query
term (about half a second per question at 300k passages). Here each passage's contribution
per term ("impact") is precomputed once, so a query only touches the postings of its own
terms: milliseconds at full scale.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from retrieval.term_encoding import EncodedDocs, encode, query_term_hash, term_hashes

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]
HashArray = npt.NDArray[np.uint64]
TfArray = npt.NDArray[np.uint8]

_POSTING_CHUNK = 1 << 22  # postings per step when computing or decoding large arrays


@dataclass(frozen=True)
class BM25Params:
    """BM25's two knobs: term-frequency saturation `k1` and length normalization `b`.

    b = 0.5 rather than the textbook 0.75: passages are already length-bounded, and on the
    news dev set the weaker length penalty measured better (README, "Answer quality").
    """

    k1: float = 1.2
    b: float = 0.5


class Ranked(NamedTuple):
    """One scored document: its caller-given key and its BM25 score.

    A named tuple rather than a frozen dataclass: a filtered search makes a thousand of
    them per question, and a frozen dataclass costs several times more to create.
    """

    key: int
    score: float


def ranked(
    keys: npt.NDArray[np.integer[Any]], scores: npt.NDArray[np.floating[Any]]
) -> list[Ranked]:
    """`Ranked` records of `keys` and their `scores`, rounded to float32 as the index keeps
    weights: converted a whole array at a time, which a thousand candidates notice."""
    as_float32 = scores.astype(np.float32).astype(np.float64)
    return list(map(Ranked, keys.tolist(), as_float32.tolist()))


def idf(n_docs: int, df: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The always-positive BM25 idf (see module docstring)."""
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))


def weight_without_idf(
    tf: npt.NDArray[np.float32], norm: npt.NDArray[np.float32], params: BM25Params
) -> npt.NDArray[np.float32]:
    """`tf·(k1+1) / (tf + norm)` in float32: a posting's weight before its term's idf.

    Every search path multiplies this by the idf last, in the same float32 operations, so the
    exhaustive, pruned and cached searches give bit-identical scores.
    """
    weight: npt.NDArray[np.float32] = tf * np.float32(params.k1 + 1) / (tf + norm)
    return weight


def terms_of_range(indptr: npt.NDArray[np.integer[Any]], lo: int, hi: int) -> IntArray:
    """The term (list) number of each posting in `lo:hi`, from the list boundaries `indptr`."""
    first = int(np.searchsorted(indptr, lo, side="right")) - 1
    last = int(np.searchsorted(indptr, hi - 1, side="right")) - 1
    bounds = np.clip(indptr[first : last + 2], lo, hi)
    return np.repeat(np.arange(first, last + 1, dtype=np.int64), np.diff(bounds))


def posting_chunks(n: int) -> list[tuple[int, int]]:
    """`(lo, hi)` spans covering `n` postings, so that large arrays are processed in steps."""
    return [(lo, min(lo + _POSTING_CHUNK, n)) for lo in range(0, n, _POSTING_CHUNK)]


def _combine(
    parts: Sequence[EncodedDocs], keys: IntArray, params: BM25Params
) -> InvertedIndex:
    """One index from term-sorted parts whose documents follow each other in part order.

    Each posting's destination is computed directly (the start of its term in the combined
    lists, plus what earlier parts put there, plus its place within its part), so combining
    is a few passes of array arithmetic and never a sort of all postings.
    """
    hashes = np.unique(np.concatenate([np.zeros(0, np.uint64), *(p.hashes for p in parts)]))
    positions = [np.searchsorted(hashes, p.hashes) for p in parts]
    counts = np.zeros(len(hashes), np.int64)
    for part, pos in zip(parts, positions, strict=True):
        counts[pos] += np.diff(part.indptr)  # a part's terms are distinct: no index repeats
    indptr = np.zeros(len(hashes) + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    doc_rows = np.empty(int(indptr[-1]), np.int32)
    tfs = np.empty(int(indptr[-1]), np.uint8)
    filled = np.zeros(len(hashes), np.int64)
    row0 = 0
    for part, pos in zip(parts, positions, strict=True):
        per_term = np.diff(part.indptr)
        term_of = np.repeat(pos, per_term)
        within = np.arange(len(part.rows)) - np.repeat(part.indptr[:-1], per_term)
        dest = indptr[term_of] + filled[term_of] + within
        doc_rows[dest] = part.rows + row0
        tfs[dest] = part.tfs
        filled[pos] += per_term
        row0 += len(part.lengths)
    lengths = np.concatenate([np.zeros(0, np.int32), *(p.lengths for p in parts)])
    return InvertedIndex(hashes, indptr, doc_rows, tfs, lengths, keys, params)


class InvertedIndex:
    """Postings sorted by term hash, then by document, with precomputed BM25 impacts.

    Documents are identified by caller-chosen integer keys (the store's passage ids); inside
    the index they are rows 0..N-1 in insertion order. Instances are never mutated after
    construction: `add` and `remove` return a new index, so a reader holding the old one keeps
    a consistent view while a new one is built (this is how reindex avoids blocking answers).
    Term frequencies are stored as uint8: a passage of at most 300 characters cannot repeat a
    term more than 255 times in practice, and BM25 saturates long before.

    The impacts (one float per posting) are computed on first use and cached, so the
    intermediate indexes of an ingest never pay for them; call `warm()` before publishing.
    """

    def __init__(
        self,
        hashes: HashArray,
        indptr: IntArray,
        doc_rows: Int32Array,
        tfs: TfArray,
        doc_len: Int32Array,
        keys: IntArray,
        params: BM25Params = BM25Params(),
    ) -> None:
        self.hashes = hashes
        self.indptr = indptr
        self.doc_rows = doc_rows
        self.tfs = tfs
        self.doc_len = doc_len
        self.keys = keys
        self.params = params
        self._impacts_lock = threading.Lock()
        self._impacts_cache: FloatArray | None = None

    @property
    def impacts(self) -> FloatArray:
        """Per-posting BM25 contributions (computed once, thread-safely)."""
        if self._impacts_cache is None:
            with self._impacts_lock:
                if self._impacts_cache is None:
                    self._impacts_cache = self._impacts()
        return self._impacts_cache

    def warm(self) -> InvertedIndex:
        """Compute the impacts now (so the first query after a swap is fast); returns self."""
        _ = self.impacts
        return self

    def as_part(self) -> EncodedDocs:
        """This index's postings in the chunk form `_combine` takes."""
        return EncodedDocs(self.hashes, self.indptr, self.doc_rows, self.tfs, self.doc_len)

    # ------------------------------------------------------------------ construction

    @classmethod
    def empty(cls, params: BM25Params = BM25Params()) -> InvertedIndex:
        """An index with no documents."""
        return cls(
            np.zeros(0, np.uint64),
            np.zeros(1, np.int64),
            np.zeros(0, np.int32),
            np.zeros(0, np.uint8),
            np.zeros(0, np.int32),
            np.zeros(0, np.int64),
            params,
        )

    @classmethod
    def build(
        cls, docs: Sequence[tuple[int, Sequence[str]]], params: BM25Params = BM25Params()
    ) -> InvertedIndex:
        """Index `(key, tokens)` pairs."""
        keys = np.fromiter((k for k, _ in docs), np.int64, len(docs))
        return cls.from_encoded(keys, [encode([toks for _, toks in docs])], params)

    @classmethod
    def from_encoded(
        cls, keys: IntArray, chunks: Sequence[EncodedDocs], params: BM25Params = BM25Params()
    ) -> InvertedIndex:
        """Index documents encoded chunk by chunk; `keys` lists their keys in chunk order."""
        return _combine(chunks, keys, params)

    def add(self, docs: Sequence[tuple[int, Sequence[str]]]) -> InvertedIndex:
        """A new index with `docs` appended (their rows follow the existing ones)."""
        if not docs:
            return self
        return self.merge(InvertedIndex.build(docs, self.params))

    def merge(self, other: InvertedIndex) -> InvertedIndex:
        """A new index holding this one's documents followed by `other`'s.

        `other`'s postings are spliced into this index's term-sorted arrays with `np.insert`
        (new terms get empty lists first), so adding a hundred articles to a 300k-passage
        index costs a copy of the arrays, not a rebuild.
        """
        if len(self.keys) == 0:
            return other.with_params(self.params)
        if len(other.keys) == 0:
            return self
        at = np.searchsorted(self.hashes, other.hashes)
        known = at < len(self.hashes)
        known[known] = self.hashes[at[known]] == other.hashes[known]
        fresh = other.hashes[~known]
        hashes = np.insert(self.hashes, np.searchsorted(self.hashes, fresh), fresh)
        mine = np.insert(np.diff(self.indptr), np.searchsorted(self.hashes, fresh), 0)
        theirs = np.zeros(len(hashes), np.int64)
        position = np.searchsorted(hashes, other.hashes)
        theirs[position] = np.diff(other.indptr)
        mine_ends = np.cumsum(mine)
        # Each of other's postings goes after this index's postings of the same term.
        where = np.repeat(mine_ends[position], np.diff(other.indptr))
        indptr = np.zeros(len(hashes) + 1, np.int64)
        np.cumsum(mine + theirs, out=indptr[1:])
        return InvertedIndex(
            hashes,
            indptr,
            np.insert(self.doc_rows, where, other.doc_rows + len(self.keys)),
            np.insert(self.tfs, where, other.tfs),
            np.concatenate([self.doc_len, other.doc_len]),
            np.concatenate([self.keys, other.keys]),
            self.params,
        )

    def remove(self, keys: Sequence[int] | IntArray) -> InvertedIndex:
        """A new index without the documents whose key is in `keys`."""
        drop = np.isin(self.keys, np.asarray(keys, np.int64))
        if not drop.any():
            return self
        live = ~drop
        new_row = np.cumsum(live, dtype=np.int64) - 1
        keep = live[self.doc_rows]
        n_terms = len(self.hashes)
        term_of = np.repeat(np.arange(n_terms, dtype=np.int64), np.diff(self.indptr))
        indptr = np.zeros(n_terms + 1, np.int64)
        np.cumsum(np.bincount(term_of[keep], minlength=n_terms), out=indptr[1:])
        return InvertedIndex(
            self.hashes,
            indptr,
            new_row[self.doc_rows[keep]].astype(np.int32),
            self.tfs[keep],
            self.doc_len[live],
            self.keys[live],
            self.params,
        )

    def with_params(self, params: BM25Params) -> InvertedIndex:
        """The same postings scored with other BM25 parameters."""
        return InvertedIndex(
            self.hashes, self.indptr, self.doc_rows, self.tfs, self.doc_len, self.keys, params
        )

    # ------------------------------------------------------------------ scoring

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def n_terms(self) -> int:
        """Size of the vocabulary."""
        return len(self.hashes)

    def _impacts(self) -> FloatArray:
        """Per-posting BM25 contribution, computed once from the current corpus statistics.

        Computed in chunks so that loading a 40M-posting index never holds more than a few
        float temporaries of chunk size next to the result.
        """
        n_docs = len(self.keys)
        out = np.empty(len(self.doc_rows), np.float32)
        if n_docs == 0:
            return out
        k1, b = self.params.k1, self.params.b
        df = np.diff(self.indptr).astype(np.float64)
        term_idf = idf(n_docs, df).astype(np.float32)
        avgdl = float(self.doc_len.mean()) or 1.0
        norm = (k1 * (1 - b + b * self.doc_len.astype(np.float64) / avgdl)).astype(np.float32)
        def fill(span: tuple[int, int]) -> None:
            lo, hi = span
            tf = self.tfs[lo:hi].astype(np.float32)
            out[lo:hi] = term_idf[terms_of_range(self.indptr, lo, hi)] * weight_without_idf(
                tf, norm[self.doc_rows[lo:hi]], self.params
            )

        # numpy releases the GIL in these loops, so two threads use both cores.
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(fill, posting_chunks(len(out))))
        return out

    def term_ids(self, terms: Sequence[str]) -> list[int]:
        """Vocabulary positions of the known terms among `terms`, in order, repeats kept."""
        if not terms or len(self.hashes) == 0:
            return []
        wanted = np.fromiter((query_term_hash(t) for t in terms), np.uint64, len(terms))
        pos = np.minimum(np.searchsorted(self.hashes, wanted), len(self.hashes) - 1)
        return [int(p) for p, ok in zip(pos, self.hashes[pos] == wanted, strict=True) if ok]

    def document_frequencies(self, terms: Sequence[str]) -> list[int]:
        """How many documents contain each of `terms` (0 for unknown terms)."""
        if not terms or len(self.hashes) == 0:
            return [0] * len(terms)
        wanted = term_hashes(terms)
        pos = np.minimum(np.searchsorted(self.hashes, wanted), len(self.hashes) - 1)
        df = self.indptr[pos + 1] - self.indptr[pos]
        return [int(d) if ok else 0 for d, ok in zip(df, self.hashes[pos] == wanted, strict=True)]

    def top_k(self, terms: Sequence[str], k: int = 10) -> list[Ranked]:
        """The `k` best documents for the query terms, best first; ties keep insertion order.

        The query's posting slices are concatenated and summed per document with one
        `np.bincount` (duplicates in one pass, no shared buffer, so concurrent queries from
        several threads are safe); `argpartition` then picks the k best without a full sort.
        """
        ids = self.term_ids(terms)
        n_docs = len(self.keys)
        if not ids or k <= 0 or n_docs == 0:
            return []
        impacts = self.impacts
        slices = [(int(self.indptr[t]), int(self.indptr[t + 1])) for t in ids]
        rows = np.concatenate([self.doc_rows[lo:hi] for lo, hi in slices])
        if len(rows) == 0:
            return []
        weights = np.concatenate([impacts[lo:hi] for lo, hi in slices])
        acc = np.bincount(rows, weights=weights, minlength=n_docs)
        # Pick the best among the postings' rows rather than all documents when that is the
        # smaller array: a row appears at most once per query term, so the best k·terms
        # postings hold at least k distinct documents.
        pool = rows if len(rows) < n_docs else np.arange(n_docs)
        values = acc[pool]
        want = min(len(pool), k * len(ids) if pool is rows else k)
        top = np.argpartition(values, len(pool) - want)[len(pool) - want :]
        best = np.unique(pool[top])
        best = best[acc[best] > 0]
        best = best[np.lexsort((best, -acc[best]))][:k]
        return ranked(self.keys[best], acc[best])

    def scores(self, terms: Sequence[str]) -> FloatArray:
        """Dense scores of every document, in row order (for tests and evaluation)."""
        out = np.zeros(len(self.keys), np.float32)
        for tid in self.term_ids(terms):
            lo, hi = int(self.indptr[tid]), int(self.indptr[tid + 1])
            out[self.doc_rows[lo:hi]] += self.impacts[lo:hi]
        return out

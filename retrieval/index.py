"""BM25 over an inverted index held in numpy arrays: build, add, remove, score, top-k, persist.

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

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class BM25Params:
    """BM25's two knobs: term-frequency saturation `k1` and length normalization `b`.

    b = 0.5 rather than the textbook 0.75: passages are already length-bounded, and on the
    news dev set the weaker length penalty measured better (README, "Answer quality").
    """

    k1: float = 1.2
    b: float = 0.5


@dataclass(frozen=True)
class Ranked:
    """One scored document: its caller-given key and its BM25 score."""

    key: int
    score: float


def idf(n_docs: int, df: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The always-positive BM25 idf (see module docstring)."""
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))


class InvertedIndex:
    """Postings sorted by term, then by document, with precomputed BM25 impacts.

    Documents are identified by caller-chosen integer keys (the store's passage ids); inside
    the index they are rows 0..N-1 in insertion order. Instances are never mutated after
    construction: `add` and `remove` return a new index, so a reader holding the old one keeps
    a consistent view while a new one is built (this is how reindex avoids blocking answers).
    """

    def __init__(
        self,
        terms: list[str],
        indptr: IntArray,
        doc_rows: Int32Array,
        tfs: npt.NDArray[np.uint16],
        doc_len: Int32Array,
        keys: IntArray,
        params: BM25Params = BM25Params(),
    ) -> None:
        self.terms = terms
        self.vocab = {t: i for i, t in enumerate(terms)}
        self.indptr = indptr
        self.doc_rows = doc_rows
        self.tfs = tfs
        self.doc_len = doc_len
        self.keys = keys
        self.params = params
        self._local = threading.local()
        self.impacts = self._impacts()

    # ------------------------------------------------------------------ construction

    @classmethod
    def empty(cls, params: BM25Params = BM25Params()) -> InvertedIndex:
        """An index with no documents."""
        return cls(
            [],
            np.zeros(1, np.int64),
            np.zeros(0, np.int32),
            np.zeros(0, np.uint16),
            np.zeros(0, np.int32),
            np.zeros(0, np.int64),
            params,
        )

    @classmethod
    def build(
        cls,
        docs: Sequence[tuple[int, Sequence[str]]],
        params: BM25Params = BM25Params(),
        terms: list[str] | None = None,
    ) -> InvertedIndex:
        """Index `(key, tokens)` pairs; `terms` seeds the vocabulary (ids kept stable)."""
        vocab_terms = list(terms) if terms is not None else []
        vocab = {t: i for i, t in enumerate(vocab_terms)}
        lengths = np.fromiter((len(toks) for _, toks in docs), np.int64, len(docs))
        flat = np.empty(int(lengths.sum()), np.int64)
        pos = 0
        for _, toks in docs:
            for tok in toks:
                tid = vocab.get(tok)
                if tid is None:
                    tid = vocab[tok] = len(vocab_terms)
                    vocab_terms.append(tok)
                flat[pos] = tid
                pos += 1
        n_docs = len(docs)
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        pair = flat * max(n_docs, 1) + rows
        uniq, counts = np.unique(pair, return_counts=True)
        term_of = uniq // max(n_docs, 1)
        doc_rows = (uniq % max(n_docs, 1)).astype(np.int32)
        indptr = np.zeros(len(vocab_terms) + 1, np.int64)
        np.cumsum(np.bincount(term_of, minlength=len(vocab_terms)), out=indptr[1:])
        keys = np.fromiter((k for k, _ in docs), np.int64, n_docs)
        tfs = np.minimum(counts, np.iinfo(np.uint16).max).astype(np.uint16)
        return cls(vocab_terms, indptr, doc_rows, tfs, lengths.astype(np.int32), keys, params)

    def add(self, docs: Sequence[tuple[int, Sequence[str]]]) -> InvertedIndex:
        """A new index with `docs` appended (their rows follow the existing ones).

        Only the new documents are tokenized-to-ids and sorted; their postings are spliced
        into the existing term-sorted arrays with one `np.insert`, so adding a hundred
        articles to a 300k-passage index costs a copy of the arrays, not a rebuild.
        """
        if not docs:
            return self
        small = InvertedIndex.build(docs, self.params, terms=self.terms)
        n_old = len(self.keys)
        n_terms = len(small.terms)
        old_indptr = np.concatenate(
            [self.indptr, np.full(n_terms - len(self.terms), self.indptr[-1], np.int64)]
        )
        small_counts = np.diff(small.indptr)
        small_terms = np.repeat(np.arange(n_terms, dtype=np.int64), small_counts)
        at = old_indptr[small_terms + 1]
        doc_rows = np.insert(self.doc_rows, at, small.doc_rows + n_old)
        tfs = np.insert(self.tfs, at, small.tfs)
        indptr = old_indptr + np.concatenate([[0], np.cumsum(small_counts)])
        return InvertedIndex(
            small.terms,
            indptr,
            doc_rows.astype(np.int32),
            tfs,
            np.concatenate([self.doc_len, small.doc_len]),
            np.concatenate([self.keys, small.keys]),
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
        n_terms = len(self.terms)
        term_of = np.repeat(np.arange(n_terms, dtype=np.int64), np.diff(self.indptr))
        indptr = np.zeros(n_terms + 1, np.int64)
        np.cumsum(np.bincount(term_of[keep], minlength=n_terms), out=indptr[1:])
        return InvertedIndex(
            self.terms,
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
            self.terms, self.indptr, self.doc_rows, self.tfs, self.doc_len, self.keys, params
        )

    # ------------------------------------------------------------------ scoring

    def __len__(self) -> int:
        return len(self.keys)

    def _impacts(self) -> FloatArray:
        """Per-posting BM25 contribution, computed once from the current corpus statistics."""
        n_docs = len(self.keys)
        if n_docs == 0:
            return np.zeros(0, np.float32)
        k1, b = self.params.k1, self.params.b
        df = np.diff(self.indptr).astype(np.float64)
        term_idf = idf(n_docs, df)
        avgdl = float(self.doc_len.mean()) or 1.0
        norm = (k1 * (1 - b + b * self.doc_len.astype(np.float64) / avgdl)).astype(np.float32)
        tf = self.tfs.astype(np.float32)
        per_term = np.repeat(term_idf.astype(np.float32), np.diff(self.indptr))
        out: FloatArray = per_term * tf * np.float32(k1 + 1) / (tf + norm[self.doc_rows])
        return out

    def term_ids(self, terms: Sequence[str]) -> list[int]:
        """Vocabulary ids of the known terms among `terms` (unknown terms score nothing)."""
        return [i for i in (self.vocab.get(t) for t in terms) if i is not None]

    def _buffer(self) -> FloatArray:
        """A per-thread zeroed accumulator, reused across queries to avoid reallocation."""
        buf: FloatArray | None = getattr(self._local, "acc", None)
        if buf is None or len(buf) != len(self.keys):
            buf = np.zeros(len(self.keys), np.float32)
            self._local.acc = buf
        return buf

    def top_k(self, terms: Sequence[str], k: int = 10) -> list[Ranked]:
        """The `k` best documents for the query terms, best first; ties keep insertion order."""
        ids = self.term_ids(terms)
        if not ids or k <= 0 or len(self.keys) == 0:
            return []
        acc = self._buffer()
        touched_parts = []
        for tid in ids:
            lo, hi = int(self.indptr[tid]), int(self.indptr[tid + 1])
            rows = self.doc_rows[lo:hi]
            acc[rows] += self.impacts[lo:hi]
            touched_parts.append(rows)
        touched = np.concatenate(touched_parts)
        scores = acc[touched]
        acc[touched] = 0.0
        if len(ids) > 1:
            touched, first = np.unique(touched, return_index=True)
            scores = scores[first]
        take = min(k, len(touched))
        best = np.argpartition(-scores, take - 1)[:take]
        order = np.lexsort((touched[best], -scores[best]))
        return [Ranked(int(self.keys[touched[best[i]]]), float(scores[best[i]])) for i in order]

    def scores(self, terms: Sequence[str]) -> FloatArray:
        """Dense scores of every document, in row order (for tests and evaluation)."""
        out = np.zeros(len(self.keys), np.float32)
        for tid in self.term_ids(terms):
            lo, hi = int(self.indptr[tid]), int(self.indptr[tid + 1])
            out[self.doc_rows[lo:hi]] += self.impacts[lo:hi]
        return out

    # ------------------------------------------------------------------ persistence

    def to_blobs(self) -> dict[str, bytes]:
        """Plain arrays (`.npy` bytes) and the vocabulary (one term per line, UTF-8)."""
        blobs = {"terms": "\n".join(self.terms).encode("utf-8")}
        for name in ("indptr", "doc_rows", "tfs", "doc_len", "keys"):
            buf = io.BytesIO()
            np.save(buf, getattr(self, name), allow_pickle=False)
            blobs[name] = buf.getvalue()
        return blobs

    @classmethod
    def from_blobs(cls, blobs: dict[str, bytes], params: BM25Params) -> InvertedIndex:
        """Inverse of `to_blobs`."""
        raw_terms = blobs["terms"].decode("utf-8")
        terms = raw_terms.split("\n") if raw_terms else []
        arrays = {
            name: np.load(io.BytesIO(blobs[name]), allow_pickle=False)
            for name in ("indptr", "doc_rows", "tfs", "doc_len", "keys")
        }
        return cls(terms, **arrays, params=params)


"""The length-normalized term weights of a view's common terms, kept between queries.

BM25's weight of a posting is `idf · tf·(k1+1) / (tf + norm[doc])`. Everything but the idf
depends only on the posting and the view's average length, so for a given view the
`tf·(k1+1) / (tf + norm)` part of a term's postings (and their rows numbered over the view)
is the same at every query. Computing it is most of a query's work on a common term
(「中国」, 「工作」: a gather and three float operations per posting, over tens of thousands
of postings), and common terms are exactly the ones questions share. So a view keeps them,
up to a byte budget, least recently used out first. The idf is applied per query: it depends
on the df, which a view never changes, but keeping it apart keeps the cached arrays valid for
repeated terms and for any query.

A new view (after an ingest or merge) starts with an empty cache: its average length, rows and
tombstones may all differ.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import numpy.typing as npt

from retrieval.index import IntArray

F32Array = npt.NDArray[np.float32]
#: Terms with fewer postings are computed afresh at each query: cheap, and there are many.
MIN_CACHED_POSTINGS = 2048
#: Bytes of cached rows and weights one view may hold.
CACHE_BYTES = 96 << 20


class PostingCache:
    """`term -> (rows, weights without idf)`, bounded in bytes; safe across threads."""

    def __init__(
        self, budget: int = CACHE_BYTES, min_postings: int = MIN_CACHED_POSTINGS
    ) -> None:
        self._budget = budget
        #: Shorter lists are never kept: callers weigh them together instead.
        self.min_postings = min_postings
        self._size = 0
        self._entries: OrderedDict[str, tuple[IntArray, F32Array]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, term: str) -> tuple[IntArray, F32Array] | None:
        """The cached postings of `term`, or None."""
        with self._lock:
            found = self._entries.get(term)
            if found is not None:
                self._entries.move_to_end(term)
            return found

    def put(self, term: str, rows: IntArray, weights: F32Array) -> None:
        """Keep `term`'s postings when they are long enough, evicting the least recent."""
        if len(rows) < self.min_postings:
            return
        size = rows.nbytes + weights.nbytes
        if size > self._budget:
            return
        with self._lock:
            if term in self._entries:
                return
            while self._entries and self._size + size > self._budget:
                _, (old_rows, old_weights) = self._entries.popitem(last=False)
                self._size -= old_rows.nbytes + old_weights.nbytes
            self._entries[term] = (rows, weights)
            self._size += size

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._size

"""What a view of the live segments is made of: its members and their rows numbered as one.

A `Member` is one live segment with its tombstoned rows; `TermSpans` says where a query's
terms' postings are in it; `ViewRows` numbers every member's documents globally (each
segment's rows after the previous one's) with the per-document data scoring needs, so the
searches in `retrieval.segment_search` and `retrieval.segment_prune` sum all segments'
postings into one array.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from retrieval.index import BM25Params, FloatArray, IntArray
from retrieval.segment_files import Segment

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Member:
    """One live segment in a view, with its tombstoned rows."""

    generation: int
    segment: Segment
    dead_rows: IntArray
    dead: BoolArray | None  # per row, None when nothing in this segment is tombstoned
    dead_length: int
    # Tombstoned postings per term position, counted once per member: counting them means
    # reading the term's whole posting list, which pruned queries otherwise never do.
    dead_counts: dict[int, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def n_live(self) -> int:
        return self.segment.arrays.n_docs - len(self.dead_rows)


def member_of(generation: int, segment: Segment, tombstones: IntArray) -> Member:
    """`segment` as a member of a view with the tombstoned passage ids `tombstones`."""
    keys = segment.arrays.keys
    if len(tombstones) == 0 or len(keys) == 0:
        return Member(generation, segment, np.zeros(0, np.int64), None, 0)
    dead = np.isin(keys, tombstones)
    rows = np.flatnonzero(dead)
    if len(rows) == 0:
        return Member(generation, segment, rows, None, 0)
    length = int(segment.arrays.doc_len[rows].sum(dtype=np.int64))
    return Member(generation, segment, rows, dead, length)


@dataclass(frozen=True)
class TermSpans:
    """Where each query term's postings are in one member (lo == hi when absent)."""

    member: Member
    lo: IntArray
    hi: IntArray
    term: IntArray  # the term's position in the member's vocabulary (valid where lo < hi)


@dataclass(frozen=True)
class ViewRows:
    """A view's documents numbered globally: each segment's rows follow the previous one's."""

    offset: dict[int, int]  # generation -> first global row
    norm: FloatArray  # BM25 length normalization of every row under the view's avgdl
    keys: IntArray
    dead_rows: IntArray

    @cached_property
    def dead(self) -> BoolArray | None:
        """Per global row, whether it is tombstoned (None when none is)."""
        if len(self.dead_rows) == 0:
            return None
        mask = np.zeros(len(self.keys), np.bool_)
        mask[self.dead_rows] = True
        return mask

    @classmethod
    def of(cls, members: Sequence[Member], params: BM25Params, avgdl: float) -> ViewRows:
        offset, first = {}, 0
        for m in members:
            offset[m.generation] = first
            first += m.segment.arrays.n_docs
        lengths = np.concatenate(
            [np.zeros(0, np.int32), *(m.segment.arrays.doc_len for m in members)]
        ).astype(np.float64)
        k1, b = params.k1, params.b
        norm = (k1 * (1 - b + b * lengths / avgdl)).astype(np.float32)
        keys = np.concatenate([np.zeros(0, np.int64), *(m.segment.arrays.keys for m in members)])
        dead = [m.dead_rows + offset[m.generation] for m in members]
        return cls(offset, norm, keys, np.concatenate([np.zeros(0, np.int64), *dead]))

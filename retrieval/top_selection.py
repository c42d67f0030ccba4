"""Selecting the top k from a dense array of scores without sorting it: the selection step of
the exhaustive search, kept apart from how the scores are summed (`retrieval.segment_search`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from retrieval.index import IntArray

#: Documents per block when bounding the k-th best score from below (`leaders`).
_BLOCK = 64


def leaders(acc: npt.NDArray[np.float64], k: int) -> IntArray:
    """Rows of every positive score at least the k-th best in `acc`: the top k, ties kept.

    Selecting among the whole score array is the costly part once the postings are summed.
    Instead, the rows are dealt into groups of `_BLOCK` and the best score of each group is
    taken: these are scores of distinct documents, so the k-th best of them is at most the
    true k-th best score, and every document scoring that much or more is kept. Groups are
    small enough that the top documents rarely share one, so few more than k are kept for
    the exact sort.
    """
    columns = len(acc) // _BLOCK
    if columns <= k:
        floor = 0.0
    else:  # column j holds rows j, j + columns, ...: disjoint sets of distinct documents
        tops = acc[: columns * _BLOCK].reshape(_BLOCK, columns).max(axis=0)
        floor = float(np.partition(tops, columns - k)[columns - k])
    return np.flatnonzero(acc >= max(floor, np.finfo(np.float64).tiny))

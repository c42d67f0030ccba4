"""Postings of a view read out with their BM25 weights: what the exhaustive search sums.

A term's postings lie in several segments; the view numbers every segment's rows globally
(`ViewRows`), so reading a slice means turning its posting words into global rows and
`tf·(k1+1)/(tf+norm)` weights (`retrieval.index.weight_without_idf`, the one float32
formula every search path shares, so their scores are bit-identical).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from retrieval.index import BM25Params, IntArray, weight_without_idf
from retrieval.posting_words import PostingArray, rows_of, tfs_of
from retrieval.segment_view import TermSpans, ViewRows

#: One term's postings in one member: `(span, lo, hi)`.
Slice = tuple[TermSpans, int, int]


def weigh(
    view: ViewRows, params: BM25Params, slices: Sequence[Slice]
) -> tuple[IntArray, npt.NDArray[np.float32]]:
    """The postings in `slices`, in order: global rows and weights without idf."""
    rows_parts: list[IntArray] = []
    tf_parts: list[npt.NDArray[np.uint8]] = []
    for span, lo, hi in slices:
        rows, tfs = _read(view, span, span.member.segment.arrays.postings[lo:hi])
        rows_parts.append(rows)
        tf_parts.append(tfs)
    rows = np.concatenate(rows_parts) if len(rows_parts) != 1 else rows_parts[0]
    tf = np.concatenate(tf_parts).astype(np.float32)
    return rows, weight_without_idf(tf, view.norm[rows], params)


def weigh_rare(
    view: ViewRows, params: BM25Params, slices: Sequence[Slice], slice_idf: Sequence[float]
) -> tuple[IntArray, npt.NDArray[np.float32]]:
    """The postings in `slices` with their weights, idf included (`slice_idf` per slice).

    A question has a dozen rare terms over a few segments, each a short slice: gathered
    slice by slice, the fixed cost of each numpy call would be most of the work. Instead
    each segment's slices are read by one gather over their concatenated positions. The
    postings come out grouped by segment rather than by term, which changes no score: the
    exhaustive search sums float32 weights in float64, exactly, whatever their order.
    """
    lo = np.array([s[1] for s in slices], np.int64)
    lengths = np.array([s[2] for s in slices], np.int64) - lo
    idfs = np.array(slice_idf, np.float32)
    owner = np.array([id(s[0].member) for s in slices])
    rows_parts: list[IntArray] = []
    tf_parts: list[npt.NDArray[np.uint8]] = []
    idf_parts: list[npt.NDArray[np.float32]] = []
    for member in dict.fromkeys(owner.tolist()):
        mine = np.flatnonzero(owner == member)
        span = slices[int(mine[0])][0]
        size = lengths[mine]
        # Positions lo, lo+1, ..., hi-1 of every slice, one after the other.
        starts = np.repeat(lo[mine] - np.cumsum(size) + size, size)
        words = span.member.segment.arrays.postings[starts + np.arange(int(size.sum()))]
        rows, tfs = _read(view, span, words)
        rows_parts.append(rows)
        tf_parts.append(tfs)
        idf_parts.append(np.repeat(idfs[mine], size))
    rows = np.concatenate(rows_parts)
    tf = np.concatenate(tf_parts).astype(np.float32)
    weights = np.concatenate(idf_parts) * weight_without_idf(tf, view.norm[rows], params)
    return rows, weights


def _read(
    view: ViewRows, span: TermSpans, words: PostingArray
) -> tuple[IntArray, npt.NDArray[np.uint8]]:
    """The global rows and the tfs of posting words read from `span`'s member."""
    rows = rows_of(words)  # a new int64 array: shifted in place
    shift = view.offset[span.member.generation]
    if shift:
        rows += shift
    return rows, tfs_of(words)

"""Posting words: a posting's document row and term frequency packed into one integer.

Why one word per posting: a posting is what the index holds hundreds of millions of, and a tf
fits in 8 bits (`InvertedIndex` caps it at 255) next to a row number below 2^24, so the word a
row number needs anyway carries the tf too (a separate tf array cost a fifth more). Rows stay
in the high bits, so a term's words are sorted like its rows and a row is found by binary
search.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.index import IntArray, TfArray

#: Bits of a posting word that hold the tf (the row is the rest).
TF_BITS = 8
_TF_MASK = (1 << TF_BITS) - 1
#: Posting words, row << TF_BITS | tf (uint32 or uint64).
PostingArray = npt.NDArray[np.unsignedinteger[Any]]


def posting_dtype(n_docs: int) -> np.dtype[Any]:
    """The posting word type of a segment of `n_docs` documents."""
    return np.dtype(np.uint32 if n_docs <= 1 << (32 - TF_BITS) else np.uint64)


def pack(rows: npt.NDArray[np.integer[Any]], tfs: TfArray, n_docs: int) -> PostingArray:
    """Posting words of local `rows` and their tfs, for a segment of `n_docs` documents."""
    dtype = posting_dtype(n_docs)
    words: PostingArray = np.left_shift(rows.astype(dtype), dtype.type(TF_BITS))
    words |= tfs.astype(dtype)
    return words


def rows_of(words: PostingArray) -> IntArray:
    """The local document rows of posting words."""
    return np.right_shift(words, words.dtype.type(TF_BITS)).astype(np.int64)


def tfs_of(words: PostingArray) -> TfArray:
    """The term frequencies of posting words."""
    return np.bitwise_and(words, words.dtype.type(_TF_MASK)).astype(np.uint8)


def words_of_rows(rows: npt.NDArray[np.integer[Any]], words: PostingArray) -> PostingArray:
    """The smallest posting word of each row (tf 0), of `words`' type: where a binary search
    for a row in a sorted list of posting words lands on it."""
    dtype = words.dtype
    return np.left_shift(rows.astype(dtype), dtype.type(TF_BITS))

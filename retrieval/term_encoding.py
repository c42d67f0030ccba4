"""Terms as the index knows them: stable 64-bit hashes, and a chunk of documents encoded as
term-sorted postings.

The tokenizing workers of an ingest call `encode` on their chunk (hashing in parallel, in the
workers); `retrieval.index` combines the chunks into an index, and every query looks its terms
up by the same hashes (`query_term_hash`).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the array types are named in retrieval.index, which imports this module
    from retrieval.index import HashArray, Int32Array, IntArray, TfArray


def _term_hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


#: One query term's hash, cached: questions share most of their terms and bigrams.
query_term_hash = lru_cache(maxsize=1 << 16)(_term_hash)


def _hashes_of(terms: Iterable[str]) -> HashArray:
    """`term_hashes` in bulk: the digests joined and read as one array (an ingest hashes
    hundreds of thousands of distinct terms per chunk, most of them once)."""
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(t.encode("utf-8"), digest_size=8).digest() for t in terms])
    return np.frombuffer(digests, "<u8").astype(np.uint64)


def term_hashes(terms: Iterable[str]) -> HashArray:
    """Stable 64-bit identities of terms (BLAKE2b), the index's vocabulary keys.

    Keeping a sorted hash array instead of a Python dict of terms saves ~300 MB at 2M terms
    and makes loading an index a matter of reading arrays. With 64-bit hashes the chance of
    any collision among millions of terms is below one in ten million.
    """
    return np.fromiter((_term_hash(t) for t in terms), np.uint64)


@dataclass
class EncodedDocs:
    """A chunk of documents as a small inverted index: what tokenizing workers hand back.

    Postings are sorted by term hash (`hashes`, unique within the chunk) and then by the
    document's row within the chunk, exactly like `InvertedIndex`, so chunks combine without a
    global sort. Term hashes are computed in the workers, in parallel.
    """

    hashes: HashArray
    indptr: IntArray
    rows: Int32Array
    tfs: TfArray
    lengths: Int32Array


def encode(token_lists: Sequence[Sequence[str]]) -> EncodedDocs:
    """Count each document's terms and lay the chunk out as term-sorted postings.

    The Python-level work is one dictionary look-up per token (in C, through `map`); the
    counting is a sort of (term, document) pairs, so a chunk's postings come out ordered by
    term hash and then by document, with each pair's count as its tf.
    """
    n_docs = len(token_lists)
    lengths = np.fromiter((len(t) for t in token_lists), np.int32, n_docs)
    flat = list(itertools.chain.from_iterable(token_lists))
    vocab = dict.fromkeys(flat)  # distinct terms, in order of first appearance
    number = dict(zip(vocab, range(len(vocab)), strict=True))
    local = _hashes_of(vocab)
    by_hash = np.argsort(local, kind="stable")
    position = np.empty(len(local), np.int64)
    position[by_hash] = np.arange(len(local))
    terms = position[np.fromiter(map(number.__getitem__, flat), np.int64, len(flat))]
    docs = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    pairs = np.sort(terms * max(n_docs, 1) + docs)
    starts = np.flatnonzero(np.diff(pairs, prepend=-1))
    counts = np.diff(np.append(starts, len(pairs)))
    pairs = pairs[starts]
    indptr = np.zeros(len(local) + 1, np.int64)
    np.cumsum(np.bincount(pairs // max(n_docs, 1), minlength=len(local)), out=indptr[1:])
    return EncodedDocs(
        local[by_hash],
        indptr,
        (pairs % max(n_docs, 1)).astype(np.int32),
        np.minimum(counts, 255).astype(np.uint8),
        lengths,
    )

"""The whole-index blob format of older databases: read once, to convert them to segments.

Before segments (`retrieval.segment_files`), the index was saved as one set of blobs in the
`index_blobs` table: each array of an `InvertedIndex` as raw bytes (small ones
zlib-compressed), plus a JSON header naming the format and the dtypes. `from_blobs` reads
that back so that `IndexUpkeep.convert_legacy` can write it as the first segment; `to_blobs`
writes it, which only tests use, to build the databases an older version left behind.

Document rows are stored as gaps within each posting list, most of which fit in 16 bits; the
rest are listed separately, which halved the largest array without a codec to run at start-up.
"""

from __future__ import annotations

import json
import zlib

import numpy as np
import numpy.typing as npt

from retrieval.index import BM25Params, InvertedIndex, posting_chunks, terms_of_range

#: The format the blobs were last saved in; blobs of another format are dropped (the passages
#: missing from the index are then tokenized again).
INDEX_FORMAT = "4"
_NARROW = np.iinfo(np.uint16).max
_UNCOMPRESSED = frozenset({"doc_gaps"})


def to_blobs(index: InvertedIndex) -> dict[str, bytes]:
    """The index's arrays as blobs of the last format, with its header."""
    gaps = index.doc_rows.astype(np.int32, copy=True)
    if len(gaps):
        gaps[1:] -= index.doc_rows[:-1]
        heads = index.indptr[:-1][np.diff(index.indptr) > 0]
        gaps[heads] = index.doc_rows[heads]
    wide = np.flatnonzero(gaps >= _NARROW)
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "hashes": index.hashes,
        "indptr": index.indptr,
        "doc_gaps": np.minimum(gaps, _NARROW).astype(np.uint16),
        "wide_at": wide.astype(np.int64),
        "wide_gaps": gaps[wide].astype(np.int32),
        "tfs": index.tfs,
        "doc_len": index.doc_len,
        "keys": index.keys,
    }
    header = {"format": INDEX_FORMAT, "dtypes": {k: v.dtype.str for k, v in arrays.items()}}
    blobs = {"header": json.dumps(header).encode()}
    for name, array in arrays.items():
        raw = np.ascontiguousarray(array).tobytes()
        blobs[name] = raw if name in _UNCOMPRESSED else zlib.compress(raw, 1)
    return blobs


def from_blobs(blobs: dict[str, bytes], params: BM25Params) -> InvertedIndex | None:
    """Inverse of `to_blobs`; None when the blobs are of another format (rebuild then).

    Arrays are read straight from the stored bytes, and the gap decoding runs in place in
    int32 (wrap-around arithmetic is exact here because every true row number fits in 31
    bits), so loading needs little memory beyond the index itself.
    """
    try:
        header = json.loads(blobs["header"])
    except (KeyError, ValueError):
        return None
    if header.get("format") != INDEX_FORMAT:
        return None
    dtypes: dict[str, str] = header["dtypes"]

    def array(name: str) -> npt.NDArray[np.generic]:
        raw = blobs[name] if name in _UNCOMPRESSED else zlib.decompress(blobs[name])
        return np.frombuffer(raw, dtype=np.dtype(dtypes[name]))

    indptr = array("indptr").astype(np.int64)
    gaps = array("doc_gaps").astype(np.int32)
    gaps[array("wide_at")] = array("wide_gaps")
    doc_rows = np.cumsum(gaps, dtype=np.int32, out=gaps)
    # Back to front, so the running sums before each chunk are still undecoded.
    for lo, hi in reversed(posting_chunks(len(doc_rows))):
        head = indptr[terms_of_range(indptr, lo, hi)]
        before = np.where(head > 0, doc_rows[np.maximum(head - 1, 0)], 0)
        doc_rows[lo:hi] -= before.astype(np.int32)
    return InvertedIndex(
        array("hashes").astype(np.uint64),
        indptr,
        doc_rows,
        array("tfs").astype(np.uint8),
        array("doc_len").astype(np.int32),
        array("keys").astype(np.int64),
        params,
    )

"""Segments as the previous format (1) wrote them, for the tests that old databases still load.

Format 1 kept each posting's row (`doc_rows.npy`, int32) and tf (`tfs.npy`, uint8) in two
arrays, with int64 offsets and passage ids and int32 lengths; the term bounds were optional.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from retrieval.index import InvertedIndex
from retrieval.segment_bounds import term_bounds
from retrieval.segment_writer import new_segment_name


def write_format_1(
    root: Path, docs: Sequence[tuple[int, Sequence[str]]], *, bounds: bool = True
) -> str:
    """Write `(passage id, terms)` pairs as a format-1 segment under `root`; its name."""
    index = InvertedIndex.build(docs)
    name = new_segment_name()
    where = root / name
    where.mkdir(parents=True)
    arrays = {
        "hashes": index.hashes.astype(np.uint64),
        "indptr": index.indptr.astype(np.int64),
        "doc_rows": index.doc_rows.astype(np.int32),
        "tfs": index.tfs.astype(np.uint8),
        "doc_len": index.doc_len.astype(np.int32),
        "keys": index.keys.astype(np.int64),
    }
    if bounds:
        words = (index.doc_rows.astype(np.uint32) << 8) | index.tfs
        arrays["max_tf"], arrays["min_len"] = term_bounds(index.indptr, words, index.doc_len)
    for field, values in arrays.items():
        np.save(where / f"{field}.npy", values)
    meta = {
        "format": "1",
        "n_docs": len(index),
        "total_length": int(index.doc_len.sum()),
        "n_postings": len(index.doc_rows),
    }
    (where / "meta.json").write_text(json.dumps(meta))
    return name


def rewrite_as_format_1(root: Path, name: str) -> None:
    """Turn the current-format segment `name` into the format-1 segment of the same content."""
    where = root / name
    words = np.load(where / "postings.npy")
    (where / "postings.npy").unlink()
    np.save(where / "doc_rows.npy", (words >> 8).astype(np.int32))
    np.save(where / "tfs.npy", (words & 255).astype(np.uint8))
    for field, dtype in (("indptr", np.int64), ("doc_len", np.int32), ("keys", np.int64),
                         ("min_len", np.int32)):
        np.save(where / f"{field}.npy", np.load(where / f"{field}.npy").astype(dtype))
    meta = json.loads((where / "meta.json").read_text())
    (where / "meta.json").write_text(json.dumps({**meta, "format": "1"}))

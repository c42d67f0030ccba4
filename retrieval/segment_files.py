"""Immutable index segments on disk: plain `.npy` arrays in a directory, memory-mapped on load.

Why segments: one index saved as a whole is rewritten by every ingest and loaded whole by every
process, and two processes saving it overwrite each other. A segment is written once by the
ingest that created it and never changed; a reader maps its arrays (no copy, no decoding), so a
fresh process answers after reading a few small headers and a second process can add segments
without touching anyone else's.

Layout, beside the database `news.db`:

    news.db.segments/
        seg-<time>-<pid>-<random>/      one live segment (name recorded in the registry)
            meta.json                   format, document count, total length, posting count
            hashes.npy   uint64[T]      sorted term hashes (`retrieval.index.term_hashes`)
            indptr.npy   int64[T+1]     posting list boundaries per term
            doc_rows.npy int32[P]       local document number of each posting (ascending per term)
            tfs.npy      uint8[P]       term frequency of each posting
            doc_len.npy  int32[D]       tokens per document (for BM25 length normalization)
            keys.npy     int64[D]       the store's passage id of each document
            max_tf.npy   uint8[T]       (optional) largest tf in each term's postings
            min_len.npy  int32[T]       (optional) shortest document among each term's postings
        .tmp-<same name>/               a segment being written (never read, removed if stale)

A segment is written into `.tmp-<name>`, every file and the directory are fsynced, and only
then is it renamed to `<name>`: a crash leaves either nothing or a complete segment, never a
half one under a live name. Scores are not stored: BM25 needs the *global* statistics
(document count, df, average length over all live segments), which change with every ingest,
so `retrieval.segment_search` computes term weights at query time from `tfs` and `doc_len`.
What is stored instead is what bounds a term's weight under any statistics: its largest tf and
its shortest document (a BM25 weight grows with tf and shrinks with length), so a query can
skip postings that cannot reach the top k (`retrieval.segment_prune`). These two arrays were
added after format 1 without changing it: `SegmentWriter.commit` derives them when a writer did
not put them, and a segment written without them loads with `max_tf`/`min_len` None.

Registry (to be kept by the store; the SQL lives there, this module only handles files):

    CREATE TABLE segments (
        generation INTEGER PRIMARY KEY AUTOINCREMENT,  -- also orders documents for tie-breaks
        name TEXT NOT NULL UNIQUE,                      -- the directory name above
        n_docs INTEGER NOT NULL, total_length INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('live', 'retired')),
        created REAL NOT NULL, retired REAL);
    CREATE TABLE tombstones (passage_id INTEGER PRIMARY KEY);
    -- a counter readers poll: bumped by every transaction that changes the two tables
    CREATE TABLE index_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER);

* An ingest tokenizes outside any transaction, then, holding the write transaction
  (BEGIN IMMEDIATE), calls `retrieval.segment_writer.write_segment` and inserts the
  articles, passages and the segment row and bumps `index_state` in that same transaction.
  Writing the directory inside the write transaction is what makes orphan removal safe:
  whenever no write transaction is open, every segment directory is either registered or an
  orphan.
* Replacing or deleting an article inserts its old passage ids into `tombstones` in the
  transaction that removes the passages. Passage ids must never be reused (AUTOINCREMENT),
  since a tombstone names a passage id, not a (segment, row).
* A merge (`retrieval.segment_merge`) reads live segments and the tombstones, writes the
  merged segment outside any transaction, then in one transaction: checks its inputs are still
  live, registers the result, marks the inputs 'retired', deletes the tombstones it applied
  (those recorded meanwhile stay and still apply to the merged segment, which holds the same
  passage ids), bumps the counter. If the inputs changed it removes its output and gives up.
* Readers compare `index_state.generation` before each question; when it moved they read the
  live `(generation, name)` rows and the tombstones and call `SegmentSet.refresh`, which maps
  only the new segments. A retired directory is deleted by a writer once it has been retired
  for longer than a reader takes to refresh (a minute, say); a reader that still has it mapped
  keeps working (POSIX keeps unlinked mapped files), and a reader that finds a live segment
  missing re-reads the registry.
* On open the writer, inside a write transaction, calls `remove_orphans` with the names of all
  registered segments (live and retired): directories of crashed writes are deleted.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.index import (
    EncodedDocs,
    HashArray,
    Int32Array,
    IntArray,
    InvertedIndex,
    TfArray,
    encode,
)

#: Written to meta.json; a segment of another format is refused with a clear error.
SEGMENT_FORMAT = "1"
#: Prefix of a segment directory still being written.
TMP_PREFIX = ".tmp-"
#: Every segment array and its dtype.
DTYPES: dict[str, type[np.generic]] = {
    "hashes": np.uint64,
    "indptr": np.int64,
    "doc_rows": np.int32,
    "tfs": np.uint8,
    "doc_len": np.int32,
    "keys": np.int64,
}
#: Optional per-term bounds (see module docstring), derived by `commit` when not written.
BOUND_DTYPES: dict[str, type[np.generic]] = {"max_tf": np.uint8, "min_len": np.int32}
_BOUND_CHUNK = 1 << 22  # postings per step when deriving the bounds


class SegmentError(Exception):
    """A segment directory is missing, incomplete or of another format (message names it)."""


@dataclass(frozen=True)
class SegmentInfo:
    """What the registry records about a written segment."""

    name: str
    n_docs: int
    total_length: int
    n_postings: int


@dataclass(frozen=True)
class SegmentArrays:
    """A segment's postings: term-sorted lists of (local row, tf), plus per-document data."""

    hashes: HashArray
    indptr: IntArray
    doc_rows: Int32Array
    tfs: TfArray
    doc_len: Int32Array
    keys: IntArray
    max_tf: TfArray | None = None  # per term; None for a segment written without bounds
    min_len: Int32Array | None = None

    @property
    def n_docs(self) -> int:
        return len(self.keys)


def term_bounds(
    indptr: IntArray, doc_rows: Int32Array, tfs: TfArray, doc_len: Int32Array
) -> tuple[TfArray, Int32Array]:
    """Each term's largest tf and shortest document, in steps of whole terms.

    Works chunk by chunk on (possibly memory-mapped) arrays, so deriving the bounds of a large
    merged segment needs memory for one chunk of postings.
    """
    n_terms = len(indptr) - 1
    max_tf = np.zeros(n_terms, np.uint8)
    min_len = np.zeros(n_terms, np.int32)
    first = 0
    while first < n_terms:
        # Whole terms from `first` whose postings end within one chunk (at least one term).
        last = int(np.searchsorted(indptr, indptr[first] + _BOUND_CHUNK, side="right")) - 1
        last = min(max(last, first + 1), n_terms)
        lo, hi = int(indptr[first]), int(indptr[last])
        starts = indptr[first:last] - lo
        filled = np.flatnonzero(np.diff(indptr[first : last + 1]))  # terms with postings
        if len(filled):
            at = starts[filled]
            rows = np.asarray(doc_rows[lo:hi])
            max_tf[first + filled] = np.maximum.reduceat(np.asarray(tfs[lo:hi]), at)
            min_len[first + filled] = np.minimum.reduceat(np.asarray(doc_len)[rows], at)
        first = last
    return max_tf, min_len


@dataclass(frozen=True)
class Segment:
    """A loaded segment: its name and memory-mapped, read-only arrays."""

    name: str
    arrays: SegmentArrays
    total_length: int


def build_arrays(keys: IntArray, chunks: Sequence[EncodedDocs]) -> SegmentArrays:
    """Segment arrays of documents encoded chunk by chunk (`keys` in chunk order), in memory.

    This is what an ingest's tokenizing workers already produce, combined the same way the
    single index does it.
    """
    index = InvertedIndex.from_encoded(keys, chunks)
    return SegmentArrays(
        index.hashes, index.indptr, index.doc_rows, index.tfs, index.doc_len, index.keys
    )


def arrays_of_docs(docs: Sequence[tuple[int, Sequence[str]]]) -> SegmentArrays:
    """Segment arrays of `(passage id, terms)` pairs."""
    keys = np.fromiter((k for k, _ in docs), np.int64, len(docs))
    return build_arrays(keys, [encode([terms for _, terms in docs])])


def segments_dir(database: Path) -> Path:
    """Where the segments of `database` live: `<database>.segments` beside it."""
    return database.with_name(database.name + ".segments")


def data_offset(path: Path) -> int:
    """Where the data of the `.npy` file `path` starts (after its header)."""
    with path.open("rb") as f:
        major, _ = np.lib.format.read_magic(f)
        if major == 1:
            np.lib.format.read_array_header_1_0(f)
        else:
            np.lib.format.read_array_header_2_0(f)
        return f.tell()


def read_range(root: Path, segment: Segment, field: str, lo: int, hi: int) -> npt.NDArray[Any]:
    """Elements `lo:hi` of one of a segment's arrays, read from its file.

    For merges, which read every posting once: pages read through the mapping would stay
    resident in the merging process (a large merge would look as big as its inputs), while
    a plain read leaves them to the OS page cache.
    """
    dtype = np.dtype(DTYPES[field])
    path = root / segment.name / f"{field}.npy"
    offset = data_offset(path) + lo * dtype.itemsize
    return np.fromfile(path, dtype=dtype, count=hi - lo, offset=offset)


def _map(path: Path) -> npt.NDArray[np.generic]:
    """The array in `path`, mapped read-only, as a plain ndarray view of the mapping.

    The view matters for speed: every operation on an `np.memmap` subclass instance pays
    several microseconds of subclass bookkeeping, and a query does hundreds of them.
    """
    try:
        array: npt.NDArray[np.generic] = np.asarray(
            np.load(path, mmap_mode="r", allow_pickle=False)
        )
    except ValueError:  # older numpy cannot map an empty array; it costs nothing to read
        array = np.load(path, allow_pickle=False)
        array.setflags(write=False)
    return array


def load_segment(root: Path, name: str) -> Segment:
    """Map the segment `name` read-only; SegmentError when it is missing or malformed."""
    where = root / name
    try:
        meta = json.loads((where / "meta.json").read_text())
    except FileNotFoundError as exc:
        raise SegmentError(f"{where}: segment missing (meta.json not found)") from exc
    except (OSError, ValueError) as exc:
        raise SegmentError(f"{where}/meta.json: unreadable: {exc}") from exc
    if not isinstance(meta, dict) or meta.get("format") != SEGMENT_FORMAT:
        raise SegmentError(f"{where}: segment format is not {SEGMENT_FORMAT}")
    fields: dict[str, npt.NDArray[np.generic]] = {}
    for field, dtype in DTYPES.items():
        try:
            fields[field] = _map(where / f"{field}.npy")
        except (OSError, ValueError) as exc:
            raise SegmentError(f"{where}/{field}.npy: unreadable: {exc}") from exc
        if fields[field].dtype != dtype or fields[field].ndim != 1:
            raise SegmentError(f"{where}/{field}.npy: not a 1-d {np.dtype(dtype)} array")
    n_terms, n_docs = len(fields["hashes"]), len(fields["keys"])
    if (
        len(fields["indptr"]) != n_terms + 1
        or len(fields["doc_len"]) != n_docs
        or n_docs != meta.get("n_docs")
        or len(fields["doc_rows"]) != len(fields["tfs"])
        or len(fields["tfs"]) != int(fields["indptr"][-1])
    ):
        raise SegmentError(f"{where}: array sizes disagree with each other or meta.json")
    for field, dtype in BOUND_DTYPES.items():
        path = where / f"{field}.npy"
        if not path.exists():  # written before the bounds were added: search without them
            continue
        try:
            fields[field] = _map(path)
        except (OSError, ValueError) as exc:
            raise SegmentError(f"{path}: unreadable: {exc}") from exc
        if fields[field].dtype != dtype or fields[field].shape != (n_terms,):
            raise SegmentError(f"{path}: not a {np.dtype(dtype)} array of one value per term")
    arrays = SegmentArrays(**fields)  # type: ignore[arg-type]
    return Segment(name, arrays, int(meta["total_length"]))


def remove_segment(root: Path, name: str) -> None:
    """Delete a retired segment's directory (readers that mapped it keep their mapping)."""
    shutil.rmtree(root / name, ignore_errors=True)


def remove_orphans(root: Path, known: Collection[str], older_than_s: float = 0.0) -> list[str]:
    """Delete segment and temporary directories under `root` whose name is not in `known`.

    Call it while holding the write transaction (see module docstring), so no other writer is
    between writing its segment and registering it. `older_than_s` spares directories modified
    more recently than that, for callers that cannot hold the lock. Returns the names removed.
    """
    if not root.is_dir():
        return []
    known = set(known)
    removed = []
    cutoff = time.time() - older_than_s
    for entry in root.iterdir():
        name = entry.name.removeprefix(TMP_PREFIX)
        if not entry.is_dir() or (name in known and not entry.name.startswith(TMP_PREFIX)):
            continue
        if older_than_s and entry.stat().st_mtime > cutoff:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    return sorted(removed)

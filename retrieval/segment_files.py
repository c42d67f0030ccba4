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
            hashes.npy   uint64[T]      sorted term hashes (`retrieval.term_encoding.term_hashes`)
            indptr.npy   uint32[T+1]    posting list boundaries per term (int64 from 2^32 postings)
            postings.npy uint32[P]      row << 8 | tf: each posting's local document number
                                        (ascending per term) and term frequency, in one word
                                        (uint64 from 2^24 documents)
            doc_len.npy  uint16[D]      tokens per document, for BM25 length normalization
                                        (int32 when a document has 2^16 tokens or more)
            keys.npy     uint32[D]      the store's passage id of each document (int64 from 2^32)
            max_tf.npy   uint8[T]       largest tf in each term's postings
            min_len.npy  uint16[T]      shortest document among each term's postings (as doc_len)
            window_*.npy                the same two per window of rows, for the long lists
                                        (`retrieval.segment_bounds`)
        .tmp-<same name>/               a segment being written (never read, removed if stale)

Posting words (`row << 8 | tf`) are described in `retrieval.posting_words`. Every other array
takes the narrowest of its two types that holds its values (a segment's writer picks; a reader
accepts either), so a small database pays for wide offsets and ids only once it needs them.

Format 1 (before the packing) kept rows in `doc_rows.npy` (int32) and tfs in `tfs.npy`
(uint8), with int64 offsets and keys and int32 lengths. Such a segment still loads: its
postings are packed in memory on first use, and a process that may write the database
rewrites it in format 2 when it opens it (`IndexUpkeep.upgrade_segments`).

A segment is written into `.tmp-<name>`, every file and the directory are fsynced, and only
then is it renamed to `<name>`: a crash leaves either nothing or a complete segment, never a
half one under a live name. Scores are not stored: BM25 needs the *global* statistics
(document count, df, average length over all live segments), which change with every ingest,
so `retrieval.segment_search` computes term weights at query time from `tfs` and `doc_len`.
What is stored instead is what bounds a term's weight under any statistics: its largest tf and
its shortest document (a BM25 weight grows with tf and shrinks with length), so a query can
skip postings that cannot reach the top k (`retrieval.segment_prune`). These two arrays were
added during format 1: `SegmentWriter.commit` derives them when a writer did not put them, and
a format-1 segment written without them loads with `max_tf`/`min_len` None.

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
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.index import HashArray, Int32Array, IntArray, InvertedIndex, TfArray
from retrieval.posting_words import PostingArray, pack, rows_of, tfs_of
from retrieval.segment_bounds import WINDOW_DTYPES, WindowBounds, n_windows
from retrieval.term_encoding import EncodedDocs, encode

#: Written to meta.json.
SEGMENT_FORMAT = "2"
#: Formats a reader accepts (a segment of any other is refused with a clear error).
READABLE_FORMATS = ("1", "2")
#: Prefix of a segment directory still being written.
TMP_PREFIX = ".tmp-"
#: Every segment array and the types it may have, narrowest first (a writer picks the first
#: that holds the values).
DTYPES: dict[str, tuple[type[np.integer[Any]], ...]] = {
    "hashes": (np.uint64,),
    "indptr": (np.uint32, np.int64),
    "postings": (np.uint32, np.uint64),
    "doc_len": (np.uint16, np.int32),
    "keys": (np.uint32, np.int64),
}
#: Per-term bounds (see module docstring), derived by the writer when not written.
BOUND_DTYPES: dict[str, tuple[type[np.integer[Any]], ...]] = {
    "max_tf": (np.uint8,),
    "min_len": (np.uint16, np.int32),
}
#: The arrays of a format-1 segment and their one type each.
FORMAT_1_DTYPES: dict[str, type[np.generic]] = {
    "hashes": np.uint64,
    "indptr": np.int64,
    "doc_rows": np.int32,
    "tfs": np.uint8,
    "doc_len": np.int32,
    "keys": np.int64,
}

#: Offsets into the postings (uint32 or int64).
OffsetArray = npt.NDArray[np.integer[Any]]
#: Per-document lengths, per-term shortest lengths (uint16 or int32), passage ids.
LengthArray = npt.NDArray[np.integer[Any]]
KeyArray = npt.NDArray[np.integer[Any]]


class SegmentError(Exception):
    """A segment directory is missing, incomplete or of another format (message names it)."""


@dataclass(frozen=True)
class SegmentInfo:
    """What the registry records about a written segment."""

    name: str
    n_docs: int
    total_length: int
    n_postings: int


def fitting_dtype(field: str, values: npt.NDArray[Any]) -> np.dtype[Any]:
    """The narrowest type `field` may have that holds `values` (see `DTYPES`)."""
    choices = DTYPES.get(field) or BOUND_DTYPES.get(field) or WINDOW_DTYPES[field]
    if len(values) == 0:
        return np.dtype(choices[0])
    low, high = int(values.min()), int(values.max())
    for choice in choices:
        info = np.iinfo(choice)
        if info.min <= low and high <= info.max:
            return np.dtype(choice)
    raise ValueError(f"{field}: values {low}..{high} fit none of its types")


@dataclass(frozen=True)
class SegmentArrays:
    """A segment's postings: term-sorted lists of posting words, plus per-document data.

    `packed` holds the posting words; a format-1 segment has them as `unpacked` (rows, tfs)
    instead, and `postings` packs those in memory the first time they are asked for.
    """

    hashes: HashArray
    indptr: OffsetArray
    packed: PostingArray | None
    doc_len: LengthArray
    keys: KeyArray
    max_tf: TfArray | None = None  # per term; None for a segment written without bounds
    min_len: LengthArray | None = None
    unpacked: tuple[Int32Array, TfArray] | None = None
    #: Per-window bounds of the long lists (`retrieval.segment_bounds`); None when the
    #: segment was written without them.
    windows: WindowBounds | None = None

    @property
    def n_docs(self) -> int:
        return len(self.keys)

    @property
    def n_postings(self) -> int:
        if self.packed is not None:
            return len(self.packed)
        assert self.unpacked is not None
        return len(self.unpacked[0])

    @cached_property
    def postings(self) -> PostingArray:
        """The posting words (`row << TF_BITS | tf`), sorted by term, then row."""
        if self.packed is not None:
            return self.packed
        assert self.unpacked is not None
        rows, tfs = self.unpacked
        return pack(rows, tfs, self.n_docs)


@dataclass(frozen=True)
class Segment:
    """A loaded segment: its name and memory-mapped, read-only arrays."""

    name: str
    arrays: SegmentArrays
    total_length: int


def arrays_of_index(index: InvertedIndex, keys: IntArray | None = None) -> SegmentArrays:
    """Segment arrays of an in-memory index (`keys` in place of the index's own, if given)."""
    keys = index.keys if keys is None else keys
    return SegmentArrays(
        index.hashes,
        index.indptr,
        pack(index.doc_rows, index.tfs, len(keys)),
        index.doc_len,
        keys,
    )


def build_arrays(keys: IntArray, chunks: Sequence[EncodedDocs]) -> SegmentArrays:
    """Segment arrays of documents encoded chunk by chunk (`keys` in chunk order), in memory.

    This is what an ingest's tokenizing workers already produce, combined the same way the
    single index does it.
    """
    return arrays_of_index(InvertedIndex.from_encoded(keys, chunks))


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


def _read_file(path: Path, dtype: np.dtype[Any], lo: int, hi: int) -> npt.NDArray[Any]:
    offset = data_offset(path) + lo * dtype.itemsize
    return np.fromfile(path, dtype=dtype, count=hi - lo, offset=offset)


def read_postings(root: Path, segment: Segment, lo: int, hi: int) -> tuple[IntArray, TfArray]:
    """Rows and tfs of a segment's postings `lo:hi`, read from its files.

    For merges, which read every posting once: pages read through the mapping would stay
    resident in the merging process (a large merge would look as big as its inputs), while
    a plain read leaves them to the OS page cache. Reads either format.
    """
    where = root / segment.name
    a = segment.arrays
    if a.packed is not None:
        words = _read_file(where / "postings.npy", a.packed.dtype, lo, hi)
        return rows_of(words), tfs_of(words)
    rows = _read_file(where / "doc_rows.npy", np.dtype(np.int32), lo, hi)
    return rows.astype(np.int64), _read_file(where / "tfs.npy", np.dtype(np.uint8), lo, hi)


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


def _map_field(where: Path, field: str, dtypes: Sequence[type[np.generic]]) -> npt.NDArray[Any]:
    path = where / f"{field}.npy"
    try:
        array = _map(path)
    except (OSError, ValueError) as exc:
        raise SegmentError(f"{path}: unreadable: {exc}") from exc
    if array.dtype not in [np.dtype(d) for d in dtypes] or array.ndim != 1:
        names = " or ".join(str(np.dtype(d)) for d in dtypes)
        raise SegmentError(f"{path}: not a 1-d {names} array")
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
    if not isinstance(meta, dict) or meta.get("format") not in READABLE_FORMATS:
        raise SegmentError(f"{where}: segment format is not one of {', '.join(READABLE_FORMATS)}")
    fields: dict[str, Any] = {}
    if meta["format"] == "1":
        for field, dtype in FORMAT_1_DTYPES.items():
            fields[field] = _map_field(where, field, (dtype,))
        unpacked = (fields.pop("doc_rows"), fields.pop("tfs"))
        fields["packed"], fields["unpacked"] = None, unpacked
        n_postings = len(unpacked[0]) if len(unpacked[0]) == len(unpacked[1]) else -1
    else:
        for field, dtypes in DTYPES.items():
            fields[field if field != "postings" else "packed"] = _map_field(where, field, dtypes)
        n_postings = len(fields["packed"])
    n_terms, n_docs = len(fields["hashes"]), len(fields["keys"])
    if (
        len(fields["indptr"]) != n_terms + 1
        or len(fields["doc_len"]) != n_docs
        or n_docs != meta.get("n_docs")
        or n_postings != int(fields["indptr"][-1])
    ):
        raise SegmentError(f"{where}: array sizes disagree with each other or meta.json")
    for field, dtypes in BOUND_DTYPES.items():
        path = where / f"{field}.npy"
        if meta["format"] == "1":
            if not path.exists():  # written before the bounds: searched without them
                continue
            dtypes = (np.uint8,) if field == "max_tf" else (np.int32,)
        fields[field] = _map_field(where, field, dtypes)
        if len(fields[field]) != n_terms:
            names = " or ".join(str(np.dtype(d)) for d in dtypes)
            raise SegmentError(f"{path}: not a {names} array of one value per term")
    if (where / "window_weight.npy").exists():
        fields["windows"] = _load_windows(where, meta, n_terms, n_docs)
    return Segment(name, SegmentArrays(**fields), int(meta["total_length"]))


def _load_windows(where: Path, meta: dict[str, Any], n_terms: int, n_docs: int) -> WindowBounds:
    """The per-window bounds of the segment in `where`; SegmentError when malformed."""
    rows = meta.get("window_rows")
    k1, b, avgdl = (_number(meta.get(f"window_{key}")) for key in ("k1", "b", "avgdl"))
    if not isinstance(rows, int) or isinstance(rows, bool) or rows <= 0 or (
        k1 is None or b is None or avgdl is None
    ):
        raise SegmentError(f"{where}/meta.json: window bounds without their window_* settings")
    terms, weight = (_map_field(where, field, dtypes) for field, dtypes in WINDOW_DTYPES.items())
    if len(weight) != len(terms) * n_windows(n_docs, rows) or (
        len(terms) and terms[-1] >= n_terms
    ):
        raise SegmentError(f"{where}: window bounds disagree with the segment's size")
    return WindowBounds(rows, terms, weight, k1, b, avgdl)


def _number(value: object) -> float | None:
    """`value` as a float when meta.json holds a number there, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


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

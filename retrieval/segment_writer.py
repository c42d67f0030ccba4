"""Writing segments (layout and rules in `retrieval.segment_files`): a temporary directory,
arrays put whole or streamed in order, fsync, then one rename that publishes the segment.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from retrieval.segment_bounds import WINDOW_DTYPES, WindowBounds, term_bounds, window_bounds
from retrieval.segment_files import (
    BOUND_DTYPES,
    DTYPES,
    SEGMENT_FORMAT,
    TMP_PREFIX,
    SegmentArrays,
    SegmentInfo,
    data_offset,
    fitting_dtype,
)


def new_segment_name() -> str:
    """A name no other process picks: time, process id and random bits."""
    return f"seg-{time.time_ns():x}-{os.getpid()}-{secrets.token_hex(4)}"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ArrayStream:
    """An output array written front to back in pieces, through the file.

    A merge writes its postings this way, in term order: what it wrote leaves the process's
    memory (a mapped output array would keep every page it filled resident until the end).
    """

    def __init__(self, path: Path, dtype: np.dtype[Any], length: int) -> None:
        created = np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=(length,))
        del created  # only the header and the file's size were wanted
        self.dtype = np.dtype(dtype)
        self.length = length
        self.written = 0
        self._file = path.open("r+b")
        self._file.seek(data_offset(path))

    def write(self, values: npt.NDArray[Any]) -> None:
        """Append `values` (converted to the array's dtype)."""
        if self.written + len(values) > self.length:
            raise ValueError(f"{self._file.name}: more values than the array holds")
        self._file.write(np.ascontiguousarray(values, self.dtype).tobytes())
        self.written += len(values)

    def close(self) -> None:
        """Flush and close; raises ValueError when the array was not filled."""
        if not self._file.closed:
            self._file.close()
        if self.written != self.length:
            raise ValueError(f"{self._file.name}: {self.written} of {self.length} values written")


class SegmentWriter:
    """Arrays of one new segment, created in a temporary directory and published by `commit`.

    `put` writes a whole array and `stream` hands out a file written front to back, so a
    large merge writes its postings to disk instead of holding them in memory.
    """

    def __init__(self, root: Path) -> None:
        self.name = new_segment_name()
        self.root = root
        self.tmp = root / (TMP_PREFIX + self.name)
        root.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir()
        self._arrays: dict[str, np.memmap[Any, Any]] = {}
        self._streams: dict[str, ArrayStream] = {}
        self._window_meta: dict[str, float] = {}

    def stream(self, field: str, length: int, dtype: np.dtype[Any]) -> ArrayStream:
        """An output array for `field`, of `dtype` (one of the field's types), written in
        order, piece by piece (see `ArrayStream`).

        A segment with streamed postings must `put` its term and window bounds too: deriving
        them would read the postings back.
        """
        if dtype not in [np.dtype(d) for d in DTYPES[field]]:
            raise ValueError(f"{field}: {dtype} is not one of its types")
        out = ArrayStream(self.tmp / f"{field}.npy", dtype, length)
        self._streams[field] = out
        return out

    def put(self, field: str, values: npt.NDArray[Any]) -> None:
        """Write a whole array for `field` (one of the layout's names), in the narrowest of
        the field's types that holds the values."""
        out = np.lib.format.open_memmap(
            self.tmp / f"{field}.npy",
            mode="w+",
            dtype=fitting_dtype(field, values),
            shape=(len(values),),
        )
        out[:] = values
        self._arrays[field] = out

    def put_windows(self, bounds: WindowBounds) -> None:
        """Write the per-window bounds (`retrieval.segment_bounds`)."""
        self._window_meta = bounds.meta()
        self.put("window_terms", bounds.terms)
        self.put("window_weight", bounds.weight)

    def commit(self) -> SegmentInfo:
        """Flush, fsync and rename into place; returns what the registry records."""
        missing = set(DTYPES) - set(self._arrays) - set(self._streams)
        if missing:
            raise ValueError(f"segment {self.name}: arrays not written: {sorted(missing)}")
        for stream in self._streams.values():
            stream.close()
        if self._streams and not set(BOUND_DTYPES) <= set(self._arrays):
            raise ValueError(f"segment {self.name}: streamed postings need their term bounds")
        if self._streams and not set(WINDOW_DTYPES) <= set(self._arrays):
            raise ValueError(f"segment {self.name}: streamed postings need their window bounds")
        a = self._arrays
        if not set(BOUND_DTYPES) <= set(a):
            max_tf, min_len = term_bounds(a["indptr"], a["postings"], a["doc_len"])
            self.put("max_tf", max_tf)
            self.put("min_len", min_len)
        if not set(WINDOW_DTYPES) <= set(a):
            self.put_windows(window_bounds(a["indptr"], a["postings"], a["doc_len"]))
        info = SegmentInfo(
            self.name,
            len(self._arrays["keys"]),
            int(np.asarray(self._arrays["doc_len"]).sum(dtype=np.int64)),
            (self._streams["postings"].length if "postings" in self._streams
             else len(self._arrays["postings"])),
        )
        for out in self._arrays.values():
            out.flush()
        self._arrays.clear()
        self._streams.clear()
        meta = {
            "format": SEGMENT_FORMAT,
            "n_docs": info.n_docs,
            "total_length": info.total_length,
            "n_postings": info.n_postings,
            **self._window_meta,
        }
        (self.tmp / "meta.json").write_text(json.dumps(meta))
        for path in self.tmp.iterdir():
            _fsync(path)
        _fsync(self.tmp)
        self.tmp.rename(self.root / self.name)
        _fsync(self.root)
        return info

    def abort(self) -> None:
        """Drop the temporary directory (nothing was published)."""
        self._arrays.clear()
        for stream in self._streams.values():
            with contextlib.suppress(ValueError):
                stream.close()
        self._streams.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextmanager
def writing_segment(root: Path) -> Iterator[SegmentWriter]:
    """A `SegmentWriter` whose temporary directory is removed if the block fails."""
    writer = SegmentWriter(root)
    try:
        yield writer
    except BaseException:
        writer.abort()
        raise


def write_segment(root: Path, arrays: SegmentArrays) -> SegmentInfo:
    """Write `arrays` as a new segment under `root`, atomically (see module docstring)."""
    if arrays.n_docs == 0:
        raise ValueError("a segment needs at least one document")
    with writing_segment(root) as writer:
        for field in (*DTYPES, *BOUND_DTYPES):
            values = getattr(arrays, field)  # `postings` packs a format-1 segment's
            if values is not None:
                writer.put(field, values)
        if arrays.windows is not None:
            writer.put_windows(arrays.windows)
        return writer.commit()

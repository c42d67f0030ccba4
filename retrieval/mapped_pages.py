"""A bound on the mapped index pages a serving process keeps resident.

Segments are memory-mapped (`retrieval.segment_files`): a query reads its terms' posting
lists straight from the OS page cache, with no copy. Every page a query touched then stays in
the process's page tables and counts in its resident size, so a process answering questions
over a million articles grows towards the size of the whole index, although those pages are
the page cache's, shared and reclaimable. Operators watch RSS, and a container's memory limit
counts it too.

So after a query, a serving process looks at its file-backed resident size (`/proc/self/statm`,
one read of a file already open) and, above a budget, tells the kernel it no longer needs
the mapped segment pages (`madvise(MADV_DONTNEED)`). That only drops the mappings: the data
stays in the page cache, and the next query that needs a page maps it again with a minor fault,
no disk read. Where `/proc` or `madvise` does not exist, nothing is bounded (nothing breaks).
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Iterable

import numpy as np

#: File-backed resident bytes (segments, the database map, shared libraries) kept at most.
MAPPED_BUDGET_BYTES = 2 << 30
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_ADVICE = getattr(mmap, "MADV_DONTNEED", None)


def mapping_of(array: np.ndarray) -> mmap.mmap | None:
    """The `mmap` an array (or a view of one) reads from, or None for an array in memory."""
    base: object = array
    while base is not None:
        if isinstance(base, mmap.mmap):
            return base
        found = getattr(base, "_mmap", None)
        if isinstance(found, mmap.mmap):
            return found
        base = getattr(base, "base", None)
    return None


class MappedPages:
    """Drops a view's mapped pages from the process when its file-backed RSS is over budget."""

    def __init__(self, budget: int = MAPPED_BUDGET_BYTES) -> None:
        self.budget = budget
        self.releases = 0
        try:
            self._statm: int | None = os.open("/proc/self/statm", os.O_RDONLY)
        except OSError:
            self._statm = None

    def resident_file_bytes(self) -> int | None:
        """File-backed and shared resident bytes of this process (None where unknown)."""
        if self._statm is None:
            return None
        fields = os.pread(self._statm, 200, 0).split()
        return int(fields[2]) * _PAGE  # resident shared pages: file-backed (RssFile+RssShmem)

    def keep_within(self, arrays: Callable[[], Iterable[np.ndarray]]) -> bool:
        """Release the mapped pages of `arrays()` when over budget; True when it did."""
        resident = self.resident_file_bytes()
        if resident is None or resident <= self.budget or _ADVICE is None:
            return False
        for array in arrays():
            mapped = mapping_of(array)
            if mapped is not None:
                mapped.madvise(_ADVICE)
        self.releases += 1
        return True

    def close(self) -> None:
        """Close the `/proc` file (the object does nothing afterwards)."""
        if self._statm is not None:
            os.close(self._statm)
            self._statm = None

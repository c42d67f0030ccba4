"""Keep freed memory in the process instead of handing it back to the OS after every query.

Why: a query allocates a few megabytes of numpy scratch (the postings it reads, one score
per passage). With glibc's default settings those blocks are either mapped fresh for each
query or returned to the OS when freed, so every query pays for page faults on memory it
used a moment ago: a third or more of the BM25 stage. Raising the mmap and trim thresholds
makes glibc reuse that memory; the cost is that up to `TRIM_THRESHOLD` bytes of freed heap
stay resident, which is small next to the index itself.

Only glibc has `mallopt`; elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

#: `mallopt` parameter numbers from glibc's malloc.h.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Blocks below this come from the heap (glibc's ceiling for the mmap threshold).
MMAP_THRESHOLD = 32 << 20
#: Freed heap is returned to the OS only above this much.
TRIM_THRESHOLD = 128 << 20


@functools.cache
def keep_freed_memory() -> bool:
    """Tune glibc's allocator for query scratch arrays (once per process); False if not glibc."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )

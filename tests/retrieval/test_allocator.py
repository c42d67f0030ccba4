"""The allocator tuning is applied once on glibc and reported as not applied elsewhere."""

from __future__ import annotations

import platform

import numpy as np

from retrieval.allocator import keep_freed_memory


def test_keep_freed_memory_applies_exactly_where_glibc_is_the_c_library() -> None:
    applied = keep_freed_memory()
    assert applied is (platform.libc_ver()[0] == "glibc")
    assert keep_freed_memory() is applied  # once per process: the same answer again
    # Allocation works as usual afterwards.
    assert float(np.bincount(np.arange(1000), minlength=200_000).sum()) == 1000.0

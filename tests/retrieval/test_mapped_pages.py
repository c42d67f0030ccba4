"""retrieval.mapped_pages: the mapped index pages a serving process keeps are bounded."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.mapped_pages import MappedPages, mapping_of
from retrieval.segment_search import SegmentSet
from tests.retrieval.test_segments import QUERIES, _docs, _split

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc, madvise")


def _rss_of(path: Path) -> int:
    """Resident bytes of the mappings of `path` in this process (from /proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[0] in "0123456789abcdef" and " " in line and "-" in line.split()[0]:
            inside = line.rstrip().endswith(str(path))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1]) * 1024
    return total


def test_the_mapping_behind_a_view_of_a_mapped_array_is_found(tmp_path: Path) -> None:
    path = tmp_path / "a.npy"
    np.save(path, np.arange(1000))
    mapped = np.asarray(np.load(path, mmap_mode="r"))
    assert mapping_of(mapped) is not None
    assert mapping_of(mapped[10:20]) is not None
    assert mapping_of(np.arange(5)) is None


@linux_only
def test_over_budget_the_mapped_pages_leave_the_process_and_reads_still_work(
    tmp_path: Path,
) -> None:
    path = tmp_path / "big.npy"
    np.save(path, np.arange(4 << 20, dtype=np.int64))  # 32 MiB
    array = np.asarray(np.load(path, mmap_mode="r"))
    total = int(array.sum())  # touches every page
    assert _rss_of(path) > 16 << 20
    pages = MappedPages(budget=1 << 40)
    assert not pages.keep_within(lambda: [array])  # under budget: nothing released
    assert _rss_of(path) > 16 << 20
    pages.budget = 0
    assert pages.keep_within(lambda: [array])
    assert _rss_of(path) < 1 << 20
    assert int(array.sum()) == total  # the data is still there, read back in from the cache
    pages.close()
    assert not pages.keep_within(lambda: [array])  # closed: does nothing


@linux_only
def test_a_view_offers_all_its_mapped_arrays_and_searches_the_same_after_release(
    tmp_path: Path,
) -> None:
    docs = _docs(31)
    view = SegmentSet.open(tmp_path, _split(tmp_path, docs, [120, 300]))
    arrays = view.mapped_arrays()
    assert len(arrays) >= 3 * 6
    before = [view.top_k(q, 10) for q in QUERIES]
    assert MappedPages(budget=0).keep_within(view.mapped_arrays)
    assert [view.top_k(q, 10) for q in QUERIES] == before

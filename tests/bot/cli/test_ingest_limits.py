"""Ingest memory stays bounded whatever the input, and a flood of bad lines prints a count
(#12 point 8). Slow: each test writes and reads a large file."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

NEWSBOT = str(Path(sys.executable).parent / "newsbot")
LIMIT_BYTES = 500 * 2**20


def _peak_rss(path: Path, db: Path) -> tuple[int, str, int]:
    """Exit code, stdout and peak RSS (bytes) of `newsbot ingest path --db db`."""
    proc = subprocess.Popen(
        [NEWSBOT, "ingest", str(path), "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, out, usage.ru_maxrss * 1024


@pytest.mark.slow
def test_a_gigabyte_of_zeros_is_one_error_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "zeros.jsonl.gz"
    block = b"\x00" * 2**24
    with gzip.open(path, "wb", compresslevel=1) as handle:
        for _ in range(64):
            handle.write(block)
    code, out, peak = _peak_rss(path, tmp_path / "z.db")
    assert code == 1
    assert out.splitlines()[0] == f"error: {path}:1: line longer than 8,388,608 bytes; skipped"
    assert peak < LIMIT_BYTES, f"peak RSS {peak / 2**20:.0f} MiB"


@pytest.mark.slow
def test_millions_of_bad_lines_print_a_count_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as handle:
        for _ in range(50):
            handle.write(b'{"id": 1, "text": ]\n' * 100_000)
    code, out, peak = _peak_rss(path, tmp_path / "b.db")
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 22  # 20 errors, the count, the summary
    assert lines[20] == f"error: {path}: 4999980 more errors in this file not listed"
    assert "5000000 failed" in lines[21]
    assert peak < LIMIT_BYTES, f"peak RSS {peak / 2**20:.0f} MiB"

"""Running newsbot work in another process, for the tests of several processes on one database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

_INGEST = """
import asyncio, sys
from pathlib import Path
from retrieval import NewsService

async def main():
    service = await NewsService.open(Path(sys.argv[1]))
    try:
        report = await service.ingest([Path(p) for p in sys.argv[2:]])
        print(report.added, report.unchanged, report.replaced, report.failed)
    finally:
        await service.close()

if __name__ == "__main__":
    asyncio.run(main())
"""

_HOLD_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes') ON CONFLICT DO NOTHING")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def start_ingest(db: Path, *paths: Path) -> subprocess.Popen[str]:
    """`NewsService.ingest(paths)` in a new process; prints `added unchanged replaced failed`."""
    return subprocess.Popen(
        [sys.executable, "-c", _INGEST, str(db), *map(str, paths)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    """Wait for `process`; its output, after checking it succeeded without a traceback."""
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    return out


def hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the database's write lock for `seconds` (started when it
    prints "locked")."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(db), str(seconds)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "locked"
    return process

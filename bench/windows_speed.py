"""The BM25 stage with and without the segments' window bounds, alternating, in one process.

    python bench/windows_speed.py --db data/scale/news-1000000.db [--rounds 3]

The compiled search (`retrieval.segment_daat`) judges each term per window of rows by the
bounds each segment stores (`retrieval.segment_bounds`). This opens the database as
`search --queries` does, takes the 356 news-dev questions' terms and times `top_k` (the
service's 30 candidates) on each question twice in a row, once with the window bounds and
once with the segment-wide bounds alone, the order alternating from question to question and
round to round, so both see the same machine. It prints p50 / p95 / mean in ms of each, and
whether the two gave the same passages and scores for every question (they must: the bounds
only decide what is skipped). Open the database once with a process that may write it first:
segments written before the window bounds get them then (`IndexUpkeep.upgrade_segments`).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import retrieval.segment_prune as segment_prune  # noqa: E402
from retrieval.service.news_service import NewsService  # noqa: E402

QUESTIONS = ROOT.parent / "shared" / "eval" / "news-qa-dev.jsonl"
WARM_UP = 50
CANDIDATES = 30


def switchable() -> list[bool]:
    """Patch `QueryPostings` so its members drop their window bounds while the flag is set."""
    without = [False]
    build = segment_prune.QueryPostings.__init__

    def init(self: segment_prune.QueryPostings, *args: Any, **kwargs: Any) -> None:
        build(self, *args, **kwargs)
        if without[0]:
            self.members = [dataclasses.replace(m, windows=None) for m in self.members]

    segment_prune.QueryPostings.__init__ = init  # type: ignore[method-assign]
    return without


async def run(db: Path, rounds: int) -> None:
    texts = [
        json.loads(line)["question"]
        for line in QUESTIONS.read_text("utf-8").splitlines()
        if line.strip()
    ]
    without = switchable()
    service = await NewsService.open(db)
    try:
        await service.prepare_for_many_questions()
        asked = service._questions  # a bench may look inside: the stage has no public handle
        index = await asked._shared.fresh_index()
        bounded = sum(m.segment.arrays.windows is not None for m in index.members)
        print(f"{db}: {len(index):,} passages, {bounded} of {len(index.members)} segments "
              "with window bounds")
        terms = [asked.query_terms(text) for text in texts]
        for t in terms[:WARM_UP]:
            index.top_k(t, CANDIDATES)
        took: dict[bool, list[float]] = {False: [], True: []}
        results: dict[bool, list[Any]] = {False: [], True: []}
        for number in range(rounds):
            for i, t in enumerate(terms):
                for flag in (False, True) if (i + number) % 2 else (True, False):
                    without[0] = flag
                    started = time.perf_counter()
                    ranked = index.top_k(t, CANDIDATES)
                    took[flag].append((time.perf_counter() - started) * 1000)
                    if number == 0:
                        results[flag].append([(r.key, r.score) for r in ranked])
        without[0] = False
        for flag, name in ((False, "window bounds"), (True, "segment bounds")):
            ms = sorted(took[flag])
            print(f"  {name:15s} p50 {statistics.median(ms):6.2f}  "
                  f"p95 {ms[int(len(ms) * 0.95)]:6.2f}  mean {statistics.mean(ms):6.2f} ms")
        print(f"  identical top {CANDIDATES} on every question: {results[False] == results[True]}")
    finally:
        await service.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists():
        parser.error(f"{args.db}: no such database (ingest the corpus into it first)")
    asyncio.run(run(args.db, args.rounds))


if __name__ == "__main__":
    main()

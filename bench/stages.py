"""Where a question's time goes: `search` and `ask` split by stage, in one process.

    python bench/stages.py --db data/n68k.db [--kind search|ask|both] [--rounds 2]

`bench/latency_ab.py` measures what a user waits for (`took_ms`); this says which stage of it
to work on. It opens the database as `search --queries` does, answers the 356 news-dev
questions `rounds` times (after 50 to warm up) and prints, per round, the p50 and mean of
`took_ms` and the mean milliseconds per question of each timed stage: the query's terms, the
BM25 top-k, the candidates' rows, the second stage (`rerank`), the shown page's headings and
hits, and for `ask` the message analysis, the answer sentences' ranking and the article check.
A stage's share is what the question waits for it: the BM25 stage's helper thread works
beside the caller and is counted once, by the caller's wait.

The stages are timed by wrapping the functions the service calls, which costs a few
microseconds per call; the first round includes what later rounds find cached (the query's
terms, the message analysis), as the first asking of a question would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import retrieval.service.questions as questions  # noqa: E402
from retrieval.segment_search import SegmentSet  # noqa: E402
from retrieval.service.news_service import NewsService  # noqa: E402

QUESTIONS = ROOT.parent / "shared" / "eval" / "news-qa-dev.jsonl"
WARM_UP = 50

#: Seconds spent in each stage in the current round.
spent: defaultdict[str, float] = defaultdict(float)


def timed(owner: Any, name: str, stage: str) -> None:
    """Replace `owner.name` (a function or method) by one that adds its time to `stage`."""
    inner = getattr(owner, name)
    if asyncio.iscoroutinefunction(inner):

        async def waited(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await inner(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started

        setattr(owner, name, waited)
    else:

        def called(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started

        setattr(owner, name, called)


def instrument(service: NewsService) -> None:
    """Wrap the stages of `search` and `ask` (see the module docstring)."""
    asked = service._questions  # a bench may look inside: the stages have no public handle
    store = asked.store
    timed(asked, "query_terms", "query terms")
    timed(SegmentSet, "top_k", "BM25 top-k")
    timed(store.articles, "passages", "candidates' rows")
    timed(questions, "rerank", "second stage")
    timed(store.articles, "headings", "page headings")
    timed(questions, "_hit", "hits")
    timed(questions, "analyze", "message analysis")
    timed(questions, "rank_sentences", "answer sentences")
    timed(asked, "_first_supported", "article check")


async def run(db: Path, kinds: list[str], rounds: int) -> None:
    texts = [
        json.loads(line)["question"]
        for line in QUESTIONS.read_text("utf-8").splitlines()
        if line.strip()
    ]
    service = await NewsService.open(db)
    try:
        await service.prepare_for_many_questions()
        instrument(service)
        for kind in kinds:
            answer: Callable[[str], Awaitable[Any]] = (
                service.search if kind == "search" else lambda q: service.ask(q, record=False)
            )
            for text in texts[:WARM_UP]:
                await answer(text)
            for number in range(rounds):
                spent.clear()
                took = [(await answer(text)).took_ms for text in texts]
                print(f"{kind} round {number + 1}: took_ms p50 {statistics.median(took):.2f}, "
                      f"mean {statistics.mean(took):.2f} ({len(texts)} questions)")
                for stage, seconds in spent.items():
                    print(f"    {stage:18s} {1000 * seconds / len(texts):6.3f} ms per question")
    finally:
        await service.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--kind", choices=("search", "ask", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not args.db.exists():
        parser.error(f"{args.db}: no such database (ingest the corpus into it first)")
    kinds = ["search", "ask"] if args.kind == "both" else [args.kind]
    asyncio.run(run(args.db, kinds, args.rounds))


if __name__ == "__main__":
    main()

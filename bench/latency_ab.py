"""`search` and `ask` latency of this checkout against a baseline checkout, interleaved.

    git worktree add /tmp/base <commit>
    python bench/latency_ab.py --baseline /tmp/base --db data/b68k.db [--db ...] [--rounds 3]
        [--baseline-db data/old68k.db ...]

On a shared virtual machine the same command's p50 moves by tens of percent from one hour
to the next, so a figure measured alone says little. This runs the two codes' commands in
turn on the same database, `rounds` times each: `newsbot search|ask --json --queries` over the
356 news-dev questions (`took_ms`, what a user waits for), the peak RSS of each run
(`/usr/bin/time`, GNU time), and the median wall time of three fresh one-question `search`
processes (the first query). It prints, per database and code, the median over the rounds
of each p50 / p95. The baseline's modules run with this environment's packages (the editable
install's finder is left out so that its `retrieval` and `bot` are imported).

`--baseline-db` (once per `--db`, same order) gives the baseline its own database: a change
to what an ingest writes (how many segments, what each passage stores) shows only when each
code answers from the database its own ingest made.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT.parent / "shared" / "eval" / "news-qa-dev.jsonl"
FIRST_QUESTION = "乐山农商银行向哪家公司发放了贷款？"
_RUN = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f)]
sys.path.insert(0, {root!r})
try:  # the script's entry point where the checkout has one (it pauses the collector)
    from bot.cli.entry import main
except ImportError:
    from bot.cli.commands import main
sys.argv[0] = "newsbot"
main()
"""


def newsbot(checkout: Path) -> list[str]:
    """The command line that runs `newsbot` from `checkout`'s code."""
    return [sys.executable, "-c", _RUN.format(root=str(checkout.resolve()))]


def latency(command: list[str], kind: str, db: Path, queries: Path) -> tuple[float, float, float]:
    """p50 and p95 of `took_ms` of one `--queries` run, and its peak RSS in MB."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command, kind, "--json", "--queries", str(queries),
         "--db", str(db)],
        capture_output=True, text=True, env=_env(), check=True,
    )
    took = [json.loads(line)["took_ms"] for line in done.stdout.splitlines() if line.strip()]
    p50, p95 = np.percentile(took, [50, 95])
    return float(p50), float(p95), int(done.stderr.strip().splitlines()[-1]) / 1024


def first_query(command: list[str], db: Path) -> float:
    """Median wall time of three fresh one-question `search` processes."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([*command, "search", "--json", FIRST_QUESTION, "--db", str(db)],
                       capture_output=True, env=_env(), check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules byte-compiled once
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout to compare")
    parser.add_argument("--db", type=Path, action="append", required=True)
    parser.add_argument("--baseline-db", type=Path, action="append", default=[])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.baseline_db and len(args.baseline_db) != len(args.db):
        parser.error("give --baseline-db once for each --db, or not at all")
    queries = ROOT / "data" / "latency-questions.txt"
    queries.parent.mkdir(parents=True, exist_ok=True)
    with QUESTIONS.open(encoding="utf-8") as lines:
        queries.write_text(
            "".join(json.loads(line)["question"] + "\n" for line in lines if line.strip()),
            "utf-8",
        )
    codes = {"baseline": newsbot(args.baseline), "this": newsbot(ROOT)}
    for n, db in enumerate(args.db):
        dbs = {"baseline": args.baseline_db[n] if args.baseline_db else db, "this": db}
        runs: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        for _ in range(args.rounds):
            for name, command in codes.items():
                for kind in ("search", "ask"):
                    runs.setdefault((name, kind), []).append(
                        latency(command, kind, dbs[name], queries)
                    )
        for name, command in codes.items():
            first = first_query(command, dbs[name])
            parts = []
            for kind in ("search", "ask"):
                got = runs[(name, kind)]
                p50 = statistics.median(r[0] for r in got)
                p95 = statistics.median(r[1] for r in got)
                parts.append(f"{kind} p50 {p50:6.2f} p95 {p95:6.2f} ms")
            rss = max(r[2] for kind in ("search", "ask") for r in runs[(name, kind)])
            print(f"{dbs[name].name:24s} {name:8s} " + " | ".join(parts)
                  + f" | peak RSS {rss / 1024:4.2f} GB | first query {first:4.2f} s", flush=True)


if __name__ == "__main__":
    main()

"""BM25 stage over segments: top-k latency for one vs several segments, merge time, cold load.

    python bench/segments_speed.py [--workdir data/bench-segments] [--segments 8] [--scale 0]

Uses the passages of ../shared/eval/news-corpus.jsonl.gz (68,221 articles): the database in
the work directory is ingested once with `newsbot ingest` (reused on later runs), its index
is written as one segment and then split into `--segments` segments of consecutive passages
(by `merge_segments` with the other passages tombstoned, which also times the merge).
Queries are the tokenized news-qa-dev questions; each top-k is the service's candidate depth.

Printed: p50 / p95 / p99 in ms of `InvertedIndex.top_k` (today's single index, the baseline),
`SegmentSet.exhaustive_top_k`, the numpy pruned search (`retrieval.segment_prune`) and the
compiled one (`retrieval.segment_daat`, what collections of 400k passages and more use) over
one segment and over the split, whether the rankings agree, and the time a fresh process takes
to map the split and answer its first query.

`--scale N` also writes N copies of the one segment with shifted passage ids (N·passages,
e.g. 16 for ~3M passages, the size of a million articles) and times the same queries over
them: posting lists N times as long, as a million-article collection would have for common
terms (the vocabulary of real new articles would be larger; the latency is set by postings).

`--corpus FILE --articles N` instead tokenizes the first N articles of a (scale) corpus, e.g.
one written by `bench/scale_corpus.py`, into segments of `--segment-articles` articles (in
worker processes; no database) and times exhaustive against pruned top-k over them
(`--reuse` searches the segments of an earlier run again).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import itertools
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.speed import single_index  # noqa: E402
from retrieval.index import InvertedIndex, Ranked  # noqa: E402
from retrieval.passages import pack  # noqa: E402
from retrieval.rank import CANDIDATES  # noqa: E402
from retrieval.segment_daat import compiled_top_k  # noqa: E402
from retrieval.segment_files import arrays_of_index, build_arrays, load_segment  # noqa: E402
from retrieval.segment_merge import merge_segments  # noqa: E402
from retrieval.segment_prune import QueryPostings, postings_read, pruned_top_k  # noqa: E402
from retrieval.segment_search import SegmentSet  # noqa: E402
from retrieval.segment_writer import write_segment  # noqa: E402
from retrieval.service import NewsService  # noqa: E402
from retrieval.term_encoding import EncodedDocs, encode  # noqa: E402
from retrieval.tokenizer import Tokenizer  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CORPUS = EVAL / "news-corpus.jsonl.gz"
QUESTIONS = EVAL / "news-qa-dev.jsonl"
NEWSBOT = Path(sys.executable).parent / "newsbot"

COLD = """
import sys, time, json
started = time.perf_counter()
from pathlib import Path
from retrieval.segment_search import SegmentSet
imported = time.perf_counter()
live = json.loads(sys.argv[2])
view = SegmentSet.open(Path(sys.argv[1]), {int(g): n for g, n in live.items()})
opened = time.perf_counter()
view.top_k(json.loads(sys.argv[3]), %d)
done = time.perf_counter()
print(json.dumps({"import": imported - started, "open": opened - imported,
                  "first": done - opened, "total": done - started}))
"""


def percentiles(values: Sequence[float]) -> str:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return f"p50 {p50:6.3f}  p95 {p95:6.3f}  p99 {p99:6.3f} ms"


def timings(top_k: Callable[[list[str], int], list[Ranked]], queries: list[list[str]]) -> str:
    for terms in queries:  # warm-up: page in the mapped postings, fill caches
        top_k(terms, CANDIDATES)
    out = []
    for terms in queries:
        started = time.perf_counter()
        top_k(terms, CANDIDATES)
        out.append((time.perf_counter() - started) * 1000)
    return percentiles(out)


def both(view: SegmentSet, queries: list[list[str]]) -> str:
    """Exhaustive against pruned (numpy) and compiled top-k, timed query by query in turn (so
    a load change on a shared machine hits all alike), whether they agree, and the share of
    postings the numpy pruning read."""
    def pruned(terms: list[str]) -> list[Ranked]:
        found = pruned_top_k(view, terms, CANDIDATES, min_postings=0)
        return view.exhaustive_top_k(terms, CANDIDATES) if found is None else found

    def compiled(terms: list[str]) -> list[Ranked]:
        return compiled_top_k(QueryPostings(view, terms), CANDIDATES)

    searches = {"exhaustive": lambda terms: view.exhaustive_top_k(terms, CANDIDATES),
                "pruned": pruned, "compiled": compiled}
    for terms in queries:  # warm-up (and numba's compilation or cached code)
        for search in searches.values():
            search(terms)
    times: dict[str, list[float]] = {name: [] for name in searches}
    same = {name: 0 for name in searches}
    read = total = 0
    for terms in queries:
        results = {}
        for name, search in searches.items():
            started = time.perf_counter()
            results[name] = search(terms)
            times[name].append((time.perf_counter() - started) * 1000)
        for name in searches:
            same[name] += results[name] == results["exhaustive"]
        r, t = postings_read(view)
        read, total = read + r, total + t
    lines = [f"{name:10} {percentiles(times[name])}" + (
        f"  (identical top-{CANDIDATES}: {same[name]}/{len(queries)})" if name != "exhaustive"
        else "") for name in searches]
    lines[1] += f"; postings read whole: {read / max(total, 1):.0%}"
    return ("\n" + " " * 25).join(lines)


def _tokenize_articles(texts: list[str]) -> tuple[int, EncodedDocs]:
    """Passages of a chunk of article texts, tokenized and encoded (in a worker process)."""
    tokenizer = Tokenizer()
    tokens = [tokenizer.tokenize(t[s:e]) for t in texts for s, e in pack(t)]
    return len(tokens), encode(tokens)


def corpus_segments(corpus: Path, n_articles: int, per_segment: int, root: Path) -> SegmentSet:
    """The first `n_articles` of `corpus` as segments of `per_segment` articles each."""
    chunk = 2000
    live: dict[int, str] = {}
    first_key = 1
    started = time.perf_counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as f, ProcessPoolExecutor(2) as pool:
        lines = itertools.islice(f, n_articles)
        while batch := list(itertools.islice(lines, per_segment)):
            texts = [json.loads(line)["text"] for line in batch]
            parts = list(pool.map(_tokenize_articles,
                                  [texts[i : i + chunk] for i in range(0, len(texts), chunk)]))
            n = sum(p[0] for p in parts)
            keys = np.arange(first_key, first_key + n, dtype=np.int64)
            arrays = build_arrays(keys, [p[1] for p in parts])
            live[len(live) + 1] = write_segment(root, arrays).name
            first_key += n
            print(f"  segment {len(live)}: {first_key - 1:,} passages "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
    return SegmentSet.open(root, live)


def agreement(a: SegmentSet, b: InvertedIndex, queries: list[list[str]]) -> str:
    """How many queries rank the same passages with the same scores (ties at the cut aside)."""
    same = 0
    for terms in queries:
        left, right = a.top_k(terms, CANDIDATES), b.top_k(terms, CANDIDATES)
        last = left[-1].score if left else 0.0
        same += np.allclose([r.score for r in left], [r.score for r in right], rtol=1e-6) and [
            r.key for r in left if r.score > last
        ] == [r.key for r in right if r.score > last]
    return f"{same}/{len(queries)} queries agree with the single index"


async def load(db: Path) -> tuple[InvertedIndex, list[list[str]]]:
    service = await NewsService.open(db)
    try:
        with QUESTIONS.open(encoding="utf-8") as f:
            questions = [json.loads(line)["question"] for line in f]
        index = single_index(service.index)
        return index, [service.tokenizer.tokenize(q) for q in questions]
    finally:
        await service.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, default=ROOT / "data" / "bench-segments")
    parser.add_argument("--segments", type=int, default=8)
    parser.add_argument("--scale", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="tokenize this corpus instead (no database)")
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--segment-articles", type=int, default=40_000)
    parser.add_argument("--reuse", action="store_true",
                        help="with --corpus: search the segments of an earlier run again")
    args = parser.parse_args()
    if args.corpus:
        root = args.workdir / "corpus-segments"
        if args.reuse and root.is_dir():
            names = sorted(p.name for p in root.iterdir() if p.name.startswith("seg-"))
            view = SegmentSet.open(root, dict(enumerate(names, start=1)))
        else:
            shutil.rmtree(root, ignore_errors=True)
            print(f"tokenizing {args.articles:,} articles of {args.corpus} ...", flush=True)
            view = corpus_segments(args.corpus, args.articles, args.segment_articles, root)
        tokenizer = Tokenizer()
        with QUESTIONS.open(encoding="utf-8") as f:
            queries = [tokenizer.tokenize(json.loads(line)["question"]) for line in f]
        print(f"{len(view):,} passages in {len(view.members)} segments; "
              f"{len(queries)} news-qa-dev questions, top-{CANDIDATES}")
        print(f"  {'':23}{both(view, queries)}")
        return
    db = args.workdir / "news.db"
    if not db.exists():
        args.workdir.mkdir(parents=True, exist_ok=True)
        print(f"ingesting {CORPUS} into {db} ...", flush=True)
        subprocess.run([str(NEWSBOT), "ingest", str(CORPUS), "--db", str(db)], check=True,
                       stdout=subprocess.DEVNULL)
    index, queries = asyncio.run(load(db))
    index.warm()
    root = args.workdir / "segments"
    shutil.rmtree(root, ignore_errors=True)
    arrays = arrays_of_index(index)
    started = time.perf_counter()
    whole = write_segment(root, arrays)
    print(f"passages {len(index):,}  postings {whole.n_postings:,}  terms {index.n_terms:,}  "
          f"write one segment {time.perf_counter() - started:.2f} s")
    one = SegmentSet.open(root, {1: whole.name})
    bounds = np.linspace(0, len(index), args.segments + 1).astype(int)
    segment = load_segment(root, whole.name)
    live = {}
    started = time.perf_counter()
    for g, (lo, hi) in enumerate(itertools.pairwise(bounds), start=2):
        outside = np.concatenate([index.keys[:lo], index.keys[hi:]])
        info = merge_segments(root, [segment], outside)
        assert info is not None
        live[g] = info.name
    print(f"split into {args.segments} segments by merge: {time.perf_counter() - started:.2f} s")
    split = SegmentSet.open(root, live)
    started = time.perf_counter()
    merged = merge_segments(root, [m.segment for m in split.members])
    print(f"merge of the {args.segments} back into one: {time.perf_counter() - started:.2f} s")
    assert merged is not None
    print(f"queries: {len(queries)} news-qa-dev questions, top-{CANDIDATES}")
    print(f"  single index (today)   {timings(index.top_k, queries)}")
    print(f"  1 segment              {both(one, queries)}")
    print(f"  {args.segments} segments             {both(split, queries)}")
    print(f"  merged segment         "
          f"{timings(SegmentSet.open(root, {99: merged.name}).top_k, queries)}")
    print(f"  1 segment: {agreement(one, index, queries)}; "
          f"{args.segments} segments: {agreement(split, index, queries)}")
    cold = [
        json.loads(subprocess.run(
            [sys.executable, "-c", COLD % CANDIDATES, str(root), json.dumps(live),
             json.dumps(queries[0])], check=True, capture_output=True, text=True, cwd=ROOT,
        ).stdout)
        for _ in range(3)
    ]
    best = min(cold, key=lambda c: c["total"])
    print(f"fresh process, {args.segments} segments (best of 3): import "
          f"{best['import'] * 1000:.0f} ms (the whole retrieval package), open "
          f"{best['open'] * 1000:.1f} ms, first query {best['first'] * 1000:.1f} ms")
    if args.scale:
        scaled = {}
        step = int(index.keys.max()) + 1
        for n in range(args.scale):
            shifted = arrays_of_index(index, index.keys + n * step)
            scaled[1000 + n] = write_segment(root, shifted).name
        big = SegmentSet.open(root, scaled)
        print(f"scale x{args.scale}: {len(big):,} passages in {args.scale} segments")
        print(f"  {'':23}{both(big, queries)}")


if __name__ == "__main__":
    main()

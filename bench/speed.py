"""Speed at scale: ingest, cold start, query latency, anchors side by side, growth, increments.

    python bench/speed.py [--workdir data/bench] [--no-anchors] [--no-growth]

One run on ../shared/eval/news-corpus.jsonl.gz (68,221 articles) into fresh databases:

* ingest: `newsbot ingest` as a subprocess — wall time, characters/s, articles, passages,
  database size, peak RSS (the largest process, workers included);
* cold start: a new `newsbot ask` process, from exec to the printed answer;
* latency over the 356 news-qa-dev questions: `rank` (query tokenization + BM25 top-10, the
  core the anchors are compared with), `search` (rank + second stage + passage fetch) and
  `ask` (search + answer sentence): p50 / p95 / p99;
* anchors on the same passages and the same tokens (each index term becomes one token
  string): rank-bm25 `BM25Okapi.get_scores` + top-k (on a sample: it is slow),
  rank-bm25-rs and bm25s, each with our query tokenization included, as a ratio to `rank`;
* growth: the same latencies at 10 % and 30 % of the corpus;
* increment: 100 new articles ingested into the full database (a copy), then found.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval import NewsService  # noqa: E402
from retrieval.index import InvertedIndex  # noqa: E402
from retrieval.posting_words import rows_of, tfs_of  # noqa: E402
from retrieval.segment_search import SegmentSet  # noqa: E402
from retrieval.term_encoding import EncodedDocs  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
CORPUS = EVAL / "news-corpus.jsonl.gz"
QUESTIONS = EVAL / "news-qa-dev.jsonl"
NEWSBOT = Path(sys.executable).parent / "newsbot"


def percentiles(values: list[float]) -> str:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return f"{p50:8.2f} {p95:8.2f} {p99:8.2f}"


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def ingest(corpus: Path, db: Path) -> dict[str, float]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run([str(NEWSBOT), "ingest", str(corpus), "--db", str(db)], check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    stats = json.loads(subprocess.run(
        [str(NEWSBOT), "stats", "--json", "--db", str(db)], check=True, capture_output=True,
        text=True).stdout)
    return {"wall": wall, "articles": stats["articles"], "passages": stats["passages"],
            "db_mb": stats["db_bytes"] / 1e6}


def corpus_chars(corpus: Path, limit: int | None = None) -> tuple[int, int]:
    chars = raw = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                break
            chars += len(json.loads(line)["text"])
            raw += len(line.encode("utf-8"))
    return chars, raw


def subset(corpus: Path, out: Path, share: float) -> Path:
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    out.write_text("".join(lines[: int(len(lines) * share)]), "utf-8")
    return out


def cold_start(db: Path, question: str) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([str(NEWSBOT), "ask", question, "--db", str(db)], check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


async def latencies(service: NewsService, questions: list[str]) -> dict[str, list[float]]:
    index, tok = service.index, service.tokenizer
    out: dict[str, list[float]] = {"rank": [], "search": [], "ask": []}
    # Each measure in its own pass over the questions (as the anchors are measured), after a
    # warm-up pass, so one stage's cache traffic does not slow the next one's.
    for q in questions:
        index.top_k(tok.tokenize(q), 10)
    for q in questions:
        out["rank"].append(timed(lambda q=q: index.top_k(tok.tokenize(q), 10)))
    for q in questions:
        started = time.perf_counter()
        await service.search(q, 10)
        out["search"].append((time.perf_counter() - started) * 1000)
    for q in questions:
        started = time.perf_counter()
        await service.ask(q, record=False)
        out["ask"].append((time.perf_counter() - started) * 1000)
    return out


def single_index(view: SegmentSet) -> InvertedIndex:
    """The live passages of all segments as one in-memory index (what the anchors index)."""
    parts = [
        EncodedDocs(a.hashes, a.indptr.astype(np.int64), rows_of(a.postings).astype(np.int32),
                    tfs_of(a.postings), a.doc_len.astype(np.int32))
        for a in (m.segment.arrays for m in view.members)
    ]
    keys = np.concatenate([np.zeros(0, np.int64), *(m.segment.arrays.keys for m in view.members)])
    return InvertedIndex.from_encoded(keys, parts, view.params).remove(view.tombstones)


def anchor_corpus(index: InvertedIndex) -> list[list[str]]:
    """Every passage as the list of its index terms (term position as a string), tf times."""
    term_of = np.repeat(np.arange(len(index.hashes), dtype=np.int64), np.diff(index.indptr))
    order = np.argsort(index.doc_rows, kind="stable")
    rows = index.doc_rows[order]
    terms = np.repeat(term_of[order], index.tfs[order].astype(np.int64))
    rows = np.repeat(rows, index.tfs[order].astype(np.int64))
    bounds = np.searchsorted(rows, np.arange(len(index.keys) + 1))
    words = terms.astype(str)
    return [words[bounds[i] : bounds[i + 1]].tolist() for i in range(len(index.keys))]


def anchors(service: NewsService, questions: list[str], rank_p50: float) -> list[str]:
    index, tok = single_index(service.index), service.tokenizer
    started = time.perf_counter()
    corpus = anchor_corpus(index)
    lines = [f"  (anchor corpus: {len(corpus)} passages as index terms, "
             f"{time.perf_counter() - started:.0f} s to lay out)"]

    def query(q: str) -> list[str]:
        return [str(i) for i in index.term_ids(tok.tokenize(q))]

    def report(name: str, build_s: float, lat: list[float], rss: float) -> None:
        p50 = float(np.percentile(lat, 50))
        lines.append(f"  {name:<24} {percentiles(lat)}   build {build_s:6.1f} s   "
                     f"peak RSS {rss:6.0f} MB   {p50 / rank_p50:7.1f}× ours")

    import rank_bm25_rs

    started = time.perf_counter()
    rs = rank_bm25_rs.BM25Okapi(corpus)
    build = time.perf_counter() - started
    lat = [timed(lambda q=q: np.argpartition(-np.asarray(rs.get_scores(query(q))), 10)[:10])
           for q in questions]
    report("rank-bm25-rs", build, lat, peak_rss_mb(resource.RUSAGE_SELF))


    import bm25s

    started = time.perf_counter()
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    build = time.perf_counter() - started
    lat = []
    for q in questions:
        terms = query(q)
        if terms:
            lat.append(timed(lambda t=terms: model.retrieve([t], k=10, show_progress=False)))
    report("bm25s", build, lat, peak_rss_mb(resource.RUSAGE_SELF))


    from rank_bm25 import BM25Okapi

    started = time.perf_counter()
    slow = BM25Okapi(corpus)
    build = time.perf_counter() - started
    sample = questions[:: max(1, len(questions) // 25)]
    lat = [timed(lambda q=q: np.argpartition(-slow.get_scores(query(q)), 10)[:10])
           for q in sample]
    report(f"rank-bm25 ({len(sample)} q)", build, lat, peak_rss_mb(resource.RUSAGE_SELF))
    return lines


async def measure(db: Path, questions: list[str]) -> tuple[dict[str, list[float]], NewsService]:
    service = await NewsService.open(db)
    return await latencies(service, questions), service


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--no-anchors", action="store_true")
    parser.add_argument("--no-growth", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep an existing full database")
    args = parser.parse_args()
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    questions = [json.loads(ln)["question"] for ln in QUESTIONS.read_text("utf-8").splitlines()]
    lines = [f"machine: {os.cpu_count()} cores, "
             f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
             f"python {sys.version.split()[0]}"]

    chars, raw = corpus_chars(CORPUS)
    full_db = work / "full.db"
    before = peak_rss_mb(resource.RUSAGE_CHILDREN)
    if args.reuse and full_db.exists():
        stats = json.loads(subprocess.run(
            [str(NEWSBOT), "stats", "--json", "--db", str(full_db)], check=True,
            capture_output=True, text=True).stdout)
        ing = {"wall": float("nan"), "articles": stats["articles"],
               "passages": stats["passages"], "db_mb": stats["db_bytes"] / 1e6}
    else:
        ing = ingest(CORPUS, full_db)
    ingest_rss = peak_rss_mb(resource.RUSAGE_CHILDREN)
    lines.append(
        f"ingest (100%): {ing['wall']:.1f} s wall, {chars / ing['wall'] / 1e6:.2f} M chars/s, "
        f"{ing['articles']:.0f} articles, {ing['passages']:.0f} passages, "
        f"database {ing['db_mb']:.0f} MB = {ing['db_mb'] * 1e6 / raw:.2f}× the raw JSONL "
        f"({raw / 1e6:.0f} MB), peak RSS {max(ingest_rss, before):.0f} MB"
    )
    print(lines[-1], flush=True)
    lines.append(f"cold start to first answer: {cold_start(full_db, questions[0]):.2f} s "
                 "(new process: imports, index load, question, answer printed)")
    print(lines[-1], flush=True)

    lat, service = await measure(full_db, questions)
    serving_rss = peak_rss_mb(resource.RUSAGE_SELF)
    lines.append("latency over 356 questions, ms        p50      p95      p99")
    for name, values in lat.items():
        lines.append(f"  {name:<24}  {percentiles(values)}")
    lines.append(f"peak RSS while serving (this process, index loaded, all questions): "
                 f"{serving_rss:.0f} MB")
    print("\n".join(lines[-5:]), flush=True)
    rank_p50 = float(np.percentile(lat["rank"], 50))

    inc_db = work / "increment.db"
    shutil.copy(full_db, inc_db)
    fresh = work / "increment.jsonl"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        records = [json.loads(next(f)) for _ in range(100)]
    with fresh.open("w", encoding="utf-8") as out:
        for n, record in enumerate(records):
            record["id"] = f"bench-new-{n}"
            record["text"] += f" 基准测试增量标记{n:03d}号。"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    inc = await NewsService.open(inc_db)
    report = await inc.ingest([fresh])
    found = (await inc.search("基准测试增量标记042号")).hits[0].article_id
    await inc.close()
    lines.append(f"increment: {report.added} articles added to the full database in "
                 f"{report.seconds:.2f} s (transaction and index included); "
                 f"searchable at once: {found == 'bench-new-42'}")
    print(lines[-1], flush=True)

    if not args.no_anchors:
        lines.append("anchors, same passages and tokens, ms  p50      p95      p99")
        lines.extend(anchors(service, questions, rank_p50))
        print("\n".join(lines[-4:]), flush=True)
    await service.close()

    if not args.no_growth:
        lines.append("growth (rank / search / ask p50 and p95, ms)")
        for share in (0.1, 0.3):
            part = subset(CORPUS, work / f"part{int(share * 100)}.jsonl", share)
            db = work / f"part{int(share * 100)}.db"
            ing = ingest(part, db)
            lat_part, svc = await measure(db, questions)
            await svc.close()
            lines.append(
                f"  {int(share * 100):>3}% ({ing['passages']:.0f} passages, ingest "
                f"{ing['wall']:.1f} s): " + "  ".join(
                    f"{k} {np.percentile(v, 50):.2f}/{np.percentile(v, 95):.2f}"
                    for k, v in lat_part.items()))
            print(lines[-1], flush=True)
        lines.append(
            f"  100% ({len(service.index)} passages): " + "  ".join(
                f"{k} {np.percentile(v, 50):.2f}/{np.percentile(v, 95):.2f}"
                for k, v in lat.items()))
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main())

"""A deterministic scale corpus: N realistic articles recombined from the 68k news corpus.

    python bench/scale_corpus.py 1000000 data/scale-1m.jsonl.gz [--seed 13] [--no-originals]

Why recombine rather than copy: copies would be collapsed by deduplication and would repeat
the same passages N/68k times, which no real collection does. Each new article takes the
shape (sentence count, lead position) of one story of a given day and fills it with sentences
of *other* stories of that same day, so its vocabulary, term co-occurrence and passage
lengths stay those of real news of one day, while its text is new. By default the 68,221
originals come first (with their own ids), so questions about them still have answers; the
generated ones follow with ids `scale-0000000`... and dates spread evenly over ten years.

Memory: a first pass streams the corpus once, writing the originals through and sorting the
articles into one temporary file per day (articles without a date are spread over ten
pseudo-days); the second pass loads one day at a time. So the process holds one day of
sentences (a few thousand articles), never the corpus. Output is written to a temporary file
and renamed, so an interrupted run leaves no partial corpus under the final name.

Deterministic: the same input, N and seed give the same output byte for byte (the random
generator is seeded per day; days are processed in sorted order).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "news-corpus.jsonl.gz"

#: A sentence ends after one of these (kept with the sentence), or at the end of the text.
_SENTENCE = re.compile(r"[^。！？!?；]*[。！？!?；]+|[^。！？!?；]+$")
_UNDATED_DAYS = 10
_START = datetime(2014, 1, 1)
_SPAN = timedelta(days=3652)
#: Chance that a sentence comes from the same position of its donor story (leads stay leads).
_SAME_POSITION = 0.7


def sentences(text: str) -> list[str]:
    """The text cut after sentence-final punctuation; whitespace-only pieces dropped."""
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def _day_of(record: dict[str, object], n_undated: int) -> str:
    date = record.get("date")
    if isinstance(date, str) and len(date) >= 10:
        return date[:10]
    return f"undated-{n_undated % _UNDATED_DAYS}"


def split_by_day(corpus: Path, workdir: Path, originals: gzip.GzipFile | None) -> dict[str, int]:
    """Stream `corpus` into `<workdir>/<day>.jsonl` files; returns articles per day."""
    counts: dict[str, int] = {}
    handles = {}
    undated = 0
    try:
        with gzip.open(corpus, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{corpus}:{number}: not JSON: {exc.msg}") from exc
                if originals is not None:
                    originals.write(line.rstrip("\n").encode("utf-8") + b"\n")
                day = _day_of(record, undated)
                undated += not day[0].isdigit()
                if day not in handles:
                    handles[day] = (workdir / f"{day}.jsonl").open("w", encoding="utf-8")
                handles[day].write(json.dumps(record["text"], ensure_ascii=False) + "\n")
                counts[day] = counts.get(day, 0) + 1
    finally:
        for handle in handles.values():
            handle.close()
    return counts


def quotas(counts: dict[str, int], total: int) -> dict[str, int]:
    """`total` new articles shared among the days in proportion to their articles."""
    days = sorted(counts)
    size = sum(counts.values())
    out, given, seen = {}, 0, 0
    for day in days:
        seen += counts[day]
        target = round(total * seen / size)  # cumulative rounding: the parts sum to `total`
        out[day] = target - given
        given = target
    return out


def recombine(stories: list[list[str]], n_new: int, rng: random.Random) -> Iterator[str]:
    """`n_new` texts, each shaped like one story and made of other stories' sentences."""
    usable = [s for s in stories if s]
    if not usable:
        return
    for number in range(n_new):
        shape = usable[number % len(usable)]
        parts = []
        for position in range(len(shape)):
            donor = usable[rng.randrange(len(usable))]
            if len(usable) > 1:
                while donor is shape:
                    donor = usable[rng.randrange(len(usable))]
            if rng.random() < _SAME_POSITION:
                parts.append(donor[min(position, len(donor) - 1)])
            else:
                parts.append(donor[rng.randrange(len(donor))])
        yield "".join(parts)


def generate(corpus: Path, out: Path, n_articles: int, seed: int, originals: bool) -> int:
    """Write the scale corpus; returns the number of articles written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    written = 0
    with tempfile.TemporaryDirectory(prefix="scale-corpus-", dir=out.parent) as tmp, \
            gzip.open(partial, "wb", compresslevel=1) as sink:
        counts = split_by_day(corpus, Path(tmp), sink if originals else None)
        written = sum(counts.values()) if originals else 0
        to_make = max(0, n_articles - written)
        step = _SPAN / max(to_make, 1)
        made = 0
        for day, quota in quotas(counts, to_make).items():
            with (Path(tmp) / f"{day}.jsonl").open(encoding="utf-8") as f:
                stories = [sentences(json.loads(line)) for line in f]
            rng = random.Random(f"{seed}:{day}")
            for text in recombine(stories, quota, rng):
                date = _START + step * made + timedelta(seconds=rng.randrange(3600))
                record = {
                    "id": f"scale-{made:07d}",
                    "date": date.strftime("%Y-%m-%dT%H:%M:%S"),
                    "text": text,
                }
                sink.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
                made += 1
        written += made
    partial.rename(out)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", type=int, help="articles in the output, originals included")
    parser.add_argument("out", type=Path, help="the .jsonl.gz to write")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-originals", action="store_true",
                        help="only generated articles (by default the originals come first)")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus}: corpus not found")
    n = generate(args.corpus, args.out, args.articles, args.seed, not args.no_originals)
    print(f"{args.out}: {n:,} articles")


if __name__ == "__main__":
    main()

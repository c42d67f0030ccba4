"""The scale-corpus generator: deterministic, new texts from same-day sentences, streamed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.scale_corpus import generate, quotas, sentences

DAY_A = ["甲一。甲二！甲三？", "乙一。乙二。", "丙一；丙二。丙三。丙四。"]
DAY_B = ["丁一。丁二。", "戊一。戊二。戊三。"]
UNDATED = ["己一。己二。"]


def _corpus(path: Path) -> Path:
    records = [
        *({"id": f"a{i}", "date": "2023-08-01T10:00:00", "text": t} for i, t in enumerate(DAY_A)),
        *({"id": f"b{i}", "date": "2023-08-02T10:00:00", "text": t} for i, t in enumerate(DAY_B)),
        {"id": "u0", "text": UNDATED[0]},
    ]
    records = [records[i] for i in (0, 3, 1, 5, 4, 2)]  # days interleaved, as in the corpus
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_generated_articles_recombine_sentences_of_other_stories_of_the_same_day(
    tmp_path: Path,
) -> None:
    corpus = _corpus(tmp_path / "in.jsonl.gz")
    out = tmp_path / "out.jsonl.gz"
    assert generate(corpus, out, 60, seed=1, originals=True) == 60
    records = _read(out)
    assert [r["id"] for r in records[:6]] == ["a0", "b0", "a1", "u0", "b1", "a2"]
    made = records[6:]
    assert len({r["id"] for r in made}) == 54 and all(r["id"].startswith("scale-") for r in made)
    originals = set(DAY_A + DAY_B + UNDATED)
    days = [{s for t in day for s in sentences(t)} for day in (DAY_A, DAY_B, UNDATED)]
    per_day = [0, 0, 0]
    for r in made:
        parts = sentences(r["text"])
        [day] = [i for i, d in enumerate(days) if set(parts) <= d]  # one day's sentences only
        per_day[day] += 1
        if day < 2:  # a day with several stories: never a copy of one of them
            assert r["text"] not in originals
    assert per_day == [27, 18, 9]  # in proportion to each day's stories (3 : 2 : 1)
    dates = [r["date"] for r in made]
    assert dates == sorted(dates) and dates[0] >= "2014-01-01" and dates[-1] < "2024-01-02"


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_texts(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in.jsonl.gz")
    first, again, other = (tmp_path / f"{n}.jsonl.gz" for n in ("first", "again", "other"))
    generate(corpus, first, 30, seed=5, originals=False)
    generate(corpus, again, 30, seed=5, originals=False)
    generate(corpus, other, 30, seed=6, originals=False)
    assert len(_read(first)) == 30
    assert gzip.decompress(first.read_bytes()) == gzip.decompress(again.read_bytes())
    assert [r["text"] for r in _read(first)] != [r["text"] for r in _read(other)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "again.jsonl.gz", "first.jsonl.gz", "in.jsonl.gz", "other.jsonl.gz"
    ]  # no temporary day files or partial output left


def test_a_bad_corpus_line_is_named_and_no_partial_output_is_left(tmp_path: Path) -> None:
    corpus = tmp_path / "bad.jsonl.gz"
    corpus.write_bytes(gzip.compress(b'{"id": "x", "text": "a."}\n{not json\n'))
    out = tmp_path / "out.jsonl.gz"
    with pytest.raises(SystemExit, match=r"bad\.jsonl\.gz:2: not JSON"):
        generate(corpus, out, 10, seed=1, originals=True)
    assert not out.exists()


def test_quotas_add_up_and_follow_the_day_sizes() -> None:
    shares = quotas({"2023-08-02": 1, "2023-08-01": 2, "undated-0": 1}, 10)
    assert sum(shares.values()) == 10 and list(shares) == sorted(shares)
    assert shares == {"2023-08-01": 5, "2023-08-02": 3, "undated-0": 2}  # 7.5 rounds to 8

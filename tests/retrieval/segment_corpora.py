"""Small segmented corpora for the top-k tests: Zipf-like word counts (common words with long
posting lists, as news has), tie-heavy shapes, random queries, random segment splits."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from retrieval.segment_files import arrays_of_docs
from retrieval.segment_writer import write_segment

Docs = list[tuple[int, list[str]]]


def zipf_docs(rng: random.Random, n_docs: int, vocab: int = 400) -> Docs:
    words = [f"w{i}" for i in range(vocab)]
    weights = [1.0 / (i + 1) ** 1.1 for i in range(vocab)]
    docs, key = [], 10
    for _ in range(n_docs):
        key += rng.randint(1, 3)
        docs.append((key, rng.choices(words, weights, k=rng.randint(1, 60))))
    return docs


def tied_docs(rng: random.Random, n_docs: int) -> Docs:
    """Few shapes of passage, each repeated many times under different ids.

    Two shapes carry a rarer word ("x", "y"), so common letters can be skipped and the pruned
    path is taken, and the k-th place still falls among identical scores.
    """
    shapes = [[rng.choice("abcdef") for _ in range(rng.randint(1, 6))] for _ in range(6)]
    shapes += [["x", *shapes[0]], ["y", "x", *shapes[1]]]
    chances = [1.0] * 6 + [0.15, 0.1]
    return [(100 + 2 * i, list(rng.choices(shapes, chances)[0])) for i in range(n_docs)]


def random_queries(rng: random.Random, vocab: list[str], n: int) -> list[list[str]]:
    out = []
    for _ in range(n):
        common = rng.sample(vocab[:12], rng.randint(0, 8))
        rare = rng.sample(vocab[12:], rng.randint(0, 4))
        query = common + rare + rng.sample(common + rare, min(2, len(common + rare)))  # repeats
        rng.shuffle(query)
        out.append([*query, "never-seen"] if rng.random() < 0.2 else query)
    return out


def write_segments(root: Path, docs: Docs, rng: random.Random, n_segments: int) -> dict[int, str]:
    cuts = sorted(rng.sample(range(1, len(docs)), n_segments - 1))
    bounds = [0, *cuts, len(docs)]
    return {
        g + 1: write_segment(root, arrays_of_docs(docs[lo:hi])).name
        for g, (lo, hi) in enumerate(itertools.pairwise(bounds))
    }

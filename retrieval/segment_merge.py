"""Merging segments: which to merge (a tiered policy) and writing the merged segment.

Every ingest adds a segment, and a query pays a fixed cost per segment, so small segments are
merged into larger ones in the background, as Lucene and tantivy do. The tiered policy groups
segments whose live document counts are within a factor of each other and merges a group once
it has `factor` members: each document is rewritten about log_factor(N) times over its life,
and the number of live segments stays logarithmic in the collection size.

The merge streams: it reads the inputs' mapped arrays chunk by chunk and scatters postings
straight into the output's memory-mapped files, so merging segments of millions of postings
needs memory for the vocabulary and one chunk, not for the result. Tombstoned documents are
dropped (and terms left with no postings), which is what lets the registry forget those
tombstones afterwards (see `retrieval.segment_files`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.index import IntArray, posting_chunks, terms_of_range
from retrieval.segment_files import Segment, SegmentInfo, writing_segment


@dataclass(frozen=True)
class MergePolicy:
    """Tiered merging: `factor` segments of one size tier are merged into one.

    Segments below `floor_docs` live documents all count as the smallest tier (an ingest of
    a few articles should not make a tier of its own); a segment with at least
    `max_dead_fraction` of its documents tombstoned is rewritten on its own to reclaim them.
    """

    factor: int = 8
    floor_docs: int = 4096
    max_dead_fraction: float = 0.3

    def tier(self, live_docs: int) -> int:
        """0 below floor·factor documents, 1 below floor·factor², and so on."""
        tier, bound = 0, self.floor_docs * self.factor
        while live_docs >= bound:
            tier, bound = tier + 1, bound * self.factor
        return tier

    def plan(self, sizes: Mapping[int, tuple[int, int]]) -> list[int]:
        """Generations to merge next, oldest first, or [] when nothing needs merging.

        `sizes` is `{generation: (documents, tombstoned documents)}` (`SegmentSet.sizes`).
        One merge at a time: the caller commits it and asks again.
        """
        tiers: dict[int, list[int]] = {}
        for generation in sorted(sizes):
            n_docs, n_dead = sizes[generation]
            if n_docs and n_dead / n_docs >= self.max_dead_fraction:
                return [generation]
            tiers.setdefault(self.tier(n_docs - n_dead), []).append(generation)
        for tier in sorted(tiers):
            if len(tiers[tier]) >= self.factor:
                return tiers[tier][: self.factor]
        return []


def _live_counts(segment: Segment, alive: np.ndarray | None) -> IntArray:
    """Postings per term of `segment` that belong to live documents."""
    a = segment.arrays
    if alive is None:
        return np.diff(a.indptr)
    counts = np.zeros(len(a.hashes), np.int64)
    for lo, hi in posting_chunks(len(a.doc_rows)):
        terms = terms_of_range(a.indptr, lo, hi)
        counts += np.bincount(terms[alive[a.doc_rows[lo:hi]]], minlength=len(counts))
    return counts


def merge_segments(
    root: Path, segments: Sequence[Segment], tombstones: Iterable[int] | IntArray = ()
) -> SegmentInfo | None:
    """Write one segment holding the live documents of `segments`, in their order.

    Returns None when every document is tombstoned (nothing to write; the caller just retires
    the inputs). Scores over the result equal scores over the inputs with the same tombstones.
    """
    given = tombstones if isinstance(tombstones, np.ndarray) else list(tombstones)
    dead = np.unique(np.asarray(given, np.int64))
    alive: list[np.ndarray | None] = []
    for segment in segments:
        mask = ~np.isin(segment.arrays.keys, dead) if len(dead) else None
        alive.append(None if mask is None or mask.all() else mask)
    n_live = [
        s.arrays.n_docs if m is None else int(m.sum())
        for s, m in zip(segments, alive, strict=True)
    ]
    if sum(n_live) == 0:
        return None
    hashes = [s.arrays.hashes for s in segments]
    vocabulary = np.unique(np.concatenate([np.zeros(0, np.uint64), *hashes]))
    where = [np.searchsorted(vocabulary, s.arrays.hashes) for s in segments]
    counts = [_live_counts(s, m) for s, m in zip(segments, alive, strict=True)]
    total = np.zeros(len(vocabulary), np.int64)
    for pos, count in zip(where, counts, strict=True):
        total[pos] += count  # a segment's terms are distinct, so no index repeats here
    kept = total > 0
    renumber = np.cumsum(kept) - 1
    indptr = np.zeros(int(kept.sum()) + 1, np.int64)
    np.cumsum(total[kept], out=indptr[1:])
    filled = np.zeros(len(indptr) - 1, np.int64)
    with writing_segment(root) as writer:
        writer.put("hashes", vocabulary[kept])
        writer.put("indptr", indptr)
        out_rows = writer.array("doc_rows", int(indptr[-1]))
        out_tfs = writer.array("tfs", int(indptr[-1]))
        first_row = 0
        for i, segment in enumerate(segments):
            a, mask, count = segment.arrays, alive[i], counts[i]
            has = count > 0
            term_out = renumber[where[i]]
            # Where this segment's postings of each term start in the output lists.
            start = np.where(has, indptr[term_out] + filled[term_out], 0)
            live_start = np.zeros(len(count) + 1, np.int64)
            np.cumsum(count, out=live_start[1:])
            new_row = np.arange(a.n_docs, dtype=np.int64) if mask is None else np.cumsum(mask) - 1
            new_row += first_row
            done = 0
            for lo, hi in posting_chunks(len(a.doc_rows)):
                terms = terms_of_range(a.indptr, lo, hi)
                rows, tfs = a.doc_rows[lo:hi], a.tfs[lo:hi]
                if mask is not None:
                    keep = mask[rows]
                    terms, rows, tfs = terms[keep], rows[keep], tfs[keep]
                rank = np.arange(done, done + len(rows)) - live_start[terms]
                dest = start[terms] + rank
                out_rows[dest] = new_row[rows]
                out_tfs[dest] = tfs
                done += len(rows)
            filled[term_out[has]] += count[has]
            first_row += n_live[i]
        for field in ("doc_len", "keys"):
            parts = [getattr(s.arrays, field) for s in segments]
            live = [p if m is None else p[m] for p, m in zip(parts, alive, strict=True)]
            writer.put(field, np.concatenate(live))
        return writer.commit()

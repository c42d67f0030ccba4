"""Merging segments: which to merge (a tiered policy) and writing the merged segment.

Every ingest adds a segment, and a query pays a fixed cost per segment, so small segments are
merged into larger ones in the background, as Lucene and tantivy do. The tiered policy groups
segments whose live document counts are within a factor of each other and merges a group once
it has `factor` members: each document is rewritten about log_factor(N) times over its life,
and the number of live segments stays logarithmic in the collection size.

The merge streams, in output term order: for a range of terms holding about `MERGE_CHUNK`
postings it reads each input's postings of those terms (a contiguous range of each input,
read from the file rather than through the mapping), orders them by term and appends them to
the output files, deriving the per-term bounds on the way. Merging segments of hundreds of
millions of postings needs memory for the vocabulary and one chunk, not for the inputs or the
result. Tombstoned documents are
dropped (and terms left with no postings), which is what lets the registry forget those
tombstones afterwards (see `retrieval.segment_files`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.index import Int32Array, IntArray, posting_chunks, terms_of_range
from retrieval.posting_words import pack, posting_dtype
from retrieval.segment_bounds import WindowBoundsBuilder
from retrieval.segment_files import Segment, SegmentInfo, read_postings
from retrieval.segment_writer import writing_segment

#: Postings merged per step: the memory a merge needs beyond the vocabulary arrays.
MERGE_CHUNK = 1 << 21


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


def _live_counts(root: Path, segment: Segment, alive: np.ndarray | None) -> IntArray:
    """Postings per term of `segment` that belong to live documents."""
    a = segment.arrays
    if alive is None:
        return np.diff(a.indptr)
    counts = np.zeros(len(a.hashes), np.int64)
    for lo, hi in posting_chunks(a.n_postings):
        terms = terms_of_range(a.indptr, lo, hi)
        rows, _ = read_postings(root, segment, lo, hi)
        counts += np.bincount(terms[alive[rows]], minlength=len(counts))
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
    # Term numbers are held as int64 only where they are summed: the vocabulary-sized arrays
    # are what a large merge's memory goes to.
    where = [np.searchsorted(vocabulary, s.arrays.hashes).astype(np.int32) for s in segments]
    total = np.zeros(len(vocabulary), np.int64)
    for pos, segment, mask in zip(where, segments, alive, strict=True):
        # A segment's terms are distinct, so no index repeats here.
        total[pos] += _live_counts(root, segment, mask)
    kept = total > 0
    hashes_out = vocabulary[kept]
    del vocabulary
    renumber = (np.cumsum(kept, dtype=np.int64) - 1).astype(np.int32)
    indptr = np.zeros(len(hashes_out) + 1, np.int64)
    np.cumsum(total[kept], out=indptr[1:])
    del total, kept
    # Each input's term numbers in the output (non-decreasing: both vocabularies are sorted).
    term_out = [renumber[pos] for pos in where]
    del where, renumber
    new_rows = []
    first_row = 0
    for segment, mask, live in zip(segments, alive, n_live, strict=True):
        rows = (
            np.arange(segment.arrays.n_docs, dtype=np.int64)
            if mask is None
            else np.cumsum(mask) - 1
        )
        new_rows.append(rows + first_row)
        first_row += live
    doc_len = _live_values(segments, alive, "doc_len")
    windows = WindowBoundsBuilder(indptr, doc_len)
    n_terms = len(indptr) - 1
    max_tf = np.zeros(n_terms, np.uint8)
    min_len = np.zeros(n_terms, np.int32)
    with writing_segment(root) as writer:
        writer.put("hashes", hashes_out)
        writer.put("indptr", indptr)
        n_docs = sum(n_live)
        out = writer.stream("postings", int(indptr[-1]), posting_dtype(n_docs))
        first = 0
        while first < n_terms:
            # Whole output terms from `first` whose postings fill about one chunk.
            last = int(np.searchsorted(indptr, indptr[first] + MERGE_CHUNK, side="right")) - 1
            last = min(max(last, first + 1), n_terms)
            terms, rows, tfs = _gather(root, segments, alive, term_out, new_rows, first, last)
            order = np.argsort(terms, kind="stable")  # by term; input order kept within one
            rows, tfs = rows[order], tfs[order]
            out.write(pack(rows, tfs, n_docs))
            at = indptr[first:last] - indptr[first]
            lengths = doc_len[rows]
            max_tf[first:last] = np.maximum.reduceat(tfs, at)
            min_len[first:last] = np.minimum.reduceat(lengths, at)
            windows.add(first, last, rows, tfs, lengths)
            first = last
        writer.put("max_tf", max_tf)
        writer.put("min_len", min_len)
        writer.put_windows(windows.bounds())
        writer.put("doc_len", doc_len)
        writer.put("keys", _live_values(segments, alive, "keys"))
        return writer.commit()


def _live_values(
    segments: Sequence[Segment], alive: Sequence[np.ndarray | None], field: str
) -> IntArray:
    """A per-document array (`doc_len`, `keys`) of the live documents, inputs in order."""
    parts = [getattr(s.arrays, field) for s in segments]
    return np.concatenate([p if m is None else p[m] for p, m in zip(parts, alive, strict=True)])


def _gather(
    root: Path,
    segments: Sequence[Segment],
    alive: Sequence[np.ndarray | None],
    term_out: Sequence[Int32Array],
    new_rows: Sequence[IntArray],
    first: int,
    last: int,
) -> tuple[IntArray, IntArray, np.ndarray]:
    """The live postings of output terms `first:last` from every input, input by input:
    `(output term, output row, tf)` per posting, each input's part already in term order."""
    terms_parts, rows_parts, tfs_parts = [], [], []
    for segment, mask, out, renumbered in zip(segments, alive, term_out, new_rows, strict=True):
        a = segment.arrays
        lo_term, hi_term = np.searchsorted(out, [first, last])
        lo, hi = int(a.indptr[lo_term]), int(a.indptr[hi_term])
        if hi == lo:
            continue
        rows, tfs = read_postings(root, segment, lo, hi)
        terms = out[terms_of_range(a.indptr, lo, hi)]
        if mask is not None:
            keep = mask[rows]
            terms, rows, tfs = terms[keep], rows[keep], tfs[keep]
        terms_parts.append(terms)
        rows_parts.append(renumbered[rows])
        tfs_parts.append(tfs)
    return (
        np.concatenate([np.zeros(0, np.int64), *terms_parts]),
        np.concatenate([np.zeros(0, np.int64), *rows_parts]),
        np.concatenate([np.zeros(0, np.uint8), *tfs_parts]),
    )

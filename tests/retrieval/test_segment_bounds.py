"""What bounds a term's weight in a segment (`retrieval.segment_bounds`): the stored
segment-wide and per-window bounds hold for every posting, rounded the safe way, and a
malformed bounds file is a clear error. That the searches using them stay exact is checked in
`test_segment_prune.py`."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

import retrieval.segment_bounds as segment_bounds
from retrieval.index import BM25Params
from retrieval.posting_words import rows_of, tfs_of
from retrieval.segment_bounds import term_bounds
from retrieval.segment_files import SegmentArrays, SegmentError, arrays_of_docs, load_segment
from retrieval.segment_merge import merge_segments
from retrieval.segment_writer import write_segment
from tests.retrieval.segment_corpora import zipf_docs


def test_stored_term_bounds_are_each_terms_largest_tf_and_shortest_passage(
    tmp_path: Path,
) -> None:
    rng = random.Random(7)
    docs = zipf_docs(rng, 300)
    arrays = arrays_of_docs(docs)
    max_tf, min_len = term_bounds(arrays.indptr, arrays.postings, arrays.doc_len)
    for t in range(len(arrays.hashes)):
        words = arrays.postings[arrays.indptr[t] : arrays.indptr[t + 1]]
        assert max_tf[t] == tfs_of(words).max()
        assert min_len[t] == arrays.doc_len[rows_of(words)].min()
    segment = load_segment(tmp_path, write_segment(tmp_path, arrays).name)
    written = segment.arrays
    assert written.max_tf is not None and written.min_len is not None
    np.testing.assert_array_equal(written.max_tf, max_tf)
    np.testing.assert_array_equal(written.min_len, min_len)
    # A merge (which writes only the postings) gets bounds derived at commit.
    dead = [key for key, _ in docs[::3]]
    info = merge_segments(tmp_path, [segment], dead)
    assert info is not None
    merged = load_segment(tmp_path, info.name).arrays
    assert merged.max_tf is not None and merged.min_len is not None
    expected = term_bounds(merged.indptr, merged.postings, merged.doc_len)
    np.testing.assert_array_equal(merged.max_tf, expected[0])
    np.testing.assert_array_equal(merged.min_len, expected[1])
    assert merged.min_len.min() >= 0 and len(merged.max_tf) == len(merged.hashes)


def test_stored_window_bounds_are_each_windows_largest_weight_rounded_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment_bounds, "WINDOW_ROWS", 16)
    monkeypatch.setattr(segment_bounds, "WINDOW_TERM_POSTINGS", 20)
    rng = random.Random(5)
    docs = zipf_docs(rng, 300)
    segment = load_segment(tmp_path, write_segment(tmp_path, arrays_of_docs(docs)).name)

    def check(a: SegmentArrays) -> int:
        """Every (term, window) against its postings' weights; returns the windows bounded."""
        w = a.windows
        assert w is not None and w.rows == 16 and (w.k1, w.b) == (1.2, 0.5)
        assert w.avgdl == pytest.approx(float(np.mean(a.doc_len)))
        lengths = np.diff(np.asarray(a.indptr, np.int64))
        np.testing.assert_array_equal(w.terms, np.flatnonzero(lengths >= 20))
        count = -(-a.n_docs // 16)
        step = w.step(BM25Params(), w.avgdl)
        for b, t in enumerate(w.terms.tolist()):
            words = a.postings[a.indptr[t] : a.indptr[t + 1]]
            rows, tfs = rows_of(words), tfs_of(words).astype(np.float64)
            norm = 1.2 * (0.5 + 0.5 * a.doc_len[rows] / w.avgdl)
            weights = tfs * 2.2 / (tfs + norm)
            for window in range(count):
                here = rows // 16 == window
                stored = int(w.weight[b * count + window])
                if here.any():  # the largest weight, rounded up to the next step
                    assert (stored - 1) * step < weights[here].max() <= stored * step
                else:
                    assert stored == 0
        return len(w.terms) * count

    assert check(segment.arrays) > 100
    # A merge computes them while it streams the postings, for the renumbered rows.
    info = merge_segments(tmp_path, [segment], [key for key, _ in docs[::4]])
    assert info is not None
    assert check(load_segment(tmp_path, info.name).arrays) > 50


def test_window_bounds_hold_under_any_collection_average_and_not_other_parameters() -> None:
    bounds = segment_bounds.WindowBounds(16, np.zeros(0, np.int64), np.zeros(0, np.uint8),
                                          1.2, 0.5, 40.0)
    one_step = 2.2 / segment_bounds.WEIGHT_STEPS
    assert bounds.step(BM25Params(), 40.0) == pytest.approx(one_step)
    assert bounds.step(BM25Params(), 20.0) == pytest.approx(one_step)  # shorter: lighter
    assert bounds.step(BM25Params(), 60.0) == pytest.approx(1.5 * one_step)
    assert bounds.step(BM25Params(k1=1.5, b=0.75), 40.0) == 0.0  # stored for other knobs
    # The factor bounds the real change: a passage of any length, any tf, A0 → 1.5·A0.
    tf, length = np.meshgrid(np.arange(1, 30.0), np.arange(1, 400.0))
    def weight(average: float) -> np.ndarray:
        return tf * 2.2 / (tf + 1.2 * (0.5 + 0.5 * length / average))
    assert (weight(60.0) <= 1.5 * weight(40.0) + 1e-12).all()


def test_malformed_window_bounds_are_a_clear_error(tmp_path: Path) -> None:
    info = write_segment(tmp_path, arrays_of_docs(zipf_docs(random.Random(3), 50)))
    np.save(tmp_path / info.name / "window_weight.npy", np.zeros(3, np.uint8))
    with pytest.raises(SegmentError, match="window bounds disagree with the segment's size"):
        load_segment(tmp_path, info.name)


def test_a_malformed_bounds_file_is_a_clear_error(tmp_path: Path) -> None:
    info = write_segment(tmp_path, arrays_of_docs(zipf_docs(random.Random(3), 50)))
    np.save(tmp_path / info.name / "max_tf.npy", np.zeros(2, np.uint8))
    with pytest.raises(SegmentError, match=r"max_tf\.npy: not a uint8 array"):
        load_segment(tmp_path, info.name)

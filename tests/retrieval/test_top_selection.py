"""Selecting the top k from dense scores."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.top_selection import leaders


@pytest.mark.parametrize("seed", range(20))
def test_leaders_keep_every_document_scoring_at_least_the_kth_best(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5000))
    # Few distinct values, so many ties; most documents score nothing.
    acc = np.where(rng.random(n) < 0.3, rng.integers(1, 8, n) / 4.0, 0.0)
    for k in (1, 10, 30):
        kept = leaders(acc, k)
        positive = np.sort(acc[acc > 0])[::-1]
        kth = positive[min(k, len(positive)) - 1] if len(positive) else np.inf
        # Every document at or above the k-th best positive score is kept...
        assert set(np.flatnonzero(acc >= kth).tolist()) <= set(kept.tolist())
        # ...and nothing that scores zero.
        assert (acc[kept] > 0).all()

"""The top k among the passages that hold every one of some required terms (a quoted phrase).

Why: a quoted phrase is a filter. Ranking the whole collection and then testing the best
thousand passages' text for the phrase reads and folds up to a thousand rows per query, and
it never finds a phrase whose passages all rank below the thousandth. A passage holding the
phrase holds each of its character bigrams as a term (`retrieval.tokenizer` indexes every
adjacent pair of a run of Han characters, and stored text has no space between two Han
characters, `retrieval.text.clean_spacing`). So the intersection of those bigrams' posting
lists is a superset of the passages that hold the phrase, usually a small one: only they are
scored, exactly as `SegmentSet.top_k` scores them, and the caller checks their text.
Where the view's queries go to the compiled search (`SegmentSet.searched_compiled`), the
survivors are scored by its loop too (`retrieval.segment_daat.scores_of_rows`): one pass per
term, rather than several numpy calls per term and segment.

How: per segment, the required terms' sorted rows are intersected shortest list first (each
further list answers by binary search for the rows left); tombstoned rows are dropped; every
query term's weight is looked up for the survivors and summed in query order, the same
float32 weights and the same order as the exhaustive search, so the scores are identical.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from retrieval.index import IntArray, Ranked, ranked
from retrieval.posting_words import PostingArray, rows_of, words_of_rows
from retrieval.segment_prune import F64Array, MemberPostings, QueryPostings, Scratch

if TYPE_CHECKING:
    from retrieval.segment_search import SegmentSet


def top_k_holding(
    view: SegmentSet, terms: Sequence[str], required: Sequence[str], k: int, limit: int
) -> list[Ranked] | None:
    """The `k` best live passages for `terms` among those holding every `required` term.

    Best first, ties by passage id, scores as `view.top_k` gives them. Returns None when more
    than `limit` passages hold the required terms: such a phrase is common enough for the
    ranking of the whole collection to find it, which is then cheaper.
    """
    if not terms or not required or k <= 0 or view.n_docs == 0:
        return []
    need = list(dict.fromkeys(required))
    df, spans = view.lookup(need)
    if not df.all():
        return []
    q = QueryPostings(view, terms)
    by_first = {m.first: m for m in q.members}
    compiled = compiled_scores() if view.searched_compiled() else None
    scratch = Scratch.of(view)
    keys: list[IntArray] = []
    scores: list[F64Array] = []
    n_found = 0
    for span in spans:
        first = int(q.rows.offset[span.member.generation])
        rows = _holding(span.member.segment.arrays.postings, span.lo, span.hi)
        if rows is None or len(rows) == 0:
            continue
        if span.member.dead is not None:
            rows = rows[~span.member.dead[rows]]
        n_found += len(rows)
        if n_found > limit:
            return None
        member = by_first.get(first)
        if member is None or len(rows) == 0:
            continue
        keys.append(q.rows.keys[rows + first])
        if compiled is not None:
            scores.append(compiled(q, member, rows))
            continue
        table = np.zeros((len(q.bound), len(rows)), np.float32)
        for term in range(len(q.bound)):
            table[term] = q.look_up_local(term, member, rows, scratch.where)
        scores.append(q.exact(table))
    if not keys:
        return []
    all_keys, summed = np.concatenate(keys), np.concatenate(scores)
    order = np.lexsort((all_keys, -summed))
    order = order[summed[order] >= np.finfo(np.float64).tiny][:k]
    return ranked(all_keys[order], summed[order])


def compiled_scores() -> Callable[[QueryPostings, MemberPostings, IntArray], F64Array] | None:
    """`retrieval.segment_daat.scores_of_rows` when the compiled search can be loaded."""
    from retrieval.segment_search import compiled_search

    if compiled_search() is None:
        return None
    from retrieval.segment_daat import scores_of_rows

    return scores_of_rows


def _holding(postings: PostingArray, lo: IntArray, hi: IntArray) -> IntArray | None:
    """Local rows holding every term whose postings are `postings[lo:hi]`, sorted.

    None when one of the terms is absent from the segment.
    """
    if not (hi > lo).all():
        return None
    order = np.argsort(hi - lo, kind="stable").tolist()
    rows = rows_of(postings[int(lo[order[0]]) : int(hi[order[0]])])
    for i in order[1:]:
        if len(rows) == 0:
            break
        words = postings[int(lo[i]) : int(hi[i])]
        # A row's words are row << TF_BITS | tf with tf >= 1: its tf-0 word sorts just before.
        at = np.minimum(np.searchsorted(words, words_of_rows(rows, words)), len(words) - 1)
        rows = rows[rows_of(words[at]) == rows]
    return rows

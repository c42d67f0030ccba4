"""Where the news-dev ranking loses its answers: BM25's recall, the rerank, passage cuts, reprints.

    python bench/rank_failures.py [--depth 200] [--limit N]

An *answer passage* is a passage of a gold article that holds the answer. For each question of
news-qa-dev this prints where BM25 ranks the first answer passage (up to `--depth`), where the
service's final ranking puts it, how many of BM25's misses have another passage of a gold
article among the candidates, how many questions have no answer passage although the gold
article holds the answer (the answer straddles two passages, so no passage can hit), and, of
the questions whose answer passage is not first, how many have a passage of another article
holding the answer first (reprints and follow-ups the gold list leaves out). These are the
failure-analysis figures of README "Answer quality": they say which stage a change must move.
Uses the scratch database of `bench/quality.py` (ingested there when missing).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import EVAL, Question, contains_answer, news_questions, open_corpus  # noqa: E402

from retrieval import NewsService  # noqa: E402
from retrieval.passages import pack_article  # noqa: E402
from retrieval.rank import CANDIDATES  # noqa: E402

#: Upper ends of the rank buckets (the second stage looks at BM25's first `CANDIDATES`).
BUCKETS = (1, 5, CANDIDATES, 60, 100, 200)


def bucket(rank: int | None, depth: int) -> str:
    """The label of the bucket `rank` (0-based, None when not found) falls in."""
    if rank is None:
        return f"not in the top {depth}"
    lower = 0
    for upper in (*BUCKETS, depth):
        if rank < upper:
            return "rank 1" if upper == 1 else f"ranks {lower + 1}-{upper}"
        lower = upper
    return f"not in the top {depth}"


async def answer_passages(service: NewsService, q: Question) -> tuple[set[str], bool]:
    """The texts of the gold articles' passages holding the answer, cut as ingest cuts them,
    and whether some gold article holds the answer at all."""
    held: set[str] = set()
    in_article = False
    for article_id in sorted(q.gold):
        article = await service.article(article_id)
        texts = [p.text for p in article.paragraphs]
        body = "\n".join(texts)
        in_article = in_article or contains_answer(body, q.answers)
        spans = pack_article(
            [(p.text, p.heading) for p in article.paragraphs], service.max_passage_chars
        )
        held |= {body[s:e] for _, s, e in spans if contains_answer(body[s:e], q.answers)}
    return held, in_article


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--depth", type=int, default=200, help="BM25 ranks looked through")
    parser.add_argument("--limit", type=int, default=0, help="first N questions")
    args = parser.parse_args()
    questions = news_questions()
    if args.limit:
        questions = questions[: args.limit]
    service = await open_corpus("news", [EVAL / "news-corpus.jsonl.gz"], fresh=False)
    bm25: Counter[str] = Counter()
    final: Counter[str] = Counter()
    straddles = other_first = not_first = missed = sibling = 0
    try:
        for q in questions:
            result = await service.search(q.text, k=10)  # also brings the index view up to date
            held, in_article = await answer_passages(service, q)
            straddles += not held and in_article
            ranked = service.index.top_k(result.terms, args.depth)
            rows = await service.store.articles.passages([r.key for r in ranked])
            keys = [r.key for r in ranked if r.key in rows]
            first = next(
                (i for i, key in enumerate(keys)
                 if rows[key].article_id in q.gold and rows[key].text in held),
                None,
            )
            bm25[bucket(first, args.depth)] += 1
            if first is None or first >= CANDIDATES:
                missed += 1
                sibling += any(rows[key].article_id in q.gold for key in keys[:CANDIDATES])
            hits = result.hits
            shown = next(
                (i for i, h in enumerate(hits)
                 if h.article_id in q.gold and contains_answer(h.text, q.answers)),
                None,
            )
            final[bucket(shown, 10) if shown is None or shown < 5 else "ranks 6-10"] += 1
            if shown != 0 and hits:
                not_first += 1
                other_first += hits[0].article_id not in q.gold and contains_answer(
                    hits[0].text, q.answers
                )
    finally:
        await service.close()
    n = len(questions)
    print(f"{n} questions; answer passage in BM25's ranking:")
    for label, count in sorted(bm25.items(), key=lambda kv: _order(kv[0])):
        print(f"  {label:<20} {count:>4}")
    print("in the final ranking (search, k=10):")
    for label, count in sorted(final.items(), key=lambda kv: _order(kv[0])):
        print(f"  {label:<20} {count:>4}")
    print(f"not in BM25's top {CANDIDATES}: {missed}; of them with another passage of a gold "
          f"article there: {sibling}")
    print(f"answer straddles two passages of its gold article (no passage can hit): {straddles}")
    print(f"answer passage not first: {not_first}; of them another article's passage holding "
          f"the answer first: {other_first}")


def _order(label: str) -> int:
    """Buckets in rank order, "not in the top N" last."""
    last = label.rsplit(" ", 1)[1].split("-")[-1]
    return int(last) + (10_000 if label.startswith("not") else 0)


if __name__ == "__main__":
    asyncio.run(main())

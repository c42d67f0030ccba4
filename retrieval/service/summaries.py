"""Summaries: of one article, of the articles on a topic, and of the latest news (a digest).

Extractive (`retrieval.summary` picks the sentences); this part chooses which articles go in
and keeps near-duplicates (reprints of one story) out of a topic summary.
"""

from __future__ import annotations

import asyncio

from retrieval.records import Article, Summary, SummaryItem
from retrieval.service.questions import Questions
from retrieval.service.state import Shared
from retrieval.summary import summarize

_DIGEST_ARTICLES = 5
_TOPIC_ARTICLES = 5


class Summaries:
    """Summaries over the stored articles; topics are found with the question search."""

    def __init__(self, shared: Shared, questions: Questions) -> None:
        self._shared = shared
        self._questions = questions

    async def _summary_item(self, article: Article, sentences: int, chars: int) -> SummaryItem:
        chosen = await asyncio.to_thread(
            summarize,
            [p.text for p in article.paragraphs],
            self._shared.tokenizer.tokenize,
            sentences,
            chars,
        )
        return SummaryItem(
            article.id, article.title, article.date, article.source, article.url, chosen
        )

    async def summarize(self, target: str | None = None) -> Summary:
        """No target: digest of the latest articles; an article id: that article; else a topic."""
        if not target or not target.strip():
            rows = await self._shared.store.articles.recent(_DIGEST_ARTICLES)
            items = []
            for row in rows:
                article = await self._shared.store.articles.article(row.id)
                if article:
                    items.append(await self._summary_item(article, 2, 160))
            return Summary("digest", "", items)
        target = target.strip()
        article = await self._shared.store.articles.article(target)
        if article is not None:
            return Summary("article", target, [await self._summary_item(article, 3, 400)])
        result = await self._questions.search(target, k=40)
        items = []
        seen_titles: set[str] = set()
        seen_leads: list[set[str]] = []
        for hit in result.hits:
            if any(item.article_id == hit.article_id for item in items):
                continue
            art = await self._shared.store.articles.article(hit.article_id)
            if art is None:
                continue
            item = await self._summary_item(art, 1, 160)
            lead = set(self._shared.tokenizer.tokenize(" ".join(item.sentences)))
            if art.title in seen_titles or any(_jaccard(lead, s) > 0.6 for s in seen_leads):
                continue
            seen_titles.add(art.title)
            seen_leads.append(lead)
            items.append(item)
            if len(items) >= _TOPIC_ARTICLES:
                break
        return Summary("topic", target, items)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0

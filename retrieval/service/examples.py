"""Example questions for /help and the first screen: ones the loaded news really answers.

Candidates come from the newest articles' headlines (or, for articles without a real headline,
the clauses of their lead: `retrieval.service.example_topics`); each is asked as a reader
would ask it, and kept only when `ask` finds the answer. The set is recomputed only when the
article or passage count changes, so /help costs a few questions once per ingest.
"""

from __future__ import annotations

import re

from retrieval.errors import QueryError
from retrieval.records import ArticleRow, Examples
from retrieval.service.example_topics import lead_topics
from retrieval.service.questions import Questions
from retrieval.text import ORIGINAL_TITLE, SENTENCE_END_MARKS, derive_title

_EXAMPLE_ARTICLES = 20
_MAX_EXAMPLE_CANDIDATES = 15
_EXAMPLES = 3
_TITLE_PARTS = re.compile(rf"[\s，,{SENTENCE_END_MARKS}：:、（）()《》“”\"'|·—-]+")


class ExampleQuestions:
    """Up to three questions from recent headlines that the loaded news can answer."""

    def __init__(self, questions: Questions) -> None:
        self._questions = questions
        self.store = questions.store
        self._cached: tuple[tuple[int, int], Examples] | None = None

    async def examples(self) -> Examples:
        """The examples for the news loaded now (recomputed when the counts change)."""
        articles, passages = await self.store.articles.counts()
        if self._cached is None or self._cached[0] != (articles, passages):
            self._cached = ((articles, passages), await self._derive())
        return self._cached[1]

    async def _answerable(self, question: str) -> bool:
        try:
            return (await self._questions.ask(question, record=False)).found
        except QueryError:
            return False

    async def _derive(self) -> Examples:
        rows = await self.store.articles.recent(_EXAMPLE_ARTICLES)
        questions: list[str] = []
        topics: list[str] = []
        tried = 0
        for row in rows:
            for topic, question in await self._candidates(row):
                if tried >= _MAX_EXAMPLE_CANDIDATES or len(questions) == _EXAMPLES:
                    break
                tried += 1
                if question not in questions and await self._answerable(question):
                    questions.append(question)
                    topics.append(topic)
                    break  # one example per article
        suggest = self._questions.suggestion
        words = topics[-1] if topics else (suggest(rows[0].title) if rows else "")
        return Examples(questions, words, rows[0].id if rows else "")

    async def _candidates(self, row: ArticleRow) -> list[tuple[str, str]]:
        """`(topic, question)` pairs for an article: from its headline when it has a real one,
        else from the clauses of its lead (a headline derived from the first sentence is
        only that sentence cut short, and reads as nonsense followed by 「？」)."""
        article = await self.store.articles.article(row.id)
        lead = article.paragraphs[0].text if article and article.paragraphs else ""
        body = article.text if article else ""
        if row.title and (row.title != derive_title(body) or ORIGINAL_TITLE.match(body)):
            return [(topic, f"{topic}？") for topic in title_topics(row.title)]
        return [(clause, f"{clause}是怎么回事？") for clause in lead_topics(lead)]


def title_topics(title: str) -> list[str]:
    """Phrases of a headline that can stand as the topic of a question, longest first."""
    parts = {p[:20] for p in _TITLE_PARTS.split(title) if len(p) >= 3}
    return sorted(parts, key=lambda p: (-len(p), title.find(p)))

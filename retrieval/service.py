"""`NewsService`: the one API the command line and the Telegram bot both call.

It owns the store and the in-memory index and returns plain dataclasses; it knows nothing of
terminals or Telegram. CPU-bound work (tokenizing, ranking, building the index) runs in worker
threads so an event loop serving many chats is never blocked. Writers (ingest, reindex) are
serialized by a lock and build a *new* index next to the live one; the live one is swapped only
after the database transaction has committed, so questions keep being answered from a
complete index the whole time.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlsplit

import numpy as np

from retrieval.answer import CHECKED_SENTENCES, FOUND_COVERAGE, coverage, rank_sentences
from retrieval.answerability import Support, missing
from retrieval.feeds import Conditional, FetchPolicy, FetchResult, fetch_source
from retrieval.index import BM25Params, EncodedDocs, InvertedIndex, encode, idf
from retrieval.models import Article, Hit
from retrieval.passages import MAX_PASSAGE_CHARS, pack_article
from retrieval.question import analyze
from retrieval.rank import CANDIDATES, Candidate, rerank
from retrieval.sources import FileResult, SourceError, expand, read_file
from retrieval.store import (
    ArticleRow,
    FeedPollState,
    FeedRow,
    NewPassage,
    PassageRow,
    Store,
    SubscriptionRow,
    Transaction,
)
from retrieval.summary import summarize
from retrieval.tokenizer import Tokenizer

logger = logging.getLogger(__name__)

#: Progress callback: (stage, done, total). Front ends map it to a progress bar.
Progress = Callable[[str, int, int], None]

MAX_QUERY_CHARS = 1000
#: Standing queries one user may keep (each is matched against every polled article).
MAX_SUBSCRIPTIONS = 10
_EXAMPLE_ARTICLES = 20
_MAX_EXAMPLE_CANDIDATES = 15
_TITLE_PARTS = re.compile(r"[\s，,。！？!?：:；;、（）()《》“”\"'|·—-]+")
_DIGEST_ARTICLES = 5
_TOPIC_ARTICLES = 5


class QueryError(ValueError):
    """The query cannot be searched (empty, or nothing but punctuation and emoji)."""


class UnknownArticle(KeyError):
    """No article has the given id."""


class FeedProblem(ValueError):
    """A feed cannot be added: bad URL, bad interval, or already there (message says which)."""


#: Feed polling interval bounds, and the longest a failing feed is left alone.
MIN_FEED_MINUTES = 1
MAX_FEED_MINUTES = 24 * 60
DEFAULT_FEED_MINUTES = 30
MAX_BACKOFF = dt.timedelta(hours=24)
#: Feeds fetched at the same time in one polling round.
FEED_CONCURRENCY = 4
#: A new article alerts a subscription when one of its passages is among this many best.
SUBSCRIPTION_DEPTH = 30


@dataclass(frozen=True)
class FeedPollReport:
    """The outcome of polling one feed. `new_article_ids`: added or changed articles."""

    feed_id: int
    url: str
    status: Literal["ok", "not_modified", "error"]
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    error: str = ""
    next_poll: str = ""
    new_article_ids: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    """What an ingest did. `failed` counts files and records that could not be read."""

    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    errors: list[SourceError] = field(default_factory=list)
    files: int = 0
    passages: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class SearchResult:
    """Ranked passages for a query, with its terms and the time the search took."""

    query: str
    terms: list[str]
    hits: list[Hit]
    took_ms: float


@dataclass(frozen=True)
class Answer:
    """The answer to a question: the sentence, the supporting passages, and whether found."""

    question: str
    found: bool
    sentence: str
    confidence: float
    hits: list[Hit]
    took_ms: float
    #: When not found: a shorter search (the question's two longest terms) worth trying.
    suggestion: str = ""
    #: "question", or what the message was instead: "chitchat", "offtopic", "search" (the
    #: hits are then plain search results). See `retrieval.question`.
    kind: str = "question"
    #: When a question is not found: the key terms the closest article lacks, and
    #: "type:<number|date|who|place>" when no sentence holds the asked kind of answer,
    #: "date:<明天…>" when the news is older than the day asked about. The hits are related.
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Examples:
    """Example inputs that work on the loaded news (derived from recent headlines)."""

    questions: list[str]
    search_words: str = ""
    article_id: str = ""


class SubscriptionLimit(ValueError):
    """The user already has the most subscriptions allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} subscriptions per user")
        self.limit = limit


@dataclass(frozen=True)
class SummaryItem:
    """A summary of one article: its chosen sentences and where it comes from."""

    article_id: str
    title: str
    date: str
    source: str
    url: str
    sentences: list[str]


@dataclass(frozen=True)
class Summary:
    """`kind` is "article", "topic" or "digest"; `query` is the topic or article id."""

    kind: str
    query: str
    items: list[SummaryItem]


@dataclass(frozen=True)
class ReindexReport:
    """What a reindex did."""

    ingest: IngestReport
    articles: int
    passages: int
    tokenized: bool
    seconds: float


@dataclass(frozen=True)
class Stats:
    """What the bot knows and how it is used."""

    articles: int
    passages: int
    terms: int
    sources: list[tuple[str, int, str]]
    latest_date: str
    questions_today: int
    found_today: int
    p50_ms: float
    p95_ms: float
    db_bytes: int


def _load_index(blobs: dict[str, bytes], params: BM25Params) -> InvertedIndex | None:
    index = InvertedIndex.from_blobs(blobs, params)
    return index.warm() if index is not None else None


_CHUNK_ARTICLES = 2000
_PARALLEL_CHARS = 2_000_000


T = TypeVar("T")
R = TypeVar("R")


@lru_cache(maxsize=1)
def _worker_tokenizer() -> Tokenizer:
    """The process's tokenizer (workers build theirs once, not per chunk)."""
    return Tokenizer()


def _map_chunks(
    fn: Callable[[T], R],
    chunks: list[T],
    *,
    parallel: bool,
    progress: Progress | None,
    stage: str,
) -> list[R]:
    """`fn` over `chunks` in order: in one worker process per core when `parallel`.

    Tokenizing is pure CPU work under the GIL, so threads would not help; workers start from
    a fork server (a clean process, not a fork of this threaded one). Callers that start an
    ingest from a script need the usual `if __name__ == "__main__":` guard.
    """
    workers = min(os.cpu_count() or 1, len(chunks))
    results: list[R] = []
    if parallel and workers > 1:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for result in pool.map(fn, chunks):
                results.append(result)
                if progress:
                    progress(stage, len(results), len(chunks))
    else:
        for chunk in chunks:
            results.append(fn(chunk))
            if progress:
                progress(stage, len(results), len(chunks))
    return results


def _encode_texts(texts: list[str]) -> EncodedDocs:
    """Tokens of stored passage texts, encoded (runs in worker processes)."""
    tokenizer = _worker_tokenizer()
    return encode([tokenizer.tokenize(t) for t in texts])


def _tokenize_chunk(
    articles: list[Article], max_chars: int
) -> tuple[list[list[NewPassage]], EncodedDocs]:
    """Passage spans and encoded tokens of a chunk of articles (runs in worker processes)."""
    tokenizer = _worker_tokenizer()
    spans = [_spans(article, max_chars) for article in articles]
    tokens: list[list[str]] = []
    for article, own in zip(articles, spans, strict=True):
        body = article.text  # joined once per article, sliced per passage
        tokens.extend(tokenizer.tokenize(body[s.start : s.end]) for s in own)
    return spans, encode(tokens)


def _spans(article: Article, max_chars: int) -> list[NewPassage]:
    paragraphs = [(p.text, p.heading) for p in article.paragraphs]
    return [NewPassage(i, start, end) for i, start, end in pack_article(paragraphs, max_chars)]


class NewsService:
    """Ingest, search, ask, summarize, reindex and stats over one database."""

    def __init__(
        self,
        store: Store,
        index: InvertedIndex,
        tokenizer: Tokenizer,
        max_passage_chars: int = MAX_PASSAGE_CHARS,
    ) -> None:
        self.store = store
        self.tokenizer = tokenizer
        self.max_passage_chars = max_passage_chars
        self._index = index
        self._write_lock = asyncio.Lock()
        self._poll_lock = asyncio.Lock()
        #: Who feeds may be fetched from; NEWSBOT_FEEDS_ALLOW_PRIVATE=1 opens loopback/LAN.
        self.feed_policy = FetchPolicy()
        self._examples: tuple[tuple[int, int], Examples] | None = None
        #: The feed scheduler's clock (UTC); tests move it instead of waiting.
        self.clock: Callable[[], dt.datetime] = _now

    @classmethod
    async def open(
        cls,
        db_path: Path,
        *,
        seed_paths: Sequence[Path] = (),
        params: BM25Params | None = None,
        feed_policy: FetchPolicy | None = None,
    ) -> NewsService:
        """Open the database; ingest `seed_paths` if it is empty; re-tokenize if needed.

        `feed_policy` says which hosts feeds may be fetched from (the front end builds it from
        its settings: the engine never reads the environment).
        """
        params = params or BM25Params()
        store = await Store.open(db_path)
        try:
            blobs = await store.load_blobs()
            loaded = await asyncio.to_thread(_load_index, blobs, params)
            service = cls(store, loaded or InvertedIndex.empty(params), _worker_tokenizer())
            if feed_policy is not None:
                service.feed_policy = feed_policy
            meta = await store.meta()
            articles, _ = await store.counts()
            stale = loaded is None or meta.get("tokenizer") != service.tokenizer.version
            if articles and stale:
                await service.reindex(retokenize=True)
            if not articles and seed_paths:
                await service.ingest(list(seed_paths))
        except BaseException:
            await store.close()
            raise
        return service

    async def close(self) -> None:
        """Close the database."""
        await self.store.close()

    @property
    def index(self) -> InvertedIndex:
        """The live index (replaced, never mutated, by ingest and reindex)."""
        return self._index

    # ------------------------------------------------------------------ ingest

    async def ingest(self, paths: Sequence[Path], progress: Progress | None = None) -> IngestReport:
        """Read files and folders; add new articles, replace changed ones, skip unchanged ones.

        All-or-nothing: the articles and the index are written in one transaction.
        """
        started = time.perf_counter()
        async with self._write_lock:
            report = IngestReport()
            results = await asyncio.to_thread(self._read_all, list(paths), progress)
            articles: list[Article] = []
            for result in results:
                report.files += 1
                report.errors.extend(result.errors)
                articles.extend(result.articles)
            report.failed = len(report.errors)
            await self._write_articles(articles, report, progress)
        report.seconds = time.perf_counter() - started
        return report

    async def ingest_articles(
        self, articles: Sequence[Article], source_label: str = ""
    ) -> IngestReport:
        """Store articles that did not come from files (feeds, pages), like `ingest` does.

        `source_label` names where they came from and fills in `Article.source` when an
        article has none, so every stored article says where it is from. Counts as one file.
        """
        report, _ = await self._ingest_articles(articles, source_label)
        return report

    async def _ingest_articles(
        self, articles: Sequence[Article], source_label: str
    ) -> tuple[IngestReport, list[str]]:
        """`ingest_articles`, also returning the ids of the added and replaced articles."""
        started = time.perf_counter()
        labelled = [
            a if a.source or not source_label else dataclasses.replace(a, source=source_label)
            for a in articles
        ]
        async with self._write_lock:
            report = IngestReport(files=1)
            changed = await self._write_articles(labelled, report, None)
        report.seconds = time.perf_counter() - started
        return report, changed

    async def _write_articles(
        self, batch: Sequence[Article], report: IngestReport, progress: Progress | None
    ) -> list[str]:
        """The one write path of every ingest: skip unchanged articles, add new ones, replace
        changed ones (same id, different content), in one transaction with the index.

        Counts go into `report`; returns the ids of the added and replaced articles. Later
        articles with the same id win. The caller holds the write lock.
        """
        articles = {a.id: a for a in batch}
        # Hashing 68k articles takes seconds: off the event loop, like the rest of the work.
        hashes = await asyncio.to_thread(
            lambda: {a.id: a.content_hash() for a in articles.values()}
        )
        stored = await self.store.content_hashes(list(articles))
        changed = [a for a in articles.values() if stored.get(a.id) != hashes[a.id]]
        report.unchanged += len(articles) - len(changed)
        replaced_ids = [a.id for a in changed if a.id in stored]
        report.replaced += len(replaced_ids)
        report.added += len(changed) - len(replaced_ids)
        if not changed:
            return []
        spans, encoded = await asyncio.to_thread(self._prepare, changed, progress)
        report.passages += sum(len(s) for s in spans)
        old_passages = await self.store.passage_ids_of(replaced_ids)
        async with self.store.transaction() as tx:
            await tx.delete_articles(replaced_ids)
            ids = await tx.insert_articles(
                [(a, hashes[a.id], s) for a, s in zip(changed, spans, strict=True)]
            )
            keys = np.fromiter((i for own in ids for i in own), np.int64)
            params = self._index.params
            new_index = await asyncio.to_thread(
                lambda: self._index.remove(old_passages)
                .merge(InvertedIndex.from_encoded(keys, encoded, params))
                .warm()
            )
            await self._save_index(tx, new_index)
        self._index = new_index
        return [a.id for a in changed]

    def _read_all(self, paths: list[Path], progress: Progress | None) -> list[FileResult]:
        files = list(expand(paths))
        results: list[FileResult] = []
        for n, (path, error) in enumerate(files, start=1):
            if error:
                results.append(FileResult(str(path), errors=[SourceError(str(path), error)]))
            else:
                results.append(read_file(path))
            if progress:
                progress("read", n, len(files))
        return results

    def _prepare(
        self, articles: list[Article], progress: Progress | None
    ) -> tuple[list[list[NewPassage]], list[EncodedDocs]]:
        """Passage spans of each article and their encoded tokens (the CPU-heavy part)."""
        step = _CHUNK_ARTICLES
        chunks = [articles[i : i + step] for i in range(0, len(articles), step)]
        chars = sum(len(p.text) for a in articles for p in a.paragraphs)
        results = _map_chunks(
            partial(_tokenize_chunk, max_chars=self.max_passage_chars),
            chunks,
            parallel=chars >= _PARALLEL_CHARS,
            progress=progress,
            stage="tokenize",
        )
        spans = [s for chunk_spans, _ in results for s in chunk_spans]
        return spans, [encoded for _, encoded in results]

    async def _save_index(self, tx: Transaction, index: InvertedIndex) -> None:
        blobs = await asyncio.to_thread(index.to_blobs)
        await tx.save_blobs(blobs)
        await tx.set_meta(
            {
                "tokenizer": self.tokenizer.version,
                "max_passage_chars": str(self.max_passage_chars),
            }
        )

    # ------------------------------------------------------------------ reindex

    async def reindex(
        self,
        paths: Sequence[Path] = (),
        progress: Progress | None = None,
        *,
        retokenize: bool = False,
    ) -> ReindexReport:
        """Ingest `paths` (new and changed files), then rebuild the index.

        The rebuild starts from the stored postings (tokens are not recomputed): passages no
        longer stored are dropped, stored passages missing from the index are tokenized and
        added, and every BM25 weight is recomputed from fresh corpus statistics. With
        `retokenize` (or when the tokenizer changed since the index was built) every passage
        is tokenized again from its stored text. Answers keep coming from the old index until
        the new one is committed.
        """
        started = time.perf_counter()
        report = await self.ingest(paths, progress) if paths else IngestReport()
        async with self._write_lock:
            meta = await self.store.meta()
            retokenize = retokenize or meta.get("tokenizer") != self.tokenizer.version
            current = InvertedIndex.empty(self._index.params) if retokenize else self._index
            stored = set(await self.store.passage_ids())
            indexed = set(current.keys.tolist())
            missing = stored - indexed
            docs = [(pid, text) async for pid, text in self.store.all_passages() if pid in missing]

            def build() -> InvertedIndex:
                step = _CHUNK_ARTICLES * 3
                chunks = [[t for _, t in docs[i : i + step]] for i in range(0, len(docs), step)]
                encoded = _map_chunks(
                    _encode_texts,
                    chunks,
                    parallel=sum(len(t) for _, t in docs) >= _PARALLEL_CHARS,
                    progress=progress,
                    stage="reindex",
                )
                keys = np.fromiter((pid for pid, _ in docs), np.int64, len(docs))
                added = InvertedIndex.from_encoded(keys, encoded, current.params)
                pruned = current.remove(sorted(indexed - stored))
                return pruned.merge(added).warm()

            new_index = await asyncio.to_thread(build)
            async with self.store.transaction() as tx:
                await self._save_index(tx, new_index)
            self._index = new_index
        articles, passages = await self.store.counts()
        return ReindexReport(
            report, articles, passages, bool(missing), time.perf_counter() - started
        )

    # ------------------------------------------------------------------ questions

    def query_terms(self, query: str) -> list[str]:
        """Tokens of a query; raises QueryError when nothing searchable is left."""
        if not query.strip():
            raise QueryError("empty query")
        terms = self.tokenizer.tokenize(query[:MAX_QUERY_CHARS])
        if not terms:
            raise QueryError(
                "the query has no searchable words (only punctuation, emoji or stopwords)"
            )
        return terms

    async def search(self, query: str, k: int = 10, offset: int = 0) -> SearchResult:
        """The passages that best match `query`, ranks `offset+1 .. offset+k`.

        BM25 picks the candidates; `retrieval.rank.rerank` orders them by how well they cover
        the question and drops reprints of the same story.
        """
        started = time.perf_counter()
        terms = self.query_terms(query)
        index = self._index
        depth = max(CANDIDATES, offset + k)
        ranked = await asyncio.to_thread(index.top_k, terms, depth)
        rows = await self.store.passages([r.key for r in ranked])
        candidates = [Candidate(r.key, r.score, rows[r.key].text) for r in ranked if r.key in rows]
        weights = self.question_weights(terms)
        ordered = await asyncio.to_thread(rerank, candidates, weights, self.tokenizer.tokenize)
        page = ordered[offset : offset + k]
        words = self.tokenizer.words(query[:MAX_QUERY_CHARS])
        hits = [
            _hit(offset + i + 1, score, rows[cand.key], words)
            for i, (cand, score) in enumerate(page)
        ]
        took = (time.perf_counter() - started) * 1000
        return SearchResult(query, terms, hits, took)

    def question_weights(self, terms: Sequence[str]) -> dict[str, float]:
        """idf of each distinct query term; unseen terms get the highest possible idf."""
        index = self._index
        unique = list(dict.fromkeys(terms))
        df = np.asarray(index.document_frequencies(unique), np.float64)
        return dict(zip(unique, idf(max(len(index), 1), df).tolist(), strict=True))

    async def ask(self, question: str, k: int = 3, *, record: bool = True) -> Answer:
        """The sentence that answers `question`, with the `k` best supporting passages.

        Only a real question gets an answer (`retrieval.question`): chit-chat and off-topic
        requests get none, a bare keyword gets search results (`kind` says which). The best
        sentences are checked against their article (`retrieval.answerability`); when none
        passes, `found` is False, `missing` says what is absent and the passages are related.
        `record=False` leaves it out of the question statistics (for questions the bot asks
        itself, such as checking its /help examples).
        """
        started = time.perf_counter()
        asked = analyze(question[:MAX_QUERY_CHARS])
        if asked.kind in ("chitchat", "offtopic"):
            self.query_terms(question)
            took = (time.perf_counter() - started) * 1000
            if record:
                await self.store.log_query("ask", took, False)
            return Answer(question, False, "", 0.0, [], took, kind=asked.kind)
        result = await self.search(question, k=max(k, 5))
        hits = result.hits
        if asked.kind == "search":
            took = (time.perf_counter() - started) * 1000
            if record:
                await self.store.log_query("ask", took, False)
            return Answer(question, False, "", 0.0, hits[:k], took, kind="search")
        ranked = await asyncio.to_thread(
            rank_sentences, asked, self.question_weights(result.terms),
            [h.text for h in hits], self.tokenizer.tokenize,
        )
        supports: dict[str, Support] = {}
        today = self.clock().date()
        choice, gaps = None, None
        for candidate in ranked[:CHECKED_SENTENCES]:
            hit = hits[candidate.hit_index]
            if hit.article_id not in supports:
                article = await self.store.article(hit.article_id)
                body = f"{article.title}\n{article.text}" if article else hit.text
                supports[hit.article_id] = Support.of(body, hit.date)
            lacking = missing(asked, candidate.sentence, supports[hit.article_id], today)
            if gaps is None:
                gaps = lacking
            if not lacking:
                choice = candidate
                break
        # Confidence: the share of the question's word weight the answer sentence covers.
        word_weights = self.question_weights(self.tokenizer.words(question[:MAX_QUERY_CHARS]))
        best = choice or (ranked[0] if ranked else None)
        confidence = (
            coverage(word_weights, set(self.tokenizer.tokenize(best.sentence))) if best else 0.0
        )
        found = choice is not None
        took = (time.perf_counter() - started) * 1000
        if record:
            await self.store.log_query("ask", took, found)
        if choice is None:
            return Answer(
                question, False, "", round(confidence, 3), hits[:k], took,
                self.suggestion(question), missing=gaps or [],
            )
        shown = hits[:k]
        if choice.hit_index >= k:
            shown = [hits[choice.hit_index], *hits[: k - 1]]
        return Answer(question, True, choice.sentence, round(confidence, 3), shown, took)

    def suggestion(self, text: str) -> str:
        """A shorter search for `text`: its two longest terms that appear in it as written."""
        terms = self.tokenizer.words(text)
        lowered = text.lower()
        chosen: list[str] = []
        for term in sorted(dict.fromkeys(terms), key=len, reverse=True):
            if term in lowered and not any(term in c for c in chosen):
                chosen.append(term)
            if len(chosen) == 2:
                break
        return " ".join(sorted(chosen, key=lowered.find))

    async def examples(self) -> Examples:
        """Up to three questions from recent headlines that the loaded news can answer.

        Recomputed only when the article or passage count changes.
        """
        articles, passages = await self.store.counts()
        if self._examples is None or self._examples[0] != (articles, passages):
            self._examples = ((articles, passages), await self._derive_examples())
        return self._examples[1]

    async def _answerable(self, question: str) -> bool:
        try:
            return (await self.ask(question, record=False)).found
        except QueryError:
            return False

    async def _derive_examples(self) -> Examples:
        rows = await self.articles(_EXAMPLE_ARTICLES)
        questions: list[str] = []
        topics: list[str] = []
        tried = 0
        for row in rows:
            for topic in title_topics(row.title):
                if tried >= _MAX_EXAMPLE_CANDIDATES or len(questions) == 3:
                    break
                tried += 1
                question = f"{topic}？"
                if question not in questions and await self._answerable(question):
                    questions.append(question)
                    topics.append(topic)
                    break  # one example per article
        words = topics[-1] if topics else (self.suggestion(rows[0].title) if rows else "")
        return Examples(questions, words, rows[0].id if rows else "")

    # ------------------------------------------------------------------ summaries

    async def _summary_item(self, article: Article, sentences: int, chars: int) -> SummaryItem:
        chosen = await asyncio.to_thread(
            summarize,
            [p.text for p in article.paragraphs],
            self.tokenizer.tokenize,
            sentences,
            chars,
        )
        return SummaryItem(
            article.id, article.title, article.date, article.source, article.url, chosen
        )

    async def summarize(self, target: str | None = None) -> Summary:
        """No target: digest of the latest articles; an article id: that article; else a topic."""
        if not target or not target.strip():
            rows = await self.store.recent_articles(_DIGEST_ARTICLES)
            items = []
            for row in rows:
                article = await self.store.article(row.id)
                if article:
                    items.append(await self._summary_item(article, 2, 160))
            return Summary("digest", "", items)
        target = target.strip()
        article = await self.store.article(target)
        if article is not None:
            return Summary("article", target, [await self._summary_item(article, 3, 400)])
        result = await self.search(target, k=40)
        items = []
        seen_titles: set[str] = set()
        seen_leads: list[set[str]] = []
        for hit in result.hits:
            if any(item.article_id == hit.article_id for item in items):
                continue
            art = await self.store.article(hit.article_id)
            if art is None:
                continue
            item = await self._summary_item(art, 1, 160)
            lead = set(self.tokenizer.tokenize(" ".join(item.sentences)))
            if art.title in seen_titles or any(_jaccard(lead, s) > 0.6 for s in seen_leads):
                continue
            seen_titles.add(art.title)
            seen_leads.append(lead)
            items.append(item)
            if len(items) >= _TOPIC_ARTICLES:
                break
        return Summary("topic", target, items)

    # ------------------------------------------------------------------ feeds

    async def add_feed(self, url: str, minutes: int = DEFAULT_FEED_MINUTES) -> FeedRow:
        """Register a feed (or article page) to poll every `minutes`; due at once.

        Raises FeedProblem for a non-http(s) URL, an interval out of range, or a URL that is
        already registered. Whether the host may be contacted is decided at fetch time, by
        `feed_policy`, so the answer follows the operator's current settings.
        """
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FeedProblem(f"not an http(s) URL: {url!r}")
        if not MIN_FEED_MINUTES <= minutes <= MAX_FEED_MINUTES:
            raise FeedProblem(
                f"the interval must be {MIN_FEED_MINUTES}..{MAX_FEED_MINUTES} minutes"
            )
        async with self._write_lock:
            feed = await self.store.add_feed(url, minutes, _iso(self.clock()))
        if feed is None:
            raise FeedProblem(f"already polling {url}")
        return feed

    async def feeds(self) -> list[FeedRow]:
        """Every registered feed with its health."""
        return await self.store.feeds()

    async def remove_feed(self, feed_id: int) -> bool:
        """Stop polling a feed (articles it brought stay); False when there is no such feed."""
        async with self._write_lock:
            return await self.store.remove_feed(feed_id)

    async def poll_feeds(
        self, due_only: bool = True, *, now: dt.datetime | None = None
    ) -> list[FeedPollReport]:
        """Fetch feeds (only the due ones with `due_only`) and ingest what is new or changed.

        Fetches run a few at a time; each feed's outcome is recorded whatever happens to the
        others (a fetch never raises, and an ingest failure is caught and recorded as that
        feed's error). A failing feed backs off: its next poll is
        `now + min(interval * 2**failures, 24 h)`, counting this failure. Rounds do not
        overlap, so a slow round and the next timer tick cannot ingest the same items twice.
        """
        async with self._poll_lock:
            now = now or self.clock()
            feeds = await self.store.due_feeds(_iso(now)) if due_only else await self.feeds()
            gate = asyncio.Semaphore(FEED_CONCURRENCY)

            async def fetch(feed: FeedRow) -> FetchResult:
                async with gate:
                    previous = Conditional(feed.etag, feed.last_modified)
                    return await fetch_source(feed.url, previous, self.feed_policy)

            results = await asyncio.gather(*(fetch(f) for f in feeds), return_exceptions=True)
            return [
                await self._record_poll(feed, result, now)
                for feed, result in zip(feeds, results, strict=True)
            ]

    async def _record_poll(
        self, feed: FeedRow, result: FetchResult | BaseException, now: dt.datetime
    ) -> FeedPollReport:
        """Ingest one fetch result and save the feed's new state; never raises for the feed."""
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result  # cancellation and friends are not the feed's fault
            result = FetchResult(
                feed.url, "error", error=f"{feed.url}: {type(result).__name__}: {result}",
                conditional=Conditional(feed.etag, feed.last_modified),
            )
        report = IngestReport()
        new_ids: list[str] = []
        status, error = result.status, result.error
        if status == "ok":
            try:
                label = urlsplit(feed.url).hostname or feed.url
                report, new_ids = await self._ingest_articles(result.articles, label)
            except Exception as exc:
                logger.exception("storing the items of %s failed", feed.url)
                status, error = "error", f"{feed.url}: cannot store the items: {exc}"
        failures = feed.failures + 1 if status == "error" else 0
        interval = dt.timedelta(minutes=feed.interval_minutes)
        wait = min(interval * 2**failures, MAX_BACKOFF) if failures else interval
        state = FeedPollState(
            polled=_iso(now),
            success=status != "error",
            etag=result.conditional.etag,
            last_modified=result.conditional.last_modified,
            error=error,
            added=report.added,
            failures=failures,
            next_poll=_iso(now + wait),
        )
        async with self._write_lock:
            await self.store.record_poll(feed.id, state)
        return FeedPollReport(
            feed.id, feed.url, status, report.added, report.replaced, report.unchanged,
            error, state.next_poll, new_ids,
        )

    # ------------------------------------------------------------------ subscriptions

    async def new_articles_matching(self, query: str, article_ids: Sequence[str]) -> list[Hit]:
        """The articles among `article_ids` a subscription to `query` should be alerted about.

        An article matches when one of its passages ranks among the `SUBSCRIPTION_DEPTH`
        best for the query *and* covers at least half of the query's word weight, the same
        test `ask` uses to decide that it found an answer; so 「乐山 项目」 does not fire for
        every article that mentions 项目. One hit per article, best first; an unsearchable
        query matches nothing.
        """
        wanted = set(article_ids)
        if not wanted:
            return []
        try:
            result = await self.search(query, k=SUBSCRIPTION_DEPTH)
        except QueryError:
            return []
        weights = self.question_weights(self.tokenizer.words(query[:MAX_QUERY_CHARS]))
        hits: dict[str, Hit] = {}
        for hit in result.hits:
            if hit.article_id not in wanted or hit.article_id in hits:
                continue
            if coverage(weights, set(self.tokenizer.tokenize(hit.text))) >= FOUND_COVERAGE:
                hits[hit.article_id] = hit
        return list(hits.values())

    async def subscribe(self, user_id: int, chat_id: int, query: str) -> SubscriptionRow:
        """Store a standing query.

        Raises QueryError when it has nothing searchable, SubscriptionLimit when the user
        already has MAX_SUBSCRIPTIONS.
        """
        query = query.strip()
        self.query_terms(query)
        if len(await self.store.subscriptions(user_id)) >= MAX_SUBSCRIPTIONS:
            raise SubscriptionLimit(MAX_SUBSCRIPTIONS)
        return await self.store.add_subscription(user_id, chat_id, query[:MAX_QUERY_CHARS])

    async def subscriptions(self, user_id: int | None = None) -> list[SubscriptionRow]:
        """A user's subscriptions, or everyone's."""
        return await self.store.subscriptions(user_id)

    async def unsubscribe(self, user_id: int, subscription_id: int) -> bool:
        """Remove one of the user's subscriptions; False when they have no such one."""
        return await self.store.remove_subscription(subscription_id, user_id)

    async def unsubscribe_chat(self, chat_id: int) -> int:
        """Remove every subscription alerting `chat_id`; returns how many."""
        return await self.store.remove_subscriptions_of_chat(chat_id)

    async def record_alert(self, subscription_ids: Sequence[int]) -> None:
        """Note that these subscriptions were alerted now."""
        await self.store.record_alert(subscription_ids)

    # ------------------------------------------------------------------ listings and stats

    async def articles(self, limit: int = 20, offset: int = 0) -> list[ArticleRow]:
        """Newest articles first."""
        return await self.store.recent_articles(limit, offset)

    async def article(self, article_id: str) -> Article:
        """One whole article; raises UnknownArticle."""
        article = await self.store.article(article_id)
        if article is None:
            raise UnknownArticle(article_id)
        return article

    async def stats(self) -> Stats:
        """Counts, sources and today's question latency."""
        articles, passages = await self.store.counts()
        sources = await self.store.sources()
        midnight = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0)
        q = await self.store.query_stats(midnight.isoformat(timespec="seconds"))
        latest = max((s[2] for s in sources), default="")
        size = sum(
            p.stat().st_size
            for p in (self.store.path, Path(f"{self.store.path}-wal"))
            if p.exists()
        )
        return Stats(
            articles, passages, self._index.n_terms, sources, latest,
            q.count, q.found, q.p50_ms, q.p95_ms, size,
        )


def _hit(rank: int, score: float, row: PassageRow, words: Sequence[str]) -> Hit:
    """A Hit from a stored passage; `terms` are the query words present in its text."""
    lowered = row.text.lower()
    return Hit(
        rank=rank,
        score=round(score, 4),
        text=row.text,
        article_id=row.article_id,
        title=row.title,
        date=row.date,
        source=row.source,
        url=row.url,
        paragraph=row.paragraph,
        heading=row.heading,
        terms=[w for w in dict.fromkeys(words) if w in lowered],
    )


def title_topics(title: str) -> list[str]:
    """Phrases of a headline that can stand as the topic of a question, longest first."""
    parts = {p[:20] for p in _TITLE_PARTS.split(title) if len(p) >= 3}
    return sorted(parts, key=lambda p: (-len(p), title.find(p)))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    """UTC ISO 8601 to the second: the form the store compares as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0

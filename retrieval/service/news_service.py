"""`NewsService`: the one API the command line and the Telegram bot both call.

A facade: it opens the database and maps the index segments, then hands each call to the
part that owns the job (`ingest.Ingestor`, `questions.Questions`, `feeds.FeedScheduler`), so
no business rule lives here and each part can change without the others. It returns plain
records and knows nothing of terminals or Telegram. CPU-bound work runs in worker threads
(and, for large ingests, worker processes) so an event loop serving many chats is never
blocked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from retrieval.errors import StoreError, UnknownArticle
from retrieval.index import BM25Params
from retrieval.passages import MAX_PASSAGE_CHARS
from retrieval.records import (
    Answer,
    Article,
    ArticleRow,
    Examples,
    FeedPollReport,
    FeedRow,
    FetchPolicy,
    Hit,
    IngestReport,
    Progress,
    ReadOptions,
    ReindexReport,
    SearchResult,
    Stats,
    SubscriptionRow,
    Summary,
)
from retrieval.segment_search import SegmentSet
from retrieval.service.feeds import DEFAULT_FEED_MINUTES, FeedScheduler
from retrieval.service.ingest import Ingestor
from retrieval.service.live_index import LiveIndex
from retrieval.service.questions import Questions
from retrieval.service.state import Shared
from retrieval.service.tokenizing import worker_tokenizer
from retrieval.store import Store
from retrieval.tokenizer import Tokenizer


class NewsService:
    """Ingest, search, ask, summarize, reindex, feeds and stats over one database."""

    def __init__(
        self,
        store: Store,
        live: LiveIndex,
        tokenizer: Tokenizer,
        max_passage_chars: int = MAX_PASSAGE_CHARS,
    ) -> None:
        self.store = store
        self.tokenizer = tokenizer
        self.max_passage_chars = max_passage_chars
        self._shared = Shared(store, tokenizer, live, max_passage_chars)
        self._ingest = Ingestor(self._shared)
        self._questions = Questions(self._shared)
        self._feeds = FeedScheduler(self._shared, self._ingest, self._questions)

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

        Maps the live segments (nothing is loaded whole). A database of an older version has
        its whole-index blobs converted into a segment once; when the index does not hold
        exactly the stored passages (or the tokenizer changed) it is rebuilt. Directories
        left by crashed writers are cleaned up when that does not mean waiting.
        `feed_policy` says which hosts feeds may be fetched from (the front end builds it from
        its settings: the engine never reads the environment).
        """
        params = params or BM25Params()
        store = await Store.open(db_path)
        try:
            service = cls(store, LiveIndex(store, params), worker_tokenizer())
            if feed_policy is not None:
                service.feed_policy = feed_policy
            await service._prepare_index(seed_paths)
        except BaseException:
            await store.close()
            raise
        return service

    async def _prepare_index(self, seed_paths: Sequence[Path]) -> None:
        upkeep = self._ingest.upkeep
        await upkeep.convert_legacy()
        await self._shared.live.refresh()
        # The passage count and the segments read together, so a concurrent ingest in another
        # process cannot make them look inconsistent.
        snapshot = await self.store.segments.snapshot(count_passages=True)
        indexed = len(await asyncio.to_thread(self._shared.live.view_of, snapshot))
        articles, _ = await self.store.articles.counts()
        meta = await self.store.articles.meta()
        stale = meta.get("tokenizer") != self.tokenizer.version
        if articles and (stale or snapshot.passages != indexed):
            try:
                await self.reindex(retokenize=stale)
            except StoreError:
                if await self.store.segments.generation() == snapshot.generation:
                    raise  # not another process rebuilding it first: a real problem
        elif articles:
            await upkeep.collect_garbage()
        if not articles and seed_paths:
            await self.ingest(list(seed_paths))

    async def close(self) -> None:
        """Close the database."""
        await self.store.close()

    @property
    def index(self) -> SegmentSet:
        """The index view as of the last question or write (replaced, never mutated)."""
        return self._shared.index

    @property
    def feed_policy(self) -> FetchPolicy:
        """Who feeds may be fetched from (loopback/LAN only when the operator allows it)."""
        return self._feeds.feed_policy

    @feed_policy.setter
    def feed_policy(self, policy: FetchPolicy) -> None:
        self._feeds.feed_policy = policy

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """The feed scheduler's clock (UTC); tests move it instead of waiting."""
        return self._feeds.clock

    @clock.setter
    def clock(self, clock: Callable[[], dt.datetime]) -> None:
        self._feeds.clock = clock

    # ------------------------------------------------------------------ ingest

    async def ingest(
        self,
        paths: Sequence[Path],
        progress: Progress | None = None,
        options: ReadOptions | None = None,
    ) -> IngestReport:
        """Read files and folders; add new articles, replace changed ones, skip unchanged ones.

        All-or-nothing: the articles and the index are written in one transaction. `options`
        set the paper and date of pages without a masthead and the PDF page limit.
        """
        return await self._ingest.ingest(paths, progress, options)

    async def ingest_articles(
        self, articles: Sequence[Article], source_label: str = ""
    ) -> IngestReport:
        """Store articles that did not come from files (feeds, pages), like `ingest` does.

        `source_label` names where they came from and fills in `Article.source` when an
        article has none. Counts as one file.
        """
        report, _ = await self._ingest.ingest_articles(articles, source_label)
        return report

    async def reindex(
        self,
        paths: Sequence[Path] = (),
        progress: Progress | None = None,
        *,
        retokenize: bool = False,
    ) -> ReindexReport:
        """Ingest `paths`, then rebuild the index (see `Ingestor.reindex`)."""
        return await self._ingest.reindex(paths, progress, retokenize=retokenize)

    async def merge(self) -> int:
        """Merge small segments now if the merge policy asks for it; returns the merges."""
        return await self._ingest.merge()

    async def delete_articles(self, ids: Sequence[str]) -> int:
        """Delete articles by id; answers (in every process) exclude them from the next
        question on. Returns how many of them were stored."""
        return await self._ingest.delete_articles(ids)

    # ------------------------------------------------------------------ questions

    def query_terms(self, query: str) -> list[str]:
        """Tokens of a query; raises QueryError when nothing searchable is left."""
        return self._questions.query_terms(query)

    async def search(self, query: str, k: int = 10, offset: int = 0) -> SearchResult:
        """The passages that best match `query`, ranks `offset+1 .. offset+k`."""
        return await self._questions.search(query, k, offset)

    def question_weights(self, terms: Sequence[str]) -> dict[str, float]:
        """idf of each distinct query term; unseen terms get the highest possible idf."""
        return self._questions.question_weights(terms)

    async def ask(self, question: str, k: int = 3, *, record: bool = True) -> Answer:
        """The sentence that best answers `question`, with the `k` best supporting passages.

        `record=False` leaves it out of the question statistics.
        """
        return await self._questions.ask(question, k, record=record)

    def suggestion(self, text: str) -> str:
        """A shorter search for `text`: its two longest terms that appear in it as written."""
        return self._questions.suggestion(text)

    async def examples(self) -> Examples:
        """Up to three questions from recent headlines that the loaded news can answer."""
        return await self._questions.examples()

    async def summarize(self, target: str | None = None) -> Summary:
        """No target: digest of the latest articles; an article id: that article; else a topic."""
        return await self._questions.summarize(target)

    # ------------------------------------------------------------------ feeds and subscriptions

    async def add_feed(self, url: str, minutes: int = DEFAULT_FEED_MINUTES) -> FeedRow:
        """Register a feed (or article page) to poll every `minutes`; raises FeedProblem."""
        return await self._feeds.add_feed(url, minutes)

    async def feeds(self) -> list[FeedRow]:
        """Every registered feed with its health."""
        return await self._feeds.feeds()

    async def remove_feed(self, feed_id: int) -> bool:
        """Stop polling a feed (articles it brought stay); False when there is no such feed."""
        return await self._feeds.remove_feed(feed_id)

    async def poll_feeds(
        self, due_only: bool = True, *, now: dt.datetime | None = None
    ) -> list[FeedPollReport]:
        """Fetch feeds (only the due ones with `due_only`) and ingest what is new or changed."""
        return await self._feeds.poll_feeds(due_only, now=now)

    async def new_articles_matching(self, query: str, article_ids: Sequence[str]) -> list[Hit]:
        """The articles among `article_ids` a subscription to `query` should be alerted about."""
        return await self._feeds.new_articles_matching(query, article_ids)

    async def subscribe(self, user_id: int, chat_id: int, query: str) -> SubscriptionRow:
        """Store a standing query; raises QueryError or SubscriptionLimit."""
        return await self._feeds.subscribe(user_id, chat_id, query)

    async def subscriptions(self, user_id: int | None = None) -> list[SubscriptionRow]:
        """A user's subscriptions, or everyone's."""
        return await self._feeds.subscriptions(user_id)

    async def unsubscribe(self, user_id: int, subscription_id: int) -> bool:
        """Remove one of the user's subscriptions; False when they have no such one."""
        return await self._feeds.unsubscribe(user_id, subscription_id)

    async def unsubscribe_chat(self, chat_id: int) -> int:
        """Remove every subscription alerting `chat_id`; returns how many."""
        return await self._feeds.unsubscribe_chat(chat_id)

    async def record_alert(self, subscription_ids: Sequence[int]) -> None:
        """Note that these subscriptions were alerted now."""
        await self._feeds.record_alert(subscription_ids)

    # ------------------------------------------------------------------ listings and stats

    async def articles(self, limit: int = 20, offset: int = 0) -> list[ArticleRow]:
        """Newest articles first."""
        return await self.store.articles.recent(limit, offset)

    async def article(self, article_id: str) -> Article:
        """One whole article; raises UnknownArticle."""
        article = await self.store.articles.article(article_id)
        if article is None:
            raise UnknownArticle(article_id)
        return article

    async def stats(self) -> Stats:
        """Counts, sources and today's question latency."""
        articles, passages = await self.store.articles.counts()
        sources = await self.store.articles.sources()
        midnight = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0)
        q = await self.store.query_log.stats(midnight.isoformat(timespec="seconds"))
        latest = max((s[2] for s in sources), default="")
        size = sum(
            p.stat().st_size
            for p in (self.store.path, Path(f"{self.store.path}-wal"))
            if p.exists()
        )
        return Stats(
            articles, passages, self._shared.index.n_terms, sources, latest,
            q.count, q.found, q.p50_ms, q.p95_ms, size,
        )



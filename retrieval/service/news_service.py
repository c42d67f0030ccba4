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
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

from retrieval.errors import StoreError, UnknownArticle
from retrieval.index import BM25Params
from retrieval.passages import MAX_PASSAGE_CHARS
from retrieval.records import (
    Answer,
    Article,
    ArticleRow,
    Examples,
    Hit,
    Progress,
    ReadOptions,
    SearchResult,
    Summary,
)
from retrieval.segment_search import SegmentSet
from retrieval.service import feed_lists, health
from retrieval.service.cleanup import Cleanup
from retrieval.service.examples import ExampleQuestions
from retrieval.service.feeds import DEFAULT_FEED_MINUTES, FeedScheduler
from retrieval.service.ingest import Ingestor
from retrieval.service.live_index import LiveIndex
from retrieval.service.questions import Questions
from retrieval.service.state import Shared
from retrieval.service.summaries import Summaries
from retrieval.service.tokenizing import worker_tokenizer
from retrieval.store import Store
from retrieval.term_matrix import load_compiled_rerank
from retrieval.tokenizer import Tokenizer
from retrieval.upkeep_records import (
    FeedImportReport,
    FeedPollReport,
    FeedRow,
    FetchPolicy,
    HealthReport,
    IngestReport,
    ReindexReport,
    SourceRow,
    Stats,
    SubscriptionRow,
)


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
        self._examples = ExampleQuestions(self._questions)
        self._summaries = Summaries(self._shared, self._questions)
        self._feeds = FeedScheduler(self._shared, self._ingest, self._questions)
        self._cleanup = Cleanup(self._shared, self._ingest)

    @classmethod
    async def open(
        cls,
        db_path: Path,
        *,
        params: BM25Params | None = None,
        feed_policy: FetchPolicy | None = None,
        repair: bool = True,
    ) -> NewsService:
        """Open the database and its index; re-tokenize if the tokenizer changed.

        Nothing is ever loaded implicitly: an empty database stays empty until the operator
        ingests news (the demo page only through `newsbot demo`), so no demo article can end
        up among an operator's news. Maps the live segments (nothing is loaded whole). A
        database of an older version has its whole-index blobs converted into a segment once;
        when the index does not hold exactly the stored passages (or the tokenizer changed) it
        is rebuilt. Directories left by crashed writers are cleaned up when that does not mean
        waiting. `feed_policy` says which hosts feeds may be fetched from (the front end
        builds it from its settings: the engine never reads the environment).
        `repair=False` leaves an index that is out of step as it is (for `doctor`, which reports
        what it finds instead).
        """
        params = params or BM25Params()
        store = await Store.open(db_path)
        try:
            service = cls(store, LiveIndex(store, params), worker_tokenizer())
            if feed_policy is not None:
                service.feed_policy = feed_policy
            await service._prepare_index(repair)
        except BaseException:
            await store.close()
            raise
        return service

    async def _prepare_index(self, repair: bool) -> None:
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
        if repair and articles and (stale or snapshot.passages != indexed):
            try:
                await self.reindex(retokenize=stale)
            except StoreError:
                if await self.store.segments.generation() == snapshot.generation:
                    raise  # not another process rebuilding it first: a real problem
        elif articles:
            await upkeep.collect_garbage()

    async def close(self) -> None:
        """Close the database."""
        self._shared.pages.close()
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
    def today(self) -> Callable[[], dt.date]:
        """Today's date for questions about 「昨天」 or 「本周」 (default: China time)."""
        return self._questions.today

    @today.setter
    def today(self, today: Callable[[], dt.date]) -> None:
        self._questions.today = today

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """"Now" (UTC) for the feed scheduler and questions about days; tests move it."""
        return self._shared.clock

    @clock.setter
    def clock(self, clock: Callable[[], dt.datetime]) -> None:
        self._shared.clock = clock

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

    # ------------------------------------------------------------------ removing and exporting

    async def delete_articles(self, ids: Sequence[str]) -> int:
        """Delete articles and their passages, gone from every answer at once; returns how
        many of `ids` were stored. Every deletion (prune, retention) goes through here."""
        return await self._ingest.delete_articles(ids)

    async def prune(self, before: dt.date, source: str | None = None) -> int:
        """Delete the articles dated before `before` (only `source`'s, when given).

        An undated article counts as dated the day it was ingested. Returns how many.
        """
        return await self._cleanup.prune(before, source)

    async def apply_retention(self, days: int, today: dt.date) -> int:
        """Delete the articles more than `days` days old on `today`; returns how many."""
        return await self._cleanup.apply_retention(days, today)

    def export_articles(self, since: dt.date | None = None) -> AsyncIterator[Article]:
        """Every stored article, oldest first (dated `since` or later, when given), for a
        backup that `ingest` reads back."""
        return self.store.articles.every_article(since.isoformat() if since else None)

    # ------------------------------------------------------------------ questions

    async def prepare_for_many_questions(self) -> bool:
        """Load ahead what makes every question faster once loaded but costs a fraction of a
        second to load (the compiled search, `retrieval.segment_search`, and the compiled
        passes of the second stage, `retrieval.term_matrix`): for the bot and for batches of
        questions, not for a command that answers one. Both or neither, from the collection
        size where the compiled search pays. False when it cannot be loaded; questions are
        answered either way."""
        index = await self._shared.fresh_index()
        loaded = await asyncio.to_thread(index.load_compiled_search)
        if loaded:
            await asyncio.to_thread(load_compiled_rerank)
        return loaded

    def query_terms(self, query: str) -> list[str]:
        """Tokens of a query; raises QueryError when nothing searchable is left."""
        return self._questions.query_terms(query)

    async def search(
        self, query: str, k: int = 10, offset: int = 0, sort: str = "relevance"
    ) -> SearchResult:
        """The passages that best match `query` (search syntax allowed), ranks
        `offset+1 .. offset+k`, by relevance or (`sort="date"`) newest first."""
        return await self._questions.search(query, k, offset, sort)

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
        return await self._examples.examples()

    async def summarize(self, target: str | None = None) -> Summary:
        """No target: digest of the latest articles; an article id: that article; else a topic."""
        return await self._summaries.summarize(target)

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

    async def export_feeds_opml(self) -> str:
        """Every feed as an OPML document, as feed readers import it."""
        return await feed_lists.export_opml(self._feeds)

    async def import_feeds_opml(
        self, data: bytes, minutes: int = DEFAULT_FEED_MINUTES
    ) -> FeedImportReport:
        """Register the feeds an OPML document lists; raises FeedProblem for a bad document."""
        return await feed_lists.import_opml(self._feeds, data, minutes)

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

    async def check_health(self) -> HealthReport:
        """Problems with the database, the index (against the articles) and the feeds."""
        return await health.check_health(self._shared)

    async def sources(self) -> list[SourceRow]:
        """Each publication with its article count and newest date, most articles first."""
        return [SourceRow(*row) for row in await self.store.articles.sources()]

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



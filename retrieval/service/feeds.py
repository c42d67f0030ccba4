"""Feeds and subscriptions: the polling scheduler with backoff, and matching new articles.

A feed is a URL polled on a schedule. Each round fetches the due feeds a few at a time
(`retrieval.fetch`), stores what is new through the ingest path, and records every feed's
outcome whatever happens to the others; a failing feed backs off exponentially. Subscriptions
are standing queries; a new article alerts one when it would count as "found" for the query
(the same test `ask` uses). The cap on subscriptions per user is enforced here, not in a
front end. A feed that republishes an item under a new guid does not get it stored twice: an
item whose canonical URL or whose text matches an article already stored from the same source
takes that article's id (so it is unchanged, or replaces the old version).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from retrieval.errors import FeedProblem, QueryError, SubscriptionLimit
from retrieval.rank import is_found
from retrieval.records import Article, Hit
from retrieval.service.ingest import Ingestor
from retrieval.service.questions import MAX_QUERY_CHARS, Questions
from retrieval.service.state import Shared
from retrieval.text import without_controls
from retrieval.upkeep_records import (
    FeedPollReport,
    FeedPollState,
    FeedRow,
    FetchPolicy,
    IngestReport,
    SubscriptionRow,
)

if TYPE_CHECKING:
    from retrieval.fetch import FetchResult

logger = logging.getLogger(__name__)

#: Standing queries one user may keep (each is matched against every polled article).
MAX_SUBSCRIPTIONS = 10
#: Feed polling interval bounds, and the longest a failing feed is left alone.
MIN_FEED_MINUTES = 1
MAX_FEED_MINUTES = 24 * 60
DEFAULT_FEED_MINUTES = 30
MAX_BACKOFF = dt.timedelta(hours=24)
#: Feeds fetched at the same time in one polling round.
FEED_CONCURRENCY = 4
#: A new article alerts a subscription when one of its passages is among this many best.
SUBSCRIPTION_DEPTH = 30


class FeedScheduler:
    """Polls feeds into the store and keeps users' subscriptions."""

    def __init__(self, shared: Shared, ingestor: Ingestor, questions: Questions) -> None:
        self._shared = shared
        self.store = shared.store
        self._ingestor = ingestor
        self._questions = questions
        self._poll_lock = asyncio.Lock()
        #: Who feeds may be fetched from (the front end builds it from its settings).
        self.feed_policy = FetchPolicy()

    async def add_feed(self, url: str, minutes: int = DEFAULT_FEED_MINUTES) -> FeedRow:
        """Register a feed (or article page) to poll every `minutes`; due at once.

        Raises FeedProblem for a non-http(s) URL, an interval out of range, or a URL that is
        already registered. Whether the host may be contacted is decided at fetch time, by
        `feed_policy`, so the answer follows the operator's current settings.
        """
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FeedProblem(f"not an http(s) URL: {url!r}", "url")
        if not MIN_FEED_MINUTES <= minutes <= MAX_FEED_MINUTES:
            raise FeedProblem(
                f"the interval must be {MIN_FEED_MINUTES}..{MAX_FEED_MINUTES} minutes", "interval"
            )
        async with self._shared.write_lock:
            feed = await self.store.feeds.add(url, minutes, _iso(self._shared.clock()))
        if feed is None:
            raise FeedProblem(f"already polling {url}", "duplicate")
        return feed

    async def feeds(self) -> list[FeedRow]:
        """Every registered feed with its health."""
        return await self.store.feeds.all()

    async def remove_feed(self, feed_id: int) -> bool:
        """Stop polling a feed (articles it brought stay); False when there is no such feed."""
        async with self._shared.write_lock:
            return await self.store.feeds.remove(feed_id)

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
            now = now or self._shared.clock()
            feeds = await self.store.feeds.due(_iso(now)) if due_only else await self.feeds()
            gate = asyncio.Semaphore(FEED_CONCURRENCY)
            # Imported here: the HTTP client and feed parsers are not needed to answer.
            from retrieval.fetch import Conditional, fetch_feed

            async def fetch(feed: FeedRow) -> FetchResult:
                async with gate:
                    previous = Conditional(feed.etag, feed.last_modified)
                    return await fetch_feed(feed.url, previous, self.feed_policy)

            results = await asyncio.gather(*(fetch(f) for f in feeds), return_exceptions=True)
            return [
                await self._record_poll(feed, result, now)
                for feed, result in zip(feeds, results, strict=True)
            ]

    async def _record_poll(
        self, feed: FeedRow, result: FetchResult | BaseException, now: dt.datetime
    ) -> FeedPollReport:
        """Ingest one fetch result and save the feed's new state; never raises for the feed."""
        from retrieval.fetch import Conditional, FetchResult

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
                items = await self._known_ids(result.articles, label)
                report, new_ids = await self._ingestor.ingest_articles(items, label)
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
        async with self._shared.write_lock:
            await self.store.feeds.record_poll(feed.id, state)
        return FeedPollReport(
            feed.id, feed.url, status, report.added, report.replaced, report.unchanged,
            error, state.next_poll, new_ids,
        )

    async def _known_ids(self, items: Sequence[Article], label: str) -> list[Article]:
        """Items with the id of the stored article they republish (same canonical URL, or
        same text, from the same source); duplicates within the poll are dropped."""
        urls: dict[str, dict[str, str]] = {}
        out: dict[str, Article] = {}
        for item in items:
            source = item.source or label
            if source not in urls:
                stored = await self.store.articles.urls_of_source(source)
                urls[source] = {canonical_url(u): i for i, u in stored}
            known = urls[source].get(canonical_url(item.url)) if item.url else None
            if known is None:
                body = without_controls(item).text
                known = await self.store.articles.id_with_body(source, body)
            if known is not None and known != item.id:
                item = dataclasses.replace(item, id=known)
            if item.url:
                urls[source].setdefault(canonical_url(item.url), item.id)
            out.setdefault(item.id, item)
        return list(out.values())

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
            result = await self._questions.search(query, k=SUBSCRIPTION_DEPTH)
        except QueryError:
            return []
        fresh = [h for h in result.hits if h.article_id in wanted]
        hits: dict[str, Hit] = {}
        for hit, cov in zip(fresh, self._questions.answer_coverages(query, fresh), strict=True):
            if hit.article_id not in hits and is_found(cov):
                hits[hit.article_id] = hit
        return list(hits.values())

    async def subscribe(self, user_id: int, chat_id: int, query: str) -> SubscriptionRow:
        """Store a standing query.

        Raises QueryError when it has nothing searchable, SubscriptionLimit when the user
        already has MAX_SUBSCRIPTIONS.
        """
        query = query.strip()
        self._questions.query_terms(query)
        if len(await self.store.subscriptions.of_user(user_id)) >= MAX_SUBSCRIPTIONS:
            raise SubscriptionLimit(MAX_SUBSCRIPTIONS)
        return await self.store.subscriptions.add(user_id, chat_id, query[:MAX_QUERY_CHARS])

    async def subscriptions(self, user_id: int | None = None) -> list[SubscriptionRow]:
        """A user's subscriptions, or everyone's."""
        return await self.store.subscriptions.of_user(user_id)

    async def unsubscribe(self, user_id: int, subscription_id: int) -> bool:
        """Remove one of the user's subscriptions; False when they have no such one."""
        return await self.store.subscriptions.remove(subscription_id, user_id)

    async def unsubscribe_chat(self, chat_id: int) -> int:
        """Remove every subscription alerting `chat_id`; returns how many."""
        return await self.store.subscriptions.remove_chat(chat_id)

    async def record_alert(self, subscription_ids: Sequence[int]) -> None:
        """Note that these subscriptions were alerted now."""
        await self.store.subscriptions.record_alert(subscription_ids)


#: Query parameters that track a click rather than name the article.
_TRACKING = ("utm_", "spm", "from", "share", "fbclid", "gclid")


def canonical_url(url: str) -> str:
    """The form of an article URL two republications share: lower-case scheme and host, no
    fragment, no tracking parameters, no trailing slash, http and https alike."""
    parts = urlsplit(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host + port, path, urlencode(sorted(query)), ""))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    """UTC ISO 8601 to the second: the form the store compares as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")



"""The records of keeping the news: feeds, subscriptions and publications, and what ingest,
reindex, feed polls and `doctor` report to the editor or admin who ran them.

`retrieval.records` holds the records of the question path (file → article → passage →
answer); these are the ones an operator reads. Plain dataclasses, as there, so front ends
render them without importing the modules that produce them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from retrieval.records import SourceError


@dataclass(frozen=True)
class QueryStats:
    """Question counts and latency over a period."""

    count: int
    found: int
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class FeedRow:
    """A polled feed: its schedule, conditional-GET validators and health.

    Timestamps are ISO 8601 UTC strings ("" when it never happened), so they compare in
    time order as strings.
    """

    id: int
    url: str
    interval_minutes: int
    etag: str
    last_modified: str
    last_polled: str
    last_success: str
    last_error: str
    items_added: int
    failures: int
    next_poll: str


@dataclass(frozen=True)
class FeedPollState:
    """What one poll changes about a feed (written by the store's feed table)."""

    polled: str
    success: bool
    etag: str
    last_modified: str
    error: str
    added: int
    failures: int
    next_poll: str


@dataclass(frozen=True)
class SubscriptionRow:
    """A user's standing query; alerts go to `chat_id`."""

    id: int
    user_id: int
    chat_id: int
    query: str
    created: str
    last_alert: str


@dataclass
class IngestReport:
    """What an ingest did. `failed` counts files and records that could not be read (more
    than `errors` lists when a file had many); `warnings` are problems that lost nothing."""

    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    files: int = 0
    passages: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class ReindexReport:
    """What a reindex did."""

    ingest: IngestReport
    articles: int
    passages: int
    tokenized: bool
    seconds: float


@dataclass(frozen=True)
class SourceRow:
    """One publication: how many articles it has and the date of its newest ("" if undated)."""

    name: str
    articles: int
    newest: str


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
class FeedImportReport:
    """What `feeds import` did: feeds added, URLs already polled, entries refused (and why)."""

    added: list[FeedRow] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass
class HealthReport:
    """What `doctor` found: one line per problem (empty when healthy), and what was checked."""

    problems: list[str] = field(default_factory=list)
    articles: int = 0
    passages: int = 0
    indexed: int = 0
    feeds: int = 0


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and permissions for one fetch (`retrieval.fetch`).

    A record here rather than in `retrieval.fetch` so that front ends can build one without
    importing the HTTP client (a question does not need it).

    Attributes:
        timeout_s: Deadline for the whole fetch (resolve, connect, redirects, body), not per
            socket read: httpx's own timeouts restart on every chunk, so a server trickling a
            byte at a time would otherwise never time out.
        max_bytes: Largest body accepted (after content decoding). Reading stops as soon as
            it is exceeded, so an endless response costs at most this much memory.
        allow_private: Fetch hosts that resolve to loopback/private/link-local/reserved
            addresses. Off by default because URLs come from chat users and must not reach
            the bot's own network (SSRF); tests and intranet deployments turn it on.
        user_agent: Sent with every request so publishers can identify the bot.
        trusted_hosts: Host names (lower case) exempt from the address check even when
            `allow_private` is off: an operator's intranet feed, without opening every
            private address. Redirect targets are still checked on their own name.
    """

    timeout_s: float = 10.0
    max_bytes: int = 5_000_000
    allow_private: bool = False
    user_agent: str = "newsbot/0.1"
    trusted_hosts: frozenset[str] = frozenset()

"""newsbot's engine: the public API the front ends (`bot/`) use, and nothing else.

Front ends import from this package root only; every name here is a service, a record the
service returns, or an error it raises.
"""

from typing import TYPE_CHECKING

from retrieval.errors import (
    FeedProblem,
    QueryError,
    StoreError,
    SubscriptionLimit,
    UnknownArticle,
)
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
    Paragraph,
    Progress,
    ReadOptions,
    ReindexReport,
    SearchResult,
    SourceError,
    Stats,
    SubscriptionRow,
    Summary,
    SummaryItem,
)
from retrieval.service import (
    DEFAULT_FEED_MINUTES,
    MAX_FEED_MINUTES,
    MAX_SUBSCRIPTIONS,
    MIN_FEED_MINUTES,
    NewsService,
)

if TYPE_CHECKING:
    from retrieval.sources import SUPPORTED

__all__ = [
    "DEFAULT_FEED_MINUTES",
    "MAX_FEED_MINUTES",
    "MAX_SUBSCRIPTIONS",
    "MIN_FEED_MINUTES",
    "SUPPORTED",
    "Answer",
    "Article",
    "ArticleRow",
    "Examples",
    "FeedPollReport",
    "FeedProblem",
    "FeedRow",
    "FetchPolicy",
    "Hit",
    "IngestReport",
    "NewsService",
    "Paragraph",
    "Progress",
    "QueryError",
    "ReadOptions",
    "ReindexReport",
    "SearchResult",
    "SourceError",
    "Stats",
    "StoreError",
    "SubscriptionLimit",
    "SubscriptionRow",
    "Summary",
    "SummaryItem",
    "UnknownArticle",
]


def __getattr__(name: str) -> object:
    """`SUPPORTED` on first use: it lives with the file readers, which a question does not
    need, so importing the package stays fast for a process that only answers."""
    if name == "SUPPORTED":
        from retrieval.sources import SUPPORTED

        return SUPPORTED
    raise AttributeError(f"module 'retrieval' has no attribute {name!r}")

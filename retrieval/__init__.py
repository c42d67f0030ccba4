"""newsbot's engine: the public API the front ends (`bot/`) use, and nothing else.

Front ends import from this package root only; every name here is a service, a record the
service returns, or an error it raises.
"""

from retrieval.feeds import FetchPolicy
from retrieval.models import Article, Hit, Paragraph
from retrieval.service import (
    DEFAULT_FEED_MINUTES,
    MAX_FEED_MINUTES,
    MAX_SUBSCRIPTIONS,
    MIN_FEED_MINUTES,
    Answer,
    Examples,
    FeedPollReport,
    FeedProblem,
    IngestReport,
    NewsService,
    Progress,
    QueryError,
    ReindexReport,
    SearchResult,
    Stats,
    SubscriptionLimit,
    Summary,
    SummaryItem,
    UnknownArticle,
)
from retrieval.sources import SUPPORTED, ReadOptions, SourceError
from retrieval.store import ArticleRow, FeedRow, StoreError, SubscriptionRow

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

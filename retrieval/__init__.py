"""newsbot's engine: the public API the front ends (`bot/`) use, and nothing else.

Front ends import from this package root only; every name here is a service, a record the
service returns, or an error it raises.
"""

from retrieval.models import Article, Hit, Paragraph
from retrieval.service import (
    DEFAULT_FEED_MINUTES,
    MAX_FEED_MINUTES,
    MIN_FEED_MINUTES,
    Answer,
    FeedPollReport,
    FeedProblem,
    IngestReport,
    NewsService,
    Progress,
    QueryError,
    ReindexReport,
    SearchResult,
    Stats,
    Summary,
    SummaryItem,
    UnknownArticle,
)
from retrieval.sources import SUPPORTED, SourceError
from retrieval.store import ArticleRow, FeedRow, StoreError, SubscriptionRow

__all__ = [
    "DEFAULT_FEED_MINUTES",
    "MAX_FEED_MINUTES",
    "MIN_FEED_MINUTES",
    "SUPPORTED",
    "Answer",
    "Article",
    "ArticleRow",
    "FeedPollReport",
    "FeedProblem",
    "FeedRow",
    "Hit",
    "IngestReport",
    "NewsService",
    "Paragraph",
    "Progress",
    "QueryError",
    "ReindexReport",
    "SearchResult",
    "SourceError",
    "Stats",
    "StoreError",
    "SubscriptionRow",
    "Summary",
    "SummaryItem",
    "UnknownArticle",
]

"""newsbot's engine: the public API the front ends (`bot/`) use, and nothing else.

Front ends import from this package root only; every name here is a service, a record the
service returns, or an error it raises.
"""

from retrieval.errors import (
    FeedProblem,
    QueryError,
    StoreError,
    SubscriptionLimit,
    UnknownArticle,
)
from retrieval.fetch import FetchPolicy
from retrieval.records import (
    Answer,
    Article,
    ArticleRow,
    Examples,
    FeedImportReport,
    FeedPollReport,
    FeedRow,
    HealthReport,
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
from retrieval.sources import SUPPORTED, jsonl_record
from retrieval.text import strip_controls

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
    "FeedImportReport",
    "FeedPollReport",
    "FeedProblem",
    "FeedRow",
    "FetchPolicy",
    "HealthReport",
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
    "jsonl_record",
    "strip_controls",
]

"""newsbot's engine: the public API the front ends (`bot/`) use, and nothing else.

Front ends import from this package root only; every name here is a service, a record the
service returns, or an error it raises.
"""

from retrieval.errors import (
    FeedError,
    FeedProblem,
    QueryError,
    QuerySyntaxError,
    StoreError,
    SubscriptionLimit,
    UnknownArticle,
    UnreadableText,
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
    SourceRow,
    Stats,
    SubscriptionRow,
    Summary,
    SummaryItem,
    TimeWindow,
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
    "FeedError",
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
    "QuerySyntaxError",
    "ReadOptions",
    "ReindexReport",
    "SearchResult",
    "SourceError",
    "SourceRow",
    "Stats",
    "StoreError",
    "SubscriptionLimit",
    "SubscriptionRow",
    "Summary",
    "SummaryItem",
    "TimeWindow",
    "UnknownArticle",
    "UnreadableText",
    "jsonl_record",
    "strip_controls",
]

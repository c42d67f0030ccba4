"""newsbot's engine: the public API the front ends (`bot/`) use, and nothing else.

Front ends import from this package root only; every name here is a service, a record the
service returns, or an error it raises, plus the text rules a front end must share with the
engine (what ends a sentence, what text is safe to show).
"""

from typing import TYPE_CHECKING

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
from retrieval.records import (
    Answer,
    Article,
    ArticleRow,
    Examples,
    Hit,
    Paragraph,
    Progress,
    ReadOptions,
    SearchResult,
    SourceError,
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
from retrieval.text import ELLIPSIS, SENTENCE_END_MARKS, strip_controls
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

if TYPE_CHECKING:
    from retrieval.sources import SUPPORTED, jsonl_record

__all__ = [
    "DEFAULT_FEED_MINUTES",
    "ELLIPSIS",
    "MAX_FEED_MINUTES",
    "MAX_SUBSCRIPTIONS",
    "MIN_FEED_MINUTES",
    "SENTENCE_END_MARKS",
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


def __getattr__(name: str) -> object:
    """`SUPPORTED` and `jsonl_record` on first use: they live with the file readers, which a
    question does not need, so importing the package stays fast for a process that only answers."""
    if name == "SUPPORTED":
        from retrieval.sources import SUPPORTED

        return SUPPORTED
    if name == "jsonl_record":
        from retrieval.sources import jsonl_record

        return jsonl_record
    raise AttributeError(f"module 'retrieval' has no attribute {name!r}")

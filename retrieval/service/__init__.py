"""The service: `NewsService`, a facade over the parts that own each job.

* `ingest` — files and fetched articles into the store and the index (worker processes);
* `questions` — search, ask, suggestions, example questions, summaries;
* `feeds` — the feed scheduler with backoff, subscriptions and their matching;
* `state` — what the parts share (store, tokenizer, the live index, the write lock);
* `news_service` — the facade the front ends call.
"""

from retrieval.errors import FeedProblem, QueryError, SubscriptionLimit, UnknownArticle
from retrieval.records import Answer, Examples, Progress, SearchResult, Summary, SummaryItem
from retrieval.service.feeds import (
    DEFAULT_FEED_MINUTES,
    MAX_FEED_MINUTES,
    MAX_SUBSCRIPTIONS,
    MIN_FEED_MINUTES,
)
from retrieval.service.news_service import NewsService
from retrieval.upkeep_records import FeedPollReport, IngestReport, ReindexReport, Stats

# The records and errors are re-exported for front ends that still import them from here;
# new code imports them from `retrieval` (the package root).
__all__ = [
    "DEFAULT_FEED_MINUTES",
    "MAX_FEED_MINUTES",
    "MAX_SUBSCRIPTIONS",
    "MIN_FEED_MINUTES",
    "Answer",
    "Examples",
    "FeedPollReport",
    "FeedProblem",
    "IngestReport",
    "NewsService",
    "Progress",
    "QueryError",
    "ReindexReport",
    "SearchResult",
    "Stats",
    "SubscriptionLimit",
    "Summary",
    "SummaryItem",
    "UnknownArticle",
]

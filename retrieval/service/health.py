"""The `doctor` checks: is the database sound, does the index match the articles, are the
feeds healthy. Each problem is one line saying what is wrong and, where there is one, what to
run; nothing is repaired here (a check must never change what it checks).
"""

from __future__ import annotations

from collections import defaultdict

from retrieval.service.state import Shared
from retrieval.upkeep_records import HealthReport

#: Problems listed per kind before the rest are counted.
MAX_LISTED = 10


async def check_health(shared: Shared) -> HealthReport:
    """Every problem found in the database, the index and the feeds."""
    store = shared.store
    report = HealthReport(problems=await store.health_problems())
    owners = await store.articles.passage_owners()
    article_ids = await store.articles.ids()
    index = shared.index
    indexed = set(index.keys.tolist())
    report.articles, report.passages, report.indexed = len(article_ids), len(owners), len(index)
    stored = {pid for pid, _ in owners}
    if len(indexed) != len(stored) or indexed != stored:
        missing, extra = len(stored - indexed), len(indexed - stored)
        report.problems.append(
            f"index out of step with the articles: {len(stored)} passages stored, "
            f"{len(index)} indexed ({missing} missing, {extra} no longer stored); "
            "run `newsbot reindex`"
        )
    searchable: dict[str, bool] = defaultdict(bool)
    for pid, article_id in owners:
        searchable[article_id] |= pid in indexed
    unsearchable = [a for a in article_ids if not searchable[a]]
    for article_id in unsearchable[:MAX_LISTED]:
        report.problems.append(f"article {article_id} cannot be found by any search")
    if len(unsearchable) > MAX_LISTED:
        report.problems.append(f"… and {len(unsearchable) - MAX_LISTED} more articles")
    meta = await store.articles.meta()
    if article_ids and meta.get("tokenizer") != shared.tokenizer.version:
        report.problems.append(
            f"index built by tokenizer {meta.get('tokenizer', '?')!r}, "
            f"current is {shared.tokenizer.version!r}; run `newsbot reindex`"
        )
    feeds = await store.feeds.all()
    report.feeds = len(feeds)
    for feed in feeds:
        if feed.failures:
            report.problems.append(
                f"feed {feed.id} ({feed.url}) failed its last {feed.failures} polls: "
                f"{feed.last_error or 'unknown error'}"
            )
    return report

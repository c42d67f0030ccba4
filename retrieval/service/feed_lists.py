"""Feed lists in and out as OPML, so an operator can move feeds between newsbot and readers.

Importing registers every listed feed through the scheduler's own `add_feed` (same URL and
interval checks as `feeds add`); a feed already polled is reported, not an error, so an
import can be repeated.
"""

from __future__ import annotations

from retrieval.errors import FeedProblem
from retrieval.service.feeds import FeedScheduler
from retrieval.upkeep_records import FeedImportReport


async def export_opml(scheduler: FeedScheduler) -> str:
    """Every registered feed as an OPML document (with its polling interval)."""
    feeds = await scheduler.feeds()
    from retrieval.sources.opml import OpmlFeed, write_opml  # the readers load only when used

    return write_opml([OpmlFeed(f.url, "", f.interval_minutes) for f in feeds])


async def import_opml(scheduler: FeedScheduler, data: bytes, minutes: int) -> FeedImportReport:
    """Register the feeds of an OPML document; `minutes` when the file gives no interval.

    Raises OpmlProblem (a FeedProblem) when the document is not OPML.
    """
    from retrieval.sources.opml import read_opml

    report = FeedImportReport()
    known = {f.url for f in await scheduler.feeds()}
    for feed in read_opml(data):
        if feed.url in known:
            report.existing.append(feed.url)
            continue
        try:
            report.added.append(await scheduler.add_feed(feed.url, feed.minutes or minutes))
        except FeedProblem as exc:
            report.refused.append(str(exc))
    return report

"""Removing news: deleting articles by id, pruning old ones, and the retention rule.

Every removal goes through `Ingestor.delete_articles`, the one deletion path: the rows go from
the store and their passages become index tombstones in one transaction, and every process
refreshes its view before its next question, so a deleted article is gone from every answer
at once and a failure leaves both as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from retrieval.service.ingest import Ingestor
from retrieval.service.state import Shared


class Cleanup:
    """Deletes articles (and their passages) from the store and the live index."""

    def __init__(self, shared: Shared, ingestor: Ingestor) -> None:
        self._shared = shared
        self._ingestor = ingestor

    async def delete_articles(self, ids: Sequence[str]) -> int:
        """Remove the stored articles among `ids` with their passages; returns how many."""
        return await self._ingestor.delete_articles(ids)

    async def prune(self, before: dt.date, source: str | None = None) -> int:
        """Delete the articles dated before `before` (of `source` only, when given).

        An article's date is its publication date, or, when it has none, the day it was
        ingested: an undated article still ages out. Returns how many were deleted.
        """
        ids = await self._shared.store.articles.ids_dated_before(before.isoformat(), source)
        return await self.delete_articles(ids)

    async def apply_retention(self, days: int, today: dt.date) -> int:
        """Delete the articles more than `days` days old on `today` (dated before today − days)."""
        if days < 1:
            raise ValueError(f"retention must be at least 1 day, not {days}")
        return await self.prune(today - dt.timedelta(days=days))

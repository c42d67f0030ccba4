"""This process's view of the segmented index, kept current with the registry in SQLite.

Several processes share one database (the bot, CLI ingests from cron), each adding segments
of its own; none replaces another's. A reader reads the registry's generation counter before
each question (one indexed read, skipped when SQLite's data version shows that nothing was
committed since) and, when it moved, re-reads the live segments and the
tombstones and swaps in a refreshed `SegmentSet` that maps only the segments it has not seen.
Questions running meanwhile keep the view they started with.
"""

from __future__ import annotations

import asyncio

from retrieval.errors import StoreError
from retrieval.index import BM25Params
from retrieval.segment_files import SegmentError, segments_dir
from retrieval.segment_search import SegmentSet
from retrieval.store import IndexSnapshot, Store

_ATTEMPTS = 3


class LiveIndex:
    """The current `SegmentSet` of one database, refreshed when its generation moves."""

    def __init__(self, store: Store, params: BM25Params = BM25Params()) -> None:
        self.store = store
        self.root = segments_dir(store.path)
        self.view = SegmentSet.empty(self.root, params)
        self.generation = -1
        self._refreshing = asyncio.Lock()
        #: The database's `data_version` when the generation was last read.
        self._version: int | None = None

    async def current(self) -> SegmentSet:
        """The view, first refreshed if any process changed the index since the last look.

        When nothing at all was committed since the last look (the database's data version
        is unchanged), the generation is not even read.
        """
        version = self.store.data_version()  # before the generation: a commit in between
        if version is not None and version == self._version:  # shows as a new version
            return self.view
        if await self.store.segments.generation() != self.generation:
            await self.refresh()
        self._version = version
        return self.view

    async def refresh(self) -> IndexSnapshot:
        """Read the registry and map what is new; returns the snapshot the view now shows.

        A live segment found missing (a merge retired and removed it between the registry
        read and the mapping) means the registry moved on: read it again.
        """
        async with self._refreshing:
            for attempt in range(_ATTEMPTS):
                snapshot = await self.store.segments.snapshot()
                try:
                    view = await asyncio.to_thread(
                        self.view.refresh, snapshot.live, snapshot.tombstones
                    )
                except SegmentError as exc:
                    if attempt + 1 == _ATTEMPTS:
                        raise StoreError(f"the index cannot be read: {exc}") from exc
                    continue
                self.view, self.generation = view, snapshot.generation
                return snapshot
        raise AssertionError("unreachable")

    def view_of(self, snapshot: IndexSnapshot) -> SegmentSet:
        """The view of exactly `snapshot` (mapping only segments this view lacks)."""
        return self.view.refresh(snapshot.live, snapshot.tombstones)

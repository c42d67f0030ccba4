"""What the service's parts share: the store, the tokenizer and the live index view.

The index view is replaced, never mutated: writers (ingest, merge, reindex, delete) commit
their segment and registry changes first and then refresh the view, so questions keep being
answered from a complete view the whole time. Other processes' changes are picked up by the
same refresh (`LiveIndex.current`, before each question). Writers in this process are
serialized by `write_lock`; across processes SQLite's write lock serializes their commits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from retrieval.mapped_pages import MappedPages
from retrieval.passages import MAX_PASSAGE_CHARS
from retrieval.segment_merge import MergePolicy
from retrieval.segment_search import SegmentSet
from retrieval.service.live_index import LiveIndex
from retrieval.store import Store
from retrieval.tokenizer import Tokenizer


@dataclass
class Shared:
    """The state every part of the service reads; writers refresh `live` after committing."""

    store: Store
    tokenizer: Tokenizer
    live: LiveIndex
    max_passage_chars: int = MAX_PASSAGE_CHARS
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: "Now" for the feed scheduler and for questions about days (UTC); tests move it.
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    merge_policy: MergePolicy = field(default_factory=MergePolicy)
    #: Bounds the index pages a process answering questions keeps mapped in.
    pages: MappedPages = field(default_factory=MappedPages)

    @property
    def index(self) -> SegmentSet:
        """The view as of the last refresh (questions call `fresh_index` first)."""
        return self.live.view

    async def fresh_index(self) -> SegmentSet:
        """The view, refreshed first if any process changed the index."""
        return await self.live.current()

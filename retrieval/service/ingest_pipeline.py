"""The batches of one ingest, each tokenized while the one before it commits.

Tokenizing is the CPU-heavy half of an ingest and runs in worker processes; committing (combining
the tokens, writing the segment and the rows, merging) runs in the ingesting process. Overlapping
the two keeps both busy, without changing what is stored (`IngestPipeline`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrieval.records import Article, NewPassage, Progress
from retrieval.service.tokenizing import Workers
from retrieval.term_encoding import EncodedDocs
from retrieval.upkeep_records import IngestReport

if TYPE_CHECKING:  # the ingestor drives this pipeline and imports it
    from retrieval.service.ingest import Ingestor


@dataclass
class PreparedBatch:
    """A batch's changed articles with their hashes, passage spans and encoded tokens."""

    changed: list[Article]
    hashes: dict[str, str]
    spans: list[list[NewPassage]]
    encoded: list[EncodedDocs]
    #: The segment the batch wrote, once it committed one.
    segment: str = ""


class IngestPipeline:
    """Batches of one ingest, each tokenized while the one before it commits.

    Tokenizing runs in the worker processes and committing (combining, writing the segment
    and the rows, merging) in this one, so the workers would otherwise wait for every commit
    and this process for every batch's tokens. Batches still commit one at a time and in
    order, and each re-checks inside its transaction what the one before it stored, so the
    result is what committing them one after the other gives. At most two batches are held
    besides the one being read.
    """

    def __init__(
        self,
        ingestor: Ingestor,
        report: IngestReport,
        progress: Progress | None,
        workers: Workers,
    ) -> None:
        self._ingestor = ingestor
        self._report = report
        self._progress = progress
        self._workers = workers
        self._preparing: asyncio.Task[PreparedBatch | None] | None = None
        #: The segments this ingest's batches wrote, in order.
        self.segments: list[str] = []

    async def add(self, batch: Sequence[Article]) -> None:
        """Start tokenizing `batch`, then commit the batch before it (tokenized by now)."""
        previous = await self._take()
        self._preparing = asyncio.create_task(
            self._ingestor.prepare_batch(batch, self._report, self._progress, self._workers)
        )
        if previous is not None:
            await self._commit(previous)

    async def finish(self) -> None:
        """Commit the last batch."""
        last = await self._take()
        if last is not None:
            await self._commit(last)

    async def cancel(self) -> None:
        """Stop a batch still being tokenized (after a failure: nothing of it was written)."""
        task, self._preparing = self._preparing, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task

    async def _commit(self, batch: PreparedBatch) -> None:
        await self._ingestor.commit_batch(batch, self._report, self._progress)
        if batch.segment:
            self.segments.append(batch.segment)

    async def _take(self) -> PreparedBatch | None:
        task, self._preparing = self._preparing, None
        return None if task is None else await task

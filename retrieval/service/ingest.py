"""Ingest and reindex: files and fetched articles -> stored articles, passages and segments.

Reading files and tokenizing are CPU work: they run off the event loop, and a large batch is
tokenized in worker processes (one per core). Every ingest writes through one path
(`_write_articles`): unchanged articles are skipped, changed ones replaced, and in one write
transaction the articles, one new immutable segment of their passages, the tombstones of the
passages they replace and the generation bump commit together. Another process may have
stored the same articles since this one looked, so the check is repeated inside that
transaction: the second of two concurrent ingests of one file is a no-op, not an error.

Files are read chunk by chunk and written in batches of about `_BATCH_CHARS` characters, each
batch in its own transaction, so an ingest holds a bounded amount of input whatever it reads
and an interruption keeps the batches already committed. At the end, the segments of the
batches are merged into one when they are not too many passages for that
(`IndexUpkeep.merge_written`): questions then look their terms up in one segment, not one
per batch.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from retrieval.index import InvertedIndex
from retrieval.records import Article, FileResult, NewPassage, Progress, ReadOptions, SourceError
from retrieval.segment_files import SegmentArrays, SegmentInfo, arrays_of_index, remove_segment
from retrieval.segment_writer import write_segment
from retrieval.service.index_upkeep import IndexUpkeep
from retrieval.service.ingest_pipeline import IngestPipeline, PreparedBatch
from retrieval.service.state import Shared
from retrieval.service.tokenizing import (
    CHUNK_ARTICLES,
    PARALLEL_CHARS,
    Workers,
    map_chunks,
    off_loop,
    tokenize_chunk,
)
from retrieval.store import Transaction
from retrieval.term_encoding import EncodedDocs
from retrieval.text import without_controls
from retrieval.upkeep_records import IngestReport, ReindexReport

#: Characters of article text read before they are written: each batch commits on its own,
#: so an ingest holds a bounded amount of input whatever it reads.
#: At 8M characters the 68k news corpus ingests with a peak under 500 MB (README, "Speed"),
#: in few enough segments that no merge runs during the ingest.
_BATCH_CHARS = 8_000_000


def _count_problems(chunk: FileResult, report: IngestReport) -> None:
    """Add a chunk's errors and warnings to the report (unlisted errors as one count line)."""
    report.errors.extend(chunk.errors)
    report.warnings.extend(chunk.warnings)
    report.failed += len(chunk.errors) + chunk.more_errors
    if chunk.more_errors:
        report.errors.append(
            SourceError(chunk.path, f"{chunk.more_errors} more errors in this file not listed")
        )


def _combined(encoded: Sequence[EncodedDocs]) -> InvertedIndex:
    """The encoded chunks as one index whose keys are the passages' rows (ids come later)."""
    n_rows = sum(len(chunk.lengths) for chunk in encoded)
    return InvertedIndex.from_encoded(np.arange(n_rows, dtype=np.int64), encoded)


def _segment_arrays(
    index: InvertedIndex, dropped_rows: Sequence[int], keys: list[int]
) -> SegmentArrays:
    """The arrays of a new segment: `index` without `dropped_rows`, keyed by passage ids."""
    if dropped_rows:
        index = index.remove(dropped_rows)
    return arrays_of_index(index, np.asarray(keys, np.int64))


class Ingestor:
    """Writes articles and their segments; rebuilds and merges through `IndexUpkeep`."""

    def __init__(self, shared: Shared) -> None:
        self._shared = shared
        self.store = shared.store
        self.tokenizer = shared.tokenizer
        self.upkeep = IndexUpkeep(shared)

    async def ingest(
        self,
        paths: Sequence[Path],
        progress: Progress | None = None,
        options: ReadOptions | None = None,
    ) -> IngestReport:
        """Read files and folders; add new articles, replace changed ones, skip unchanged ones.

        Written in batches (see the module): a batch, its articles and its segment, commits
        whole or not at all. `options` name the paper and date of pages without a masthead
        and cap PDF pages; an article continued on another page read in the same batch is
        joined with its other part.
        """
        started = time.perf_counter()
        async with self._shared.write_lock:
            workers = Workers()
            try:
                report = await self._ingest_files(paths, progress, options, workers)
            finally:
                await asyncio.to_thread(workers.close)
        report.seconds = time.perf_counter() - started
        return report

    async def _ingest_files(
        self,
        paths: Sequence[Path],
        progress: Progress | None,
        options: ReadOptions | None,
        workers: Workers,
    ) -> IngestReport:
        """`ingest`'s reading and batching, under the write lock, one worker pool throughout."""
        # Imported here: the file readers (and what they use) are not needed to answer.
        from retrieval.sources import expand, iter_file, join_jumps

        report = IngestReport()
        files = await asyncio.to_thread(lambda: list(expand(list(paths))))
        batch: list[Article] = []
        chars = 0
        # The batch being tokenized while the one before it commits (see `IngestPipeline`).
        pipeline = IngestPipeline(self, report, progress, workers)
        try:
            for n, (path, error) in enumerate(files, start=1):
                report.files += 1
                if error:
                    report.errors.append(SourceError(str(path), error))
                    report.failed += 1
                    continue
                chunks = iter_file(path, options)
                while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
                    _count_problems(chunk, report)
                    batch.extend(chunk.articles)
                    chars += sum(len(p.text) for a in chunk.articles for p in a.paragraphs)
                    if chars >= _BATCH_CHARS:
                        await pipeline.add(join_jumps(batch))
                        batch, chars = [], 0
                if progress:
                    progress("read", n, len(files))
            await pipeline.add(join_jumps(batch))
            await pipeline.finish()
        finally:
            await pipeline.cancel()
        await self.upkeep.merge_written(pipeline.segments, progress)
        return report

    async def ingest_articles(
        self, articles: Sequence[Article], source_label: str
    ) -> tuple[IngestReport, list[str]]:
        """Store articles that did not come from files (feeds, pages), like `ingest` does.

        `source_label` names where they came from and fills in `Article.source` when an
        article has none, so every stored article says where it is from. Counts as one file.
        Returns the report and the ids of the added and replaced articles.
        """
        started = time.perf_counter()
        labelled = [
            a if a.source or not source_label else dataclasses.replace(a, source=source_label)
            for a in articles
        ]
        async with self._shared.write_lock:
            report = IngestReport(files=1)
            changed = await self._write_articles(labelled, report, None)
        report.seconds = time.perf_counter() - started
        return report, changed

    async def _write_articles(
        self,
        batch: Sequence[Article],
        report: IngestReport,
        progress: Progress | None,
        workers: Workers | None = None,
    ) -> list[str]:
        """The one write path of every ingest: skip unchanged articles, add new ones, replace
        changed ones (same id, different content), in one transaction with their segment.

        Counts go into `report`; returns the ids of the added and replaced articles. Later
        articles with the same id win. The caller holds the write lock. After the commit,
        small segments are merged when the merge policy asks for it.
        """
        prepared = await self.prepare_batch(batch, report, progress, workers)
        return [] if prepared is None else await self.commit_batch(prepared, report, progress)

    async def prepare_batch(
        self,
        batch: Sequence[Article],
        report: IngestReport,
        progress: Progress | None,
        workers: Workers | None,
    ) -> PreparedBatch | None:
        """The first half of `_write_articles`: the changed articles, tokenized and encoded
        (None when nothing changed). Nothing is written."""
        articles = {a.id: without_controls(a) for a in batch}
        # Hashing 68k articles takes seconds: off the event loop, like the rest of the work.
        hashes = await asyncio.to_thread(
            lambda: {a.id: a.content_hash() for a in articles.values()}
        )
        stored = await self.store.articles.content_hashes(list(articles))
        changed = [a for a in articles.values() if stored.get(a.id) != hashes[a.id]]
        report.unchanged += len(articles) - len(changed)
        if not changed:
            return None
        spans, encoded = await off_loop(lambda: self._prepare(changed, progress, workers))
        return PreparedBatch(changed, hashes, spans, encoded)

    async def commit_batch(
        self, prepared: PreparedBatch, report: IngestReport, progress: Progress | None
    ) -> list[str]:
        """The second half of `_write_articles`: the prepared articles and their segment in
        one transaction (checked again there), then the merges the policy asks for."""
        changed, hashes, spans = prepared.changed, prepared.hashes, prepared.spans
        if progress:
            progress("index", 0, 1)
        combined = await asyncio.to_thread(_combined, prepared.encoded)
        prepared.encoded = []  # only the combined postings are needed from here on
        if progress:
            progress("index", 1, 1)
            progress("save", 0, 1)
        root = self._shared.live.root
        written: list[SegmentInfo] = []
        try:
            async with self.store.transaction() as tx:
                # Another process may have stored some of these since, or this ingest's
                # previous batch: look again, now that no one else can write.
                now = await tx.content_hashes([a.id for a in changed])
                todo = [i for i, a in enumerate(changed) if now.get(a.id) != hashes[a.id]]
                replaced = [changed[i].id for i in todo if changed[i].id in now]
                old_passages = await tx.passage_ids_of(replaced)
                await tx.delete_articles(replaced)
                ids = await tx.insert_articles(
                    [(changed[i], hashes[changed[i].id], spans[i]) for i in todo]
                )
                keys = [pid for own in ids for pid in own]
                if keys:
                    dropped = _rows_of_skipped(spans, set(todo))
                    arrays = await asyncio.to_thread(_segment_arrays, combined, dropped, keys)
                    written.append(await asyncio.to_thread(write_segment, root, arrays))
                    await tx.segments.register(written[0])
                    prepared.segment = written[0].name
                await tx.segments.add_tombstones(old_passages)
                await tx.segments.bump_generation()
                await self._record_settings(tx)
        except BaseException:
            for info in written:
                remove_segment(root, info.name)
            raise
        report.unchanged += len(changed) - len(todo)
        report.replaced += len(replaced)
        report.added += len(todo) - len(replaced)
        report.passages += len(keys)
        if progress:
            progress("save", 1, 1)
        await self._shared.live.refresh()
        await self.upkeep.merge_due()
        return [changed[i].id for i in todo]

    async def delete_articles(self, ids: Sequence[str]) -> int:
        """Delete articles; their passages are tombstoned, so answers exclude them at once.

        Returns how many of `ids` were stored.
        """
        async with self._shared.write_lock:
            async with self.store.transaction() as tx:
                passages = await tx.passage_ids_of(list(ids))
                removed = await tx.delete_articles(list(ids))
                if removed:
                    await tx.segments.add_tombstones(passages)
                    await tx.segments.bump_generation()
            if removed:
                await self._shared.live.refresh()
                await self.upkeep.merge_due()
        return removed

    def _prepare(
        self, articles: list[Article], progress: Progress | None, workers: Workers | None
    ) -> tuple[list[list[NewPassage]], list[EncodedDocs]]:
        """Passage spans of each article and their encoded tokens (the CPU-heavy part)."""
        step = CHUNK_ARTICLES
        chunks = [articles[i : i + step] for i in range(0, len(articles), step)]
        chars = sum(len(p.text) for a in articles for p in a.paragraphs)
        results = map_chunks(
            partial(tokenize_chunk, max_chars=self._shared.max_passage_chars),
            chunks,
            parallel=chars >= PARALLEL_CHARS,
            progress=progress,
            stage="tokenize",
            workers=workers,
        )
        spans = [s for chunk_spans, _ in results for s in chunk_spans]
        return spans, [encoded for _, encoded in results]

    async def _record_settings(self, tx: Transaction) -> None:
        """Note what the index was built with (a tokenizer change means re-tokenizing)."""
        await tx.set_meta(
            {
                "tokenizer": self.tokenizer.version,
                "max_passage_chars": str(self._shared.max_passage_chars),
            }
        )

    # ------------------------------------------------------------------ reindex

    async def reindex(
        self,
        paths: Sequence[Path] = (),
        progress: Progress | None = None,
        *,
        retokenize: bool = False,
    ) -> ReindexReport:
        """Ingest `paths` (new and changed files), then rebuild the index into fresh segments.

        The rebuild starts from the stored postings (tokens are not recomputed): the live
        segments are merged into one without the tombstoned passages, and stored passages
        missing from the index are tokenized into another. With `retokenize` (or when the
        tokenizer changed since the index was built) every passage is tokenized again from
        its stored text. The new segments replace the old ones in one commit: until then, and
        if the rebuild fails half-way, answers come from the previous segments.
        """
        started = time.perf_counter()
        report = await self.ingest(paths, progress) if paths else IngestReport()
        async with self._shared.write_lock:
            meta = await self.store.articles.meta()
            retokenize = retokenize or meta.get("tokenizer") != self.tokenizer.version
            missing = await self.upkeep.rebuild(retokenize=retokenize, progress=progress)
            if retokenize:
                async with self.store.transaction() as tx:
                    await self._record_settings(tx)
            await self.upkeep.mark_simplified()
            await self.upkeep.collect_garbage()
        articles, passages = await self.store.articles.counts()
        return ReindexReport(report, articles, passages, missing, time.perf_counter() - started)

    async def merge(self) -> int:
        """Run the merges the merge policy asks for now; returns how many were committed."""
        async with self._shared.write_lock:
            return await self.upkeep.merge_due()


def _rows_of_skipped(spans: Sequence[Sequence[NewPassage]], kept: set[int]) -> list[int]:
    """Encoded rows (passages in article order) of the articles not in `kept`."""
    rows: list[int] = []
    first = 0
    for i, own in enumerate(spans):
        if i not in kept:
            rows.extend(range(first, first + len(own)))
        first += len(own)
    return rows

"""Ingest and reindex: files and fetched articles -> stored articles, passages and index.

Reading files and tokenizing are CPU work: they run off the event loop, and a large batch is
tokenized in worker processes (one per core). Every ingest writes through one path
(`_write_articles`): unchanged articles are skipped, changed ones replaced, and the articles
and the new index commit in one transaction before the live index is swapped.
"""

from __future__ import annotations

import asyncio
import ctypes
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache, partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from retrieval.index import BM25Params, EncodedDocs, InvertedIndex, encode
from retrieval.passages import pack_article
from retrieval.records import (
    Article,
    FileResult,
    IngestReport,
    NewPassage,
    Progress,
    ReindexReport,
    SourceError,
)
from retrieval.service.state import Shared
from retrieval.sources import ReadOptions, expand, iter_file, join_jumps
from retrieval.store import Transaction
from retrieval.text import without_controls
from retrieval.tokenizer import Tokenizer


def load_index(blobs: dict[str, bytes], params: BM25Params) -> InvertedIndex | None:
    index = InvertedIndex.from_blobs(blobs, params)
    return index.warm() if index is not None else None


_CHUNK_ARTICLES = 2000
_PARALLEL_CHARS = 2_000_000
#: Characters of article text read before they are written: each batch commits on its own,
#: so an ingest holds a bounded amount of input whatever it reads.
_BATCH_CHARS = 16_000_000
#: How often a worker process checks that the process that started it is still there.
_PARENT_CHECK_SECONDS = 0.5
#: Worker pools running now, so an interrupted ingest can stop them at once.
_POOLS: set[ProcessPoolExecutor] = set()


T = TypeVar("T")
R = TypeVar("R")


@lru_cache(maxsize=1)
def worker_tokenizer() -> Tokenizer:
    """The process's tokenizer (workers build theirs once, not per chunk)."""
    return Tokenizer()


def _watch_parent(parent_pid: int) -> None:
    """Worker initializer: die with the ingesting process instead of outliving it.

    A killed ingest (kill -9, SIGTERM) cannot shut its pool down, and a worker busy with a
    chunk would otherwise run on for a minute holding its memory. On Linux the kernel kills
    the worker when its parent goes (PR_SET_PDEATHSIG); everywhere a daemon thread checks the
    ingesting process every `_PARENT_CHECK_SECONDS`. Ctrl-C reaches the whole process group:
    workers ignore it and the parent stops them (see `stop_workers`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            pr_set_pdeathsig = 1
            ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    first_parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(_PARENT_CHECK_SECONDS)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            if os.getppid() != first_parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def stop_workers() -> None:
    """Kill the worker processes of every running pool (an interrupted ingest's cleanup)."""
    for pool in list(_POOLS):
        pool.shutdown(wait=False, cancel_futures=True)
        for process in list((pool._processes or {}).values()):
            process.kill()


async def _off_loop(fn: Callable[[], R]) -> R:
    """`fn()` in a worker thread; if the caller is cancelled, its worker processes die too."""
    try:
        return await asyncio.to_thread(fn)
    except asyncio.CancelledError:
        stop_workers()
        raise


def _map_chunks(
    fn: Callable[[T], R],
    chunks: list[T],
    *,
    parallel: bool,
    progress: Progress | None,
    stage: str,
) -> list[R]:
    """`fn` over `chunks` in order: in one worker process per core when `parallel`.

    Tokenizing is pure CPU work under the GIL, so threads would not help; workers start from
    a fork server (a clean process, not a fork of this threaded one). Callers that start an
    ingest from a script need the usual `if __name__ == "__main__":` guard.
    """
    workers = min(os.cpu_count() or 1, len(chunks))
    results: list[R] = []
    if parallel and workers > 1:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_watch_parent, initargs=(os.getpid(),)
        ) as pool:
            _POOLS.add(pool)
            try:
                for result in pool.map(fn, chunks):
                    results.append(result)
                    if progress:
                        progress(stage, len(results), len(chunks))
            finally:
                _POOLS.discard(pool)
    else:
        for chunk in chunks:
            results.append(fn(chunk))
            if progress:
                progress(stage, len(results), len(chunks))
    return results


def _encode_texts(texts: list[str]) -> EncodedDocs:
    """Tokens of stored passage texts, encoded (runs in worker processes)."""
    tokenizer = worker_tokenizer()
    return encode([tokenizer.tokenize(t) for t in texts])


def _tokenize_chunk(
    articles: list[Article], max_chars: int
) -> tuple[list[list[NewPassage]], EncodedDocs]:
    """Passage spans and encoded tokens of a chunk of articles (runs in worker processes)."""
    tokenizer = worker_tokenizer()
    spans = [_spans(article, max_chars) for article in articles]
    tokens: list[list[str]] = []
    for article, own in zip(articles, spans, strict=True):
        body = article.text  # joined once per article, sliced per passage
        tokens.extend(tokenizer.tokenize(body[s.start : s.end]) for s in own)
    return spans, encode(tokens)


def _spans(article: Article, max_chars: int) -> list[NewPassage]:
    paragraphs = [(p.text, p.heading) for p in article.paragraphs]
    return [NewPassage(i, start, end) for i, start, end in pack_article(paragraphs, max_chars)]



def _count_problems(chunk: FileResult, report: IngestReport) -> None:
    """Add a chunk's errors and warnings to the report (unlisted errors as one count line)."""
    report.errors.extend(chunk.errors)
    report.warnings.extend(chunk.warnings)
    report.failed += len(chunk.errors) + chunk.more_errors
    if chunk.more_errors:
        report.errors.append(
            SourceError(chunk.path, f"{chunk.more_errors} more errors in this file not listed")
        )


class Ingestor:
    """Writes articles and the index; the only part that replaces the live index."""

    def __init__(self, shared: Shared) -> None:
        self._shared = shared
        self.store = shared.store
        self.tokenizer = shared.tokenizer

    async def ingest(
        self,
        paths: Sequence[Path],
        progress: Progress | None = None,
        options: ReadOptions | None = None,
    ) -> IngestReport:
        """Read files and folders; add new articles, replace changed ones, skip unchanged ones.

        Files are read chunk by chunk and written in batches of about `_BATCH_CHARS`
        characters, each batch (articles and index) in one transaction: memory stays bounded
        whatever the input, and an interruption keeps the batches already committed and
        loses nothing older. Most ingests are a single batch.
        `options` name the paper and date of pages without a masthead and cap PDF pages; an
        article continued on another page read in the same batch is joined with its other part.
        """
        started = time.perf_counter()
        async with self._shared.write_lock:
            report = IngestReport()
            files = await asyncio.to_thread(lambda: list(expand(list(paths))))
            batch: list[Article] = []
            chars = 0
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
                        await self._write_articles(join_jumps(batch), report, progress)
                        batch, chars = [], 0
                if progress:
                    progress("read", n, len(files))
            await self._write_articles(join_jumps(batch), report, progress)
        report.seconds = time.perf_counter() - started
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
        self, batch: Sequence[Article], report: IngestReport, progress: Progress | None
    ) -> list[str]:
        """The one write path of every ingest: skip unchanged articles, add new ones, replace
        changed ones (same id, different content), in one transaction with the index.

        Counts go into `report`; returns the ids of the added and replaced articles. Later
        articles with the same id win. The caller holds the write lock.
        """
        articles = {a.id: without_controls(a) for a in batch}
        # Hashing 68k articles takes seconds: off the event loop, like the rest of the work.
        hashes = await asyncio.to_thread(
            lambda: {a.id: a.content_hash() for a in articles.values()}
        )
        stored = await self.store.articles.content_hashes(list(articles))
        changed = [a for a in articles.values() if stored.get(a.id) != hashes[a.id]]
        report.unchanged += len(articles) - len(changed)
        replaced_ids = [a.id for a in changed if a.id in stored]
        report.replaced += len(replaced_ids)
        report.added += len(changed) - len(replaced_ids)
        if not changed:
            return []
        spans, encoded = await _off_loop(lambda: self._prepare(changed, progress))
        report.passages += sum(len(s) for s in spans)
        old_passages = await self.store.articles.passage_ids_of(replaced_ids)
        async with self.store.transaction() as tx:
            await tx.delete_articles(replaced_ids)
            ids = await tx.insert_articles(
                [(a, hashes[a.id], s) for a, s in zip(changed, spans, strict=True)]
            )
            keys = np.fromiter((i for own in ids for i in own), np.int64)
            params = self._shared.index.params
            if progress:
                progress("index", 0, 1)
            new_index = await asyncio.to_thread(
                lambda: self._shared.index.remove(old_passages)
                .merge(InvertedIndex.from_encoded(keys, encoded, params))
                .warm()
            )
            if progress:
                progress("index", 1, 1)
                progress("save", 0, 1)
            await self.save_index(tx, new_index)
        if progress:
            progress("save", 1, 1)
        self._shared.index = new_index
        return [a.id for a in changed]

    def _prepare(
        self, articles: list[Article], progress: Progress | None
    ) -> tuple[list[list[NewPassage]], list[EncodedDocs]]:
        """Passage spans of each article and their encoded tokens (the CPU-heavy part)."""
        step = _CHUNK_ARTICLES
        chunks = [articles[i : i + step] for i in range(0, len(articles), step)]
        chars = sum(len(p.text) for a in articles for p in a.paragraphs)
        results = _map_chunks(
            partial(_tokenize_chunk, max_chars=self._shared.max_passage_chars),
            chunks,
            parallel=chars >= _PARALLEL_CHARS,
            progress=progress,
            stage="tokenize",
        )
        spans = [s for chunk_spans, _ in results for s in chunk_spans]
        return spans, [encoded for _, encoded in results]

    async def save_index(self, tx: Transaction, index: InvertedIndex) -> None:
        blobs = await asyncio.to_thread(index.to_blobs)
        await tx.save_blobs(blobs)
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
        """Ingest `paths` (new and changed files), then rebuild the index.

        The rebuild starts from the stored postings (tokens are not recomputed): passages no
        longer stored are dropped, stored passages missing from the index are tokenized and
        added, and every BM25 weight is recomputed from fresh corpus statistics. With
        `retokenize` (or when the tokenizer changed since the index was built) every passage
        is tokenized again from its stored text. Answers keep coming from the old index until
        the new one is committed.
        """
        started = time.perf_counter()
        report = await self.ingest(paths, progress) if paths else IngestReport()
        async with self._shared.write_lock:
            meta = await self.store.articles.meta()
            retokenize = retokenize or meta.get("tokenizer") != self.tokenizer.version
            live = self._shared.index
            current = InvertedIndex.empty(live.params) if retokenize else live
            stored = set(await self.store.articles.passage_ids())
            indexed = set(current.keys.tolist())
            missing = stored - indexed
            every_passage = self.store.articles.all_passages()
            docs = [(pid, text) async for pid, text in every_passage if pid in missing]

            def build() -> InvertedIndex:
                step = _CHUNK_ARTICLES * 3
                chunks = [[t for _, t in docs[i : i + step]] for i in range(0, len(docs), step)]
                encoded = _map_chunks(
                    _encode_texts,
                    chunks,
                    parallel=sum(len(t) for _, t in docs) >= _PARALLEL_CHARS,
                    progress=progress,
                    stage="reindex",
                )
                keys = np.fromiter((pid for pid, _ in docs), np.int64, len(docs))
                if progress:
                    progress("merge", 0, 1)
                added = InvertedIndex.from_encoded(keys, encoded, current.params)
                pruned = current.remove(sorted(indexed - stored))
                merged = pruned.merge(added).warm()
                if progress:
                    progress("merge", 1, 1)
                return merged

            new_index = await _off_loop(build)
            if progress:
                progress("save", 0, 1)
            async with self.store.transaction() as tx:
                await self.save_index(tx, new_index)
            if progress:
                progress("save", 1, 1)
            self._shared.index = new_index
        articles, passages = await self.store.articles.counts()
        return ReindexReport(
            report, articles, passages, bool(missing), time.perf_counter() - started
        )


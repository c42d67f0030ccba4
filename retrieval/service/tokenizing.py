"""Tokenizing for the index: the CPU-heavy part of ingest and reindex, in worker processes.

Kept apart from the ingest logic so that ingest and the index upkeep (reindex re-tokenizes
stored passages) share one way of spreading the work over the cores. Worker processes never
outlive the process that started them (`_watch_parent`), and an interrupted ingest kills
them at once (`stop_workers`, `off_loop`).
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import TypeVar

from retrieval.folding import keeps_script
from retrieval.passages import pack_article
from retrieval.records import Article, NewPassage, Progress
from retrieval.term_encoding import EncodedDocs, encode
from retrieval.tokenizer import Tokenizer

#: Articles per chunk handed to a worker.
CHUNK_ARTICLES = 2000
#: Below this many characters a batch is tokenized in this process (starting workers costs).
PARALLEL_CHARS = 2_000_000

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


#: How long an interrupted ingest waits for a pool's manager thread to wind down.
_MANAGER_EXIT_SECONDS = 5.0


def stop_workers() -> None:
    """Kill the worker processes of every running pool (an interrupted ingest's cleanup).

    The pool's manager thread is then waited for: it closes its wake-up pipe as it ends, and
    the interpreter's exit hook for process pools writes to that pipe without the pool's
    lock, so an exit racing the thread's end printed a traceback ("Bad file descriptor")
    under the one-line message. Once the thread is done the hook finds the pipe closed and
    does nothing.
    """
    for pool in list(_POOLS):
        # The processes are listed before the shutdown: it may clear the pool's table while the
        # busy workers run on, and the thread waiting for their chunks with them.
        processes = list((pool._processes or {}).values())
        for process in processes:
            process.kill()
        # (typeshed types this attribute as the wake-up pipe: it is the thread)
        manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        if manager is not None and manager is not threading.current_thread():
            manager.join(_MANAGER_EXIT_SECONDS)


async def off_loop(fn: Callable[[], R]) -> R:
    """`fn()` in a worker thread; if the caller is cancelled, its worker processes die too."""
    try:
        return await asyncio.to_thread(fn)
    except asyncio.CancelledError:
        stop_workers()
        raise


class Workers:
    """Worker processes for one ingest: started when a batch first needs them, then kept.

    An ingest of many batches would otherwise start a pool per batch, and every worker pays
    for its imports and jieba's dictionary again. `close` ends them (and `stop_workers` kills
    them when the ingest is interrupted).
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def pool(self, workers: int) -> ProcessPoolExecutor:
        """The running pool, started with `workers` processes if there is none yet."""
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                workers, mp_context=context, initializer=_watch_parent, initargs=(os.getpid(),)
            )
            _POOLS.add(self._pool)
        return self._pool

    def close(self) -> None:
        """Let the workers finish and exit (blocks: call it off the event loop)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            _POOLS.discard(pool)
            pool.shutdown(wait=True)


def map_chunks(
    fn: Callable[[T], R],
    chunks: list[T],
    *,
    parallel: bool,
    progress: Progress | None,
    stage: str,
    workers: Workers | None = None,
) -> list[R]:
    """`fn` over `chunks` in order: in one worker process per core when `parallel`.

    Tokenizing is pure CPU work under the GIL, so threads would not help; workers start from
    a fork server (a clean process, not a fork of this threaded one). Callers that start an
    ingest from a script need the usual `if __name__ == "__main__":` guard. `workers` keeps
    the processes for the caller's next call; without it they end with this one.
    """
    count = min(os.cpu_count() or 1, len(chunks))
    results: list[R] = []
    if parallel and count > 1:
        own = workers is None
        kept = workers if workers is not None else Workers()
        try:
            for result in kept.pool(os.cpu_count() or 1).map(fn, chunks):
                results.append(result)
                if progress:
                    progress(stage, len(results), len(chunks))
        finally:
            if own:
                kept.close()
    else:
        for chunk in chunks:
            results.append(fn(chunk))
            if progress:
                progress(stage, len(results), len(chunks))
    return results


def encode_texts(texts: list[str]) -> EncodedDocs:
    """Tokens of stored passage texts, encoded (runs in worker processes)."""
    tokenizer = worker_tokenizer()
    return encode([tokenizer.tokenize(t) for t in texts])


def tokenize_chunk(
    articles: list[Article], max_chars: int
) -> tuple[list[list[NewPassage]], EncodedDocs]:
    """Passage spans and encoded tokens of a chunk of articles (runs in worker processes)."""
    tokenizer = worker_tokenizer()
    spans: list[list[NewPassage]] = []
    tokens: list[list[str]] = []
    for article in articles:
        body = article.text  # joined once per article, sliced per passage
        own: list[NewPassage] = []
        paragraphs = [(p.text, p.heading) for p in article.paragraphs]
        for i, start, end in pack_article(paragraphs, max_chars):
            text = body[start:end]
            tokens.append(tokenizer.tokenize(text))
            # After tokenizing: the passage's fold is in the fold cache by now.
            own.append(NewPassage(i, start, end, simplified=keeps_script(text)))
        spans.append(own)
    return spans, encode(tokens)

"""Tokenizing for the index: the CPU-heavy part of ingest and reindex, in worker processes.

Kept apart from the ingest logic so that ingest and the index upkeep (reindex re-tokenizes
stored passages) share one way of spreading the work over the cores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from typing import TypeVar

from retrieval.index import EncodedDocs, encode
from retrieval.passages import pack_article
from retrieval.records import Article, NewPassage, Progress
from retrieval.tokenizer import Tokenizer

#: Articles per chunk handed to a worker.
CHUNK_ARTICLES = 2000
#: Below this many characters a batch is tokenized in this process (starting workers costs).
PARALLEL_CHARS = 2_000_000

T = TypeVar("T")
R = TypeVar("R")


@lru_cache(maxsize=1)
def worker_tokenizer() -> Tokenizer:
    """The process's tokenizer (workers build theirs once, not per chunk)."""
    return Tokenizer()


def map_chunks(
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
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for result in pool.map(fn, chunks):
                results.append(result)
                if progress:
                    progress(stage, len(results), len(chunks))
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
    spans = [_spans(article, max_chars) for article in articles]
    tokens: list[list[str]] = []
    for article, own in zip(articles, spans, strict=True):
        body = article.text  # joined once per article, sliced per passage
        tokens.extend(tokenizer.tokenize(body[s.start : s.end]) for s in own)
    return spans, encode(tokens)


def _spans(article: Article, max_chars: int) -> list[NewPassage]:
    paragraphs = [(p.text, p.heading) for p in article.paragraphs]
    return [NewPassage(i, start, end) for i, start, end in pack_article(paragraphs, max_chars)]

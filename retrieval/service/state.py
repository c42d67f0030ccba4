"""What the service's parts share: the store, the tokenizer and the live index.

The index is replaced, never mutated: writers (ingest, reindex) build a new one next to the
live one and swap it in only after the database transaction has committed, so questions keep
being answered from a complete index the whole time. Writers are serialized by `write_lock`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from retrieval.index import InvertedIndex
from retrieval.passages import MAX_PASSAGE_CHARS
from retrieval.store import Store
from retrieval.tokenizer import Tokenizer


@dataclass
class Shared:
    """The state every part of the service reads; only the ingest part replaces `index`."""

    store: Store
    tokenizer: Tokenizer
    index: InvertedIndex
    max_passage_chars: int = MAX_PASSAGE_CHARS
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: "Now" for the feed scheduler and for questions about days (UTC); tests move it.
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))

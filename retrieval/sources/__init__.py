"""Readers: bytes on disk (or fetched) -> Articles.

`files` holds the file readers (JSON Lines, plain text and Markdown, dispatching newspaper pages
to `newspaper`); `feeds` parses RSS, Atom and JSON Feed documents; `webpage` turns an HTML
article page into an Article. None of them touches the network or the database.
"""

from retrieval.errors import UnreadableText
from retrieval.records import FileResult, ReadOptions, SourceError
from retrieval.sources.files import SUPPORTED, decode, expand, iter_file, jsonl_record, read_file
from retrieval.sources.jumps import join_jumps

__all__ = [
    "SUPPORTED",
    "FileResult",
    "ReadOptions",
    "SourceError",
    "UnreadableText",
    "decode",
    "expand",
    "iter_file",
    "join_jumps",
    "jsonl_record",
    "read_file",
]

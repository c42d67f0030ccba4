"""Input readers: bytes on disk (or fetched) -> Articles.

`files` reads JSON Lines, plain text and Markdown; `newspaper` parses a page of a newspaper as a
layout extractor prints it; `pdf` reads PDF e-paper pages; `jumps` joins an article continued on
another page.
"""

from retrieval.sources.files import (
    SUPPORTED,
    FileResult,
    ReadOptions,
    SourceError,
    UnreadableText,
    decode,
    derive_title,
    expand,
    find_date,
    read_file,
)
from retrieval.sources.jumps import join_jumps

__all__ = [
    "SUPPORTED",
    "FileResult",
    "ReadOptions",
    "SourceError",
    "UnreadableText",
    "decode",
    "derive_title",
    "expand",
    "find_date",
    "join_jumps",
    "read_file",
]

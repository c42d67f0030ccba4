"""Input readers: bytes on disk (or fetched) -> Articles.

`files` reads JSON Lines, plain text and Markdown; `newspaper` parses a page of a newspaper as a
layout extractor prints it.
"""

from retrieval.sources.files import (
    SUPPORTED,
    FileResult,
    SourceError,
    UnreadableText,
    decode,
    derive_title,
    expand,
    find_date,
    read_file,
)

__all__ = [
    "SUPPORTED",
    "FileResult",
    "SourceError",
    "UnreadableText",
    "decode",
    "derive_title",
    "expand",
    "find_date",
    "read_file",
]

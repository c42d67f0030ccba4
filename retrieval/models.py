"""Plain records that flow through the engine: source → Article → Passage → Hit.

They are dataclasses with no behaviour beyond small derived properties, so every layer
(parsers, store, index, service, front ends) can share them without importing each other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of body text, with the section heading it stands under (if any)."""

    text: str
    heading: str = ""


@dataclass
class Article:
    """A news article as readers know it: headline parts, byline, date, source, body.

    `id` is the external id when the source has one (JSONL `id`), otherwise derived from the
    file and position. `date` is an ISO 8601 string (date or date-time) or empty.
    """

    id: str
    title: str
    paragraphs: list[Paragraph]
    kicker: str = ""
    subtitle: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    page: str = ""  # page number (版次) of a printed edition
    region: str = ""  # where on the page: a PDF box "x0,top,x1,bottom" or "lines a-b"
    caption: str = ""  # photo caption with its credit

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by newlines."""
        return "\n".join(p.text for p in self.paragraphs)

    def content_hash(self) -> str:
        """A digest of everything stored for the article; equal hashes mean nothing changed."""
        payload = asdict(self)
        for name in ("page", "region", "caption"):  # left out when empty: older hashes hold
            if not payload[name]:
                del payload[name]
        digest = hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Passage:
    """A retrieval unit: consecutive sentences of one paragraph, at most a few hundred chars."""

    article_id: str
    paragraph: int
    ordinal: int
    text: str


@dataclass(frozen=True)
class Hit:
    """A ranked passage with the article facts a reader needs to judge where it comes from."""

    rank: int
    score: float
    text: str
    article_id: str
    title: str
    date: str
    source: str
    url: str
    paragraph: int
    heading: str = ""
    terms: list[str] = field(default_factory=list)

"""The records of the question path that cross a module boundary, with no behaviour of note.

(Feeds, subscriptions and the reports an operator reads are in `retrieval.upkeep_records`.)

Records are plain dataclasses, so every layer (readers, store, index, service, front ends) can
share them without importing the module that produces them: a renderer that draws an `Answer`
must not have to import the module that starts worker processes. Data flows

    file / URL → Article (Paragraph) → NewPassage → PassageRow → Candidate → Hit → Answer

Four records describe "a passage" on purpose, because each stage knows different things:
`NewPassage` is a span about to be stored (no id yet), `PassageRow` is a stored passage with
its article's facts (no score), `Candidate` is a BM25 result (id, score, text: all the
reranker needs), and `Hit` is what a reader is shown (rank, final score, matched terms).

Vocabulary: a *reader* turns a file into articles (`retrieval.sources`); `Article.source` is
the *publication* an article comes from (a newspaper, a site, a file name); a *feed* is a URL
polled on a schedule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

#: Progress callback: (stage, done, total). Front ends map it to a progress bar.
Progress = Callable[[str, int, int], None]


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of body text, with the section heading it stands under (if any)."""

    text: str
    heading: str = ""


@dataclass
class Article:
    """A news article as readers know it: headline parts, byline, date, publication, body.

    `id` is the external id when the input has one (JSONL `id`), otherwise derived from the
    file and position (or the feed item). `date` is an ISO 8601 string (date or date-time)
    or empty. `source` is the publication (or file name, or feed host) it comes from.
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
class ReadOptions:
    """How to read pages: the paper and date for pages without a masthead, the PDF page cap."""

    source: str = ""
    date: str = ""
    max_pdf_pages: int = 64


@dataclass(frozen=True)
class SourceError:
    """One problem with an input (file, record or URL): where it is and what is wrong.

    A record, not an exception: a bad input is reported and the others are still read.
    """

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass
class FileResult:
    """What one file reader yielded: its articles and the problems found while reading.

    `warnings` are problems that cost nothing stored (a replaced byte); `more_errors` counts
    errors beyond those listed (a reader lists only the first few of a file).
    """

    path: str
    articles: list[Article] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    more_errors: int = 0


# --------------------------------------------------------------------------- passages


@dataclass(frozen=True)
class NewPassage:
    """A passage about to be stored: its span of the article body, and where it starts.

    No id and no text: the store assigns the id and keeps the body once.
    """

    paragraph: int
    start: int
    end: int
    #: Folding leaves its script alone (`retrieval.folding.keeps_script`).
    simplified: bool = False


@dataclass(frozen=True)
class PassageRow:
    """A stored passage joined with what a reader needs to know about its article.

    Unranked: the store does not know the question.
    """

    id: int
    article_id: str
    paragraph: int
    text: str
    heading: str
    title: str
    date: str
    source: str
    url: str
    page: str = ""
    #: Folding leaves its script alone (`retrieval.folding.keeps_script`).
    simplified: bool = False


@dataclass(frozen=True)
class Candidate:
    """A first-stage (BM25) result: store key, BM25 score and the passage text.

    Only what the reranker needs, so ranking never depends on the store's row shape.
    """

    key: int
    score: float
    text: str
    #: Folding leaves its script alone: the converter can be skipped (`PassageRow`).
    simplified: bool = False


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
    #: The printed page (版次) the article stands on, for e-paper editions.
    page: str = ""


# --------------------------------------------------------------------------- store rows


@dataclass(frozen=True)
class ArticleRow:
    """Article metadata without the body (listings)."""

    id: str
    title: str
    date: str
    source: str
    url: str
    author: str
    paragraphs: int


# --------------------------------------------------------------------------- service results


@dataclass(frozen=True)
class SearchResult:
    """Ranked passages for a query, with its terms and the time the search took."""

    query: str
    terms: list[str]
    hits: list[Hit]
    took_ms: float
    #: "relevance" (best first) or "date" (newest first among the relevant passages).
    sort: str = "relevance"


@dataclass(frozen=True)
class Answer:
    """The answer to a question: the sentence, the supporting passages, and whether found."""

    question: str
    found: bool
    sentence: str
    confidence: float
    hits: list[Hit]
    took_ms: float
    #: When not found: a shorter search (the question's two longest terms) worth trying.
    suggestion: str = ""
    #: "question", or what the message was instead: "chitchat", "offtopic", "search" (the
    #: hits are then plain search results). See `retrieval.question`.
    kind: str = "question"
    #: When a question is not found: the names no stored passage holds (bare),
    #: "role:<word>" for the role a 谁 question asks about that the closest article never
    #: names (「董事长是谁」), "about:<word>" for a name, stated fact or focus word it lacks that
    #: the news may hold elsewhere, "type:<number|date|who|place>" when no sentence holds
    #: the asked kind of answer
    #: ("type:outcome": a result was asked, 「当选」, and none is told),
    #: "date:<明天…>" when the news is older than the day asked about. The hits are related.
    missing: list[str] = field(default_factory=list)
    #: Set when the question asked for the news of a time: `hits` are from that window,
    #: newest first, and `found` False means the loaded news has nothing from that time.
    window: TimeWindow | None = None
    #: Found, but the sentence covers little of the question (`confidence` under the
    #: service's bound): such answers hold the answer far less often (README, "What found
    #: and confidence mean"), so a front end shows them with a word of caution.
    tentative: bool = False


@dataclass(frozen=True)
class TimeWindow:
    """A span of article dates a question asked about: inclusive ISO days, and the words the
    question used for it (「最近」, 「2023年7月」) so a front end can echo them."""

    since: str
    until: str
    label: str


@dataclass(frozen=True)
class Examples:
    """Example inputs that work on the loaded news (derived from recent headlines)."""

    questions: list[str]
    search_words: str = ""
    article_id: str = ""


@dataclass(frozen=True)
class SummaryItem:
    """A summary of one article: its chosen sentences and where it comes from."""

    article_id: str
    title: str
    date: str
    source: str
    url: str
    sentences: list[str]


@dataclass(frozen=True)
class Summary:
    """`kind` is "article", "topic" or "digest"; `query` is the topic or article id."""

    kind: str
    query: str
    items: list[SummaryItem]



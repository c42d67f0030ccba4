"""Feed documents -> Articles: RSS 0.9x/1.0/2.0 and Atom (via feedparser), and JSON Feed.

`parse_content` is the one entry point: it sniffs the body (the bytes decide; servers mislabel
feeds routinely) and hands HTML pages to `retrieval.sources.webpage`. It does no I/O, so it
reads saved responses as well as fetched ones (`retrieval.fetch`). Items without text are
dropped, and an id seen twice in one document is kept once.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import time
from collections.abc import Iterable, Mapping
from xml.sax import SAXParseException

import feedparser  # type: ignore[import-untyped]
import httpx

from retrieval.errors import FeedError, one_line
from retrieval.records import Article, Paragraph
from retrieval.sources.web_ids import host_of, stable_id
from retrieval.sources.webpage import html_to_paragraphs, html_to_text, parse_page, text_paragraphs
from retrieval.text import clean_spacing, iso_datetime

__all__ = ["parse_content"]

_JSONFEED_VERSION = "https://jsonfeed.org/version/"
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def parse_content(data: bytes, content_type: str, url: str) -> tuple[list[Article], int]:
    """Articles in a response body, and how many items it held.

    Args:
        data: The raw body.
        content_type: The Content-Type header ('' when unknown); used for the charset and
            as a hint, but the bytes decide, since servers mislabel feeds routinely.
        url: Where the body came from (after redirects): resolves relative links and
            names the source when the feed has no title.

    Returns:
        (articles, items_seen).

    Raises:
        FeedError: The body is neither a feed nor a page with article text.
    """
    head = _head(data)
    media = content_type.split(";")[0].strip().lower()
    if media.endswith("json") or head.startswith(b"{"):
        return _parse_json_feed(data, url)
    if _looks_like_html(head, media):
        return [parse_page(data, content_type, url)], 1
    return _parse_xml_feed(data, content_type, url, head)


def _head(data: bytes) -> bytes:
    """The first bytes of the body, lower-cased, without BOM or leading whitespace."""
    start = data[:4096]
    for bom in _BOMS:
        if start.startswith(bom):
            start = start[len(bom) :]
            break
    return start.lstrip().lower()


def _looks_like_html(head: bytes, media: str) -> bool:
    """True for an HTML page; feeds served as text/html still count as feeds."""
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    feed_start = head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))
    return "html" in media and not feed_start


def _parse_xml_feed(
    data: bytes, content_type: str, url: str, head: bytes
) -> tuple[list[Article], int]:
    """RSS 0.9x/1.0/2.0 or Atom via feedparser.

    The body goes in as a BytesIO: feedparser treats a plain string as a URL or file name
    to open, which must never happen with server-supplied data.
    """
    response_headers = {"content-location": url}
    if content_type:
        response_headers["content-type"] = content_type
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers=response_headers,
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    entries: list[Mapping[str, object]] = list(parsed.get("entries") or [])
    version = str(parsed.get("version") or "")
    if not entries:
        if not version and b"<html" in head:
            return [parse_page(data, content_type, url)], 1  # XHTML page with an XML prolog
        if parsed.get("bozo"):
            raise FeedError(f"not a feed: {_bozo_reason(parsed.get('bozo_exception'))}")
        if not version:
            raise FeedError("not a feed: no RSS, Atom or JSON Feed document found")
        return [], 0  # a well-formed feed that is simply empty right now
    feed: Mapping[str, object] = parsed.get("feed") or {}
    source = _detail_text(feed.get("title_detail"), feed.get("title")) or host_of(url)
    return _dedupe(_entry_article(e, url, source) for e in entries), len(entries)


def _bozo_reason(exc: object) -> str:
    """feedparser's parse error as one line, with the position when the XML parser gave one."""
    if isinstance(exc, SAXParseException):
        return f"invalid XML at line {exc.getLineNumber()}: {exc.getMessage()}"
    if isinstance(exc, BaseException):
        return one_line(exc)
    return "unreadable document"


def _dedupe(candidates: Iterable[Article | None]) -> list[Article]:
    """Drop items without text (None) and later items with an already-seen id."""
    seen: set[str] = set()
    kept: list[Article] = []
    for article in candidates:
        if article is not None and article.id not in seen:
            seen.add(article.id)
            kept.append(article)
    return kept


def _entry_article(entry: Mapping[str, object], feed_url: str, source: str) -> Article | None:
    """One feedparser entry as an Article, or None when it has no text at all."""
    title = _detail_text(entry.get("title_detail"), entry.get("title"))
    paragraphs = _entry_paragraphs(entry)
    if not paragraphs and not title:
        return None
    if not paragraphs:
        paragraphs = [Paragraph(title)]  # a headline-only item: the headline is its text
    link = _str(entry.get("link"))
    return Article(
        id=stable_id(
            feed_url,
            guid=_str(entry.get("id")),
            link=link,
            title=title,
            text="\n".join(p.text for p in paragraphs),
        ),
        title=title,
        paragraphs=paragraphs,
        author=_entry_author(entry),
        date=_iso_date(entry.get("published"), entry.get("published_parsed"))
        or _iso_date(entry.get("updated"), entry.get("updated_parsed")),
        source=source,
        url=link,
    )


def _entry_paragraphs(entry: Mapping[str, object]) -> list[Paragraph]:
    """Body paragraphs from the fullest of the entry's content blocks, else its summary."""
    blocks: list[object] = []
    content = entry.get("content")
    if isinstance(content, list):
        blocks.extend(content)
    blocks.append(entry.get("summary_detail"))
    best: list[Paragraph] = []
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        paragraphs = _detail_paragraphs(block.get("type"), block.get("value"))
        if sum(len(p.text) for p in paragraphs) > sum(len(p.text) for p in best):
            best = paragraphs
    return best


def _entry_author(entry: Mapping[str, object]) -> str:
    """The author's name (RSS <author> is often "email (Name)"; feedparser splits it)."""
    detail = entry.get("author_detail")
    if isinstance(detail, Mapping) and _str(detail.get("name")):
        return clean_spacing(_str(detail.get("name")))
    return clean_spacing(_str(entry.get("author")))


def _detail_paragraphs(kind: object, value: object) -> list[Paragraph]:
    """Paragraphs of a feedparser text construct, parsing it as HTML only when it is HTML."""
    text = _str(value)
    if "html" in _str(kind):
        return html_to_paragraphs(text)
    return text_paragraphs(text)


def _detail_text(detail: object, fallback: object) -> str:
    """A title-like text construct as one clean line (feeds put markup in titles)."""
    if isinstance(detail, Mapping):
        kind, value = detail.get("type"), detail.get("value")
    else:
        kind, value = "text/plain", fallback
    if "html" in _str(kind):
        return html_to_text(_str(value))
    return clean_spacing(" ".join(_str(value).split()))


def _parse_json_feed(data: bytes, url: str) -> tuple[list[Article], int]:
    """A JSON Feed (https://jsonfeed.org/version/1.1); other JSON is refused."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"not a feed: invalid JSON: {one_line(exc)}") from None
    if not isinstance(doc, dict) or not _str(doc.get("version")).startswith(_JSONFEED_VERSION):
        raise FeedError("not a feed: JSON without a jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("not a feed: JSON Feed without an 'items' list")
    base = httpx.URL(url)
    source = clean_spacing(_str(doc.get("title"))) or host_of(url)
    feed_author = _json_author(doc)
    articles = (_json_item(item, base, url, source, feed_author) for item in items)
    return _dedupe(articles), len(items)


def _json_item(
    item: object, base: httpx.URL, feed_url: str, source: str, feed_author: str
) -> Article | None:
    """One JSON Feed item as an Article, or None when it is not an object or has no text."""
    if not isinstance(item, dict):
        return None
    title = html_to_text(_str(item.get("title")))  # plain text by spec; markup appears anyway
    paragraphs = html_to_paragraphs(_str(item.get("content_html")))
    paragraphs = paragraphs or text_paragraphs(_str(item.get("content_text")))
    paragraphs = paragraphs or text_paragraphs(_str(item.get("summary")))
    if not paragraphs and not title:
        return None
    paragraphs = paragraphs or [Paragraph(title)]
    link = _str(item.get("url")) or _str(item.get("external_url"))
    if link:
        try:
            link = str(base.join(link))
        except httpx.InvalidURL:
            link = ""
    raw_date = item.get("date_published") or item.get("date_modified")
    return Article(
        id=stable_id(
            feed_url,
            guid=_str(item.get("id")),
            link=link,
            title=title,
            text="\n".join(p.text for p in paragraphs),
        ),
        title=title,
        paragraphs=paragraphs,
        author=_json_author(item) or feed_author,
        date=_iso_date(raw_date, None),
        source=source,
        url=link,
    )


def _json_author(obj: Mapping[str, object]) -> str:
    """Author name from JSON Feed 1.1 `authors` or 1.0 `author`."""
    authors = obj.get("authors")
    candidates = authors if isinstance(authors, list) else [obj.get("author")]
    names = [_str(a.get("name")) for a in candidates if isinstance(a, dict)]
    return clean_spacing(", ".join(n for n in names if n))


def _iso_date(raw: object, parsed: object) -> str:
    """An ISO 8601 date-time from a feed date, keeping the publisher's UTC offset.

    The raw string is parsed first (`text.iso_datetime`) because feedparser's *_parsed
    values are converted to UTC, which moves a Chinese morning story onto the previous day.
    The *_parsed value is the fallback for formats only feedparser understands.
    """
    found = iso_datetime(_str(raw))
    if found:
        return found
    if isinstance(parsed, time.struct_time):
        try:
            return dt.datetime(*parsed[:6], tzinfo=dt.UTC).isoformat()
        except (TypeError, ValueError):
            return ""
    return ""


def _str(value: object) -> str:
    """`value` if it is a string, else '' (feed fields are untyped and may be anything)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # JSON Feed ids are sometimes numbers
    return ""

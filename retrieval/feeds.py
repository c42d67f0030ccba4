"""Fetch a feed or article URL and turn it into Articles: RSS, Atom, JSON Feed or a web page.

`fetch_source` is the one entry point. It is written for a bot that polls URLs given by
users or operators, so it assumes the URL may be hostile or broken:

* Only http/https. Every host (the first and each redirect target) is resolved before any
  request and refused when any address is loopback, private, link-local, reserved or
  multicast, and the connection then goes to the very address that was checked (so a DNS
  answer that changes between the check and the connect cannot point us at 127.0.0.1).
* One deadline covers name resolution, connecting, redirects and reading the body, and the
  body is cut at `FetchPolicy.max_bytes` while streaming, so a slow or endless response
  cannot tie up the bot or its memory.
* Every failure becomes `FetchResult(status="error")` with a one-line reason naming the URL,
  in the same "where: what" form as `retrieval.sources.SourceError`; nothing raises.

Parsing (`parse_content`) is separate from fetching so it can be used on saved responses.
Feed items and pages get ids of the form ``feed:<16 hex digits>`` derived from the item's
guid, link or text, so polling the same feed again yields the same ids.
"""

from __future__ import annotations

import asyncio
import codecs
import email.utils
import hashlib
import io
import ipaddress
import json
import logging
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Literal
from xml.sax import SAXParseException

import feedparser  # type: ignore[import-untyped]
import httpx
import trafilatura
from trafilatura.settings import Document

from retrieval.errors import UnreadableText
from retrieval.records import Article, Paragraph, SourceError
from retrieval.sources import decode
from retrieval.text import clean_spacing, derive_title

__all__ = [
    "Conditional",
    "FeedError",
    "FetchPolicy",
    "FetchResult",
    "fetch_source",
    "html_to_paragraphs",
    "html_to_text",
    "parse_content",
    "stable_id",
]

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
_ALLOWED_SCHEMES = ("http", "https")
_REDIRECT_CODES = (301, 302, 303, 307, 308)
_JSONFEED_VERSION = "https://jsonfeed.org/version/"
_ACCEPT = (
    "application/feed+json, application/atom+xml, application/rss+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Labels that browsers decode with a superset codec: GB2312/GBK pages routinely contain
# characters outside those tables, and "latin-1" pages are really windows-1252.
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
#: The front end's switch for `allow_private`, named in refusals so operators know the fix.
_ENV_ALLOW_PRIVATE = "NEWSBOT_FEEDS_ALLOW_PRIVATE"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and permissions for one fetch.

    Attributes:
        timeout_s: Deadline for the whole fetch (resolve, connect, redirects, body), not per
            socket read: httpx's own timeouts restart on every chunk, so a server trickling a
            byte at a time would otherwise never time out.
        max_bytes: Largest body accepted (after content decoding). Reading stops as soon as
            it is exceeded, so an endless response costs at most this much memory.
        allow_private: Fetch hosts that resolve to loopback/private/link-local/reserved
            addresses. Off by default because URLs come from chat users and must not reach
            the bot's own network (SSRF); tests and intranet deployments turn it on.
        user_agent: Sent with every request so publishers can identify the bot.
        trusted_hosts: Host names (lower case) exempt from the address check even when
            `allow_private` is off: an operator's intranet feed, without opening every
            private address. Redirect targets are still checked on their own name.
    """

    timeout_s: float = 10.0
    max_bytes: int = 5_000_000
    allow_private: bool = False
    user_agent: str = "newsbot/0.1"
    trusted_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Conditional:
    """Validators from the previous poll, sent back so an unchanged feed costs a 304."""

    etag: str = ""
    last_modified: str = ""


NO_CONDITIONAL = Conditional()
DEFAULT_POLICY = FetchPolicy()


@dataclass
class FetchResult:
    """What one fetch produced.

    Attributes:
        url: The URL that was asked for (not the redirect target), so callers can key
            their state by it.
        status: "ok" (articles parsed), "not_modified" (HTTP 304; nothing to do) or
            "error" (see `error`).
        articles: The articles found; empty unless status is "ok".
        error: One line, "URL: reason", empty unless status is "error".
        conditional: Validators to send next time. On an error these are the previous
            ones, so a transient failure does not force a full download later.
        items_seen: Entries in the feed (1 for a page), including skipped duplicates and
            items without text, so callers can tell "empty feed" from "nothing usable".
    """

    url: str
    status: Literal["ok", "not_modified", "error"]
    articles: list[Article] = field(default_factory=list)
    error: str = ""
    conditional: Conditional = NO_CONDITIONAL
    items_seen: int = 0


class FeedError(ValueError):
    """The response (or URL) cannot be used; the message is the one-line reason."""


class _Refused(FeedError):
    """The host resolves to an address the policy does not let us contact."""


@dataclass
class _Download:
    """A successful HTTP exchange: the body and what is needed to interpret it."""

    final_url: str
    content_type: str
    body: bytes
    conditional: Conditional
    not_modified: bool = False


# --------------------------------------------------------------------------- fetching


async def fetch_source(
    url: str,
    previous: Conditional = NO_CONDITIONAL,
    policy: FetchPolicy = DEFAULT_POLICY,
    client: httpx.AsyncClient | None = None,
) -> FetchResult:
    """Fetch `url` and parse it as a JSON Feed, RSS/Atom feed or article page.

    Args:
        url: An http(s) URL of a feed or of a single article page.
        previous: ETag/Last-Modified from the last poll; sent as If-None-Match /
            If-Modified-Since so unchanged feeds answer 304 without a body.
        policy: Timeouts, size cap and which hosts may be contacted.
        client: An httpx client to reuse (connection pooling across many feeds). It is used
            with redirects off and must not route through a proxy that would defeat the
            address check; when None a private client is created and closed.

    Returns:
        A FetchResult; never raises for network, HTTP or content problems.
    """
    try:
        async with asyncio.timeout(policy.timeout_s):
            download = await _download(url, previous, policy, client)
    except FeedError as exc:
        return _failed(url, previous, str(exc))
    except (TimeoutError, httpx.TimeoutException):
        return _failed(url, previous, f"timed out after {policy.timeout_s:g} s")
    except httpx.HTTPError as exc:
        return _failed(url, previous, _network_reason(exc))
    except OSError as exc:  # socket errors that escape httpx's mapping
        return _failed(url, previous, f"network error: {_one_line(exc)}")

    if download.not_modified:
        return FetchResult(url, "not_modified", conditional=download.conditional)
    try:
        # Parsing a multi-megabyte feed or page is CPU work: keep the bot's loop responsive.
        articles, seen = await asyncio.to_thread(
            parse_content, download.body, download.content_type, download.final_url
        )
    except FeedError as exc:
        return _failed(url, previous, str(exc))
    except Exception as exc:  # a parser bug must not take the poller down
        logger.debug("parser failed on %s", url, exc_info=True)
        return _failed(url, previous, f"cannot parse the response: {_one_line(exc)}")
    return FetchResult(
        url, "ok", articles=articles, conditional=download.conditional, items_seen=seen
    )


def _failed(url: str, previous: Conditional, reason: str) -> FetchResult:
    """An error result in the `SourceError` "where: what" form, keeping old validators."""
    return FetchResult(url, "error", error=str(SourceError(url, reason)), conditional=previous)


def _one_line(exc: BaseException) -> str:
    """An exception as one short line (some carry multi-line messages or none at all)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _network_reason(exc: httpx.HTTPError) -> str:
    """A plain reason for an httpx failure; the errno text is what users can act on."""
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {_one_line(exc)}"
    if isinstance(exc, httpx.DecodingError):
        return f"cannot decode the response body: {_one_line(exc)}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol: {_one_line(exc)}"
    return f"network error: {_one_line(exc)}"


async def _download(
    url: str, previous: Conditional, policy: FetchPolicy, client: httpx.AsyncClient | None
) -> _Download:
    """GET `url`, following up to MAX_REDIRECTS redirects, each target checked first.

    Redirects are followed by hand (not by httpx) because each hop needs the same scheme
    and address check as the first URL; otherwise a public URL could bounce us to
    http://127.0.0.1/.
    """
    current = _check_url(url)
    headers = {"User-Agent": policy.user_agent, "Accept": _ACCEPT}
    if previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    http = client or httpx.AsyncClient(trust_env=False, follow_redirects=False)
    try:
        for hop in range(MAX_REDIRECTS + 1):
            try:
                addresses = await _checked_addresses(current, policy)
            except _Refused as exc:
                where = f"redirect to {current} refused" if hop else "refused"
                raise FeedError(f"{where}: {exc}") from None
            except FeedError as exc:
                raise FeedError(f"redirect to {current}: {exc}" if hop else str(exc)) from None
            response = await _send(http, current, addresses, headers, policy)
            try:
                if response.status_code in _REDIRECT_CODES:
                    location = response.headers.get("location", "").strip()
                    if not location:
                        raise FeedError(f"HTTP {response.status_code} redirect without Location")
                    if hop == MAX_REDIRECTS:
                        raise FeedError(f"too many redirects (more than {MAX_REDIRECTS})")
                    target = str(current.join(location))
                    try:
                        current = _check_url(target)
                    except FeedError as exc:
                        raise FeedError(f"redirect to {target} refused: {exc}") from None
                    continue
                return await _finish(response, previous, policy, current)
            finally:
                await response.aclose()
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover
    finally:
        if client is None:
            await http.aclose()


async def _finish(
    response: httpx.Response, previous: Conditional, policy: FetchPolicy, url: httpx.URL
) -> _Download:
    """Turn a final (non-redirect) response into a download or a FeedError."""
    status = response.status_code
    conditional = Conditional(
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
    )
    if status == 304:
        # A 304 may omit the validators; the old ones are then still the current ones.
        kept = Conditional(
            conditional.etag or previous.etag,
            conditional.last_modified or previous.last_modified,
        )
        return _Download(str(url), "", b"", kept, not_modified=True)
    if status >= 400:
        raise FeedError(f"HTTP {status} {response.reason_phrase}".rstrip())
    if not 200 <= status < 300:
        raise FeedError(f"unexpected HTTP {status} {response.reason_phrase}".rstrip())
    body = await _read_capped(response, policy.max_bytes)
    if not body.strip():
        raise FeedError("empty response")
    return _Download(str(url), response.headers.get("content-type", ""), body, conditional)


def _too_large(max_bytes: int) -> FeedError:
    return FeedError(f"response larger than {max_bytes / 1_000_000:g} MB")


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """Read the body, refusing it as soon as it passes `max_bytes`.

    A declared Content-Length over the cap is refused before reading anything; without
    one (chunked or close-delimited bodies) the count is kept while streaming.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_url(url: str) -> httpx.URL:
    """Parse `url` and refuse anything but an http(s) URL with a host."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError) as exc:
        raise FeedError(f"invalid URL: {_one_line(exc)}") from None
    if parsed.scheme not in _ALLOWED_SCHEMES:
        shown = parsed.scheme or "(none)"
        raise FeedError(f"unsupported URL scheme {shown!r}; only http and https are fetched")
    if not parsed.host:
        raise FeedError("URL has no host")
    return parsed


def _address_problem(address: str) -> str:
    """Why `address` must not be contacted ('' when it is a public unicast address)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "non-public"),
    )
    return next((label for bad, label in checks if bad), "")


async def _checked_addresses(url: httpx.URL, policy: FetchPolicy) -> list[str]:
    """Resolve the URL's host and return its addresses, or refuse the host.

    The host is refused when ANY address is non-public, not just the first: a name with
    one public and one private address could otherwise be steered to the private one.
    """
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FeedError(f"cannot resolve host {url.host!r}: {exc.strerror or exc}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FeedError(f"cannot resolve host {url.host!r}: no addresses")
    if policy.allow_private or url.host.lower() in policy.trusted_hosts:
        return addresses
    for address in addresses:
        problem = _address_problem(address)
        if problem:
            where = url.host if url.host == address else f"{url.host} resolves to {address}"
            raise _Refused(
                f"{where}, a {problem} address (set {_ENV_ALLOW_PRIVATE}=1 to allow private hosts)"
            )
    return addresses


async def _send(
    http: httpx.AsyncClient,
    url: httpx.URL,
    addresses: list[str],
    headers: dict[str, str],
    policy: FetchPolicy,
) -> httpx.Response:
    """Send the GET to the checked addresses themselves, trying each until one connects.

    Connecting to the address we checked (with the original Host header and TLS server
    name) rather than letting httpx resolve the name again closes the DNS-rebinding gap
    between check and use. Trying every address also covers names like `localhost` that
    resolve to ::1 first while the server only listens on 127.0.0.1.
    """
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    host_header = url.netloc.decode("ascii")
    last_error: httpx.ConnectError | None = None
    for address in addresses:
        request = http.build_request(
            "GET",
            url.copy_with(host=address),
            headers={**headers, "Host": host_header},
            timeout=httpx.Timeout(policy.timeout_s),
            extensions=extensions,
        )
        try:
            return await http.send(request, stream=True, follow_redirects=False)
        except httpx.ConnectError as exc:
            last_error = exc
    assert last_error is not None  # addresses is never empty
    raise last_error


# --------------------------------------------------------------------------- parsing


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
        return [_parse_page(data, content_type, url)], 1
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
            return [_parse_page(data, content_type, url)], 1  # XHTML page with an XML prolog
        if parsed.get("bozo"):
            raise FeedError(f"not a feed: {_bozo_reason(parsed.get('bozo_exception'))}")
        if not version:
            raise FeedError("not a feed: no RSS, Atom or JSON Feed document found")
        return [], 0  # a well-formed feed that is simply empty right now
    feed: Mapping[str, object] = parsed.get("feed") or {}
    source = _detail_text(feed.get("title_detail"), feed.get("title")) or _host(url)
    return _dedupe(_entry_article(e, url, source) for e in entries), len(entries)


def _bozo_reason(exc: object) -> str:
    """feedparser's parse error as one line, with the position when the XML parser gave one."""
    if isinstance(exc, SAXParseException):
        return f"invalid XML at line {exc.getLineNumber()}: {exc.getMessage()}"
    if isinstance(exc, BaseException):
        return _one_line(exc)
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
    return _text_paragraphs(text)


def _detail_text(detail: object, fallback: object) -> str:
    """A title-like text construct as one clean line (feeds put markup in titles)."""
    if isinstance(detail, Mapping):
        kind, value = detail.get("type"), detail.get("value")
    else:
        kind, value = "text/plain", fallback
    if "html" in _str(kind):
        return html_to_text(_str(value))
    return clean_spacing(" ".join(_str(value).split()))


def _text_paragraphs(text: str) -> list[Paragraph]:
    """Plain text split into paragraphs at line breaks."""
    return [Paragraph(clean_spacing(line)) for line in text.splitlines() if line.strip()]


def _parse_json_feed(data: bytes, url: str) -> tuple[list[Article], int]:
    """A JSON Feed (https://jsonfeed.org/version/1.1); other JSON is refused."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"not a feed: invalid JSON: {_one_line(exc)}") from None
    if not isinstance(doc, dict) or not _str(doc.get("version")).startswith(_JSONFEED_VERSION):
        raise FeedError("not a feed: JSON without a jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("not a feed: JSON Feed without an 'items' list")
    base = httpx.URL(url)
    source = clean_spacing(_str(doc.get("title"))) or _host(url)
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
    paragraphs = paragraphs or _text_paragraphs(_str(item.get("content_text")))
    paragraphs = paragraphs or _text_paragraphs(_str(item.get("summary")))
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


def _parse_page(data: bytes, content_type: str, url: str) -> Article:
    """A single article page: main text and metadata via trafilatura."""
    try:
        text = _decode_html(data, content_type)
    except UnreadableText as exc:
        raise FeedError(f"cannot decode the page: {exc}") from None
    doc = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    body = doc.text if isinstance(doc, Document) else None
    if not isinstance(doc, Document) or not body or not body.strip():
        raise FeedError("not a feed, and no article text found on the page")
    paragraphs = _text_paragraphs(body)
    title = clean_spacing(doc.title or "")
    if paragraphs and title and paragraphs[0].text == title:
        paragraphs = paragraphs[1:] or paragraphs  # the <h1> repeats the title
    meta = _PageMeta.read(text)
    return Article(
        id=stable_id(url, link=url),
        title=title or derive_title(paragraphs[0].text),
        paragraphs=paragraphs,
        # trafilatura drops authors without a space, i.e. nearly every Chinese name.
        author=clean_spacing(doc.author or meta.author),
        date=_iso_date(doc.date, None),
        source=clean_spacing(doc.sitename or "") or _host(url),
        url=url,
    )


def _decode_html(data: bytes, content_type: str) -> str:
    """Decode a page the way browsers do: HTTP charset, then BOM, then <meta> charset.

    Declared charsets are tried strictly, and a wrong declaration (a GBK page labelled
    UTF-8 is common) falls through to `retrieval.sources.decode`, which tries UTF-8,
    GB18030 and detection.
    """
    labels = [_charset_param(content_type)]
    if data.startswith(codecs.BOM_UTF8):
        labels.insert(0, "utf-8-sig")
    labels.append(_PageMeta.read(data[:4096].decode("latin-1")).charset)
    for label in labels:
        codec = _codec(label)
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return decode(data)


def _charset_param(content_type: str) -> str:
    """The charset parameter of a Content-Type header, or ''."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def _codec(label: str) -> str:
    """The Python codec for a charset label ('' if unknown), widened like browsers do."""
    label = label.strip().lower()
    if not label:
        return ""
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


class _PageMeta(HTMLParser):
    """Collects <meta> charset and author from a page's head (stdlib tokenizer)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset = ""
        self.author = ""

    @classmethod
    def read(cls, html: str) -> _PageMeta:
        reader = cls()
        reader.feed(html)
        reader.close()
        return reader

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if not self.charset:
            if values.get("charset"):
                self.charset = values["charset"].strip()
            elif values.get("http-equiv", "").lower() == "content-type":
                self.charset = _charset_param(values.get("content", ""))
        key = (values.get("name") or values.get("property") or "").lower()
        if key in ("author", "article:author", "og:article:author") and not self.author:
            self.author = values.get("content", "").strip()


# --------------------------------------------------------------------------- text helpers

_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "head", "iframe", "svg"))


class _ParagraphCollector(HTMLParser):
    """Splits an HTML fragment into paragraphs at block elements.

    Built on the stdlib tokenizer (entities, comments, CDATA and broken markup are its
    job), not on regular expressions. Headings are not paragraphs of their own: they
    label the paragraphs under them, as `Paragraph.heading` intends.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self._buffer: list[str] = []
        self._skip_depth = 0
        self._in_heading = False
        self._heading = ""
        self._heading_used = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS or tag in _HEADING_TAGS:
            self._flush()
            self._in_heading = tag in _HEADING_TAGS

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()  # <br/>, <hr/>: no end tag follows

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS or tag in _HEADING_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        if self._heading and not self._heading_used:  # nothing under it: keep it as text
            self.paragraphs.append(Paragraph(self._heading))
        self._heading = ""

    def _flush(self) -> None:
        text = clean_spacing(" ".join("".join(self._buffer).split()))
        self._buffer.clear()
        if self._in_heading:
            self._in_heading = False
            if text:
                if self._heading and not self._heading_used:  # two in a row: keep as text
                    self.paragraphs.append(Paragraph(self._heading))
                self._heading, self._heading_used = text, False
        elif text:
            self.paragraphs.append(Paragraph(text, heading=self._heading))
            self._heading_used = True


def html_to_paragraphs(html: str) -> list[Paragraph]:
    """Text paragraphs of an HTML fragment (feed content, JSON Feed content_html).

    trafilatura is made for whole pages: on short fragments it drops lists, headings and
    one-line items as boilerplate, so feed bodies use this block-aware conversion instead.
    Script and style contents are dropped.
    """
    if not html.strip():
        return []
    collector = _ParagraphCollector()
    collector.feed(html)
    collector.close()
    return collector.paragraphs


def html_to_text(html: str) -> str:
    """An HTML (or plain) title as one line: tags removed, entities decoded once."""
    parts = html_to_paragraphs(html)
    return clean_spacing(" ".join(p.heading + " " + p.text if p.heading else p.text for p in parts))


def stable_id(
    feed_url: str, *, guid: str = "", link: str = "", title: str = "", text: str = ""
) -> str:
    """A short, stable article id: "feed:" + 16 hex digits of a SHA-1.

    The key is the item's guid, else its link, else its title and text. URL-like guids and
    links are global (the same article in two feeds gets one id); other guids, such as
    "12345", are only unique within a site, so they are scoped by the feed's host. Hashing
    keeps ids short and free of characters that stores, URLs and commands trip over.
    """
    guid = guid.strip()
    if guid and "://" not in guid and not guid.startswith(("urn:", "tag:")):
        key = f"{_host(feed_url)}#{guid}"
    elif guid:
        key = guid
    elif link.strip():
        key = link.strip()
    else:
        key = f"{_host(feed_url)}#{title}\n{text}"
    return "feed:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _iso_date(raw: object, parsed: object) -> str:
    """An ISO 8601 date-time from a feed date, keeping the publisher's UTC offset.

    The raw string is parsed first (RFC 822 for RSS, RFC 3339/ISO for Atom and JSON Feed)
    because feedparser's *_parsed values are converted to UTC, which moves a Chinese
    morning story onto the previous day. The *_parsed value is the fallback for formats
    only feedparser understands.
    """
    text = _str(raw).strip()
    if len(text) == 10:  # a bare date (pages, some JSON Feeds) stays a date
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    if text:
        try:
            return email.utils.parsedate_to_datetime(text).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return datetime.fromisoformat(text).isoformat()
        except ValueError:
            pass
    if isinstance(parsed, time.struct_time):
        try:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
        except (TypeError, ValueError):
            return ""
    return ""


def _host(url: str) -> str:
    """The host of a URL ('' when it has none), used as a fallback source name."""
    try:
        return httpx.URL(url).host
    except (httpx.InvalidURL, ValueError):
        return ""


def _str(value: object) -> str:
    """`value` if it is a string, else '' (feed fields are untyped and may be anything)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # JSON Feed ids are sometimes numbers
    return ""

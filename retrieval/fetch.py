"""SSRF-safe conditional HTTP GET: a feed or page URL -> bytes, and `fetch_feed` on top.

Written for a bot that polls URLs given by users or operators, so it assumes the URL may be
hostile or broken:

* Only http/https. Every host (the first and each redirect target) is resolved before any
  request and refused when any address is loopback, private, link-local, reserved or
  multicast, and the connection then goes to the very address that was checked (so a DNS
  answer that changes between the check and the connect cannot point us at 127.0.0.1).
* One deadline covers name resolution, connecting, redirects and reading the body, and the
  body is cut at `FetchPolicy.max_bytes` while streaming, so a slow or endless response
  cannot tie up the bot or its memory.
* Every failure becomes `FetchResult(status="error")` with a one-line reason naming the URL,
  in the same "where: what" form as `records.SourceError`; nothing raises.

`download` is the transfer alone (bytes and validators); `fetch_feed` adds the parsing by
`retrieval.sources.feeds`, which knows nothing of the network and also reads saved responses.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from dataclasses import dataclass, field
from typing import Literal

import httpx

from retrieval.errors import FeedError, one_line
from retrieval.records import Article, SourceError
from retrieval.upkeep_records import FetchPolicy

__all__ = [
    "Conditional",
    "Download",
    "FetchPolicy",
    "FetchResult",
    "download",
    "fetch_feed",
]

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
_ALLOWED_SCHEMES = ("http", "https")
_REDIRECT_CODES = (301, 302, 303, 307, 308)

_ACCEPT = (
    "application/feed+json, application/atom+xml, application/rss+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
#: The front end's switch for `allow_private`, named in refusals so operators know the fix.
_ENV_ALLOW_PRIVATE = "NEWSBOT_FEEDS_ALLOW_PRIVATE"

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


class _Refused(FeedError):
    """The host resolves to an address the policy does not let us contact."""


@dataclass
class Download:
    """A successful HTTP exchange: the body and what is needed to interpret it.

    `not_modified` is a 304: no body, and `conditional` holds the validators to keep.
    """

    final_url: str
    content_type: str
    body: bytes
    conditional: Conditional
    not_modified: bool = False


# --------------------------------------------------------------------------- fetching


async def fetch_feed(
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
            fetched = await download(url, previous, policy, client)
    except FeedError as exc:
        return _failed(url, previous, str(exc))
    except (TimeoutError, httpx.TimeoutException):
        return _failed(url, previous, f"timed out after {policy.timeout_s:g} s")
    except httpx.HTTPError as exc:
        return _failed(url, previous, _network_reason(exc))
    except OSError as exc:  # socket errors that escape httpx's mapping
        return _failed(url, previous, f"network error: {one_line(exc)}")

    if fetched.not_modified:
        return FetchResult(url, "not_modified", conditional=fetched.conditional)
    # The readers are imported when a feed is first fetched: answering needs none of them.
    from retrieval.sources.feeds import parse_content

    try:
        # Parsing a multi-megabyte feed or page is CPU work: keep the bot's loop responsive.
        articles, seen = await asyncio.to_thread(
            parse_content, fetched.body, fetched.content_type, fetched.final_url
        )
    except FeedError as exc:
        return _failed(url, previous, str(exc))
    except Exception as exc:  # a parser bug must not take the poller down
        logger.debug("parser failed on %s", url, exc_info=True)
        return _failed(url, previous, f"cannot parse the response: {one_line(exc)}")
    return FetchResult(
        url, "ok", articles=articles, conditional=fetched.conditional, items_seen=seen
    )


def _failed(url: str, previous: Conditional, reason: str) -> FetchResult:
    """An error result in the `SourceError` "where: what" form, keeping old validators."""
    return FetchResult(url, "error", error=str(SourceError(url, reason)), conditional=previous)


def _network_reason(exc: httpx.HTTPError) -> str:
    """A plain reason for an httpx failure; the errno text is what users can act on."""
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {one_line(exc)}"
    if isinstance(exc, httpx.DecodingError):
        return f"cannot decode the response body: {one_line(exc)}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol: {one_line(exc)}"
    return f"network error: {one_line(exc)}"


async def download(
    url: str, previous: Conditional, policy: FetchPolicy, client: httpx.AsyncClient | None
) -> Download:
    """GET `url`, following up to MAX_REDIRECTS redirects, each target checked first.

    Raises FeedError (with the one-line reason), httpx errors and TimeoutError; `fetch_feed`
    turns them into results. The caller sets the overall deadline.

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
) -> Download:
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
        return Download(str(url), "", b"", kept, not_modified=True)
    if status >= 400:
        raise FeedError(f"HTTP {status} {response.reason_phrase}".rstrip())
    if not 200 <= status < 300:
        raise FeedError(f"unexpected HTTP {status} {response.reason_phrase}".rstrip())
    body = await _read_capped(response, policy.max_bytes)
    if not body.strip():
        raise FeedError("empty response")
    return Download(str(url), response.headers.get("content-type", ""), body, conditional)


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
        raise FeedError(f"invalid URL: {one_line(exc)}") from None
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

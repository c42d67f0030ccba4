"""A local HTTP server for feed tests whose responses a test can change between polls.

Same pattern as the fixture server in tests/retrieval/test_feeds.py (stdlib `http.server` in a
thread on 127.0.0.1), but the routes live in a dict so a test can publish a new version of a
feed, and a route with an ETag answers 304 to a matching If-None-Match as real servers do.
Fetching from it needs loopback allowed (NEWSBOT_FEEDS_ALLOW_PRIVATE=1 or allow_private).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape


@dataclass
class Route:
    """One response: status, body, Content-Type and (optionally) an ETag validator."""

    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str = ""


@dataclass
class FeedServer:
    """The running server: `routes` may be changed at any time; `requests` is what it saw."""

    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict[str, str]]:
        """The headers of every request for `path`, in order."""
        return [headers for p, headers in self.requests if p == path]


def rss(items: list[tuple[str, str, str]], title: str = "测试新闻网") -> bytes:
    """An RSS 2.0 document of `(guid, title, text)` items, linked under news.example.cn."""
    entries = "".join(
        f"<item><title>{escape(t)}</title>"
        f"<link>https://news.example.cn/{escape(guid)}.html</link>"
        f'<guid isPermaLink="false">{escape(guid)}</guid>'
        f"<pubDate>Wed, 11 Jun 2025 07:30:00 +0800</pubDate>"
        f"<description>{escape(text)}</description></item>"
        for guid, t, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.example.cn/</link>"
        f"{entries}</channel></rss>"
    ).encode()


def _handler(state: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = state.routes.get(self.path) or Route(b"no such feed", "text/plain", 404)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                self.send_header("ETag", route.etag)
            self.end_headers()
            self.wfile.write(route.body)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-response are not the test's concern


@contextmanager
def serve_feeds() -> Iterator[FeedServer]:
    """Run a FeedServer on a free port of 127.0.0.1 for the duration of the block."""
    state = FeedServer()
    httpd = _QuietServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()

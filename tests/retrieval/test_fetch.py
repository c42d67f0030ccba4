"""retrieval.fetch (and, through `fetch_feed`, the parsers) against a real HTTP server.

The server is stdlib `http.server` in a thread, serving the fixtures in tests/data/feeds plus
misbehaving endpoints (slow, trickling, huge, redirecting, 304, 404, 500). Tests that fetch
from it use `allow_private=True` (or trust the 127.0.0.1 name) since it is a loopback
server; the refusal tests use a transport that fails the test if it is ever called, so a
broken check can never send traffic to 10.0.0.1 or anywhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from retrieval.fetch import Conditional, FetchPolicy, FetchResult, fetch_feed
from retrieval.records import Paragraph
from retrieval.sources.web_ids import stable_id

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "feeds"
LOCAL = FetchPolicy(allow_private=True)
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 11 Jun 2025 00:00:00 GMT"
HUGE = 100 * 1024 * 1024
ID_SHAPE = re.compile(r"^feed:[0-9a-f]{16}$")

# path -> (fixture file, Content-Type)
STATIC = {
    "/rss.xml": ("rss_zh.xml", "application/rss+xml; charset=utf-8"),
    "/moved/rss.xml": ("rss_zh.xml", "application/rss+xml; charset=utf-8"),
    "/secret-target": ("rss_zh.xml", "application/rss+xml"),
    "/atom.xml": ("atom_zh.xml", "application/atom+xml"),
    "/feed.json": ("feed.json", "application/feed+json"),
    "/feed-as-text.json": ("feed.json", "text/plain"),
    "/gb2312.xml": ("rss_gb2312.xml", "application/rss+xml"),
    "/bozo.xml": ("rss_bozo.xml", "text/xml"),
    "/broken.xml": ("broken.xml", "application/rss+xml"),
    "/page-gbk.html": ("page_gbk.html", "text/html"),
    "/page-gbk-header.html": ("page_gbk_nometa.html", "text/html; charset=GBK"),
    "/page-gbk-mislabelled.html": ("page_gbk.html", "text/html; charset=utf-8"),
}


@dataclass
class Server:
    """The running test server and what it observed."""

    base: str
    port: int
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    huge_sent: dict[str, int] = field(default_factory=dict)
    huge_done: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


def _make_handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _stream_zeros(self, key: str, declare_length: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            if declare_length:
                self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            sent, chunk = 0, b"\0" * 65536
            try:
                while sent < HUGE:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:
                pass  # the client hung up: that is the point
            finally:
                server.huge_sent[key] = sent
                server.huge_done.set()

        def do_GET(self) -> None:
            path = self.path
            server.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            if path in STATIC:
                name, ctype = STATIC[path]
                self._send(200, (FIXTURES / name).read_bytes(), ctype)
            elif path == "/etag.xml":
                if (
                    self.headers.get("If-None-Match") == ETAG
                    or self.headers.get("If-Modified-Since") == LAST_MODIFIED
                ):
                    self.send_response(304)
                    self.send_header("ETag", ETAG)
                    self.end_headers()
                else:
                    body = (FIXTURES / "atom_zh.xml").read_bytes()
                    self._send(
                        200, body, "application/atom+xml", ETag=ETAG, Last_Modified=LAST_MODIFIED
                    )
            elif path == "/not-a-feed.json":
                self._send(200, b'{"hello": "world"}', "application/json")
            elif path == "/empty":
                self._send(200, b"", "application/rss+xml")
            elif path == "/missing":
                self._send(404, b"<h1>Not Found</h1>", "text/html")
            elif path == "/boom":
                self._send(500, b"<h1>oops</h1>", "text/html")
            elif path == "/slow":
                time.sleep(2.0)
                with contextlib.suppress(OSError):  # the client gave up long ago
                    self._send(200, (FIXTURES / "rss_zh.xml").read_bytes(), "application/rss+xml")
            elif path == "/trickle":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                try:
                    for _ in range(30):  # 3 s in all; each byte well inside any read timeout
                        self.wfile.write(b" ")
                        time.sleep(0.1)
                except OSError:
                    pass
            elif path == "/huge-declared":
                self._stream_zeros("declared", declare_length=True)
            elif path == "/huge-stream":
                self._stream_zeros("stream", declare_length=False)
            elif path == "/redirect-to-loopback":
                self._redirect(f"http://localhost:{server.port}/secret-target")
            elif path == "/redirect-to-ftp":
                self._redirect("ftp://files.example.com/feed.xml")
            elif path == "/redirect-loop":
                self._redirect("/redirect-loop")
            elif path.startswith("/chain/"):
                left = int(path.rsplit("/", 1)[1])  # /chain/N redirects N times
                self._redirect(f"/chain/{left - 1}" if left > 1 else "/rss.xml")
            else:
                self._send(404, b"no such fixture", "text/plain")

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-response are expected here


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    state = Server(base="", port=0)
    httpd = _QuietServer(("127.0.0.1", 0), _make_handler(state))
    state.port = httpd.server_address[1]
    state.base = f"http://127.0.0.1:{state.port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def _no_network_client() -> tuple[httpx.AsyncClient, list[httpx.Request]]:
    """A client whose transport records and fails any request it is asked to send."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        raise AssertionError(f"request sent to {request.url} although it must be refused")

    return httpx.AsyncClient(transport=httpx.MockTransport(handler)), sent


def _assert_error(result: FetchResult, url: str, *fragments: str) -> None:
    assert result.status == "error", result
    assert result.articles == []
    assert result.error.startswith(f"{url}: "), result.error
    assert "\n" not in result.error and "Traceback" not in result.error
    for fragment in fragments:
        assert fragment in result.error, result.error


def _fake_resolver(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    """Answer getaddrinfo from `table` (unknown names fail); returns the names looked up."""
    looked_up: list[str] = []

    async def getaddrinfo(host: str, port: int, **_: Any) -> list[Any]:
        looked_up.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        infos = []
        for address in table[host]:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
            infos.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return infos

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)
    return looked_up


# --------------------------------------------------------------------------- feeds


async def test_rss_items_become_articles(server: Server) -> None:
    url = server.url("/rss.xml")
    result = await fetch_feed(url, policy=LOCAL)

    assert result.status == "ok" and result.error == ""
    assert result.items_seen == 6  # 4 usable, 1 duplicate guid, 1 without any text
    by_title = {a.title: a for a in result.articles}
    assert list(by_title) == [
        "长江流域启动防汛四级应急响应&转移群众",
        "快讯：全国夏粮收购进度过半",
        "第一版：高铁新线开通运营",
        "仅有标题的简讯：国务院常务会议召开",
    ]
    flood = by_title["长江流域启动防汛四级应急响应&转移群众"]
    assert flood.date == "2025-06-11T07:30:00+08:00"  # the publisher's offset is kept
    assert flood.author == "新华社记者王小明"
    assert flood.source == "示例新闻网&要闻"
    assert flood.url == "https://news.example.cn/2025/06/11/flood.html"
    assert flood.paragraphs[:2] == [
        Paragraph("记者从水利部获悉，6月11日起长江流域启动防汛四级应急响应。"),
        Paragraph("截至目前，沿江各地已转移群众1.2万人。"),
    ]
    # The <h2> labels the paragraphs under it instead of being a paragraph itself.
    assert [p.heading for p in flood.paragraphs[2:]] == ["后续安排", "后续安排"]
    assert "alert" not in flood.text and "<" not in flood.text

    assert by_title["快讯：全国夏粮收购进度过半"].date == ""  # no pubDate
    brief = by_title["仅有标题的简讯：国务院常务会议召开"]
    assert brief.paragraphs == [Paragraph("仅有标题的简讯：国务院常务会议召开")]
    assert brief.date == "2025-06-08T09:15:00"  # non-RFC date, read as written
    urls = {a.url for a in result.articles}
    assert "https://news.example.cn/2025/06/09/rail-v2.html" not in urls  # duplicate guid
    assert "https://news.example.cn/2025/06/08/empty.html" not in urls  # no text


async def test_ids_are_stable_and_safe(server: Server) -> None:
    first = await fetch_feed(server.url("/rss.xml"), policy=LOCAL)
    again = await fetch_feed(server.url("/rss.xml"), policy=LOCAL)
    moved = await fetch_feed(server.url("/moved/rss.xml"), policy=LOCAL)

    ids = [a.id for a in first.articles]
    assert all(ID_SHAPE.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids)
    assert ids == [a.id for a in again.articles]
    # Same site, other feed path: non-URL guids are scoped by host, so ids do not change.
    assert ids == [a.id for a in moved.articles]
    # guid first (a non-URL guid is scoped by host), then link.
    assert ids[0] == stable_id(server.base, guid="news-20250611-001")
    assert ids[1] == stable_id("", guid="https://news.example.cn/2025/06/10/grain.html")
    assert ids[3] == stable_id("", link="https://news.example.cn/2025/06/08/brief.html")


async def test_atom_feed(server: Server) -> None:
    result = await fetch_feed(server.url("/atom.xml"), policy=LOCAL)

    assert result.status == "ok" and result.items_seen == 2
    quantum, satellite = result.articles
    assert quantum.title == "量子计算机实现新突破"  # type="html" title, tags stripped
    assert quantum.author == "李华"
    assert quantum.date == "2025-06-11T09:00:00+08:00"  # published wins over updated
    assert quantum.url == server.url("/2025/06/quantum.html")  # relative href resolved
    assert quantum.source == "科技日报·前沿"
    assert [p.text for p in quantum.paragraphs] == [
        "研究团队宣布，新型量子处理器的纠错能力显著提升。",
        "逻辑比特错误率下降一个数量级",
        "相干时间延长至毫秒级",
    ]
    assert satellite.date == "2025-06-10T08:00:00+00:00"  # only <updated>
    assert satellite.text == "低轨卫星互联网星座完成首次组网试验，下一步将开展业务测试。"


async def test_json_feed(server: Server) -> None:
    result = await fetch_feed(server.url("/feed.json"), policy=LOCAL)

    assert result.status == "ok" and result.items_seen == 3  # the empty item is skipped
    cpi, trade = result.articles
    assert cpi.title == "五月CPI同比上涨0.3%"
    assert cpi.date == "2025-06-10T09:30:00+08:00"
    assert cpi.author == "赵敏"  # JSON Feed 1.1 "authors"
    assert cpi.source == "经济观察JSON"
    assert [p.text for p in cpi.paragraphs] == [
        "国家统计局发布数据，5月份全国居民消费价格同比上涨0.3%。",
        "其中食品价格环比下降。",
    ]
    assert trade.author == "钱进"  # JSON Feed 1.0 "author"
    assert trade.date == ""
    assert trade.url == server.url("/2025/06/trade.html")
    assert len(trade.paragraphs) == 2
    assert cpi.id == stable_id(server.base, guid="econ-1")


async def test_json_feed_detected_without_its_content_type(server: Server) -> None:
    result = await fetch_feed(server.url("/feed-as-text.json"), policy=LOCAL)
    assert result.status == "ok" and len(result.articles) == 2


async def test_gb2312_feed_is_decoded(server: Server) -> None:
    result = await fetch_feed(server.url("/gb2312.xml"), policy=LOCAL)

    assert result.status == "ok"
    (article,) = result.articles
    assert article.title == "黄河防汛进入主汛期"
    assert article.source == "地方频道（GB2312）"
    assert article.text == "黄河防汛总指挥部要求沿黄各地做好防御准备。"
    assert article.date == "2025-06-10T18:00:00+08:00"


async def test_sloppy_feed_with_entries_is_read(server: Server) -> None:
    result = await fetch_feed(server.url("/bozo.xml"), policy=LOCAL)

    assert result.status == "ok"
    assert [a.title for a in result.articles] == ["未转义的&符号不影响读取"]


async def test_invalid_xml_is_an_error(server: Server) -> None:
    url = server.url("/broken.xml")
    result = await fetch_feed(url, policy=LOCAL)
    _assert_error(result, url, "not a feed: invalid XML at line 3")


async def test_json_that_is_not_a_feed(server: Server) -> None:
    url = server.url("/not-a-feed.json")
    result = await fetch_feed(url, policy=LOCAL)
    _assert_error(result, url, "not a feed: JSON without a jsonfeed.org version")


async def test_empty_response(server: Server) -> None:
    url = server.url("/empty")
    _assert_error(await fetch_feed(url, policy=LOCAL), url, "empty response")


@pytest.mark.parametrize(
    "path", ["/page-gbk.html", "/page-gbk-header.html", "/page-gbk-mislabelled.html"]
)
async def test_gbk_page_becomes_one_article(server: Server, path: str) -> None:
    # meta charset only / HTTP charset only / HTTP says UTF-8 but the bytes are GBK
    url = server.url(path)
    result = await fetch_feed(url, policy=LOCAL)

    assert result.status == "ok", result.error
    assert result.items_seen == 1
    (page,) = result.articles
    assert page.title == "城市更新行动全面推进"
    assert page.date == "2025-06-11"
    assert page.author == "陈静"
    assert page.source == "示例日报网"
    assert page.url == url
    assert page.id == stable_id(url, link=url)
    texts = [p.text for p in page.paragraphs]
    assert any(t.startswith("今年以来，各地加快推进城市更新行动") for t in texts)
    assert texts[-1].startswith("下一步，相关部门将进一步完善政策体系")
    assert page.title not in texts  # the <h1> is not repeated as a paragraph
    assert "广告合作" not in page.text and "隐私政策" not in page.text  # nav and footer


async def test_conditional_get(server: Server) -> None:
    url = server.url("/etag.xml")
    first = await fetch_feed(url, policy=LOCAL)
    assert first.status == "ok" and len(first.articles) == 2
    assert first.conditional == Conditional(ETAG, LAST_MODIFIED)
    assert "if-none-match" not in server.headers_for("/etag.xml")[-1]

    again = await fetch_feed(url, previous=first.conditional, policy=LOCAL)
    assert again.status == "not_modified"
    assert again.articles == [] and again.items_seen == 0 and again.error == ""
    # The 304 repeats the ETag but not Last-Modified: the old value stays current.
    assert again.conditional == Conditional(ETAG, LAST_MODIFIED)
    sent = server.headers_for("/etag.xml")[-1]
    assert sent["if-none-match"] == ETAG and sent["if-modified-since"] == LAST_MODIFIED

    by_date = await fetch_feed(
        url, previous=Conditional(last_modified=LAST_MODIFIED), policy=LOCAL
    )
    assert by_date.status == "not_modified"

    stale = await fetch_feed(url, previous=Conditional(etag='"v0"'), policy=LOCAL)
    assert stale.status == "ok" and stale.conditional.etag == ETAG


async def test_user_agent_is_sent(server: Server) -> None:
    await fetch_feed(server.url("/atom.xml"), policy=LOCAL)
    assert server.headers_for("/atom.xml")[-1]["user-agent"] == "newsbot/0.1"


@pytest.mark.parametrize(
    ("path", "reason"), [("/missing", "HTTP 404 Not Found"), ("/boom", "HTTP 500 Internal")]
)
async def test_http_errors(server: Server, path: str, reason: str) -> None:
    url = server.url(path)
    previous = Conditional("old-etag", "")
    result = await fetch_feed(url, previous=previous, policy=LOCAL)
    _assert_error(result, url, reason)
    assert result.conditional == previous  # an error does not lose the validators


async def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.xml"
    _assert_error(await fetch_feed(url, policy=LOCAL), url, "cannot connect")


async def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_resolver(monkeypatch, {})
    url = "http://no-such-host.invalid/feed.xml"
    _assert_error(await fetch_feed(url), url, "cannot resolve host 'no-such-host.invalid'")


@pytest.mark.parametrize("path", ["/slow", "/trickle"])
async def test_timeout_covers_the_whole_fetch(server: Server, path: str) -> None:
    # /trickle sends a byte every 0.1 s: no single read waits 0.5 s, the total does.
    url = server.url(path)
    started = time.monotonic()
    result = await fetch_feed(url, policy=FetchPolicy(allow_private=True, timeout_s=0.5))
    elapsed = time.monotonic() - started
    _assert_error(result, url, "timed out after 0.5 s")
    assert elapsed < 1.5


@pytest.mark.parametrize(
    ("path", "key"), [("/huge-declared", "declared"), ("/huge-stream", "stream")]
)
async def test_size_cap(server: Server, path: str, key: str) -> None:
    server.huge_done.clear()
    url = server.url(path)
    started = time.monotonic()
    result = await fetch_feed(url, policy=LOCAL)
    _assert_error(result, url, "response larger than 5 MB")
    assert time.monotonic() - started < 5
    # The server notices the hang-up on its next write; it must be far short of 100 MB.
    assert await asyncio.to_thread(server.huge_done.wait, 10)
    assert server.huge_sent[key] < HUGE // 4


async def test_redirects_are_followed_up_to_five(server: Server) -> None:
    url = server.url("/chain/5")
    result = await fetch_feed(url, policy=LOCAL)
    assert result.status == "ok" and result.url == url
    assert len(result.articles) == 4
    # Articles are keyed by the feed they came from, wherever the redirects led.
    direct = await fetch_feed(server.url("/rss.xml"), policy=LOCAL)
    assert [a.id for a in result.articles] == [a.id for a in direct.articles]

    too_far = server.url("/chain/6")
    _assert_error(
        await fetch_feed(too_far, policy=LOCAL), too_far, "too many redirects (more than 5)"
    )
    loop = server.url("/redirect-loop")
    _assert_error(await fetch_feed(loop, policy=LOCAL), loop, "too many redirects")


async def test_redirect_to_other_scheme_refused(server: Server) -> None:
    url = server.url("/redirect-to-ftp")
    result = await fetch_feed(url, policy=LOCAL)
    _assert_error(
        result,
        url,
        "redirect to ftp://files.example.com/feed.xml refused",
        "unsupported URL scheme 'ftp'",
    )


async def test_client_is_reused_and_left_open(server: Server) -> None:
    async with httpx.AsyncClient() as client:
        one = await fetch_feed(server.url("/atom.xml"), policy=LOCAL, client=client)
        two = await fetch_feed(server.url("/feed.json"), policy=LOCAL, client=client)
        assert one.status == two.status == "ok"
        assert not client.is_closed


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1/feed.xml", "loopback"),
        ("http://localhost/feed.xml", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://192.168.1.20:8080/rss", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/feed.xml", "loopback"),
        ("http://[::ffff:127.0.0.1]/feed.xml", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
    ],
)
async def test_private_addresses_refused(url: str, kind: str) -> None:
    client, sent = _no_network_client()
    async with client:
        result = await fetch_feed(url, client=client)
    _assert_error(result, url, "refused", f"a {kind} address", "NEWSBOT_FEEDS_ALLOW_PRIVATE=1")
    assert sent == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("ftp://files.example.com/feed.xml", "unsupported URL scheme 'ftp'"),
        ("feed.example.com/rss", "unsupported URL scheme '(none)'"),
        ("http:///no-host", "URL has no host"),
    ],
)
async def test_bad_urls_refused(url: str, reason: str) -> None:
    client, sent = _no_network_client()
    async with client:
        result = await fetch_feed(url, client=client)
    _assert_error(result, url, reason)
    assert sent == []


async def test_any_private_address_refuses_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_resolver(monkeypatch, {"mixed.example": ["93.184.216.34", "10.1.2.3"]})
    client, sent = _no_network_client()
    async with client:
        result = await fetch_feed("http://mixed.example/rss", client=client)
    _assert_error(
        result, "http://mixed.example/rss", "mixed.example resolves to 10.1.2.3, a private address"
    )
    assert sent == []


async def test_redirect_to_loopback_refused_before_contact(server: Server) -> None:
    # The first hop is trusted by name; the redirect goes to `localhost`, which is not, so
    # the real resolver and address check run on the redirect target.
    url = server.url("/redirect-to-loopback")
    policy = FetchPolicy(trusted_hosts=frozenset({"127.0.0.1"}))
    before = len(server.requests)
    result = await fetch_feed(url, policy=policy)

    target = f"http://localhost:{server.port}/secret-target"
    _assert_error(result, url, f"redirect to {target} refused", "loopback address")
    assert server.paths()[before:] == ["/redirect-to-loopback"]  # target never contacted

    # Control: with private hosts allowed the same redirect is followed to the target.
    allowed = await fetch_feed(url, policy=LOCAL)
    assert allowed.status == "ok" and "/secret-target" in server.paths()


async def test_connection_goes_to_the_checked_address(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "feeds.test" resolves (once, to 127.0.0.1) and the request must go to that address
    # with the original Host header: httpx never resolves the name a second time.
    looked_up = _fake_resolver(monkeypatch, {"feeds.test": ["::1", "127.0.0.1"]})
    url = f"http://feeds.test:{server.port}/atom.xml"
    result = await fetch_feed(url, policy=LOCAL)

    assert result.status == "ok", result.error
    assert looked_up == ["feeds.test"]
    # ::1 is tried first; the server only listens on 127.0.0.1, so the fallback is used.
    assert server.headers_for("/atom.xml")[-1]["host"] == f"feeds.test:{server.port}"

"""NewsService feeds: ingesting fetched articles, polling on a schedule with backoff, and
matching new articles to subscriptions. Feeds are served by a local HTTP server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from retrieval import fetch as fetch_module
from retrieval.fetch import FetchPolicy
from retrieval.records import Article, Paragraph
from retrieval.service import FeedProblem, NewsService
from retrieval.service import feeds as service_module
from tests.feed_server import FeedServer, Route, rss, serve_feeds

LOCAL = FetchPolicy(allow_private=True)
T0 = dt.datetime(2025, 6, 11, 8, 0, tzinfo=dt.UTC)
MUSEUM = (
    "museum-1",
    "乐山大佛博物馆7月1日开馆",
    "乐山大佛博物馆将于7月1日正式开馆，首批展出文物三百余件。该项目总投资2.3亿元。",
)
CHENGDU = ("chengdu-1", "成都新能源项目开工", "成都天府新区新能源产业项目今日开工，总投资50亿元。")


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with serve_feeds() as server:
        yield server


@pytest.fixture
def local(service: NewsService) -> NewsService:
    """The seeded service, allowed to fetch from the loopback test server."""
    service.feed_policy = LOCAL
    service.clock = lambda: T0
    return service


def _article(aid: str, text: str, source: str = "") -> Article:
    return Article(id=aid, title=f"标题{aid}", paragraphs=[Paragraph(text)], source=source)


async def test_ingest_articles_adds_replaces_and_skips_like_file_ingest(
    service: NewsService,
) -> None:
    first = await service.ingest_articles(
        [_article("x1", "嘉州新桥合龙。"), _article("x2", "夏粮收购过半。", "报社")], "feed.example"
    )
    assert (first.added, first.replaced, first.unchanged, first.files) == (2, 0, 0, 1)
    assert (await service.article("x1")).source == "feed.example"  # label fills the gap
    assert (await service.article("x2")).source == "报社"  # but never overrides
    again = await service.ingest_articles(
        [_article("x1", "嘉州新桥合龙。"), _article("x2", "夏粮收购已经全部完成。", "报社")],
        "feed.example",
    )
    assert (again.added, again.replaced, again.unchanged) == (0, 1, 1)
    result = await service.search("夏粮收购")
    assert [h.text for h in result.hits if h.article_id == "x2"] == ["夏粮收购已经全部完成。"]


async def test_add_feed_checks_url_interval_and_duplicates(service: NewsService) -> None:
    feed = await service.add_feed("https://news.example.cn/rss.xml", 15)
    assert (feed.url, feed.interval_minutes, feed.failures) == (
        "https://news.example.cn/rss.xml", 15, 0,
    )
    for url, minutes, message in [
        ("ftp://news.example.cn/rss.xml", 15, "http"),
        ("not a url", 15, "http"),
        ("https://other.example.cn/rss.xml", 0, "interval"),
        ("https://other.example.cn/rss.xml", 24 * 60 + 1, "interval"),
        ("https://news.example.cn/rss.xml", 30, "already"),
    ]:
        with pytest.raises(FeedProblem, match=message):
            await service.add_feed(url, minutes)
    assert [f.url for f in await service.feeds()] == ["https://news.example.cn/rss.xml"]
    assert await service.remove_feed(feed.id) and not await service.remove_feed(feed.id)


async def test_poll_ingests_then_uses_the_etag_then_picks_up_changes(
    local: NewsService, feeds: FeedServer
) -> None:
    feeds.routes["/rss.xml"] = Route(rss([MUSEUM, CHENGDU]), etag='"v1"')
    feed = await local.add_feed(feeds.url("/rss.xml"), 10)

    [report] = await local.poll_feeds(now=T0)
    assert (report.status, report.added, report.error) == ("ok", 2, "")
    assert len(report.new_article_ids) == 2
    answer = await local.ask("乐山大佛博物馆什么时候开馆？")
    assert answer.found and "7月1日" in answer.sentence
    assert answer.hits[0].source == "测试新闻网"  # the channel title
    stored = await local.store.feeds.get(feed.id)
    assert stored is not None and stored.etag == '"v1"' and stored.items_added == 2
    assert stored.next_poll == (T0 + dt.timedelta(minutes=10)).isoformat()

    assert await local.poll_feeds(now=T0 + dt.timedelta(minutes=9)) == []  # not due yet
    [report] = await local.poll_feeds(now=T0 + dt.timedelta(minutes=10))
    assert (report.status, report.added, report.new_article_ids) == ("not_modified", 0, [])
    assert feeds.hits("/rss.xml")[-1]["if-none-match"] == '"v1"'

    changed = (MUSEUM[0], MUSEUM[1], MUSEUM[2] + "门票免费。")
    feeds.routes["/rss.xml"] = Route(rss([changed, CHENGDU]), etag='"v2"')
    [report] = await local.poll_feeds(due_only=False, now=T0 + dt.timedelta(minutes=11))
    assert (report.status, report.added, report.replaced, report.unchanged) == ("ok", 0, 1, 1)
    assert len(report.new_article_ids) == 1
    assert "门票免费" in (await local.article(report.new_article_ids[0])).text
    assert (await local.store.articles.counts())[0] == 5 + 2


async def test_a_failing_feed_backs_off_and_never_stops_the_others(
    local: NewsService, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds.routes["/good.xml"] = Route(rss([MUSEUM]))
    good = await local.add_feed(feeds.url("/good.xml"), 10)
    missing = await local.add_feed(feeds.url("/missing.xml"), 10)  # the server answers 404
    daily = await local.add_feed(feeds.url("/daily-missing.xml"), 12 * 60)

    reports = {r.feed_id: r for r in await local.poll_feeds(now=T0)}
    assert reports[good.id].status == "ok" and reports[good.id].added == 1
    assert reports[missing.id].status == "error" and "404" in reports[missing.id].error
    failed = await local.store.feeds.get(missing.id)
    assert failed is not None and failed.failures == 1 and "404" in failed.last_error
    assert failed.next_poll == (T0 + dt.timedelta(minutes=20)).isoformat()  # 10 min × 2¹
    capped = await local.store.feeds.get(daily.id)
    assert capped is not None and capped.next_poll == (T0 + dt.timedelta(hours=24)).isoformat()

    later = T0 + dt.timedelta(minutes=20)
    due = {r.feed_id: r for r in await local.poll_feeds(now=later)}
    assert set(due) == {good.id, missing.id}
    again = await local.store.feeds.get(missing.id)
    assert again is not None and again.failures == 2
    assert again.next_poll == (later + dt.timedelta(minutes=40)).isoformat()  # 10 min × 2²

    feeds.routes["/missing.xml"] = Route(rss([CHENGDU]))
    real_fetch = fetch_module.fetch_feed

    async def explode_for_good(url: str, *args: object, **kwargs: object) -> object:
        if url.endswith("/good.xml"):
            raise RuntimeError("parser bug")
        return await real_fetch(url, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fetch_module, "fetch_feed", explode_for_good)
    reports = {r.feed_id: r for r in await local.poll_feeds(due_only=False, now=later)}
    assert reports[good.id].status == "error" and "parser bug" in reports[good.id].error
    assert reports[missing.id].status == "ok" and reports[missing.id].added == 1
    recovered = await local.store.feeds.get(missing.id)
    assert recovered is not None and recovered.failures == 0 and recovered.last_error == ""
    assert recovered.last_success == later.isoformat()


async def test_loopback_feeds_are_refused_unless_the_operator_allows_them(
    service: NewsService, feeds: FeedServer
) -> None:
    feeds.routes["/rss.xml"] = Route(rss([MUSEUM]))
    service.feed_policy = FetchPolicy()
    service.clock = lambda: T0
    await service.add_feed(feeds.url("/rss.xml"))
    [report] = await service.poll_feeds(now=T0)
    assert report.status == "error" and report.added == 0
    assert feeds.requests == []  # refused before any connection


async def test_subscriptions_match_new_articles_covering_the_query(
    local: NewsService, feeds: FeedServer
) -> None:
    feeds.routes["/rss.xml"] = Route(rss([MUSEUM, CHENGDU]))
    await local.add_feed(feeds.url("/rss.xml"))
    [report] = await local.poll_feeds(now=T0)
    new = report.new_article_ids
    museum = [h.title for h in await local.new_articles_matching("乐山 项目", new)]
    assert museum == [MUSEUM[1]]  # the Chengdu story only mentions 项目
    assert [h.title for h in await local.new_articles_matching("新能源", new)] == [CHENGDU[1]]
    assert len(await local.new_articles_matching("项目", new)) == 2
    assert await local.new_articles_matching("火星探测器", new) == []
    assert await local.new_articles_matching("？？", new) == []  # nothing searchable
    old = [row.id for row in await local.articles(20) if row.id not in new]
    assert old and await local.new_articles_matching("博物馆 开馆", old) == []  # only new ones
    assert await local.new_articles_matching("博物馆 开馆", []) == []


def _rss_items(items: list[tuple[str, str, str]]) -> bytes:
    """RSS of `(guid, link, text)` items (links given explicitly, unlike `rss`)."""
    entries = "".join(
        f"<item><title>标题</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid>"
        f"<description>{text}</description></item>"
        for guid, link, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>测试新闻网</title><link>https://news.example.cn/</link>{entries}</channel></rss>"
    ).encode()


async def test_an_item_republished_with_a_new_guid_is_not_stored_twice(
    local: NewsService, feeds: FeedServer
) -> None:
    page = "https://news.example.cn/2025/museum.html"
    text = "乐山大佛博物馆将于7月1日开馆。"
    other = "成都天府新区新能源产业项目今日开工。"
    feeds.routes["/rss.xml"] = Route(
        _rss_items([("g1", page, text), ("g2", "https://news.example.cn/cd.html", other)])
    )
    await local.add_feed(feeds.url("/rss.xml"), 10)
    [report] = await local.poll_feeds(now=T0)
    assert report.added == 2

    moved = "HTTPS://www.news.example.cn/2025/museum.html/?utm_source=rss#top"
    feeds.routes["/rss.xml"] = Route(_rss_items([
        ("g1-again", moved, text),
        ("g2-again", "https://news.example.cn/moved/cd.html", other),
        ("g3", "https://news.example.cn/new.html", "新的文章内容。"),
    ]))
    [report] = await local.poll_feeds(due_only=False, now=T0)
    # the two republished items replace their first versions (their URLs changed)
    assert (report.added, report.replaced, report.unchanged) == (1, 2, 0)
    assert (await local.store.articles.counts())[0] == 5 + 3


def test_canonical_url_ignores_what_does_not_name_the_article() -> None:
    canonical = service_module.canonical_url
    assert canonical("http://www.Example.cn/a/b/?utm_medium=x&id=3#c") == canonical(
        "https://example.cn/a/b?id=3"
    )
    assert canonical("https://example.cn/a?id=3") != canonical("https://example.cn/a?id=4")

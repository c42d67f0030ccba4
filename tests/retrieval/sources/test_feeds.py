"""retrieval.sources.feeds on saved responses (no network): sniffing, RSS, JSON Feed, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.errors import FeedError
from retrieval.sources.feeds import parse_content
from retrieval.sources.web_ids import stable_id

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "feeds"
BASE = "https://news.example.cn"


def test_parse_content_without_content_type() -> None:
    data = (FIXTURES / "rss_zh.xml").read_bytes()
    articles, seen = parse_content(data, "", f"{BASE}/rss.xml")
    assert seen == 6 and len(articles) == 4


def test_json_feed_is_read_from_saved_bytes() -> None:
    data = (FIXTURES / "feed.json").read_bytes()
    articles, seen = parse_content(data, "text/plain", f"{BASE}/feed.json")
    assert seen == 3  # the item without text is counted but not kept
    cpi, trade = articles
    assert cpi.title == "五月CPI同比上涨0.3%" and cpi.author == "赵敏"
    assert cpi.date == "2025-06-10T09:30:00+08:00"  # the publisher's offset is kept
    assert cpi.id == stable_id(BASE, guid="econ-1")
    assert trade.url == f"{BASE}/2025/06/trade.html"  # relative link resolved


def test_documents_that_are_not_feeds_are_refused_with_the_reason() -> None:
    with pytest.raises(FeedError, match=r"not a feed: JSON without a jsonfeed\.org version"):
        parse_content(b'{"hello": 1}', "application/json", f"{BASE}/x.json")
    with pytest.raises(FeedError, match="not a feed"):
        parse_content((FIXTURES / "broken.xml").read_bytes(), "application/xml", BASE)


def test_an_empty_but_well_formed_feed_has_no_articles() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    assert parse_content(empty, "application/rss+xml", BASE) == ([], 0)

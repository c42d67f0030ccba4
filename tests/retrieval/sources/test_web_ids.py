"""retrieval.sources.web_ids: stable ids for feed items and pages, and the host fallback."""

from __future__ import annotations

import re

from retrieval.sources.web_ids import host_of, stable_id

ID_SHAPE = re.compile(r"^feed:[0-9a-f]{16}$")


def test_stable_id_rules() -> None:
    assert stable_id("http://a.cn/rss", guid="42") == stable_id("http://a.cn/other", guid="42")
    assert stable_id("http://a.cn/rss", guid="42") != stable_id("http://b.cn/rss", guid="42")
    urn = "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert stable_id("http://a.cn/", guid=urn) == stable_id("http://b.cn/", guid=urn)
    by_text = stable_id("http://a.cn/", title="标题", text="正文")
    assert by_text == stable_id("http://a.cn/", title="标题", text="正文")
    assert by_text != stable_id("http://a.cn/", title="标题", text="另一篇正文")
    assert ID_SHAPE.match(by_text)


def test_host_of() -> None:
    assert host_of("https://News.Example.cn:8443/a?b=1") == "news.example.cn"
    assert host_of("not a url") == ""

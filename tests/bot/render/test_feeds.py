"""Feeds, subscriptions and alerts as Telegram HTML."""

from __future__ import annotations

from bot import texts
from bot.render import feeds
from retrieval import FeedRow
from tests.bot.render.samples import hit, valid
from tests.e2e.fake_bot_api import parse_html


def test_alert_lists_title_source_and_link_escaped_in_one_message() -> None:
    hostile = hit(
        title="<b>新桥</b> & 合龙", source="晚报<script>", url="https://x.example/a?b=1&c=<2>"
    )
    plain_hit = hit(article_id="a2", title="第二篇", source="", url="ftp://not-a-link")
    text, keyboard = feeds.alert([("新桥 <合龙>", [hostile]), ("第二", [plain_hit])])
    shown, entities = parse_html(text)
    assert keyboard is None and "<script>" not in text
    assert shown.splitlines() == [
        "🔔 订阅提醒：2 篇相关的新文章",
        "",
        "「新桥 <合龙>」",
        "• <b>新桥</b> & 合龙 · 晚报<script> · https://x.example/a?b=1&c=<2>",
        "",
        "「第二」",
        "• 第二篇",
    ]
    assert [e["url"] for e in entities if e["type"] == "text_link"] == [
        "https://x.example/a?b=1&c=<2>"
    ]


def test_feeds_listing_shows_health_and_escapes_errors() -> None:
    never = FeedRow(1, "https://a.example/rss?x=1&y=2", 30, "", "", "", "", "", 0, 0, "")
    failing = FeedRow(
        2, "https://b.example/feed", 5, "", "", "2025-06-11T08:00:00+00:00", "",
        "https://b.example/feed: HTTP 500 <oops>", 3, 2, "2025-06-11T08:20:00+00:00",
    )
    shown = valid(feeds.feeds([never, failing])[0])
    assert "1. https://a.example/rss?x=1&y=2" in shown and "尚未抓取" in shown
    assert "连续失败 2 次，下次 2025年6月11日 16:20" in shown
    assert "HTTP 500 <oops>" in shown and "共新增 3 篇" in shown
    assert feeds.feeds([])[0] == texts.FEEDS_EMPTY

"""retrieval.sources.webpage: HTML fragments to paragraphs, and whole pages to one Article."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.errors import FeedError
from retrieval.records import Paragraph
from retrieval.sources.web_ids import stable_id
from retrieval.sources.webpage import html_to_paragraphs, html_to_text, parse_page

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "feeds"


def test_html_to_paragraphs() -> None:
    html = (
        "<div><p>第一段 <b>加粗</b>。</p><p>第二段<br>换行</p>"
        "<script>var x = '<p>不是正文</p>';</script><style>p{}</style>"
        "<ul><li>项一</li><li>项二</li></ul><h3>小标题</h3><p>后文 &amp; 结尾</p>"
        "<!-- 注释 --></div>"
    )
    assert html_to_paragraphs(html) == [
        Paragraph("第一段加粗。"),
        Paragraph("第二段"),
        Paragraph("换行"),
        Paragraph("项一"),
        Paragraph("项二"),
        Paragraph("后文&结尾", heading="小标题"),
    ]
    assert html_to_paragraphs("") == []
    assert html_to_paragraphs("<h2>只有标题</h2>") == [Paragraph("只有标题")]


def test_html_to_text_decodes_once() -> None:
    assert html_to_text("<b>重要</b>新闻") == "重要新闻"
    assert html_to_text("A &amp;amp; B") == "A &amp; B"  # double-escaped stays escaped once
    assert html_to_text("1 < 2 &lt; 3") == "1 < 2 < 3"
    assert html_to_text("plain") == "plain"


def test_a_gbk_page_without_a_declared_charset_becomes_one_article() -> None:
    url = "https://daily.example.cn/2025/06/11/city.html"
    page = parse_page((FIXTURES / "page_gbk_nometa.html").read_bytes(), "text/html", url)
    assert page.title == "城市更新行动全面推进"
    assert page.id == stable_id(url, link=url) and page.url == url
    assert any(p.text.startswith("今年以来，各地加快推进城市更新行动") for p in page.paragraphs)
    assert page.author == "陈静"


def test_a_page_without_article_text_is_refused() -> None:
    with pytest.raises(FeedError, match="no article text"):
        page = b"<html><head><title>x</title></head><body><script>1</script></body></html>"
        parse_page(page, "text/html", "https://a.cn/")

"""Escaping, highlighting and links: no article or user text can inject markup."""

from __future__ import annotations

from bot import markup, texts
from tests.e2e.fake_bot_api import parse_html


def valid(html_text: str) -> str:
    """The visible text; raises if Telegram would reject the HTML."""
    return parse_html(html_text)[0]


def test_text_is_escaped_before_markup_is_added() -> None:
    raw = "A<b>&乐山</b>"
    html_text = markup.highlight(raw, ["乐山"])
    assert html_text == "A&lt;b&gt;&amp;<b>乐山</b>&lt;/b&gt;"
    assert valid(html_text) == raw


def test_highlight_is_case_insensitive_merges_neighbours_and_prefers_long_terms() -> None:
    assert markup.highlight("GDP增长", ["gdp"]) == "<b>GDP</b>增长"
    assert markup.highlight("乐山农商银行", ["乐山", "农商", "银行"]) == "<b>乐山农商银行</b>"
    assert markup.highlight("乐山市", ["乐山", "乐山市"]) == "<b>乐山市</b>"
    # single characters only when nothing longer matched the question
    assert markup.highlight("柏林村的村民", ["柏林", "村"]) == "<b>柏林</b>村的村民"
    assert markup.highlight("王先生", ["王"]) == "<b>王</b>先生"


def test_highlight_of_markup_like_terms_stays_valid() -> None:
    html_text = markup.highlight("x <b> y & z", ["<b>", "&"])
    assert html_text == "x <b>&lt;b&gt;</b> y &amp; z"  # "&" is a lone character: not shown
    assert valid(html_text) == "x <b> y & z"
    assert markup.highlight("a&b", ["&"]) == "a<b>&amp;</b>b"
    assert markup.highlight("无关", []) == "无关"


def test_source_line_links_only_http_urls_and_escapes_everything() -> None:
    line = markup.source_line('A<"B">', "2023-06-10", "报&社", 'https://x.cn/?a=1&b="2"')
    assert line == (
        '<a href="https://x.cn/?a=1&amp;b=&quot;2&quot;">A&lt;"B"&gt;</a>'
        " · 2023年6月10日 · 报&amp;社"
    )
    text, entities = parse_html(line)
    assert text == 'A<"B"> · 2023年6月10日 · 报&社'
    assert entities[0]["url"] == 'https://x.cn/?a=1&b="2"'
    assert markup.source_line("T", "", "", "javascript:alert(1)") == "T"
    assert markup.source_line("", "", "") == texts.MISSING


def test_source_line_names_the_printed_page() -> None:
    line = markup.source_line("标题", "2024-03-05", "乐山日报", page="3")
    assert line.endswith("乐山日报 · 第3版")
    assert "版" not in markup.source_line("标题", "2024-03-05", "乐山日报")

"""Telegram HTML rendering: escaping, highlighting, source lines, keyboards, splitting."""

from __future__ import annotations

import random
import re

import pytest

from bot import render, texts
from retrieval.models import Article, Hit, Paragraph
from retrieval.service import Answer, IngestReport, SearchResult, Stats, Summary, SummaryItem
from retrieval.sources import SourceError
from tests.e2e.fake_bot_api import parse_html, utf16_len


def hit(rank: int = 1, text: str = "乐山农商银行发放贷款。", **kw: object) -> Hit:
    values: dict[str, object] = {
        "rank": rank,
        "score": 1.0,
        "text": text,
        "article_id": "a1",
        "title": "标题",
        "date": "2025-06-10T08:00:00",
        "source": "乐山日报",
        "url": "",
        "paragraph": 0,
        "terms": ["乐山", "贷款"],
    }
    values.update(kw)
    return Hit(**values)  # type: ignore[arg-type]


def valid(html_text: str) -> str:
    """The visible text; raises if Telegram would reject the HTML."""
    return parse_html(html_text)[0]


def button(article_id: str) -> str:
    return render.summary_data(article_id) or "sk:KEY"


# ------------------------------------------------------------------ escaping and highlight


def test_text_is_escaped_before_markup_is_added() -> None:
    raw = "A<b>&乐山</b>"
    html_text = render.highlight(raw, ["乐山"])
    assert html_text == "A&lt;b&gt;&amp;<b>乐山</b>&lt;/b&gt;"
    assert valid(html_text) == raw


def test_highlight_is_case_insensitive_merges_neighbours_and_prefers_long_terms() -> None:
    assert render.highlight("GDP增长", ["gdp"]) == "<b>GDP</b>增长"
    assert render.highlight("乐山农商银行", ["乐山", "农商", "银行"]) == "<b>乐山农商银行</b>"
    assert render.highlight("乐山市", ["乐山", "乐山市"]) == "<b>乐山市</b>"
    # single characters only when nothing longer matched the question
    assert render.highlight("柏林村的村民", ["柏林", "村"]) == "<b>柏林</b>村的村民"
    assert render.highlight("王先生", ["王"]) == "<b>王</b>先生"


def test_highlight_of_markup_like_terms_stays_valid() -> None:
    html_text = render.highlight("x <b> y & z", ["<b>", "&"])
    assert html_text == "x <b>&lt;b&gt;</b> y &amp; z"  # "&" is a lone character: not shown
    assert valid(html_text) == "x <b> y & z"
    assert render.highlight("a&b", ["&"]) == "a<b>&amp;</b>b"
    assert render.highlight("无关", []) == "无关"


def test_source_line_links_only_http_urls_and_escapes_everything() -> None:
    line = render.source_line('A<"B">', "2025-06-10T08:00", "报&社", 'https://x.cn/?a=1&b="2"')
    assert line == (
        '<a href="https://x.cn/?a=1&amp;b=&quot;2&quot;">A&lt;"B"&gt;</a> · 2025-06-10 · 报&amp;社'
    )
    text, entities = parse_html(line)
    assert text == 'A<"B"> · 2025-06-10 · 报&社'
    assert entities[0]["url"] == 'https://x.cn/?a=1&b="2"'
    assert render.source_line("T", "", "", "javascript:alert(1)") == "T"
    assert render.source_line("", "", "") == texts.MISSING


# ------------------------------------------------------------------ answers and pages


def test_found_answer_has_sentence_source_passages_and_one_button_per_article() -> None:
    hits = [hit(1), hit(2, "另一段<乐山>内容。"), hit(3, "第三段。", article_id="b2", title="B")]
    answer = Answer("问？", True, "乐山农商银行发放贷款。", 0.9, hits, 3.0)
    html_text, keyboard = render.answer(answer, button)
    text = valid(html_text)
    assert text.startswith("💡 乐山农商银行发放贷款。\n— 标题 · 2025-06-10 · 乐山日报")
    assert "2. 另一段<乐山>内容。" in text and "— B · 2025-06-10 · 乐山日报" in text
    assert keyboard is not None
    labels = [(b.text, b.callback_data) for b in keyboard.inline_keyboard[0]]
    assert labels == [("摘要 1", "sm:a1"), ("摘要 3", "sm:b2")]


def test_unfound_answer_echoes_the_question_safely_and_suggests_search() -> None:
    answer = Answer("<script>火星</script>？", False, "", 0.1, [], 2.0)
    html_text, keyboard = render.answer(answer, button, suggestion="火星")
    assert keyboard is None
    assert "「<script>火星</script>？」" in valid(html_text)
    assert valid(html_text).endswith("/search 火星")
    long_question = Answer("问" * 3000, False, "", 0.0, [], 1.0)
    assert len(render.answer(long_question, button)[0]) < 1000


def test_unfound_answer_says_what_is_missing_in_chinese_and_lists_related() -> None:
    answer = Answer(
        "乐山农商银行的董事长是谁？", False, "", 0.5, [hit()], 2.0,
        missing=["董事长", "type:who"],
    )
    html_text, keyboard = render.answer(answer, button, suggestion="乐山农商银行")
    text = valid(html_text)
    assert "新闻里没有关于“董事长”的报道。" in text
    assert "找到了相关报道，但没有提到是谁。" in text
    assert "相关报道（不是答案）" in text and "type:" not in text
    assert keyboard is not None


def test_not_a_question_replies() -> None:
    chat = Answer("你好", False, "", 0.0, [], 1.0, kind="chitchat")
    assert render.answer(chat, button) == (texts.CHITCHAT, None)
    task = Answer("37乘以48等于多少？", False, "", 0.0, [], 1.0, kind="offtopic")
    assert render.answer(task, button) == (texts.OFFTOPIC, None)
    keyword = Answer("火", False, "", 0.0, [hit()], 1.0, kind="search")
    text = valid(render.answer(keyword, button)[0])
    assert text.startswith("「火」不是一个完整的问题，以下是搜索结果：")


def test_search_page_keyboard_has_page_buttons_and_summary_buttons() -> None:
    result = SearchResult("乐山", ["乐山"], [hit(6), hit(7, article_id="b2")], 1.0)
    html_text, keyboard = render.search_page(result, 1, True, "k3y", button)
    assert valid(html_text).startswith("🔎 「乐山」 第 2 页\n\n6. ")
    assert keyboard is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard]
    assert rows == [
        [("摘要 6", "sm:a1"), ("摘要 7", "sm:b2")],
        [(texts.PREV_PAGE, "pg:k3y:0"), (texts.NEXT_PAGE, "pg:k3y:2")],
    ]
    _, keyboard = render.search_page(result, 0, False, "k3y", button)
    assert keyboard is not None and len(keyboard.inline_keyboard) == 1  # no navigation
    empty = SearchResult("<无>", [], [], 1.0)
    assert render.search_page(empty, 0, False, "k", button) == (
        "没有找到与「&lt;无&gt;」匹配的段落。试试更少或不同的关键词。",
        None,
    )


def test_callback_data_fits_64_bytes_and_long_ids_need_a_key() -> None:
    assert render.summary_data("000_844d4cf99fbf511c-3") == "sm:000_844d4cf99fbf511c-3"
    assert render.summary_data("x" * 41) is None
    assert render.summary_data("新" * 14) is None  # 42 bytes in UTF-8
    assert len(render.page_data("A" * 16, 9999).encode()) <= 64
    assert render.PAGE_PATTERN.match(render.page_data("ab-_9", 3))


def test_inline_results_are_titled_passages_with_sources() -> None:
    result = SearchResult("乐山", ["乐山"], [hit(1, url="https://x.cn/1"), hit(2, title="")], 1.0)
    first, second = render.inline_results(result)
    assert (first.id, first.title, first.url) == ("1", "标题", "https://x.cn/1")
    assert first.description == "乐山农商银行发放贷款。"
    content = first.input_message_content.to_dict()
    assert valid(content["message_text"]).endswith("— 标题 · 2025-06-10 · 乐山日报")
    assert "<b>乐山</b>" in content["message_text"] and content["parse_mode"] == "HTML"
    assert second.title == texts.UNTITLED


# ------------------------------------------------------------------ other results


def test_summary_names_each_source_and_id() -> None:
    items = [SummaryItem("a1", "标<题>", "2025-06-10", "日报", "", ["第一句。", "第二句。"])]
    text = valid(render.summary(Summary("digest", "", items))[0])
    assert text == "📰 最新新闻摘要\n\n■ 标<题> · 2025-06-10 · 日报\n编号：a1\n第一句。\n第二句。"
    assert render.summary(Summary("topic", "<x>", []))[0].startswith("没有找到与「&lt;x&gt;」")
    assert render.summary(Summary("digest", "", []))[0] == texts.SUMMARY_EMPTY


def test_article_and_listing_render_every_part_escaped() -> None:
    article = Article(
        "id<1>",
        "标题&",
        [Paragraph("第一段<p>", "小标题"), Paragraph("第二段", "小标题")],
        kicker="引题",
        subtitle="副题",
        author="记者",
        date="2025-06-10",
        source="日报",
        url="https://x.cn",
    )
    text = valid(render.article(article)[0])
    assert text.splitlines()[:3] == ["引题", "", "标题&"]
    assert "记者 · 2025-06-10 · 日报 · 编号：id<1>" in text
    assert text.count("小标题") == 1 and text.endswith("第一段<p>\n\n第二段")


def test_ingest_report_names_file_and_line_like_the_cli() -> None:
    report = IngestReport(
        added=2,
        failed=1,
        files=1,
        passages=5,
        seconds=0.25,
        errors=[SourceError("/tmp/xyz/端午<新闻>.jsonl", "malformed JSON: x", 2)],
    )
    text = valid(render.ingest_report(report)[0])
    assert text == (
        "⚠️ 端午<新闻>.jsonl:2：malformed JSON: x\n"
        "新增 2，未变 0，替换 0，失败 1（1 个文件，5 个新段落，用时 0.2 秒）"
    )
    many = IngestReport(errors=[SourceError(f"f{n}.txt", "bad") for n in range(25)], failed=25)
    assert "另有 5 个错误" in render.ingest_report(many)[0]


def test_help_shows_counts_sources_latest_date_and_examples() -> None:
    stats = Stats(
        5,
        42,
        1000,
        [("日报<甲>", 3, "2025-06-10"), ("晚报", 2, "")],
        "2025-06-10",
        0,
        0,
        0.0,
        0.0,
        1,
    )
    examples = render.Examples(["奋力冲刺？"], "奋力冲刺", "a1")
    text = valid(render.help_text(stats, examples, "news_bot")[0])
    assert "目前载入了 5 篇文章（42 个段落），来源：日报<甲>、晚报。最新日期：2025-06-10。" in text
    assert text.endswith("可以试试\n• 奋力冲刺？\n• /search 奋力冲刺\n• /summary a1")
    empty = Stats(0, 0, 0, [], "", 0, 0, 0.0, 0.0, 0)
    assert texts.HELP_EMPTY in render.help_text(empty, render.Examples([]), "b")[0]


def test_every_message_template_is_valid_html() -> None:
    for name in dir(texts):
        value = getattr(texts, name)
        if name.startswith("__"):
            continue
        if isinstance(value, str):
            valid(re.sub(r"\{[^}]*\}", "x", value))


# ------------------------------------------------------------------ splitting


def test_short_text_is_one_message_and_blank_is_none() -> None:
    assert render.split_html("  <b>hi</b>\n") == ["<b>hi</b>"]
    assert render.split_html(" \n ") == []


def test_paragraphs_are_packed_and_never_cut() -> None:
    paragraphs = [f"第{n}段" + "字" * 900 for n in range(10)]
    chunks = render.split_html("\n\n".join(paragraphs))
    assert len(chunks) == 3
    assert all(len(c) <= 4096 for c in chunks)
    assert "\n\n".join(chunks) == "\n\n".join(paragraphs)


def test_long_paragraph_splits_at_sentence_ends_and_reopens_tags() -> None:
    sentence = "长江经济带高质量发展。"
    html_text = '<b><a href="https://x.cn">' + sentence * 1000 + "</a></b>"
    chunks = render.split_html(html_text)
    assert len(chunks) == 3
    for chunk in chunks:
        text, entities = parse_html(chunk)
        assert utf16_len(chunk) <= 4096 and text.endswith("。")
        assert {e["type"] for e in entities} == {"bold", "text_link"}
    assert "".join(valid(c) for c in chunks) == sentence * 1000


def test_entities_and_astral_characters_are_counted_and_never_cut() -> None:
    chunks = render.split_html("&amp;" * 3000)
    assert all(len(c) <= 4096 and c.count("&") == c.count("&amp;") for c in chunks)
    assert "".join(valid(c) for c in chunks) == "&" * 3000
    emoji = render.split_html("😀" * 3000)  # 2 UTF-16 units each
    assert [utf16_len(c) for c in emoji] == [4096, 6000 - 4096]


@pytest.mark.parametrize("seed", range(40))
def test_random_markup_splits_into_valid_messages_that_keep_all_text(seed: int) -> None:
    rng = random.Random(seed)
    limit = rng.randint(40, 400)
    words = ["新闻", "乐山", "A&B", "<x>", "😀", "句子。", " ", "\n", "\n\n", "报道！"]
    parts = []
    for _ in range(rng.randint(5, 80)):
        raw = "".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
        kind = rng.random()
        if kind < 0.2:
            parts.append(f"<b>{render.esc(raw)}</b>")
        elif kind < 0.3:
            parts.append(f'<a href="https://x.cn/{seed}">{render.esc(raw)}<i>斜</i></a>')
        else:
            parts.append(render.highlight(raw, ["乐山", "A&B"]))
    html_text = "".join(parts)
    chunks = render.split_html(html_text, limit)
    for chunk in chunks:
        assert utf16_len(chunk) <= limit
        assert valid(chunk).strip()
    squash = re.compile(r"\s+")
    joined = "".join(squash.sub("", valid(c)) for c in chunks)
    assert joined == squash.sub("", valid(html_text))


def test_alert_lists_title_source_and_link_escaped_in_one_message() -> None:
    hostile = hit(
        title="<b>新桥</b> & 合龙", source="晚报<script>", url="https://x.example/a?b=1&c=<2>"
    )
    plain_hit = hit(article_id="a2", title="第二篇", source="", url="ftp://not-a-link")
    text, keyboard = render.alert([("新桥 <合龙>", [hostile]), ("第二", [plain_hit])])
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
    from retrieval.store import FeedRow

    never = FeedRow(1, "https://a.example/rss?x=1&y=2", 30, "", "", "", "", "", 0, 0, "")
    failing = FeedRow(
        2, "https://b.example/feed", 5, "", "", "2025-06-11T08:00:00+00:00", "",
        "https://b.example/feed: HTTP 500 <oops>", 3, 2, "2025-06-11T08:20:00+00:00",
    )
    shown = valid(render.feeds([never, failing])[0])
    assert "1. https://a.example/rss?x=1&y=2" in shown and "尚未抓取" in shown
    assert "连续失败 2 次，下次 2025-06-11 08:20 UTC" in shown
    assert "HTTP 500 <oops>" in shown and "共新增 3 篇" in shown
    assert render.feeds([])[0] == texts.FEEDS_EMPTY

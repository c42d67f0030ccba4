"""Telegram HTML rendering: escaping, highlighting, source lines, keyboards."""

from __future__ import annotations

import dataclasses

from bot import callbacks, render, texts
from retrieval import (
    Answer,
    Article,
    FeedRow,
    Hit,
    IngestReport,
    Paragraph,
    SearchResult,
    SourceError,
    Stats,
    Summary,
    SummaryItem,
)
from tests.e2e.fake_bot_api import parse_html


def hit(rank: int = 1, text: str = "乐山农商银行发放贷款。", **kw: object) -> Hit:
    values: dict[str, object] = {
        "rank": rank,
        "score": 1.0,
        "text": text,
        "article_id": "a1",
        "title": "标题",
        "date": "2025-06-10T08:00:00",  # naive: UTC; 16:00 in Shanghai
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
    return callbacks.summary_data(article_id) or "sk:KEY"


# ------------------------------------------------------------------ answers and pages


def test_found_answer_has_sentence_source_passages_and_one_button_per_article() -> None:
    hits = [hit(1), hit(2, "另一段<乐山>内容。"), hit(3, "第三段。", article_id="b2", title="B")]
    answer = Answer("问？", True, "乐山农商银行发放贷款。", 0.9, hits, 3.0)
    html_text, keyboard = render.answer(answer, button)
    text = valid(html_text)
    assert text.startswith("💡 乐山农商银行发放贷款。\n— 标题 · 2025年6月10日 · 乐山日报")
    assert "2. 另一段<乐山>内容。" in text and "— B · 2025年6月10日 · 乐山日报" in text
    assert keyboard is not None
    labels = [(b.text, b.callback_data) for b in keyboard.inline_keyboard[0]]
    assert labels == [("摘要 1", "sm:a1"), ("摘要 3", "sm:b2")]


def test_unfound_answer_echoes_the_question_safely_and_suggests_search() -> None:
    answer = Answer("<script>火星</script>？", False, "", 0.1, [], 2.0, suggestion="火星")
    html_text, keyboard = render.answer(answer, button)
    assert keyboard is None
    assert "「<script>火星</script>？」" in valid(html_text)
    assert valid(html_text).endswith("/search 火星")
    long_question = Answer("问" * 3000, False, "", 0.0, [], 1.0)
    assert len(render.answer(long_question, button)[0]) < 1000


def test_unfound_answer_says_what_is_missing_in_chinese_and_lists_related() -> None:
    answer = Answer(
        "乐山农商银行的董事长是谁？", False, "", 0.5, [hit()], 2.0,
        missing=["董事长", "type:who"], suggestion="乐山农商银行",
    )
    html_text, keyboard = render.answer(answer, button)
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
        [(texts.SORT_BY_DATE, "pg:k3y:0:d")],
    ]
    _, keyboard = render.search_page(result, 0, False, "k3y", button)
    assert keyboard is not None and len(keyboard.inline_keyboard) == 2  # no navigation
    by_date = dataclasses.replace(result, sort="date")
    html_text, keyboard = render.search_page(by_date, 1, True, "k3y", button)
    assert valid(html_text).startswith("🔎 「乐山」 第 2 页（按时间）")
    assert keyboard is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard]
    assert rows[1:] == [
        [(texts.PREV_PAGE, "pg:k3y:0:d"), (texts.NEXT_PAGE, "pg:k3y:2:d")],
        [(texts.SORT_BY_RELEVANCE, "pg:k3y:0")],
    ]
    empty = SearchResult("<无>", [], [], 1.0)
    assert render.search_page(empty, 0, False, "k", button) == (
        "没有找到与「&lt;无&gt;」匹配的段落。试试更少或不同的关键词。",
        None,
    )


def test_inline_results_are_titled_passages_with_sources() -> None:
    result = SearchResult("乐山", ["乐山"], [hit(1, url="https://x.cn/1"), hit(2, title="")], 1.0)
    first, second = render.inline_results(result)
    assert (first.id, first.title, first.url) == ("1", "标题", "https://x.cn/1")
    assert first.description == "乐山农商银行发放贷款。"
    content = first.input_message_content.to_dict()
    assert valid(content["message_text"]).endswith("— 标题 · 2025年6月10日 · 乐山日报")
    assert "<b>乐山</b>" in content["message_text"] and content["parse_mode"] == "HTML"
    assert second.title == texts.UNTITLED


# ------------------------------------------------------------------ other results


def test_summary_names_each_source_and_id() -> None:
    items = [SummaryItem("a1", "标<题>", "2025-06-10", "日报", "", ["第一句。", "第二句。"])]
    text = valid(render.summary(Summary("digest", "", items))[0])
    assert text == (
        "📰 最新新闻摘要\n\n■ 标<题> · 2025年6月10日 · 日报\n编号：a1\n第一句。\n第二句。"
    )
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
    assert "记者 · 2025年6月10日 · 日报 · 编号：id<1>" in text
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
    known = "目前载入了 5 篇文章（42 个段落），来源：日报<甲>、晚报。最新日期：2025年6月10日。"
    assert known in text
    assert text.endswith("可以试试\n• 奋力冲刺？\n• /search 奋力冲刺\n• /summary a1")
    empty = Stats(0, 0, 0, [], "", 0, 0, 0.0, 0.0, 0)
    assert texts.HELP_EMPTY in render.help_text(empty, render.Examples([]), "b")[0]


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
    never = FeedRow(1, "https://a.example/rss?x=1&y=2", 30, "", "", "", "", "", 0, 0, "")
    failing = FeedRow(
        2, "https://b.example/feed", 5, "", "", "2025-06-11T08:00:00+00:00", "",
        "https://b.example/feed: HTTP 500 <oops>", 3, 2, "2025-06-11T08:20:00+00:00",
    )
    shown = valid(render.feeds([never, failing])[0])
    assert "1. https://a.example/rss?x=1&y=2" in shown and "尚未抓取" in shown
    assert "连续失败 2 次，下次 2025年6月11日 16:20" in shown
    assert "HTTP 500 <oops>" in shown and "共新增 3 篇" in shown
    assert render.feeds([])[0] == texts.FEEDS_EMPTY


def test_terminal_output_never_carries_control_characters() -> None:
    from bot.cli import plaintext

    article = Article(
        "x\x1b[2J", "标题\x1b]52;c;ZXZpbA==\x07", [Paragraph("正文\x9b31m红\x1bc。")],
        source="报\x07",
    )
    text = plaintext.article(article)
    assert "标题" in text and "正文红。" in text
    assert not any(ch in text for ch in "\x1b\x07\x9b")

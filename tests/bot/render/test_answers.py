"""Answers, search pages, inline results, summaries and articles as Telegram HTML: escaping,
highlighting, source lines, keyboards."""

from __future__ import annotations

import dataclasses

from bot import texts
from bot.render import answers
from retrieval import Answer, Article, Paragraph, SearchResult, Summary, SummaryItem
from tests.bot.render.samples import button, hit, valid


def test_found_answer_has_sentence_source_passages_and_one_button_per_article() -> None:
    hits = [hit(1), hit(2, "另一段<乐山>内容。"), hit(3, "第三段。", article_id="b2", title="B")]
    answer = Answer("问？", True, "乐山农商银行发放贷款。", 0.9, hits, 3.0)
    html_text, keyboard = answers.answer(answer, button)
    text = valid(html_text)
    assert text.startswith("💡 乐山农商银行发放贷款。\n— 标题 · 2025年6月10日 · 乐山日报")
    assert "2. 另一段<乐山>内容。" in text and "— B · 2025年6月10日 · 乐山日报" in text
    assert keyboard is not None
    labels = [(b.text, b.callback_data) for b in keyboard.inline_keyboard[0]]
    assert labels == [("摘要 1", "sm:a1"), ("摘要 3", "sm:b2")]


def test_a_tentative_answer_says_it_is_not_sure() -> None:
    sure = Answer("问？", True, "乐山农商银行发放贷款。", 0.9, [hit()], 3.0)
    assert texts.ANSWER_TENTATIVE not in answers.answer(sure, button)[0]
    unsure = dataclasses.replace(sure, confidence=0.2, tentative=True)
    head = valid(answers.answer(unsure, button)[0]).split("\n\n")[0]
    assert head.endswith("把握不大：这句话只涉及问题的一部分，请对照下面的原文。")


def test_unfound_answer_echoes_the_question_safely_and_suggests_search() -> None:
    answer = Answer("<script>火星</script>？", False, "", 0.1, [], 2.0, suggestion="火星")
    html_text, keyboard = answers.answer(answer, button)
    assert keyboard is None
    assert "「<script>火星</script>？」" in valid(html_text)
    assert valid(html_text).endswith("/search 火星")
    long_question = Answer("问" * 3000, False, "", 0.0, [], 1.0)
    assert len(answers.answer(long_question, button)[0]) < 1000


def test_unfound_answer_says_what_is_missing_in_chinese_and_lists_related() -> None:
    answer = Answer(
        "乐山农商银行的董事长是谁？", False, "", 0.5, [hit()], 2.0,
        missing=["role:董事长", "type:who"], suggestion="乐山农商银行",
    )
    html_text, keyboard = answers.answer(answer, button)
    text = valid(html_text)
    assert "找到了相关报道，但没有提到董事长是谁。" in text
    assert "相关报道（不是答案）" in text and "type:" not in text
    assert keyboard is not None


def test_not_a_question_replies() -> None:
    chat = Answer("你好", False, "", 0.0, [], 1.0, kind="chitchat")
    assert answers.answer(chat, button) == (texts.CHITCHAT, None)
    task = Answer("37乘以48等于多少？", False, "", 0.0, [], 1.0, kind="offtopic")
    assert answers.answer(task, button) == (texts.OFFTOPIC, None)
    keyword = Answer("火", False, "", 0.0, [hit()], 1.0, kind="search")
    text = valid(answers.answer(keyword, button)[0])
    assert text.startswith("「火」不是一个完整的问题，以下是搜索结果：")
    nothing = Answer("火", False, "", 0.0, [], 1.0, kind="search")
    assert answers.answer(nothing, button) == (
        "没有找到与「火」匹配的段落。试试更少或不同的关键词。", None
    )


def test_search_page_keyboard_has_page_buttons_and_summary_buttons() -> None:
    result = SearchResult("乐山", ["乐山"], [hit(6), hit(7, article_id="b2")], 1.0)
    html_text, keyboard = answers.search_page(result, 1, True, "k3y", button)
    assert valid(html_text).startswith("🔎 「乐山」 第 2 页\n\n6. ")
    assert keyboard is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard]
    assert rows == [
        [("摘要 6", "sm:a1"), ("摘要 7", "sm:b2")],
        [(texts.PREV_PAGE, "pg:k3y:0"), (texts.NEXT_PAGE, "pg:k3y:2")],
        [(texts.SORT_BY_DATE, "pg:k3y:0:d")],
    ]
    _, keyboard = answers.search_page(result, 0, False, "k3y", button)
    assert keyboard is not None and len(keyboard.inline_keyboard) == 2  # no navigation
    by_date = dataclasses.replace(result, sort="date")
    html_text, keyboard = answers.search_page(by_date, 1, True, "k3y", button)
    assert valid(html_text).startswith("🔎 「乐山」 第 2 页（按时间）")
    assert keyboard is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard]
    assert rows[1:] == [
        [(texts.PREV_PAGE, "pg:k3y:0:d"), (texts.NEXT_PAGE, "pg:k3y:2:d")],
        [(texts.SORT_BY_RELEVANCE, "pg:k3y:0")],
    ]
    empty = SearchResult("<无>", [], [], 1.0)
    assert answers.search_page(empty, 0, False, "k", button) == (
        "没有找到与「&lt;无&gt;」匹配的段落。试试更少或不同的关键词。",
        None,
    )


def test_inline_results_are_titled_passages_with_sources() -> None:
    result = SearchResult("乐山", ["乐山"], [hit(1, url="https://x.cn/1"), hit(2, title="")], 1.0)
    first, second = answers.inline_results(result)
    assert (first.id, first.title, first.url) == ("1", "标题", "https://x.cn/1")
    assert first.description == "乐山农商银行发放贷款。"
    content = first.input_message_content.to_dict()
    assert valid(content["message_text"]).endswith("— 标题 · 2025年6月10日 · 乐山日报")
    assert "<b>乐山</b>" in content["message_text"] and content["parse_mode"] == "HTML"
    assert second.title == texts.UNTITLED


# ------------------------------------------------------------------ other results


def test_summary_names_each_source_and_id() -> None:
    items = [SummaryItem("a1", "标<题>", "2025-06-10", "日报", "", ["第一句。", "第二句。"])]
    text = valid(answers.summary(Summary("digest", "", items))[0])
    assert text == (
        "📰 最新新闻摘要\n\n■ 标<题> · 2025年6月10日 · 日报\n编号：a1\n第一句。\n第二句。"
    )
    assert answers.summary(Summary("topic", "<x>", []))[0].startswith("没有找到与「&lt;x&gt;」")
    assert answers.summary(Summary("digest", "", []))[0] == texts.SUMMARY_EMPTY


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
    text = valid(answers.article(article)[0])
    assert text.splitlines()[:3] == ["引题", "", "标题&"]
    assert "记者 · 2025年6月10日 · 日报 · 编号：id<1>" in text
    assert text.count("小标题") == 1 and text.endswith("第一段<p>\n\n第二段")

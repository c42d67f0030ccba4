"""The reply's account of why a question was not answered: the biggest gap, in Chinese."""

from __future__ import annotations

import html

from bot.missing import missing_lines


def test_a_name_no_story_holds_is_the_whole_reason() -> None:
    lines = missing_lines(["乐山农商银行", "about:董事长", "type:who"], str)
    assert lines == ["新闻里没有关于“乐山农商银行”的报道。"]


def test_the_role_a_who_question_asks_about_is_named_as_the_question_asks() -> None:
    lines = missing_lines(["role:董事长", "about:农商", "type:who"], str)
    assert lines == ["找到了相关报道，但没有提到董事长是谁。"]


def test_what_the_related_stories_leave_out_is_named() -> None:
    lines = missing_lines(["about:华为", "about:食堂", "type:number"], str)
    assert lines == ["找到了相关报道，但没有提到“华为、食堂”。"]


def test_a_missing_answer_type_is_said_when_nothing_else_is_missing() -> None:
    assert missing_lines(["type:date"], str) == ["找到了相关报道，但没有提到具体时间。"]
    assert missing_lines(["type:cause"], str) == ["找到了相关报道，但没有提到具体原因。"]
    assert missing_lines(["type:unknown-kind"], str) == []


def test_news_older_than_the_day_asked_explains_a_missing_fact() -> None:
    lines = missing_lines(["about:2026", "date:2026年"], str)
    assert lines == ["已载入的新闻都早于“2026年”，无法回答这个问题。"]
    both = missing_lines(["某某集团", "date:明天"], str)
    assert both == [
        "新闻里没有关于“某某集团”的报道。",
        "已载入的新闻都早于“明天”，无法回答这个问题。",
    ]


def test_words_from_the_question_are_escaped() -> None:
    (line,) = missing_lines(["about:<b>董事长</b>"], html.escape)
    assert "&lt;b&gt;" in line and "<b>" not in line

"""Terminal output: wrapping by display width with the Chinese line-breaking rules, and no
control characters from stored text."""

from __future__ import annotations

import dataclasses

import pytest

from bot.cli import plaintext
from bot.cli.linebreak import NO_LINE_END, NO_LINE_START, display_width, wrap
from bot.cli.plaintext import wrap as plaintext_wrap
from retrieval import Answer, Article, Paragraph
from tests.bot.render.samples import hit

CLOSING = "。，、；：？！”’」』）》"
OPENING = "“‘「『（《"


def test_chinese_lines_fit_the_terminal_width() -> None:
    text = "乐山农商银行成功向乐山市亚庆农牧科技有限责任公司发放380万元农业转型贷款。" * 3
    lines = plaintext_wrap(text, 40, indent="  ")
    assert all(display_width(line) <= 40 for line in lines)
    assert "".join(line.strip() for line in lines) == text
    assert all(line.startswith("  ") for line in lines)


def test_latin_words_stay_whole() -> None:
    lines = wrap("Intel XeSS 1.2 supports dynamic resolution scaling now", 20)
    assert lines == ["Intel XeSS 1.2", "supports dynamic", "resolution scaling", "now"]


def test_widths_come_from_wcwidth() -> None:
    assert display_width("中a") == 3
    assert display_width("ｆｕｌｌ") == 8  # fullwidth Latin
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert display_width("a\x1bb") == 2  # a control character is not counted as -1


def test_the_rule_sets_cover_the_issue() -> None:
    assert set(CLOSING) <= NO_LINE_START and set(OPENING) <= NO_LINE_END


@pytest.mark.parametrize("width", range(8, 41))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width: int) -> None:
    text = (
        "记者从市委宣传部获悉，“乐山造”光伏组件（HBC）今年出口增长三成；"
        "《乐山日报》评论说：「项目为王」。市民问：何时通车？答：年底！"
        "他说：“好。”『注』：见（附表）。"
    )
    lines = wrap(text, width)
    assert "".join(lines) == text
    for line in lines:
        assert display_width(line) <= width, (width, line)
        assert line[0] not in CLOSING, (width, lines)
        assert line[-1] not in OPENING, (width, lines)


def test_a_closing_mark_takes_the_character_before_it_down() -> None:
    # 「。」 would start line 2 at width 16: 「款」 moves down with it instead.
    assert wrap("发放农业转型贷款。然后", 16) == ["发放农业转型贷", "款。然后"]


def test_a_tentative_answer_says_it_is_not_sure() -> None:
    found = Answer("问？", True, "乐山农商银行发放贷款。", 0.9, [], 3.0)
    assert "把握不大" not in plaintext.answer(found)
    unsure = plaintext.answer(dataclasses.replace(found, confidence=0.2, tentative=True))
    assert unsure.startswith("答案：乐山农商银行发放贷款。\n⚠️ 把握不大")


def test_an_unfound_answer_words_what_is_missing_as_the_chat_does() -> None:
    unfound = Answer(
        "2028年市长选举最终是谁当选了？", False, "", 0.6, [], 2.0,
        missing=["市长", "type:outcome", "date:2028年"],
    )
    text = plaintext.answer(unfound)
    assert "新闻里没有关于“市长”的报道。" in text
    assert "已载入的新闻都早于“2028年”" in text
    assert "type:" not in text and "date:" not in text
    related = dataclasses.replace(unfound, missing=["about:董事长", "type:who"])
    assert "找到了相关报道，但没有提到“董事长”。" in plaintext.answer(related)


def test_messages_that_are_no_question_get_the_chats_replies() -> None:
    chat = Answer("你好", False, "", 0.0, [], 1.0, kind="chitchat")
    assert plaintext.answer(chat).startswith("您好！")
    task = Answer("37乘以48等于多少？", False, "", 0.0, [], 1.0, kind="offtopic")
    assert plaintext.answer(task).startswith("抱歉，我只回答关于已载入新闻的问题")
    keyword = Answer("火", False, "", 0.0, [hit()], 1.0, kind="search")
    assert plaintext.answer(keyword).startswith("「火」不是一个完整的问题")
    nothing = dataclasses.replace(keyword, hits=[])  # not an empty list under a heading
    assert plaintext.answer(nothing) == "没有找到与「火」匹配的段落。试试更少或不同的关键词。"


def test_terminal_output_never_carries_control_characters() -> None:
    article = Article(
        "x\x1b[2J", "标题\x1b]52;c;ZXZpbA==\x07", [Paragraph("正文\x9b31m红\x1bc。")],
        source="报\x07",
    )
    text = plaintext.article(article)
    assert "标题" in text and "正文红。" in text
    assert not any(ch in text for ch in "\x1b\x07\x9b")

from retrieval.text import (
    clean_spacing,
    date_span,
    derive_title,
    find_date,
    has_cjk,
    is_han,
    iso_datetime,
    split_sentences,
)


def test_spaces_between_chinese_characters_are_removed() -> None:
    assert clean_spacing("6月 9日至10日") == "6月9日至10日"
    assert clean_spacing("全市 2025 年二季度") == "全市2025年二季度"
    assert clean_spacing("将 成 为 全 球 首 个") == "将成为全球首个"


def test_spaces_inside_latin_and_number_runs_are_kept() -> None:
    assert clean_spacing("XeSS 1.2 and 10 GW") == "XeSS 1.2 and 10 GW"
    assert clean_spacing("New   York") == "New York"




def test_has_cjk_and_is_han() -> None:
    assert has_cjk("abc乐山")
    assert not has_cjk("abc 123 ！")
    assert is_han("乐山") and is_han("㐀") and is_han("兀")  # Extension A, Compatibility
    assert not is_han("乐山1") and not is_han("") and not is_han("，")


def test_sentences_keep_end_punctuation_and_closing_quotes() -> None:
    assert split_sentences("他说：“好。”然后走了！还有3.5亿元吗？") == [
        "他说：“好。”",
        "然后走了！",
        "还有3.5亿元吗？",
    ]


def test_sentences_end_at_ellipsis_and_semicolons_but_not_inside_urls() -> None:
    assert split_sentences("一是加快……二是见 www.example.com 网站；三是") == [
        "一是加快……",
        "二是见 www.example.com 网站；",
        "三是",
    ]
    assert split_sentences("Done. Next") == ["Done.", "Next"]
    assert split_sentences("  \n ") == []


def test_derived_title_and_date() -> None:
    assert derive_title("6月的乐山，草木葱茏，生机勃发。全市……") == "6月的乐山，草木葱茏，生机勃发"
    assert len(derive_title("很" * 100)) == 30
    assert derive_title("很" * 100).endswith("…")
    assert derive_title("原标题：乐山大佛夜游开放  景区推出夜游。") == "乐山大佛夜游开放"
    assert find_date("本报2025年6月11日讯") == "2025-06-11"
    assert find_date("发布于 2024-1-5") == "2024-01-05"
    assert find_date("2025年13月40日") == ""
    assert find_date("没有日期") == ""


def test_iso_datetime_keeps_the_publishers_offset() -> None:
    assert iso_datetime("Wed, 11 Jun 2025 08:30:00 +0800") == "2025-06-11T08:30:00+08:00"
    assert iso_datetime("2025-06-11T08:30:00+08:00") == "2025-06-11T08:30:00+08:00"
    assert iso_datetime(" 2025-06-11 ") == "2025-06-11"
    assert iso_datetime("yesterday") == ""
    assert iso_datetime("") == ""


def test_strip_controls_removes_escape_sequences_and_c1_but_keeps_line_breaks() -> None:
    from retrieval.text import strip_controls

    hostile = (
        "清屏\x1b[2J\x1b[H标题\x1b]0;窗口标题\x07正文\x1b]52;c;ZXZpbA==\x1b\\"
        "剪贴板\x9b31m红\x85字\x07\x00\tA\nB\r\nC\u202e反向"
    )
    assert strip_controls(hostile) == "清屏标题正文剪贴板红字\tA\nB\r\nC反向"
    assert strip_controls("普通文本 text") == "普通文本 text"






def test_date_span_of_a_year_a_month_and_a_day() -> None:
    assert date_span(2024) == ("2024-01-01", "2024-12-31")
    assert date_span(2024, 2) == ("2024-02-01", "2024-02-29")
    assert date_span(2023, 2) == ("2023-02-01", "2023-02-28")
    assert date_span(2023, 7, 12) == ("2023-07-12", "2023-07-12")
    assert date_span(2023, 13) is None
    assert date_span(2023, 2, 30) is None
    assert date_span(0) is None


def test_sentence_spans_cut_where_split_sentences_cuts() -> None:
    from retrieval.text import sentence_spans, split_sentences

    text = "  第一句。 “第二句！”\n第三句…… 3.5 亿元; 末尾没有句号  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text)
    expected = ["第一句。", "“第二句！”", "第三句……", "3.5 亿元;", "末尾没有句号"]
    assert split_sentences(text) == expected
    assert sentence_spans("   ") == []




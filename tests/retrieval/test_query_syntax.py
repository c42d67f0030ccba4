"""The search syntax (retrieval.query_syntax): phrases, exclusions, source and date filters."""

from __future__ import annotations

import pytest

from retrieval.errors import QueryError, QuerySyntaxError
from retrieval.query_syntax import parse_date, parse_query


def test_operators_are_taken_out_and_the_rest_is_ranked() -> None:
    parsed = parse_query('乐山 "农商银行" -贷款 source:乐山日报 since:2023-07-01 until:2023-07-31')
    assert parsed.text == "乐山 农商银行"  # the phrase still ranks
    assert parsed.phrases == ("农商银行",)
    assert parsed.excluded == ("贷款",)
    assert parsed.sources == ("乐山日报",)
    assert (parsed.since, parsed.until) == ("2023-07-01", "2023-07-31")
    assert parsed.has_filters


def test_plain_words_are_not_operators() -> None:
    for query in ("COVID-19 疫情", "乐山-成都 高铁", "x - 5x + 6", "-5 度", "source 乐山"):
        parsed = parse_query(query)
        assert parsed.text == query and not parsed.has_filters, query


def test_quotes_are_phrases_only_when_asked() -> None:
    assert parse_query("“稳中求进”的意思").phrases == ("稳中求进",)
    for question in ("“稳中求进”的意思", '什么是"速成"？ -仓颉'):
        plain = parse_query(question, quoted_phrases=False)
        assert plain.phrases == () and question.startswith(plain.text.split(" -")[0])
    assert parse_query('什么是"速成"？ -仓颉', quoted_phrases=False).excluded == ("仓颉",)


def test_flags_add_to_the_operators_and_dates_widen_to_months_and_years() -> None:
    parsed = parse_query("乐山 source:晚报", sources=("日报",), since="2023-07", until="2023")
    assert parsed.sources == ("日报", "晚报")
    assert (parsed.since, parsed.until) == ("2023-07-01", "2023-12-31")
    assert parse_date("2024-02", "until") == "2024-02-29"
    assert parse_date("2023年7月1日", "since") == "2023-07-01"
    assert parse_date('"2023/7/9"', "until") == "2023-07-09"


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ("乐山 since:昨天", "since", "昨天"),
        ("乐山 until:2023-13-01", "until", "2023-13-01"),
        ("乐山 since:2023-02-30", "since", "2023-02-30"),
        ("乐山 source:", "source", ""),
        ("乐山 since:2023-08-01 until:2023-07-01", "range", "2023-08-01 > 2023-07-01"),
    ],
)
def test_bad_values_are_one_syntax_error_naming_the_field(
    query: str, field: str, value: str
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert (caught.value.field, caught.value.value) == (field, value)
    assert isinstance(caught.value, QueryError) and "\n" not in str(caught.value)


def test_keeps_applies_every_filter_script_and_case_insensitively() -> None:
    parsed = parse_query('"農商 銀行" -貸款 source:乐山 since:2023-07-01 until:2023-07-31')
    text = "乐山农商银行发放了首笔绿色信贷。"
    assert parsed.keeps(text, "2023-07-12T08:00:00", "乐山日报")
    assert not parsed.keeps(text + "贷款", "2023-07-12", "乐山日报")  # excluded word
    assert not parsed.keeps("乐山银行", "2023-07-12", "乐山日报")  # phrase missing
    assert not parsed.keeps(text, "2023-08-01", "乐山日报")  # after until
    assert not parsed.keeps(text, "2023-06-30", "乐山日报")  # before since
    assert not parsed.keeps(text, "", "乐山日报")  # undated: cannot be shown inside
    assert not parsed.keeps(text, "2023-07-12", "成都商报")  # other publication

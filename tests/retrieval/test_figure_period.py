"""Which period a figure belongs to, and the answers that gives another period's figure."""

from __future__ import annotations

import datetime as dt

from retrieval.answer_candidates import squash
from retrieval.answerability import missing
from retrieval.article_facts import Support
from retrieval.figure_period import Period, asked_period, period_of, periods, told_years
from retrieval.question import analyze

TODAY = dt.date(2025, 6, 20)


def test_a_question_asks_for_one_year_and_part_in_any_spelling() -> None:
    assert asked_period("晨光生物2023年第二季度单季实现营业收入多少？") == Period("2023", "二季度")
    assert asked_period("q2营收多少") == Period("", "二季度")
    assert asked_period("呷哺呷哺2022年全年的营业收入是多少？") == Period("2022", "全年")
    assert asked_period("2022年和2023年的营收各是多少") == Period()  # compares, asks no one


def test_a_figure_belongs_to_the_period_named_last_before_it() -> None:
    report = "截至2023年6月30日，呷哺呷哺上半年营业收入约为28.46亿元，较2022年同期增长32%"
    assert period_of(report, "28.46亿元") == Period("", "上半年")
    # the year of a comparison is no period of the figure after it
    assert period_of("2023年上半年营收8亿元，比2022年增长5%", "5%") == Period("2023", "上半年")
    assert period_of("营收8亿元", "8亿元") == Period()


def test_another_period_contradicts_what_is_asked_and_less_agrees() -> None:
    asked = Period("2023", "二季度")
    assert Period("2023", "上半年").contradicts(asked)
    assert Period("2022", "").contradicts(asked)
    assert not Period("2023", "").contradicts(asked)
    assert not Period("", "二季度").contradicts(asked)


def test_a_half_year_figure_does_not_answer_a_quarter_or_another_year() -> None:
    quarter = analyze("晨光生物2023年第二季度单季实现营业收入多少？")
    half = "2023年上半年，晨光生物实现营业收入约36.69亿元，同比增长13.68%；"
    story = Support.of("晨光生物二季度业绩。" + half, "2023-08-10")
    assert "type:number" in missing(quarter, half, story, TODAY)
    whole_year = analyze("中炬高新2023年上半年的营业收入是多少？")
    earlier = "到2022年，中炬高新的调味品业务收入为48.9亿元，比2015年的26.1亿元有明显增长。"
    story = Support.of("中炬高新2023年上半年。" + earlier, "2023-08-01")
    assert "type:number" in missing(whole_year, earlier, story, TODAY)
    told = "2023年上半年，中炬高新实现营业收入25.5亿元，较2022年同期增长3%。"
    assert missing(whole_year, told, Support.of(told, "2023-08-01"), TODAY) == []


def test_the_years_a_story_tells_of_leave_out_bases_and_targets() -> None:
    text = "今年暑期档票房23亿元，较2019年同期增长，到2030年翻番，2025年前建成；2022年上半年亏损"
    assert told_years(text) == (2022,)


def test_a_span_of_months_is_a_part_of_the_year() -> None:
    # 「1月1日至8月3日」 is no whole year's figure; 「1-6月」 and 「前6个月」 are the first half
    told = "1月1日至8月3日，甘其毛都口岸过货量突破2000万吨，达到2025.15万吨。"
    assert period_of(told, "2025.15万吨").contradicts(asked_period("2021年全年的过货量是多少万吨"))
    assert periods("2023年1-6月，营收12亿元") == [Period("2023", "上半年")]
    assert not Period("", "上半年").contradicts(asked_period("前6个月营收多少"))
    assert not periods("7月5日-8日举行")  # days of one month name no part of the year


def test_a_year_written_without_nian_before_a_word_is_the_figures_year() -> None:
    hiring = squash("比亚迪2023校园招聘人数达到31800人，硕士和博士占比高达61.3%")
    assert period_of(hiring, "31800人") == Period("2023", "")
    assert period_of(hiring, "31800人").contradicts(asked_period("比亚迪2022年校园招聘了多少人？"))
    # 「2023万元」 is an amount, not a year
    assert period_of(squash("公司2023万元的投资中有1500万元用于研发"), "1500万元") == Period("", "")

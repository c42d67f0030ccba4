"""What a sentence tells beyond its answer type: a result, a cause, the deed asked about."""

from __future__ import annotations

from retrieval.folding import fold
from retrieval.question import analyze
from retrieval.sentence_tells import (
    also_untold,
    first_untold,
    tells_cause,
    tells_deed,
    tells_result,
)


def test_a_plan_or_a_condition_tells_no_result() -> None:
    assert tells_result("张伟在选举中当选，将于明年1月就职。")
    assert not tells_result("如果成功，探测器将成为首个在月球南极着陆的探测器。")
    assert not tells_result("探测器计划于8月21日在月球南极成功着陆。")
    assert not tells_result("此地区尚未有探测器成功着陆。")


def test_a_ruling_deferred_is_no_result() -> None:
    assert not tells_result(fold("北京市第三中级人民法院二审结束，将择期宣判。"))
    assert not tells_result(fold("判决结果未当庭公布"))
    assert tells_result(fold("法院二审宣判，维持原判。"))


def test_a_cause_is_told_only_when_the_sentence_gives_one() -> None:
    assert tells_cause(fold("事故系驾驶员疲劳驾驶所致。"))
    assert tells_cause(fold("由于连日降雨，山体发生滑坡。"))
    assert not tells_cause(fold("事故原因正在进一步调查中。"))
    assert not tells_cause(fold("火灾原因尚不清楚。"))
    assert not tells_cause(fold("事发时系7时许。"))  # 系 before a time is no cause
    assert not tells_cause(fold("因此，当地启动了应急响应。"))


def test_a_deed_is_told_in_its_own_verb_or_one_the_news_writes_for_it() -> None:
    assert tells_deed("制成", fold("1886年由莫瓦桑制得单质氟。"))
    assert tells_deed("担任", fold("他于2020年出任公司总经理。"))
    assert not tells_deed("担任", fold("他出席了公司年会。"))
    assert not tells_deed("执导", fold("该片由张艺谋监制。"))


def test_a_nationality_tells_where_someone_is_from() -> None:
    asked = analyze("上海海港队主教练哈维尔是哪个国家的人？")
    coached = "上海海港队主教练哈维尔曾在英冠执教，最终卢卡斯·若昂接受邀请加盟上海海港。"
    assert first_untold(asked, fold(coached)) == "type:place"
    for told in ("主教练哈维尔是英国人。", "哈维尔，西班牙籍主帅。", "哈维尔的国籍是西班牙。"):
        assert first_untold(asked, fold(told)) == ""


def test_a_masked_name_is_no_full_name() -> None:
    asked = analyze("古交抓的那个潜逃33年的海城命案逃犯，全名叫啥？")
    masked = "民警发现辖区男子“田”某与辽宁海城命案逃犯渠某高度相似。"
    assert "type:who" in also_untold(asked, fold(masked))
    # 「(真名张某)是哪里人」 asks where from, not the name
    origin = analyze("网络贩毒嫌疑人“黄亮”（真名张某）是哪里人？")
    assert also_untold(origin, fold("“黄亮”真名叫张某，福建省龙岩市人。")) == []


def test_the_nth_of_something_is_not_told_by_another_one() -> None:
    asked = analyze("Stellantis和三星SDI在美国的第二家合资电池厂建在哪个城市？")
    first = "他们在印第安纳州科科莫建造第一家合资电池厂，该厂计划于2025年开业。"
    assert first_untold(asked, fold(first)) == "type:place"
    second = "两家公司的第二家合资电池厂将建在印第安纳州科科莫。"
    assert first_untold(asked, fold(second)) == ""
    unnumbered = "两家公司将在印第安纳州科科莫建厂。"
    assert first_untold(asked, fold(unnumbered)) == ""


def test_a_birth_or_an_origin_belongs_to_the_person_asked_not_their_city() -> None:
    asked = analyze("淮安市委书记史志军是哪一年出生的？")
    mayor = "江苏最年轻的地级市市长今日当选，生于1976年8月17日，淮安市人大选举顾坤为淮安市市长。"
    assert first_untold(asked, fold(mayor)) == "type:date"
    assert first_untold(asked, fold("史志军，1973年11月生，江苏泗洪人。")) == ""
    home = analyze("新任廊坊市委书记李国勇老家是哪儿的？")
    born = "据公开简历，李国勇生于1966年9月，1988年从河北工学院毕业。"
    assert first_untold(home, fold(born)) == "type:place"  # a birth date is no birthplace
    assert first_untold(home, fold("李国勇出生于河北唐山。")) == ""

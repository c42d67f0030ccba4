"""What the supporting article must hold for a sentence of it to answer a question.

Every entity of the question (after folding; 「乐山市」 also as 「乐山」, 「文旅部」 also as
「文化和旅游部」, a body of a place also as local news names it), every year, date, edition,
quarter and count it states (「第96届」 also as 「第九十六届」, 「8月9日」 also as 「9日」 in a
story of that August, 「45人」 also as 「45名」), and what it asks about the entities (the focus
nouns, 「董事长」; one may be missing when there are several: paraphrase). `article_gaps` says
what the article lacks; `retrieval.answerability` checks the sentence itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import rjieba

from retrieval.answer_candidates import squash
from retrieval.folding import fold
from retrieval.numerals import han_numeral, numeral_value
from retrieval.question import QuestionAnalysis
from retrieval.question_names import written_in_full
from retrieval.text import HAN

#: How many focus nouns an article may lack (paraphrase: 「营收」 for 「营业收入」) when the
#: question has enough of them that one missing word does not change what it asks.
FOCUS_SLACK_FROM = 2
#: A person's sex before a role (「女司机」「男教师」), which a story may leave out.
_GENDERS = frozenset("男女")
_GENDERED_ROLE = 3
#: The prefix of a gap that is a stated fact or a thing asked about, not a name.
ABOUT = "about:"
#: Words a reader describes a person by (「说…的专家是谁」「哪位大明星」「回族老乡」), which the
#: story seldom uses: no term it must hold, and no role the answering sentence must name.
DESCRIPTIONS = frozenset({
    "专家", "学者", "人士", "网友", "博主", "嘉宾", "人物", "人员", "明星", "将军", "老乡", "姑娘",
    "小伙", "小伙子", "女孩", "男孩", "老人", "大爷", "大妈", "阿姨", "哥们", "妹子",
    # a player is named as one seldom: 「击败了小威的普利什科娃」, 「中场奥斯卡」
    "选手", "球员", "运动员", "队员",
})
#: Nouns that name the form of the answer asked for, which the story gives without them:
#: 「编号是什么」 by 「脉冲星B2111+46」, 「日期区间」 by 「8月4日-31日期间」, 「英文名」 by
#: 「（Kyle Anderson）」.
ANSWER_FORMS = frozenset({"编号", "区间", "英文", "英文名", "中文名"})
#: A body of a place: the place, its level, the body (「上海」「市」「人大常委会」).
_LOCAL_BODY = re.compile(
    r"(.{2,4}?)([省市县区])(.*(?:委员会|常委会|政府|人大|政协|局|厅|委|办|院))"
)
#: A body of a country or region named by its place (「美国」「政府」, 「香港」「立法会」).
_PLACES_BODY = re.compile(r"(.{2,4}?)(政府|立法会|国会|议会|当局|警方|军方|外交部|国防部|商务部)")
#: Stated facts of the question (`QuestionAnalysis.facts`) an article may write otherwise.
_EDITION_FACT = re.compile(r"第(\d+)([届次轮])")
#: A quarter the question states (「一季度」), also for `retrieval.answerability`.
QUARTER_FACT = re.compile(r"([一二三四])季度")
#: A count with the general counting word 个, which writers replace by the noun's own.
_GENERIC_COUNT = re.compile(r"(\d+)个")
#: A stated number of people: the counting word varies between writers.
#: Counts of people below this are as often spelled in Chinese numerals (「四人」).
_SPELLED_COUNTS = 100
#: A span of time the question states, which a story may count with 个 (「12个小时」).
_SPAN = re.compile(r"(\d+)(小时|月|星期|礼拜)")
#: Words naming a day by its distance back from the story's date.
_DAYS_BACK = ((0, ("今天", "今日")), (1, ("昨天", "昨日")), (2, ("前天",)))
_PERSON_COUNT = re.compile(r"(\d+(?:\.\d+)?(?:万|亿)?)[人名位]")
#: China's province-level regions, with and without their 省 or 市 ending.
_PROVINCE_NAMES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江",
    "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南",
    "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_CITY_PROVINCES = _PROVINCE_NAMES[:4]  # 北京市 天津市 上海市 重庆市
PROVINCES = frozenset(
    [*_PROVINCE_NAMES, *(f"{n}省" for n in _PROVINCE_NAMES), *(f"{n}市" for n in _CITY_PROVINCES)]
)


@dataclass(frozen=True)
class Support:
    """The article a candidate sentence comes from: its folded, space-free text and date."""

    text: str
    date: str

    @classmethod
    def of(cls, text: str, date: str) -> Support:
        """Fold and squash `text` once, so each check is a plain substring test."""
        return cls(squash(fold(text)), date)


def _mentions(support: Support, spellings: Sequence[str]) -> bool:
    return any(squash(s) in support.text for s in spellings)


def _named_locally(support: Support, name: str) -> bool:
    """True when a body of a place (「上海市人大常委会」, 「美国政府」) is named as the place's
    news names it, without the place (「市人大常委会」, 「今年政府的偿债成本」), in a story that
    names the place elsewhere."""
    local = _LOCAL_BODY.fullmatch(name)
    if local is not None:
        return local.group(1) in support.text and (
            squash(local.group(2) + local.group(3)) in support.text
        )
    body = _PLACES_BODY.fullmatch(name)
    return (
        body is not None
        and rjieba.tag(body.group(1)) == [(body.group(1), "ns")]
        and body.group(1) in support.text
        and body.group(2) in support.text
    )


def _states_fact(support: Support, fact: str) -> bool:
    generic = _GENERIC_COUNT.fullmatch(fact)
    if generic:  # 「2个人」「30个农民工」 are written 「2人」「30名」: 个 is any counting word
        number = re.escape(generic.group(1))
        return re.search(rf"(?<![\d.]){number}\s*[{HAN}]", support.text) is not None
    counted = _PERSON_COUNT.fullmatch(fact)
    if counted:  # 「45人」 is as often written 「45名」「45位」, 「4被告人」, 「四人」
        return _people_counted(counted.group(1)).search(support.text) is not None
    spans = _SPAN.fullmatch(fact)
    if spans and f"{spans.group(1)}个{spans.group(2)}" in support.text:
        return True  # 「12小时」 is as often written 「12个小时」
    return _states_fact_as_written(support, fact)


@lru_cache(maxsize=256)
def _people_counted(number: str) -> re.Pattern[str]:
    """How a story writes a count of `number` people: in digits or, when small, in Chinese
    numerals, with any counting word (compiled once per count: every checked article asks)."""
    written = [re.escape(number)]
    if number.isdigit() and int(number) < _SPELLED_COUNTS:
        written.append(han_numeral(int(number)))
    numbers = "|".join(written)
    return re.compile(
        rf"(?<![\d.一二三四五六七八九十])(?:{numbers})(?:[人名位]|个人|被告人|名被告)"
    )


def _states_fact_as_written(support: Support, fact: str) -> bool:
    if fact.isdigit() and len(fact) == 4:  # a year: in the text, or the article's own year
        if fact in support.text or support.date.startswith(fact):
            return True
        # An undated article is of the asked year when it looks back on the year before.
        return not support.date and str(int(fact) - 1) in support.text
    if fact in support.text:
        return True
    edition = _EDITION_FACT.fullmatch(fact)
    if edition:  # 「第96届」 is as often 「第九十六届」
        return f"第{han_numeral(int(edition.group(1)))}{edition.group(2)}" in support.text
    quarter = QUARTER_FACT.fullmatch(fact)
    if quarter:  # 「三季度」, 「3季度」 or 「Q3」
        number = numeral_value(quarter.group(1))
        return any(  # 「澳门2023年第2季」: 季 without 度
            f"{spelled}季度" in support.text or f"第{spelled}季" in support.text
            for spelled in (number, quarter.group(1))
        ) or f"q{number}" in support.text
    day = re.fullmatch(r"(\d{1,2})月(\d{1,2})日", fact)
    if day:  # 「8月9日」 is often written 「9日」 in a story dated that month
        month = f"-{int(day.group(1)):02d}-"
        if support.date:
            if f"{day.group(2)}日" in support.text and month in support.date[4:8]:
                return True
            return _named_relative_day(support, int(day.group(1)), int(day.group(2)))
        # undated, the story names the month (its dateline: 「柏林8月12日电…当地时间11日」)
        written = re.search(rf"(?<!\d){day.group(2)}日", support.text)
        return written is not None and f"{day.group(1)}月" in support.text
    return False


def _named_relative_day(support: Support, month: int, day: int) -> bool:
    """True when a dated story names the day by its distance from its own date: a paper of
    8 August writes 「昨天下午」 for 7 August (the date itself is seldom repeated)."""
    try:
        published = dt.date.fromisoformat(support.date[:10])
    except ValueError:
        return False
    return any(
        (published - dt.timedelta(days=back)).timetuple()[1:3] == (month, day)
        and any(word in support.text for word in words)
        for back, words in _DAYS_BACK
    )


def article_gaps(question: QuestionAnalysis, support: Support) -> list[str]:
    """Entities, stated facts and focus words of the question the article lacks: the names
    bare, the facts and focus words as ``"about:<word>"`` (a reply says the news has no story
    on a name, but only that the related stories do not mention a fact or a focus word).

    A province-level region (「湖南」) need not be named when another of the question's
    places is: a question places 「常德」 in its province for the reader, a local story
    rarely does. Nor need an owner (「复旦大学」 of 「复旦大学附属中山医院」) when another
    name of the question is.
    """
    absent_names = [
        names for names in question.entities
        if not _mentions(support, names) and not _named_locally(support, names[0])
        and names[0] not in DESCRIPTIONS  # 「哪位大明星」: jieba may tag it a name
        and names[0] not in ANSWER_FORMS  # 「英文名叫什么」: jieba tags 「英文」 a name
    ]
    unnamed = {names[0] for names in absent_names}
    if any(place not in unnamed and place not in PROVINCES for place in question.places):
        absent_names = [names for names in absent_names if names[0] not in PROVINCES]
    if len(unnamed) < len(question.entities):  # the owned name is there, its owner may not be
        absent_names = [names for names in absent_names if names[0] not in question.parents]
    missing_names = [names[0] for names in absent_names]
    # 「乐山」 need not be told apart from 「乐山农商银行」: the longer name says both
    gaps = [n for n in missing_names if not any(n != m and n in m for m in missing_names)]
    gaps += [f"{ABOUT}{fact}" for fact in question.facts if not _states_fact(support, fact)]
    absent = [
        word for word in question.focus
        if not _names_the_thing(support, word)
        # 「说…的专家是谁」「马学俊老将军」: how the asker describes a person, seldom the
        # story's word
        and word not in DESCRIPTIONS
        and word not in ANSWER_FORMS
    ]
    loose = [word for word in absent if word not in question.head]
    if len(question.focus) >= FOCUS_SLACK_FROM and len(loose) <= 1:
        absent = [word for word in absent if word in question.head]
    return gaps + [f"{ABOUT}{word}" for word in absent]


def _names_the_thing(support: Support, noun: str) -> bool:
    """True when the article names what the question's noun is about: the noun itself, or
    for a compound of three characters or more its first two when they are a word of their
    own (「收盘价」 by 「收盘」, 「电池容量」 by 「电池」). An article says 「报收于22.9港元」 or
    「750Wh电池」 more often than it repeats the compound the question uses; a question about a
    role a sentence must name (「董事长是谁」) is still checked whole by `names_the_role`."""
    if noun in support.text or ((full := written_in_full(noun)) and full in support.text):
        return True
    if noun[0] in _GENDERS and len(noun) >= _GENDERED_ROLE and noun[1:] in support.text:
        return True  # 「女司机」: a story names the driver 「宝马司机」 and her 「谢女士」
    stem = noun[:2]
    return len(noun) >= 3 and rjieba.has_word(stem) and stem in support.text

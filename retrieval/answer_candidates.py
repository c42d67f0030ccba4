"""Answer candidates: the pieces of a sentence of the type a question asks for, and whether one
stands near the question's words.

A number for 多少 (「380万元」, 「三项」, with the unit the question needs), a date for 何时, a
person or organisation for 谁, a place for 哪里, or a name ending in the noun asked about
(「马萨卡医院」 for 「在哪些医院」). People, organisations and places come from jieba's
part-of-speech tags (`rjieba.tag`), with the name endings jieba does not tag (「…有限责任公司」,
「…市场监管局」, 「…镇」); numbers and dates from patterns. A candidate the question already
states is none. `retrieval.answerability` uses these to decide whether a sentence answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import rjieba

from retrieval.answer_kind import AnswerType
from retrieval.folding import fold
from retrieval.sentence_names import (
    NAME_PARTS,
    PERSON_TAGS,
    TITLE_ENDS,
    TITLES,
    is_person,
    name_after_title,
    name_before,
    unknown_name,
)
from retrieval.text import NUMBERED_BY_HAO, find_all, word_set

#: An answer candidate must stand this close (in characters) to a word of the question.
NEAR_CHARS = 20
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(
    r"第?\d+(?:[.,]\d+)*\s*(?:[万亿千百]|多|余)?\s*"
    r"(?:平方米|平方公里|立方米|千瓦时|摄氏度|华氏度|[^\d\s，。、；：,.;:（）()“”\"'》《]{0,2})"
    r"|(?:数|几|第)?[一二三四五六七八九十百千万亿两]{1,6}[余多]?"
    r"(?:个月|小时|分钟|个|家|名|人|位|元|吨|亩|倍|项|次|年|天|周|岁|架|辆|支|座|条|所|枚|分|"
    r"万|亿|班|批|届|期|轮|场|种|件|台|部|只|头|本|篇|户|艘|颗|套|间|张|块|米|公里|集|等)"
)
#: A date, a day with its time (「7月20日8时」: not the day a question states, 「7月20日」), a
#: month, a year, a part of one, or a day relative to the story's.
_DATE = re.compile(
    r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?(?:\d{1,2}[时点](?:\d{1,2}分)?)?"
    rf"|\d{{1,2}}\s*(?:日|号(?![{NUMBERED_BY_HAO}]))(?:\d{{1,2}}[时点](?:\d{{1,2}}分)?)?|\d{{1,2}}\s*月"
    r"|[一二三四五六七八九十]{1,3}月"
    r"|[上下]半年|[一二三四]季度|今年|去年|前年|明年|年底|年初|近日|日前|周[一二三四五六日]"
)
_ORG_WORDS = (
    "公司", "集团", "银行", "大学", "学院", "学校", "医院", "协会", "委员会", "政府", "法院",
    "俱乐部", "中心", "研究院", "研究所", "基金会", "检察院", "电视台", "报社", "工作室", "队",
)
#: Endings of government offices' names (「市场监管局」「外交部」「公安厅」), taken from words of
#: three or more characters: two-character words with them (「格局」「全部」) name no office.
_OFFICE_ENDS = ("局", "部", "厅", "署", "委")
#: Endings of a place's name, and of the places a 「哪里」 names besides towns (「办公室」「机场」).
_PLACE_WORDS = (
    "省", "市", "县", "区", "镇", "乡", "村", "街道", "社区", "路", "街", "号", "州", "岛", "室",
    "馆", "机场", "车站", "港口",
)
#: A number inside a web address (「news.zol.com.cn/828/8283117.html」) is no amount.
_URL = re.compile(
    r"(?:https?://|www\.)[!-~]+|[a-z0-9.-]+\.(?:com|cn|net|org)(?:/[!-~]*)?"
)
#: How a story speaks of a body or place without naming it (「某贵族学校」「一家赛马俱乐部」).
_UNNAMED = re.compile(r"(?:某|一)[家所个座]?$")
_UNNAMED_START = re.compile(r"某|一[家所个座]")
#: A count of bodies of a kind (「数百家公司」「3家银行」): some of them, none named.
_COUNTED_BODIES = re.compile(
    r"(?:数|多|几|两|[\d一二三四五六七八九十]+)[十百千万]?[余多]?[家所个座]"
    r"(?:公司|企业|机构|银行|医院|学校|单位|媒体|平台|门店|酒店|工厂)"
)
#: A count in 个 that is a time (「40个小时」「3个月」「2个工作日」) or a share (「5个百分点」);
#: the same in a question.
_TIME_UNITS_IN_ITEMS = r"个(?:小时|月|工作日|百分点)"
_TIME_IN_ITEMS = re.compile(rf"[\d.,]+\s*[余多]?\s*{_TIME_UNITS_IN_ITEMS}")
_TIME_IN_ITEMS_ASKED = re.compile(_TIME_UNITS_IN_ITEMS)
#: A dispatch's dateline (「海外网8月8日电」「IT之家7月23日消息」): the day the story was filed,
#: not the day of what it reports (a poll held 「近期」).
_DATELINE = re.compile(r"(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日\s*(?:电|讯|消息|获悉)")
#: A question that names the month of the day it asks (「是在11月几号举行的」): a day of
#: another month (「8月11日」) does not answer it.
_ASKED_MONTH = re.compile(r"(\d{1,2})\s*月(?:份)?的?(?:几号|几日|哪[一]?天|什么时候)")
_MONTH_OF = re.compile(r"(\d{1,2})\s*月")
_YEAR_ANSWER = re.compile(r"(?:19|20)\d{2}|[一二〇零○][一二三四五六七八九〇零○]{3}年")


#: A number that names a year or a day of the month (「2023年」「26日晚」), not an amount:
#: 「26日」 does not answer 「多长时间」, while 「30日内」 does.
_CALENDAR = re.compile(r"(?:19|20)\d{2}\s*(?:年|首|第)|\d{1,2}\s*[日号](?![内后以之])")
_DAY = re.compile(r"[\d一二三四五六七八九十]\s*[日号](?:\d{1,2}[时点](?:\d{1,2}分)?)?$")


#: A title in 《》, and the endings of a title that names a paper, journal or channel.
_TITLED = re.compile(r"《([^《》]{1,40})》")
_MEDIA_ENDS = ("报", "刊", "志", "社", "台", "网", "通讯", "新闻", "周报")
#: The characters a numeral written in digits, or in Chinese, goes on with.
_DIGITS = "0123456789.,"
_HAN_DIGITS = "一二三四五六七八九十百千两零"
#: The numeral of a number candidate (digits, or Chinese numerals such as 「三」 in 「三项」).
_NUMBER_CORE = re.compile(r"[\d.,]+\s*[万亿千百多余]?|[一二三四五六七八九十百千万亿两]+")


#: A count of people (「二人」「两名」): no name, whatever jieba tags it.
_HEADCOUNT = re.compile(r"[一二两三四五六七八九十几数众][人名位]")
#: Tags of a proper name that may precede the asked class noun (「鄂州 花湖 机场」).
_CLASS_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz", "j", "eng"})
_ORG_TAGS = frozenset({"nt", "nz"})
#: Asked classes of place whose every name ends in a word of its kind.
_VENUE_ENDS = {
    "场馆": ("馆", "中心", "体育场", "剧院", "剧场", "球场", "会堂", "礼堂", "广场"),
    "体育馆": ("馆", "中心"),
    "机场": ("机场",),
}
_STREET_ASKED = re.compile(r"哪条(?:街|路|大街|马路)")
_STREET = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:大街|大道|路|街|巷|胡同)|\d+号")
#: Words for roads in general, no street's name (「道路运输」「高速公路」).
_ROAD_WORDS = ("道路", "马路", "公路", "铁路", "线路", "思路", "出路", "网路")
#: The roles of a byline (「(记者黄艳梅 通讯员李明)」), right before the name they introduce.
_BYLINE_ROLE = re.compile(r"(?:记者|通讯员|实习生|摄影|编辑|撰稿)\s*$")
#: A question about who reported or photographed: the byline is its answer.
_ASKS_REPORTER = re.compile(r"记者|通讯员|实习生|摄影|编辑|撰稿|报道|拍摄|拍下")
#: Verbs of going or sending somewhere: the place word after one is no name (「送往医院」).
_TOWARD = frozenset({
    "送往", "送到", "送至", "前往", "转往", "转到", "转至", "赶往", "来到", "住进", "去往", "抵达",
    "回到",
})
#: A question asking for a person: 「哪位」, 「什么人」, or the name of one it describes.
_PERSON_ASKED = re.compile(
    r"哪一?位|什么人|哪个人(?!员)|哪些人(?!员)|"
    r"(?:男子|女子|男孩|女孩|老人|小伙|姑娘|民警|司机|医生|老师|学生|选手|患者|村民|网友|游客|"
    r"骑手|店主|老板|车主|乘客|员工|护士|专家|教授)[^，。？?]{0,4}(?:叫什么|叫啥|名字|姓名)"
)
#: Endings of bodies and media, never a person's name (「四川省科技厅」「新闻网」「日讯」).
_NOT_A_PERSON_ENDS = (*_ORG_WORDS, *_OFFICE_ENDS, "网", "讯", "报", "社", "台", "院", "所")
#: Endings of a place's name, no brand's (「新余市高新区」).
_PLACE_NAME_ENDS = ("省", "市", "县", "区", "镇", "乡", "村", "街道", "社区")
#: A question asking for a company or another organisation (「去了哪家公司」「哪些头部文旅企业」).
_COMPANY_ASKED = re.compile(
    r"哪(?:些|家|一家|个)[\u4e00-\u9fff]{0,4}?(?:公司|企业|机构|银行|媒体)"
    r"|(?:公司|企业|俱乐部|机构)[^，。？?]{0,4}叫什么"
)
#: The units of a head count (`retrieval.answer_kind.units` for 「多少受困群众」).
_PEOPLE_UNITS = ("人", "名", "位")
_HEAD_COUNT = re.compile(
    r"[\d.,]+\s*[万千百]?\s*[余多]?\s*[名人位]|[一二三四五六七八九十百千万两]+[余多]?[名人位]"
)
#: A head count asked of anyone (「多少人遇难」): 「11名群众」 answers it.
_ANY_HEAD_COUNT = re.compile(r"(?:多少|几)[名位个]?人")
#: Last characters of nouns for kinds of people (「队员」「志愿者」「官兵」「民警」「居民」).
_PEOPLE_ENDS = frozenset("员者兵警工生师民众")
_PEOPLE_NOUN_CHARS = 4
#: What a disaster's head counts count (「2人死亡」「1756人受灾」).
_FATES = word_set(
    "死亡 遇难 罹难 身亡 丧生 受伤 重伤 轻伤 失踪 失联 受灾 获救 被困 转移 确诊 感染 撤离"
)
#: Asked classes of institution whose every name ends in a word of its kind: the answer to
#: 「哪所学校」 is a 「…大学」 or 「…中学」, never a company or a hospital.
_INSTITUTION_ENDS = {
    "学校": ("学校", "大学", "学院", "中学", "小学", "职校", "技校", "幼儿园", "党校", "学堂"),
    "大学": ("大学", "学院"),
    "中学": ("中学", "学校", "高中", "一中", "二中", "三中"), "小学": ("小学", "学校"),
    "医院": ("医院", "卫生院", "诊所"),
    # a troupe is named as one (「中国杂技团」), not by the agency that reported it
    "杂技团": ("团",), "剧团": ("团",), "乐团": ("团",), "艺术团": ("团",),
}


#: jieba tags many foreign places as transliterated names (nrt: 「阿斯塔纳」), not ns.
_PLACE_TAGS = frozenset({"ns", "nrt"})
#: Prepositions of place: the name after one is a place whatever jieba tags it.
_PLACE_PREPOSITIONS = frozenset({"在", "于", "赴", "到", "抵达", "落户", "来到", "前往"})


def squash(text: str) -> str:
    """`text` without whitespace: layout breaks lines inside names and numbers."""
    return _SPACE.sub("", text)


def candidates(
    sentence: str,
    kind: AnswerType,
    question: str,
    units: Sequence[str] = (),
    *,
    year: bool = False,
    day: bool = False,
    classes: Sequence[str] = (),
) -> list[str]:
    """Pieces of `sentence` of the asked type that the question does not already contain.

    `units`: a number must carry one of them; `year`, `day`: a date must name a year, a day;
    `classes`: nouns that end a person's, organisation's or place's name here (「医院」 for
    「在哪些医院」).
    """
    if not kind:
        return []
    return folded_candidates(
        fold(sentence), kind, question, units, year=year, day=day, classes=classes
    )


def folded_candidates(
    folded: str,
    kind: AnswerType,
    question: str,
    units: Sequence[str] = (),
    *,
    year: bool = False,
    day: bool = False,
    classes: Sequence[str] = (),
) -> list[str]:
    """`candidates` of an already folded sentence (folding costs more than the search)."""
    if not kind:
        return []
    asked = asked_text(question)
    found: list[str] = []
    if kind in ("number", "date"):
        folded = _URL.sub(" ", folded)
    if kind == "number":
        found = [m for m in _NUMBER.findall(folded) if any(c.isdigit() for c in m) or len(m) > 1]
        if units:
            found = [
                m for m in found if any(u in m for u in units)
                # 「40个小时」 is a time, 「7000余人次」 visits, neither a count of 个 or 名
                and not (
                    "个" in units and not _TIME_IN_ITEMS_ASKED.search(asked)
                    and _time_in_items(folded, m)
                )
                and ("人次" not in m or "人次" in units)
            ]
        if units == _PEOPLE_UNITS:
            anyone = _ANY_HEAD_COUNT.search(asked) is not None
            found = [m for m in found if not _counts_others(folded, m, asked, anyone)]
        found = [m for m in found if not _stated_number(m, asked) and not _CALENDAR.match(m)]
    elif kind == "date":
        folded = _DATELINE.sub(" ", folded)
        found = _YEAR_ANSWER.findall(folded) if year else _DATE.findall(folded)
        if day:
            found = [d for d in found if _DAY.search(d)]
            if asked_month := _ASKED_MONTH.search(asked):
                found = [
                    d for d in found
                    if (month := _MONTH_OF.match(d)) is None or month[1] == asked_month[1]
                ]
    else:
        tags = PERSON_TAGS | _ORG_TAGS if kind == "who" else _PLACE_TAGS
        suffix_words = _ORG_WORDS if kind == "who" else _PLACE_WORDS
        tagged = rjieba.tag(folded)
        for i, (word, tag) in enumerate(tagged):
            if _HEADCOUNT.fullmatch(word) or word == "令人":
                # 「母女二人」: jieba tags 「二人」 a name, and 「令人期待」's 「令人」 a person:
                # a count of people or a causative verb names nobody
                continue
            if tag in tags and len(word) >= 2:
                found.append(word)
            elif kind == "place" and tag in PERSON_TAGS and i and (
                tagged[i - 1][0] in _PLACE_PREPOSITIONS and len(word) >= 2
            ):
                found.append(word)  # 「在 张家港 召开」: jieba takes many towns for people
            elif kind == "who" and i and tagged[i - 1][0] in TITLES and unknown_name(word):
                found.append(word)  # 「发言人 速恩山」: a name jieba does not know, after a title
            elif kind == "who" and i and tagged[i - 1][0].endswith(TITLE_ENDS) and (
                name := name_after_title(tagged, i)
            ):
                found.append(name)  # 「区委书记 邹 劲松」「首席执行官 rebecca rumbul」
            elif word in classes and i and tagged[i - 1][1] in _CLASS_NAME_TAGS:
                found.append(tagged[i - 1][0] + word)  # 「马萨卡 医院」, not 「第三方 机构」
            elif word in classes and i >= 2 and tagged[i - 2][1] in _CLASS_NAME_TAGS and (
                tagged[i - 1][1] in NAME_PARTS and len(tagged[i - 1][0]) == 1
            ):
                found.append(tagged[i - 2][0] + tagged[i - 1][0] + word)  # 「南昌 路 小学」
            elif word.endswith(suffix_words) or (
                kind == "who" and len(word) >= 3 and word.endswith(_OFFICE_ENDS)
            ):
                name = name_before(tagged, i)  # 「亚庆 农牧 科技 有限责任 公司」
                if name == word and i and len(tagged[i - 1][0]) >= 2 and (
                    tagged[i - 1][0] not in _TOWARD
                ):
                    # 「踏水 镇」: any word can name a place (not 「送往 医院」: where one goes)
                    name = tagged[i - 1][0] + word
                found.append(name)
        endings = tuple(e for c in classes for e in _INSTITUTION_ENDS.get(c, ()))
        if endings and kind in ("who", "place"):
            # 「从哪所学校毕业」: a school, not the hospital she went on to work at; 「在哪所
            # 中学任职」: a school, not the district it is in
            found = [f for f in found if f.endswith(endings)]
        elif kind == "place" and (venue := [e for c in classes for e in _VENUE_ENDS.get(c, ())]):
            # 「在哪个场馆举办」: a venue, not the city; 「迫降在哪个机场」: an airport
            ends = "|".join(sorted(venue, key=len, reverse=True))
            found = [  # not the class noun itself (「一小时的场馆整序」)
                v for v in re.findall(rf"[\u4e00-\u9fffa-z]{{2,10}}?(?:{ends})", folded)
                if not any(v.endswith(f"{p}{c}") for c in classes for p in "的个该此这那")
            ]
        elif kind == "place" and _STREET_ASKED.search(asked):
            # 「开在西昌哪条街上」: a street or a house number, not the city
            found = [s for s in _STREET.findall(folded) if not s.endswith(_ROAD_WORDS)]
        # 「某贵族学校」「某家赛马俱乐部」: a place or body the story does not name; 「《小王子》」
        # 「《长安三万里》」: words of a work's title, no one and nowhere
        found = [
            f for f in found
            if not _unnamed(folded, f) and not _in_title(folded, f, media=kind == "who")
        ]
        if kind == "who" and not _ASKS_REPORTER.search(asked):
            # 「(记者黄艳梅)」: the byline's reporter is no one the story is about
            found = [f for f in found if not _every_mention(
                folded, f, lambda at: _BYLINE_ROLE.search(folded, max(0, at - 4), at)
            )]
        if kind == "who" and _PERSON_ASKED.search(asked):
            # 「哪位育种专家」「那名值班老师叫什么名字」: a person, not the body in the story
            found = [f for f in found if not f.endswith(_NOT_A_PERSON_ENDS)]
        elif kind == "who" and "品牌" in asked:
            found = [f for f in found if not f.endswith(_PLACE_NAME_ENDS)]  # not 「新余市高新区」
        if kind == "who" and _COMPANY_ASKED.search(asked):
            # 「离职以后去了哪家公司」: an organisation, not the colleague who announced it
            found = [f for f in found if not is_person(f)]
    return [c for c in dict.fromkeys(squash(f) for f in found) if c and c not in asked]


def _every_mention(folded: str, candidate: str, holds: Callable[[int], object]) -> bool:
    """True when `candidate` stands in `folded` and `holds(start)` for every start of it."""
    starts = find_all(folded, candidate)
    return bool(starts) and all(holds(at) for at in starts)


def _in_title(folded: str, candidate: str, *, media: bool = True) -> bool:
    """True when every mention of `candidate` stands inside a title in 《》, one that names no
    paper, journal or channel unless `media` is False (「据《华尔街日报》报道」 names a body,
    but no place: 「《纽约邮报》」 does not say where anyone is from)."""
    spans = [
        (m.start(), m.end()) for m in _TITLED.finditer(folded)
        if not (media and m.group(1).endswith(_MEDIA_ENDS))
    ]
    return bool(spans) and _every_mention(
        folded, candidate, lambda at: any(a < at < b for a, b in spans)
    )


def _time_in_items(folded: str, candidate: str) -> bool:
    """True when every mention of the number `candidate` counts hours, months or points in
    个 (「历时40个小时」), not things."""
    return _every_mention(folded, candidate, lambda at: _TIME_IN_ITEMS.match(folded, at))


def _unnamed(folded: str, candidate: str) -> bool:
    """True when every mention of `candidate` in the sentence follows 「某」 or 「一家」, or it
    counts bodies (「数百家公司」): the story speaks of such a body without naming it."""
    if _COUNTED_BODIES.fullmatch(candidate):
        return True
    return _UNNAMED_START.match(candidate) is not None or _every_mention(
        folded, candidate, lambda at: _UNNAMED.search(folded[max(0, at - 2) : at])
    )


@lru_cache(maxsize=256)
def asked_text(question: str) -> str:
    """The question as candidates are compared with it: folded, without whitespace."""
    return squash(fold(question))


def _stated_number(candidate: str, asked: str) -> bool:
    """True when the question itself states the candidate's numeral (「380万元」 asked about)."""
    core = _NUMBER_CORE.match(candidate.removeprefix("第"))
    if core is None:
        return False
    # a whole numeral of the question: 「2500多万」 states no 「5年」 (compared by hand: a
    # pattern per candidate would be compiled anew for each)
    numeral = core.group()
    digits = _DIGITS if numeral[0].isdigit() else _HAN_DIGITS
    return any(
        (at == 0 or asked[at - 1] not in digits)
        and (at + len(numeral) >= len(asked) or asked[at + len(numeral)] not in digits)
        for at in find_all(asked, numeral)
    )


def near(sentence: str, found: Sequence[str], terms: Sequence[str]) -> bool:
    """True when some candidate in `found` stands within NEAR_CHARS of a question term.

    With no question term in the sentence at all (a sentence that answers with a pronoun),
    any candidate will do: nearness is about telling apart several candidates.
    """
    return folded_near(squash(fold(sentence)), found, terms)


def folded_near(text: str, found: Sequence[str], terms: Sequence[str]) -> bool:
    """`near` for a sentence already folded and stripped of whitespace."""
    spots = [i for t in terms if t for i in find_all(text, t)]
    if not spots:
        return bool(found)
    return any(
        abs(i - s) <= NEAR_CHARS for c in found if c for i in find_all(text, c) for s in spots
    )


def _counts_others(folded: str, figure: str, asked: str, anyone: bool) -> bool:
    """True when a head count (「4名」) is of people the question does not ask about: the
    word after its unit names others (「4名队员…转移受困群众」 counts the rescuers), or, when
    the question asks a count of anyone (`anyone`: 「多少人失踪」), what befell another
    count (「2人死亡」)."""
    count = _HEAD_COUNT.match(figure)
    at = folded.find(figure)
    if count is None or at < 0:
        return False
    after = rjieba.cut(folded[at + count.end() : at + count.end() + _PEOPLE_NOUN_CHARS])
    word = after[0] if after else ""
    if word in _FATES:
        return word not in asked and any(fate in asked for fate in _FATES)
    return not anyone and len(word) >= 2 and word[-1] in _PEOPLE_ENDS and word not in asked


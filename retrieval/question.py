"""What a message asks: its kind, the key terms an answer must be about, the answer type.

`ask` receives everything a user types; `retrieval.message_kind` tells a real question from
a greeting, a bare keyword or a task (`analyze` records its verdict as `kind`). For a question
this module extracts what an answer must be *about*, read from jieba's part-of-speech
tags (through rjieba, the same segmenter the index uses) and a few cheap patterns:

* entities — person, place, organisation and other proper names (tags nr/ns/nt/nz), Latin
  names and model numbers (「iPhone 17」, 「F-35」), titles in 《》 and quoted terms;
* stated facts — years (「2026年」), dates (「8月9日」) and numbers with units (「380万元」);
* focus — the other nouns (「董事长」「创始人」): what the question asks about the entities;
* verbs — where an answer may stand as well (「11人死亡」 for 「造成多少人死亡」);
* the answer type — 多少/几 → a number, 谁 → a person or organisation, 何时/哪一年 → a date,
  哪里/哪个区县 → a place, with the unit of a number and a year's outcome
  (`retrieval.answer_kind`).

Everything here is text analysis of the question alone; checking it against an article is
`retrieval.answerability`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import rjieba

from retrieval.answer_kind import (
    ASKS_DAY,
    ASKS_YEAR,
    STATED_YEAR,
    AnswerType,
    answer_type,
    asked_units,
    asks_definition,
    measured,
    must_tell,
    outcome,
)
from retrieval.folding import fold
from retrieval.message_kind import ASKS, HAN_CHAR, Kind, classify, plain_wording
from retrieval.numerals import han_numeral, numeral_value
from retrieval.question_heads import (
    ASPECT_PARTICLES,
    LINKS,
    VERB_TAGS,
    asked_heads,
    class_noun,
)
from retrieval.question_names import (
    NAME_TAGS,
    NOUN_TAGS,
    aliases,
    cut_name_end,
    district_of,
    generic_region,
    is_district,
    joined_abbreviations,
    model_names,
    organisations,
    spelled_twice,
    split_off,
    unglued,
)
from retrieval.question_slot import ROLE_NOUNS, deed, slot_context
from retrieval.question_tags import (
    measured_noun,
    modal_verb,
    noun_unglued,
    phrase_tagged_as_name,
    retagged,
)
from retrieval.sentence_names import FULL_NAME, TITLE_ENDS, name_after_title
from retrieval.text import HAN, NUMBERED_BY_HAO, word_set

#: Question words and fillers never taken for a key term.
_QUESTION_WORDS = word_set(
    "谁 什么 哪 哪里 哪儿 哪个 哪些 哪位 哪家 哪所 哪年 哪一年 哪天 哪一天 多少 几 多大 多高 "
    "多长 多久 多远 怎么 怎样 如何 为何 为什么 是否 吗 呢 请问 目前 现在 如今 最终 一共 "
    "总共 分别 大约 大概 哪一 哪支 第几 几月 几号 几日 何时 时候 时间 段时间 时间段 实际 实际上 "
    "事实上 "
    "原本 原来 本来 东西 案子 事儿 老家 "
    "网传 据悉 据称 据报道 事发"
)

_ORGANISATION_TAGS = frozenset({"nt", "nz", "j"})
#: Names a Chinese news story often leaves implicit (「中国市场监管部门」 is 「市场监管部门」).
_IMPLICIT_NAMES = word_set("中国 我国 国内 全国 国家")
#: Nouns with which a reader frames a question in a chat (「看到新闻说…」「搞了个新玩意儿」):
#: the story they ask about need not use them.
#: Nouns a question uses to point back at the organisation it has named (「罗技…公司的」).
_REFERRING_NOUNS = word_set("公司 集团 企业")
#: Words that point back at something named (「该公司」「其集团」).
_POINTERS = word_set("该 其 这家 本")
_FRAMING_NOUNS = word_set("新闻 消息 玩意儿 玩意 东西 一事 此事 这事 出面")
#: Adverbials jieba reads as nouns (「按计划哪天采集」): they say how, about nothing.
_ADVERBIAL_NOUNS = word_set(
    "按计划 按原计划 按规定 按要求 按惯例 原计划 那阵子 这阵子 那会儿 前段时间"  # 「那阵子」: when
)
#: Verbs jieba's dictionary tags as names (「在创业板上市的」: a story says 「登陆创业板」;
#: 「警方查明」).
_VERBS_TAGGED_AS_PLACES = word_set("上市 查明")
#: Abbreviations jieba tags like names that name a comparison, not a thing: a report says
#: 「相比上年同期下滑了30.48%」 as often as 「同比下滑」.
_COMPARISONS = word_set("同比 环比")

#: Words between an organisation and one it owns (「复旦大学 附属 中山医院」).
_OWNED_BY = word_set("附属 下属 旗下 直属 所属")

#: Demonstratives jieba glues to the noun they point at (「此鱼」「该法」).
_DEMONSTRATIVES = frozenset("此该")
#: Question words that make any word holding them no key term.
_QUESTION_INSIDE = re.compile(r"谁|哪|什么|多少")

_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_NUMBER_UNIT = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?\s*(?:万亿|万|亿)?\s*(?:元|美元|人民币|吨|亩|公里|千米|米|人|家|"
    r"辆|架|支|名|个|件|台|座|套|项|次|倍|户|条|所|天|小时|分钟|%|％))"
)
#: An edition of a recurring event (「第96届」「第九十六届」), or a second or later time
#: or round (「第二次试飞」「第二轮排海」; a 「第一次」 is as often written 「首次」): which one
#: is asked about.
_EDITION = re.compile(r"第\s*(\d{1,3}|[一二三四五六七八九十百零两]{1,5})\s*(届|次|轮)")
#: A name the question introduces as what it is (「七分甜这个奶茶品牌」「无问芯穹这家公司」): the
#: name jieba cuts into common words still has to be in the story.
_INTRODUCED = re.compile(
    rf"(?:^|[，,。：:])(?:请问|想问一?下?|我想知道)?([{HAN}a-z0-9]{{2,8}}?)这(?:家|个|款|只|支|所|位)"
)
#: A lettered funding round (「B轮」「Pre-A轮」「天使轮」): which round is asked about.
_ROUND = re.compile(r"(?<![a-z])((?:pre-?)?[a-f]\+?\d?|天使)\s*轮")
#: A quarter of a year (「三季度」「第3季度」).
_QUARTER = re.compile(r"([一二三四1-4])\s*季度")
_TITLE = re.compile(r"《([^》]{1,30})》|[“\"「]([^”\"」]{2,20})[”\"」]")
#: From this long a phrase in quotation marks is a saying or a slogan the story may put in
#: other words (「若郭台铭独立参选绝不加入」「单机团队被解散」), not a name it must write.
_QUOTED_SAYING = 7
#: A Latin name, optionally with a model number: 「iPhone 17」, 「F-35」, 「KB5029331」.
_LATIN = re.compile(r"(?<![0-9])[a-z][a-z0-9\-.]*(?:\s+[a-z0-9][a-z0-9\-.]*)*")
#: A number ending a Latin name, and what makes it a date's (「Netflix 8月9号」), not the name's.
_LAST_NUMBER = re.compile(r"\s+\d{1,4}$")
_DATE_UNITS = frozenset("年月日号")
#: Latin words up to this long after a Chinese name qualify it (「海螺AI」「华为Pro」).
_QUALIFIER_LETTERS = 3
#: Nouns that say what kind of thing the Latin name after them is (「水处理企业BWT」): the
#: name stands alone, it qualifies nothing.
_KIND_NOUNS = word_set(
    "企业 公司 品牌 集团 平台 机构 厂商 车企 药企 巨头 组织 团队 乐队 组合 媒体 风格 类型 题材 品类"
)
#: Words jieba tags as nouns that act on the Latin name after them (「代表CBA公司致辞」).
_ACTING_NOUNS = word_set("代表 联合 携手")
#: A year closing a Latin name: the name is often written without it, the year is a fact.
_LATIN_YEAR = re.compile(r"\s+((?:19|20)\d{2})$")
#: A serial name with a numeral: 「神舟二十一号」, 「嫦娥六号」.
#: (「地铁10号线」 names a line, 「核电站的3号机组」 a unit, 「儋州市二号方舱医院」 a
#: numbered place of a town: no serial.)
_SERIAL = re.compile(
    rf"[{HAN}]{{2}}(?<![第的和与及县市区镇村乡省州])[一二三四五六七八九十百零两\d]+号"
    rf"(?![{NUMBERED_BY_HAO}])"
)
#: Words that report what someone forecast or said: a relative day after them is theirs.
_REPORTED = re.compile(r"预计|预测|预期|认为|觉得|估计|判断|指出|表示|声称|宣称|称|宣布|计划")
#: Words that say the question is about a day relative to today (「明天」的天气).
_RELATIVE_DAY = re.compile(
    r"明天|后天|明早|明晚|今晚|今天|今日|本周|下周|下个?星期|下个?月|明年|后年|这个?周末"
    r"|这周[一二三四五六日天]"
)


@dataclass(frozen=True)
class QuestionAnalysis:
    """What a message asks. Terms are folded (lowercase, Simplified), as in the index."""

    text: str
    kind: Kind
    #: Names the supporting article must contain (each a tuple of accepted spellings).
    entities: tuple[tuple[str, ...], ...] = ()
    #: Years (「2026」), dates (「8月9日」) and numbers with units the question states.
    facts: tuple[str, ...] = ()
    #: The other content words: what is asked about the entities (「董事长」).
    focus: tuple[str, ...] = ()
    answer_type: AnswerType = ""
    #: The question is about a day relative to today (「明天」「下周」).
    relative_day: str = ""
    #: Focus words next to the question word (「董事长」 in 「董事长是谁」): no paraphrase slack.
    head: tuple[str, ...] = ()
    #: Units a number answer must carry (「名」 for 「多少名员工」 accepts 名/人/位), if any.
    units: tuple[str, ...] = ()
    #: The date answer must name a year (「哪一年」), not only a month or day.
    wants_year: bool = False
    #: The date answer must name a day (「哪一天」): 「近日」 or 「今年」 will not do.
    wants_day: bool = False
    #: The two characters written right before and right after the question word, past
    #: particles (「健全」 and 「机制」 in 「推动健全什么机制」), or "" when no two Han characters
    #: stand there: an answering sentence tends to hold them around the answer itself.
    slot: tuple[str, str] = ("", "")
    #: The question's verbs of two or more characters (「释放」 in 「在多长时间内要求释放」): an
    #: answer stands next to the verb it completes as often as next to the question's nouns.
    verbs: tuple[str, ...] = ()
    #: Nouns right after the question word that name the answer's class (「医院」 in
    #: 「在哪些医院」): a name ending in one (「马萨卡医院」) is an answer of the asked type.
    #: Role nouns (「国家」「城市」) are left out: a name ending in them is seldom one.
    answer_class: tuple[str, ...] = ()
    #: The entities jieba tags as places or people, not organisations (first spellings; its
    #: tags mix the two: 「常德」 in 「湖南常德全市」 comes out a person): a province among them
    #: need not be named by an article that names another (`article_facts.article_gaps`).
    places: tuple[str, ...] = ()
    #: Names that only say whose the next name is (「复旦大学」 in 「复旦大学附属中山医院」):
    #: stories often name the hospital, school or company alone.
    parents: tuple[str, ...] = ()
    #: When the question asks how something of a stated year turned out (「2024年大选最终谁
    #: 胜出」「2024年全年销量」): that year, the year an article can first report it, and
    #: whether the answer must tell a result (「当选」「累计」), not a candidacy or a plan. A
    #: story written before can only speak of plans and forecasts. (Without a year there is
    #: nothing to date the story by, and 「谁当选为主席」 is answered by 「主席李丰」.)
    outcome: tuple[str, int, bool] = ("", 0, False)
    #: The question asks what a term means or holds (「具体是指哪些产业」「包括哪些」).
    defines: bool = False
    #: The measured quantity a number is asked in (「身高」: metres, told by a sentence naming
    #: it), "" for none.
    measures: str = ""
    #: What the sentence must tell beyond an answer of the type (`answer_kind.must_tell`):
    #: "origin" (「是哪里人」), "birth" (「哪一年出生」), "founding" (「哪一年成立」), "alias"
    #: (「有什么别称」), "until" (「持续到哪天」), "plan" (「预计什么时候开通」), "cause"
    #: (「起火原因是什么」), "name" (「叫什么名字」), "earlier_post" (「任职之前担任什么职务」).
    must_tell: frozenset[str] = frozenset()
    #: The verb of what the asked person or organisation did, or of what was done on the
    #: day asked, when the question ends on it (「由谁设计的」 → 「设计」, 「是哪天发布的」 →
    #: 「发布」, `question_slot.deed`): the answer's sentence must tell it.
    deed: str = ""


@lru_cache(maxsize=2048)
def analyze(text: str) -> QuestionAnalysis:
    """Kind, key terms and answer type of `text`."""
    kind = classify(text)
    if kind != "question":
        return QuestionAnalysis(text, kind)
    text = plain_wording(text)
    folded = fold(text)
    facts: list[str] = [y for y in STATED_YEAR.findall(folded)]
    facts += [f"{m}月{d}日" for m, d in _MONTH_DAY.findall(folded)]
    facts += [re.sub(r"\s+", "", n) for n in _NUMBER_UNIT.findall(folded)]
    facts += [
        f"第{n}{unit}" for number, unit in _EDITION.findall(folded)
        if (n := numeral_value(number)) and (unit == "届" or n > 1)
    ]
    facts += [f"{han_numeral(int(q)) if q.isdigit() else q}季度" for q in _QUARTER.findall(folded)]
    facts += [f"{r}轮" for r in _ROUND.findall(folded)]
    entities: list[tuple[str, ...]] = []
    for quoted in _TITLE.findall(folded):
        term = (quoted[0] or quoted[1]).strip()
        if term and (quoted[0] or len(term) < _QUOTED_SAYING):
            entities.append((term,))
    for match in _SERIAL.findall(folded):
        entities.append((match,))
    for found in _LATIN.finditer(folded):
        name = found.group().strip()
        if folded[found.end() : found.end() + 1] in _DATE_UNITS:
            name = _LAST_NUMBER.sub("", name)  # 「netflix 8月9号」: the 8 is a month
        year = _LATIN_YEAR.search(name)
        if year:  # 「HDC 2023」 is 「HDC」 of the year 2023, often written 「HDC.Together」
            facts.append(year.group(1))
            name = name[: year.start()]
        if len(name.replace(" ", "")) >= 2 and not name.isdigit():
            entities.append(aliases(name))
    focus: list[str] = []
    verbs: list[str] = []
    places: list[str] = []
    tagged = retagged([(w, t) for w, t in rjieba.tag(folded) if w.strip()])
    for i, (word, tag) in enumerate(tagged):
        if not HAN_CHAR.search(word):
            continue
        # jieba glues a date's 年/月/日 to the next word (「2023年雷军」 → 年雷军): unglue it.
        if i and tagged[i - 1][1] == "m" and tagged[i - 1][0].isdigit() and word[0] in "年月日号":
            word = word[1:]
        # jieba glues a demonstrative to a short noun (「此鱼」): the noun is the term.
        if len(word) >= 2 and word[0] in _DEMONSTRATIVES:
            word = word[1:]
        word = measured_noun(tagged, i) if word == tagged[i][0] else word
        if len(word) < 2 or word in _QUESTION_WORDS or ASKS.fullmatch(word):
            continue
        if _QUESTION_INSIDE.search(word):  # 「由谁来」: a question word glued to a preposition
            continue
        if word in _IMPLICIT_NAMES or word in _COMPARISONS or word in ROLE_NOUNS:
            continue
        if word in _FRAMING_NOUNS or word in _ADVERBIAL_NOUNS:
            continue
        if word in _REFERRING_NOUNS and entities and (
            i == 0 or not HAN_CHAR.search(tagged[i - 1][0]) or tagged[i - 1][0] in _POINTERS
        ):
            continue  # 「罗技…，公司的临时首席执行官」: the company named, not a word to look for
        if word.startswith("每"):
            continue
        if len(word) >= 3 and word[0] == "被" and tag in NOUN_TAGS:
            verbs.append(word[1:])  # 「被称作」: what was done to it, however jieba tags it
            continue
        if phrase_tagged_as_name(word, tag):
            continue
        if word in _VERBS_TAGGED_AS_PLACES:
            verbs.append(word)
        elif tag in NAME_TAGS and generic_region(word):
            focus.append(word)
        elif tag in NAME_TAGS or is_district(tagged, i):
            entities.append(unglued(aliases(word.removesuffix("里"))))
            if split_off(tagged, i):  # 「坪 山马峦」: the name is 「马峦」, after 「坪山」
                entities[-1] = (*entities[-1], word[1:])
            elif cut_name_end(tagged, i):
                # 「俞敏 洪新 搞的」「哈撒 韦二 季度」: the name is 「俞敏洪」「哈撒韦」
                entities[-1] = (*entities[-1], tagged[i - 1][0] + word[0])
            if tag == "ns" and (inner := district_of(word)):
                entities[-1] = (*entities[-1], inner)  # 「上海浦东」: a story says 「浦东」
            if tag not in _ORGANISATION_TAGS:
                places.append(entities[-1][0])
        elif tag in NOUN_TAGS and modal_verb(word):
            verbs.append(word)
        elif tag in NOUN_TAGS and not _used_as_verb(tagged, i):
            focus.append(noun_unglued(word))
        elif tag in VERB_TAGS and word not in LINKS:
            verbs.append(word)
    entities += [  # 「市委书记 史 志军」: a name after a title, in the pieces jieba cut it
        (name,) for i in range(1, len(tagged))
        if tagged[i - 1][0].endswith(TITLE_ENDS) and tagged[i][1] in ("nr", "zg")
        and len(tagged[i][0]) == 1 and len(name := name_after_title(tagged, i)) == FULL_NAME
    ]
    entities += organisations(tagged)
    entities += joined_abbreviations(tagged)
    entities += [(name,) for name in model_names(tagged)]
    parents = [
        word for (word, tag), (after, _) in pairwise(tagged)
        if tag in NAME_TAGS and after in _OWNED_BY
    ]
    for i in range(1, len(tagged)):
        word, tag = tagged[i]
        before, before_tag = tagged[i - 1]
        if (
            tag == "eng"
            and 2 <= len(word) <= _QUALIFIER_LETTERS
            and re.search("[a-z]", word)  # 「中国队72:49」: a score, no name
            and before_tag in NOUN_TAGS | NAME_TAGS
            and HAN_CHAR.search(before)
            and before not in _KIND_NOUNS | _ACTING_NOUNS
            and before not in _IMPLICIT_NAMES  # 「中国PS玩家」: PS qualifies no China
            and before_tag != "ns"  # 「德国EEW公司」: a company of Germany, not 「德国EEW」
        ):
            # 「海螺AI」 is not any 「AI」; 「ChatGPT」 is a name of its own, whatever precedes it;
            # a longer name may be followed by its own abbreviation (「特别提款权SDR」)
            entities.append((before + word, before) if len(before) >= 3 else (before + word,))
    entities = spelled_twice(entities, folded)
    entities += [(n,) for n in _INTRODUCED.findall(folded) if not _QUESTION_INSIDE.search(n)]
    head, answer_class = asked_heads(tagged)
    focus = [w for w in focus if class_noun(w) not in answer_class]
    slot = slot_context(folded)
    relative = _RELATIVE_DAY.search(folded)
    if relative and _REPORTED.search(folded, max(0, relative.start() - 12), relative.start()):
        relative = None  # 「预计俄罗斯经济明年年中恢复」: a forecast the question quotes
    asked = answer_type(text)
    return QuestionAnalysis(
        text,
        kind,
        entities=tuple(dict.fromkeys(entities)),
        facts=tuple(dict.fromkeys(facts)),
        focus=tuple(dict.fromkeys(focus)),
        answer_type=asked,
        relative_day=relative.group(0) if relative else "",
        head=tuple(dict.fromkeys(w for w in head if w not in _ADVERBIAL_NOUNS)),
        units=asked_units(folded, slot, head),
        wants_year=ASKS_YEAR.search(folded) is not None,
        wants_day=ASKS_DAY.search(folded) is not None,
        slot=slot,
        places=tuple(dict.fromkeys(places)),
        parents=tuple(dict.fromkeys(parents)),
        verbs=tuple(dict.fromkeys(verbs)),
        answer_class=tuple(c for c in answer_class if c not in ROLE_NOUNS),
        outcome=outcome(folded),
        defines=asks_definition(folded),
        measures=measured(slot, head, folded) if asked == "number" else "",
        must_tell=must_tell(folded),
        deed=deed(tagged),
    )


def _used_as_verb(tagged: list[tuple[str, str]], i: int) -> bool:
    """True when the word at `i`, tagged a noun, stands where only a verb can.

    jieba tags words like 「规定」「形容」 as nouns whatever their use; followed by an aspect
    particle (「规定了」) or after the passive 「被」 (「被形容为」) they are the verb of the
    question, which an answering article may word differently, not a thing it must name.
    """
    after = tagged[i + 1][0] if i + 1 < len(tagged) else ""
    before = tagged[i - 1][0] if i else ""
    return after in ASPECT_PARTICLES or before == "被"

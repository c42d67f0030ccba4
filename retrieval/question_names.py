"""How a question's names are read from jieba's words: which words are names, and where the
segmenter got a name's edges wrong.

jieba knows common names; a name it does not know comes out cut in pieces or glued to a
neighbour: a preposition before it (「向乐山农商银行」), a verb or particle after it
(「吴超用」「刘七是」), a school's adjective-tagged first word (「明远 实验中学」). These rules
put the edges back, join an organisation's words into one name, tell a district from a whole
region (「平谷区」 against 「全区」) and give a name's aliases (「乐山市」 is 「乐山」).
`retrieval.question` uses them to extract a question's entities, after
`retrieval.question_tags` has set the question's other words right.
"""

from __future__ import annotations

import re

import rjieba

from retrieval.message_kind import ASKS, HAN_CHAR
from retrieval.text import HAN, word_set

#: Tags of proper names in jieba's tag set (person, place, organisation, other proper noun).
NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "j"})
#: Tags of common nouns and noun-like words (idioms, set phrases).
NOUN_TAGS = frozenset({"n", "nz", "ng", "l", "i", "an"})
#: Suffixes that may be dropped from a name when matching it (「乐山市」 is 「乐山」).
_ALIAS_SUFFIXES = (
    "超市", "商场", "股份有限公司", "有限责任公司", "有限公司",
    "市", "省", "县", "区", "州", "镇", "乡", "村",
    "公司", "集团",
)
#: Names news writes as often in full as by their abbreviation (「AI」「人工智能」, 「文旅部」
#: 「文化和旅游部」, 「大运会」「世界大学生夏季运动会」): the full name's telling part.
_ABBREVIATED = (
    ("ai", "人工智能"), ("gdp", "生产总值"), ("cpi", "居民消费价格"), ("ppi", "工业生产者出厂价格"),
    ("大运会", "大学生夏季运动会"), ("亚运会", "亚洲运动会"), ("奥运会", "奥林匹克运动会"),
    ("冬奥会", "冬季奥林匹克运动会"), ("文旅部", "文化和旅游部"), ("工信部", "工业和信息化部"),
    ("发改委", "发展改革委"), ("人社部", "人力资源和社会保障部"), ("住建部", "住房和城乡建设部"),
    ("卫健委", "卫生健康委"), ("证监会", "证券监督管理委员会"), ("国资委", "国有资产监督管理"),
    ("网信办", "网络安全和信息化"), ("央行", "人民银行"), ("抗联", "抗日联军"),
    ("ceo", "首席执行官"), ("cfo", "首席财务官"), ("cto", "首席技术官"), ("coo", "首席运营官"),
    ("国家中医药局", "国家中医药管理局"),
    # what a reader says and what the story writes (「她老公叫啥名字」: 「其丈夫曹某」)
    ("老公", "丈夫"), ("老婆", "妻子"), ("中共中央", "党中央"),
    ("东航", "东方航空"), ("南航", "南方航空"), ("国航", "中国国际航空"),
    ("工大", "工业大学"), ("师大", "师范大学"), ("农大", "农业大学"),
)
#: Abbreviations inside longer names (「四川省农科院水稻高粱研究所」 is written
#: 「四川省农业科学院水稻高粱研究所」).
_ABBREVIATED_INSIDE = (
    ("农科院", "农业科学院"), ("中科院", "中国科学院"), ("社科院", "社会科学院"),
    ("中国科大", "中国科学技术大学"), ("医科大", "医科大学"), ("文旅局", "文化和旅游局"),
    ("文旅厅", "文化和旅游厅"),
)
#: A name followed by its other spelling in brackets (Chinese and Latin, either way round).
_SPELLED_TWICE = re.compile(
    rf"([{HAN}]{{2,}})\s*[（(]\s*([a-z][a-z0-9 .&\-]*?)\s*[)）]"
    rf"|([a-z][a-z0-9.&\-]*(?: [a-z0-9.&\-]+)*)\s*[（(]\s*([{HAN}]{{2,}})\s*[)）]"
)
#: Offices named formally with 「人民」 and often without it.
_PEOPLES_OFFICES = ("检察院", "法院")
#: One-character prepositions jieba sometimes glues to the name that follows.
_GLUED_PREPOSITIONS = frozenset("为向在和与对把被给从于将由跟同及以")
#: One-character words jieba sometimes glues to the end of a name it does not know.
_GLUED_AFTER = frozenset("是的以把被在和与及为")
#: Tags of a brand before a model number (not places: 「萨格勒布 56 公里」).
_MODEL_BRAND_TAGS = frozenset({"nz", "nr", "nrt", "nt", "nrfg"})
#: First characters of what makes a number after a name a quantity, a score or a route
#: (「50 万吨」「99 比 91」「27 路」) rather than a model.
_UNIT_STARTS = frozenset(
    "%万亿千百年月日号时分秒个件台辆人名位家次岁天度期届套艘颗只头本部篇株棵间张块场批轮周条项座"
    "所架枚吨米克斤亩户元倍级比路美欧港英公：:-."
)
#: From this length a name jieba's dictionary lacks may hold a glued neighbour (`unglued`).
_GLUED_NAME_CHARS = 4
#: Tags of a word jieba does not know as a name that may still open one (「明远」 is tagged an
#: adjective): not verbs or adverbs, which end the clause before a name (「宣布 解散 政府」).
_NAME_QUALIFIER_TAGS = frozenset({"a", "b", "g", "eng"})
#: Tags of a word that describes rather than names (verbs, adverbs, adjectives).
_DESCRIBING_TAGS = frozenset({"v", "vn", "vd", "d", "a", "ad", "an", "b"})
#: The endings of a district's or county's name.
_DISTRICT_ENDS = frozenset("区县")
#: Openings of words for a whole region or a kind of area, not a name (「全区」「辖区」).
_WHOLE_REGION = word_set("全区 全县 各区 各县 市辖 城区 郊区 辖区 本区 该区")
#: Organisation words that after a person's name say when in their life (「渠成小学就读于」).
_SCHOOL_YEARS = word_set("中学 小学 幼儿园")
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
#: Words that end an organisation's name.
_ORG_WORDS = word_set(
    "银行 公司 集团 大学 学院 医院 协会 委员会 政府 法院 检察院 电视台 研究院 研究所 "
    "俱乐部 基金会 有限公司 股份公司 商会 科技 中学 小学 幼儿园 超市 商场"
)


def written_in_full(word: str) -> str:
    """The full name of an abbreviation news writes either way (「抗联」 → 「抗日联军」), or ""."""
    return next((full for short, full in _ABBREVIATED if short == word), "")


#: Length from which a 「国家…」 body is also named without 「国家」 (「国家统计局」).
_STATE_BODY = 5


def aliases(name: str) -> tuple[str, ...]:
    """Spellings accepted for a name: itself and, for 「乐山市」-like names, the stem (a
    people, 「英国人」, by its country; a state body, 「国家广电总局」, without 「国家」); a court
    or procuratorate with and without 「人民」 (「巴林左旗法院」 is 「巴林左旗人民法院」); an
    abbreviation and its full name (「AI」, 「人工智能」), also inside a name
    (「中科院动物研究所」)."""
    for short, full in _ABBREVIATED:
        if name in (short, full):
            return (name, full if name == short else short)
    for short, full in _ABBREVIATED_INSIDE:
        if short in name and full not in name:
            return (name, name.replace(short, full))
    for office in _PEOPLES_OFFICES:
        if name.endswith(office) and len(name) > len(office) + 1:
            place = name.removesuffix(office)
            bare = place.removesuffix("人民")
            return (name, f"{bare}人民{office}" if bare == place else f"{bare}{office}")
    if name.endswith("国人") and len(name) >= 3:  # 「英国人贝茨」 in a story of 「英国」
        return (name, name[:-1])
    if name.startswith("国家") and len(name) >= _STATE_BODY:  # 「国家广电总局」: 「广电总局」
        return (name, name[2:])
    for suffix in _ALIAS_SUFFIXES:
        stem = name.removesuffix(suffix)
        if stem != name and len(stem) >= 2:
            return (name, stem)
    return (name,)


def spelled_twice(
    entities: list[tuple[str, ...]], folded: str
) -> list[tuple[str, ...]]:
    """`entities` with a name and its other spelling in brackets made one entity
    (「美国农业部（USDA）」, 「USDA（美国农业部）」): an article naming it either way names it."""
    for match in _SPELLED_TWICE.finditer(folded):
        han, latin = match.group(1, 2) if match.group(1) else match.group(4, 3)
        latin_names = next((e for e in entities if e[0] == latin.strip()), None)
        in_han = [e for e in entities if e[0] in han and HAN_CHAR.search(e[0])]
        if latin_names is None or not in_han:
            continue
        han_names = max(in_han, key=lambda e: len(e[0]))
        merged = tuple(dict.fromkeys((*han_names, *latin_names)))
        entities = [merged if e is han_names else e for e in entities if e is not latin_names]
    return entities


#: What a name of one-character place names joined names (`joined_abbreviations`).
_LINE_WORDS = word_set("高铁 铁路 高速 高速公路 公路 城际 线 大桥 隧道 管道 航线 运河")
#: What stands between the two numbers of a score (「72∶49」「3比0」, folded or not).
_SCORE_MARKS = frozenset(":：∶比-")
#: Governments a story may name by their country or by their leader.
_GOVERNMENTS = word_set("政府 内阁 当局 政权")
#: The legal forms that end a company's name, and the tags of words no name holds.
_LEGAL_FORMS = word_set("有限公司 股份公司 有限责任公司 股份有限公司 集团有限公司")
_NOT_IN_NAMES = frozenset({"x", "uj", "ul", "p", "c", "r", "m", "u", "d", "f", "q"})
#: From this many words into an organisation's name, a name after a common word starts it
#: afresh (「复旦大学 附属 中山 医院」 is still one name).
_LONGEST_NAME_WORDS = 3
#: Words a company's name may take before its legal form (「江苏 淹城 野生动物 世界 有限公司」).
_FIRM_NAME_WORDS = 4


def organisations(tagged: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Names built of several words that end in an organisation word: 「乐山 农商 银行」.

    jieba cuts such names into a place and common nouns; matched word by word, 「乐山农商银行」
    would be found in any article naming 乐山 and some 农商银行. Kept whole (with the stem
    without 「公司」/「集团」 as an alias), they must occur as written.
    """
    found: list[tuple[str, ...]] = []
    start = None
    for i, (word, tag) in enumerate(tagged):
        if tag in NAME_TAGS and (start is None or (
            i - start >= _LONGEST_NAME_WORDS and tagged[i - 1][1] not in NAME_TAGS
        )):
            # a name after several common words starts the organisation's name afresh
            # (「简阳 制 砖厂 工人 鄢某 工伤 案经 简阳 法院」: the court is 「简阳法院」)
            start = i
        elif start is None and word in _ORG_WORDS and i and _unnamed(*tagged[i - 1]) and not (
            i >= 2 and tagged[i - 2][1] in PERSON_TAGS
        ):
            # 「依图 科技」: a name jieba does not know, tagged as a verb; but after a person
            # the "verb" holds the end of the name (「吴玉 其读 大学」: 「吴玉其」 reads)
            start = i - 1
            if start and tagged[start - 1][1] in _NAME_QUALIFIER_TAGS and _unnamed(
                *tagged[start - 1]
            ):
                start -= 1  # 「明远 实验 中学」: an adjective-like word names it too
            elif start and tagged[start - 1][1] == "a" and len(tagged[start - 1][0]) == 1:
                start -= 1  # 「胖 东来 超市」: one character jieba reads as an adjective
        elif start is not None and tag not in NOUN_TAGS | NAME_TAGS and not (
            _made_up(word) and tagged[i - 1][1] not in PERSON_TAGS
        ) and not (
            # 「甬澜 新 材料 科技 有限公司」: a one-character adjective inside the name
            tag == "a" and len(word) == 1 and i + 1 < len(tagged)
            and tagged[i + 1][1] in NOUN_TAGS
        ):
            # a word jieba's dictionary lacks is part of the name whatever its tag
            # (「成都 澄泓 生物医药 有限公司」: 「澄泓」 is tagged a measure word), but not
            # after a person (「吴玉 其读 大学」: 「吴玉其」 reads at a university)
            start = None
            continue
        if start is None and word in _LEGAL_FORMS:
            start = _named_firm(tagged, i)  # 「苏州 启衡 微电子 有限公司」: 启衡 a verb
        if start is not None and i > start and word in _ORG_WORDS:
            if word in _SCHOOL_YEARS and tagged[i - 1][1] in PERSON_TAGS:
                start = None  # 「渠成 小学 就读于」: a person's school years, not a school
                continue
            words = [w for w, _ in tagged[start : i + 1]]
            spellings = [*aliases("".join(words))]
            leader = next(
                (k for k in range(start + 1, i) if tagged[k][1] in PERSON_TAGS), None
            ) if word in _GOVERNMENTS else None
            if leader is not None:
                # 「印度 莫迪 政府」: 「印度政府」 or 「莫迪政府」
                spellings += [
                    "".join(words[: leader - start] + words[leader - start + 1 :]),
                    "".join(words[leader - start :]),
                ]
            if tagged[start][1] == "ns" and (
                len("".join(words[1:-1])) >= 4 or (word in _PEOPLES_OFFICES and i - start >= 2)
            ):
                # 「宁波 双成药业 公司」: 「双成药业」; 「四川 蓬溪 法院」: 「蓬溪县人民法院」
                spellings += aliases("".join(words[1:]))
            # 「武汉 江夏区 法院」「贵州 毕节 大方县 法院」「杭州 上城 法院」: a local story names
            # the district's court without the places above it (「大方县人民法院」)
            spellings += [
                alias for k in range(start + 1, i)
                if tagged[k][0][-1] in _DISTRICT_ENDS or tagged[k][1] == "ns"
                for alias in aliases("".join(words[k - start:]))
            ]
            found.append(tuple(dict.fromkeys(spellings)))
            start = None
    return found


def joined_abbreviations(tagged: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Lines named by the one-character names of the places they join, which jieba cuts
    apart (「渝 锦 高铁」「沪 渝 蓉 高铁」): the whole name, as a story writes it."""
    found: list[tuple[str, ...]] = []
    run: list[str] = []
    for word, tag in tagged:
        if len(word) == 1 and tag in NAME_TAGS and HAN_CHAR.search(word):
            run.append(word)
            continue
        if len(run) >= 2 and word in _LINE_WORDS:
            found.append(("".join(run) + word,))
        run = []
    return found


def _named_firm(tagged: list[tuple[str, str]], form: int) -> int | None:
    """The first word of a company's name ending in the legal form at `form` (「有限公司」),
    whatever jieba tagged the words between (its dictionary holds 「启衡」 as a verb): up to
    `_FIRM_NAME_WORDS` content words back, at a place or name; None when none stands there
    (「一家 科技 有限公司」 names no company)."""
    first = None
    for k in range(form - 1, max(form - 1 - _FIRM_NAME_WORDS, -1), -1):
        word, tag = tagged[k]
        if tag in _NOT_IN_NAMES or not HAN_CHAR.search(word):
            break
        if tag in NAME_TAGS:
            first = k
    return first


def unglued(spellings: tuple[str, ...]) -> tuple[str, ...]:
    """Spellings plus the name without a preposition jieba glued to it (「为亚庆」 → 「亚庆」),
    or without the copula or particle glued after it (「黄华麒是」 → 「黄华麒」).

    A name of four or more characters that jieba's dictionary does not hold was made up by
    its HMM from unknown characters, which often takes in the verb or preposition next to
    the name (「内马尔随巴西队」 → 「内马尔随」, 「赵小华带孩子」 → 「赵小华带」): it may also be
    written without its first or last character. An unknown three-character name loses an
    end only where that end is a verb or preposition (「吴超用曾祖父的印章」 → 「吴超用」,
    「谈中美关系」 → 「谈中美」): a two-character piece of a real three-character name is
    too common to stand for it.
    """
    name = spellings[0]
    if len(name) >= 3 and name[0] in _GLUED_PREPOSITIONS:
        return (*spellings, name[1:])
    if len(name) >= 3 and name[-1] in _GLUED_AFTER:
        return (*spellings, name[:-1])
    if len(name) >= _GLUED_NAME_CHARS and not rjieba.has_word(name):
        return (*spellings, name[:-1], name[1:])
    if len(name) == _GLUED_NAME_CHARS - 1 and not rjieba.has_word(name):
        if verb_like(name[-1]):
            return (*spellings, name[:-1])
        if verb_like(name[0]):
            return (*spellings, name[1:])
    return spellings


def split_off(tagged: list[tuple[str, str]], i: int) -> bool:
    """True when the name `tagged[i]` (three characters jieba's dictionary lacks) follows a
    one-character "name": the segmenter cut a name between the two, and the name's first
    character belongs to the one before (「深圳 坪 山马峦 街道」 is 「坪山」 and 「马峦」), so
    it may be written without that character."""
    word = tagged[i][0]
    before, before_tag = tagged[i - 1] if i else ("", "")
    return (
        len(word) == 3 and _made_up(word) and len(before) == 1
        and before_tag in NAME_TAGS and HAN_CHAR.search(before) is not None
    )


def model_names(tagged: list[tuple[str, str]]) -> list[str]:
    """Products named by a brand and a model number (「极石 01」): a story of another model of
    the brand does not tell its facts. The brand is a name jieba tags or a word it does not
    know (not 「小米」, a grain, nor a place: 「萨格勒布 56 公里」), and the number carries no
    unit (「年产 50 万吨」)."""
    names = []
    for (word, tag), (number, _), after in zip(
        tagged, tagged[1:], [*tagged[2:], ("", "")], strict=False
    ):
        if (
            len(word) >= 2 and HAN_CHAR.search(word) and re.fullmatch(r"\d{2,3}", number)
            and (tag in _MODEL_BRAND_TAGS or (
                tag not in _DESCRIBING_TAGS and not rjieba.has_word(word)
            ))
            and after[0][:1] not in _UNIT_STARTS
            and after[0][:1] not in _SCORE_MARKS  # 「中国队 72 ∶ 49」: a score, no model
        ):
            names.append(word + number)
    return names


def district_of(place: str) -> str:
    """The second of two places jieba's dictionary holds as one word (「上海浦东」 → 「浦东」),
    or "": local news names the district alone. Each part must be a place of its own."""
    for cut in (2, 3):
        head, rest = place[:cut], place[cut:]
        if len(rest) >= 2 and all(rjieba.tag(w) == [(w, "ns")] for w in (head, rest)):
            return rest
    return ""


def verb_like(char: str) -> bool:
    """True for a character that alone is a verb or a preposition (「用」「谈」「随」)."""
    return rjieba.tag(char)[0][1] in ("v", "p")


def generic_region(word: str) -> bool:
    """True for a word jieba tags as a place that names no place: 「周边地区」「沿海地区」
    (the words before 「地区」 are no name, unlike 「华北地区」). It is asked about like any
    noun, not required word for word: a story says 「辽宁省东部地区」 instead."""
    stem = word.removesuffix("地区")
    if stem == word or len(stem) < 2:
        return False
    return all(tag not in NAME_TAGS for _, tag in rjieba.tag(stem))


def is_district(tagged: list[tuple[str, str]], i: int) -> bool:
    """True for a district or county jieba tags as a common noun, after the place it is in
    (「北京市 平谷区」, 「乐山市 市中区」), or a city or county it does not know (「霁川市」): a
    name like any place's."""
    word, tag = tagged[i]
    after_place = i > 0 and tagged[i - 1][1] == "ns"
    # a city or county jieba does not know at all (「霁川市」) is a name wherever it stands
    unknown_city = word[-1:] in ("市", "县") and not rjieba.has_word(word)
    if not (
        tag in NOUN_TAGS and len(word) == 3 and word[:2] not in _WHOLE_REGION
        and ((after_place and word[-1] in _DISTRICT_ENDS) or unknown_city)
    ):
        return False
    # 「开发区」「保护区」「高新区」 name a kind of area by what is done there
    return all(t not in _DESCRIBING_TAGS for _, t in rjieba.tag(word[:2]))


def _made_up(word: str) -> bool:
    """True for a Chinese word of two or more characters that jieba's HMM made up (a
    question word glued to its measure word, 「哪所」, is none)."""
    return (
        len(word) >= 2 and HAN_CHAR.search(word) is not None and not rjieba.has_word(word)
        and not ASKS.search(word)
    )


def _unnamed(word: str, tag: str) -> bool:
    """True for a word that may be a name jieba does not know before an organisation word
    (「依图 科技」), not a verb of its dictionary describing one (「接诊 医院」「涉事 公司」)."""
    return len(word) >= 2 and tag not in NOUN_TAGS and tag not in ("r", "m", "x", "uj") and (
        HAN_CHAR.search(word) is not None
    ) and not ASKS.search(word) and not (tag == "v" and rjieba.has_word(word))


def cut_name_end(tagged: list[tuple[str, str]], i: int) -> bool:
    """True when the name at `i` is two characters jieba's HMM made by cutting the name
    before it one character short (「俞敏 洪新 搞的」 for 「俞敏洪 新搞的」, 「哈撒 韦二 季度」):
    the story names the whole name, the two pieces' first three characters."""
    word = tagged[i][0]
    return (
        i > 0 and len(word) == 2 and tagged[i - 1][1] in NAME_TAGS
        and len(tagged[i - 1][0]) == 2 and not rjieba.has_word(word)
    )

"""jieba's cuts and tags set right where a question's own grammar tells.

jieba reads a question as it reads a news sentence, and a question's few words give its HMM
little context: a verb phrase comes out a noun or a name (「搞了个」「新设的」), a noun loses its
last character to the copula (「代言 费是」) or the clause's 「时」 (「财 报时」), a question word
is cut from the time unit it asks about (「哪 天发 的」), a modal glued to a verb is tagged a
noun (「能领」). These rules put the words back before `retrieval.question` reads the
question's names, focus nouns and verbs; `retrieval.question_names` says which words are names.
"""

from __future__ import annotations

import rjieba

from retrieval.message_kind import HAN_CHAR
from retrieval.question_names import NAME_TAGS, NOUN_TAGS, PERSON_TAGS, verb_like

#: Nouns jieba cuts off the 「人」 of a role (「法定代表 人」「监护 人」).
_PERSON_COMPOUNDS = ("代表", "监护", "代理", "经纪", "联系", "继承", "委托", "担保", "责任")
#: Question words asking for a person.
_WHO = frozenset({"谁", "哪位"})
#: 「后」「前」 ending a clause, which jieba's HMM sometimes glues to the noun after them.
_GLUED_BEFORE_NOUN = frozenset("后前")
#: Question words jieba may cut from the time unit they ask about (「哪 天发 的」).
_WHICH = frozenset({"哪", "几"})
_TIME_UNITS = frozenset("天年月日号")
#: Demonstratives, and the measure words jieba may glue to the noun after them.
_POINTING = frozenset({"那", "这", "该", "此", "每", "哪"})
_MEASURE_CHARS = frozenset("篇个位名家条项件张本部座所颗通只头匹辆艘架台棵株")
#: Particles jieba's dictionary glues to a localizer as a place (「决赛 中得 了」: 中 得).
_AFTER_LOCALIZER = frozenset("得了着过")
#: Modal verbs (「能领」「会用」): jieba's HMM glues one to the verb after it.
_MODALS = frozenset("能会可要应该将")
#: Last characters of nouns for an amount (「代言费」「成交价」「增长率」「销售额」「产量」).
_NOUN_ENDS = frozenset("费价率额量")
#: Last characters of nouns for a machine or a place (「盾构 机是」: 盾构机 是).
_THING_ENDS = frozenset("机器车船舰厂站馆")
#: Question words a verb asks the amount of (「能产 多少」).
_HOW_MUCH = frozenset({"多少", "几", "多久", "多长"})
#: A clause's time or place glued to the noun before it (「财报时」「会议后」).
_WHEN_ENDS = frozenset("时后前中上里")
#: Directional complements that end a verb (「追回来」「拿出来」).
_DIRECTIONS = ("回来", "回去", "出来", "出去", "起来", "下来", "下去", "过来", "过去", "上来")
#: Ranks jieba may cut off a role (`retagged`), and the last characters of roles.
_RANKS = frozenset({"总", "副", "首席"})
_ROLE_ENDS = frozenset("师长监裁理编导挥练官")


def retagged(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`tagged` with the cuts and tags jieba gets wrong in questions set right, where the
    question's own grammar tells: a rank cut off its role joined back (「总 设计师」: the chief
    designer is not any designer a sentence names); a name's last character glued to the
    copula given back (「安杰 思是」 → 「安杰思 是」); 「有」 cut off the noun it was glued
    to (「有博主」 → 「有 博主」); a made-up word after 被 a verb (「被 曝花」); a clause's
    「时」 cut with the noun's last character (「财 报时」 → 「财报 时」) or glued to the verb after
    it (「时说」); a surname glued to the word before 某 (「村王 某」); and verb phrases the
    dictionary tags as nouns or names (「搞了个」, 「新设的」, 「所 产生」).
    """
    out: list[tuple[str, str]] = []
    for i, (word, tag) in enumerate(tagged):
        before = out[-1] if out else ("", "")
        if before[0] in _RANKS and tag == "n" and len(word) >= 2 and word[-1] in _ROLE_ENDS:
            out[-1] = (before[0] + word, tag)
        elif word == "人" and before[0].endswith(_PERSON_COMPOUNDS):
            out[-1] = (before[0] + word, "n")  # 「法定代表 人」: 法定代表人, one role
        elif (
            len(word) == 2 and word[1] == "是" and not rjieba.has_word(word)
            and (before[1] in PERSON_TAGS or (before[1] == "n" and not rjieba.has_word(before[0])))
        ):
            # 「安杰 思是」, 「总营 收是」: jieba's HMM cut the name or noun before the copula
            out[-1:] = [(before[0] + word[0], before[1]), ("是", "v")]
        elif (
            len(word) == 2 and word[1] == "是" and word[0] in _NOUN_ENDS | _THING_ENDS
            and not rjieba.has_word(word) and before[1] in NOUN_TAGS | {"v", "vn"}
        ):
            out[-1:] = [(before[0] + word[0], "n"), ("是", "v")]  # 「代言 费是」: 代言费 是
        elif (
            len(word) == 2 and word[0] in _MODALS and not rjieba.has_word(word)
            and i + 1 < len(tagged) and tagged[i + 1][0] in _HOW_MUCH
        ):
            out.append((word, "v"))  # 「一年 能产 多少吨」: a modal and a verb, no noun
        elif before[0] in _WHICH and len(word) == 2 and word[0] in _TIME_UNITS and (
            not rjieba.has_word(word) or (before[0] == "哪" and tag in NAME_TAGS)
        ):
            # 「哪 天发 的」, 「哪 天全 架完」: not the county 天全
            out[-1:] = [(before[0] + word[0], "r"), (word[1], "v")]
        elif (
            len(word) == 2 and tag in NAME_TAGS and word[0] in _WHEN_ENDS
            and word[1] in _AFTER_LOCALIZER
        ):
            out += [(word[0], "f"), (word[1], "u")]  # 「决赛 中得 了 多少分」: in it, scored
        elif (
            len(word) == 2 and word[1] == "第" and i + 1 < len(tagged) and tagged[i + 1][1] == "m"
        ):
            # 「中 甲第 15 轮」: the league 「中甲」, its 15th round
            if len(before[0]) == 1 and HAN_CHAR.search(before[0]):
                out[-1] = (before[0] + word[0], "nz")
            else:
                out.append((word[0], tag))
            out.append(("第", "m"))
        elif len(word) == 3 and word[0] == "有" and not rjieba.has_word(word):
            out += [("有", "v"), (word[1:], tag)]  # a word jieba's HMM made
        elif (
            len(word) == 2 and word[1] in _WHEN_ENDS and len(before[0]) == 1
            and before[1] in NOUN_TAGS and tag in NOUN_TAGS
            and len(rjieba.cut(before[0] + word[0])) == 1
        ):
            out[-1:] = [(before[0] + word[0], before[1]), (word[1], "f")]  # 「财 报时」: 财报 时
        elif i + 1 < len(tagged) and tagged[i + 1][0] == "的" and _describing_verb(word, tag):
            out.append((word, "v"))  # 「新设的工作室」: what was done to it
        elif (
            before[0] == "的" and len(word) >= 2
            and i + 1 < len(tagged) and tagged[i + 1][0] in ("是", "为", "叫")
            and (tag == "vn" or (tag == "v" and i + 2 < len(tagged) and tagged[i + 2][0] in _WHO))
        ):
            # 「她的 教练 是谁」「《留学生公寓》的 导演 是谁」: a verbal noun after 的, or a verb
            # whose holder is asked, is the noun
            out.append((word, "n"))
        elif len(word) >= 2 and "了" in word[1:] and tag in NOUN_TAGS:
            out.append((word, "v"))  # 「搞了个」: a verb done, however jieba's dictionary tags it
        elif len(word) >= 3 and word.endswith(_DIRECTIONS):
            out.append((word, "v"))  # 「追回来」: a verb and where it goes, no noun
        elif before[0] == "被" and len(word) == 2 and not rjieba.has_word(word):
            out.append((word, "v"))  # 「被 曝花 3520万元」: a verb phrase, no name
        elif (
            before[0] == "所" and tag in NOUN_TAGS and len(word) >= 2
            and i + 1 < len(tagged) and tagged[i + 1][0] == "的"
            and (len(out) < 2 or out[-2][0] not in _POINTING)
        ):
            out.append((word, "v"))  # 「所 产生 的」: what 所…的 stands around is done
        elif (
            len(word) == 2 and word[0] == "时" and verb_like(word[1])
            and before[1] in NOUN_TAGS | {"v", "vn"}
        ):
            out += [("时", "f"), (word[1], "v")]  # 「回复投资者 时说」: 时 说
        elif (
            len(word) >= 2 and i + 1 < len(tagged) and tagged[i + 1][0] == "某"
            and not rjieba.has_word(word)
        ):
            out += [(word[:-1], tag), (word[-1], "nr")]  # 「花庄 村王 某」: 村 王某
        else:
            out.append((word, tag))
    return out


def _describing_verb(word: str, tag: str) -> bool:
    """True for two characters jieba's dictionary tags an organisation that are a verb
    phrase when a 的 follows: a describing character and a verb (「新设的工作室」). (A person
    its HMM makes up, 「官宣」, cannot be told from a name by its first character: jieba tags
    surnames such as 「马」 nouns too.)"""
    return (
        len(word) == 2 and tag == "nt" and rjieba.tag(word[0])[0][1] in ("a", "d")
        and verb_like(word[1])
    )


def modal_verb(word: str) -> bool:
    """True for a word jieba's HMM made of a modal and a verb and tagged a noun (「能领」 in
    「每月能领多少钱」): the question's verb, not a thing the article must name."""
    return len(word) == 2 and word[0] in _MODALS and not rjieba.has_word(word) and verb_like(
        word[1]
    )


def noun_unglued(word: str) -> str:
    """A noun without the verb jieba's HMM glued after it (「混动版用的是」 → 「混动版用」 →
    「混动版」): a made-up word of three or more characters ending in a verb; or without the
    「后」 or 「前」 of the clause before glued before it (「试验飞行 后尾迹」)."""
    if (
        len(word) >= 3 and not rjieba.has_word(word) and verb_like(word[-1])
        and word[-1] not in _NOUN_ENDS  # 「代言费」: 费 ends an amount, not a verb
    ):
        return word[:-1]
    if len(word) >= 3 and word[0] in _GLUED_BEFORE_NOUN and not rjieba.has_word(word):
        return word[1:]
    if len(word) == 3 and word[0] == word[1] and rjieba.has_word(word[1:]):
        return word[1:]  # 「医保 局局长」: the office's last character doubled onto the role
    return word


def phrase_tagged_as_name(word: str, tag: str) -> bool:
    """True for a four-character phrase jieba's dictionary tags a person's name although it
    is two common words (「拉开序幕」: 拉开 + 序幕), which names nobody."""
    if tag not in PERSON_TAGS or len(word) != 4:
        return False
    halves = (word[:2], word[2:])
    return all(rjieba.has_word(h) and rjieba.tag(h)[0][1] not in NAME_TAGS for h in halves)


def measured_noun(tagged: list[tuple[str, str]], i: int) -> str:
    """The noun `tagged[i]` without the measure word glued to its front after a
    demonstrative or a numeral (「那 篇文章」 → 「文章」, 「一 通电话」 → 「电话」; jieba's
    dictionary even holds 「篇文章」)."""
    word = tagged[i][0]
    if i and tagged[i - 1][0] in _POINTING and len(word) >= 3 and (
        word[0] in _MEASURE_CHARS and rjieba.has_word(word[1:])
    ):
        return word[1:]
    if i and tagged[i - 1][1] == "m" and len(word) >= 2 and word[0] in _MEASURE_CHARS and (
        len(word) == 2 or rjieba.has_word(word[1:])
    ):
        return word[1:]  # 「14 只羊」: a sheep; 「一 通电话」: a call
    return word

"""What a question asks about, read from the words beside its question word.

The noun right before 「是谁」「是多少」 is the thing asked (「董事长」 of
「乐山农商银行的董事长是谁」); the noun right after 「哪」「什么」 is the class the answer belongs
to (「大学」 of 「哪所大学」), which the answer need not repeat; the object of
「谁 踢进 了 制胜球」 is what the doer did.
`retrieval.question` reads them into `QuestionAnalysis.head` and `answer_class`.
"""

from __future__ import annotations

import re

import rjieba

from retrieval.question_names import NAME_TAGS, NOUN_TAGS
from retrieval.question_tags import measured_noun, modal_verb, noun_unglued
from retrieval.text import word_set

#: Particles that only follow a verb: 了 (done), 着 (ongoing), 过 (experienced).
ASPECT_PARTICLES = frozenset("了着过")
#: Question words that a head word stands next to.
_QUESTION_MARKS = re.compile(r"^(?:谁|什么|哪.*|多少|几.*|何.*|多[大高长久远重]|怎.*|如何)$")
#: What one does at a school or hospital, which jieba's dictionary joins to it (「大学毕业」).
_CLASS_VERBS = ("毕业", "就读", "任教", "工作", "上学", "读书", "学习", "就医", "就诊", "住院")
#: Measure words jieba may cut from the question word before a class noun (「哪 所 大学」).
_CLASS_MEASURES = frozenset("所家个位座支款种条")
#: Filler between a head word and the question word (「董事长 是 谁」「毕业 于 哪所」).
LINKS = word_set(
    "是 的 为 在 于 了 有 叫 由 被 到 达 达到 约 共 一共 总共 现任 担任 将 会 到底 究竟 大概 大约"
)
#: jieba's tags of a verb.
VERB_TAGS = frozenset({"v", "vn", "vd"})


def asked_heads(tagged: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The words right before a question word, and the nouns right after it.

    In 「乐山农商银行的董事长是谁」 the word before 「是谁」 is what is asked: 「董事长」. In
    「担任什么职务」 the noun after the question word names the answer's class (「职务」): the
    answer need not repeat it, so it is no focus word.
    """
    heads: list[str] = []
    classes: list[str] = []
    for i, (word, _) in enumerate(tagged):
        if not _QUESTION_MARKS.match(word):
            continue
        j = i - 1
        while j >= 0 and (tagged[j][0] in LINKS or not tagged[j][0].strip()):
            j -= 1
        if j >= 0 and tagged[j][1] in NOUN_TAGS and not modal_verb(tagged[j][0]):
            heads.append(noun_unglued(measured_noun(tagged, j)))
        k = i + 1
        if word == "哪" and k + 1 < len(tagged) and tagged[k][0] in _CLASS_MEASURES:
            k += 1  # 「哪 所 大学」: the measure word cut off the question word
        if k < len(tagged) and tagged[k][1] in NOUN_TAGS | NAME_TAGS:
            classes.append(class_noun(tagged[k][0]))
        if word == "谁" and (done := object_of(tagged, i + 1)):
            heads.append(done)
    return heads, list(dict.fromkeys(classes))


def class_noun(word: str) -> str:
    """The class noun without the verb jieba's dictionary joined to it (「大学毕业」 →
    「大学」: 「是哪所大学毕业的」 asks for a university)."""
    if len(word) >= 4 and word.endswith(_CLASS_VERBS) and rjieba.has_word(word[:-2]):
        return word[:-2]
    return word


def object_of(tagged: list[tuple[str, str]], i: int) -> str:
    """The noun a verb at `i` acts on (「谁 踢进 了 制胜球」 → 「制胜球」), or "".

    In 「谁踢进了制胜球」 the answer is whoever did that to that thing: like the role before
    「是谁」, the object is what the question is about, and a story that never names it tells
    of someone else's deed (a semi-final's winner for the final's goal scorer).
    """
    if i >= len(tagged) or tagged[i][1] not in VERB_TAGS:
        return ""
    i += 1
    if i < len(tagged) and tagged[i][0] in ASPECT_PARTICLES:
        i += 1
    if i < len(tagged) and tagged[i][1] in NOUN_TAGS and not modal_verb(tagged[i][0]):
        return noun_unglued(tagged[i][0])
    return ""

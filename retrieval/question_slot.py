"""Where the answer goes in a question: the words written right around its question word.

In 「《意见》要求推动健全什么机制？」 the answer stands between 「健全」 and 「机制」; a sentence
that holds them with new text between (「推动健全涉案财物追缴处置机制」) fills that slot
(`retrieval.answer` scores it). This module reads the slot words of a question.
"""

from __future__ import annotations

import re

import rjieba

from retrieval.message_kind import HAN_CHAR

#: Nouns that name the role of the answer, not a fact the article must repeat
#: (「目的是什么」 is answered by the purpose, which need not be called 「目的」).
_ROLE_WORDS = (
    "目的 对象 态度 变化 原因 意义 作用 内容 特点 情况 方式 措施 形式 名字 名称 职务 比例 "
    "方面 结果 影响 问题 要求 地方 地区 城市 国家 省份 时间 时候 数量 规模 金额 领域 "
    "理由 目标 主题 建议 计划 预计 地点 位置 场所"
)
ROLE_NOUNS = frozenset(_ROLE_WORDS.split(" "))
#: Measure words read as part of the question word before them (「哪两个」「多少家」).
_MEASURES = "个位名家所座支种艘部款类条项场只张届次批件辆架台枚块"
#: The question word whose neighbours `slot_context` reads.
_SLOT_WORD = re.compile(
    rf"什么时候|什么时间|什么样|什么|谁|哪[一两三四五六七八九十]?[{_MEASURES}些年天里儿样]?|"
    rf"多少[{_MEASURES}]?|几[{_MEASURES}年月天]?|何时|何地|如何|怎么样?|多[大高长久远重]"
)
#: Particles, prepositions and links (「叫」「有」) between a question word and its context,
#: spaces and commas.
_SLOT_FILLER = "的是了为在于由被把与和对向将会要到从叫有，,、 "


def slot_context(folded: str) -> tuple[str, str]:
    """The two Han characters before and after the first question word of `folded`.

    Particles and prepositions next to the question word (「由谁」「是什么」) are skipped: they
    say nothing about which sentence holds the answer; so is a role noun after it (「哪个城市」):
    the answer names the city without writing 「城市」 after it. They are skipped as the
    segmenter's words, not as characters: 「方向是什么」 keeps the 「向」 of 「方向」.
    """
    asked = _SLOT_WORD.search(folded)
    if asked is None:
        return "", ""
    before_words = rjieba.cut(folded[: asked.start()])
    while before_words and _is_filler(before_words[-1]):
        before_words.pop()
    after_words = rjieba.cut(folded[asked.end() :])
    start = 0
    while start < len(after_words) and _is_filler(after_words[start]):
        start += 1
    before = "".join(before_words)[-2:]
    after = "".join(after_words[start:])[:2]
    return (
        before if len(HAN_CHAR.findall(before)) == 2 else "",
        after if len(HAN_CHAR.findall(after)) == 2 and after not in ROLE_NOUNS else "",
    )


def _is_filler(word: str) -> bool:
    """True for a word made only of particles, prepositions, spaces and commas."""
    return not word.strip(_SLOT_FILLER)

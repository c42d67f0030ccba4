"""Where the answer goes in a question: the words written right around its question word.

In 「《意见》要求推动健全什么机制？」 the answer stands between 「健全」 and 「机制」; a sentence
that holds them with new text between (「推动健全涉案财物追缴处置机制」) fills that slot.
This module reads the slot words of a question (`slot_context`) and tests whether a sentence
fills them (`SlotTest`): `retrieval.answer` scores sentences with it, `retrieval.rank` the
candidate passages (all of them at once, over their `TermMatrix`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import rjieba

from retrieval.message_kind import HAN_CHAR
from retrieval.term_matrix import TermMatrix, compiled_kernels
from retrieval.text import asks, sentence_spans, word_set

#: Nouns that name the role of the answer, not a fact the article must repeat
#: (「目的是什么」 is answered by the purpose, which need not be called 「目的」).
_ROLE_WORDS = (
    "目的 对象 态度 变化 原因 意义 作用 内容 特点 情况 方式 措施 形式 名字 名称 职务 比例 "
    "方面 结果 影响 问题 要求 地方 地区 城市 国家 省份 时间 时候 数量 规模 金额 领域 "
    "理由 目标 主题 建议 计划 预计 地点 位置 场所 题目 标题 价格"
)
ROLE_NOUNS = frozenset(_ROLE_WORDS.split(" "))
#: Measure words read as part of the question word before them (「哪两个」「多少家」).
_MEASURES = "个位名家所座支种艘部款类条项场只张届次批件辆架台枚块"
#: Tags of the class noun after a question word (「哪家 机构」) and of a verb.
_CLASS_TAGS = frozenset({"n", "nz", "ng", "nt", "eng"})
_DEED_TAGS = frozenset({"v", "vn"})
#: The question word whose neighbours `slot_context` reads.
_SLOT_WORD = re.compile(
    rf"什么时候|什么时间|什么样|什么|谁|哪[一两三四五六七八九十]?[{_MEASURES}些年天里儿样]?|"
    rf"多少[{_MEASURES}]?|几[{_MEASURES}年月天]?|何时|何地|如何|怎么样?|多[大高长久远重]"
)
#: A sentence that asks rather than tells: its slot holds another question word, not an answer.
ASKING = re.compile(r"[?？]|什么|哪些|哪个|哪里|为什么|多少|谁|怎么|如何")
#: What may not stand between a slot word and the answer beside it: the clause ends there.
_CLAUSE_END = "，。；,;！？!?"
_BMP = 0x10000


def _blocking(quote: str) -> npt.NDArray[np.bool_]:
    """Code points that may not stand beside a slot word: clause ends, `quote` and the
    control characters (a `TermMatrix` joins its passages with one)."""
    table = np.zeros(_BMP, np.bool_)
    table[[ord(c) for c in _CLAUSE_END + quote]] = True
    table[:0x20] = True
    return table


#: By side (new text after the word or before it), the code points that block it.
_BLOCKS = {True: _blocking("”"), False: _blocking("“")}
#: What follows a word when the sentence goes on to say what it is.
_COPULAS = ("是", "为", "：", ":")
_COPULA_CHARS = np.zeros(_BMP, np.bool_)
_COPULA_CHARS[[ord(c) for c in _COPULAS]] = True
#: Particles, prepositions and links (「叫」「有」) between a question word and its context,
#: spaces and commas.
_SLOT_FILLER = "的是了为在于由被把与和对向将会要到从叫有，,、 "


#: Question words that ask who did something (「是谁设计的」「由哪家机构领投」).
_WHO_WORDS = frozenset({"谁", "哪位", "哪家", "哪个", "哪所", "哪支", "哪一家", "哪一位"})
#: Question words that ask when something was done (「是哪天发布的」).
_WHEN_WORDS = frozenset({"哪天", "哪一天", "何时", "哪一年", "哪年", "哪日"})
#: Words between such a question word and the deed that are not it (「宣布」「正式」).
_ANNOUNCING = frozenset({"宣布", "正式", "开始", "决定", "首次", "首度", "才"})
#: Verbs any event is told with: a day given beside them may be told with another verb.
_ANY_EVENT = word_set(
    "举行 举办 进行 发生 召开 开展 实施 施行 开通 开放 上映 上线 生效 完成 结束 出现 开始 "
    "开幕 闭幕 到达 抵达 出发 推出 启动 落地 成立 出生 去世"
)
#: Words before a question word that make it the doer of the verb after (「是」「由」「被」).
_DOER_MARKS = frozenset({"是", "由", "被", "为"})
#: What may follow the verb a question ends on: particles and punctuation.
_ENDING = frozenset({"的", "了", "啊", "呢", "呀", "?", "？", "。", "!", "！"})


def deed(tagged: list[tuple[str, str]]) -> str:
    """The verb of what the person or organisation asked about did, when the question ends
    on it (「蓉宝是由谁设计的」 → 设计, 「C轮融资是哪家机构领投的」 → 领投), or of what was
    done on the day asked (`_deed_dated`: 「GPT-5是哪天发布的」 → 发布), else "".

    A sentence that names someone beside the question's words without the deed names them
    for something else (「…荣休仪式由哪位主持」 is not answered by who handed the flowers),
    and a day given without it is another thing's day.
    """
    for i, (word, _) in enumerate(tagged):
        if word in _WHEN_WORDS and (done := _deed_dated(tagged, i + 1)):
            return done
        if word not in _WHO_WORDS or not i or tagged[i - 1][0] not in _DOER_MARKS:
            continue  # 「在哪家医院工作」 asks where, not who
        j = i + 1
        if word != "谁" and j < len(tagged) and tagged[j][1] in _CLASS_TAGS:
            j += 1  # 「哪家 机构」
        if j < len(tagged) and tagged[j][0] in ("来", "所"):
            j += 1  # 「由谁来主持」「被谁所杀」
        if j < len(tagged) and tagged[j][1] in _DEED_TAGS and len(tagged[j][0]) >= 2 and all(
            w in _ENDING or not w.strip() for w, _ in tagged[j + 1 :]
        ):
            return tagged[j][0]
    return ""


def _deed_dated(tagged: list[tuple[str, str]], j: int) -> str:
    """The verb after a question word asking when (at `j`), when the question ends on it or
    on 「…的」 (「GPT-5是哪天正式发布的」 → 发布), unless the verb is one any event is told
    with (「举行」「开始」): a day given beside the product's name without the deed is the day
    of something else (「7月18日注册了GPT-5商标」)."""
    while j < len(tagged) and (tagged[j][1] in ("d", "ad") or tagged[j][0] in _ANNOUNCING):
        j += 1
    if j >= len(tagged) or tagged[j][1] not in ("v", "vn") or not 2 <= len(tagged[j][0]) <= 3:
        return ""
    verb, after = tagged[j][0], tagged[j + 1][0] if j + 1 < len(tagged) else ""
    said = [w for w, _ in tagged if w.strip() and w not in ("?", "？")]
    if verb in _ANY_EVENT or verb[-1] in "过了着" or after in ("来", "去") or (
        said[-1] not in ("的", verb)
    ):
        return ""  # 「是哪天转过去的」: a verb and where it went, any verb of the story tells it
    return verb


@lru_cache(maxsize=256)  # `ask` reads a question's slot twice: in its analysis and its rerank
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


class SlotTest:
    """Whether a sentence fills a question's slot (`slot_context`): its slot words followed
    (the word before the question word) or preceded (the word after it) by two characters
    of the same clause, where the answer would stand."""

    def __init__(self, slot: tuple[str, str]) -> None:
        before, after = slot
        #: (slot word, whether the new text stands after it rather than before it)
        self._sides = [(word, side) for word, side in ((before, True), (after, False)) if word]
        self._share = 1 / len(self._sides) if self._sides else 0.0
        self._copulas = tuple(before + mark for mark in _COPULAS) if before else ()

    @staticmethod
    def _filled(text: str, word: str, new_after: bool) -> bool:
        """True when `word` stands in `text` next to two characters of its clause (after
        it, or before it) that are not an opening or closing quote. Found with `str.find`:
        a regex starting with a character class is tried at every position of the text."""
        at = text.find(word)
        while at >= 0:
            start = at + len(word) if new_after else at - 2
            beside = text[start : start + 2] if start >= 0 else ""
            quote = "”" if new_after else "“"
            if len(beside) == 2 and not any(c in _CLAUSE_END or c == quote for c in beside):
                return True
            at = text.find(word, at + 1)
        return False

    def __bool__(self) -> bool:
        """False for a question without slot words (nothing to test)."""
        return bool(self._sides)

    @property
    def needles(self) -> list[str]:
        """What `passage_fills` needs found in the passages: the slot words (`term_matrix`'s
        `also`)."""
        return [word for word, _ in self._sides]

    def passage_fills(
        self, matrix: TermMatrix
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """`best_fill` of every passage of `matrix` at once, from where its `needles` stand
        (`matrix` built with them as `also`), placed in their sentences (rows): no passage
        is tested one by one. The copula is the character right after the word before the
        question word."""
        if len(matrix.also_at) != len(self.needles):
            raise ValueError("the term matrix was not built with this slot's needles")
        kernels = compiled_kernels()
        if kernels is not None:
            at = np.concatenate(matrix.also_at) if matrix.also_at else np.zeros(0, np.intp)
            lengths = [len(word) for word, _ in self._sides]
            fills: tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]] = kernels.slot_fills(
                matrix.codes, matrix.ends, matrix.starts, matrix.asking, at,
                np.repeat(np.arange(len(lengths)), [len(a) for a in matrix.also_at]),
                np.array(lengths, np.intp), np.array([new for _, new in self._sides]),
                _BLOCKS[True], _BLOCKS[False], _COPULA_CHARS, self._share,
            )
            return fills
        rows = len(matrix.holds)
        held = np.zeros(rows, np.float64)
        copula = np.zeros(rows, np.bool_)
        codes = np.minimum(matrix.codes, _BMP - 1)
        for (word, new_after), at in zip(self._sides, matrix.also_at, strict=True):
            at_row = matrix.rows_at(at)
            after = at + len(word)
            if new_after:  # 「主题是」「主题：」
                next_ok = after < len(codes)
                marked = _COPULA_CHARS[codes[np.minimum(after, len(codes) - 1)]] & next_ok
                marked &= matrix.rows_at(after) == at_row
                copula[at_row[marked]] = True
            beside = after if new_after else at - 2
            ok = (beside >= 0) & (beside + 2 <= len(codes))
            at_row, beside = at_row[ok], beside[ok]
            blocked = _BLOCKS[new_after]
            filled = (
                ~blocked[codes[beside]]
                & ~blocked[codes[beside + 1]]
                & (matrix.rows_at(beside) == at_row)
                & (matrix.rows_at(beside + 1) == at_row)
            )
            held[np.unique(at_row[filled])] += 1
        held[matrix.asking] = 0.0
        copula &= ~matrix.asking
        return (
            np.maximum.reduceat(held * self._share, matrix.starts),
            np.logical_or.reduceat(copula, matrix.starts),
        )

    def best_fill(self, text: str) -> tuple[float, bool]:
        """The best `self(sentence)` among the sentences of `text` that do not ask (end in a
        question mark: a headline or an interviewer restating the question), and whether one
        of them has the `copula`.

        Tested on the whole text first: a text where nothing fills the slot, or with no
        question mark and at most one slot word filled, needs no cutting into sentences.
        """
        filled = [self._filled(text, word, side) for word, side in self._sides]
        copula = self.copula(text)
        if not any(filled) and not copula:
            return 0.0, False
        if sum(filled) < 2 and "?" not in text and "？" not in text:
            return sum(filled) * self._share, copula
        share, copula = 0.0, False
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            if not asks(sentence):
                share = max(share, self(sentence))
                copula = copula or self.copula(sentence)
        return share, copula

    def copula(self, sentence: str) -> bool:
        """True when the word before the question word is followed by 是, 为 or a colon."""
        return any(copula in sentence for copula in self._copulas)

    def __call__(self, sentence: str) -> float:
        """The share of the question's slot words that stand next to new text in `sentence`."""
        held = sum(self._filled(sentence, word, side) for word, side in self._sides)
        return held * self._share

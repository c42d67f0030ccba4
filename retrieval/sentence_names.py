"""Who a sentence names where jieba cuts or tags the name wrongly: a person after a title
(「发言人 速恩山」「部长 黄润 秋」「院长 刘 小利」), a full name, a name its HMM made up, an
organisation's name ending in its word. The candidates of `retrieval.answer_candidates` for
a 谁 or 哪里 question are read with these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import rjieba

from retrieval.text import word_set

#: Tags of the words a name may be made of (「亚庆 农牧 科技 有限责任 公司」).
NAME_PARTS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "l", "eng", "ng"})
#: jieba's tags of a person's name.
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
#: A person's Latin name as the candidates hold it (lowercase words joined by a space).
_LATIN_NAME = re.compile(r"[a-z]+ [a-z]+")
#: A Chinese full name's length as jieba tags one person (surname and given name).
FULL_NAME = 3
#: Titles a person's name follows (「发言人速恩山」, 「律师丁金坤」).
TITLES = word_set(
    "发言人 律师 记者 教授 主任 书记 主席 院长 局长 部长 总裁 经理 董事长 总经理 市长 县长 "
    "省长 区长 医生 专家 研究员 博士 老师 教练 主教练 队长 创始人 负责人 首相 总统 总理 大使 "
    "议员 法官 检察官 民警 警官 演员 导演 作家 选手 运动员 执行官 社长 董事 秘书长 会长 行长 "
    "厅长 司长 处长 所长 校长 团长 馆长 总监 制片人 编剧 制作人 主持人 歌手 球员 理事长 "
    "委员 代表 分析师 科学家 首席科学家 工程师 设计师 建筑师 雕塑家 画家 艺术家 主编 总编辑"
)
#: A title's last word as jieba cuts it (「区委书记」「首席执行官」 end in one of `TITLES`).
TITLE_ENDS = tuple(TITLES)
#: Verbs of saying that follow a title where no name stands between (「书记介绍」).
_SAYING = word_set("表示 介绍 说 指出 强调 认为 称 透露 回应 坦言 说明 提出 要求")
#: Characters jieba glues to the end of a name (「张广 是」「李明 说」).
_GLUED_AFTER = frozenset("是说的在和与")
#: Tags of a character that does not end a name after a title (「书记 张三 在」).
_NOT_A_NAMES_END = frozenset({"p", "d", "c", "u", "uj", "ul", "m", "x", "f", "v", "r", "q"})


def unknown_name(word: str) -> bool:
    """True for two to four Chinese characters jieba's dictionary lacks: a name its HMM made."""
    return 2 <= len(word) <= 4 and _HAN_ONLY.fullmatch(word) is not None and not rjieba.has_word(
        word
    )


def is_person(name: str) -> bool:
    """True for a candidate that is one person's full name: three characters jieba tags as
    one (「游庆辉」) or as a surname and a given name (「史 志军」), or two Latin words
    (「jan hatzius」). (Its two-character "people" are as
    often a company's first word: 「宁德 时代」.)"""
    if _LATIN_NAME.fullmatch(name):
        return True
    tagged = rjieba.tag(name)
    if len(name) != FULL_NAME or not _HAN_ONLY.fullmatch(name):
        return False
    # 「游庆辉」 tagged one name, or 「史 志军」: a surname and a given name jieba cut apart
    return (len(tagged) == 1 and tagged[0][1] in PERSON_TAGS) or (
        len(tagged) == 2 and tagged[0][1] in ("nr", "zg") and len(tagged[0][0]) == 1
        and not rjieba.has_word(name) and tagged[1][0][-1] not in _GLUED_AFTER
    )


def name_after_title(tagged: Sequence[tuple[str, str]], start: int) -> str:
    """The name starting at `start`, right after a title, in pieces jieba cut apart: a
    surname and its given name (「邹 劲松」: two or three characters), or Latin words
    (「rebecca rumbul」); "" when none starts there."""
    if start >= len(tagged):
        return ""
    word, tag = tagged[start]
    if tag == "eng":
        words = [word]
        for piece, piece_tag in tagged[start + 1 : start + 4]:
            if piece_tag == "eng":
                words.append(piece)
            elif piece.strip():
                break
        return " ".join(words) if len(words) > 1 or len(word) > 2 else ""
    if start + 1 >= len(tagged):
        return ""
    if len(word) == 2 and tag in ("n", "nr", "ns", "nrt"):
        # 「部长 黄润 秋 今天」: a name the segmenter cut after its second character
        last, last_tag = tagged[start + 1]
        if len(last) == 1 and _HAN_ONLY.fullmatch(last) and last_tag not in _NOT_A_NAMES_END:
            return word + last
        return ""
    if tag not in PERSON_TAGS | {"zg"} or len(word) != 1:
        return ""  # 「院长 刘 小利」: jieba tags the surname a bound morpheme
    given, given_tag = tagged[start + 1]
    if (
        1 <= len(given) <= 2 and _HAN_ONLY.fullmatch(given) and given not in _SAYING
        and given_tag not in ("p", "d", "c", "u", "uj", "m", "x", "f")
    ):
        return word + given
    return ""


def name_before(tagged: Sequence[tuple[str, str]], end: int) -> str:
    """The name ending with the word at `end`: it and the name-like words right before it."""
    start = end
    while start > 0 and end - start < 4 and tagged[start - 1][1] in NAME_PARTS:
        start -= 1
    return "".join(word for word, _ in tagged[start : end + 1])

"""Text shapes of a printed newspaper page: sentence ends, bylines, leads, headline spacing.

Shared by the text-page parser and the PDF reader. Everything here looks at one string and
says what it is or returns it tidied; nothing here knows about blocks or articles.
"""

from __future__ import annotations

import re

from retrieval.text import HAN, find_date

# Punctuation that ends a sentence, optionally followed by closing quotes or brackets.
SENTENCE_END = re.compile(r"[。！？!?…](?:[”’」』》）)\"']*)$")
# A parenthesised note after a finished sentence, e.g. "…。（完）" or "…。（记者 张三）".
NOTE_AFTER_END = re.compile(r"[。！？!?…][”’」』]*[（(][^（）()]{1,40}[）)]$")
# Punctuation that only occurs inside running text; headlines use spaces instead.
SENTENCE_MARKS = re.compile(r"[。！？；…，、!?;]")
_NUMERAL = "一二三四五六七八九十"
# A leading enumerator ("一、", "（二）", "3.") is allowed in a heading despite its "、".
ENUMERATOR = re.compile(rf"^(?:[{_NUMERAL}]+、|[（(][{_NUMERAL}\d]+[）)]|\d+[.、])")

# A byline role word; "本报" and rank prefixes are part of the role.
_ROLE = (
    r"(?:本报|本刊)?(?:全媒体|融媒体|新媒体|特约|见习|实习|首席)?"
    r"(?:记者|通讯员|实习生|摄影记者|摄影|作者|[文图][/／][文图]|[文图](?=[/／]))"
)
_NAME = rf"[{HAN}·]{{2,5}}?"
_PERSON = rf"(?:{_ROLE}\s*[:：/／]?\s*)?{_NAME}"
# 「■ 记者 张清」「文/图 王五」「本报记者 孙丽 通讯员 赵一」「记者 刘洋 摄」, optionally 报道.
BYLINE = re.compile(
    rf"^(?P<mark>[■□●◆◇▲△★☆▼])?\s*(?P<who>{_ROLE}(?:\s*[:：/／]\s*|\s+){_NAME}"
    rf"(?:\s*[、，,]?\s*{_PERSON})*)\s*(?P<photo>摄)?(?:\s*报道)?$"
)
# A photo credit printed at the end of a caption: 「…。记者 刘洋 摄」「（图片来源：新华社）」.
INLINE_CREDIT = re.compile(
    rf"\s*[（(]?(?P<credit>{_ROLE}\s*[:：]?\s*{_NAME}(?:\s+{_PERSON})*\s*摄|"
    r"(?:图片来源|图片提供|供图|图源)[:：][^（）()]{1,30})[）)]?$"
)
CAPTION_START = re.compile(r"^\s*(?:图为|上图|下图|左图|右图|图[一二三四1-4][：:])")
# A news lead: 本报讯, 本报6月10日讯, 新华社北京6月10日电, optionally with (记者 …).
LEAD = re.compile(
    rf"^(?:本报讯|本报[{HAN}\d]{{1,12}}讯|[{HAN}]{{1,6}}社[{HAN}\d]{{0,12}}电)"
    r"\s*(?:[（(](?P<who>[^（）()]{1,40})[）)])?"
)
# "…。（记者 张三）" closing the last paragraph: a byline printed after the body (not an
# author's note such as 「（作者单位：…）」, which stays in the text).
TRAILING_BYLINE = re.compile(
    r"[（(](?P<who>[^（）()]*(?:记者|通讯员|作者[:：])[^（）()]*)[）)]$"
)
FULL_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
)
PAGE_NUMBER = re.compile(r"第\s*(?P<n>[A-Z]?\d{1,3})\s*版")
# 「（下转第2版）」「（上接第1版）」: an article continued on another page of the edition.
JUMP_TO = re.compile(r"[（(]\s*下转(?:第\s*)?(?P<n>[A-Z]?\d{1,3})\s*版?\s*[）)]")
JUMP_FROM = re.compile(r"[（(]\s*(?:上接|紧接)(?:第\s*)?(?P<n>[A-Z]?\d{1,3})\s*版?\s*[）)]")
DASH_PREFIX = re.compile(r"^[—－\-~～]{1,3}\s*")
# Common surnames: a line holding only one of these plus a given name is a byline (a theory
# or opinion page prints the author's name alone next to the headline).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)


def ends_sentence(text: str) -> bool:
    """True when text ends a sentence (。！？…, maybe closed by quotes or a note like （完））."""
    text = text.rstrip()
    return bool(SENTENCE_END.search(text) or NOTE_AFTER_END.search(text))


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines: no separator, except a space between two Latin words."""
    out = ""
    for line in (line.strip() for line in lines):
        if out and line and re.match(r"[A-Za-z]", line) and re.search(r"[A-Za-z]$", out):
            out += " "
        out += line
    return out


def normalise_body(text: str) -> str:
    """Drop layout spaces next to CJK text ("6月 9日", "将 成 为"); keep "10 GW", "Hello World"."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def unspace(line: str) -> str:
    """Close letter-spacing ("要 闻 速 递" → "要闻速递"): justified lines and spaced-out
    headlines put a space between every character, which is layout, not text."""
    line = re.sub(r"\s+", " ", line).strip()
    return re.sub(r"(?<!\S)\S(?: \S(?!\S)){2,}", lambda m: m.group().replace(" ", ""), line)


def normalise_headline(line: str) -> str:
    """Tidy a headline line but keep the single spaces that separate its phrases.

    Letter-spaced runs and spaces splitting a number from its unit or a date ("6月 9日") are
    layout artefacts and go; other spaces collapse to one.
    """
    line = unspace(line)
    line = re.sub(r"(?<=\d) (?=[年月日号时点分秒万亿元%％])", "", line)
    return re.sub(r"(?<=\d月) (?=\d{1,2}日)", "", line)


def display_width(text: str) -> float:
    """Width in CJK-character units: Latin letters and digits take half a cell."""
    return sum(0.5 if ord(char) < 0x80 else 1.0 for char in text)


def byline_author(line: str) -> str:
    """Byline text without marker, photo mark or 报道: "■ 记者 张清" → "记者 张清"."""
    line = unspace(line)
    match = BYLINE.match(line)
    if match is None:  # a bare name: 「李 明」 is 李明
        return re.sub(r"\s+", "", line)
    return tidy_author(match["who"])


def tidy_author(who: str) -> str:
    """A byline's people with single spaces, also where a line break ate the space before a
    role word (「记者 孙丽通讯员 赵一」)."""
    who = re.sub(r"\s+", " ", who).strip()
    who = re.sub(rf"(?<=[{HAN}])(?<!本报)(?<!媒体)(?<!摄影)(?=通讯员|实习生|记者)", " ", who)
    return re.sub(rf"(通讯员|实习生|记者)(?=[{HAN}])", r"\1 ", who)


def is_byline(line: str) -> re.Match[str] | None:
    """The byline match of a one-line block, letter-spacing closed first."""
    return BYLINE.match(unspace(line))


def is_bare_name(line: str) -> bool:
    """A line that is only a person's name (2–4 characters, a common surname first)."""
    name = re.sub(r"\s+", "", line)
    return bool(re.fullmatch(rf"[{HAN}]{{2,4}}", name)) and name[0] in _SURNAMES


def iso_date(text: str) -> str:
    """The first full date printed in text (年, 月 and 日 all written), as ISO 8601, or ''."""
    match = FULL_DATE.search(text)
    return find_date(match.group(0)) if match else ""


def _bigrams(text: str) -> set[str]:
    text = re.sub(rf"[^{HAN}]", "", text)
    return {text[k : k + 2] for k in range(len(text) - 1)}


def overlap(headline: str, text: str) -> float:
    """Share of a headline's character pairs found in a text: headlines repeat their story."""
    pairs = _bigrams(headline)
    return len(pairs & _bigrams(text)) / len(pairs) if pairs else 0.0

"""Blocks of a newspaper page and what each one is: body, headline, byline, brief, furniture.

A block is a paragraph fragment or a headline part: a run of non-blank lines in a text page,
or a run of same-size lines in a PDF. It is classified from its own text (sentence
punctuation, line count, byline and lead markers, slogan and furniture shapes) and, for PDF
blocks, from its font size relative to the page's body text. The page's masthead (paper name,
date, 第N版) is read from the furniture blocks, which never become article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from retrieval.sources.page_text import (
    ENUMERATOR,
    FULL_DATE,
    LEAD,
    PAGE_NUMBER,
    SENTENCE_MARKS,
    display_width,
    ends_sentence,
    is_bare_name,
    is_byline,
    iso_date,
    join_lines,
    normalise_body,
    overlap,
    unspace,
)
from retrieval.text import HAN

_HEADLINE_MAX_LINES = 4
# A PDF line this much larger than the page's body text is headline type.
HEADLINE_SIZE_RATIO = 1.15
_EDITOR_CREDIT = re.compile(
    r"^(?:本版)?(?:责任编辑|责编|编辑|校对|美编|版式|设计|组版|审读|值班主任|视觉|制图|图片编辑)"
    r"\s*[：:/／]"
)
_DATELINE = re.compile(rf"^\s*{FULL_DATE.pattern}[\s{HAN}\d]{{0,20}}$")
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")
_PAGE_MARK = re.compile(r"^(?:[-—－]\s*)?(?:[A-Z]?\d{1,3}|第\s*[A-Z]?\d{1,3}\s*版)(?:\s*[-—－])?$")
_PAPER = re.compile(
    rf"^(?!本报)[{HAN}]{{1,8}}(?:日报|晚报|早报|时报|商报|晨报|都市报|周刊|周报|报)$"
)
_PHONE = re.compile(r"\d{3,4}[-－]\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)|热线[:：]?\s*\d{5,}")
_BOX_WORDS = re.compile(r"扫码|扫一扫|二维码|公众号|订阅|订购")
_TEMPERATURE = re.compile(r"-?\d{1,2}\s*(?:℃|°C)")
_GOES_ON = re.compile(r"[，、。；：！？）」”]")  # a block that starts mid-sentence
_BRIEF_MARK = re.compile(r"^[■●◆▲★]\s*")
_BRIEF_BRACKET = re.compile(r"^【(?P<title>[^】]{2,30})】\s*(?P<rest>.*)$")


class Kind(Enum):
    """What a block is on the page."""

    BODY = "body"
    HEADLINE = "headline"
    BYLINE = "byline"
    PHOTO_CREDIT = "photo_credit"
    BRIEF = "brief"
    JUMP = "jump"  # a parenthesised note line: jump line or author note
    DATELINE = "dateline"
    DROP = "drop"


@dataclass
class Block:
    """One paragraph fragment or headline part, with where it sits when that is known.

    `size` is the font size relative to the page's body text (0 when unknown, as in text
    pages); `bbox` is (x0, top, x1, bottom) in PDF points, or None; `first_line` is the line
    number in a text page; `band` is the page-wide horizontal strip of a PDF page the block
    lies in (-1 when unknown): stories stacked on a page sit in different strips.
    """

    lines: list[str]
    kind: Kind = Kind.BODY
    size: float = 0.0
    bbox: tuple[float, float, float, float] | None = None
    first_line: int = 0
    band: int = -1

    @property
    def raw(self) -> str:
        """The lines joined the way wrapped body lines are joined, not yet normalised."""
        return join_lines(self.lines)

    @property
    def width(self) -> float:
        """Widest line, in CJK-character units; a proxy for the column the block sits in."""
        if self.bbox is not None and self.size:
            return round(self.bbox[2] - self.bbox[0])
        return max(display_width(normalise_body(line)) for line in self.lines)

    @property
    def lead(self) -> re.Match[str] | None:
        """The news lead (本报讯…) the block starts with, if any."""
        return LEAD.match(re.sub(r"\s+", " ", self.raw.strip()))

    @property
    def content(self) -> bool:
        """Does the block carry article content (not furniture)?"""
        return self.kind not in (Kind.DROP, Kind.DATELINE)


@dataclass
class PageInfo:
    """What the page's furniture says: the paper's name, the page date (ISO) and page number."""

    name: str = ""
    date: str = ""
    page: str = ""


def split_blocks(text: str) -> list[Block]:
    """Cut a text page into blocks of non-blank lines.

    Besides blank lines, two things end a block: an indented line right after a finished
    sentence (the extractor glued two text frames together without a blank line), and a
    byline line heading a block (it belongs to the article, not to the first paragraph).
    """
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append(Block(current, first_line=start))
            current = []
            continue
        indented = raw[:1].isspace()
        if current and (
            (indented and ends_sentence(current[-1]))
            or (len(current) == 1 and is_byline(current[0]))
        ):
            blocks.append(Block(current, first_line=start))
            current = []
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(Block(current, first_line=start))
    return blocks


def classify(block: Block) -> Kind:
    """Classify one block from its own text (and font size, when known)."""
    lines = block.lines
    text = " ".join(lines)
    flat = unspace(text)
    if is_furniture(lines):
        return Kind.DROP
    if len(lines) == 1 and _DATELINE.match(text) and not SENTENCE_MARKS.search(text):
        return Kind.DATELINE
    if len(lines) == 1 and re.fullmatch(r"[（(][^（）()]{2,40}[）)]", flat.replace(" ", "")):
        return Kind.JUMP  # a note: 「（下转第2版）」「（上接第1版）」「（作者单位：…）」
    if len(lines) == 1 and (match := is_byline(text)):
        return Kind.PHOTO_CREDIT if match["photo"] else Kind.BYLINE
    if is_vertical(lines):
        return Kind.HEADLINE
    if is_slogan(lines):
        return Kind.DROP
    if brief_parts(lines) is not None:
        return Kind.BRIEF
    if block.size >= HEADLINE_SIZE_RATIO and len(lines) <= _HEADLINE_MAX_LINES * 2:
        return Kind.HEADLINE
    if block.size and block.size < HEADLINE_SIZE_RATIO and len(lines) > 1:
        return Kind.BODY  # body-size type over several lines is running text
    if is_headline_like(lines):
        return Kind.HEADLINE
    return Kind.BODY


def is_furniture(lines: list[str]) -> bool:
    """Header/footer, editor credits, page numbers, ads, QR-code and weather boxes."""
    text = unspace(" ".join(lines))
    if len(lines) <= 2 and _EDITOR_CREDIT.match(text):
        return True
    if len(lines) == 1 and _PAGE_MARK.match(text):
        return True
    if len(lines) <= 2 and is_header(text):
        return True
    if len(lines) <= 8 and not ends_sentence(text) and LEAD.match(text) is None:
        if _PHONE.search(text) or any(line.strip() == "广告" for line in lines):
            return True  # an ad: a phone number, or the 广告 label
        if 2 <= len(lines) <= 4 and _BOX_WORDS.search(text):
            return True  # a QR-code or subscription box
        if len(lines) <= 4 and _TEMPERATURE.search(text) and len(text.split()) >= 2:
            return True  # a weather box
    return False


def is_header(text: str) -> bool:
    """A page header or footer line: paper name, date, 星期, 第N版, section name."""
    if len(text) > 60 or re.search(r"[。！？；，]", text):
        return False
    has_page = PAGE_NUMBER.search(text) is not None
    has_date = FULL_DATE.search(text) is not None
    has_paper = any(_PAPER.match(word) for word in text.split())
    return has_page or (has_date and (bool(_WEEKDAY.search(text)) or has_paper))


def is_masthead(block: Block) -> bool:
    """The paper's name alone (江城晚报), as printed at the top of a page."""
    return len(block.lines) == 1 and bool(_PAPER.match(unspace(block.lines[0]).replace(" ", "")))


def page_info(blocks: list[Block]) -> PageInfo:
    """Paper name, date and page number from the page's furniture, masthead and dateline."""
    info = PageInfo()
    for block in blocks:
        if block.content:
            continue
        text = unspace(" ".join(block.lines))
        info.date = info.date or iso_date(text)
        if not info.page and (match := PAGE_NUMBER.search(text)):
            info.page = match["n"]
        if not info.name:
            info.name = next((w for w in text.split() if _PAPER.match(w)), "")
        if not info.name and is_header(text) and FULL_DATE.search(text):
            first = text.split()[0]  # 「理论周刊 2023年10月10日 第9版」: the name leads
            if re.fullmatch(rf"[{HAN}]{{2,10}}", first) and not FULL_DATE.search(first):
                info.name = first
    return info


def is_slogan(lines: list[str]) -> bool:
    """A box of space-separated short words (富强 民主 文明 和谐): no sentence, no story.

    Headlines may hold two phrases separated by a space, so it takes at least three words
    of two to four characters each, on every line, to call a block a slogan (one-character
    words are a letter-spaced line, not a slogan).
    """
    for line in lines:
        words = line.split()
        if len(words) < 3 or any(not 2 <= len(word) <= 4 for word in words):
            return False
        if SENTENCE_MARKS.search(line):
            return False
    return True


def is_vertical(lines: list[str]) -> bool:
    """A headline set vertically: one character per line, several lines."""
    return len(lines) >= 3 and all(len(line.replace(" ", "")) == 1 for line in lines)


def is_headline_like(lines: list[str]) -> bool:
    """Few lines and no running-text punctuation: a headline part or a section heading.

    Chinese headlines separate phrases with spaces rather than commas, so any comma, enumeration
    comma or sentence end marks running text.
    """
    if len(lines) > _HEADLINE_MAX_LINES:
        return False
    return not any(SENTENCE_MARKS.search(ENUMERATOR.sub("", line)) for line in lines)


def is_heading_shape(lines: list[str]) -> bool:
    """A one-line section heading: "主题：说明", 【…】, or an enumerated line.

    A colon at the very end marks a kicker ("某某银行：") instead, so it does not count.
    """
    if len(lines) != 1:
        return False
    line = lines[0]
    colon = re.search(r"[：:]", line)
    if colon and colon.end() < len(line):
        return True
    return bool(re.fullmatch(r"[【〖\[].+[】〗\]]", line) or ENUMERATOR.match(line))


def brief_parts(lines: list[str]) -> tuple[str, list[str]] | None:
    """(title, body lines) of a briefs-column item: 「■ 标题 正文…」 or 「【标题】正文…」.

    A marker followed by a short phrase without punctuation (then a space or a line break)
    is an item's title; an item may also be a title alone, its text in the next block.
    """
    first = lines[0].strip()
    if bracket := _BRIEF_BRACKET.match(first):
        rest = [bracket["rest"], *lines[1:]] if bracket["rest"] else lines[1:]
        if not rest:
            return None  # 【…】 alone on its line is a section heading
        return bracket["title"].strip(), rest
    mark = _BRIEF_MARK.match(first)
    if mark is None or is_byline(first):
        return None
    head = first[mark.end() :]
    if len(lines) > 1 and not SENTENCE_MARKS.search(head) and len(head) <= 30:
        return head, lines[1:]
    words = head.split()
    cut = next((k for k, word in enumerate(words) if SENTENCE_MARKS.search(word)), len(words))
    if 0 < cut < len(words):  # the title runs up to the word where the text's sentence starts
        title = re.sub(r"(?<=\d) | (?=\d)", "", " ".join(words[:cut]))
        if len(title) <= 30:
            return title, [" ".join(words[cut:]), *lines[1:]]
    if not SENTENCE_MARKS.search(head) and len(head) <= 30:
        return head, lines[1:]
    return None


def is_name_byline(blocks: list[Block], i: int) -> bool:
    """A bare name line right next to a headline: the author of an opinion or theory piece."""
    block = blocks[i]
    if len(block.lines) != 1 or not is_bare_name(block.lines[0]):
        return False
    neighbours = [b for b in (blocks[i - 1] if i else None, _next(blocks, i)) if b is not None]
    return any(b.kind is Kind.HEADLINE for b in neighbours)


def _next(blocks: list[Block], i: int) -> Block | None:
    return blocks[i + 1] if i + 1 < len(blocks) else None


def classify_page(blocks: list[Block]) -> None:
    """Classify every block, then the shapes that need a neighbour: the masthead at the top
    and an author's bare name beside a headline."""
    for block in blocks:
        block.kind = classify(block)
    seen = 0
    for block in blocks:
        if not block.content:
            continue
        if seen < 3 and is_masthead(block):
            block.kind = Kind.DROP
        seen += 1
    for i, block in enumerate(blocks):
        if block.kind is Kind.HEADLINE and is_name_byline(blocks, i):
            block.kind = Kind.BYLINE
        elif block.kind is Kind.HEADLINE and is_column_fragment(blocks, i):
            block.kind = Kind.BODY


def is_column_fragment(blocks: list[Block], i: int) -> bool:
    """A line or two of running text cut off by a column break before any punctuation: the
    next block goes on with a comma, or (in a text page) the block is exactly as wide as the
    body column after it and shares no words with it, which a headline would."""
    block = blocks[i]
    if block.size or len(block.lines) > 2:
        return False
    nxt = _next(blocks, i)
    if nxt is not None and nxt.kind is Kind.BODY and _GOES_ON.match(nxt.lines[0]):
        return True  # the next column goes on mid-sentence
    if nxt is None or nxt.kind is not Kind.BODY or nxt.lead is not None or len(nxt.lines) < 2:
        return False
    column = max(display_width(normalise_body(line)) for line in nxt.lines)
    if any(abs(display_width(normalise_body(line)) - column) >= 0.6 for line in block.lines):
        return False
    # A headline as wide as the column still repeats the words of the story next to it.
    prev = blocks[i - 1] if i else None
    around = nxt.raw[:200] + (prev.raw[-200:] if prev is not None else "")
    return overlap(block.raw, around) < 0.15

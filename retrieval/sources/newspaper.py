"""Split the layout-extracted text of a printed newspaper page into its articles.

Text pulled out of a page layout is not an article file. Every line is hard-wrapped at the
column width (often mid-word), paragraphs are blocks separated by blank lines, a column
break shows up as a blank line in the middle of a sentence, and, in the layout this module
targets, an article's headline blocks come *after* its body. The page also carries things
that are not articles at all: slogan boxes, editor credits, dates.

The parser works block by block. Each block is classified from its own features (sentence
punctuation, line count, byline and lead markers, space-separated slogan words), then a small
state machine walks the blocks in reading order: body blocks open or extend an article,
headline blocks close the article above them, bylines attach to the article they belong to,
and a section heading inside a body becomes the `heading` of the paragraphs under it.
No rule names a particular paper; the rules are about the shapes of text on a page.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from enum import Enum

from retrieval.models import Article, Paragraph

__all__ = ["looks_like_page", "parse_page"]

# Punctuation that ends a sentence, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[。！？!?…](?:[”’」』》）)\"']*)$")
# A parenthesised note after a finished sentence, e.g. "…。（完）" or "…。（记者 张三）".
_NOTE_AFTER_END = re.compile(r"[。！？!?…][”’」』]*[（(][^（）()]{1,40}[）)]$")
# Punctuation that only occurs inside running text; headlines use spaces instead.
_SENTENCE_MARKS = re.compile(r"[。！？；…，、!?;]")
# A leading enumerator ("一、", "（二）", "3.") is allowed in a heading despite its "、".
_NUMERAL = "一二三四五六七八九十"
_ENUMERATOR = re.compile(rf"^(?:[{_NUMERAL}]+、|[（(][{_NUMERAL}\d]+[）)]|\d+[.、])")

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A byline role word; "本报" and rank prefixes are part of the role.
_ROLE = r"(?:本报)?(?:特约|见习|实习|首席)?(?:记者|通讯员|实习生|摄影|[文图][/／][文图])"
_NAME = rf"[{_CJK}·]{{2,5}}?"
_BYLINE = re.compile(
    rf"^(?P<mark>[■□●◆◇▲△★☆▼])?\s*(?P<who>{_ROLE}(?:\s*[:：]\s*|\s+){_NAME}"
    rf"(?:\s+(?:{_ROLE}\s+)?{_NAME})*)(?P<photo>\s*摄)?$"
)
# A news lead: 本报讯, 本报6月10日讯, 新华社北京6月10日电, optionally with (记者 …).
_LEAD = re.compile(
    rf"^(?:本报讯|本报[{_CJK}\d]{{1,12}}讯|[{_CJK}]{{1,6}}社[{_CJK}\d]{{0,12}}电)"
    r"\s*(?:[（(](?P<who>[^（）()]{1,40})[）)])?"
)
# "…。（记者 张三）" closing the last paragraph: a byline printed after the body.
_TRAILING_BYLINE = re.compile(r"[（(](?P<who>[^（）()]*(?:记者|通讯员)[^（）()]*)[）)]$")
_FURNITURE = re.compile(r"^(?:责任编辑|编辑|校对|美编|版式|设计|组版|审读|值班主任)\s*[：:]")
_FULL_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATELINE = re.compile(rf"^\s*{_FULL_DATE.pattern}[\s{_CJK}\d]{{0,20}}$")
_DASH_PREFIX = re.compile(r"^[—－\-~～]{1,3}\s*")

_DERIVED_TITLE_MAX = 30
_HEADLINE_MAX_LINES = 4
# Body blocks of one article share a column, so their widths agree to within this much.
_WIDTH_TOLERANCE = 2.5


class _Kind(Enum):
    """What a block of text is on the page."""

    BODY = "body"
    HEADLINE = "headline"
    BYLINE = "byline"
    PHOTO_CREDIT = "photo_credit"
    DATELINE = "dateline"
    DROP = "drop"


@dataclass
class _Block:
    """A run of non-blank lines, i.e. one paragraph fragment or one headline part."""

    lines: list[str]
    kind: _Kind = _Kind.BODY

    @property
    def raw(self) -> str:
        """The lines joined the way wrapped body lines are joined, not yet normalised."""
        return _join_lines(self.lines)

    @property
    def width(self) -> float:
        """Widest line, in CJK-character units; a proxy for the column the block sits in."""
        return max(_display_width(_normalise_body(line)) for line in self.lines)

    @property
    def lead(self) -> re.Match[str] | None:
        """The news lead (本报讯…) the block starts with, if any."""
        return _LEAD.match(re.sub(r"\s+", " ", self.raw.strip()))


@dataclass
class _Draft:
    """An article being assembled while walking the page."""

    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (text, heading)
    headline: list[list[str]] = field(default_factory=list)  # headline blocks, in order
    widths: list[float] = field(default_factory=list)
    author: str = ""
    heading: str = ""

    @property
    def is_open(self) -> bool:
        """True when the last paragraph stops mid-sentence, i.e. a column break follows."""
        return bool(self.paragraphs) and not _ends_sentence(self.paragraphs[-1][0])

    @property
    def width(self) -> float:
        """Typical body width of the article, to tell its own headings from the next story."""
        return statistics.median(self.widths) if self.widths else 0.0


# --------------------------------------------------------------------------- public API


def parse_page(text: str, *, source: str = "", page_id: str = "page") -> list[Article]:
    """Split one page's text into articles in reading order."""
    blocks = [_Block(lines) for lines in _split_blocks(text)]
    for block in blocks:
        block.kind = _classify(block.lines)
    drafts = _assemble(blocks)
    date = _page_date(blocks)
    return [
        _to_article(draft, f"{page_id}-{n}", source=source, date=date)
        for n, draft in enumerate(drafts, start=1)
    ]


def looks_like_page(text: str) -> bool:
    """True when text looks like a layout-extracted newspaper page (hard-wrapped short lines,
    blocks separated by blank lines), as opposed to a plain article file."""
    lines = [line.strip() for line in text.splitlines()]
    filled = [line for line in lines if line]
    blanks = len(lines) - len(filled)
    if len(filled) < 8 or blanks < 2:
        return False
    widths = [_display_width(_normalise_body(line)) for line in filled]
    # Hard wrapping leaves most lines short and stopping mid-sentence; an article file has
    # one long line per paragraph, each ending in sentence punctuation.
    mid_sentence = sum(not _ends_sentence(line) for line in filled) / len(filled)
    return statistics.median(widths) <= 30 and mid_sentence >= 0.4


# --------------------------------------------------------------------------- blocks


def _split_blocks(text: str) -> list[list[str]]:
    """Cut the page into blocks of non-blank lines.

    Besides blank lines, two things end a block: an indented line right after a finished
    sentence (the extractor glued two text frames together without a blank line), and a
    byline line heading a block (it belongs to the article, not to the first paragraph).
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if current:
                blocks.append(current)
            current = []
            continue
        indented = raw[:1].isspace()
        if current and (
            (indented and _ends_sentence(current[-1]))
            or (len(current) == 1 and _BYLINE.match(current[0]))
        ):
            blocks.append(current)
            current = []
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _classify(lines: list[str]) -> _Kind:
    """Classify one block from its own text, without looking at its neighbours."""
    text = " ".join(lines)
    if len(lines) == 1 and _FURNITURE.match(text):
        return _Kind.DROP
    if len(lines) == 1 and _DATELINE.match(text) and not _SENTENCE_MARKS.search(text):
        return _Kind.DATELINE
    if len(lines) == 1 and (match := _BYLINE.match(text)):
        return _Kind.PHOTO_CREDIT if match["photo"] else _Kind.BYLINE
    if _is_slogan(lines):
        return _Kind.DROP
    if _is_headline_like(lines):
        return _Kind.HEADLINE
    return _Kind.BODY


def _is_slogan(lines: list[str]) -> bool:
    """A box of space-separated short words (富强 民主 文明 和谐): no sentence, no story.

    Headlines may hold two phrases separated by a space, so it takes at least three words
    of at most four characters each, on every line, to call a block a slogan.
    """
    for line in lines:
        words = line.split()
        if len(words) < 3 or any(len(word) > 4 for word in words):
            return False
        if _SENTENCE_MARKS.search(line):
            return False
    return True


def _is_headline_like(lines: list[str]) -> bool:
    """Few lines and no running-text punctuation: a headline part or a section heading.

    Chinese headlines separate phrases with spaces rather than commas, so any comma, enumeration
    comma or sentence end marks running text.
    """
    if len(lines) > _HEADLINE_MAX_LINES:
        return False
    return not any(_SENTENCE_MARKS.search(_ENUMERATOR.sub("", line)) for line in lines)


def _is_heading_shape(lines: list[str]) -> bool:
    """A one-line section heading: "主题：说明", 【…】, or an enumerated line.

    A colon at the very end marks a kicker ("某某银行：") instead, so it does not count.
    """
    if len(lines) != 1:
        return False
    line = lines[0]
    colon = re.search(r"[：:]", line)
    if colon and colon.end() < len(line):
        return True
    return bool(re.fullmatch(r"[【〖\[].+[】〗\]]", line) or _ENUMERATOR.match(line))


# --------------------------------------------------------------------------- assembly


def _assemble(blocks: list[_Block]) -> list[_Draft]:
    """Walk the classified blocks in reading order and group them into articles.

    Headlines follow their bodies here: a body block after a headline opens a new article,
    headline blocks attach to the body above them, and headline text with no body above it
    (a box label at the top of the page) is dropped.
    """
    done: list[_Draft] = []
    draft: _Draft | None = None
    pending_author = ""

    def close() -> None:
        nonlocal draft
        if draft is not None and draft.paragraphs:
            done.append(draft)
        draft = None

    for i, block in enumerate(blocks):
        kind = block.kind
        if kind in (_Kind.DROP, _Kind.DATELINE):
            continue
        lead = block.lead
        if (
            draft is not None
            and draft.is_open
            and not draft.headline
            and kind in (_Kind.BODY, _Kind.HEADLINE)
            and lead is None
        ):
            _continue_paragraph(draft, block)
        elif kind is _Kind.BODY:
            if draft is None or draft.headline or lead is not None:
                close()
                draft = _Draft(author=pending_author)
                pending_author = ""
            _add_paragraph(draft, block)
        elif kind is _Kind.HEADLINE:
            if draft is None or not draft.paragraphs:
                continue  # nothing above to title: a label, not an article
            if not draft.headline and _is_section_heading(block, blocks, i, draft):
                draft.heading = _normalise_headline(block.lines[0]).strip("【】〖〗[]")
            else:
                draft.headline.append([_normalise_headline(line) for line in block.lines])
        else:
            who = _byline_author(block.lines[0])
            if draft is not None and draft.paragraphs and _byline_trails(kind, blocks, i, draft):
                draft.author = draft.author or who
            else:
                close()
                pending_author = who
    close()
    return done


def _byline_trails(kind: _Kind, blocks: list[_Block], i: int, draft: _Draft) -> bool:
    """Does the byline at blocks[i] belong to the body above it rather than the one below?

    A photo credit (…摄) sits under its picture caption. A plain byline between an untitled
    body and that body's headline is a trailing byline too; anywhere else ("■ 记者 …" after
    a headline) it introduces the article that follows.
    """
    if kind is _Kind.PHOTO_CREDIT:
        return True
    if draft.headline:
        return False
    following = _next_kind(blocks, i)
    return following is _Kind.HEADLINE


def _is_section_heading(block: _Block, blocks: list[_Block], i: int, draft: _Draft) -> bool:
    """Is this headline-like block a heading inside the current body, not its headline?

    A heading is a single heading-shaped line between a finished paragraph and a body block
    of the same column width that is not the lead of a new story. A headline is instead
    followed by another headline part, a byline, or a body in a different column.
    """
    if not _is_heading_shape(block.lines) or draft.is_open:
        return False
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is None or nxt.kind is not _Kind.BODY or nxt.lead is not None:
        return False
    return abs(nxt.width - draft.width) <= _WIDTH_TOLERANCE


def _next_kind(blocks: list[_Block], i: int) -> _Kind | None:
    """Kind of the next block that carries content, skipping dropped ones."""
    for block in blocks[i + 1 :]:
        if block.kind not in (_Kind.DROP, _Kind.DATELINE):
            return block.kind
    return None


def _add_paragraph(draft: _Draft, block: _Block) -> None:
    """Start a new paragraph from a body block, lifting a news lead's byline out of it."""
    text = block.raw
    lead = block.lead
    if lead is not None:
        who = re.sub(r"\s+", " ", lead["who"] or "").strip()
        if who and not draft.author:
            draft.author = who
        text = re.sub(r"\s+", " ", text.strip())[lead.end() :]
    text = _lift_trailing_byline(draft, text)
    draft.paragraphs.append((_normalise_body(text), draft.heading))
    draft.widths.append(block.width)


def _continue_paragraph(draft: _Draft, block: _Block) -> None:
    """Glue a block onto the previous paragraph across a column break."""
    text, heading = draft.paragraphs[-1]
    text = _lift_trailing_byline(draft, _join_lines([text, block.raw]))
    draft.paragraphs[-1] = (_normalise_body(text), heading)
    draft.widths.append(block.width)


def _lift_trailing_byline(draft: _Draft, text: str) -> str:
    """Cut a "（记者 张三）" printed after a paragraph's last sentence; it is the byline.

    Done on the raw text, before normalisation removes the space inside the name.
    """
    text = text.rstrip()
    match = _TRAILING_BYLINE.search(text)
    if match is None or not _NOTE_AFTER_END.search(text):
        return text
    draft.author = draft.author or re.sub(r"\s+", " ", match["who"]).strip()
    return text[: match.start()]


# --------------------------------------------------------------------------- articles


def _to_article(draft: _Draft, article_id: str, *, source: str, date: str) -> Article:
    """Turn a finished draft into an Article, deriving a title when none was printed."""
    paragraphs = [Paragraph(text, heading) for text, heading in draft.paragraphs if text]
    kicker, title, subtitle = _headline_parts(draft.headline)
    if not title:
        title = _derive_title(paragraphs)
    return Article(
        id=article_id,
        title=title,
        paragraphs=paragraphs,
        kicker=kicker,
        subtitle=subtitle,
        author=draft.author,
        date=date,
        source=source,
    )


def _headline_parts(blocks: list[list[str]]) -> tuple[str, str, str]:
    """Assign headline blocks to (kicker, title, subtitle).

    Printed order is kicker, title, subtitle. A line starting with —— is always a subtitle,
    a lone first line ending in a colon is always a kicker. Of two remaining blocks, the one
    with more lines is the title (a long title wraps, kickers and subtitles rarely do); with
    three or more, the outer ones are kicker and subtitle.
    """
    subtitles: list[str] = []
    parts: list[list[str]] = []
    for block in blocks:
        kept = []
        for line in block:
            if _DASH_PREFIX.match(line) and line.startswith(("—", "－", "--")):
                subtitles.append(_DASH_PREFIX.sub("", line))
            else:
                kept.append(line)
        if kept:
            parts.append(kept)

    kicker = ""
    if parts and len(parts[0]) == 1 and re.search(r"[：:]$", parts[0][0]):
        kicker = parts.pop(0)[0].rstrip("：:").strip()
    title_parts: list[list[str]] = parts
    trailing: list[list[str]] = []
    if len(parts) == 2:
        first, second = parts
        if not kicker and len(first) < len(second):
            kicker, title_parts = " ".join(first), [second]
        else:
            title_parts, trailing = [first], [second]
    elif len(parts) >= 3:
        if not kicker:
            kicker, parts = " ".join(parts[0]), parts[1:]
        title_parts, trailing = parts[:-1], parts[-1:]
    title = " ".join(line for block in title_parts for line in block)
    subtitle = " ".join([line for block in trailing for line in block] + subtitles)
    if not title and subtitle:
        title, subtitle = subtitle, ""
    return kicker, title, subtitle


def _derive_title(paragraphs: list[Paragraph]) -> str:
    """Title an unheaded article (a commentary, a brief) with its opening sentence."""
    if not paragraphs:
        return "(untitled)"
    first = re.split(r"(?<=[。！？!?])", paragraphs[0].text, maxsplit=1)[0]
    first = first.rstrip("。！？!?，,；; ")
    if len(first) > _DERIVED_TITLE_MAX:
        first = first[: _DERIVED_TITLE_MAX - 1] + "…"
    return first or "(untitled)"


def _byline_author(line: str) -> str:
    """Byline text without marker or photo mark: "■ 记者 张清" → "记者 张清"."""
    match = _BYLINE.match(line)
    who = match["who"] if match else line
    return re.sub(r"\s+", " ", who).strip()


def _page_date(blocks: list[_Block]) -> str:
    """The page's date as ISO 8601, only when a full date is printed on its own line."""
    for block in blocks:
        if block.kind is _Kind.DATELINE and (match := _FULL_DATE.search(block.lines[0])):
            return f"{int(match['y']):04d}-{int(match['m']):02d}-{int(match['d']):02d}"
    return ""


# --------------------------------------------------------------------------- text


def _ends_sentence(text: str) -> bool:
    """True when text ends a sentence (。！？…, maybe closed by quotes or a note like （完））."""
    text = text.rstrip()
    return bool(_SENTENCE_END.search(text) or _NOTE_AFTER_END.search(text))


def _join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines: no separator, except a space between two Latin words."""
    out = ""
    for line in (line.strip() for line in lines):
        if out and line and re.match(r"[A-Za-z]", line) and re.search(r"[A-Za-z]$", out):
            out += " "
        out += line
    return out


def _normalise_body(text: str) -> str:
    """Drop layout spaces next to CJK text ("6月 9日", "将 成 为"); keep "10 GW", "Hello World"."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def _normalise_headline(line: str) -> str:
    """Tidy a headline line but keep the single spaces that separate its phrases.

    Letter-spaced runs ("要 闻 速 递") and spaces splitting a number from its unit or a
    date ("6月 9日") are layout artefacts and go; other spaces collapse to one.
    """
    line = re.sub(r"\s+", " ", line).strip()
    line = re.sub(r"(?<!\S)\S(?: \S(?!\S)){2,}", lambda m: m.group().replace(" ", ""), line)
    line = re.sub(r"(?<=\d) (?=[年月日号时点分秒万亿元%％])", "", line)
    return re.sub(r"(?<=\d月) (?=\d{1,2}日)", "", line)


def _display_width(text: str) -> float:
    """Width in CJK-character units: Latin letters and digits take half a cell."""
    return sum(0.5 if ord(char) < 0x80 else 1.0 for char in text)

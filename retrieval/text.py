"""Text rules shared by readers, passages, ranking and the tokenizer, each defined once.

* Character classes: which code points are Chinese ideographs (`HAN`), and between which
  characters a space is never meaningful in Chinese text (`_CJK`).
* Sentences: the marks that end one (`SENTENCE_END_MARKS`), and `split_sentences`.
* `clean_spacing` repairs what layout extraction does to Chinese text (stray spaces between
  CJK characters) without touching spaces that matter inside Latin or number runs.
* Dates: `find_date` (a date printed in running text), `iso_datetime` (a machine date in
  RFC 822 or ISO 8601, as feeds and pages carry them) and `date_span` (the days a year, a
  month or a day covers, for search filters and time questions alike).
* `derive_title`: the headline of an article that has none.
* `strip_controls` / `without_controls`: text with no terminal control characters (ESC
  sequences, OSC 52 clipboard writes, C1 controls), applied to every article as it is stored.

They live side by side so that a reader, the passage packer and the ranker can never disagree
about what a sentence or a Chinese character is.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import email.utils
import re

from retrieval.records import Article, Paragraph

#: Chinese ideographs (CJK Unified, Extension A, Compatibility), as a regex class body.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: What a 「号」 numbers when it is neither a day of the month nor part of a serial name:
#: 「3号隧道」「1号线」「2号机组」「5号车厢」「4号楼」「9号台风」「12号选手」 (a regex class body).
NUMBERED_BY_HAO = "线楼隧机组院门口桥馆厅房车道台站厢仓井坑床位窗塔泊码展球选队"
# CJK ideographs, CJK punctuation and full-width forms: the characters between which a space is
# never meaningful in Chinese text.
_CJK = rf"\u3000-\u303f{HAN}\uff00-\uffef\u201c\u201d\u2018\u2019"
_SPACE_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=\S)")
_SPACE_BEFORE_CJK = re.compile(rf"(?<=\S)[ \t\u00a0\u3000]+(?=[{_CJK}])")
_HAN_CHAR = re.compile(rf"[{HAN}]")
_HAN_ONLY = re.compile(rf"[{HAN}]+")
_RUNS_OF_SPACE = re.compile(r"[ \t\u00a0]{2,}")

#: Marks that end a sentence (an ellipsis `…` ends one too, see `split_sentences`).
SENTENCE_END_MARKS = "。！？!?；;"
ELLIPSIS = "…"
#: Closing quotes and brackets that belong to the sentence they follow.
CLOSING_MARKS = "”’」』）)]】\"'"
# A sentence ends at 。！？!?；; or an ellipsis, together with any closing quotes/brackets that
# follow it (「……。”」 ends after the quote). ASCII "." only ends a sentence before a space,
# so 3.5 and www.example.com stay whole.
# The leading lookahead only lets the scan skip ahead to a possible end at once.
_SENTENCE_END = re.compile(
    rf"(?=[{SENTENCE_END_MARKS}{ELLIPSIS}.])"
    rf"(?:[{SENTENCE_END_MARKS}]+|{ELLIPSIS}{{1,2}}|\.(?=\s))[{re.escape(CLOSING_MARKS)}]*"
)

#: 「原标题：…」: a reprint naming the headline it first ran under.
ORIGINAL_TITLE = re.compile(r"^\s*原标题[:：]\s*(.+?)(?:\s{2,}|$)")
_TITLE_MAX = 30
_CN_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")


def word_set(words: str) -> frozenset[str]:
    """The space-separated words of `words` (word lists read better as one line of text)."""
    return frozenset(words.split(" "))


def clean_spacing(text: str) -> str:
    """Remove spaces next to CJK characters and squeeze the rest.

    「6月 9日」 → 「6月9日」 and 「全市 2025 年」 → 「全市2025年」, while 「10 GW」 or "New York"
    keep their space, because there both neighbours are Latin letters or digits.
    """
    text = _SPACE_AFTER_CJK.sub("", text)
    text = _SPACE_BEFORE_CJK.sub("", text)
    return _RUNS_OF_SPACE.sub(" ", text).strip()


def has_cjk(text: str) -> bool:
    """True when the text contains at least one Chinese character."""
    return _HAN_CHAR.search(text) is not None


def is_han(text: str) -> bool:
    """True when `text` is non-empty and made of Chinese ideographs only."""
    return _HAN_ONLY.fullmatch(text) is not None


_NON_WORD = re.compile(r"\W+")
#: Closing quotes, brackets and spaces after a sentence's last mark.
_ASKING_TAIL = f"{CLOSING_MARKS} "


def asks(sentence: str) -> bool:
    """True for a sentence ending in a question mark (closing quotes aside): a headline or
    an interviewer asking what the reader asks restates the question without answering it."""
    return sentence.rstrip(_ASKING_TAIL).endswith(("？", "?"))


def word_head(text: str, n: int) -> str:
    """The first `n` word characters of `text` (punctuation and spaces left out).

    Only a head of the text is cleaned first: cleaning a whole passage to keep a few dozen
    characters of it costs more than the rest of a reprint check.
    """
    head = text[: n * 3 // 2]
    key = _NON_WORD.sub("", head)[:n]
    if len(key) < n and len(head) < len(text):
        key = _NON_WORD.sub("", text)[:n]
    return key


def find_all(text: str, needle: str) -> list[int]:
    """Every start of `needle` in `text`, overlapping matches included (plain `str.find`)."""
    out = []
    at = text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each keeping its end punctuation; whitespace-only parts dropped."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where `split_sentences` cuts `text`: `(start, end)` of each sentence, stripped.

    Offsets let a caller cut another string of the same length (the folded text) at the same
    places without splitting it again.
    """
    out: list[tuple[int, int]] = []
    start = 0
    for end in [*(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + len(piece) - len(piece.lstrip())
            out.append((first, first + len(stripped)))
        start = end
    return out


def derive_title(text: str) -> str:
    """A headline for an untitled text: 「原标题：…」 when present, else its first sentence."""
    found = ORIGINAL_TITLE.match(text)
    if found:
        text = found.group(1)
    sentences = split_sentences(text.strip())
    first = sentences[0] if sentences else text.strip()
    first = first.rstrip(SENTENCE_END_MARKS + ELLIPSIS)
    return first if len(first) <= _TITLE_MAX else first[: _TITLE_MAX - 1] + "…"


def find_date(text: str) -> str:
    """An ISO date printed in `text` (「2025年6月11日」, 2025-06-11), or ''."""
    found = _CN_DATE.search(text)
    if not found:
        return ""
    year, month, day = (int(g) for g in found.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def date_span(
    year: int, month: int | None = None, day: int | None = None
) -> tuple[str, str] | None:
    """The first and last ISO day of a year, a month or a day; None for an impossible date."""
    try:
        if month is None:
            return dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat()
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1).isoformat(), dt.date(year, month, last).isoformat()
        day_iso = dt.date(year, month, day).isoformat()
        return day_iso, day_iso
    except (ValueError, calendar.IllegalMonthError):
        return None


def iso_datetime(raw: str) -> str:
    """An ISO 8601 date or date-time from a machine-written date, keeping its UTC offset.

    A bare date stays a date; otherwise RFC 822 (RSS, HTTP) is tried, then RFC 3339/ISO
    (Atom, JSON Feed, page metadata). '' when the text is neither.
    """
    text = raw.strip()
    if len(text) == 10:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    if text:
        try:
            return email.utils.parsedate_to_datetime(text).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return dt.datetime.fromisoformat(text).isoformat()
        except ValueError:
            pass
    return ""


# C0 controls except tab and line breaks, DEL, C1 controls, and the bidi overrides that can make
# a terminal line read differently from what it holds.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# An escape sequence as a whole (CSI ... final byte, OSC ... BEL/ST, or ESC + one character), so
# that removing ESC does not leave its visible tail such as "[2J" or "]52;c;..." behind.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)


def strip_controls(text: str) -> str:
    """`text` without control characters a terminal would act on; tabs and line breaks stay.

    Article text comes from anyone (files, feeds, pages): an escape sequence in it could clear
    the operator's screen, retitle the window or write the clipboard (OSC 52) when printed.
    """
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _ESCAPE_SEQUENCE.sub("", text))


def without_controls(article: Article) -> Article:
    """The article with `strip_controls` applied to every text field (itself when clean)."""
    fields = ("id", "title", "kicker", "subtitle", "author", "date", "source", "url")
    values = {f: getattr(article, f) for f in fields}
    texts = [(p.text, p.heading) for p in article.paragraphs]
    if all(v.isprintable() for v in values.values()) and all(
        t.isprintable() and h.isprintable() for t, h in texts
    ):
        return article
    cleaned = {f: strip_controls(v) for f, v in values.items()}
    paragraphs = [
        dataclasses.replace(p, text=strip_controls(p.text), heading=strip_controls(p.heading))
        for p in article.paragraphs
    ]
    kept = [p for p in paragraphs if p.text.strip()] or [Paragraph(cleaned["title"])]
    return dataclasses.replace(article, paragraphs=kept, **cleaned)

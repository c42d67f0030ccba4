"""Which period a figure belongs to: the year and the part of it named before the figure.

A company's report gives a quarter's, a half year's and the year before's figures in one
sentence (「2023年上半年，公司实现营业收入36.69亿元」), so a sentence holding a number of the
asked kind does not answer 「2023年第二季度营收多少」 or 「2022年全年营收多少」 when the number
it holds belongs to another period, nor 「2021年全年」 by the figure of 「1月1日至8月3日」 (a
span of months is a part of its year). A figure belongs to the period the sentence names last
before it; a year named as the base of a comparison (「较2022年同期」「比2022年增长」) is no
period of the figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from retrieval.numerals import han_numeral, numeral_value

#: What may follow a year written without 年 (「比亚迪2023校园招聘」「2023赛季」): a word, not
#: a unit of the number it would then be (「2023万元」「2023人」).
_BARE_YEAR_BEFORE = r"(?=[\u4e00-\u9fff])(?![万亿元人个件名次吨米斤克股台辆家条项倍户位年月日号])"
#: A period as news text names it: a year with or without its part (「2023年上半年」「2022年」),
#: or a part alone (「二季度」「Q2」「前三季度」「全年」). Matched on folded text (lowercase).
_PART = (
    r"第?[一二三四1-4]季度|(?<![a-z])q[1-4](?!\d)|上半年|下半年|前三季度|全年"
    # a span of months (「1月1日至8月3日」「1-7月」「前7个月」)
    r"|\d{1,2}\s*(?:月(?:\s*\d{1,2}\s*日)?)?\s*[至到\-—~－]\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    r"|前(?:\d{1,2}|[一二三四五六七八九十]{1,2})个月"
)
_PERIOD = re.compile(
    rf"((?:19|20)\d{{2}})\s*(?:(?:财|会计)?年度?|{_BARE_YEAR_BEFORE})\s*({_PART})?|({_PART})"
)
#: A span of months as `_PART` matches it: its first and last month.
_MONTH_SPAN = re.compile(
    r"(\d{1,2})\s*(?:月(?:\s*\d{1,2}\s*日)?)?\s*[至到\-—~－]\s*(\d{1,2})\s*月(?:\s*\d{1,2}\s*日)?"
    r"|前(\S+)个月"
)
#: Spans of months that are a named part of the year (「1-6月」 is the first half).
_MONTHS_NAMED = {(1, 3): "一季度", (1, 6): "上半年", (7, 12): "下半年", (1, 9): "前三季度",
                 (1, 12): "全年"}
#: Words before a year that make it the base of a comparison, not the figure's period.
_COMPARED = re.compile(r"(?:较|比|相比|相较|对比|超过|高于|低于)\s*$")
#: Words around a year that make it a target (「到2030年」「2025年前」).
_TARGET_BEFORE = re.compile(r"[到至]\s*$")
_TARGET_AFTER = re.compile(r"(?:前|以前|之前|底前)")
#: Words after a year that make it the base of a comparison (「2022年同期」).
_BASE = re.compile(r"\s*(?:同期|水平|全年水平)")


@dataclass(frozen=True)
class Period:
    """A year (``""`` when not named) and a part of it (``""``, 「二季度」, 「上半年」…)."""

    year: str = ""
    part: str = ""

    def contradicts(self, asked: Period) -> bool:
        """True when a figure of this period cannot be the `asked` period's: another year,
        or another part of the year (a period naming less than the question agrees)."""
        return bool(
            (self.year and asked.year and self.year != asked.year)
            or (self.part and asked.part and self.part != asked.part)
        )


def _part(named: str) -> str:
    """The part of a year in one spelling: 「第2季度」 and 「Q2」 → 「二季度」, 「1-6月」 →
    「上半年」, 「1月1日至8月3日」 and 「前8个月」 → 「1-8月」."""
    if span := _MONTH_SPAN.fullmatch(named):
        if span.group(3):
            first, last = 1, numeral_value(span.group(3)) or 0
        else:
            first, last = int(span.group(1)), int(span.group(2))
        return _MONTHS_NAMED.get((first, last), f"{first}-{last}月")
    quarter = re.fullmatch(r"第?([一二三四1-4])季度|q([1-4])", named)
    number = numeral_value(quarter.group(1) or quarter.group(2)) if quarter else None
    return f"{han_numeral(number)}季度" if number else named


def _named(text: str, end: int | None = None) -> Iterator[re.Match[str]]:
    """The periods `text` (folded) names before `end`, comparison bases (「较2022年同期」)
    left out."""
    for match in _PERIOD.finditer(text, 0, len(text) if end is None else end):
        if match.group(1) and (
            _COMPARED.search(text, 0, match.start()) or _BASE.match(text, match.end())
        ):
            continue
        yield match


def periods(text: str, end: int | None = None) -> list[Period]:
    """The periods `text` (folded) names before `end`, in order, comparison bases left out."""
    return [
        Period(m.group(1) or "", _part(m.group(2) or m.group(3) or "")) for m in _named(text, end)
    ]


@lru_cache(maxsize=64)
def told_years(text: str) -> tuple[int, ...]:
    """The years `text` (folded) tells of: neither comparison bases (「较2019年同期」) nor
    targets (「到2030年」「2025年前」)."""
    return tuple(
        int(m.group(1))
        for m in _named(text)
        if m.group(1)
        and not _TARGET_BEFORE.search(text, 0, m.start())
        and not _TARGET_AFTER.match(text, m.end())
    )


@lru_cache(maxsize=256)
def asked_period(question: str) -> Period:
    """The one period a question (folded) asks a figure for; empty when it names none, or
    more than one year (「2022年和2023年」 compares them)."""
    named = periods(question)
    years = {p.year for p in named if p.year}
    parts = {p.part for p in named if p.part}
    if len(years) > 1 or len(parts) > 1:
        return Period()
    return Period(next(iter(years), ""), next(iter(parts), ""))


def period_of(text: str, figure: str) -> Period:
    """The period `text` names last before the first `figure` in it (empty for none)."""
    at = text.find(figure)
    named = periods(text, max(at, 0))
    return named[-1] if named else Period()

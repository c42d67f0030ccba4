"""Search syntax: quoted phrases, excluded words and filters, parsed into one record.

    "精确短语"            the passage must contain the phrase (case- and script-insensitive)
    -排除词               passages containing the word are left out
    source:乐山日报        only articles whose publication contains this name (several: any)
    since:2023-07-01      only articles dated on or after this day (also 2023-07, 2023)
    until:2023-07-31      only articles dated on or before this day (2023-07: to the month's end)

The same syntax serves `/search`, `newsbot search` (whose --source/--since/--until flags are
written into the query as these operators) and plain questions. In a plain question quotes
are ordinary punctuation (questions quote names and titles: 「什么是"速成"？」), so only the
exclusions and filters apply there.
An operator counts only at the start of a word (「COVID-19」 and 「乐山-成都」 stay words), and
a minus before a digit is not an exclusion (「x - 5」).

Filters are checked against each passage's own text and its article's date and publication
after BM25 has picked candidates (`NewsService` fetches more candidates when filters are
present), so the index stays a plain bag of terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.errors import QuerySyntaxError
from retrieval.folding import fold
from retrieval.text import date_span

_OPERATOR = re.compile(
    r"""(?<!\S)(?P<key>source|since|until)[:：](?P<value>"[^"]*"|“[^”]*”|\S*)"""
    r"""|(?<!\S)-(?P<exclude>"[^"]+"|“[^”]+”|[^\s\d"“-]\S*)"""
    r"""|"(?P<phrase>[^"]+)"|“(?P<cphrase>[^”]+)”""",
    re.IGNORECASE,
)
_DATE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?")


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into what BM25 ranks and what filters the ranked passages.

    `text` is what is left for ranking (the phrases' words included, so they also rank);
    `since`/`until` are inclusive ISO dates ("" = open).
    """

    text: str
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: str = ""
    until: str = ""

    @property
    def has_filters(self) -> bool:
        """True when some ranked passages may be dropped."""
        return bool(self.phrases or self.excluded or self.sources or self.since or self.until)

    def keeps(self, text: str, date: str, source: str) -> bool:
        """Whether a passage (its text, its article's date and publication) passes the filters.

        An article without a date never passes a date filter: it cannot be shown to be inside.
        """
        day = date[:10]
        if self.since and (not day or day < self.since):
            return False
        if self.until and (not day or day > self.until):
            return False
        if self.sources:
            folded_source = fold(source)
            if not any(fold(s) in folded_source for s in self.sources):
                return False
        if self.phrases or self.excluded:
            folded = _squeeze(fold(text))
            if any(_squeeze(fold(p)) not in folded for p in self.phrases):
                return False
            if any(_squeeze(fold(w)) in folded for w in self.excluded):
                return False
        return True


def parse_query(
    query: str,
    *,
    sources: tuple[str, ...] = (),
    since: str = "",
    until: str = "",
    quoted_phrases: bool = True,
) -> ParsedQuery:
    """Split `query` into ranking text and filters; raises QuerySyntaxError for a bad value.

    `sources`/`since`/`until` add filters given apart from the text (command-line flags).
    `quoted_phrases=False` (plain questions) leaves quotes as ordinary text.
    """
    phrases: list[str] = []
    excluded: list[str] = []
    found_sources = [s.strip() for s in sources if s.strip()]
    dates = {"since": since, "until": until}
    kept: list[str] = []
    pos = 0
    for match in _OPERATOR.finditer(query):
        cphrase = match.group("cphrase")
        if not quoted_phrases and (cphrase is not None or match.group("phrase") is not None):
            continue
        kept.append(query[pos : match.start()])
        pos = match.end()
        key = (match.group("key") or "").lower()
        if key == "source":
            name = _unquote(match.group("value")).strip()
            if not name:
                raise QuerySyntaxError("source", "")
            found_sources.append(name)
        elif key:
            dates[key] = match.group("value")
        elif match.group("exclude") is not None:
            excluded.append(_unquote(match.group("exclude")))
        else:
            phrase = (match.group("phrase") or cphrase or "").strip()
            if phrase:
                phrases.append(phrase)
                kept.append(f" {phrase} ")
    kept.append(query[pos:])
    first = parse_date(dates["since"], "since") if dates["since"] else ""
    last = parse_date(dates["until"], "until") if dates["until"] else ""
    if first and last and first > last:
        raise QuerySyntaxError("range", f"{first} > {last}")
    text = " ".join("".join(kept).split())
    return ParsedQuery(
        text, tuple(phrases), tuple(excluded), tuple(dict.fromkeys(found_sources)), first, last
    )


def parse_date(value: str, field: str) -> str:
    """`value` as an inclusive ISO day: 2023-07-01, 2023-07 or 2023 (also 2023/7/1,
    2023年7月1日). A month or year is its first day for `since`, its last for `until`."""
    value = _unquote(value).strip()
    match = _DATE.fullmatch(value)
    if match is None:
        raise QuerySyntaxError(field, value)
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    days = date_span(year, month, day)
    if days is None:
        raise QuerySyntaxError(field, value)
    return days[0] if field == "since" else days[1]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] + value[-1] in ('""', "“”"):
        return value[1:-1]
    return value


def _squeeze(text: str) -> str:
    """Text without spaces: a phrase typed 「乐山 日报」 still matches 「乐山日报」."""
    return "".join(text.split())

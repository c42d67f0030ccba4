"""Questions that ask for the news of a time: 「乐山最近有什么新闻？」, 「昨天发生了什么？」.

A date in a question is usually part of what it asks (「2023年7月中国制造业PMI为多少？」 wants
the July figure, which is published in August; 「去年俄罗斯出口了多少吨谷物？」 is about last
year's exports, reported this year). So a question is read as a request for *the news of a
time* only when it also asks for news: 新闻, 消息, 报道, 动态, 要闻, 发生了什么, 有什么事.
Then its time words give a window of article dates, and the rest of the question (「乐山」)
is what the news must be about, if anything.

How relative words resolve (the loaded news may be an archive, not today's feed):

* 最近/近期/近日/最新/这几天 — the seven days ending at the newest loaded article, or today
  if that is earlier: "the latest news" of an archive from 2023 is its last week, not nothing.
  Such a window is `open_ended`: when nothing on the question's topic falls in it, the
  service lists the newest news on the topic instead (「最近」 names no time to be missing).
* 今天, 昨天, 前天, 本周/这周, 上周, 本月/这个月, 上个月, 今年, 去年 — calendar days counted from
  today (the service's clock): "yesterday" means yesterday, and an archive without it says so.
* 7月, 7月12日 (no year) — the latest such month or day on or before the newest article.
* 2023年, 2023年7月, 2023年7月12日 — exactly that span; a span the news does not cover
  gives "nothing from that time", never an older article.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from retrieval.records import TimeWindow
from retrieval.text import date_span

_NEWS = r"(?:新闻|消息|报道|动态|要闻|大事)"
#: 「有什么新闻」, 「新闻有哪些」, 「…的新闻？」: the question asks for news itself.
_ASKS_FOR_NEWS = re.compile(
    rf"(?:什么|哪些|啥)(?:新|重要|重大)?{_NEWS}|{_NEWS}(?:有哪些|有什么|是什么)"
    rf"|的{_NEWS}[？?！!。\s]*$"
)
#: 「昨天发生了什么？」 asks for news only with a calendar word: 「1982年兰比尔发生了什么？」
#: asks about a person's history.
_ASKS_WHAT_HAPPENED = re.compile(r"发生了?什么|有什么事|有哪些事|出了什么事")
_ABSOLUTE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
_RECENT = re.compile(r"最近|近期|近日|最新|这几天|近几天")
_RELATIVE = re.compile(
    r"今天|今日|昨天|昨日|前天|本周|这周|这个?星期|本星期|上周|上个?星期|本月|这个月|上个?月|今年|去年"
)
#: Words that only say "news" or "what": removed so the rest is what the news is about.
_FILLER = re.compile(
    r"有什么|有哪些|有啥|都有|发生了?什么|出了什么事|什么事|哪些事|新闻|消息|报道|动态|要闻|大事"
    r"|的|吗|呢|了|[？?！!。，,、\s]"
)
RECENT_DAYS = 7


@dataclass(frozen=True)
class TimeQuestion:
    """A question about the news of `window`; `topic` is what else it asks about ("" = all).

    `open_ended`: the window came from 「最近」-like words, which ask for the latest news
    rather than for a span that may be missing.
    """

    window: TimeWindow
    topic: str
    open_ended: bool = False


def time_question(question: str, today: dt.date, newest: dt.date | None) -> TimeQuestion | None:
    """The time window a news question asks about, or None when it does not ask for news of a
    time (see the module docstring for how each kind of time word resolves)."""
    latest = min(today, newest) if newest is not None else today
    if _ASKS_FOR_NEWS.search(question):
        found = _absolute(question) or _relative(question, today) or _recent(question, latest)
        found = found or _month_day(question, latest)
    elif _ASKS_WHAT_HAPPENED.search(question):
        found = _relative(question, today) or _recent(question, latest)
    else:
        return None
    if found is None:
        return None
    window, span = found
    rest = question[: span[0]] + " " + question[span[1] :]
    open_ended = _RECENT.fullmatch(window.label) is not None
    return TimeQuestion(window, _FILLER.sub(" ", rest).strip(), open_ended)


def _absolute(question: str) -> tuple[TimeWindow, tuple[int, int]] | None:
    match = _ABSOLUTE.search(question)
    if match is None:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    window = _span(match.group(0), year, month, day)
    return (window, match.span()) if window else None


def _month_day(question: str, latest: dt.date) -> tuple[TimeWindow, tuple[int, int]] | None:
    match = _MONTH_DAY.search(question)
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2)) if match.group(2) else None
    for year in (latest.year, latest.year - 1):
        window = _span(match.group(0), year, month, day)
        if window is not None and window.since <= latest.isoformat():
            return window, match.span()
    return None


def _span(label: str, year: int, month: int | None, day: int | None) -> TimeWindow | None:
    """The window of a year, a month or a day; None for an impossible date."""
    days = date_span(year, month, day)
    return TimeWindow(days[0], days[1], label) if days else None


def _relative(question: str, today: dt.date) -> tuple[TimeWindow, tuple[int, int]] | None:
    match = _RELATIVE.search(question)
    if match is None:
        return None
    word = match.group(0)
    monday = today - dt.timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    previous_month_end = first_of_month - dt.timedelta(days=1)
    spans: dict[str, tuple[dt.date, dt.date]] = {
        "今": (today, today),
        "昨": (today - dt.timedelta(days=1), today - dt.timedelta(days=1)),
        "前": (today - dt.timedelta(days=2), today - dt.timedelta(days=2)),
        "本周": (monday, today),
        "上周": (monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)),
        "本月": (first_of_month, today),
        "上月": (previous_month_end.replace(day=1), previous_month_end),
        "今年": (today.replace(month=1, day=1), today),
        "去年": (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
    }
    first, last = spans[_relative_kind(word)]
    return TimeWindow(first.isoformat(), last.isoformat(), word), match.span()


def _relative_kind(word: str) -> str:
    if word == "今年" or word == "去年":
        return word
    if "星期" in word or "周" in word:
        return "上周" if word.startswith("上") else "本周"
    if "月" in word:
        return "上月" if word.startswith("上") else "本月"
    return word[0]


def _recent(question: str, latest: dt.date) -> tuple[TimeWindow, tuple[int, int]] | None:
    match = _RECENT.search(question)
    if match is None:
        return None
    first = latest - dt.timedelta(days=RECENT_DAYS - 1)
    return TimeWindow(first.isoformat(), latest.isoformat(), match.group(0)), match.span()

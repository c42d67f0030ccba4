"""Questions about the news of a time (retrieval.time_window)."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.time_window import time_question

TODAY = dt.date(2026, 11, 25)  # a Wednesday
NEWEST = dt.date(2023, 8, 20)


@pytest.mark.parametrize(
    ("question", "since", "until", "topic"),
    [
        ("乐山最近有什么新闻？", "2023-08-14", "2023-08-20", "乐山"),  # the archive's last week
        ("昨天发生了什么？", "2026-11-24", "2026-11-24", ""),
        ("前天乐山有哪些消息", "2026-11-23", "2026-11-23", "乐山"),
        ("本周有什么新闻", "2026-11-23", "2026-11-25", ""),
        ("上周的报道", "2026-11-16", "2026-11-22", ""),
        ("上个月有什么要闻？", "2026-10-01", "2026-10-31", ""),
        ("2023年7月乐山有什么新闻？", "2023-07-01", "2023-07-31", "乐山"),
        ("2023年7月12日的新闻", "2023-07-12", "2023-07-12", ""),
        ("2019年有什么新闻？", "2019-01-01", "2019-12-31", ""),
        ("7月有什么新闻", "2023-07-01", "2023-07-31", ""),  # the archive's last July
        ("9月有什么新闻", "2022-09-01", "2022-09-30", ""),  # no September 2023 yet
    ],
)
def test_news_questions_get_a_window_and_a_topic(
    question: str, since: str, until: str, topic: str
) -> None:
    timed = time_question(question, TODAY, NEWEST)
    assert timed is not None
    assert (timed.window.since, timed.window.until, timed.topic) == (since, until, topic)
    assert timed.window.label in question


@pytest.mark.parametrize(
    "question",
    [
        "2023年7月中国制造业PMI为多少？",  # a figure about July, not the news of July
        "去年俄罗斯向非洲出口了多少吨谷物？",
        "中国制造业PMI相比上个月上升了多少个百分点？",
        "乐山有什么新闻？",  # news, but no time
    ],
)
def test_other_questions_have_no_window(question: str) -> None:
    assert time_question(question, TODAY, NEWEST) is None


def test_recent_is_counted_from_today_when_the_news_is_current() -> None:
    timed = time_question("最近有什么新闻", dt.date(2023, 8, 22), dt.date(2023, 8, 22))
    assert timed is not None and (timed.window.since, timed.window.until) == (
        "2023-08-16",
        "2023-08-22",
    )
    empty = time_question("最近有什么新闻", TODAY, None)
    assert empty is not None and empty.window.until == TODAY.isoformat()


@pytest.mark.parametrize(
    "question",
    [
        "在1982年，兰比尔发生了什么事情？",  # history of a person, not the news of 1982
        "针对2006年媒体的错误报道，娜塔莎是怎么回应的？",
    ],
)
def test_questions_about_history_have_no_window(question: str) -> None:
    assert time_question(question, TODAY, NEWEST) is None

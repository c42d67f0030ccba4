"""Dates in the operator's time zone, as readers say them (bot.local_time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from bot import local_time
from bot.cli import plaintext
from bot.local_time import format_when
from bot.markup import source_line
from tests.conftest import FIXED_NOW

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2024-07-12 16:00 UTC is 2024-07-13 00:00 in Shanghai: the day differs from UTC's.
NOW = dt.datetime(2024, 7, 12, 16, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2024-07-13T06:30:00+00:00", "今天 14:30"),  # stored in UTC, shown in Shanghai
        ("2024-07-13T14:30:00+08:00", "今天 14:30"),
        ("2024-07-13T06:30:00", "今天 14:30"),  # naive: UTC, as the store writes
        ("2024-07-12T15:59:00Z", "昨天"),  # 23:59 Shanghai, the day before
        ("2024-07-13", "今天"),  # a calendar date has no zone and no time
        ("2024-07-12", "昨天"),
        ("2024-07-01", "7月1日"),
        ("2023-07-12", "2023年7月12日"),
        ("2025-01-02T01:00:00+08:00", "2025年1月2日"),
        ("", ""),
        ("七月中旬", "七月中旬"),  # not a date: shown as the source wrote it
    ],
)
def test_dates_in_the_operators_zone(value: str, shown: str) -> None:
    assert format_when(value, SHANGHAI, NOW) == shown


def test_the_zone_decides_the_day_and_events_keep_their_time() -> None:
    utc = ZoneInfo("UTC")
    assert format_when("2024-07-12T06:30:00+00:00", utc, NOW) == "今天 06:30"
    assert format_when("2024-07-12T06:30:00+00:00", SHANGHAI, NOW) == "昨天"
    assert format_when("2024-07-12T06:30:00+00:00", SHANGHAI, NOW, always_time=True) == (
        "昨天 14:30"
    )
    assert format_when("2024-07-01T06:30:00Z", SHANGHAI, NOW, always_time=True) == "7月1日 14:30"


@pytest.fixture
def fixed_clock() -> Iterator[None]:
    local_time.use_clock(lambda: NOW)
    yield
    local_time.use_clock(FIXED_NOW)


def test_both_renderers_use_the_same_function(fixed_clock: None) -> None:
    assert local_time.today() == dt.date(2024, 7, 13)
    html = source_line("标题", "2024-07-13T06:30:00Z", "乐山日报")
    text = plaintext.source_line("标题", "2024-07-13T06:30:00Z", "乐山日报")
    assert html == text == "标题 · 今天 14:30 · 乐山日报"
    assert "2023年7月12日" in plaintext.source_line("t", "2023-07-12", "s")

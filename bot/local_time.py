"""Dates and times as the reader says them, in the operator's time zone (TZ), never in UTC.

「今天 14:30」, 「昨天」, 「7月12日」 (this year), 「2023年7月12日」 (other years): one function,
`format_when`, used by the Telegram renderer and the terminal renderer alike. Stored values
are ISO 8601 text: a date-time with an offset (or naive, meaning UTC, as the store writes them)
is converted to the operator's zone; a bare date is a calendar day and is shown as it is.
The zone is set once per process by the front end (`use_zone`); tests pass `now` explicitly
or install a fixed clock (`use_clock`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")

Clock = Callable[[], dt.datetime]


def _system_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_zone: ZoneInfo = DEFAULT_ZONE
_clock: Clock = _system_now


def use_zone(zone: ZoneInfo) -> None:
    """Show every date in `zone` (the operator's TZ)."""
    global _zone
    _zone = zone


def use_clock(clock: Clock | None = None) -> None:
    """Tell "today" by `clock` (default: the system clock)."""
    global _clock
    _clock = clock or _system_now


def zone() -> ZoneInfo:
    """The operator's time zone in use."""
    return _zone


def today() -> dt.date:
    """Today's date in the operator's time zone."""
    return _clock().astimezone(_zone).date()


def parse(value: str) -> dt.datetime | dt.date | None:
    """An ISO 8601 date or date-time, or None when `value` is neither."""
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def format_when(
    value: str, zone: ZoneInfo, now: dt.datetime, *, always_time: bool = False
) -> str:
    """`value` (ISO 8601) as 「今天 14:30」, 「昨天」, 「7月12日」 or 「2023年7月12日」 in `zone`.

    Only today gets a time (when `value` has one), unless `always_time` (for events such as
    a feed's last poll, where the hour matters). Text that is not an ISO date is returned
    unchanged, so nothing a source wrote is ever hidden.
    """
    parsed = parse(value)
    if parsed is None:
        return value
    local_now = now.astimezone(zone)
    if isinstance(parsed, dt.datetime):
        local = parsed.astimezone(zone)
        day, clock = local.date(), f" {local:%H:%M}"
    else:
        day, clock = parsed, ""
    if day == local_now.date():
        return f"今天{clock}"
    if day == local_now.date() - dt.timedelta(days=1):
        shown = "昨天"
    elif day.year == local_now.year:
        shown = f"{day.month}月{day.day}日"
    else:
        shown = f"{day.year}年{day.month}月{day.day}日"
    return shown + clock if always_time else shown


def show(value: str, *, always_time: bool = False) -> str:
    """`value` formatted by `format_when` in the process's zone, relative to its clock."""
    return format_when(value, _zone, _clock(), always_time=always_time)

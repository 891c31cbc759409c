"""The report period rule: which week or month a client's report covers, in its time zone.

Weekly is the ISO week, Monday 00:00 to the next Monday 00:00; monthly is the calendar month,
the 1st 00:00 to the next 1st 00:00; both in the client's time zone and stored in UTC, so a
Chicago client's November ends at 06:00 UTC on 1 December. A period's report is due once the
period has ended, and only for a client that had joined before it ended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ReportPeriod(StrEnum):
    """``clients.report_period``; "" is no periodic report."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"


_WEEK_LABEL = re.compile(r"(\d{4})-W(\d{2})")
_MONTH_LABEL = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Period:
    """One report period: ``start`` inclusive, ``end`` exclusive, in UTC. ``label`` is
    "2026-11" or "2026-W47"; ``words`` is how the client reads it ("November 2026")."""

    kind: ReportPeriod
    start: datetime
    end: datetime
    label: str
    words: str


def zone(timezone: str) -> ZoneInfo:
    """The client's time zone; UTC when the name is unknown (a typo must not stop reports)."""
    try:
        return ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        return ZoneInfo("UTC")


def containing(kind: ReportPeriod, timezone: str, moment: datetime) -> Period:
    """The period of ``kind`` that ``moment`` falls in, in the client's time zone."""
    local = moment.astimezone(zone(timezone)).date()
    if kind == ReportPeriod.WEEKLY:
        return _week(local - timedelta(days=local.weekday()), timezone)
    return _month(local.year, local.month, timezone)


def last_ended(kind: ReportPeriod, timezone: str, now: datetime) -> Period:
    """The latest period that has ended by ``now``: the one before the period ``now`` is in."""
    current = containing(kind, timezone, now)
    return containing(kind, timezone, current.start - timedelta(microseconds=1))


def due(kind: str, timezone: str, joined_at: datetime, now: datetime) -> Period | None:
    """The period whose report is due at ``now`` for a client with this setting who joined at
    ``joined_at``; None when it has no periodic report or joined after that period ended."""
    if kind not in tuple(ReportPeriod):
        return None
    period = last_ended(ReportPeriod(kind), timezone, now)
    return period if joined_at < period.end else None


def first_full(kind: ReportPeriod, timezone: str, joined_at: datetime) -> Period:
    """The client's first whole period: the one starting at or after they joined."""
    period = containing(kind, timezone, joined_at)
    return period if period.start >= joined_at else containing(kind, timezone, period.end)


def parse(label: str, timezone: str) -> Period:
    """A period from its label ("2026-11" monthly, "2026-W47" weekly); ValueError if neither."""
    text = label.strip().upper()
    week = _WEEK_LABEL.fullmatch(text)
    if week:
        monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        return _week(monday, timezone)
    month = _MONTH_LABEL.fullmatch(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return _month(int(month.group(1)), int(month.group(2)), timezone)
    raise ValueError(f"not a report period: {label!r} (write 2026-11 for a month, 2026-W47 for a week)")


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, datetime.min.time(), zone(timezone)).astimezone(UTC)


def _week(monday: date, timezone: str) -> Period:
    year, week, _ = monday.isocalendar()
    sunday = monday + timedelta(days=6)
    return Period(
        ReportPeriod.WEEKLY,
        _midnight(monday, timezone),
        _midnight(monday + timedelta(days=7), timezone),
        f"{year}-W{week:02d}",
        f"the week of {monday.day} {monday:%b} to {sunday.day} {sunday:%b %Y}",
    )


def _month(year: int, month: int, timezone: str) -> Period:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(
        ReportPeriod.MONTHLY,
        _midnight(first, timezone),
        _midnight(following, timezone),
        f"{year}-{month:02d}",
        f"{first:%B %Y}",
    )

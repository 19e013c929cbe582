"""PURE: SLA deadlines counted in business hours. Standard library only; no clock reads.

A `Calendar` is a team's working week in one IANA time zone: intervals per weekday
(minutes since local midnight, end exclusive, 1440 = midnight) and holidays (local dates).
`None` as a calendar means 24/7. Arithmetic is done in UTC on windows whose ends are
local wall times, so a DST change shortens or lengthens that day's window as it does for
the people working it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
SEARCH_DAYS = 2 * 366  # a calendar with no working time in two years is a configuration error


class EmptyCalendarError(ValueError):
    """The calendar has no working time in the searched range."""


@dataclass(frozen=True, slots=True)
class Interval:
    weekday: int  # Monday 0 … Sunday 6, as `date.weekday()`
    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0..6")
        if not 0 <= self.start_minute < self.end_minute <= MINUTES_PER_DAY:
            raise ValueError("need 0 <= start < end <= 1440")


@dataclass(frozen=True, slots=True)
class Calendar:
    timezone: str
    intervals: tuple[Interval, ...]
    holidays: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Targets:
    first_response: timedelta
    resolution: timedelta


@dataclass(frozen=True, slots=True)
class Deadlines:
    first_response_due_at: datetime
    resolution_due_at: datetime


def _local(day: date, minute: int, zone: ZoneInfo) -> datetime:
    if minute == MINUTES_PER_DAY:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)


def _windows(calendar: Calendar, since: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working windows in UTC, in order, from the local day that contains `since`."""
    zone = ZoneInfo(calendar.timezone)
    by_day: dict[int, list[Interval]] = {}
    for interval in sorted(calendar.intervals, key=lambda i: i.start_minute):
        by_day.setdefault(interval.weekday, []).append(interval)
    day = since.astimezone(zone).date()
    for _ in range(SEARCH_DAYS):
        if day not in calendar.holidays:
            for interval in by_day.get(day.weekday(), ()):
                yield (
                    _local(day, interval.start_minute, zone).astimezone(UTC),
                    _local(day, interval.end_minute, zone).astimezone(UTC),
                )
        day += timedelta(days=1)


def add_business_time(start: datetime, duration: timedelta, calendar: Calendar | None) -> datetime:
    """The moment `duration` of working time after `start` has passed (`start` must be aware)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    start = start.astimezone(UTC)
    if calendar is None or duration <= timedelta(0):
        return start + max(duration, timedelta(0))
    remaining = duration
    for window_start, window_end in _windows(calendar, start):
        begin = max(window_start, start)
        if begin >= window_end:
            continue
        available = window_end - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise EmptyCalendarError(calendar.timezone)


def business_time_between(start: datetime, end: datetime, calendar: Calendar | None) -> timedelta:
    """Working time in [start, end); zero when end is not after start."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return timedelta(0)
    if calendar is None:
        return end - start
    total = timedelta(0)
    for window_start, window_end in _windows(calendar, start):
        if window_start >= end:
            break
        overlap = min(window_end, end) - max(window_start, start)
        total += max(overlap, timedelta(0))
    return total


def deadlines(
    *, created_at: datetime, targets: Targets, paused: timedelta, calendar: Calendar | None
) -> Deadlines:
    """Deadlines for a ticket whose clock has been stopped for `paused` of working time."""
    return Deadlines(
        first_response_due_at=add_business_time(
            created_at, targets.first_response + paused, calendar
        ),
        resolution_due_at=add_business_time(created_at, targets.resolution + paused, calendar),
    )

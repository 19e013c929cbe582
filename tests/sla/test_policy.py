"""Pure deadline arithmetic: no database, no clock."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supportdesk.sla.policy import (
    Calendar,
    EmptyCalendarError,
    Interval,
    Targets,
    add_business_time,
    business_time_between,
    deadlines,
)

AMS = ZoneInfo("Europe/Amsterdam")
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")


def week(tz: str, *spans: tuple[int, int], days: range = range(5)) -> Calendar:
    """Working `spans` (hours) on `days` (Monday 0)."""
    return Calendar(
        timezone=tz,
        intervals=tuple(Interval(d, s * 60, e * 60) for d in days for s, e in spans),
    )


OFFICE = week("Europe/Amsterdam", (9, 17))
OFFICE_WITH_LUNCH = week("Europe/Amsterdam", (9, 12), (13, 17))
EASTER_MONDAY = date(2026, 4, 6)
OFFICE_EASTER = Calendar(
    timezone="Europe/Amsterdam", intervals=OFFICE.intervals, holidays=frozenset({EASTER_MONDAY})
)
TOKYO_OFFICE = week("Asia/Tokyo", (9, 18))
ALWAYS_NY = week("America/New_York", (0, 24), days=range(7))


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "hours", "calendar", "expected"),
    [
        pytest.param(ams(2026, 3, 2, 10), 2, OFFICE, ams(2026, 3, 2, 12), id="same-day"),
        pytest.param(ams(2026, 3, 2, 9), 8, OFFICE, ams(2026, 3, 2, 17), id="ends-at-closing"),
        pytest.param(ams(2026, 3, 2, 7), 1, OFFICE, ams(2026, 3, 2, 10), id="before-opening"),
        pytest.param(ams(2026, 3, 2, 20), 1, OFFICE, ams(2026, 3, 3, 10), id="after-closing"),
        pytest.param(ams(2026, 3, 6, 16), 2, OFFICE, ams(2026, 3, 9, 10), id="over-weekend"),
        pytest.param(ams(2026, 3, 7, 12), 1, OFFICE, ams(2026, 3, 9, 10), id="on-saturday"),
        pytest.param(ams(2026, 3, 2, 11), 2, OFFICE_WITH_LUNCH, ams(2026, 3, 2, 14), id="lunch"),
        pytest.param(
            ams(2026, 4, 3, 16), 2, OFFICE_EASTER, ams(2026, 4, 7, 10), id="holiday-skipped"
        ),
        pytest.param(
            ams(2026, 3, 27, 16), 2, OFFICE, ams(2026, 3, 30, 10), id="dst-spring-forward"
        ),
        pytest.param(
            datetime(2026, 3, 2, 0, 0, tzinfo=UTC),
            3,
            TOKYO_OFFICE,
            datetime(2026, 3, 2, 12, 0, tzinfo=TOKYO),
            id="team-time-zone",
        ),
        pytest.param(ams(2026, 3, 7, 12), 30, None, ams(2026, 3, 8, 18), id="24-7-default"),
    ],
)
def test_add_business_time(
    start: datetime, hours: int, calendar: Calendar | None, expected: datetime
) -> None:
    assert add_business_time(start, timedelta(hours=hours), calendar) == expected


def test_spring_forward_window_is_in_local_wall_time() -> None:
    # Friday 16:00 CET is 15:00 UTC; Monday 10:00 CEST is 08:00 UTC (one hour less offset)
    due = add_business_time(ams(2026, 3, 27, 16), timedelta(hours=2), OFFICE)
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "calendar", "hours"),
    [
        pytest.param(ams(2026, 3, 6, 16), ams(2026, 3, 9, 10), OFFICE, 2, id="over-weekend"),
        pytest.param(ams(2026, 3, 2, 10), ams(2026, 3, 2, 10), OFFICE, 0, id="empty"),
        pytest.param(ams(2026, 3, 2, 12), ams(2026, 3, 2, 10), OFFICE, 0, id="reversed"),
        pytest.param(ams(2026, 4, 3, 9), ams(2026, 4, 7, 17), OFFICE_EASTER, 16, id="holiday"),
        pytest.param(
            datetime(2026, 10, 31, 12, tzinfo=NEW_YORK),
            datetime(2026, 11, 1, 12, tzinfo=NEW_YORK),
            ALWAYS_NY,
            25,
            id="dst-fall-back-day-has-25-hours",
        ),
        pytest.param(ams(2026, 3, 2, 10), ams(2026, 3, 3, 10), None, 24, id="24-7"),
    ],
)
def test_business_time_between(
    start: datetime, end: datetime, calendar: Calendar | None, hours: int
) -> None:
    assert business_time_between(start, end, calendar) == timedelta(hours=hours)


def test_deadlines_move_out_by_the_working_time_the_clock_stood_still() -> None:
    targets = Targets(first_response=timedelta(hours=1), resolution=timedelta(hours=8))
    running = deadlines(
        created_at=ams(2026, 3, 2, 9), targets=targets, paused=timedelta(0), calendar=OFFICE
    )
    paused = deadlines(
        created_at=ams(2026, 3, 2, 9), targets=targets, paused=timedelta(hours=2), calendar=OFFICE
    )
    assert running.first_response_due_at == ams(2026, 3, 2, 10)
    assert running.resolution_due_at == ams(2026, 3, 2, 17)
    assert paused.first_response_due_at == ams(2026, 3, 2, 12)
    assert paused.resolution_due_at == ams(2026, 3, 3, 11)


def test_a_calendar_without_working_time_is_an_error() -> None:
    closed = Calendar(timezone="UTC", intervals=(Interval(0, 0, 60),), holidays=frozenset())
    never = Calendar(
        timezone="UTC",
        intervals=(Interval(0, 0, 60),),
        holidays=frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(800)),
    )
    assert add_business_time(ams(2026, 1, 1), timedelta(minutes=30), closed) > ams(2026, 1, 1)
    with pytest.raises(EmptyCalendarError):
        add_business_time(datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=1), never)


@pytest.mark.parametrize(
    "interval",
    [(7, 0, 60), (0, 60, 60), (0, 0, 1441), (-1, 0, 60)],
)
def test_invalid_intervals_are_refused(interval: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match=r"weekday|start"):
        Interval(*interval)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_business_time(datetime(2026, 1, 1), timedelta(hours=1), OFFICE)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        business_time_between(datetime(2026, 1, 1), ams(2026, 1, 2), OFFICE)  # noqa: DTZ001


@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    minutes=st.integers(0, 60 * 24 * 20),
    calendar=st.sampled_from([OFFICE, OFFICE_WITH_LUNCH, TOKYO_OFFICE, ALWAYS_NY, None]),
)
def test_between_inverts_add(start: datetime, minutes: int, calendar: Calendar | None) -> None:
    duration = timedelta(minutes=minutes)
    due = add_business_time(start, duration, calendar)
    assert due >= start
    assert business_time_between(start, due, calendar) == duration

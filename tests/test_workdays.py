"""Working days on the official calendar: known answers across 国庆 and 春节 with make-up Saturdays."""

import datetime as dt

import polars as pl
import pytest

from etl import workdays

D = dt.date


@pytest.mark.parametrize("accepted, completed, expected, weekdays", [
    # same day: nothing after acceptance
    (D(2026, 3, 10), D(2026, 3, 10), 0, 0),
    # Friday → Monday: only the Monday
    (D(2026, 3, 6), D(2026, 3, 9), 1, 1),
    # 国庆 2026: 10-01…07 off, Saturday 10-10 worked (调休); a weekday count would say 8
    (D(2026, 9, 30), D(2026, 10, 12), 4, 8),
    # 中秋 2026-09-25 (Friday) off, Sunday 09-20 worked
    (D(2026, 9, 18), D(2026, 9, 25), 5, 5),
    # 春节 2026: 02-15…23 off, Saturdays 02-14 and 02-28 worked; a weekday count would say 10
    (D(2026, 2, 13), D(2026, 2, 28), 6, 10),
    # 国庆 2025: 10-01…08 off, Sunday 09-28 and Saturday 10-11 worked
    (D(2025, 9, 26), D(2025, 10, 13), 7, 11),
    # across a year end
    (D(2025, 12, 30), D(2026, 1, 5), 3, 4),
])
def test_working_days_known_answers(accepted, completed, expected, weekdays):
    assert workdays.working_days(accepted, completed) == expected
    plain = sum(1 for i in range(1, (completed - accepted).days + 1)
                if (accepted + dt.timedelta(days=i)).weekday() < 5)
    assert plain == weekdays  # the answer differs from a weekday count where a holiday falls


@pytest.mark.parametrize("day, expected", [
    (D(2026, 10, 10), True),   # make-up Saturday
    (D(2026, 10, 5), False),   # holiday Monday
    (D(2026, 2, 28), True),    # make-up Saturday after 春节
    (D(2026, 2, 16), False),
    (D(2026, 10, 11), False),  # ordinary Sunday
])
def test_is_workday(day, expected):
    assert workdays.is_workday(day) is expected


def test_add_working_days_is_the_inverse():
    assert workdays.add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
    assert workdays.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert workdays.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert workdays.add_working_days(D(2026, 5, 6), 0) == D(2026, 5, 6)


def test_beyond_the_known_years_is_an_error_not_a_weekday_count():
    first, last = workdays.known_years()
    assert first <= 2024 and last >= 2026
    with pytest.raises(workdays.CalendarRangeError) as e:
        workdays.working_days(D(last, 12, 28), D(last + 1, 1, 6))
    assert f"{last + 1}年1月6日" in str(e.value) and "chinesecalendar" in str(e.value)
    with pytest.raises(workdays.CalendarRangeError):
        workdays.is_workday(D(last + 1, 3, 1))


def test_completed_before_accepted_is_refused():
    with pytest.raises(ValueError, match="早于受理日期"):
        workdays.working_days(D(2026, 5, 6), D(2026, 5, 1))


def test_calendar_frame_counts_like_the_function():
    cal = workdays.calendar_frame()
    first, last = workdays.known_years()
    assert cal.height == (D(last, 12, 31) - D(first, 1, 1)).days + 1
    seq = dict(zip(cal["day"], cal["workday_seq"]))
    for a, b in [(D(2026, 9, 30), D(2026, 10, 12)), (D(2026, 2, 13), D(2026, 2, 28)), (D(2025, 12, 30), D(2026, 1, 5))]:
        assert seq[b] - seq[a] == workdays.working_days(a, b)
    assert cal.filter(pl.col("day") == D(2026, 10, 10))["is_workday"].item() is True

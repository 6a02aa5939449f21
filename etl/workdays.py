"""Working days on China's official calendar (法定工作日).

Holidays and the make-up working days (调休) come from the `chinesecalendar` package, which
follows the State Council's yearly notice; it knows a fixed range of years and must be
updated each year when the next calendar is published. A date outside that range is an
error with a Chinese message, never a silent weekday count.

Convention (shown on the pages): an approval accepted on day A and completed on day B took
the working days from the day after A to B inclusive, so an item accepted and completed on
the same day took 0 working days, and one accepted on a Friday and completed the next
Monday took 1.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
import polars as pl

COUNT_RULE = "工作日按国家法定节假日和调休安排计算（周末调休上班的日子计为工作日），从受理次日起算至办结日（含）"


class CalendarRangeError(ValueError):
    """A date the official holiday calendar does not cover (the message is Chinese)."""


@lru_cache(maxsize=1)
def known_years() -> tuple[int, int]:
    """First and last year the installed calendar covers."""
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return years[0], years[-1]


def range_message(d: dt.date) -> str:
    first, last = known_years()
    return (f"日期{d.year}年{d.month}月{d.day}日超出法定节假日日历的已知年份（{first}—{last}年），"
            f"无法按工作日计算；请在国务院公布该年节假日安排后更新 chinesecalendar")


def _check(d: dt.date) -> None:
    first, last = known_years()
    if not first <= d.year <= last:
        raise CalendarRangeError(range_message(d))


def is_workday(d: dt.date) -> bool:
    """Whether d is an official working day (a make-up Saturday is; a holiday Monday is not)."""
    _check(d)
    return chinese_calendar.is_workday(d)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[dt.date, int], list[dt.date]]:
    """Each known day → working days up to and including it; the working days in order."""
    cal = calendar_frame()
    seq = dict(zip(cal["day"].to_list(), cal["workday_seq"].to_list()))
    return seq, cal.filter(cal["is_workday"])["day"].to_list()


def working_days(accepted: dt.date, completed: dt.date) -> int:
    """Working days from the day after `accepted` to `completed` inclusive (0 when the same day)."""
    if completed < accepted:
        raise ValueError(f"办结日期{completed.isoformat()}早于受理日期{accepted.isoformat()}")
    _check(accepted)
    _check(completed)
    seq, _ = _index()
    return seq[completed] - seq[accepted]


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The day on which n working days after `start` have passed (n ≥ 0; n = 0 gives start)."""
    _check(start)
    if n <= 0:
        return start
    seq, days = _index()
    i = seq[start] + n - 1
    if i >= len(days):
        raise CalendarRangeError(range_message(dt.date(known_years()[1] + 1, 1, 1)))
    return days[i]


@lru_cache(maxsize=1)
def calendar_frame() -> pl.DataFrame:
    """Every day the calendar knows: `day`, `is_workday`, and `workday_seq` (working days up to
    and including that day), so working_days(a, b) = seq(b) − seq(a) in SQL."""
    first, last = known_years()
    off = pl.Series(sorted(chinese_calendar.holidays), dtype=pl.Date)
    worked = pl.Series(sorted(chinese_calendar.workdays), dtype=pl.Date)
    days = pl.DataFrame({"day": pl.date_range(dt.date(first, 1, 1), dt.date(last, 12, 31), "1d", eager=True)})
    return days.with_columns(
        (pl.col("day").is_in(worked.implode())
         | ((pl.col("day").dt.weekday() <= 5) & ~pl.col("day").is_in(off.implode()))).alias("is_workday")
    ).with_columns(pl.col("is_workday").cast(pl.Int32).cum_sum().cast(pl.Int32).alias("workday_seq"))

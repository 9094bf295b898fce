"""An independent working-day counter for worked examples.

Shares no code with `app/`: it reads GOV.UK's feed (the bundled copy) with the
standard library and counts day by day, the slow obvious way. Worked examples
are counted by hand; this is the calculator to check a hand count with, and
the oracle for properties. Conventions are the contract's: the start date is
day 0; "N working days after D" is the N-th working day after D.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import json
from functools import cache
from pathlib import Path

FEED = Path(__file__).resolve().parents[1] / "app" / "data" / "uk-bank-holidays.json"


@cache
def bank_holidays(calendar_id: str = "england-and-wales") -> frozenset[dt.date]:
    feed = json.loads(FEED.read_text(encoding="utf-8"))
    return frozenset(dt.date.fromisoformat(e["date"]) for e in feed[calendar_id]["events"])


def is_working_day(day: dt.date, calendar_id: str = "england-and-wales", closed=()) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(calendar_id) and day not in closed


def add_working_days(start, n, calendar_id="england-and-wales", closed=()):
    day = dt.date.fromisoformat(start) if isinstance(start, str) else start
    step = 1 if n >= 0 else -1
    left = abs(n)
    while left:
        day += dt.timedelta(days=step)
        if is_working_day(day, calendar_id, closed):
            left -= 1
    return day


def working_days_between(start, end, calendar_id="england-and-wales", closed=()):
    """Working days in (start, end]; negative, counted back, when end < start."""
    start = dt.date.fromisoformat(start) if isinstance(start, str) else start
    end = dt.date.fromisoformat(end) if isinstance(end, str) else end
    if end >= start:
        days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
        return sum(is_working_day(d, calendar_id, closed) for d in days)
    days = (end + dt.timedelta(days=i) for i in range(0, (start - end).days))
    return -sum(is_working_day(d, calendar_id, closed) for d in days)


def add_months(start, n):
    day = dt.date.fromisoformat(start) if isinstance(start, str) else start
    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def add_days(start, n):
    day = dt.date.fromisoformat(start) if isinstance(start, str) else start
    return day + dt.timedelta(days=n)

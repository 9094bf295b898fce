"""Working-day arithmetic on one UK bank-holiday calendar.

A working day is Monday to Friday, not a bank holiday of the calendar, and
not a closed day the caller names (a council's Christmas closure, say).

Counting conventions (docs/contract.md, stated once and used
everywhere, in the manner of QuantLib's calendar conventions):

* `add_working_days(d, n)`: d is day 0 whether or not it is a working day;
  the result is the n-th working day after d (n > 0) or before d (n < 0);
  n = 0 returns d itself.
* `working_days_between(start, end)`: the working days after `start` up to
  and including `end`; when end < start, minus the working days before
  `start` back to and including `end`. In both directions the start is
  excluded and the end included, which is exactly what makes
  `working_days_between(d, add_working_days(d, n)) == n` for every d and n.
  (A consequence: the count is not antisymmetric when an end point is not a
  working day. From Friday to Sunday is 0; from Sunday back to Friday is -1,
  because Friday is the first working day before Sunday.)

Everything is precomputed once per calendar over the supported range, so the
calls are O(1): no day-by-day loop anywhere on the hot path. Closed days get
tables of their own: the same prefix counts and n-th working days with those
days taken out, built once per distinct set of closed days (O(days in the
range), about 2 ms) and kept for the last `CLOSED_TABLES_KEPT` sets, so a
count with closed days costs what one without them does.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Literal

from app.calendars.supported_range import DateRange
from app.errors import FieldError, OutOfRange

WEEKEND = "weekend"
CLOSED = "closed"

HolidaySource = Literal["published", "projected"]

# How many distinct sets of closed days each calendar keeps tables for, the
# least recently used dropped first. One set's tables are about 256 KB (a
# prefix count of about 18,000 days and the list of about 12,400 working
# days, as references to ints and dates the calendar already holds), so the
# bound is about 16 MB a calendar. Requests of one council share one set; a
# set dropped is rebuilt in about 2 ms.
CLOSED_TABLES_KEPT = 64

# A count's tables: prefix counts (`_count`) and the working days in order
# (`_nth_date`), for the calendar alone or with a set of closed days taken out.
_Tables = tuple[list[int], list[dt.date]]


@dataclass(frozen=True, slots=True)
class Holiday:
    date: dt.date
    name: str
    source: HolidaySource


@dataclass(frozen=True, slots=True)
class SkippedDay:
    date: dt.date
    reason: str  # the holiday's name, "weekend" or "closed"


@dataclass(frozen=True, slots=True)
class CountedSpan:
    """A count with its explanation: what was skipped, and whether it is provisional."""

    start: dt.date
    end: dt.date
    working_days: int
    provisional: bool
    skipped: list[SkippedDay]


class WorkingDayCalendar:
    """One calendar (england-and-wales, scotland or northern-ireland)."""

    def __init__(
        self,
        calendar_id: str,
        holidays: Iterable[Holiday],
        first: dt.date,
        last: dt.date,
        published_last: dt.date,
    ) -> None:
        self.id = calendar_id
        self.first = first
        self.last = last
        self.supported = DateRange(first, last)
        self.published_last = published_last
        self.holidays: dict[dt.date, Holiday] = {
            h.date: h for h in holidays if first <= h.date <= last
        }
        self._holiday_dates = sorted(self.holidays)

        self._base = first.toordinal()
        days = last.toordinal() - self._base + 1
        working = [False] * days
        for i in range(days):
            day = dt.date.fromordinal(self._base + i)
            working[i] = day.weekday() < 5 and day not in self.holidays
        self._working = working
        # _count[i + 1] = working days among the first i + 1 days of the range;
        # _count[0] = 0 stands for "the day before the range".
        count = [0] * (days + 1)
        for i, is_working in enumerate(working):
            count[i + 1] = count[i] + is_working
        self._count = count
        # _nth[k] = index of the (k + 1)-th working day of the range, and
        # _nth_date[k] the same day as a date, ready to hand back.
        self._nth = [i for i, is_working in enumerate(working) if is_working]
        self._nth_date = [dt.date.fromordinal(self._base + i) for i in self._nth]
        self._days = days
        # Every value a prefix count can take, so that the tables for closed
        # days refer to these ints rather than each holding copies of them.
        self._counts = list(range(len(self._nth) + 1))
        self._tables: _Tables = (self._count, self._nth_date)
        self._tables_for = lru_cache(maxsize=CLOSED_TABLES_KEPT)(self._tables_without)
        # The closed days of the last call (a frozenset or tuple: they cannot
        # change) and their tables, as one tuple so that a thread never sees
        # one set with another's tables: a case's calls all name the same
        # frozenset, found here by identity without comparing its days.
        self._last_closed: tuple[object, _Tables] = (frozenset(), self._tables)

    # -- range ---------------------------------------------------------------

    def _index(self, day: dt.date, field: str = "date") -> int:
        i = day.toordinal() - self._base
        if not 0 <= i < self._days:
            raise self._out_of_range(field, day)
        return i

    def _out_of_range(self, field: str, day: dt.date | None = None) -> OutOfRange:
        supported = str(self.supported)
        if day is None:  # a count that runs off either end of the range
            return OutOfRange(
                f"Counting that many working days leaves the supported range {supported} "
                f"of the {self.id} calendar.",
                [FieldError((field,), f"Takes the count outside {supported}")],
            )
        return OutOfRange(
            f"{day.isoformat()} is outside the supported range {supported} "
            f"of the {self.id} calendar.",
            [FieldError((field,), self.supported.must_be())],
        )

    def provisional(self, start: dt.date, end: dt.date) -> bool:
        """True when a day counted in the span lies beyond the published data."""
        return max(start, end) > self.published_last

    # -- single days -----------------------------------------------------------

    def is_working_day(self, day: dt.date, closed: frozenset[dt.date] = frozenset()) -> bool:
        return self._working[self._index(day)] and day not in closed

    def why_not_working(self, day: dt.date, closed: frozenset[dt.date] = frozenset()) -> str | None:
        """The holiday's name, "weekend" or "closed"; None for a working day."""
        self._index(day)
        holiday = self.holidays.get(day)
        if holiday is not None:
            return holiday.name
        if day.weekday() >= 5:
            return WEEKEND
        if day in closed:
            return CLOSED
        return None

    # -- counting --------------------------------------------------------------

    def add_working_days(self, day: dt.date, n: int, closed: Iterable[dt.date] = ()) -> dt.date:
        # The hot path: `_index`'s range check written out (the call costs
        # a fifth of the time here), two list look-ups, no date arithmetic.
        i = day.toordinal() - self._base
        if not 0 <= i < self._days:
            raise self._out_of_range("date", day)
        if not n:
            return day
        if not closed:
            count, nth_date = self._tables
        elif closed is (last := self._last_closed)[0]:  # `_tables_of`'s first look, inline
            count, nth_date = last[1]
        else:
            count, nth_date = self._tables_of(closed)
        # Which working day of the range (0 the first) is the n-th after day i
        # (before it for n < 0): where a count's end is checked against the range.
        k = count[i + 1] + n - 1 if n > 0 else count[i] + n
        if not 0 <= k < len(nth_date):
            raise self._out_of_range("days")
        return nth_date[k]

    def working_days_between(
        self, start: dt.date, end: dt.date, closed: Iterable[dt.date] = ()
    ) -> int:
        # `_index`'s range check written out, as in `add_working_days`.
        i = start.toordinal() - self._base
        if not 0 <= i < self._days:
            raise self._out_of_range("start", start)
        j = end.toordinal() - self._base
        if not 0 <= j < self._days:
            raise self._out_of_range("end", end)
        if not closed:
            count = self._count
        elif closed is (last := self._last_closed)[0]:  # `_tables_of`'s first look, inline
            count = last[1][0]
        else:
            count = self._tables_of(closed)[0]
        # After start up to and including end; when end < start, the working
        # days in [end, start), negated.
        return count[j + 1] - count[i + 1] if j >= i else count[j] - count[i]

    def _tables_of(self, closed: Iterable[dt.date]) -> _Tables:
        """The tables with `closed` taken out, from the last call's, the cache
        or built now."""
        last_closed, tables = self._last_closed
        if closed is last_closed:
            return tables
        if isinstance(closed, frozenset):
            tables = self._tables_for(closed)
        else:
            tables = self._tables_for(frozenset(closed))
            if not isinstance(closed, tuple):
                return tables  # a list may change before the next call: not kept
        self._last_closed = (closed, tables)
        return tables

    def _tables_without(self, closed: frozenset[dt.date]) -> _Tables:
        """Prefix counts and working days in order with `closed` taken out.

        A closed day outside the range, or already a weekend or bank holiday,
        changes nothing, so it is left out rather than counted twice; with no
        closed working day left the calendar's own tables serve.
        """
        base, days, working = self._base, self._days, self._working
        indexes = (day.toordinal() - base for day in closed)
        shut = {i for i in indexes if 0 <= i < days and working[i]}
        if not shut:
            return self._tables
        open_days = list(working)
        for i in shut:
            open_days[i] = False
        count = list(map(self._counts.__getitem__, accumulate(open_days, initial=0)))
        nth_date = [day for day, i in zip(self._nth_date, self._nth, strict=True) if i not in shut]
        return count, nth_date

    def next_working_day(self, day: dt.date, closed: Iterable[dt.date] = ()) -> dt.date:
        return self.add_working_days(day, 1, closed)

    def previous_working_day(self, day: dt.date, closed: Iterable[dt.date] = ()) -> dt.date:
        return self.add_working_days(day, -1, closed)

    # -- explanations ----------------------------------------------------------

    def explain_add(self, day: dt.date, n: int, closed: Iterable[dt.date] = ()) -> CountedSpan:
        """`add_working_days` with the days it passed over and why."""
        closed = tuple(closed)
        result = self.add_working_days(day, n, closed)
        return self._counted_span(day, result, n, closed)

    def explain_between(
        self, start: dt.date, end: dt.date, closed: Iterable[dt.date] = ()
    ) -> CountedSpan:
        """`working_days_between` with the days it passed over and why."""
        closed = tuple(closed)
        return self._counted_span(start, end, self.working_days_between(start, end, closed), closed)

    def _counted_span(
        self, start: dt.date, end: dt.date, n: int, closed: tuple[dt.date, ...]
    ) -> CountedSpan:
        return CountedSpan(
            start, end, n, self.provisional(start, end), self.skipped_days(start, end, closed)
        )

    def holidays_between(self, start: dt.date, end: dt.date) -> list[Holiday]:
        self._index(start, "start")
        self._index(end, "end")
        lo = bisect_left(self._holiday_dates, start)
        hi = bisect_right(self._holiday_dates, end)
        return [self.holidays[d] for d in self._holiday_dates[lo:hi]]

    def skipped_days(
        self,
        start: dt.date,
        end: dt.date,
        closed: Iterable[dt.date] = (),
        *,
        weekends: bool = True,
    ) -> list[SkippedDay]:
        """Non-working days passed over when counting from `start` to `end`,
        in date order, each with the reason `why_not_working` gives.

        The span is the one the counting convention counts: after `start` up
        to and including `end` (or the mirror image when end < start).
        weekends=False leaves out the Saturdays and Sundays that are not bank
        holidays (a deadline's explanation: every count of working days skips
        them). The one routine for both the calendar API and the engine.
        """
        self._index(start, "start")
        self._index(end, "end")
        one = dt.timedelta(days=1)
        first, last = (start + one, end) if end >= start else (end, start - one)
        dates = self._holiday_dates
        lo, hi = bisect_left(dates, first), bisect_right(dates, last)
        if lo == hi and not closed and not weekends:
            return []  # the usual span of a deadline's count: no holiday in it
        reasons = {day: self.holidays[day].name for day in dates[lo:hi]}
        for day in closed:
            if first <= day <= last and day.weekday() < 5 and day not in reasons:
                reasons[day] = CLOSED
        if weekends:
            # The span's Saturdays and Sundays, a week at a time from the first
            # Saturday on or after `first`: bounded by the span asked about.
            saturday = first + dt.timedelta(days=(5 - first.weekday()) % 7)
            sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
            for day in (*_weekly(saturday, last), *_weekly(sunday, last)):
                reasons.setdefault(day, WEEKEND)
        return [SkippedDay(day, reasons[day]) for day in sorted(reasons)]


def _weekly(day: dt.date, last: dt.date) -> list[dt.date]:
    """`day` and the same weekday each week after it, up to `last`."""
    return [day + dt.timedelta(weeks=k) for k in range(max(0, (last - day).days // 7 + 1))]

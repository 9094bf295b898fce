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
calls are O(1) (O(log k) in the number of closed days a caller names): no
day-by-day loop anywhere on the hot path.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from app.calendars.supported_range import DateRange
from app.errors import FieldError, OutOfRange

WEEKEND = "weekend"
CLOSED = "closed"

HolidaySource = Literal["published", "projected"]


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
        self._working_count = len(self._nth)

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
        if closed:
            return self._add_with_closed(day, n, closed)
        # The hot path: two list look-ups and no date arithmetic.
        i = self._index(day)
        return self._nth_date[self._nth_after(i, n)] if n else day

    def _add_with_closed(self, day: dt.date, n: int, closed: Iterable[dt.date]) -> dt.date:
        i = self._index(day)
        result = self._add(i, n)
        extra = _working_closed_days(self, closed)
        # Each closed day that falls inside the span pushes the result one
        # working day further; repeat until no new closed day is crossed.
        step = 1 if n > 0 else -1
        crossed_before = 0
        while True:
            lo, hi = (i, result) if n > 0 else (result, i)
            # Day 0 is never counted: the span is (d, result] going forward
            # and [result, d) going back.
            crossed = _closed_in(extra, lo, hi, include_lo=n < 0, include_hi=n > 0)
            if crossed == crossed_before:
                return dt.date.fromordinal(self._base + result)
            result = self._add(result, step * (crossed - crossed_before))
            crossed_before = crossed

    def _add(self, i: int, n: int) -> int:
        return self._nth[self._nth_after(i, n)] if n else i

    def _nth_after(self, i: int, n: int) -> int:
        """Which working day of the range (0 the first) is the n-th after day i
        (before it for n < 0; n is not 0): where a count's end is checked
        against the range, as `_index` is where a day is."""
        k = self._count[i + 1] + n - 1 if n > 0 else self._count[i] + n
        if not 0 <= k < self._working_count:
            raise self._out_of_range("days")
        return k

    def working_days_between(
        self, start: dt.date, end: dt.date, closed: Iterable[dt.date] = ()
    ) -> int:
        i = self._index(start, "start")
        j = self._index(end, "end")
        extra = _working_closed_days(self, closed)
        if j >= i:
            return self._count[j + 1] - self._count[i + 1] - _closed_in(extra, i, j)
        # end < start: working days in [end, start), negated.
        return -(
            self._count[i]
            - self._count[j]
            - _closed_in(extra, j, i, include_lo=True, include_hi=False)
        )

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


def _working_closed_days(calendar: WorkingDayCalendar, closed: Iterable[dt.date]) -> list[int]:
    """Sorted range indexes of closed days that would otherwise be working days.

    A closed day that is already a weekend or bank holiday changes nothing, so
    it is dropped here rather than counted twice.
    """
    if not closed:
        return []
    base = calendar._base
    working = calendar._working
    out = set()
    for day in closed:
        i = day.toordinal() - base
        if 0 <= i < len(working) and working[i]:
            out.add(i)
    return sorted(out)


def _closed_in(
    extra: list[int],
    lo: int,
    hi: int,
    include_lo: bool = False,
    include_hi: bool = True,
) -> int:
    """How many closed-day indexes lie between lo and hi (ends as flagged)."""
    if not extra:
        return 0
    left = bisect_left(extra, lo) if include_lo else bisect_right(extra, lo)
    right = bisect_right(extra, hi) if include_hi else bisect_left(extra, hi)
    return max(0, right - left)

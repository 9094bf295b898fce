"""The range of days the service answers for, defined once.

Every calendar covers the same days: from 1 January of the first year of
GOV.UK's data to 31 December of the last projected year. A date outside it
is refused wherever it comes in (an event, as_of, a closed day, a query), in
the words of `must_be()`, so that every refusal names the same range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The published data starts in 2012; 2060 leaves room for a newborn's
# care-leaver duties (to 25) with decades to spare, while keeping every
# precomputed table small (about 18,000 days a calendar).
FIRST_YEAR = 2012
LAST_YEAR = 2060


@dataclass(frozen=True)
class DateRange:
    first: dt.date
    last: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.last

    def __str__(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"

    def must_be(self) -> str:
        """What a field outside the range is told."""
        return f"Must be between {self.first} and {self.last}"


SUPPORTED = DateRange(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31))

"""UK working-day calendars: plain Python, no I/O after the one load at start-up."""

from functools import lru_cache

from app.calendars.bank_holidays import CALENDAR_NAMES, BankHolidayData, load
from app.calendars.working_days import CLOSED, WEEKEND, Holiday, SkippedDay, WorkingDayCalendar

CALENDAR_IDS = tuple(CALENDAR_NAMES)


@lru_cache(maxsize=1)
def bank_holiday_data() -> BankHolidayData:
    """The calendars, built once per process from the bundled data."""
    return load()


__all__ = [
    "CALENDAR_IDS",
    "CALENDAR_NAMES",
    "CLOSED",
    "WEEKEND",
    "BankHolidayData",
    "Holiday",
    "SkippedDay",
    "WorkingDayCalendar",
    "bank_holiday_data",
]

"""The bank-holiday calendars as pages: /calendars/{id}?year=YYYY, a year per page.

Each UK calendar (england-and-wales, scotland, northern-ireland) shown a year at a
time: the year's bank holidays listed, then its months as tables with each bank
holiday named on its day. A projected day (a year GOV.UK has not published yet,
projected by rule) is marked "projected" in words, and dashed in style, because a
count that crosses it is provisional. From the same data as
GET /v1/calendars/{id}/holidays (`holidays_between` on the app's calendars).
"""

from __future__ import annotations

import calendar as months
import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.calendars import CALENDAR_IDS, CALENDAR_NAMES
from app.calendars.supported_range import FIRST_YEAR, LAST_YEAR
from app.calendars.working_days import Holiday
from app.deps import CalendarsDep
from app.domain.deadlines import today_in_london
from app.web.templating import not_found, render
from app.web.timeline import date_words

router = APIRouter(include_in_schema=False)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Day:
    date: dt.date
    in_month: bool
    holiday: Holiday | None

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def words(self) -> str:
        return date_words(self.date)


@dataclass(frozen=True)
class Month:
    name: str  # "September 2022"
    weeks: list[list[Day]]
    holidays: list[Holiday]


def year_of(text: str | None, today: dt.date) -> int | None:
    """?year=YYYY, four ASCII digits in the supported range; None if not. No year: this year."""
    if text is None or text == "":
        return today.year
    if len(text) == 4 and text.isascii() and text.isdigit():
        year = int(text)
        if FIRST_YEAR <= year <= LAST_YEAR:
            return year
    return None


def year_view(holidays: list[Holiday], year: int) -> list[Month]:
    """The year's months, Monday first, each day with its bank holiday if it has one."""
    on = {h.date: h for h in holidays}
    grid = months.Calendar(firstweekday=0)
    out = []
    for month in range(1, 13):
        weeks = [
            [
                Day(day, day.month == month, on.get(day) if day.month == month else None)
                for day in week
            ]
            for week in grid.monthdatescalendar(year, month)
        ]
        out.append(
            Month(
                name=f"{months.month_name[month]} {year}",
                weeks=weeks,
                holidays=[h for h in holidays if h.date.month == month],
            )
        )
    return out


@router.get("/calendars/{calendar_id}", response_class=HTMLResponse)
async def calendar_year(
    request: Request, calendar_id: str, data: CalendarsDep, year: str | None = None
) -> HTMLResponse:
    """A calendar's bank holidays for a year (this year by default)."""
    if calendar_id not in CALENDAR_IDS:
        return not_found(request, f"bank holiday calendar called {calendar_id!r}")
    chosen = year_of(year, today_in_london())
    if chosen is None:
        return not_found(
            request, f"calendar for that year: choose a year from {FIRST_YEAR} to {LAST_YEAR}"
        )
    calendar = data.calendars[calendar_id]
    holidays = calendar.holidays_between(dt.date(chosen, 1, 1), dt.date(chosen, 12, 31))
    return render(
        request,
        "calendar.html",
        {
            "calendar_id": calendar_id,
            "calendar_name": CALENDAR_NAMES[calendar_id],
            "calendars": [(c, CALENDAR_NAMES[c]) for c in CALENDAR_IDS],
            "year": chosen,
            "previous_year": chosen - 1 if chosen > FIRST_YEAR else None,
            "next_year": chosen + 1 if chosen < LAST_YEAR else None,
            "holidays": holidays,
            "projected": any(h.source == "projected" for h in holidays),
            "months": year_view(holidays, chosen),
            "weekdays": WEEKDAYS,
            "published_years": data.published_years,
            "projected_years": data.projected_years,
            "date_words": date_words,
        },
    )

"""Working-day calendars: parse, call app.calendars, shape the answer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import AfterValidator, BaseModel, Field

from app.calendars import CALENDAR_IDS, CALENDAR_NAMES, BankHolidayData, WorkingDayCalendar
from app.calendars.date_patterns import CLOSED_PATTERN, DATE_PATTERN
from app.calendars.supported_range import FIRST_YEAR, LAST_YEAR, SUPPORTED
from app.calendars.working_days import CountedSpan
from app.deps import CalendarsDep
from app.errors import FieldError, InvalidInput, OutOfRange, located
from app.problems import problem_responses
from app.routers.caching import NOT_MODIFIED, reference
from app.routers.params import DIGITS_ONLY, DateText
from app.settings import get_settings

router = APIRouter(prefix="/v1/calendars", tags=["calendars"])

CalendarId = Enum("CalendarId", {c.replace("-", "_"): c for c in CALENDAR_IDS}, type=str)  # type: ignore[misc]

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_DAYS = 15_000  # more working days than the supported range holds


def _in_range(day: dt.date) -> dt.date:
    if day not in SUPPORTED:
        raise ValueError(f"{SUPPORTED.must_be()}, the supported range")
    return day


# DateText: YYYY-MM-DD only; DIGITS_ONLY: an integer in plain digits (app/routers/params.py).
SupportedDate = Annotated[DateText, AfterValidator(_in_range)]


def _date_query(description: str) -> object:
    return Query(description=description, json_schema_extra={"pattern": DATE_PATTERN})


ClosedDays = Annotated[
    str | None,
    Query(
        description=(
            "Extra days the caller's organisation is closed (for example a Christmas "
            "closure), comma-separated YYYY-MM-DD. They count as non-working days."
        ),
        # The pattern is declared for clients; parse_closed() checks each
        # date itself so that an error names the item that is wrong.
        json_schema_extra={"pattern": CLOSED_PATTERN},
        max_length=11 * 366,
        examples=["2026-12-29,2026-12-30,2026-12-31"],
    ),
]


def parse_closed(closed: str | None) -> tuple[dt.date, ...]:
    """Parse the `closed` query parameter, naming the item that is wrong."""
    if not closed:
        return ()
    items = closed.split(",")
    limit = get_settings().max_closed_days
    if len(items) > limit:
        raise InvalidInput(
            f"At most {limit} closed days may be named.",
            [FieldError(("query", "closed"), f"at most {limit} dates")],
        )
    days, errors = [], []
    for i, item in enumerate(items):
        try:
            day = dt.date.fromisoformat(item) if DATE_RE.match(item) else None
        except ValueError:
            day = None
        if day is None:
            errors.append(FieldError(("query", "closed", i), "Must be a real date, YYYY-MM-DD"))
        elif day not in SUPPORTED:
            errors.append(FieldError(("query", "closed", i), SUPPORTED.must_be()))
        else:
            days.append(day)
    if errors:
        raise InvalidInput("The closed days are not all valid dates.", errors)
    return tuple(days)


async def calendar_for(calendar_id: CalendarId, data: CalendarsDep) -> WorkingDayCalendar:
    # async: a look-up, not worth a trip to the thread pool.
    return data.calendars[calendar_id.value]


CalendarDep = Annotated[WorkingDayCalendar, Depends(calendar_for)]


# -- response models -------------------------------------------------------------


class YearSpan(BaseModel):
    first: int
    last: int


class Calendar(BaseModel):
    id: str = Field(examples=["england-and-wales"])
    name: str
    published_years: YearSpan = Field(description="Years covered by GOV.UK's published data.")
    projected_years: YearSpan = Field(
        description="Years projected by rule (the `holidays` package); answers that count "
        "days in them are marked provisional."
    )
    supported_range: YearSpan


class HolidayOut(BaseModel):
    date: dt.date
    name: str
    source: Literal["published", "projected"]


class SkippedDayOut(BaseModel):
    date: dt.date
    reason: str = Field(description='The bank holiday\'s name, "weekend" or "closed".')


class AddWorkingDaysOut(BaseModel):
    calendar: str
    date: dt.date
    days: int
    result: dt.date
    provisional: bool = Field(description="True when a day counted lies beyond the published data.")
    closed: list[dt.date]
    skipped: list[SkippedDayOut] = Field(description="Non-working days passed over, with why.")


class WorkingDaysBetweenOut(BaseModel):
    calendar: str
    start: dt.date
    end: dt.date
    working_days: int = Field(
        description="Working days after start up to and including end; negative when end < start."
    )
    provisional: bool
    closed: list[dt.date]
    skipped: list[SkippedDayOut]


class WorkingDayOut(BaseModel):
    calendar: str
    date: dt.date
    working_day: bool
    reason: str | None = Field(description='Why not: the holiday\'s name, "weekend" or "closed".')
    next_working_day: dt.date | None = Field(description="Null at the end of the supported range.")
    previous_working_day: dt.date | None = Field(
        description="Null at the start of the supported range."
    )
    provisional: bool


def _skipped(span: CountedSpan) -> list[SkippedDayOut]:
    return [SkippedDayOut(date=s.date, reason=s.reason) for s in span.skipped]


# -- endpoints -------------------------------------------------------------------------


def _calendar_out(data: BankHolidayData, calendar_id: str) -> Calendar:
    return Calendar(
        id=calendar_id,
        name=CALENDAR_NAMES[calendar_id],
        published_years=YearSpan(first=data.published_years[0], last=data.published_years[1]),
        projected_years=YearSpan(first=data.projected_years[0], last=data.projected_years[1]),
        supported_range=YearSpan(first=FIRST_YEAR, last=LAST_YEAR),
    )


# The calendars and their holiday lists are computed once per version of the
# bank-holiday data (and range), off the event loop, then served from memory
# with an ETag (app/routers/caching.py).


@router.get(
    "", operation_id="list_calendars", response_model=list[Calendar], responses=NOT_MODIFIED
)
async def list_calendars(request: Request, data: CalendarsDep) -> Response:
    """The UK bank-holiday calendars and the years each one covers."""
    return await reference(
        request,
        ("calendars", data.sha256),
        list[Calendar],
        lambda: [_calendar_out(data, c) for c in CALENDAR_IDS],
    )


@router.get(
    "/{calendar_id}",
    operation_id="get_calendar",
    response_model=Calendar,
    responses={**NOT_MODIFIED, **problem_responses(422)},
)
async def get_calendar(request: Request, calendar_id: CalendarId, data: CalendarsDep) -> Response:
    """One calendar and the years it covers."""
    return await reference(
        request,
        ("calendar", data.sha256, calendar_id.value),
        Calendar,
        lambda: _calendar_out(data, calendar_id.value),
    )


@router.get(
    "/{calendar_id}/holidays",
    operation_id="list_holidays",
    response_model=list[HolidayOut],
    responses={**NOT_MODIFIED, **problem_responses(422)},
)
async def list_holidays(
    request: Request,
    calendar: CalendarDep,
    data: CalendarsDep,
    start: Annotated[
        SupportedDate | None, _date_query("First day (default 1 January this year).")
    ] = None,
    end: Annotated[
        SupportedDate | None, _date_query("Last day (default 31 December of start's year).")
    ] = None,
) -> Response:
    """Bank holidays between two dates, each marked published (GOV.UK) or projected."""
    # The defaults are resolved before the key is made: "this year" changes.
    first = start or dt.date(dt.date.today().year, 1, 1)
    last = end or dt.date(first.year, 12, 31)
    if last < first:
        raise InvalidInput(
            "end is before start.", [FieldError(("query", "end"), "must not be before start")]
        )
    return await reference(
        request,
        ("holidays", data.sha256, calendar.id, first, last),
        list[HolidayOut],
        lambda: [
            HolidayOut(date=h.date, name=h.name, source=h.source)
            for h in calendar.holidays_between(first, last)
        ],
        per_query=True,
    )


@router.get(
    "/{calendar_id}/add-working-days",
    operation_id="add_working_days",
    responses=problem_responses(422),
)
def add_working_days(
    calendar: CalendarDep,
    date: Annotated[SupportedDate, _date_query("Day 0 of the count, working day or not.")],
    days: Annotated[
        int,
        Query(ge=-MAX_DAYS, le=MAX_DAYS, description="N; negative counts back."),
        DIGITS_ONLY,
    ],
    closed: ClosedDays = None,
) -> AddWorkingDaysOut:
    """The N-th working day after (or, for negative N, before) a date."""
    closed_days = parse_closed(closed)
    with located("query"):
        span = calendar.explain_add(date, days, closed_days)
    return AddWorkingDaysOut(
        calendar=calendar.id,
        date=date,
        days=days,
        result=span.end,
        provisional=span.provisional,
        closed=list(closed_days),
        skipped=_skipped(span),
    )


@router.get(
    "/{calendar_id}/working-days-between",
    operation_id="working_days_between",
    responses=problem_responses(422),
)
def working_days_between(
    calendar: CalendarDep,
    start: Annotated[SupportedDate, _date_query("Start (not counted).")],
    end: Annotated[SupportedDate, _date_query("End (counted).")],
    closed: ClosedDays = None,
) -> WorkingDaysBetweenOut:
    """Working days from start to end: start excluded, end included."""
    closed_days = parse_closed(closed)
    span = calendar.explain_between(start, end, closed_days)
    return WorkingDaysBetweenOut(
        calendar=calendar.id,
        start=start,
        end=end,
        working_days=span.working_days,
        provisional=span.provisional,
        closed=list(closed_days),
        skipped=_skipped(span),
    )


@router.get(
    "/{calendar_id}/working-day", operation_id="get_working_day", responses=problem_responses(422)
)
def working_day(
    calendar: CalendarDep,
    date: Annotated[SupportedDate, _date_query("The day to look up.")],
    closed: ClosedDays = None,
) -> WorkingDayOut:
    """Whether a date is a working day, why not if not, and the working days either side."""
    closed_days = frozenset(parse_closed(closed))
    reason = calendar.why_not_working(date, closed_days)
    return WorkingDayOut(
        calendar=calendar.id,
        date=date,
        working_day=reason is None,
        reason=reason,
        next_working_day=_or_none(calendar.next_working_day, date, closed_days),
        previous_working_day=_or_none(calendar.previous_working_day, date, closed_days),
        provisional=calendar.provisional(date, date),
    )


def _or_none(
    step: Callable[[dt.date, frozenset[dt.date]], dt.date],
    date: dt.date,
    closed: frozenset[dt.date],
) -> dt.date | None:
    """The neighbouring working day, or None where it would leave the supported range."""
    try:
        return step(date, closed)
    except OutOfRange:
        return None

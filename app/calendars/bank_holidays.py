"""UK bank holidays: GOV.UK's published data, projected forward by rule.

The published data is GOV.UK's own feed (https://www.gov.uk/bank-holidays.json,
Open Government Licence v3.0), bundled as app/data/uk-bank-holidays.json, so
one-off days such as the 2022-09-19 state funeral and the 2023-05-08
coronation come from the government's list, not from anyone's reconstruction.

Years after the published data are projected with the maintained `holidays`
package (explicit subdivisions ENG, SCT, NIR); anything counted across a
projected year is flagged provisional, because a future one-off bank holiday
cannot be foreseen.

The file is checked for content when it is loaded, at start-up (`check_feed`):
an edited or truncated copy (a division's list emptied, a year missing, a date
mistyped into another year) would otherwise start cleanly and then count
every holiday as a working day. Every division must have every year from
FIRST_YEAR to the last published year, at least its regular number of
holidays each year, dates inside their year and no date twice, and the
projection must give exactly the published dates for every published year
(so a dependency update that makes the two diverge stops start-up, and the
years after the feed are projected by rules known to reproduce it). A real
difference GOV.UK publishes that the package does not know yet is recorded
in the meta file's `known_differences`, by division and date, with a reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import holidays as holidays_package

from app.calendars.supported_range import FIRST_YEAR, LAST_YEAR, SUPPORTED
from app.calendars.working_days import Holiday, WorkingDayCalendar
from app.datafiles import DATA_DIR

GOVUK_FILE = DATA_DIR / "uk-bank-holidays.json"
GOVUK_META_FILE = DATA_DIR / "uk-bank-holidays.meta.json"

# Calendar id (GOV.UK's division name) -> subdivision in the `holidays` package.
SUBDIVISIONS = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
CALENDAR_NAMES = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}

# The fewest bank holidays each division has in a year (its regular ones:
# England and Wales 8; Scotland 9, with 2 January and St Andrew's Day, less
# Easter Monday; Northern Ireland 10, with St Patrick's Day and the Boyne).
# One-off days only ever add to these.
REGULAR_COUNTS = {"england-and-wales": 8, "scotland": 9, "northern-ireland": 10}


class BankHolidayDataError(Exception):
    """The bundled bank-holiday data is not what GOV.UK publishes; start-up stops."""


@dataclass(frozen=True)
class BankHolidayData:
    calendars: dict[str, WorkingDayCalendar]
    published_years: tuple[int, int]
    projected_years: tuple[int, int]
    last_updated: str
    source: str
    sha256: str


def published_holidays(feed: Any) -> dict[str, list[Holiday]]:
    """Parse GOV.UK's feed format: {division: {"division", "events": [{"title", "date"}]}}."""
    if not isinstance(feed, dict):
        raise BankHolidayDataError("the feed is not a JSON object of divisions")
    out: dict[str, list[Holiday]] = {}
    for calendar_id in SUBDIVISIONS:
        division = feed.get(calendar_id)
        if not isinstance(division, dict) or division.get("division") != calendar_id:
            raise BankHolidayDataError(f"{calendar_id}: division missing or misnamed")
        events = division.get("events")
        if not isinstance(events, list) or not events:
            raise BankHolidayDataError(f"{calendar_id}: no events")
        holidays: list[Holiday] = []
        for n, e in enumerate(events):
            where = f"{calendar_id}: event {n}"
            if not isinstance(e, dict):
                raise BankHolidayDataError(f"{where}: not an object")
            title, date = e.get("title"), e.get("date")
            if not isinstance(title, str) or not title.strip():
                raise BankHolidayDataError(f"{where}: no title")
            day = None
            if isinstance(date, str) and len(date) == 10:
                with contextlib.suppress(ValueError):
                    day = dt.date.fromisoformat(date)
            if day is None:
                raise BankHolidayDataError(f"{where}: date {date!r} is not YYYY-MM-DD")
            holidays.append(Holiday(day, title, "published"))
        out[calendar_id] = holidays
    return out


def check_feed(
    published: dict[str, list[Holiday]], known_differences: dict[str, dict[str, str]]
) -> int:
    """Check the published lists for content (see the module's docstring);
    return the last published year. Raises BankHolidayDataError naming the
    division, the year and the dates at fault."""
    last_years = {cid: max(h.date.year for h in hs) for cid, hs in published.items()}
    last = max(last_years.values())
    for calendar_id, holidays in published.items():
        if last_years[calendar_id] != last:
            raise BankHolidayDataError(
                f"{calendar_id}: published to {last_years[calendar_id]}, the others to {last}"
            )
        dates = [h.date for h in holidays]
        repeated = sorted({d for d in dates if dates.count(d) > 1})
        if repeated:
            raise BankHolidayDataError(f"{calendar_id}: dates listed twice: {repeated}")
        early = sorted(d for d in dates if d.year < FIRST_YEAR)
        if early:
            raise BankHolidayDataError(f"{calendar_id}: dates before {FIRST_YEAR}: {early}")
        weekend = sorted(d for d in dates if d.weekday() >= 5)
        if weekend:
            # GOV.UK lists the day a holiday is taken, always a weekday.
            raise BankHolidayDataError(f"{calendar_id}: dates at a weekend: {weekend}")
        allowed = known_differences.get(calendar_id, {})
        for year in range(FIRST_YEAR, last + 1):
            listed = {d for d in dates if d.year == year}
            if len(listed) < REGULAR_COUNTS[calendar_id]:
                raise BankHolidayDataError(
                    f"{calendar_id}: {year} has {len(listed)} bank holidays, fewer than the "
                    f"{REGULAR_COUNTS[calendar_id]} it has every year"
                )
            by_rule = {h.date for h in projected_holidays(calendar_id, range(year, year + 1))}
            differ = sorted(d for d in listed ^ by_rule if d.isoformat() not in allowed)
            if differ:
                raise BankHolidayDataError(
                    f"{calendar_id}: {year}: the published dates and the projection differ on "
                    f"{[d.isoformat() for d in differ]} (published: "
                    f"{sorted(d.isoformat() for d in listed)}); fix the file, or record a real "
                    "difference in known_differences"
                )
    return last


def projected_holidays(calendar_id: str, years: range) -> list[Holiday]:
    """Bank holidays that fall on weekdays, by rule, for years GOV.UK has not published.

    GOV.UK lists only the weekday on which a holiday is taken (the substitute
    day when the holiday itself falls at a weekend); the package lists both.
    Keeping weekdays only gives the same shape as the published data.
    """
    by_rule = holidays_package.country_holidays("GB", subdiv=SUBDIVISIONS[calendar_id], years=years)
    return sorted(
        (Holiday(day, name, "projected") for day, name in by_rule.items() if day.weekday() < 5),
        key=lambda h: h.date,
    )


def load(path: Path = GOVUK_FILE, meta_path: Path = GOVUK_META_FILE) -> BankHolidayData:
    raw = path.read_bytes()
    try:
        feed = json.loads(raw)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BankHolidayDataError(f"{path.name} or {meta_path.name}: not JSON ({exc})") from None
    published = published_holidays(feed)
    published_last_year = check_feed(published, meta.get("known_differences", {}))
    published_last = dt.date(published_last_year, 12, 31)
    projection = range(published_last_year + 1, LAST_YEAR + 1)
    calendars = {
        calendar_id: WorkingDayCalendar(
            calendar_id,
            published[calendar_id] + projected_holidays(calendar_id, projection),
            first=SUPPORTED.first,
            last=SUPPORTED.last,
            published_last=published_last,
        )
        for calendar_id in SUBDIVISIONS
    }
    return BankHolidayData(
        calendars=calendars,
        published_years=(FIRST_YEAR, published_last_year),
        projected_years=(published_last_year + 1, LAST_YEAR),
        last_updated=meta["last_updated"],
        source=meta["source"],
        sha256=hashlib.sha256(raw).hexdigest(),
    )

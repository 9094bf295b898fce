"""UK bank holidays: GOV.UK's published data, projected forward by rule.

The published data is GOV.UK's own feed (https://www.gov.uk/bank-holidays.json,
Open Government Licence v3.0), bundled as app/data/uk-bank-holidays.json, so
one-off days such as the 2022-09-19 state funeral and the 2023-05-08
coronation come from the government's list, not from anyone's reconstruction.

Years after the published data are projected with the maintained `holidays`
package (explicit subdivisions ENG, SCT, NIR); anything counted across a
projected year is flagged provisional, because a future one-off bank holiday
cannot be foreseen. tests/test_bank_holidays.py checks that the package agrees
with GOV.UK for every published year, so a divergence is caught the day a
dependency update introduces it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import holidays as holidays_package

from app.calendars.working_days import Holiday, WorkingDayCalendar

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
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

# The supported range. The published data starts in 2012; 2060 leaves room
# for a newborn's care-leaver duties (to 25) with decades to spare, while
# keeping every precomputed table small (about 18,000 days a calendar).
FIRST_YEAR = 2012
LAST_YEAR = 2060


@dataclass(frozen=True)
class BankHolidayData:
    calendars: dict[str, WorkingDayCalendar]
    published_years: tuple[int, int]
    projected_years: tuple[int, int]
    last_updated: str
    source: str
    sha256: str


def published_holidays(feed: dict[str, Any]) -> dict[str, list[Holiday]]:
    """Parse GOV.UK's feed format: {division: {"division", "events": [...]}}."""
    out: dict[str, list[Holiday]] = {}
    for calendar_id in SUBDIVISIONS:
        events = feed[calendar_id]["events"]
        out[calendar_id] = [
            Holiday(dt.date.fromisoformat(e["date"]), e["title"], "published") for e in events
        ]
    return out


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
    feed = json.loads(raw)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    published = published_holidays(feed)
    published_last_year = max(h.date.year for hs in published.values() for h in hs)
    published_last = dt.date(published_last_year, 12, 31)
    projection = range(published_last_year + 1, LAST_YEAR + 1)
    calendars = {
        calendar_id: WorkingDayCalendar(
            calendar_id,
            published[calendar_id] + projected_holidays(calendar_id, projection),
            first=dt.date(FIRST_YEAR, 1, 1),
            last=dt.date(LAST_YEAR, 12, 31),
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

"""The bundled GOV.UK data, and the `holidays` package that projects later years."""

import datetime as dt
import json

import holidays as holidays_package
import pytest

from app.calendars.bank_holidays import GOVUK_FILE, SUBDIVISIONS, projected_holidays

FEED = json.loads(GOVUK_FILE.read_text(encoding="utf-8"))
PUBLISHED_YEARS = sorted({int(e["date"][:4]) for d in FEED.values() for e in d["events"]})


@pytest.mark.parametrize("calendar_id", list(SUBDIVISIONS))
@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_holidays_package_agrees_with_govuk(calendar_id, year):
    """If a dependency update makes the projection diverge from GOV.UK, this fails."""
    govuk = {e["date"] for e in FEED[calendar_id]["events"] if e["date"].startswith(str(year))}
    projected = {h.date.isoformat() for h in projected_holidays(calendar_id, range(year, year + 1))}
    assert projected == govuk


def test_the_feed_covers_every_year_in_full():
    assert list(range(2012, 2029)) == PUBLISHED_YEARS
    for calendar_id in SUBDIVISIONS:
        counts = {y: 0 for y in PUBLISHED_YEARS}
        for e in FEED[calendar_id]["events"]:
            counts[int(e["date"][:4])] += 1
        assert min(counts.values()) >= 8, calendar_id


@pytest.mark.parametrize(
    ("calendar_id", "date", "title"),
    [
        ("england-and-wales", "2020-05-08", "Early May bank holiday (VE day)"),
        ("england-and-wales", "2022-06-03", "Platinum Jubilee bank holiday"),
        (
            "england-and-wales",
            "2022-09-19",
            "Bank Holiday for the State Funeral of Queen Elizabeth II",
        ),
        ("england-and-wales", "2023-05-08", "Bank holiday for the coronation of King Charles III"),
        ("scotland", "2024-12-02", "St Andrew’s Day"),
        ("northern-ireland", "2024-03-18", "St Patrick’s Day"),
        ("northern-ireland", "2025-07-14", "Battle of the Boyne (Orangemen’s Day)"),
        # GOV.UK's name, exactly as its feed gives it (an earlier copy had another)
        ("scotland", "2026-06-15", "World Cup bank holiday"),
    ],
)
def test_one_off_and_substitute_days_are_in_the_data(calendars, calendar_id, date, title):
    holiday = calendars[calendar_id].holidays[dt.date.fromisoformat(date)]
    assert holiday.name == title
    assert holiday.source == "published"


def test_years_after_the_feed_are_projected(calendars):
    christmas = calendars["scotland"].holidays[dt.date(2035, 12, 25)]
    assert christmas.source == "projected"
    assert calendars["england-and-wales"].provisional(dt.date(2028, 12, 31), dt.date(2029, 1, 1))


def test_projection_uses_explicit_subdivisions():
    scotland = holidays_package.country_holidays("GB", subdiv="SCT", years=2030)
    assert dt.date(2030, 1, 2) in scotland  # 2 January is Scottish only
    assert dt.date(2030, 1, 2) not in {
        h.date for h in projected_holidays("england-and-wales", range(2030, 2031))
    }

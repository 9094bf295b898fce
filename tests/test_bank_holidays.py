"""The bundled GOV.UK data, and the `holidays` package that projects later years."""

import copy
import datetime as dt
import hashlib
import json

import holidays as holidays_package
import pytest

from app.calendars.bank_holidays import (
    GOVUK_FILE,
    GOVUK_META_FILE,
    SUBDIVISIONS,
    BankHolidayDataError,
    load,
    projected_holidays,
)

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


# -- the content check at start-up (check_feed) --------------------------------------------

META = json.loads(GOVUK_META_FILE.read_text(encoding="utf-8"))


def _load_edited(tmp_path, edit, meta=None):
    feed = copy.deepcopy(FEED)
    edit(feed)
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    meta_path = tmp_path / "meta.json"
    meta_path.write_text(json.dumps(meta or META), encoding="utf-8")
    return load(path, meta_path)


def _drop(division, date):
    def edit(feed):
        events = feed[division]["events"]
        events[:] = [e for e in events if e["date"] != date]

    return edit


def _set_date(division, old, new):
    def edit(feed):
        for e in feed[division]["events"]:
            if e["date"] == old:
                e["date"] = new

    return edit


def test_the_bundled_file_passes_the_check():
    data = load()
    assert data.published_years == (2012, 2028)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # England's list emptied: the case the issue found starting cleanly
        (lambda f: f["england-and-wales"]["events"].clear(), "england-and-wales: no events"),
        (lambda f: f.pop("scotland"), "scotland: division missing or misnamed"),
        (
            lambda f: f["scotland"].update(division="Scotland"),
            "scotland: division missing or misnamed",
        ),
        # a whole year gone from one division
        (
            lambda f: f["northern-ireland"]["events"].__setitem__(
                slice(None),
                [e for e in f["northern-ireland"]["events"] if not e["date"].startswith("2019")],
            ),
            "northern-ireland: 2019 has 0 bank holidays, fewer than the 10",
        ),
        # the last year gone from one division only
        (
            lambda f: f["england-and-wales"]["events"].__setitem__(
                slice(None),
                [e for e in f["england-and-wales"]["events"] if not e["date"].startswith("2028")],
            ),
            "england-and-wales: published to 2027, the others to 2028",
        ),
        # one regular holiday missing: fewer than every year has
        (_drop("england-and-wales", "2024-12-25"), "england-and-wales: 2024 has 7 bank holidays"),
        # Boxing Day 2024 typed into 2023: 2023's list no longer the projection's
        (
            _set_date("scotland", "2024-12-26", "2023-12-27"),
            "scotland: 2023: the published dates and the projection differ on ['2023-12-27']",
        ),
        (_set_date("scotland", "2024-12-26", "2024-12-25"), "scotland: dates listed twice"),
        (
            _set_date("england-and-wales", "2024-08-26", "2024-08-27"),
            "england-and-wales: 2024: the published dates and the projection differ on "
            "['2024-08-26', '2024-08-27']",
        ),
        (
            _set_date("england-and-wales", "2024-08-26", "2024-08-25"),
            "england-and-wales: dates at a weekend: [datetime.date(2024, 8, 25)]",
        ),
        (_set_date("scotland", "2013-01-01", "2011-01-03"), "scotland: dates before 2012"),
        (_set_date("scotland", "2013-01-01", "2013-02-30"), "is not YYYY-MM-DD"),
        (_set_date("scotland", "2013-01-01", "2013-1-1"), "is not YYYY-MM-DD"),
        (
            lambda f: f["northern-ireland"]["events"][0].update(title=" "),
            "northern-ireland: event 0: no title",
        ),
    ],
)
def test_a_damaged_file_stops_start_up_with_the_division_and_year(tmp_path, edit, message):
    with pytest.raises(BankHolidayDataError) as caught:
        _load_edited(tmp_path, edit)
    assert message in str(caught.value)


def test_a_real_difference_is_accepted_only_when_recorded(tmp_path):
    # A one-off day GOV.UK announces before the `holidays` package knows it.
    def add(feed):
        feed["england-and-wales"]["events"].append(
            {"title": "A one-off bank holiday", "date": "2027-06-07", "notes": "", "bunting": True}
        )

    with pytest.raises(BankHolidayDataError, match=r"2027: .*differ on \['2027-06-07'\]"):
        _load_edited(tmp_path, add)
    meta = {**META, "known_differences": {"england-and-wales": {"2027-06-07": "announced"}}}
    data = _load_edited(tmp_path, add, meta)
    holiday = data.calendars["england-and-wales"].holidays[dt.date(2027, 6, 7)]
    assert (holiday.name, holiday.source) == ("A one-off bank holiday", "published")


def test_a_file_that_is_not_json_stops_start_up(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(BankHolidayDataError, match="not JSON"):
        load(path, GOVUK_META_FILE)


# -- the names are GOV.UK's, verbatim ------------------------------------------------------

# The GOV.UK copy the project shares with the other services, beside the
# repository (CI lays a copy of shared/ beside its fresh clone too).
SHARED_FEED = GOVUK_FILE.parents[2].parent / "shared" / "data" / "uk-bank-holidays.json"


def _names(feed):
    return {
        division: [(e["date"], e["title"]) for e in feed[division]["events"]]
        for division in SUBDIVISIONS
    }


def test_the_bundled_file_is_the_one_whose_digest_is_recorded():
    # Runs everywhere, with or without ../shared: a name edited in the bundled
    # copy (say "Bank holiday for the FIFA World Cup" for GOV.UK's "World Cup
    # bank holiday") changes its digest, so it fails here unless the recorded
    # digest is changed with it, which the test below checks against GOV.UK's copy.
    digest = hashlib.sha256(GOVUK_FILE.read_bytes()).hexdigest()
    assert digest == META["govuk_sha256"]


@pytest.mark.skipif(not SHARED_FEED.exists(), reason=f"{SHARED_FEED} is not there")
def test_every_name_is_govuks_name_for_name():
    shared = json.loads(SHARED_FEED.read_text(encoding="utf-8"))
    ours, govuk = _names(FEED), _names(shared)
    for division in SUBDIVISIONS:
        differ = sorted(set(ours[division]) ^ set(govuk[division]))
        assert differ == [], division
        assert ours[division] == govuk[division], division
    assert ("2026-06-15", "World Cup bank holiday") in ours["scotland"]
    # The recorded digest is the shared copy's, so the check above stands in a
    # clone without ../shared.
    assert hashlib.sha256(SHARED_FEED.read_bytes()).hexdigest() == META["govuk_sha256"]

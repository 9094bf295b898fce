"""The bank-holiday calendar pages (/calendars/{id}?year=, app/web/calendars.py)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.domain.deadlines import today_in_london
from app.main import app

client = TestClient(app)
FUNERAL = "Bank Holiday for the State Funeral of Queen Elizabeth II"


def _between(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i : html.index(end, i)]


def test_2022_in_england_and_wales_names_the_state_funeral_on_19_september():
    r = client.get("/calendars/england-and-wales", params={"year": "2022"})
    assert r.status_code == 200
    html = r.text
    assert '<h1 class="govuk-heading-l">England and Wales bank holidays 2022</h1>' in html
    listed = _between(html, 'id="holidays"', "</table>")
    assert '<time datetime="2022-09-19">Monday 19 September 2022</time>' in listed
    assert FUNERAL in listed
    # GOV.UK's 2022 list for England and Wales: the 8 regular days, the Platinum
    # Jubilee (3 June) and the state funeral.
    assert "10 bank holidays in 2022" in listed
    assert "Projected" not in listed and 'id="provisional"' not in html
    # In September's table, the 19th is marked and named.
    september = _between(html, "September 2022</caption>", "</ul>")
    cell = re.search(
        r'<td class="([^"]*)"><time datetime="2022-09-19">19</time>([^<]*<[^>]*>[^<]*)', september
    )
    assert cell and "app-calendar__holiday" in cell.group(1)
    assert FUNERAL in september
    # Scotland's 2022 has it too, and St Andrew's Day (Wed 30 Nov), which England's has not.
    scotland = client.get("/calendars/scotland?year=2022").text
    assert FUNERAL in scotland and "St Andrew" in scotland and "St Andrew" not in html


def test_a_projected_year_is_marked_provisional():
    about = client.get("/v1/calendars/england-and-wales").json()
    year = about["projected_years"]["first"]
    r = client.get("/calendars/england-and-wales", params={"year": str(year)})
    assert r.status_code == 200
    html = r.text
    assert 'id="provisional"' in html and "Provisional: GOV.UK has not published" in html
    listed = _between(html, 'id="holidays"', "</table>")
    # Every day of a projected year is projected, and says so in words.
    assert listed.count("Projected (provisional)") == listed.count("<time ") > 0
    assert "app-calendar__projected" in listed
    assert "(projected)" in _between(html, "month by month", "</main>")


def test_the_page_shows_the_same_days_as_the_api():
    for calendar in ("england-and-wales", "scotland", "northern-ireland"):
        html = client.get(f"/calendars/{calendar}?year=2026").text
        listed = _between(html, 'id="holidays"', "</table>")
        shown = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">', listed)
        api = client.get(
            f"/v1/calendars/{calendar}/holidays",
            params={"start": "2026-01-01", "end": "2026-12-31"},
        ).json()
        assert shown == [h["date"] for h in api]


def test_previous_and_next_year_links_and_this_year_by_default():
    html = client.get("/calendars/northern-ireland?year=2023").text
    assert 'href="/calendars/northern-ireland?year=2022" rel="prev"' in html
    assert 'href="/calendars/northern-ireland?year=2024" rel="next"' in html
    this_year = today_in_london().year
    html = client.get("/calendars/northern-ireland").text
    assert f"Northern Ireland bank holidays {this_year}</h1>" in html
    # The first supported year has no previous one.
    first = client.get("/v1/calendars/northern-ireland").json()["supported_range"]["first"]
    html = client.get(f"/calendars/northern-ireland?year={first}").text
    assert 'rel="prev"' not in html and 'rel="next"' in html


def test_an_unknown_calendar_or_year_is_page_not_found():
    assert client.get("/calendars/wales").status_code == 404
    for year in ("1999", "2100", "22", "２０２２", "2022.0"):
        r = client.get("/calendars/scotland", params={"year": year})
        assert r.status_code == 404, year
        assert "Page not found" in r.text

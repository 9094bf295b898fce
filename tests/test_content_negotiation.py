"""Accept negotiation (RFC 9110 12.5.1) and the iCalendar and NDJSON operations
of their own: POST /v1/deadlines.ics and POST /v1/overdue.ndjson."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from app.errors import NotAcceptable
from app.main import body_limit
from app.routers.negotiation import negotiate
from tests.test_security_support import API_KEYS, MOSAIC_KEY, build_app

JSON = "application/json"
ICS = "text/calendar"
NDJSON = "application/x-ndjson"
BOTH = (JSON, ICS)

CASE = {
    "authority": "gloucestershire",
    "as_of": "2026-11-23",
    "child": {"date_of_birth": "2015-05-01"},
    "events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}],
}
HEADER = {"authority": "gloucestershire", "as_of": "2026-11-23"}
LINES = [
    {"case_id": "C-1", "child": CASE["child"], "events": CASE["events"]},
    {"case_id": "C-2", "events": [{"type": "referral_received", "date": "2026-09-01"}]},
]
NDJSON_BODY = "".join(json.dumps(line) + "\n" for line in [HEADER, *LINES])


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),  # no header: anything is acceptable, the default
        ("", JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        ("text/calendar", ICS),
        ("TEXT/Calendar", ICS),  # media types are case-insensitive
        ("text/*", ICS),
        ("text/calendar;q=0, application/json", JSON),  # the issue's header
        ("text/calendar;q=0, */*", JSON),
        ("text/calendar;q=0.5, application/json;q=0.4", ICS),
        ("text/calendar;q=0.4, application/json;q=0.5", JSON),
        ("text/*;q=0.9, */*;q=0.1", ICS),
        # The most specific range sets a type's q: */* does not rescue text/calendar.
        ("*/*;q=1, text/calendar;q=0", JSON),
        # Equal q-values: the default, whatever range matched more specifically.
        ("text/*, */*", JSON),
        ("text/calendar, application/json", JSON),
        ("application/xml, text/calendar;q=0.2", ICS),
        ("not a media range, text/calendar", ICS),  # what cannot be read is ignored
        ("nonsense", JSON),
    ],
)
def test_negotiate_picks_by_q_value_then_default(accept, chosen):
    assert negotiate(accept, BOTH) == chosen


@pytest.mark.parametrize(
    "accept",
    [
        "application/xml",
        "text/calendar;q=0, application/json;q=0",
        "*/*;q=0",
        "text/html, image/*",
        "text/*, text/calendar;q=0",  # text/* does not cover application/json
    ],
)
def test_negotiate_refuses_when_nothing_is_acceptable(accept):
    with pytest.raises(NotAcceptable) as raised:
        negotiate(accept, BOTH)
    assert "application/json, text/calendar" in str(raised.value)


def test_a_long_accept_header_is_read_only_so_far():
    # Past MAX_RANGES the ranges are not read: a cap on the work, not an answer.
    ranges = ["application/json;q=0.1"] + ["x/y"] * 100 + [ICS]
    assert negotiate(", ".join(ranges), BOTH) == JSON


@pytest.fixture(scope="module")
def client():
    from app.main import app

    with TestClient(app) as c:
        yield c


def _unstamped(text: str) -> str:
    return re.sub(r"DTSTAMP:[0-9TZ]+", "DTSTAMP:-", text)


def test_deadlines_with_the_issues_accept_header_answers_json(client):
    r = client.post(
        "/v1/deadlines", json=CASE, headers={"Accept": "text/calendar;q=0, application/json"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == JSON
    assert r.json()["authority"] == "gloucestershire"


def test_deadlines_still_answer_icalendar_when_it_is_preferred(client):
    old = client.post("/v1/deadlines", json=CASE, headers={"Accept": "text/calendar"})
    new = client.post("/v1/deadlines.ics", json=CASE)
    assert old.status_code == new.status_code == 200
    assert old.headers["content-type"].startswith(ICS)
    assert new.headers["content-type"].startswith(ICS)
    assert new.text.startswith("BEGIN:VCALENDAR\r\n")
    assert _unstamped(old.text) == _unstamped(new.text)
    assert new.headers["cache-control"] == "no-store"


def test_deadlines_406_names_the_representations(client):
    r = client.post("/v1/deadlines", json=CASE, headers={"Accept": "application/xml"})
    assert r.status_code == 406
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == 406 and problem["title"] == "Not acceptable"
    assert "application/json, text/calendar" in problem["detail"]


@pytest.mark.parametrize(
    "accept", ["application/json", "application/problem+json", "text/calendar;q=0", "text/*"]
)
def test_the_icalendar_operation_answers_only_icalendar(client, accept):
    """One representation: nothing to negotiate, Accept disregarded (RFC 9110
    12.5.1), never a 406. openapi-generator's Python client sends
    `Accept: application/problem+json` here."""
    r = client.post("/v1/deadlines.ics", json=CASE, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(ICS)
    assert r.text.startswith("BEGIN:VCALENDAR\r\n")


def test_the_icalendar_operation_validates_as_deadlines_does(client):
    # The same request validation as POST /v1/deadlines.
    bad = client.post("/v1/deadlines.ics", json={**CASE, "as_of": "yesterday"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "as_of"]


def test_the_ndjson_operation_answers_as_the_old_path_does(client):
    old = client.post("/v1/overdue", content=NDJSON_BODY, headers={"Content-Type": NDJSON})
    new = client.post("/v1/overdue.ndjson", content=NDJSON_BODY, headers={"Content-Type": NDJSON})
    assert old.status_code == new.status_code == 200
    assert new.headers["content-type"] == NDJSON
    assert new.headers["cache-control"] == "no-store"
    assert new.text == old.text
    rows = [json.loads(line) for line in new.text.splitlines()]
    assert rows[-1]["summary"]["cases"] == 2 and rows[-1]["summary"]["problems"] == 0
    # Without a Content-Type the body is read as the one thing the path reads.
    assert client.post("/v1/overdue.ndjson", content=NDJSON_BODY).text == new.text


def test_the_ndjson_operation_refuses_a_json_body(client):
    r = client.post("/v1/overdue.ndjson", json={**HEADER, "cases": LINES})
    assert r.status_code == 415
    assert "application/x-ndjson" in r.json()["detail"]


def test_the_caseload_answers_in_the_type_of_its_body_whatever_accept_says(client):
    expected = client.post("/v1/overdue.ndjson", content=NDJSON_BODY).text
    r = client.post(
        "/v1/overdue.ndjson",
        content=NDJSON_BODY,
        headers={"Content-Type": NDJSON, "Accept": "application/json"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == NDJSON
    assert r.text == expected
    # A JSON caseload is answered in JSON, or in CSV when Accept prefers it
    # (issue 11; tests/test_overdue_workbook.py); an Accept naming neither is
    # answered in JSON, as before CSV was offered.
    r = client.post("/v1/overdue", json={**HEADER, "cases": LINES}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    r = client.post("/v1/overdue", json={**HEADER, "cases": LINES}, headers={"Accept": "image/png"})
    assert r.status_code == 200 and r.headers["content-type"] == JSON
    assert r.json()["cases"] == 2


def _scope(path: str, content_type: bytes | None) -> dict:
    headers = [(b"content-type", content_type)] if content_type else []
    return {"type": "http", "path": path, "headers": headers}


def test_the_ndjson_operation_has_the_ndjson_body_limit():
    assert body_limit(_scope("/v1/overdue.ndjson", None), 10, 99) == 99
    assert body_limit(_scope("/v1/overdue.ndjson", b"application/x-ndjson"), 10, 99) == 99
    assert body_limit(_scope("/v1/overdue", b"application/x-ndjson"), 10, 99) == 99
    assert body_limit(_scope("/v1/overdue", b"application/json"), 10, 99) == 10
    assert body_limit(_scope("/v1/deadlines.ics", None), 10, 99) == 10


def test_the_new_case_paths_need_credentials():
    with TestClient(build_app(auth_required=True, api_keys=API_KEYS)) as c:
        ics = c.post("/v1/deadlines.ics", json=CASE)
        ndjson = c.post("/v1/overdue.ndjson", content=NDJSON_BODY)
        assert ics.status_code == ndjson.status_code == 401
        key = {"X-API-Key": MOSAIC_KEY}
        assert c.post("/v1/deadlines.ics", json=CASE, headers=key).status_code == 200
        assert c.post("/v1/overdue.ndjson", content=NDJSON_BODY, headers=key).status_code == 200

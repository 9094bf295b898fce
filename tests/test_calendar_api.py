"""The calendar endpoints, as a caller sees them."""

import pytest

BASE = "/v1/calendars"


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    return body


def test_list_calendars(client):
    body = client.get(BASE).json()
    assert [c["id"] for c in body] == ["england-and-wales", "scotland", "northern-ireland"]
    assert body[0]["published_years"] == {"first": 2012, "last": 2028}
    assert body[0]["projected_years"] == {"first": 2029, "last": 2060}


def test_holidays_in_a_range(client):
    body = client.get(
        f"{BASE}/scotland/holidays", params={"start": "2024-11-01", "end": "2025-01-05"}
    ).json()
    assert body == [
        {"date": "2024-12-02", "name": "St Andrew’s Day", "source": "published"},
        {"date": "2024-12-25", "name": "Christmas Day", "source": "published"},
        {"date": "2024-12-26", "name": "Boxing Day", "source": "published"},
        {"date": "2025-01-01", "name": "New Year’s Day", "source": "published"},
        {"date": "2025-01-02", "name": "2nd January", "source": "published"},
    ]


def test_projected_holidays_say_so(client):
    body = client.get(
        f"{BASE}/england-and-wales/holidays", params={"start": "2030-12-24", "end": "2030-12-31"}
    ).json()
    assert [(h["date"], h["source"]) for h in body] == [
        ("2030-12-25", "projected"),
        ("2030-12-26", "projected"),
    ]


def test_add_working_days_explains_itself(client):
    body = client.get(
        f"{BASE}/england-and-wales/add-working-days", params={"date": "2022-09-05", "days": 15}
    ).json()
    assert body["result"] == "2022-09-27"
    assert body["provisional"] is False
    assert {
        "date": "2022-09-19",
        "reason": "Bank Holiday for the State Funeral of Queen Elizabeth II",
    } in body["skipped"]


def test_add_working_days_with_closed_days(client):
    body = client.get(
        f"{BASE}/england-and-wales/add-working-days",
        params={"date": "2026-12-24", "days": 1, "closed": "2026-12-29,2026-12-30,2026-12-31"},
    ).json()
    assert body["result"] == "2027-01-04"
    assert body["closed"] == ["2026-12-29", "2026-12-30", "2026-12-31"]
    assert {"date": "2026-12-30", "reason": "closed"} in body["skipped"]


def test_negative_days(client):
    body = client.get(
        f"{BASE}/england-and-wales/add-working-days", params={"date": "2022-09-27", "days": -15}
    ).json()
    assert body["result"] == "2022-09-05"


def test_between_is_the_inverse_of_add(client):
    body = client.get(
        f"{BASE}/northern-ireland/working-days-between",
        params={"start": "2025-07-11", "end": "2025-07-15"},
    ).json()
    assert body["working_days"] == 1
    assert [s["reason"] for s in body["skipped"]] == [
        "weekend",
        "weekend",
        "Battle of the Boyne (Orangemen’s Day)",
    ]


def test_working_day(client):
    body = client.get(f"{BASE}/scotland/working-day", params={"date": "2024-12-02"}).json()
    assert body == {
        "calendar": "scotland",
        "date": "2024-12-02",
        "working_day": False,
        "reason": "St Andrew’s Day",
        "next_working_day": "2024-12-03",
        "previous_working_day": "2024-11-29",
        "provisional": False,
    }
    weekend = client.get(
        f"{BASE}/england-and-wales/working-day", params={"date": "2026-11-22"}
    ).json()
    assert weekend["reason"] == "weekend"
    closed = client.get(
        f"{BASE}/england-and-wales/working-day",
        params={"date": "2026-11-23", "closed": "2026-11-23"},
    ).json()
    assert (closed["working_day"], closed["reason"]) == (False, "closed")


def test_working_day_at_the_edge_of_the_range(client):
    body = client.get(f"{BASE}/england-and-wales/working-day", params={"date": "2012-01-02"}).json()
    assert body["previous_working_day"] is None  # 2012-01-02 is a holiday; nothing earlier is known


# -- bad input ---------------------------------------------------------------------------


def test_unknown_calendar_names_the_allowed_ones(client):
    body = problem(client.get(f"{BASE}/wales/working-day", params={"date": "2024-01-01"}), 422)
    assert body["errors"][0]["loc"] == ["path", "calendar_id"]
    assert "england-and-wales" in body["errors"][0]["msg"]


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"date": "2024-02-30", "days": 1}, ["query", "date"]),
        ({"date": "yesterday", "days": 1}, ["query", "date"]),
        ({"date": "2011-12-31", "days": 1}, ["query", "date"]),
        ({"date": "2061-01-01", "days": 1}, ["query", "date"]),
        ({"date": "2024-01-01", "days": 10**30}, ["query", "days"]),
        ({"date": "2024-01-01", "days": "ten"}, ["query", "days"]),
        ({"date": "2024-01-01"}, ["query", "days"]),
        ({"date": "2024-01-01\x00", "days": 1}, ["query", "date"]),
        (
            {"date": "2024-01-01", "days": 1, "closed": "2024-01-02,not-a-date"},
            ["query", "closed", 1],
        ),
        ({"date": "2024-01-01", "days": 1, "closed": "2024-02-30"}, ["query", "closed", 0]),
        ({"date": "2024-01-01", "days": 1, "closed": "2099-01-01"}, ["query", "closed", 0]),
    ],
)
def test_bad_input_is_a_problem_that_points_at_the_field(client, params, loc):
    body = problem(client.get(f"{BASE}/england-and-wales/add-working-days", params=params), 422)
    assert loc in [e["loc"] for e in body["errors"]]
    assert all(e["msg"] for e in body["errors"])


def test_a_count_that_leaves_the_range_names_the_range(client):
    body = problem(
        client.get(
            f"{BASE}/england-and-wales/add-working-days",
            params={"date": "2060-12-01", "days": 5000},
        ),
        422,
    )
    assert "2012-01-01 to 2060-12-31" in body["detail"]
    assert body["errors"][0]["loc"] == ["query", "days"]


def test_too_many_closed_days(client):
    closed = ",".join(
        f"{y}-{m:02d}-{d:02d}" for y in (2024, 2025) for m in range(1, 13) for d in range(1, 29)
    )
    body = problem(
        client.get(
            f"{BASE}/england-and-wales/add-working-days",
            params={"date": "2024-01-01", "days": 1, "closed": closed},
        ),
        422,
    )
    assert body["errors"][0]["loc"][:2] == ["query", "closed"]


def test_holidays_end_before_start(client):
    body = problem(
        client.get(
            f"{BASE}/scotland/holidays", params={"start": "2024-05-01", "end": "2024-04-01"}
        ),
        422,
    )
    assert body["errors"][0]["loc"] == ["query", "end"]

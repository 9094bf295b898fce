"""What one case may cost: events, deadlines and time (README "Speed").

Each bound spent is a problem for that case (422 budget-exceeded or 503
service-unavailable), never a shorter list; in a caseload it is a problem row
for that case and the other cases are answered. The settings are lowered with
the environment (get_settings is cached: cleared before and after). Time is
never measured here: a counting clock stands in for time.monotonic, and the
engine's linearity is pinned by counting the lines it runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.domain.engine as engine
from app.calendars import bank_holiday_data
from app.catalogue.data import catalogue
from app.domain.deadlines import assess_case, context
from app.reference import rulebook
from app.routers.case_models import EventIn
from app.settings import get_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from bench_deadlines import MIXES
from synthetic_caseload import AS_OF

CALENDARS = bank_holiday_data().calendars

PROBLEM = "urn:children-timescales:problem:"
REQUEST = {"authority": "gloucestershire", "as_of": "2026-11-23"}
# A referral three weeks ago: 6 deadlines (3 overdue, 3 upcoming), all open.
SMALL = {"case_id": "C-1", "events": [{"type": "referral_received", "date": "2026-11-02"}]}
# A referral, a child protection plan and being looked after, all in June: 18
# deadlines, all overdue.
BIG = {
    "case_id": "C-2",
    "events": [
        {"type": "cp_plan_started", "date": "2026-06-01"},
        {"type": "became_looked_after", "date": "2026-06-01"},
        {"type": "referral_received", "date": "2026-06-01"},
    ],
}


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set a setting with monkeypatch.setenv inside the test; the cache is
    cleared so that the next request reads it, and again afterwards."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _set(env: pytest.MonkeyPatch, name: str, value: str) -> None:
    env.setenv(name, value)
    get_settings.cache_clear()


def _problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def _ndjson(client, cases: list[dict]) -> list[dict]:  # type: ignore[no-untyped-def]
    lines = [json.dumps(REQUEST)] + [json.dumps(c) for c in cases]
    response = client.post(
        "/v1/overdue",
        content=("\n".join(lines) + "\n").encode(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    return [json.loads(line) for line in response.text.splitlines() if line]


def test_the_two_cases_as_they_are(client):
    # The figures the tests below rest on, under the default budget.
    assert get_settings().max_deadlines_per_case == 10000
    for case, count in ((SMALL, 6), (BIG, 18)):
        body = client.post("/v1/deadlines", json={**REQUEST, "events": case["events"]}).json()
        assert len(body["deadlines"]) == count


# -- deadlines per case -----------------------------------------------------------------------


def test_more_deadlines_than_the_budget_is_a_422_naming_the_bound(client, settings_env):
    _set(settings_env, "MAX_DEADLINES_PER_CASE", "17")
    body = _problem(client.post("/v1/deadlines", json={**REQUEST, "events": BIG["events"]}), 422)
    assert body["type"] == PROBLEM + "budget-exceeded"
    assert body["title"] == "Request budget exceeded"
    assert body["detail"] == (
        "The events set more than 17 deadlines, the most one case may have "
        "(MAX_DEADLINES_PER_CASE), so none are returned for it; post a shorter history "
        "(history_from and the events since)"
    )
    assert [(e["loc"], e["type"]) for e in body["errors"]] == [
        (["body", "events"], "too_many_deadlines")
    ]


def test_a_case_at_the_budget_is_answered_whole(client, settings_env):
    _set(settings_env, "MAX_DEADLINES_PER_CASE", "18")
    response = client.post("/v1/deadlines", json={**REQUEST, "events": BIG["events"]})
    assert response.status_code == 200
    assert len(response.json()["deadlines"]) == 18


def test_too_many_deadlines_in_a_json_caseload_is_that_case_s_problem(client, settings_env):
    _set(settings_env, "MAX_DEADLINES_PER_CASE", "10")
    body = client.post("/v1/overdue", json={**REQUEST, "cases": [SMALL, BIG]}).json()
    assert body["cases"] == 2
    # C-1's three overdue deadlines are answered; C-2 is one problem, no rows.
    assert [(d["case_id"], d["rule_id"]) for d in body["deadlines"]] == [
        ("C-1", "england.referral_decision"),
        ("C-1", "gloucestershire.cin_initial_visit"),
        ("C-1", "gloucestershire.cin_visit"),
    ]
    [row] = body["problems"]
    assert (row["case_id"], row["index"]) == ("C-2", 1)
    problem = row["problem"]
    assert (problem["status"], problem["type"]) == (422, PROBLEM + "budget-exceeded")
    assert problem["detail"].startswith("Case 'C-2': the events set more than 10 deadlines")
    assert [e["loc"] for e in problem["errors"]] == [["body", "cases", 1, "events"]]


def test_too_many_deadlines_in_an_ndjson_caseload_is_that_case_s_problem(client, settings_env):
    _set(settings_env, "MAX_DEADLINES_PER_CASE", "10")
    rows = _ndjson(client, [SMALL, BIG])
    summary = rows.pop()["summary"]
    assert (summary["cases"], summary["problems"], summary["deadlines"]) == (2, 1, 3)
    assert {r["case_id"] for r in rows if "rule_id" in r} == {"C-1"}
    [row] = [r for r in rows if "problem" in r]
    assert (row["case_id"], row["line"]) == ("C-2", 3)
    problem = row["problem"]
    assert (problem["status"], problem["type"]) == (422, PROBLEM + "budget-exceeded")
    assert problem["detail"].startswith("Case 'C-2': the events set more than 10 deadlines")
    assert [e["loc"] for e in problem["errors"]] == [["body", 3, "events"]]


# -- events per case (MAX_EVENTS_PER_CASE, read when the request models are built) -------------


def test_more_events_than_the_bound_is_a_422_for_that_case(client):
    limit = get_settings().max_events_per_case
    many = [{"type": "statutory_visit", "date": "2026-01-01"}] * (limit + 1)
    body = _problem(client.post("/v1/deadlines", json={**REQUEST, "events": many}), 422)
    assert [e["loc"] for e in body["errors"]] == [["body", "events"]]
    assert body["errors"][0]["type"] == "too_long"

    cases = [SMALL, {"case_id": "C-2", "events": many}]
    answer = client.post("/v1/overdue", json={**REQUEST, "cases": cases}).json()
    assert {d["case_id"] for d in answer["deadlines"]} == {"C-1"}
    [row] = answer["problems"]
    assert (row["case_id"], row["index"], row["problem"]["status"]) == ("C-2", 1, 422)
    assert [e["loc"] for e in row["problem"]["errors"]] == [["body", "cases", 1, "events"]]

    rows = _ndjson(client, cases)
    assert rows[-1]["summary"]["problems"] == 1
    [row] = [r for r in rows if "problem" in r]
    assert (row["case_id"], row["line"], row["problem"]["status"]) == ("C-2", 3, 422)
    assert {r["case_id"] for r in rows if "rule_id" in r} == {"C-1"}


# -- time per case ----------------------------------------------------------------------------


class CountingClock:
    """Stands in for time.monotonic: each reading is one second after the last,
    so a budget of S seconds is S readings of the clock, and a case that the
    engine checks the time for more often than that runs out of it."""

    def __init__(self) -> None:
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return float(self.readings)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> CountingClock:
    counting = CountingClock()
    monkeypatch.setattr(engine, "monotonic", counting)
    return counting


# Looked after, then 1,000 placement moves, one a day: the engine reads the
# clock for each rule and every 32nd episode, anchor and deadline, about 130
# times for this case; about 10 times for the small one.
MOVES = {
    "case_id": "C-2",
    "events": [{"type": "became_looked_after", "date": "2023-01-02"}]
    + [
        {
            "type": "placement_started",
            "date": (dt.date(2023, 1, 2) + dt.timedelta(days=k)).isoformat(),
            "attributes": {"placement_type": "foster"},
        }
        for k in range(1000)
    ],
}


def test_the_clock_is_read_in_the_engine_s_loops(clock):
    # The budget of 60 below rests on these counts.
    book = rulebook()
    ctx = context(book, catalogue(), CALENDARS, "gloucestershire", None, [], AS_OF)
    ctx = dataclasses.replace(ctx, case_seconds=1e9)  # (never spent here)
    for case, lo, hi in ((SMALL, 2, 30), (MOVES, 100, 200)):
        before = clock.readings
        assess_case(ctx, book, None, [EventIn.model_validate(e) for e in case["events"]])
        assert lo <= clock.readings - before <= hi


def test_a_case_out_of_time_is_a_503_with_retry_after(client, clock, settings_env):
    _set(settings_env, "CASE_TIME_BUDGET_SECONDS", "60")
    response = client.post("/v1/deadlines", json={**REQUEST, "events": MOVES["events"]})
    body = _problem(response, 503)
    assert response.headers["retry-after"] == "5"
    assert body["type"] == PROBLEM + "service-unavailable"
    assert body["detail"] == (
        "The deadlines took longer than the 60 s one case may take "
        "(CASE_TIME_BUDGET_SECONDS), so none are returned for it; retry later"
    )
    assert [(e["loc"], e["type"]) for e in body["errors"]] == [(["body"], "time_budget")]
    # The small case, in the same budget, is answered.
    ok = client.post("/v1/deadlines", json={**REQUEST, "events": SMALL["events"]})
    assert ok.status_code == 200 and len(ok.json()["deadlines"]) == 6


def test_out_of_time_in_a_json_caseload_is_that_case_s_problem(client, clock, settings_env):
    _set(settings_env, "CASE_TIME_BUDGET_SECONDS", "60")
    # Each case has its own budget: C-1 after C-2 is still answered.
    body = client.post("/v1/overdue", json={**REQUEST, "cases": [MOVES, SMALL]}).json()
    assert {d["case_id"] for d in body["deadlines"]} == {"C-1"}
    assert len(body["deadlines"]) == 3
    [row] = body["problems"]
    assert (row["case_id"], row["index"]) == ("C-2", 0)
    problem = row["problem"]
    assert (problem["status"], problem["type"]) == (503, PROBLEM + "service-unavailable")
    assert problem["detail"].startswith("Case 'C-2': the deadlines took longer than the 60 s")
    assert [e["loc"] for e in problem["errors"]] == [["body", "cases", 0]]
    # A row has no Retry-After header: the problem says when to try again.
    assert problem["retry_after"] == 5


def test_out_of_time_in_an_ndjson_caseload_is_that_case_s_problem(client, clock, settings_env):
    _set(settings_env, "CASE_TIME_BUDGET_SECONDS", "60")
    rows = _ndjson(client, [MOVES, SMALL])
    summary = rows.pop()["summary"]
    assert (summary["cases"], summary["problems"], summary["deadlines"]) == (2, 1, 3)
    assert {r["case_id"] for r in rows if "rule_id" in r} == {"C-1"}
    [row] = [r for r in rows if "problem" in r]
    assert (row["case_id"], row["line"]) == ("C-2", 2)
    problem = row["problem"]
    assert (problem["status"], problem["type"]) == (503, PROBLEM + "service-unavailable")
    assert [e["loc"] for e in problem["errors"]] == [["body", 2]]
    assert problem["retry_after"] == 5


# -- the engine's work grows linearly with a case's events ------------------------------------


def _lines_run(ctx, book, child, events) -> int:  # type: ignore[no-untyped-def]
    """Lines of app/domain/ executed to assess one case (each turn of a loop or
    comprehension counts its lines again): work, counted, not timed."""
    domain = str(Path(engine.__file__).parent)
    count = 0

    def local(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame, event, arg):  # type: ignore[no-untyped-def]
        return local if frame.f_code.co_filename.startswith(domain) else None

    previous = sys.gettrace()  # (a coverage tool's, if one runs)
    sys.settrace(calls)
    try:
        assess_case(ctx, book, child, events)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("authority", ["gloucestershire", "together-for-children-sunderland"])
@pytest.mark.parametrize("mix", MIXES, ids=lambda m: m[0])
def test_twice_the_events_is_at_most_about_twice_the_work(authority, mix):
    # Before the engine was made linear, a case of 400 placement moves ran
    # 2.9 times the lines of one of 200, and of 400 looked-after reviews in
    # Sunderland 3.6 times, and of 400 events on one day (app/domain/cases.py
    # compared each with the day's others to merge duplicates) 3.9 times;
    # linear, every mix is 1.8 to 2.1.
    name, _, make, born = mix
    book = rulebook()
    ctx = context(book, catalogue(), CALENDARS, authority, None, [], AS_OF)
    child = dt.date.fromisoformat(born) if born else None
    counts = [
        _lines_run(ctx, book, child, [EventIn.model_validate(e) for e in make(n)])
        for n in (200, 400)
    ]
    assert counts[1] / counts[0] <= 2.25, (name, counts)

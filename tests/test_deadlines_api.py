"""The deadline endpoints as case systems and scheduled jobs use them."""

import json

import pytest

from tests.ndjson import asgi_post

CONTRACT_EXAMPLE = {
    "authority": "redcar-and-cleveland",
    "as_of": "2026-11-23",
    "calendar": "england-and-wales",
    "child": {"date_of_birth": "2012-04-02"},
    "closed_days": ["2026-12-29"],
    "events": [
        {"type": "strategy_discussion_held", "date": "2026-11-02", "ref": "SD-1"},
        {"type": "icpc_held", "date": "2026-11-20"},
    ],
}


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def test_the_contract_example(client):
    body = client.post("/v1/deadlines", json=CONTRACT_EXAMPLE).json()
    assert (body["authority"], body["calendar"], body["as_of"]) == (
        "redcar-and-cleveland",
        "england-and-wales",
        "2026-11-23",
    )
    icpc = next(d for d in body["deadlines"] if d["rule_id"] == "england.icpc")
    assert icpc["requirement"] == "icpc" and icpc["title"] == "Initial child protection conference"
    assert (icpc["due"], icpc["status"], icpc["satisfied_by"]) == (
        "2026-11-23",
        "met",
        {"type": "icpc_held", "date": "2026-11-20", "ref": None},
    )
    assert icpc["explanation"]["anchor"] == {
        "type": "strategy_discussion_held",
        "date": "2026-11-02",
        "ref": "SD-1",
        "inferred": False,
        "stands_for": None,
    }
    assert icpc["explanation"]["offset"] == "15 working days"
    assert icpc["citation"]["verification"] == "V-S"
    # No referral is posted: the open case is taken to start at the strategy discussion,
    # and rules counted from the referral say so instead of vanishing.
    unassessed = {n["rule_id"]: n["reason"] for n in body["not_evaluated"]}
    assert unassessed["england.assessment"] == "anchor_not_posted"
    assert (
        body["provenance"]["rules_version"] == client.get("/v1/status").json()["rules"]["version"]
    )
    assert body["merged_duplicates"] == 0 and body["history_from"] is None


def test_next_due_is_the_earliest_open_deadline(client):
    body = client.post(
        "/v1/deadlines",
        json={
            "authority": "england",
            "as_of": "2026-11-23",
            "events": [
                {"type": "referral_received", "date": "2026-11-20", "ref": "R1"},
                {"type": "strategy_discussion_held", "date": "2026-11-20"},
            ],
        },
    ).json()
    # Fri 20 Nov + 1 working day = Mon 23 Nov, the as_of day
    assert body["next_due"]["rule_id"] == "england.referral_decision"
    assert (body["next_due"]["due"], body["next_due"]["status"]) == ("2026-11-23", "due_today")


def test_local_rules_carry_their_catalogue_item(client):
    body = client.post(
        "/v1/deadlines",
        json={
            "authority": "gloucestershire",
            "as_of": "2026-11-23",
            "events": [
                {"type": "icpc_held", "date": "2026-11-02"},
                {"type": "cp_plan_started", "date": "2026-11-02"},
            ],
        },
    ).json()
    visit = next(d for d in body["deadlines"] if d["rule_id"] == "gloucestershire.cp_visit")
    assert visit["basis"] == "local"
    assert visit["due_at"] is None and visit["due"] == "2026-11-04"  # 48 hours from a date: 2 days
    assert client.get(f"/v1/standards/{visit['catalogue_item']}").status_code == 200


def test_icalendar_of_open_deadlines(client):
    r = client.post(
        "/v1/deadlines",
        json={
            "authority": "england",
            "as_of": "2026-11-23",
            "events": [{"type": "strategy_discussion_held", "date": "2026-11-16"}],
        },
        headers={"Accept": "text/calendar"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    text = r.text
    assert text.startswith("BEGIN:VCALENDAR") and text.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20261207" in text  # 15 working days from 16 Nov


OVERDUE = {
    "authority": "gloucestershire",
    "as_of": "2026-11-23",
    "cases": [
        {"case_id": "C-1", "events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}]},
        {"case_id": "C-2", "events": [{"type": "strategy_discussion_held", "date": "2026-09-01"}]},
        {"case_id": "C-3", "events": [{"type": "strategy_discussion_held", "date": "2026-11-20"}]},
    ],
}


def test_overdue_list_is_oldest_first(client):
    body = client.post("/v1/overdue", json=OVERDUE).json()
    assert body["cases"] == 3 and body["problems"] == []
    dues = [(d["due"], d["case_id"], d["rule_id"]) for d in body["deadlines"]]
    assert dues == sorted(dues)
    icpc = [(d["case_id"], d["due"]) for d in body["deadlines"] if d["rule_id"] == "england.icpc"]
    assert icpc == [("C-2", "2026-09-22"), ("C-1", "2026-10-22")]
    # Gloucestershire's 48-hour s47 visit counts from the strategy discussion (1 Sept + 2)
    assert ("C-2", "gloucestershire.s47_visit", "2026-09-03") in [
        (d["case_id"], d["rule_id"], d["due"]) for d in body["deadlines"]
    ]
    # Each case says what was not assessed (no referral posted: no assessment clock).
    assert {n["case_id"] for n in body["not_evaluated"]} == {"C-1", "C-2", "C-3"}


def test_due_within_adds_what_falls_due_soon(client):
    body = client.post("/v1/overdue", json={**OVERDUE, "due_within_working_days": 15}).json()
    assert ("C-3", "2026-12-11") in [(d["case_id"], d["due"]) for d in body["deadlines"]]


def test_overdue_as_ndjson(client):
    header = {k: v for k, v in OVERDUE.items() if k != "cases"}
    lines = [json.dumps(header)] + [json.dumps(c) for c in OVERDUE["cases"]]
    lines.append(
        json.dumps(
            {"case_id": "BAD", "events": [{"type": "nonsense", "date": "2026-01-01", "ref": "E1"}]}
        )
    )
    r = client.post(
        "/v1/overdue",
        content="\n".join(lines) + "\n",
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in r.text.splitlines()]
    deadlines = [row for row in rows if "rule_id" in row]
    icpc = [(d["case_id"], d["due"]) for d in deadlines if d["rule_id"] == "england.icpc"]
    assert icpc == [("C-1", "2026-10-22"), ("C-2", "2026-09-22")]
    # case by case in the order sent, each case's oldest first
    order = [d["case_id"] for d in deadlines]
    assert order == sorted(order, key=["C-1", "C-2", "C-3"].index)
    json_rows = client.post("/v1/overdue", json=OVERDUE).json()["deadlines"]
    assert sorted((d["case_id"], d["rule_id"], d["due"]) for d in deadlines) == sorted(
        (d["case_id"], d["rule_id"], d["due"]) for d in json_rows
    )
    unassessed = [row for row in rows if "not_evaluated" in row]
    assert [row["case_id"] for row in unassessed] == ["C-1", "C-2", "C-3"]
    bad = next(row for row in rows if "problem" in row)
    assert bad["case_id"] == "BAD" and bad["line"] == 5
    assert "ref 'E1'" in bad["problem"]["errors"][0]["msg"]
    assert rows[-1]["summary"] == {
        "cases": 4,
        "deadlines": len(deadlines),
        "not_evaluated": sum(len(row["not_evaluated"]) for row in unassessed),
        "problems": 1,
        "rules": sum("rule" in row for row in rows),
    }
    assert rows[-1]["provenance"]["service_version"]


def test_ndjson_header_errors_are_a_422_before_streaming(client):
    body = problem(
        client.post(
            "/v1/overdue",
            content='{"authority": "atlantis"}\n',
            headers={"Content-Type": "application/x-ndjson"},
        ),
        422,
    )
    assert body["errors"][0]["loc"][:2] == ["body", 1]


def test_unsupported_media_type(client):
    body = problem(
        client.post("/v1/overdue", content="a,b", headers={"Content-Type": "text/csv"}), 415
    )
    assert "application/x-ndjson" in body["detail"]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"authority": "atlantis"}, ["body", "authority"]),
        ({"calendar": "wales"}, ["body", "calendar"]),
        ({"as_of": "2070-01-01"}, ["body", "as_of"]),
        ({"closed_days": ["2026-02-30"]}, ["body", "closed_days", 0]),
        ({"events": [{"type": "icpc_held"}]}, ["body", "events", 0, "date"]),
        (
            {"events": [{"type": "icpc_held", "date": "2026-11-20", "colour": "red"}]},
            ["body", "events", 0, "colour"],
        ),
    ],
)
def test_bad_requests_point_at_the_field(client, change, loc):
    body = problem(client.post("/v1/deadlines", json={**CONTRACT_EXAMPLE, **change}), 422)
    assert loc in [e["loc"] for e in body["errors"]]


def test_an_event_problem_names_the_case_event_and_ref_and_the_others_are_answered(client):
    cases = [
        {"case_id": "C-9", "events": [{"type": "icpc_held", "date": "2026-12-25", "ref": "X1"}]},
        {"case_id": "C-8", "events": [{"type": "visit"}]},
        *OVERDUE["cases"],
    ]
    r = client.post("/v1/overdue", json={**OVERDUE, "cases": cases})
    assert r.status_code == 200
    body = r.json()
    first, second = body["problems"]
    assert (first["case_id"], first["index"]) == ("C-9", 0)
    error = first["problem"]["errors"][0]
    assert error["loc"] == ["body", "cases", 0, "events", 0, "date"]
    assert "case 'C-9', event 0 (ref 'X1')" in error["msg"] and "scheduled" in error["msg"]
    assert first["problem"]["status"] == 422
    # a structurally invalid case still carries its case_id
    assert (second["case_id"], second["index"]) == ("C-8", 1)
    assert ["body", "cases", 1, "events", 0, "date"] in [
        e["loc"] for e in second["problem"]["errors"]
    ]
    # the other cases are answered (C-3's strategy discussion on Fri 20 Nov: the 48-hour
    # visit was due Sun 22 Nov)
    assert {d["case_id"] for d in body["deadlines"]} == {"C-1", "C-2", "C-3"}
    assert body["cases"] == 5


def test_too_many_events(client):
    events = [{"type": "statutory_visit", "date": "2026-01-01"}] * 2001
    body = problem(client.post("/v1/deadlines", json={**CONTRACT_EXAMPLE, "events": events}), 422)
    assert body["errors"][0]["loc"] == ["body", "events"]


def test_nul_bytes_and_huge_numbers_are_refused_not_crashed(client):
    for payload in (
        {**CONTRACT_EXAMPLE, "events": [{"type": "icpc_held\u0000", "date": "2026-11-20"}]},
        {**CONTRACT_EXAMPLE, "as_of": 10**40},
        {**CONTRACT_EXAMPLE, "child": {"date_of_birth": "9999-99-99"}},
    ):
        assert client.post("/v1/deadlines", json=payload).status_code == 422


# -- timescales ---------------------------------------------------------------------------


def test_timescales_filter_and_cite(client):
    rules = client.get(
        "/v1/timescales", params={"authority": "gloucestershire", "requirement": "cp_visit"}
    ).json()
    assert [r["id"] for r in rules] == ["gloucestershire.cp_visit"]
    assert "48 hours" in rules[0]["citation"]["quote"]
    statutory = client.get("/v1/timescales", params={"basis": "statutory"}).json()
    assert {r["ruleset"] for r in statutory} == {"england"}
    practitioner = client.get("/v1/timescales", params={"subject": "practitioner"}).json()
    assert practitioner and not any(r["computable"] for r in practitioner)


def test_one_timescale_and_its_404(client):
    assert client.get("/v1/timescales/england.icpc").json()["due"]["amount"] == 15
    problem(client.get("/v1/timescales/england.nothing"), 404)


def test_a_requirement_side_by_side(client):
    body = client.get("/v1/requirements/cla_visit").json()
    columns = {c["ruleset"]: [t["id"] for t in c["timescales"]] for c in body["rulesets"]}
    assert columns["england"][:1] == ["england.cla_visit"]
    assert columns["south-gloucestershire"] == []  # no numbers of its own: the baseline applies
    assert "gloucestershire.cla_visit" in columns["gloucestershire"]
    problem(client.get("/v1/requirements/astrology"), 404)


def test_ndjson_delivered_in_small_chunks_loses_no_case():
    """A real server hands the body over in many messages; every case must count."""
    header = json.dumps({"authority": "gloucestershire", "as_of": "2026-11-23"})
    cases = [
        json.dumps(
            {
                "case_id": f"C{i}",
                "events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}],
            }
        )
        for i in range(600)
    ]
    body = ("\n".join([header, *cases]) + "\n").encode()
    _, answer = asgi_post(body, 100)
    text = answer.decode()
    summary = json.loads(text.strip().splitlines()[-1])["summary"]
    # Rule lines (once each, before the first row that names the rule) aside:
    rows = [json.loads(line) for line in text.strip().splitlines()[:-1]]
    assert sum("rule" in row for row in rows) == summary["rules"] > 0
    lines = [row for row in rows if "rule" not in row]
    per_case = [row for row in lines if row["case_id"] == "C0"]
    assert (summary["cases"], summary["problems"]) == (600, 0)
    # every case's rows are there: 600 times what the first case has
    assert len(lines) == 600 * len(per_case)
    assert summary["deadlines"] == 600 * sum("rule_id" in row for row in per_case)


def test_answers_match_the_declared_models(client):
    """The rows are built as plain data for speed; they must still be what the schema says."""
    from app.routers.deadline_models import (
        CaseDeadlineOut,
        DeadlinesResponse,
        NotEvaluatedOut,
        OverdueResponse,
        OverdueRowOut,
        RuleOut,
    )

    events = [
        {"type": "became_looked_after", "date": "2026-03-02"},
        {
            "type": "placement_started",
            "date": "2026-03-02T10:00:00+00:00",
            "attributes": {"placement_type": "foster"},
        },
        {"type": "missing_episode_started", "date": "2026-10-01"},
        {"type": "missing_episode_ended", "date": "2026-10-02T23:00:00+01:00"},
    ]
    child = {"date_of_birth": "2012-04-02"}
    body = {
        "authority": "together-for-children-sunderland",
        "as_of": "2026-11-23",
        "child": child,
        "events": events,
    }
    DeadlinesResponse.model_validate(client.post("/v1/deadlines", json=body).json())
    overdue = {
        "authority": "gloucestershire",
        "as_of": "2026-11-23",
        "cases": [{"case_id": "A", "child": child, "events": events}],
    }
    answer = OverdueResponse.model_validate(client.post("/v1/overdue", json=overdue).json())
    assert answer.deadlines and answer.rules
    assert all(isinstance(row, OverdueRowOut) for row in answer.deadlines)
    full = client.post("/v1/overdue?detail=full", json=overdue).json()
    answer = OverdueResponse.model_validate(full)
    assert answer.deadlines and all(isinstance(row, CaseDeadlineOut) for row in answer.deadlines)
    header = json.dumps({"authority": "gloucestershire", "as_of": "2026-11-23"})
    text = client.post(
        "/v1/overdue",
        content=header + "\n" + json.dumps(overdue["cases"][0]) + "\n",
        headers={"Content-Type": "application/x-ndjson"},
    ).text
    rows = [json.loads(line) for line in text.splitlines()][:-1]
    deadline_rows = [row for row in rows if "rule_id" in row]
    assert deadline_rows and all(OverdueRowOut.model_validate(row) for row in deadline_rows)
    assert all(RuleOut.model_validate(row["rule"]) for row in rows if "rule" in row)
    for row in rows:
        if "not_evaluated" in row:
            assert [NotEvaluatedOut.model_validate(n) for n in row["not_evaluated"]]


def test_a_count_that_leaves_the_calendar_names_the_event_it_was_counted_from(client):
    # Sunderland: the ICPC report is shared at least 3 working days before the
    # conference. A conference on Sunday 1 January 2012, the first day the
    # calendars cover, puts that before the range: a 422 that names the event.
    # (Sunderland's standards date from September 2019: rules_as_of applies them
    # to a conference of 2012, which they would otherwise not be in force for.)
    events = [
        {"type": "referral_received", "date": "2012-01-01"},
        {"type": "icpc_held", "date": "2012-01-01", "ref": "ICPC-1"},
    ]
    body = problem(
        client.post(
            "/v1/deadlines",
            json={
                "authority": "together-for-children-sunderland",
                "as_of": "2012-01-01",
                "rules_as_of": "2020-01-01",
                "events": events,
            },
        ),
        422,
    )
    assert "icpc_report_shared" in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "events", 1, "date"]
    assert "2012-01-01 to 2060-12-31" in body["errors"][0]["msg"]

"""recorded_event_types: a caller whose data records only some events (an Annex A
workbook, a partial extract) gets no false overdue rows for what it cannot record.

A rule met by none of the recorded types sets no deadline; it is listed in
not_evaluated with reason not_recorded. Rules met by a recorded type are
computed exactly as without the field.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)

# A child protection plan as an Annex A List 7 row gives it: the plan's start, the
# last statutory visit and the latest review conference.
ANNEX_A_ROW = [
    {"type": "cp_plan_started", "date": "2026-09-01"},
    {"type": "statutory_visit", "date": "2026-11-02"},
    {"type": "rcpc_held", "date": "2026-10-01"},
]
RECORDED = ["cp_plan_started", "statutory_visit", "rcpc_held"]


def _post(path: str, **extra):
    body = {
        "authority": "redcar-and-cleveland",
        "as_of": "2026-11-20",
        "history_from": "2026-11-02",
        "events": ANNEX_A_ROW,
        **extra,
    }
    r = client.post(path, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_rules_met_by_unrecorded_events_set_no_deadline_and_say_so():
    without = _post("/v1/deadlines")
    narrowed = _post("/v1/deadlines", recorded_event_types=RECORDED)
    # Without the field, Redcar's core group, case recording and supervision rules
    # report deadlines that nothing in an Annex A row could ever meet.
    assert "redcar-and-cleveland.core_group" in {d["rule_id"] for d in without["deadlines"]}
    rows = {(d["rule_id"], d["due"], d["status"]) for d in narrowed["deadlines"]}
    # Counted by hand: the visit on Mon 2 Nov 2026 + 10 working days (3-6 Nov = 4,
    # 9-13 = 9, Mon 16 = 10; no bank holiday in November) = Mon 16 Nov, not met by
    # as_of 20 Nov. The review: plan 1 Sep + 3 months = 1 Dec, met by the review on
    # 1 Oct; then 1 Oct + 6 months = 1 Apr 2027.
    assert rows == {
        ("redcar-and-cleveland.cp_visit", "2026-11-16", "overdue"),
        ("england.rcpc", "2026-12-01", "met"),
        ("england.rcpc", "2027-04-01", "upcoming"),
    }
    not_recorded = {
        n["rule_id"] for n in narrowed["not_evaluated"] if n["reason"] == "not_recorded"
    }
    assert {
        "redcar-and-cleveland.core_group",
        "redcar-and-cleveland.case_recording",
        "redcar-and-cleveland.case_supervision.cp",
        "redcar-and-cleveland.chronology_update",
    } <= not_recorded
    # Every rule that set deadlines without the field either sets the same ones
    # with it or is listed as not recorded: nothing silently goes.
    before = {d["rule_id"] for d in without["deadlines"]}
    after = {d["rule_id"] for d in narrowed["deadlines"]}
    assert before == after | (before & not_recorded)
    detail = next(
        n["detail"]
        for n in narrowed["not_evaluated"]
        if n["rule_id"] == "redcar-and-cleveland.core_group"
    )
    assert "core_group_held" in detail


def test_the_overdue_list_leaves_out_what_the_data_cannot_record():
    case = {"case_id": "A-1", "history_from": "2026-11-02", "events": ANNEX_A_ROW}
    body = {"authority": "redcar-and-cleveland", "as_of": "2026-11-20", "cases": [case]}
    full = client.post("/v1/overdue", json=body).json()
    narrowed = client.post("/v1/overdue", json={**body, "recorded_event_types": RECORDED}).json()
    assert {d["rule_id"] for d in full["deadlines"]} > {"redcar-and-cleveland.cp_visit"}
    assert [(d["rule_id"], d["due"]) for d in narrowed["deadlines"]] == [
        ("redcar-and-cleveland.cp_visit", "2026-11-16")
    ]
    assert any(n["reason"] == "not_recorded" for n in narrowed["not_evaluated"])


@pytest.mark.parametrize("bad", [["statutory_visit", "visit"], ["nope"]])
def test_an_unknown_recorded_type_is_a_problem_naming_it(bad):
    r = client.post(
        "/v1/deadlines",
        json={
            "authority": "england",
            "as_of": "2026-11-20",
            "events": [],
            "recorded_event_types": bad,
        },
    )
    assert r.status_code == 422
    where = [e["loc"] for e in r.json()["errors"]]
    assert where == [["body", "recorded_event_types", bad.index(bad[-1])]]

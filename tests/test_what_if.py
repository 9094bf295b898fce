"""POST /v1/what-if (issue 14): which deadlines of a caseload move, or change
status, with a bank holiday removed or added, closed days added, or the rules
of another day. Every date below is counted by hand from the rules' words
(Working Together: assessment "45 working days from the point of referral",
ICPC "within 15 working days of the Strategy Discussion") and GOV.UK's
england-and-wales bank holidays (app/data/uk-bank-holidays.json: Mon 29 Aug
2022 Summer bank holiday, Mon 19 Sep 2022 Bank Holiday for the State Funeral
of Queen Elizabeth II; Mon 25 and Tue 26 Dec 2023, Mon 1 Jan 2024)."""

from __future__ import annotations

import json
import logging

import pytest

FUNERAL = "2022-09-19"
FUNERAL_NAME = "Bank Holiday for the State Funeral of Queen Elizabeth II"
NO_LONGER_SKIPPED = f"{FUNERAL} ({FUNERAL_NAME}) is no longer skipped"

# The worked example: three England cases around the state funeral, judged on
# Thu 1 Dec 2022, with 19 Sep 2022 removed as a bank holiday.
CASES = [
    {
        # Referral Mon 22 Aug 2022; strategy discussion Mon 12 Sep; ICPC held Fri 30 Sep.
        "case_id": "A",
        "events": [
            {"type": "referral_received", "date": "2022-08-22"},
            {"type": "strategy_discussion_held", "date": "2022-09-12"},
            {"type": "icpc_held", "date": "2022-09-30"},
        ],
    },
    {
        # Referral Tue 20 Sep 2022, the day after the funeral: no count of
        # this case passes 19 Sep, so nothing of it moves.
        "case_id": "B",
        "events": [{"type": "referral_received", "date": "2022-09-20"}],
    },
    {
        # Referral Mon 1 Aug 2022; assessment completed Wed 5 Oct 2022.
        "case_id": "C",
        "events": [
            {"type": "referral_received", "date": "2022-08-01"},
            {"type": "assessment_completed", "date": "2022-10-05"},
        ],
    },
]
HEADER = {"authority": "england", "as_of": "2022-12-01"}
REMOVE_FUNERAL = {"bank_holidays_removed": [FUNERAL]}


def side(due, status, overdue=0):
    return {"due": due, "due_at": None, "status": status, "working_days_overdue": overdue}


def change(case_id, rule, anchor_type, anchor_date, before, after, why):
    return {
        "case_id": case_id,
        "rule_id": f"england.{rule}",
        "requirement": rule,
        "basis": "statutory",
        "anchor": {"type": anchor_type, "date": anchor_date},
        "occurrence": 1,
        "before": before,
        "after": after,
        "why": why,
    }


# Case A, ICPC: 15 working days from Mon 12 Sep 2022.
#   Before: Tue 13-Fri 16 Sep = 4; Mon 19 Sep skipped (funeral); Tue 20-Fri 23 = 8;
#   Mon 26-Fri 30 = 13; Mon 3 Oct = 14; Tue 4 Oct = 15 -> due Tue 4 Oct 2022.
#   After: 13-16 Sep = 4; 19 Sep = 5; 20-23 = 9; 26-30 = 14; Mon 3 Oct = 15
#   -> due Mon 3 Oct 2022. Held Fri 30 Sep: met on both sides.
# Case A, assessment: 45 working days from Mon 22 Aug 2022.
#   Before: Tue 23-Fri 26 Aug = 4; Mon 29 Aug skipped (Summer bank holiday);
#   Tue 30 Aug-Fri 2 Sep = 8; 5-9 Sep = 13; 12-16 = 18; 19 skipped; 20-23 = 22;
#   26-30 = 27; 3-7 Oct = 32; 10-14 = 37; 17-21 = 42; Mon 24 = 43; Tue 25 = 44;
#   Wed 26 Oct = 45 -> due Wed 26 Oct 2022.
#   After: ... 12-16 Sep = 18; 19 = 19; 20-23 = 23; 26-30 = 28; 3-7 Oct = 33;
#   10-14 = 38; 17-21 = 43; Mon 24 = 44; Tue 25 Oct = 45 -> due Tue 25 Oct 2022.
#   Not completed: overdue on Thu 1 Dec 2022 on both sides. Working days
#   overdue, from the day after `due` to as_of: before, Thu 27-Fri 28 Oct = 2;
#   31 Oct-4 Nov = 7; 7-11 Nov = 12; 14-18 = 17; 21-25 = 22; Mon 28 Nov-Thu 1
#   Dec = 26. After, Wed 26 Oct counts too: 27.
# Case A, referral decision: 1 working day from Mon 22 Aug -> Tue 23 Aug on
#   both sides (no holiday between): not listed.
# Case B: referral Tue 20 Sep 2022, after the funeral: its counts (1 and 45
#   working days) never pass 19 Sep: not listed.
# Case C, assessment: 45 working days from Mon 1 Aug 2022.
#   Before: Tue 2-Fri 5 Aug = 4; 8-12 = 9; 15-19 = 14; 22-26 = 19; 29 Aug
#   skipped; 30 Aug-2 Sep = 23; 5-9 Sep = 28; 12-16 = 33; 19 skipped; 20-23 = 37;
#   26-30 = 42; Mon 3 Oct = 43; Tue 4 = 44; Wed 5 Oct = 45 -> due Wed 5 Oct 2022.
#   After: 12-16 Sep = 33; 19 = 34; 20-23 = 38; 26-30 = 43; Mon 3 Oct = 44;
#   Tue 4 Oct = 45 -> due Tue 4 Oct 2022.
#   Completed Wed 5 Oct: met (on the day) before; met_late after, 1 working
#   day late (Tue 4 -> Wed 5 Oct).
# Case C, referral decision: Mon 1 Aug -> Tue 2 Aug on both sides: not listed.
WORKED_CHANGES = [
    change(
        "A",
        "icpc",
        "strategy_discussion_held",
        "2022-09-12",
        side("2022-10-04", "met"),
        side("2022-10-03", "met"),
        f"{NO_LONGER_SKIPPED}: due 2022-10-04 -> 2022-10-03",
    ),
    change(
        "A",
        "assessment",
        "referral_received",
        "2022-08-22",
        side("2022-10-26", "overdue", 26),
        side("2022-10-25", "overdue", 27),
        f"{NO_LONGER_SKIPPED}: due 2022-10-26 -> 2022-10-25",
    ),
    change(
        "C",
        "assessment",
        "referral_received",
        "2022-08-01",
        side("2022-10-05", "met"),
        side("2022-10-04", "met_late", 1),
        f"{NO_LONGER_SKIPPED}: due 2022-10-05 -> 2022-10-04; status met -> met_late: "
        "due moved before the satisfying event (assessment_completed on 2022-10-05)",
    ),
]


def post(client, change_, cases=CASES, **header):
    return client.post("/v1/what-if", json={**HEADER, **header, "change": change_, "cases": cases})


def test_removing_the_state_funeral_moves_these_deadlines_and_no_others(client):
    r = post(client, REMOVE_FUNERAL)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["changes"] == WORKED_CHANGES
    assert body["not_evaluated_changes"] == []
    assert body["problems"] == []
    assert body["cases"] == 3
    assert body["calendar"] == "england-and-wales"
    assert body["change"]["bank_holidays_removed"] == [FUNERAL]
    assert body["summary"] == {
        "cases": 3,
        "changes": 3,
        "moved": 3,
        "status_changed": 1,
        "appears": 0,
        "no_longer_set": 0,
        "not_evaluated_changes": 0,
        "problems": 0,
    }
    assert set(body["provenance"]) == {"service_version", "rules_version", "bank_holidays_version"}


# ICPC 15 working days from Mon 12 Sep 2022, judged on Tue 20 Sep 2022
# (upcoming on both sides). Before: Tue 4 Oct (counted above). With Wed 14
# Sep 2022 closed (or made a bank holiday): Tue 13 Sep = 1; 14 skipped;
# Thu 15-Fri 16 = 3; 19 skipped (funeral); 20-23 = 7; 26-30 = 12; Mon 3 Oct
# = 13; Tue 4 = 14; Wed 5 Oct = 15 -> due Wed 5 Oct 2022.
ICPC_CASE = [
    {"case_id": "S", "events": [{"type": "strategy_discussion_held", "date": "2022-09-12"}]}
]


@pytest.mark.parametrize(
    ("change_", "skipped"),
    [
        ({"closed_days_added": ["2022-09-14"]}, "2022-09-14 (a closed day)"),
        (
            {"bank_holidays_added": [{"date": "2022-09-14", "name": "A day of mourning"}]},
            "2022-09-14 (A day of mourning)",
        ),
    ],
)
def test_a_day_closed_or_made_a_holiday_moves_a_working_day_deadline(client, change_, skipped):
    r = post(client, change_, ICPC_CASE, as_of="2022-09-20")
    assert r.status_code == 200, r.text
    assert r.json()["changes"] == [
        {
            "case_id": "S",
            "rule_id": "england.icpc",
            "requirement": "icpc",
            "basis": "statutory",
            "anchor": {"type": "strategy_discussion_held", "date": "2022-09-12"},
            "occurrence": 1,
            "before": side("2022-10-04", "upcoming"),
            "after": side("2022-10-05", "upcoming"),
            "why": f"{skipped} is now skipped: due 2022-10-04 -> 2022-10-05",
        }
    ]


def test_the_rules_of_a_day_before_the_council_standards_set_no_local_assessment(client):
    # Redcar and Cleveland's standards are in force from 1 Nov 2023. A referral
    # on Mon 6 Nov 2023: its local assessment, 45 working days: Tue 7-Fri 10
    # Nov = 4; 13-17 = 9; 20-24 = 14; 27 Nov-1 Dec = 19; 4-8 Dec = 24; 11-15 =
    # 29; 18-22 = 34; Mon 25 and Tue 26 Dec skipped (Christmas, Boxing Day);
    # Wed 27-Fri 29 = 37; Mon 1 Jan 2024 skipped (New Year's Day); Tue 2-Fri 5
    # = 41; Mon 8 = 42; Tue 9 = 43; Wed 10 = 44; Thu 11 Jan 2024 = 45 -> due
    # Thu 11 Jan 2024, upcoming on Fri 1 Dec 2023. Under the rules of Tue 31
    # Oct 2023 the standard is not in force: no longer set.
    cases = [{"case_id": "R", "events": [{"type": "referral_received", "date": "2023-11-06"}]}]
    r = post(
        client,
        {"rules_as_of": "2023-10-31"},
        cases,
        authority="redcar-and-cleveland",
        as_of="2023-12-01",
    )
    assert r.status_code == 200, r.text
    body = r.json()
    why = (
        "no longer set (not in force): in force from 2023-11-01, not on rules_as_of "
        "(2023-10-31) (the statutory rules apply throughout)"
    )
    assessment = [c for c in body["changes"] if c["rule_id"] == "redcar-and-cleveland.assessment"]
    assert assessment == [
        {
            "case_id": "R",
            "rule_id": "redcar-and-cleveland.assessment",
            "requirement": "assessment",
            "basis": "local",
            "anchor": {"type": "referral_received", "date": "2023-11-06"},
            "occurrence": 1,
            "before": side("2024-01-11", "upcoming"),
            "after": None,
            "why": why,
        }
    ]
    # Every change is a local rule going (the statutory ones apply throughout),
    # and each rule that goes is listed as not evaluated after the change.
    assert {c["basis"] for c in body["changes"]} == {"local"}
    assert all(c["after"] is None and c["why"] == why for c in body["changes"])
    gone = {c["rule_id"] for c in body["changes"]}
    assert {n["rule_id"] for n in body["not_evaluated_changes"]} == gone
    assert all(
        n["before"] is None and n["after"]["reason"] == "not_in_force"
        for n in body["not_evaluated_changes"]
    )
    assert body["summary"]["no_longer_set"] == len(gone)


@pytest.mark.parametrize(
    ("change_", "loc"),
    [
        # Tue 20 Sep 2022 is not a bank holiday.
        ({"bank_holidays_removed": ["2022-09-20"]}, ["body", "change", "bank_holidays_removed", 0]),
        (
            {"bank_holidays_removed": [FUNERAL, FUNERAL]},
            ["body", "change", "bank_holidays_removed", 1],
        ),
        # Sat 17 Sep 2022: a weekend day.
        (
            {"bank_holidays_added": [{"date": "2022-09-17", "name": "x"}]},
            ["body", "change", "bank_holidays_added", 0, "date"],
        ),
        # Already a bank holiday.
        (
            {"bank_holidays_added": [{"date": FUNERAL, "name": "x"}]},
            ["body", "change", "bank_holidays_added", 0, "date"],
        ),
        # Outside the supported range (2012-2060).
        (
            {"bank_holidays_added": [{"date": "2011-06-01", "name": "x"}]},
            ["body", "change", "bank_holidays_added", 0, "date"],
        ),
        ({"closed_days_added": ["2061-01-03"]}, ["body", "change", "closed_days_added", 0]),
        # Nothing named.
        ({}, ["body", "change"]),
        # Only a Saturday closed (Sat 17 Sep 2022): changes nothing.
        ({"closed_days_added": ["2022-09-17"]}, ["body", "change"]),
        # Only a bank holiday closed: changes nothing.
        ({"closed_days_added": [FUNERAL]}, ["body", "change"]),
        ({"bank_holidays_removed": [FUNERAL], "also": 1}, ["body", "change", "also"]),
    ],
)
def test_a_change_that_cannot_be_made_is_a_422_naming_the_field(client, change_, loc):
    r = post(client, change_)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert loc in [e["loc"] for e in r.json()["errors"]]


def test_the_same_rules_as_of_on_both_sides_changes_nothing(client):
    r = post(client, {"rules_as_of": "2023-10-31"}, rules_as_of="2023-10-31")
    assert r.status_code == 422
    assert ["body", "change"] in [e["loc"] for e in r.json()["errors"]]


def test_a_change_without_cases_or_with_no_change_is_refused(client):
    r = client.post("/v1/what-if", json={**HEADER, "cases": CASES})
    assert r.status_code == 422
    assert ["body", "change"] in [e["loc"] for e in r.json()["errors"]]
    r = client.post("/v1/what-if", json={**HEADER, "change": REMOVE_FUNERAL})
    assert r.status_code == 422
    assert ["body", "cases"] in [e["loc"] for e in r.json()["errors"]]


def ndjson(client, header, lines):
    body = "\n".join([json.dumps(header), *lines]) + "\n"
    r = client.post("/v1/what-if", content=body, headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in r.text.splitlines()]


def test_ndjson_in_and_out_gives_the_json_changes_and_a_problem_line(client):
    lines = [
        json.dumps(CASES[0]),
        '{"case_id": "broken", "events": [',  # not JSON: a problem line naming it
        json.dumps(CASES[1]),
        json.dumps(CASES[2]),
    ]
    rows = ndjson(client, {**HEADER, "change": REMOVE_FUNERAL}, lines)
    assert rows[:-1] == [
        WORKED_CHANGES[0],
        WORKED_CHANGES[1],
        {"case_id": "broken", "line": 3, "problem": rows[2]["problem"]},
        WORKED_CHANGES[2],
    ]
    assert rows[2]["problem"]["status"] in (400, 422)
    assert rows[-1]["summary"] == {
        "cases": 4,
        "changes": 3,
        "moved": 3,
        "status_changed": 1,
        "appears": 0,
        "no_longer_set": 0,
        "not_evaluated_changes": 0,
        "problems": 1,
    }
    assert "provenance" in rows[-1]


def test_ndjson_not_evaluated_changes_come_on_a_line_of_their_case(client):
    header = {
        "authority": "redcar-and-cleveland",
        "as_of": "2023-12-01",
        "change": {"rules_as_of": "2023-10-31"},
    }
    case = {"case_id": "R", "events": [{"type": "referral_received", "date": "2023-11-06"}]}
    rows = ndjson(client, header, [json.dumps(case)])
    answer = post(
        client, header["change"], [case], **{k: header[k] for k in ("authority", "as_of")}
    )
    expected = answer.json()
    assert [r for r in rows if "rule_id" in r] == expected["changes"]
    (line,) = [r for r in rows if "not_evaluated_changes" in r]
    assert line["case_id"] == "R"
    assert [{"case_id": "R", **n} for n in line["not_evaluated_changes"]] == expected[
        "not_evaluated_changes"
    ]


def test_an_ndjson_header_with_a_bad_change_is_a_422_at_its_line(client):
    body = json.dumps({**HEADER, "change": {"bank_holidays_removed": ["2022-09-20"]}}) + "\n"
    r = client.post("/v1/what-if", content=body, headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 422
    assert ["body", 1, "change", "bank_holidays_removed", 0] in [
        e["loc"] for e in r.json()["errors"]
    ]


def test_another_media_type_is_a_415(client):
    r = client.post("/v1/what-if", content=b"a,b", headers={"Content-Type": "text/csv"})
    assert r.status_code == 415


def test_the_changed_calendar_is_built_once_for_a_repeated_change(client):
    from app.domain.what_if import _built

    _built.cache_clear()
    for _ in range(3):
        assert post(client, REMOVE_FUNERAL).status_code == 200
    info = _built.cache_info()
    assert (info.misses, info.hits) == (1, 2)
    assert info.maxsize == 16


def test_nothing_of_the_body_is_logged(client, caplog):
    secret = "MOSAIC-PERSON-424242"
    cases = [
        {
            "case_id": secret + "-case",
            "child": {"date_of_birth": "2012-04-02"},
            "events": [{"type": "strategy_discussion_held", "date": "2022-09-12", "ref": secret}],
        },
        {"case_id": secret + "-bad", "events": [{"type": "no_such_event", "date": "2022-09-12"}]},
    ]
    with caplog.at_level(logging.DEBUG):
        assert post(client, REMOVE_FUNERAL, cases).status_code == 200
        assert post(client, {"bank_holidays_removed": ["2022-09-20"]}, cases).status_code == 422
    text = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert caplog.records  # the requests were logged, without their bodies
    assert secret not in text
    assert "2012-04-02" not in text


def test_an_ndjson_what_if_has_the_ndjson_body_limit_and_a_json_one_the_other():
    from app.main import body_limit

    def scope(content_type):
        return {"type": "http", "path": "/v1/what-if", "headers": [(b"content-type", content_type)]}

    assert body_limit(scope(b"application/x-ndjson"), 10, 99) == 99
    assert body_limit(scope(b"application/json"), 10, 99) == 10


def test_a_what_if_needs_credentials_and_is_never_stored():
    from fastapi.testclient import TestClient

    from tests.test_security_support import API_KEYS, MOSAIC_KEY, build_app

    body = {**HEADER, "change": REMOVE_FUNERAL, "cases": CASES}
    with TestClient(build_app(auth_required=True, api_keys=API_KEYS)) as c:
        assert c.post("/v1/what-if", json=body).status_code == 401
        r = c.post("/v1/what-if", json=body, headers={"X-API-Key": MOSAIC_KEY})
        assert r.status_code == 200
        assert r.json()["changes"] == WORKED_CHANGES
        assert "no-store" in r.headers["cache-control"]


def exception(due):
    # Case C's assessment: 45 working days from Mon 1 Aug 2022 = Wed 5 Oct (29 Aug and
    # 19 Sep skipped); without the funeral, Tue 4 Oct.
    return {
        "requirement": "assessment",
        "due": due,
        "revised_due": "2022-10-12",
        "reason": "Agreed extension",
        "approved_by": "Team manager",
        "approved_on": "2022-09-30",
    }


def test_exceptions_are_checked_against_the_case_as_it_stands(client):
    # Named by its date today (5 Oct): accepted, and the comparison is the same as without.
    with_it = [dict(CASES[2], exceptions=[exception("2022-10-05")])]
    r = post(client, REMOVE_FUNERAL, cases=with_it)
    assert r.status_code == 200, r.text
    assert r.json()["changes"] == post(client, REMOVE_FUNERAL, cases=[CASES[2]]).json()["changes"]
    # Named by the date it would have without the funeral (4 Oct): no such deadline
    # today, so the case's problem row, never a silent pass.
    r = post(client, REMOVE_FUNERAL, cases=[dict(CASES[2], exceptions=[exception("2022-10-04")])])
    assert r.status_code == 200, r.text
    (problem,) = r.json()["problems"]
    assert problem["case_id"] == "C"
    assert problem["problem"]["errors"][0]["loc"] == ["body", "cases", 0, "exceptions", 0]

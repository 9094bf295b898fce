"""Approved exceptions (issue 14): a deadline answered against both its own due
date and an approved revised date; the statutory date never moves.

The worked example, counted by hand from app/data/rules/england.yaml
(england.cla_review: "must first review C's case within 20 working days of
the date on which C becomes looked after", anchor the first
became_looked_after, 20 working days after; the day itself is not counted):

    became_looked_after Thu 5 Nov 2026; working days after it: Fri 6 Nov (1),
    9-13 Nov (2-6), 16-20 Nov (7-11), 23-27 Nov (12-16), Mon 30 Nov (17),
    Tue 1 Dec (18), Wed 2 Dec (19), Thu 3 Dec (20). No bank holiday in England
    and Wales falls in November 2026 (St Andrew's Day, Mon 30 Nov, is Scotland's
    only). First review due Thu 3 Dec 2026.

The exception is the issue's: due 2026-12-03, revised_due 2026-12-17.
"""

import copy
import csv
import io
import json
import logging

import pytest

from app.routers.deadline_models import DeadlinesResponse, OverdueResponse

LOOKED_AFTER = [{"type": "became_looked_after", "date": "2026-11-05", "ref": "LAC-1"}]
EXCEPTION = {
    "requirement": "cla_review",
    "due": "2026-12-03",
    "revised_due": "2026-12-17",
    "reason": "Parent in hospital; IRO agreed to move the review so that she can attend",
    "approved_by": "IRO J. Example",
    "approved_on": "2026-11-30",
}


def deadlines(client, as_of, events=LOOKED_AFTER, exceptions=(EXCEPTION,), authority="england"):
    body = {"authority": authority, "as_of": as_of, "events": events}
    if exceptions is not None:
        body["exceptions"] = list(exceptions)
    r = client.post("/v1/deadlines", json=body)
    assert r.status_code == 200, r.text
    answer = r.json()
    DeadlinesResponse.model_validate(answer)
    return answer


def reviews(answer, rule_id="england.cla_review"):
    return [d for d in answer["deadlines"] if d["rule_id"] == rule_id]


def problem(response, status=422):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def refused(client, exceptions):
    """The problem for the looked-after case of 10 Dec 2026 with these exceptions."""
    body = {"authority": "england", "as_of": "2026-12-10", "events": LOOKED_AFTER}
    return problem(client.post("/v1/deadlines", json={**body, "exceptions": exceptions}))


# -- (1) the worked example: both statuses ---------------------------------------------------


def test_overdue_against_due_but_upcoming_against_the_revised_date(client):
    (review,) = reviews(deadlines(client, "2026-12-10"))
    # Working days after Thu 3 Dec up to as_of Thu 10 Dec: 4, 7, 8, 9, 10 Dec = 5.
    assert (review["due"], review["status"], review["working_days_overdue"]) == (
        "2026-12-03",
        "overdue",
        5,
    )
    assert review["exception"] == {
        "revised_due": "2026-12-17",
        "status": "upcoming",
        "working_days_overdue": 0,
        "reason": EXCEPTION["reason"],
        "approved_by": "IRO J. Example",
        "approved_on": "2026-11-30",
    }


def test_met_late_against_due_but_met_against_the_revised_date(client):
    held = [*LOOKED_AFTER, {"type": "cla_review_held", "date": "2026-12-14"}]
    first, *_ = reviews(deadlines(client, "2026-12-16", held))
    # Held Mon 14 Dec; working days after Thu 3 Dec up to it: 4, 7, 8, 9, 10, 11, 14 = 7.
    assert (first["due"], first["status"], first["working_days_overdue"]) == (
        "2026-12-03",
        "met_late",
        7,
    )
    # On or before the revised Thu 17 Dec: met against it.
    assert (first["exception"]["status"], first["exception"]["working_days_overdue"]) == (
        "met",
        0,
    )
    assert first["satisfied_by"]["date"] == "2026-12-14"


def test_past_the_revised_date_too_counted_over_christmas(client):
    (review,) = reviews(deadlines(client, "2026-12-29"))
    # as_of Tue 29 Dec. From Thu 3 Dec: 4, 7-11, 14-18, 21-24 Dec (15), then Fri 25 Dec
    # (Christmas Day) and Mon 28 Dec (Boxing Day, substitute day) are not counted, 29 Dec
    # (16). From the revised Thu 17 Dec: 18, 21, 22, 23, 24, 29 Dec = 6.
    assert (review["status"], review["working_days_overdue"]) == ("overdue", 16)
    assert (review["exception"]["status"], review["exception"]["working_days_overdue"]) == (
        "overdue",
        6,
    )
    # And met late against both: held Wed 30 Dec, one working day after the 29th counted
    # above: 16 + 1 = 17 after the due date, 6 + 1 = 7 after the revised date.
    held = [*LOOKED_AFTER, {"type": "cla_review_held", "date": "2026-12-30"}]
    first, *_ = reviews(deadlines(client, "2026-12-30", held))
    assert (first["status"], first["working_days_overdue"]) == ("met_late", 17)
    assert (first["exception"]["status"], first["exception"]["working_days_overdue"]) == (
        "met_late",
        7,
    )


def test_due_today_against_the_revised_date(client):
    (review,) = reviews(deadlines(client, "2026-12-17"))
    assert review["status"] == "overdue" and review["exception"]["status"] == "due_today"


# -- (6) the statutory date never moves --------------------------------------------------------


def test_the_statutory_deadline_is_the_same_with_and_without_the_exception(client):
    with_it = deadlines(client, "2026-12-10")
    without = deadlines(client, "2026-12-10", exceptions=None)
    # Only the named deadline carries an exception; every other deadline, and the named
    # one apart from its `exception`, is what it is without one.
    assert [d.pop("exception", None) for d in with_it["deadlines"]].count(None) == len(
        with_it["deadlines"]
    ) - 1
    assert with_it["deadlines"] == without["deadlines"]
    assert all("exception" not in d for d in without["deadlines"])
    # What is due next is chosen by the deadlines' own due dates, as without it.
    assert with_it["next_due"] == without["next_due"]


# -- (4) rule_id: one of two deadlines due the same day ----------------------------------------


def test_rule_id_picks_the_statutory_or_the_local_deadline(client):
    # Gloucestershire's own cla_review (app/data/rules/gloucestershire.yaml: "Within 20
    # working days of entry to care") falls due the same Thu 3 Dec as england.cla_review.
    glos = deadlines(client, "2026-12-10", exceptions=(), authority="gloucestershire")
    assert [d["due"] for d in reviews(glos)] == ["2026-12-03"]
    assert [d["due"] for d in reviews(glos, "gloucestershire.cla_review")] == ["2026-12-03"]

    local_only = {**EXCEPTION, "rule_id": "gloucestershire.cla_review"}
    answer = deadlines(client, "2026-12-10", exceptions=(local_only,), authority="gloucestershire")
    (statutory,) = reviews(answer)
    (local,) = reviews(answer, "gloucestershire.cla_review")
    assert "exception" not in statutory
    assert local["exception"]["revised_due"] == "2026-12-17"

    # Without rule_id, both deadlines of the requirement due that day carry it.
    both = deadlines(client, "2026-12-10", authority="gloucestershire")
    assert [d["exception"]["status"] for d in reviews(both)] == ["upcoming"]
    assert [d["exception"]["status"] for d in reviews(both, "gloucestershire.cla_review")] == [
        "upcoming"
    ]


def test_a_rule_id_that_names_no_deadline_that_day_is_refused(client):
    other = {**EXCEPTION, "rule_id": "gloucestershire.cla_review"}
    body = refused(client, [other])
    (error,) = body["errors"]
    assert error["loc"] == ["body", "exceptions", 0]
    assert error["msg"] == (
        "Exception 0: no cla_review deadline of rule gloucestershire.cla_review due "
        "2026-12-03 in this case"
    )


# -- (2) an exception that names no deadline -----------------------------------------------------


def test_an_exception_naming_no_deadline_is_a_422_naming_it(client):
    wrong_day = {**EXCEPTION, "due": "2026-12-04"}
    body = refused(client, [wrong_day])
    (error,) = body["errors"]
    assert error["loc"] == ["body", "exceptions", 0]
    assert error["msg"] == "Exception 0: no cla_review deadline due 2026-12-04 in this case"
    assert body["detail"] == error["msg"]


def test_two_exceptions_for_one_deadline_are_refused(client):
    again = {**EXCEPTION, "revised_due": "2026-12-18"}
    body = refused(client, [EXCEPTION, again])
    (error,) = body["errors"]
    assert error["loc"] == ["body", "exceptions", 1]
    assert "already named by exception 0" in error["msg"]


def test_in_an_ndjson_caseload_it_is_the_cases_problem_and_the_others_are_answered(client):
    header = {"authority": "england", "as_of": "2026-12-10"}
    good = {"case_id": "C-1", "events": LOOKED_AFTER, "exceptions": [EXCEPTION]}
    bad = {**good, "case_id": "C-2", "exceptions": [{**EXCEPTION, "requirement": "cla_visit"}]}
    other = {"case_id": "C-3", "events": LOOKED_AFTER}
    lines = [json.dumps(x) for x in (header, good, bad, other)]
    r = client.post(
        "/v1/overdue",
        content="\n".join(lines) + "\n",
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200, r.text
    rows = [json.loads(line) for line in r.text.splitlines()]
    (trouble,) = [row for row in rows if "problem" in row]
    assert (trouble["case_id"], trouble["line"]) == ("C-2", 3)
    (error,) = trouble["problem"]["errors"]
    assert error["loc"] == ["body", 3, "exceptions", 0]
    assert error["msg"] == (
        "case 'C-2', exception 0: no cla_visit deadline due 2026-12-03 in this case"
    )
    reviews_listed = {
        row["case_id"]: row for row in rows if row.get("rule_id") == "england.cla_review"
    }
    assert set(reviews_listed) == {"C-1", "C-3"}
    assert reviews_listed["C-1"]["revised_due"] == "2026-12-17"
    assert "revised_due" not in reviews_listed["C-3"]
    assert rows[-1]["summary"]["problems"] == 1


def test_in_a_json_caseload_the_problem_is_located_in_its_case(client):
    cases = [
        {
            "case_id": "C-1",
            "events": LOOKED_AFTER,
            "exceptions": [{**EXCEPTION, "due": "2026-12-02"}],
        },
        {"case_id": "C-2", "events": LOOKED_AFTER},
    ]
    r = client.post(
        "/v1/overdue", json={"authority": "england", "as_of": "2026-12-10", "cases": cases}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    (trouble,) = body["problems"]
    assert (trouble["case_id"], trouble["index"]) == ("C-1", 0)
    assert trouble["problem"]["errors"][0]["loc"] == ["body", "cases", 0, "exceptions", 0]
    assert {d["case_id"] for d in body["deadlines"]} == {"C-2"}


# -- (3) what an exception must be ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "loc", "words"),
    [
        ({"revised_due": "2026-12-01"}, ["revised_due"], "after due (2026-12-03)"),
        ({"revised_due": "2026-12-03"}, ["revised_due"], "after due (2026-12-03)"),
        ({"revised_due": "2061-01-05"}, ["revised_due"], "Must be between"),
        ({"revised_due": "17/12/2026"}, ["revised_due"], "YYYY-MM-DD"),
        ({"approved_on": "2026-12-11"}, ["approved_on"], "after as_of (2026-12-10)"),
        ({"requirement": "cla_reveiw"}, ["requirement"], "'cla_reveiw' is not a known"),
        ({"reason": ""}, ["reason"], "at least 1 character"),
        ({"reason": "   "}, ["reason"], "Must not be blank"),
        ({"reason": "x" * 501}, ["reason"], "at most 500 characters"),
        ({"approved_by": "x" * 201}, ["approved_by"], "at most 200 characters"),
        ({"colour": "red"}, ["colour"], "Extra inputs"),
    ],
)
def test_a_bad_exception_points_at_the_field(client, change, loc, words):
    exception = {**EXCEPTION, **change}
    body = refused(client, [exception])
    found = {tuple(e["loc"]): e["msg"] for e in body["errors"]}
    assert ("body", "exceptions", 0, *loc) in found, found
    assert words in found[("body", "exceptions", 0, *loc)]


@pytest.mark.parametrize(
    "missing", ["requirement", "due", "revised_due", "reason", "approved_by", "approved_on"]
)
def test_every_field_but_rule_id_is_required(client, missing):
    exception = {k: v for k, v in EXCEPTION.items() if k != missing}
    body = refused(client, [exception])
    assert ["body", "exceptions", 0, missing] in [e["loc"] for e in body["errors"]]


def test_at_most_100_exceptions(client):
    body = refused(client, [EXCEPTION] * 101)
    assert ["body", "exceptions"] in [e["loc"] for e in body["errors"]]


# -- (5) the overdue list ------------------------------------------------------------------------

CASELOAD = {
    "authority": "england",
    "as_of": "2026-12-16",
    "cases": [
        # Overdue against Thu 3 Dec, within the approved Thu 17 Dec.
        {"case_id": "A", "events": LOOKED_AFTER, "exceptions": [EXCEPTION]},
        # The exception names a deadline met (late, Mon 14 Dec): not in the list, and no 422.
        {
            "case_id": "B",
            "events": [*LOOKED_AFTER, {"type": "cla_review_held", "date": "2026-12-14"}],
            "exceptions": [EXCEPTION],
        },
    ],
}


def test_compact_overdue_rows_carry_the_revised_date_and_status(client):
    r = client.post("/v1/overdue", json=CASELOAD)
    assert r.status_code == 200, r.text
    body = r.json()
    OverdueResponse.model_validate(body)
    assert body["problems"] == []
    (row,) = [d for d in body["deadlines"] if d["rule_id"] == "england.cla_review"]
    # Listed as overdue by its own due date (the statutory date never moves): working days
    # after Thu 3 Dec up to Wed 16 Dec: 4, 7-11, 14, 15, 16 = 9.
    assert (row["case_id"], row["due"], row["status"], row["working_days_overdue"]) == (
        "A",
        "2026-12-03",
        "overdue",
        9,
    )
    assert (row["revised_due"], row["revised_status"]) == ("2026-12-17", "upcoming")
    # Case B's met review is not listed; its rows carry no revision.
    assert not [d for d in body["deadlines"] if d["case_id"] == "B" and "revised_due" in d]


def test_the_same_list_without_exceptions_is_the_same_but_for_the_revised_fields(client):
    plain = copy.deepcopy(CASELOAD)
    for case in plain["cases"]:
        case.pop("exceptions")
    with_them = client.post("/v1/overdue", json=CASELOAD).json()["deadlines"]
    without = client.post("/v1/overdue", json=plain).json()["deadlines"]
    for row in with_them:
        row.pop("revised_due", None)
        row.pop("revised_status", None)
    assert with_them == without


def test_full_overdue_rows_and_ndjson_carry_the_exception(client):
    full = client.post("/v1/overdue?detail=full", json=CASELOAD).json()
    OverdueResponse.model_validate(full)
    (row,) = [d for d in full["deadlines"] if d["rule_id"] == "england.cla_review"]
    assert row["exception"]["status"] == "upcoming" and row["status"] == "overdue"

    header = {k: v for k, v in CASELOAD.items() if k != "cases"}
    lines = [json.dumps(header), *(json.dumps(c) for c in CASELOAD["cases"])]
    r = client.post(
        "/v1/overdue",
        content="\n".join(lines) + "\n",
        headers={"Content-Type": "application/x-ndjson"},
    )
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert not [row for row in rows if "problem" in row]
    (listed,) = [row for row in rows if row.get("rule_id") == "england.cla_review"]
    assert (listed["revised_due"], listed["revised_status"]) == ("2026-12-17", "upcoming")


def test_the_csv_answer_has_the_revised_columns(client):
    r = client.post("/v1/overdue", json=CASELOAD, headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    (review,) = [x for x in rows if x["rule_id"] == "england.cla_review"]
    assert (review["due"], review["status"], review["revised_due"], review["revised_status"]) == (
        "2026-12-03",
        "overdue",
        "2026-12-17",
        "upcoming",
    )
    assert all(x["revised_due"] == "" for x in rows if x is not review)


# -- case data stays out of the logs -------------------------------------------------------------


def test_the_reason_and_approver_are_never_logged(client, caplog):
    secret = {**EXCEPTION, "reason": "SECRET-REASON-7f3", "approved_by": "SECRET-APPROVER-7f3"}
    with caplog.at_level(logging.DEBUG):
        deadlines(client, "2026-12-10", exceptions=(secret,))
        client.post(
            "/v1/deadlines",
            json={
                "authority": "england",
                "as_of": "2026-12-10",
                "events": LOOKED_AFTER,
                "exceptions": [{**secret, "due": "2026-12-04"}],
            },
        )
    assert caplog.records  # the requests were logged
    assert "SECRET" not in caplog.text

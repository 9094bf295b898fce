"""Compact overdue rows (issue 9): each row names its rule, and what the rule
says comes once, in `rules` (JSON) or a rule line (NDJSON)."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from synthetic_caseload import AS_OF, generate

HEADER = {"authority": "gloucestershire", "as_of": AS_OF.isoformat()}
CASES = generate(40)
REQUEST = {**HEADER, "cases": CASES}
NDJSON = "\n".join([json.dumps(HEADER), *(json.dumps(c) for c in CASES)]) + "\n"

# What a compact row always has; the other keys appear only when not at their default.
ALWAYS = {
    "case_id",
    "rule_id",
    "requirement",
    "due",
    "status",
    "working_days_overdue",
    "basis",
    "anchor",
    "offset",
}
SOMETIMES = {"due_at", "schedule", "occurrence", "skipped", "provisional", "version"}
RULE_KEYS = {
    "rule_id",
    "requirement",
    "title",
    "rule_title",
    "event_type",
    "basis",
    "citation",
    "catalogue_item",
    "interpretation",
    "versions",
}


@pytest.fixture(scope="module")
def compact(client):
    return client.post("/v1/overdue", json=REQUEST).json()


@pytest.fixture(scope="module")
def full(client):
    return client.post("/v1/overdue?detail=full", json=REQUEST).json()


def _ndjson(client, query=""):
    r = client.post(
        "/v1/overdue" + query, content=NDJSON, headers={"Content-Type": "application/x-ndjson"}
    )
    assert r.status_code == 200
    return [json.loads(line) for line in r.text.splitlines()]


def test_rows_are_compact(compact):
    rows = compact["deadlines"]
    assert len(rows) > 100
    for row in rows:
        assert ALWAYS <= set(row) <= ALWAYS | SOMETIMES, row
        assert set(row["anchor"]) <= {"type", "date", "ref", "inferred", "stands_for"}
        for text in ("citation", "interpretation", "title", "explanation"):
            assert text not in row
    # Left out only at their defaults: what is given is never the default.
    assert all(row.get("due_at", 1) is not None for row in rows)
    assert all(row.get("skipped", [1]) != [] for row in rows)
    assert all(row.get("provisional", True) is True for row in rows)
    assert all(row.get("occurrence", 2) != 1 or row["schedule"] != "first" for row in rows)
    # The synthetic caseload has each kind of row that is left short.
    assert any("skipped" in row for row in rows) and any("schedule" in row for row in rows)
    assert any("version" in row for row in rows)  # placements since 2015: reg 28 as amended


def test_the_rules_section_has_every_rule_named_and_no_other(compact):
    named = {row["rule_id"] for row in compact["deadlines"]}
    assert set(compact["rules"]) == named
    for rule_id, rule in compact["rules"].items():
        assert set(rule) == RULE_KEYS and rule["rule_id"] == rule_id
        assert rule["citation"]["quote"]


def test_an_empty_list_has_an_empty_rules_section(client):
    body = client.post("/v1/overdue", json={**HEADER, "cases": []}).json()
    assert body["deadlines"] == [] and body["rules"] == {}


def test_detail_full_gives_the_whole_deadline_on_every_row(compact, full):
    assert "rules" not in full
    assert len(full["deadlines"]) == len(compact["deadlines"])
    for row in full["deadlines"]:
        assert {"citation", "explanation", "title", "rule_title", "satisfied_by"} <= set(row)
    # The same deadlines in the same order.
    keys = ("case_id", "rule_id", "due", "status", "working_days_overdue")
    assert [tuple(r[k] for k in keys) for r in full["deadlines"]] == [
        tuple(r[k] for k in keys) for r in compact["deadlines"]
    ]


def test_detail_full_rows_are_the_deadlines_endpoint_rows(client, full):
    """The full rows are today's shape: the case's deadline as POST /v1/deadlines says it."""
    case = next(c for c in CASES if any(r["case_id"] == c["case_id"] for r in full["deadlines"]))
    answer = client.post(
        "/v1/deadlines", json={**HEADER, "child": case["child"], "events": case["events"]}
    ).json()
    rows = [
        {k: v for k, v in r.items() if k != "case_id"}
        for r in full["deadlines"]
        if r["case_id"] == case["case_id"]
    ]
    assert rows and all(row in answer["deadlines"] for row in rows)


def expand(row, rule, calendar):
    """The full deadline that a compact row, its rule and the answer's calendar say
    (the episode aside: it is in the full detail only)."""
    anchor = row["anchor"]
    return {
        "case_id": row["case_id"],
        "requirement": rule["requirement"],
        "title": rule["title"],
        "rule_title": rule["rule_title"],
        "event_type": rule["event_type"],
        "due": row["due"],
        "due_at": row.get("due_at"),
        "status": row["status"],
        "satisfied_by": None,  # an overdue list has open deadlines only
        "working_days_overdue": row["working_days_overdue"],
        "basis": rule["basis"],
        "rule_id": row["rule_id"],
        "citation": rule["citation"],
        "catalogue_item": rule["catalogue_item"],
        "explanation": {
            "anchor": {
                "type": anchor["type"],
                "date": anchor["date"],
                "ref": anchor.get("ref"),
                "inferred": anchor.get("inferred", False),
                "stands_for": anchor.get("stands_for"),
            },
            "offset": row["offset"],
            "schedule": row.get("schedule", "first"),
            "occurrence": row.get("occurrence", 1),
            "calendar": calendar,
            "skipped": row.get("skipped", []),
            "provisional": row.get("provisional", False),
            "interpretation": rule["interpretation"],
            # The rule as cited, or the later version the row names by its label.
            "version": next(v for v in rule["versions"] if v["label"] == row["version"])
            if "version" in row
            else rule["versions"][0],
        },
    }


def test_a_row_and_its_rule_say_what_the_full_detail_says(compact, full):
    assert compact["calendar"] == full["calendar"] == "england-and-wales"
    for row, whole in zip(compact["deadlines"], full["deadlines"], strict=True):
        whole = json.loads(json.dumps(whole))
        whole["explanation"].pop("episode")
        assert expand(row, compact["rules"][row["rule_id"]], compact["calendar"]) == whole


def test_ndjson_rule_lines_come_once_before_their_first_row(client, compact):
    lines = _ndjson(client)
    seen: set[str] = set()
    rows = []
    for line in lines[:-1]:
        if "rule" in line:
            assert set(line) == {"rule"} and line["rule"]["rule_id"] not in seen
            seen.add(line["rule"]["rule_id"])
            assert line["rule"] == compact["rules"][line["rule"]["rule_id"]]
        elif "rule_id" in line:
            assert line["rule_id"] in seen, "a row came before its rule line"
            rows.append(line)
    assert seen == {row["rule_id"] for row in rows} == set(compact["rules"])
    assert lines[-1]["summary"]["rules"] == len(seen)
    # The same rows as the JSON answer (which is sorted oldest first across cases).
    key = lambda r: (r["case_id"], r["rule_id"], r["due"])  # noqa: E731
    assert sorted(rows, key=key) == sorted(compact["deadlines"], key=key)


def test_ndjson_detail_full_has_no_rule_lines_and_full_rows(client, full):
    lines = _ndjson(client, "?detail=full")
    assert not any("rule" in line for line in lines)
    assert lines[-1]["summary"]["rules"] == 0
    rows = [line for line in lines if "rule_id" in line]
    key = lambda r: (r["case_id"], r["rule_id"], r["due"])  # noqa: E731
    assert sorted(rows, key=key) == sorted(full["deadlines"], key=key)


def test_an_unknown_detail_is_a_422(client):
    r = client.post("/v1/overdue?detail=everything", json=REQUEST)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "detail"]


def test_the_icpc_row_of_the_contract_case(client):
    """A hand-counted row: strategy discussion Thu 1 Oct 2026, ICPC 15 working days
    later is Thu 22 Oct; on 23 Nov it is 22 working days overdue (23 Oct .. 23 Nov)."""
    body = client.post(
        "/v1/overdue",
        json={
            **HEADER,
            "cases": [
                {
                    "case_id": "C-1",
                    "events": [
                        {"type": "strategy_discussion_held", "date": "2026-10-01", "ref": "SD"}
                    ],
                }
            ],
        },
    ).json()
    icpc = next(r for r in body["deadlines"] if r["rule_id"] == "england.icpc")
    assert icpc == {
        "case_id": "C-1",
        "rule_id": "england.icpc",
        "requirement": "icpc",
        "due": "2026-10-22",
        "status": "overdue",
        "working_days_overdue": 22,
        "basis": "statutory",
        "anchor": {"type": "strategy_discussion_held", "date": "2026-10-01", "ref": "SD"},
        "offset": "15 working days",
    }
    assert body["rules"]["england.icpc"]["title"] == "Initial child protection conference"

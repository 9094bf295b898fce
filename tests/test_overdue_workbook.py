"""POST /v1/overdue with an Ofsted Annex A workbook: JSON, NDJSON or CSV back.

The workbook is built here with openpyxl, as a council's would be saved. Dates are
counted by hand on the England and Wales calendar (no bank holiday in Oct-Nov 2026).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from app.main import app
from app.settings import get_settings
from tests.test_sources_annex_a import d, list7_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
client = TestClient(app)
QUERY = {"authority": "redcar-and-cleveland", "as_of": "2026-11-20"}


# Child C1: plan from 1 Sep 2026, last visit Mon 2 Nov, latest review 1 Oct.
# Redcar's CP visit: 10 working days from the last: 3-6 Nov (4), 9-13 (9), Mon 16
# Nov (10); not met by Fri 20 Nov: overdue 17, 18, 19, 20 = 4 working days.
C1 = [
    "C1",
    d("2015-05-05"),
    d("2026-09-01"),
    d("2026-11-02"),
    "Yes",
    d("2026-10-01"),
    None,
    "North",
    "J Smith",
]
# A row whose visit date is not a date: the cell is a source problem, the rest is read.
C2 = ["C2", d("2016-06-06"), d("2026-09-01"), "last Tuesday", "No", None, None, "South", "A Jones"]
BOOK = list7_workbook([C1, C2])


def _post(body: bytes = BOOK, accept: str | None = None, **query: str):
    headers = {"Content-Type": XLSX}
    if accept:
        headers["Accept"] = accept
    return client.post("/v1/overdue", params={**QUERY, **query}, content=body, headers=headers)


def test_the_workbook_s_overdue_list_as_json():
    r = _post()
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["cases"] == 2
    c1 = [
        (d["rule_id"], d["due"], d["working_days_overdue"])
        for d in body["deadlines"]
        if d["case_id"] == "C1"
    ]
    assert ("redcar-and-cleveland.cp_visit", "2026-11-16", 4) in c1
    # Annex A records no core groups or case notes: no false overdue rows for them.
    assert not any(d["rule_id"] == "redcar-and-cleveland.core_group" for d in body["deadlines"])
    assert any(n["reason"] == "not_recorded" for n in body["not_evaluated"])
    assert "statutory_visit" in body["recorded_event_types"]
    [problem] = [p for p in body["source_problems"] if p["case_id"] == "C2"]
    assert problem["field"] == "Date of the Last Statutory Visit" and problem["row"] == 3


def test_the_same_list_as_csv_with_team_and_worker_and_nothing_left_out():
    r = _post(accept="text/csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    visit = next(
        x for x in rows if x["rule_id"] == "redcar-and-cleveland.cp_visit" and x["child_id"] == "C1"
    )
    assert (visit["due"], visit["status"], visit["team"], visit["worker"]) == (
        "2026-11-16",
        "overdue",
        "North",
        "J Smith",
    )
    statuses = {x["status"] for x in rows}
    assert {"overdue", "not_evaluated", "source_problem"} <= statuses
    [source] = [x for x in rows if x["status"] == "source_problem" and x["child_id"] == "C2"]
    assert source["note"].startswith("List 7, row 3, Date of the Last Statutory Visit: ")
    # A list the workbook lacks is said too (this one holds List 7 alone).
    assert any(x["note"].startswith("List 8: no sheet") for x in rows)


def test_the_same_list_as_ndjson():
    r = _post(accept="application/x-ndjson")
    assert r.status_code == 200, r.text
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert "summary" in lines[-1] and lines[-1]["summary"]["source_problems"] >= 1
    rows = [x for x in lines if "case_id" in x and "due" in x]
    assert any(
        x["rule_id"] == "redcar-and-cleveland.cp_visit" and x["due"] == "2026-11-16" for x in rows
    )
    ruled = [x["rule"]["rule_id"] for x in lines if "rule" in x]
    assert all(x["rule_id"] in ruled for x in rows)


def test_a_json_caseload_can_ask_for_csv_too():
    body = {
        "authority": "redcar-and-cleveland",
        "as_of": "2026-11-20",
        "cases": [
            {
                "case_id": "J1",
                "history_from": "2026-11-02",
                "events": [
                    {"type": "cp_plan_started", "date": "2026-09-01"},
                    {"type": "statutory_visit", "date": "2026-11-02"},
                ],
            }
        ],
    }
    r = client.post("/v1/overdue", json=body, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert any(
        x["rule_id"] == "redcar-and-cleveland.cp_visit" and x["due"] == "2026-11-16" for x in rows
    )


@pytest.mark.parametrize(
    ("query", "where"),
    [({"authority": None}, ["query", "authority"]), ({"as_of": "20/11/2026"}, ["query", "as_of"])],
)
def test_the_workbook_s_request_values_are_checked_in_the_query(query, where):
    params = {k: v for k, v in {**QUERY, **query}.items() if v is not None}
    r = client.post("/v1/overdue", params=params, content=BOOK, headers={"Content-Type": XLSX})
    assert r.status_code == 422
    assert where in [e["loc"] for e in r.json()["errors"]]


def test_query_values_with_a_json_caseload_are_refused_not_ignored():
    body = {"authority": "england", "as_of": "2026-11-20", "cases": []}
    r = client.post("/v1/overdue", params={"authority": "england"}, json=body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "authority"]


def test_a_body_that_is_not_a_workbook_is_a_400():
    r = _post(b"this is not a zip file")
    assert r.status_code == 400
    assert r.json()["type"].endswith("malformed-request")
    # A zip that is not a workbook either.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hello")
    assert _post(out.getvalue()).status_code == 400


def test_a_workbook_that_unpacks_past_the_limit_is_a_413(monkeypatch):
    monkeypatch.setenv("MAX_WORKBOOK_UNPACKED_BYTES", "2048")
    get_settings.cache_clear()
    try:
        r = _post()
    finally:
        monkeypatch.delenv("MAX_WORKBOOK_UNPACKED_BYTES")
        get_settings.cache_clear()
    assert r.status_code == 413
    assert "MAX_WORKBOOK_UNPACKED_BYTES" in r.json()["detail"]


def test_a_workbook_without_lists_is_a_422_naming_what_is_missing():
    wb = Workbook()
    wb.active.title = "Notes"
    out = io.BytesIO()
    wb.save(out)
    r = _post(out.getvalue())
    assert r.status_code == 422
    assert "No child could be read" in r.json()["detail"]


def test_rules_as_of_is_read_from_the_query_too():
    # Redcar and Cleveland's standards date from November 2023: with the rules of
    # 1 Oct 2023, C1's local visit (due 16 Nov 2026, counted above) is not set, and
    # the rule says why; the statutory rules still apply.
    r = _post(rules_as_of="2023-10-01")
    assert r.status_code == 200, r.text
    body = r.json()
    assert not any(d["rule_id"].startswith("redcar-and-cleveland.") for d in body["deadlines"])
    assert {
        n["rule_id"]
        for n in body["not_evaluated"]
        if n["case_id"] == "C1" and n["reason"] == "not_in_force"
    } >= {"redcar-and-cleveland.cp_visit"}

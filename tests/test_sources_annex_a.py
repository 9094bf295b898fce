"""The Annex A reader (app/sources/annex_a.py) on small workbooks written with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from app.datafiles import DataFileError
from app.sources import annex_a
from app.sources.annex_a import read_annex_a
from app.sources.base import SourceCase, SourceRead

AS_OF = dt.date(2026, 11, 23)

LIST7 = [
    "Child Unique ID",
    "Date of Birth",
    "Child Protection Plan Start Date",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Allocated Team",
    "Allocated Worker",
]
LIST8 = [
    "Child Unique ID",
    "Date of Birth",
    "Date Started to be Looked After",
    "Start date of current legal status",
    "Date of Latest Statutory Review",
    "Date of Last Social Work Visit",
    "Date of Last IRO Visit / Contact to the Child",
    "Date of Last Health Assessment",
    "Date of Last Dental Check",
    "Date Ceased to be Looked After",
    "Start Date of Most Recent Placement",
    "Placement Type",
    "Allocated Team",
    "Allocated Worker",
]
LIST5 = [
    "Child Unique ID",
    "Date of Birth",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Allocated Team",
    "Allocated Worker",
]


def list7_workbook(rows: list[list[Any]]) -> bytes:
    """A workbook of List 7 alone (its headers, then `rows`), as bytes: what a
    council posts or uploads (tests/test_overdue_workbook.py, test_web_calculator.py)."""
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("List 7 - Child Protection")
    ws.append(LIST7)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def d(text: str) -> dt.datetime:
    """A date cell as openpyxl reads one back: a datetime."""
    return dt.datetime.fromisoformat(text)


def workbook(tmp_path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp_path / "annex_a.xlsx"
    wb.save(path)
    return path


def case(read: SourceRead, case_id: str) -> SourceCase:
    (found,) = [c for c in read.cases if c.case_id == case_id]
    return found


def events(c: SourceCase) -> list[tuple[str, str, dict[str, Any]]]:
    return [(e["type"], e["date"], e.get("attributes", {})) for e in c.as_json()["events"]]


def problems(
    read: SourceRead, source: str | None = None
) -> list[tuple[str, int | None, str | None]]:
    return [(p.source, p.row, p.field) for p in read.problems if source in (None, p.source)]


def test_a_cp_plan_row_gives_its_events_and_history_from_at_the_latest_date(
    tmp_path: Path,
) -> None:
    path = workbook(
        tmp_path,
        {
            "List 7": [
                LIST7,
                # a date cell, text in %d/%m/%Y, and a date cell
                [
                    "C1",
                    d("2015-03-01"),
                    d("2026-01-05"),
                    "02/11/2026",
                    "a) Yes",
                    d("2026-10-01"),
                    None,
                    "Team A",
                    "Worker 1",
                ],
            ]
        },
    )
    read = read_annex_a(path, as_of=AS_OF)
    c1 = case(read, "C1")
    assert c1.date_of_birth == dt.date(2015, 3, 1)
    assert (c1.team, c1.worker) == ("Team A", "Worker 1")
    assert events(c1) == [
        ("cp_plan_started", "2026-01-05", {}),
        ("rcpc_held", "2026-10-01", {}),
        ("statutory_visit", "2026-11-02", {"seen_alone": True}),
    ]
    # The latest of the row's dates: nothing before the last visit is judged.
    assert c1.history_from == dt.date(2026, 11, 2)
    assert c1.as_json()["events"][0]["ref"] == "List 7 row 2"
    assert read.rows["List 7"] == 1
    assert problems(read, "List 7") == []
    # Lists 1-6, 8, 9 have no sheet: one problem each, for the whole list.
    assert [(p.source, p.row) for p in read.problems] == [
        (f"List {n}", None) for n in (1, 2, 3, 4, 5, 6, 8, 9)
    ]


def test_sheet_and_header_variants_are_recognised(tmp_path: Path) -> None:
    headers = list(LIST7)
    headers[0] = "CHILD ID"  # the schema's /.*child.*id.*/i
    headers[1] = "Child's date of birth"  # /.*date.*birth.*/i
    headers[2] = "  child   protection plan START date "  # the name, case and spaces folded
    path = workbook(
        tmp_path,
        {
            "list 7 - CP plans": [
                ["Annex A, List 7: children on a child protection plan"],  # a title row
                headers,
                ["C2", "01/03/2015", d("2026-01-05"), None, None, None, None, "T", "W"],
            ],
            "LIST8": [LIST8],
        },
    )
    read = read_annex_a(path, as_of=AS_OF)
    c2 = case(read, "C2")
    assert c2.date_of_birth == dt.date(2015, 3, 1)
    assert events(c2) == [("cp_plan_started", "2026-01-05", {})]
    assert problems(read, "List 7") == []
    assert read.rows == {"List 7": 1, "List 8": 0}
    assert problems(read, "List 8") == []


def test_bad_rows_are_problems_naming_sheet_row_and_column(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        {
            "List 8": [
                LIST8,
                # row 2: no child id
                [
                    None,
                    d("2010-01-01"),
                    d("2025-06-01"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    d("2025-06-01"),
                    "U4",
                    "T",
                    "W",
                ],
                # row 3: an ISO text date, an unknown placement code (R4 is not in the schema)
                [
                    "C3",
                    d("2010-01-01"),
                    "2025-06-01",
                    None,
                    d("2026-09-01"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    d("2026-02-01"),
                    "R4",
                    "T",
                    "W",
                ],
                # row 4: a number where a date belongs; a visit after as_of; no placement start
                [
                    "C4",
                    d("2010-01-01"),
                    d("2025-06-01"),
                    None,
                    45000,
                    d("2026-12-01"),
                    None,
                    None,
                    None,
                    None,
                    None,
                    "K2",
                    "T",
                    "W",
                ],
                [None] * len(LIST8),  # a blank row holds nothing: not a problem
            ]
        },
    )
    read = read_annex_a(path, as_of=AS_OF)
    assert problems(read, "List 8") == [
        ("List 8", 2, "Child Unique ID"),
        ("List 8", 3, "Date Started to be Looked After"),
        ("List 8", 3, "Placement Type"),
        ("List 8", 4, "Date of Latest Statutory Review"),
        ("List 8", 4, "Date of Last Social Work Visit"),
        ("List 8", 4, "Start Date of Most Recent Placement"),
    ]
    by_row = {p.row: p for p in read.problems if p.source == "List 8"}
    assert by_row[3].case_id == "C3"
    assert "'R4' is not an SSDA903 placement code" in by_row[3].message
    assert read.rows["List 8"] == 3
    # C3: the review is read; the placement is posted without a type.
    assert events(case(read, "C3")) == [
        ("placement_started", "2026-02-01", {}),
        ("cla_review_held", "2026-09-01", {}),
    ]
    assert events(case(read, "C4")) == [("became_looked_after", "2025-06-01", {})]


def test_a_child_in_several_lists_is_one_case(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        {
            "List 7": [
                LIST7,
                [
                    "C5",
                    d("2012-04-02"),
                    d("2025-01-06"),
                    None,
                    None,
                    None,
                    d("2025-03-03"),
                    "CP team",
                    "A",
                ],
            ],
            "List 8": [
                LIST8,
                [
                    "C5",
                    d("2012-04-02"),
                    d("2025-03-03"),
                    d("2025-03-03"),
                    d("2025-06-02"),
                    d("2025-07-01"),
                    d("2025-07-02"),
                    d("2025-04-01"),
                    d("2025-05-01"),
                    None,
                    d("2025-03-03"),
                    " u4 ",
                    "CLA team",
                    "B",
                ],
            ],
        },
    )
    read = read_annex_a(path, as_of=AS_OF)
    assert [c.case_id for c in read.cases] == ["C5"]
    c5 = read.cases[0]
    assert (c5.team, c5.worker) == ("CLA team", "B")  # the later list's
    assert events(c5) == [
        ("cp_plan_started", "2025-01-06", {}),
        ("cp_plan_ended", "2025-03-03", {}),
        ("became_looked_after", "2025-03-03", {}),
        ("placement_started", "2025-03-03", {"placement_type": "foster"}),
        ("health_assessment_completed", "2025-04-01", {}),
        ("cla_review_held", "2025-06-02", {}),
        ("statutory_visit", "2025-07-01", {}),
    ]
    assert c5.history_from == dt.date(2025, 7, 1)
    # Dates with no event type: counted, never a problem per row.
    assert read.not_posted == {
        "List 8.Start date of current legal status: no event type for a change of legal status": 1,
        "List 8.Date of Last IRO Visit / Contact to the Child: "
        "no event type for the IRO's contact with the child": 1,
        "List 8.Date of Last Dental Check: no event type for a dental check": 1,
    }
    assert read.event_types_recorded is not None
    assert "statutory_visit" in read.event_types_recorded
    assert "core_group_held" not in read.event_types_recorded


def test_a_conference_deemed_unnecessary_posts_no_strategy_discussion(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        {
            "List 5": [
                LIST5,
                ["C6", None, d("2026-10-01"), "Yes", None, "T", "W"],
                ["C7", None, d("2026-10-01"), "b) No", d("2026-10-20"), "T", "W"],
            ]
        },
    )
    read = read_annex_a(path, as_of=AS_OF)
    assert events(case(read, "C6")) == []
    assert case(read, "C6").history_from is None
    assert events(case(read, "C7")) == [
        ("strategy_discussion_held", "2026-10-01", {}),
        ("icpc_held", "2026-10-20", {}),
    ]
    (key,) = read.not_posted
    assert key.startswith("List 5.Strategy discussion initiating Section 47 Enquiry Start Date")
    assert read.not_posted[key] == 1


def test_a_missing_required_column_leaves_the_list_unread(tmp_path: Path) -> None:
    headers = [h for h in LIST7 if h != "Child Protection Plan Start Date"]
    path = workbook(tmp_path, {"List 7": [headers, ["C8", None, None, None, None, None, "T", "W"]]})
    read = read_annex_a(path, as_of=AS_OF)
    assert problems(read, "List 7") == [("List 7", None, "Child Protection Plan Start Date")]
    assert read.cases == []


def test_a_missing_optional_column_is_a_problem_and_the_rest_is_read(tmp_path: Path) -> None:
    headers = [h for h in LIST7 if h != "Date of latest review conference"]
    path = workbook(
        tmp_path,
        {"List 7": [headers, ["C9", None, d("2026-01-05"), None, None, None, "T", "W"]]},
    )
    read = read_annex_a(path, as_of=AS_OF)
    assert problems(read, "List 7") == [("List 7", None, "Date of latest review conference")]
    assert events(case(read, "C9")) == [("cp_plan_started", "2026-01-05", {})]


def test_the_spec_refuses_an_event_type_not_in_the_vocabulary(tmp_path: Path) -> None:
    text = annex_a.ANNEX_A_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "annex_a.yaml"
    bad.write_text(text.replace("event: rcpc_held", "event: review_conference_held"), "utf-8")
    with pytest.raises(DataFileError, match="review_conference_held"):
        annex_a.annex_a_spec.__wrapped__(bad)


def test_end_to_end_the_next_cp_visit_is_due_10_working_days_after_the_last(
    tmp_path: Path,
) -> None:
    from app.main import app

    path = workbook(
        tmp_path,
        {
            "List 7": [
                LIST7,
                [
                    "C10",
                    d("2015-03-01"),
                    d("2026-01-05"),
                    "02/11/2026",
                    "Yes",
                    d("2026-10-01"),
                    None,
                    "T",
                    "W",
                ],
            ]
        },
    )
    read = read_annex_a(path, as_of=AS_OF)
    body = case(read, "C10").as_json()
    body.pop("case_id")
    # England's baseline sets no CP visit frequency; Redcar and Cleveland's
    # standard: "at the least once every 10 working days".
    body.update(authority="redcar-and-cleveland", as_of=AS_OF.isoformat())
    with TestClient(app) as client:
        answer = client.post("/v1/deadlines", json=body)
    assert answer.status_code == 200, answer.text
    by_requirement = {x["requirement"]: x for x in answer.json()["deadlines"]}
    visit = by_requirement["cp_visit"]
    # Last visit Mon 2 Nov 2026 + 10 working days (England and Wales, no bank
    # holiday in November): Tue 3 = 1, Wed 4 = 2, Thu 5 = 3, Fri 6 = 4,
    # Mon 9 = 5, Tue 10 = 6, Wed 11 = 7, Thu 12 = 8, Fri 13 = 9, Mon 16 = 10.
    assert visit["due"] == "2026-11-16"
    assert visit["status"] == "overdue"  # as of Mon 23 Nov, no later visit in the data
    assert visit["explanation"]["anchor"]["date"] == "2026-11-02"
    # Latest review Thu 1 Oct 2026 + 6 months = Thu 1 Apr 2027.
    assert by_requirement["rcpc"]["due"] == "2027-04-01"
    # Nothing between the plan's start and the last visit is judged missed.
    statuses = [(x["requirement"], x["status"]) for x in answer.json()["deadlines"]]
    assert ("cp_visit", "met_late") not in statuses
    assert [x for x in answer.json()["deadlines"] if x["due"] < "2026-11-02"] == []

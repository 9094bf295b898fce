"""app/jobs/output.py: the overdue list as CSV, XLSX and NDJSON, the same columns in each."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from openpyxl import load_workbook

from app.jobs.output import HEADINGS, csv_text, write
from app.jobs.overdue import OverdueRow

ROW = OverdueRow(
    case_id="C-1",
    requirement="cp_visit",
    title="Visit to a child on a child protection plan",
    due=dt.date(2026, 11, 16),
    status="overdue",
    working_days_overdue=4,
    basis="local",
    rule_id="redcar-and-cleveland.cp_visit",
    anchor_type="statutory_visit",
    anchor_date=dt.date(2026, 11, 2),
    team='=HYPERLINK("http://x")',  # case data that looks like a formula
    worker=None,
)


def test_csv_has_the_headings_and_never_writes_a_formula():
    rows = list(csv.reader(io.StringIO(csv_text([ROW]))))
    assert rows[0] == HEADINGS
    record = dict(zip(HEADINGS, rows[1], strict=True))
    assert record["due"] == "2026-11-16" and record["working_days_overdue"] == "4"
    assert record["team"].startswith("'=") and record["worker"] == ""


def test_xlsx_and_ndjson_carry_the_same_columns(tmp_path):
    write([ROW], tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx", read_only=True)["Overdue"]
    header, first = list(sheet.iter_rows(values_only=True))
    assert list(header) == HEADINGS
    assert first[HEADINGS.index("due")] == dt.datetime(2026, 11, 16)
    assert str(first[HEADINGS.index("team")]).startswith("'=")
    write([ROW], tmp_path / "out.ndjson")
    line = json.loads((tmp_path / "out.ndjson").read_text().splitlines()[0])
    assert list(line) == HEADINGS and line["counted_from_date"] == "2026-11-02"

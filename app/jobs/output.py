"""An overdue list as the files analysts open: CSV, XLSX and NDJSON.

One row per deadline, oldest first, with the columns of COLUMNS: the child,
the requirement, when it was due and how late, whether statute or the
council's own standard sets it, the rule, what it was counted from, and the
allocated team and worker where the data holds them. Then, so that nothing
is silently absent, a row for each rule that set no deadline (status
not_evaluated), each case that could not be computed (problem) and each row
of the council's data that could not be read (source_problem), with the
reason in `note` (app.jobs.overdue.report_rows). Last, an approved
exception's revised date and the status against it, where the request gave
one (revised_due, revised_status). The same columns in every format, so a
spreadsheet built on one reads the others.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from app.jobs.overdue import OverdueRow

# (column heading, what the row holds)
COLUMNS = (
    ("child_id", "case_id"),
    ("requirement", "requirement"),
    ("requirement_title", "title"),
    ("due", "due"),
    ("status", "status"),
    ("working_days_overdue", "working_days_overdue"),
    ("basis", "basis"),
    ("rule_id", "rule_id"),
    ("counted_from", "anchor_type"),
    ("counted_from_date", "anchor_date"),
    ("team", "team"),
    ("worker", "worker"),
    ("note", "note"),
    # Last, so that a spreadsheet built on the columns before keeps them in place.
    ("revised_due", "revised_due"),
    ("revised_status", "revised_status"),
)
HEADINGS = [heading for heading, _ in COLUMNS]
FORMATS = ("csv", "xlsx", "ndjson")


def values(row: OverdueRow) -> list[Any]:
    """The row's cells, in COLUMNS' order (dates as dates, none as None)."""
    return [getattr(row, name) for _, name in COLUMNS]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _safe(text: str) -> str:
    # A cell that starts with = + - @ (or a tab or carriage return) is a formula
    # to Excel and LibreOffice: a worker's name from case data must never run
    # as one (CSV injection), so such a cell is written with a leading quote.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(rows: Iterable[OverdueRow], out: IO[str]) -> int:
    """The rows as CSV (RFC 4180, a heading line first); how many were written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    n = 0
    for row in rows:
        writer.writerow([_safe(_text(v)) for v in values(row)])
        n += 1
    return n


def csv_text(rows: Iterable[OverdueRow]) -> str:
    out = io.StringIO()
    write_csv(rows, out)
    return out.getvalue()


def write_ndjson(rows: Iterable[OverdueRow], out: IO[str]) -> int:
    """One JSON object a line, the same keys as the CSV headings."""
    n = 0
    for row in rows:
        out.write(json.dumps(dict(zip(HEADINGS, map(_json, values(row)), strict=True))) + "\n")
        n += 1
    return n


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def write_xlsx(rows: Iterable[OverdueRow], path: Path | IO[bytes]) -> int:
    """The rows as one sheet, "Overdue", dates as Excel dates; written in
    openpyxl's write-only mode, so a long list is not held as cells."""
    from openpyxl import Workbook  # only this format needs it
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Overdue")
    sheet.append(HEADINGS)
    n = 0
    for row in rows:
        cells = []
        for value in values(row):
            if isinstance(value, str):
                value = _safe(value)
            cell = WriteOnlyCell(sheet, value=value)
            if hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
        n += 1
    book.save(path)
    return n


def write(rows: list[OverdueRow], path: Path) -> int:
    """The rows to `path`, in the format its suffix names (.csv, .xlsx, .ndjson)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "xlsx":
        return write_xlsx(rows, path)
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: write .csv, .xlsx or .ndjson")
    with path.open("w", encoding="utf-8", newline="") as out:
        return write_csv(rows, out) if suffix == "csv" else write_ndjson(rows, out)

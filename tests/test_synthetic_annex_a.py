"""The shipped synthetic Annex A workbook (examples/annex-a.xlsx, made by
scripts/synthetic_annex_a.py): what the reader gets from it, and the overdue
rows of its fixed children, counted by hand from the generator's dates."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openpyxl import load_workbook

from app.jobs.overdue import overdue_list
from app.reference import reference_data
from app.sources.annex_a import read_annex_a
from app.sources.base import SourceRead

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "annex-a.xlsx"
AS_OF = dt.date(2026, 11, 23)  # Mon 23 Nov 2026, the generator's day
D = dt.date.fromisoformat


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "synthetic_annex_a", ROOT / "scripts" / "synthetic_annex_a.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic_annex_a", module)
    spec.loader.exec_module(module)
    return module


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


@pytest.fixture(scope="module")
def read() -> SourceRead:
    return read_annex_a(SAMPLE, as_of=AS_OF)


def test_the_sample_is_small_and_what_the_script_makes_with_its_defaults(tmp_path: Path) -> None:
    # Compared cell by cell, sheet by sheet: an .xlsx zip carries its save time.
    assert SAMPLE.stat().st_size < 100_000
    made = tmp_path / "annex-a.xlsx"
    module = generator()
    module.write_workbook(made, module.synthetic_annex_a())
    assert cells(made) == cells(SAMPLE)


def test_the_same_seed_gives_the_same_rows_and_another_seed_others() -> None:
    module = generator()
    assert module.synthetic_annex_a(200, seed=7) == module.synthetic_annex_a(200, seed=7)
    assert module.synthetic_annex_a(200, seed=7) != module.synthetic_annex_a(200, seed=8)


def test_fifty_children_are_read_and_only_the_deliberate_bad_rows_are_problems(
    read: SourceRead,
) -> None:
    # 50 children: A0001-A0050, less the one contact row without a child id
    # (its child has no id, so it is no case); every list's sheet is found.
    assert len(read.cases) == 50
    assert sorted(c.case_id for c in read.cases) == [f"A{i:04d}" for i in range(1, 51)]
    assert set(read.rows) == {f"List {n}" for n in range(1, 10)}
    # The docstring's fixed rows, named by sheet, Excel row and column (the
    # reader's column name, whatever variant the sheet's header is written in).
    assert [(p.source, p.row, p.field, p.case_id) for p in read.problems] == [
        ("List 1", 2, "Child Unique ID", None),
        ("List 3", 3, "Date of referral", "A0007"),
        ("List 8", 3, "Placement Type", "A0008"),
    ]
    assert "'31/11/2026' is not a date" in read.problems[1].message
    assert "'R4' is not an SSDA903 placement code" in read.problems[2].message


def test_the_header_variants_and_text_dates_are_read(read: SourceRead) -> None:
    by_id = {c.case_id: c for c in read.cases}
    # List 3 ("Unique Child ID", "date of birth", "Date of the referral",
    # dd/mm/yyyy text): A0006's referral of 14/09/2026.
    a6 = by_id["A0006"]
    assert a6.date_of_birth == D("2017-06-21")
    assert [(e.type, e.date, e.ref) for e in a6.events] == [
        ("referral_received", D("2026-09-14"), "List 3 row 2"),
        ("assessment_started", D("2026-09-15"), "List 4 row 2"),
    ]
    # List 7 (a title row, so headers on row 2; upper case and doubled spaces).
    a1 = by_id["A0001"]
    assert sorted((e.type, e.date, e.ref) for e in a1.events) == [
        ("cp_plan_started", D("2026-01-05"), "List 7 row 3"),
        ("rcpc_held", D("2026-10-01"), "List 7 row 3"),
        ("statutory_visit", D("2026-11-02"), "List 7 row 3"),
    ]
    assert [e.attributes for e in a1.events if e.type == "statutory_visit"] == [
        {"seen_alone": True}
    ]
    # List 1 ("Child ID", "Child's date of birth", "Date of the contact",
    # lower-case "allocated team"): contacts are read for the random children.
    contacts = [c for c in read.cases if any(e.type == "contact_received" for e in c.events)]
    assert contacts and all(c.team for c in contacts)
    # List 8: A0002's foster placement (U4), A0008's placement without a type.
    placements = {
        c: [e.attributes for e in by_id[c].events if e.type == "placement_started"]
        for c in ("A0002", "A0008")
    }
    assert placements == {"A0002": [{"placement_type": "foster"}], "A0008": [{}]}
    # A0005: the conference was deemed unnecessary, so nothing is posted.
    assert by_id["A0005"].events == []


def rows_of(read: SourceRead, authority: str, children: set[str]) -> list[tuple[Any, ...]]:
    listing = overdue_list(read, reference_data(), authority=authority, as_of=AS_OF)
    return [
        (r.case_id, r.rule_id, r.due, r.status, r.working_days_overdue)
        for r in listing.rows
        if r.case_id in children
    ]


FIXED = {"A0001", "A0002", "A0003", "A0004", "A0005", "A0006"}


def test_the_fixed_childrens_overdue_rows_in_england(read: SourceRead) -> None:
    # By hand, England and Wales calendar: no bank holiday between Mon 31 Aug
    # and Fri 25 Dec 2026. Working days overdue: those after the due day up to
    # and including Mon 23 Nov.
    # A0002: placed (U4, foster) Mon 6 Jul 2026; last visit Mon 7 Sep, within
    #   the placement's first year: next within 6 weeks, Mon 19 Oct. Overdue:
    #   Oct 20-23 (4), 26-30 (9), Nov 2-6 (14), 9-13 (19), 16-20 (24), 23 (25).
    # A0002: first review Mon 27 Jul (within 20 working days of Mon 6 Jul);
    #   the second within 3 months of it: Tue 27 Oct. Overdue: Oct 28-30 (3),
    #   Nov 2-6 (8), 9-13 (13), 16-20 (18), 23 (19).
    # A0003: pathway plan last reviewed Mon 4 May 2026 (the latest date): next
    #   within 6 months, Wed 4 Nov. Overdue: Nov 5-6 (2), 9-13 (7), 16-20 (12), 23 (13).
    # A0004: strategy discussion Mon 26 Oct; conference within 15 working days:
    #   Oct 27-30 (4), Nov 2-6 (9), 9-13 (14), Mon 16 Nov (15). Overdue: 17-20 (4), 23 (5).
    # A0006: referral Mon 14 Sep; assessment within 45 working days: Sep 15-18
    #   (4), 21-25 (9), Sep 28-Oct 2 (14), Oct 5-9 (19), 12-16 (24), 19-23 (29),
    #   26-30 (34), Nov 2-6 (39), 9-13 (44), Mon 16 Nov (45). Overdue: 5, as A0004.
    # A0001: England sets no CP visit frequency; the next review conference is
    #   6 months after Thu 1 Oct, Thu 1 Apr 2027: no row. The first core group
    #   (a core_group_held) is no Annex A event: not evaluated, not a row.
    # A0005: nothing posted, nothing due.
    # Order: oldest first, then child, then rule.
    assert rows_of(read, "england", FIXED) == [
        ("A0002", "england.cla_visit", D("2026-10-19"), "overdue", 25),
        ("A0002", "england.cla_review", D("2026-10-27"), "overdue", 19),
        ("A0003", "england.pathway_plan_review", D("2026-11-04"), "overdue", 13),
        ("A0004", "england.icpc", D("2026-11-16"), "overdue", 5),
        ("A0006", "england.assessment", D("2026-11-16"), "overdue", 5),
    ]


def test_the_fixed_childrens_overdue_rows_in_redcar_and_cleveland(read: SourceRead) -> None:
    # England's rows (above) and Redcar and Cleveland's own, each with its rule.
    # A0001: CP visits "at the least once every 10 working days": last visit
    #   Mon 2 Nov: Nov 3-6 (4), 9-13 (9), Mon 16 Nov (10). Overdue: 17-20 (4), 23 (5).
    # A0002: Redcar's looked-after visits: weekly in the placement's first 4
    #   weeks (to Mon 3 Aug), then 6-weekly in its first year: from Mon 7 Sep,
    #   Mon 19 Oct, overdue 25 as England's.
    # A0004: a visit within 2 working days of the enquiry's start (the strategy
    #   discussion, Mon 26 Oct): Wed 28 Oct. Overdue: Oct 29-30 (2), Nov 2-6
    #   (7), 9-13 (12), 16-20 (17), 23 (18).
    # A0006: Redcar's assessment, 45 working days from the referral as
    #   England's: Mon 16 Nov, overdue 5.
    # Rules met only by events Annex A does not hold (case notes, core groups,
    # supervision, s47 completion) are not evaluated, so not rows.
    children = {"A0001", "A0002", "A0004", "A0006"}
    assert rows_of(read, "redcar-and-cleveland", children) == [
        ("A0002", "england.cla_visit", D("2026-10-19"), "overdue", 25),
        ("A0002", "redcar-and-cleveland.cla_visit", D("2026-10-19"), "overdue", 25),
        ("A0002", "england.cla_review", D("2026-10-27"), "overdue", 19),
        ("A0004", "redcar-and-cleveland.s47_visit", D("2026-10-28"), "overdue", 18),
        ("A0001", "redcar-and-cleveland.cp_visit", D("2026-11-16"), "overdue", 5),
        ("A0004", "england.icpc", D("2026-11-16"), "overdue", 5),
        ("A0006", "england.assessment", D("2026-11-16"), "overdue", 5),
        ("A0006", "redcar-and-cleveland.assessment", D("2026-11-16"), "overdue", 5),
    ]

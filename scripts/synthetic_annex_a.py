"""A synthetic Ofsted Annex A workbook: no real child, made up from the list headers.

Writes lists 1 to 9 as app/sources/annex_a.py reads them (sheets by name,
headers from app/data/council_data/annex_a.yaml, the public Annex A schema's
names and patterns) for N children (default 50). The same --seed gives the
same cells. The as-of date is fixed: Mon 23 Nov 2026 (AS_OF); every date
written is on or before it.

Header variants, so that the reader's tolerance is exercised:
  List 1 "List 1 - Contacts": "Child ID" and "Child's date of birth" (the
    schema's /.*child.*id.*/i and /.*date.*birth.*/i), "Date of the contact"
    (/.*date.*contact.*/i), "allocated team" / "allocated worker" in lower
    case, and an extra "Gender" column the reader does not use.
  List 3 "list3": "Unique Child ID", "date of birth", "Date of the referral"
    (/.*date of.*referral.*/i); its dates are dd/mm/yyyy text, not date cells.
  List 7 "List 7 - CP plans": a title row above the headers (headers on row 2),
    "CHILD PROTECTION PLAN START DATE" and "date of the last  statutory visit"
    (the names, case and spaces folded).
  Every other sheet: the schema's names, dates as real date cells.

Fixed children first (tests/test_synthetic_annex_a.py counts their overdue
rows by hand); no England and Wales bank holiday falls between Mon 31 Aug and
Fri 25 Dec 2026:
  A0001 CP plan from Mon 5 Jan 2026, latest review conference Thu 1 Oct 2026,
        last statutory visit Mon 2 Nov 2026 (seen alone)               List 7
  A0002 looked after and placed in foster care (U4) Mon 6 Jul 2026, first
        review Mon 27 Jul 2026, last social work visit Mon 7 Sep 2026,
        health assessment Mon 20 Jul 2026                              List 8
  A0003 care leaver, latest contact Fri 3 Apr 2026, pathway plan last
        reviewed Mon 4 May 2026 (the child's latest date)              List 9
  A0004 strategy discussion Mon 26 Oct 2026, conference not deemed
        unnecessary, none held yet                                     List 5
  A0005 strategy discussion Mon 2 Nov 2026, conference deemed unnecessary
        (nothing is posted: the enquiry's end is not dated)             List 5
  A0006 referral Mon 14 Sep 2026, assessment started Tue 15 Sep 2026, not
        authorised                                                     Lists 3, 4

Deliberate bad rows, at fixed rows (after the fixed children, before the
random ones), each a SourceProblem for the reader:
  List 1 row 2: no child id (a contact of Mon 16 Nov 2026)
  List 3 row 3: A0007's "Date of the referral" is "31/11/2026" (no such day)
  List 8 row 3: A0008's "Placement Type" is "R4" (not an SSDA903 code in the
                schema: the placement is posted without a type)

Then children A0009.. at random (seeded) across contacts and referrals with
assessments and child in need episodes, child protection, looked-after,
care-leaver and early help journeys.

The shipped sample, examples/annex-a.xlsx, was made with the defaults:

    .venv/bin/python scripts/synthetic_annex_a.py --out examples/annex-a.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

AS_OF = dt.date(2026, 11, 23)  # the workbook's day (a Monday)
D = dt.date.fromisoformat
KNOWN = 8  # A0001-A0008 are the fixed children above (A0007, A0008: bad rows)
PLACEMENTS = ["U4", "U6", "K2", "R1", "U1", "A5", "H5", "P1"]
TEAMS = ["Assessment Team", "Safeguarding Team 1", "Safeguarding Team 2", "Children in Care"]
Cell = Any
Row = list[Cell]

# Each sheet's title and headers, as written. The reader's names (annex_a.yaml)
# unless the module docstring names a variant.
SHEETS: dict[int, tuple[str, list[str]]] = {
    1: (
        "List 1 - Contacts",
        [
            "Child ID",
            "Child's date of birth",
            "Gender",
            "Date of the contact",
            "allocated team",
            "allocated worker",
        ],
    ),
    2: (
        "List 2",
        [
            "Child Unique ID",
            "Date of Birth",
            "Assessment start date",
            "Assessment completion date",
            "Allocated Team",
            "Allocated Worker",
        ],
    ),
    3: (
        "list3",
        [
            "Unique Child ID",
            "date of birth",
            "Date of the referral",
            "Allocated Team",
            "Allocated Worker",
        ],
    ),
    4: (
        "List 4",
        [
            "Child Unique ID",
            "Date of Birth",
            "Continuous Assessment Start Date",
            "Continuous Assessment Date of Authorisation",
            "Allocated Team",
            "Allocated Worker",
        ],
    ),
    5: (
        "List 5",
        [
            "Child Unique ID",
            "Date of Birth",
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Was an Initial Child Protection Conference deemed unnecessary?",
            "Date of Initial Child Protection Conference",
            "Allocated Team",
            "Allocated Worker",
        ],
    ),
    6: (
        "List 6",
        [
            "Child Unique ID",
            "Date of Birth",
            "CIN Start Date",
            "Date Child Was Last Seen",
            "CIN Closure Date",
            "Allocated Team",
            "Allocated Worker",
        ],
    ),
    7: (
        "List 7 - CP plans",
        [
            "Child Unique ID",
            "Date of Birth",
            "CHILD PROTECTION PLAN START DATE",
            "date of the last  statutory visit",
            "Was the Child Seen Alone?",
            "Date of latest review conference",
            "Child Protection Plan End Date",
            "Allocated Team",
            "Allocated Worker",
        ],
    ),
    8: (
        "List 8",
        [
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
        ],
    ),
    9: (
        "List 9",
        [
            "Child Unique ID",
            "Date of Birth",
            "Latest Pathway Plan Review Date",
            "Latest Date of Contact",
            "Allocated Team",
            "Allocated Worker",
        ],
    ),
}
TEXT_DATES = 3  # the list whose dates are dd/mm/yyyy text
TITLE_ROWS = {7: "Annex A, List 7: children who are the subject of a child protection plan"}


def weekday(day: dt.date) -> dt.date:
    """The day, or the Monday after it when it is a Saturday or Sunday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


class Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.lists: dict[int, list[Row]] = {n: [] for n in SHEETS}

    def add(self, n: int, *values: Cell) -> None:
        """A data row of list n, its cells in SHEETS' order (dates as dt.date)."""
        if len(values) != len(SHEETS[n][1]):
            raise ValueError(f"List {n}: {len(values)} cells for {len(SHEETS[n][1])} headers")
        self.lists[n].append(list(values))

    def known(self) -> None:
        """The fixed children and the deliberate bad rows (module docstring)."""
        # List 7 row 3 (row 2 holds the headers, under the title row)
        self.add(7, "A0001", D("2015-03-01"), D("2026-01-05"), D("2026-11-02"), "a) Yes",
                 D("2026-10-01"), None, "Safeguarding Team 1", "Worker 01")  # fmt: skip
        # List 8 row 2
        self.add(8, "A0002", D("2016-04-11"), D("2026-07-06"), D("2026-07-06"), D("2026-07-27"),
                 D("2026-09-07"), D("2026-08-03"), D("2026-07-20"), None, None, D("2026-07-06"),
                 "U4", "Children in Care", "Worker 02")  # fmt: skip
        # List 9 row 2
        self.add(9, "A0003", D("2007-05-10"), D("2026-05-04"), D("2026-04-03"),
                 "Leaving Care", "PA 03")  # fmt: skip
        # List 5 rows 2 and 3
        self.add(5, "A0004", D("2019-01-15"), D("2026-10-26"), "b) No", None,
                 "Safeguarding Team 2", "Worker 04")  # fmt: skip
        self.add(5, "A0005", D("2012-08-30"), D("2026-11-02"), "a) Yes", None,
                 "Safeguarding Team 2", "Worker 05")  # fmt: skip
        # List 3 row 2, List 4 row 2
        self.add(3, "A0006", D("2017-06-21"), D("2026-09-14"), "Assessment Team", "Worker 06")
        self.add(4, "A0006", D("2017-06-21"), D("2026-09-15"), None, "Assessment Team",
                 "Worker 06")  # fmt: skip
        # The bad rows. List 1 row 2: no child id.
        self.add(1, None, D("2014-02-02"), "F", D("2026-11-16"), "Assessment Team", "Worker 07")
        # List 3 row 3: 31 November (text, as the sheet's dates are).
        self.add(3, "A0007", D("2013-09-09"), "31/11/2026", "Assessment Team", "Worker 07")
        # List 8 row 3: R4 is not in the schema's list of placement codes.
        self.add(8, "A0008", D("2011-11-11"), D("2025-02-03"), D("2025-02-03"), D("2026-08-03"),
                 D("2026-10-12"), None, None, None, None, D("2026-03-02"), "R4",
                 "Children in Care", "Worker 08")  # fmt: skip

    def day(self, after: dt.date, low: int, high: int) -> dt.date | None:
        """A weekday low to high days after `after`; None when that is after AS_OF."""
        found = weekday(after + dt.timedelta(days=self.rng.randrange(low, high)))
        return found if found <= AS_OF else None

    def random_child(self, i: int) -> None:
        rng = self.rng
        child = f"A{i:04d}"
        journey = i % 5
        born = D("2005-01-01") + dt.timedelta(days=rng.randrange(7000))
        if journey == 3:  # a care leaver: 18 to 21
            born = AS_OF - dt.timedelta(days=365 * 18 + rng.randrange(3 * 365))
        team = TEAMS[i % len(TEAMS)]
        worker = f"Worker {i % 37:02d}"
        # Started at least 30 days before AS_OF, on a weekday, within the
        # inspection year Annex A covers (the 12 months before AS_OF).
        start = weekday(AS_OF - dt.timedelta(days=rng.randrange(30, 365)))
        if journey == 0:  # child protection: referral, enquiry, conference, plan
            self.add(3, child, born, start, team, worker)
            strategy = self.day(start, 1, 10) or start
            icpc = self.day(strategy, 10, 24)
            self.add(5, child, born, strategy, "b) No", icpc, team, worker)
            if icpc is not None:
                visit = self.day(AS_OF - dt.timedelta(days=20), 0, 20)
                review = self.day(icpc, 80, 90)
                ended = review if review is not None and rng.random() < 0.2 else None
                seen = rng.choice(["a) Yes", "b) No"]) if visit else None
                self.add(7, child, born, icpc, visit if visit and visit >= icpc else None,
                         seen, review, ended, team, worker)  # fmt: skip
        elif journey == 1:  # contact, referral, assessment, child in need
            contact = start - dt.timedelta(days=rng.randrange(0, 3))
            self.add(1, child, born, rng.choice("MF"), weekday(contact), team, worker)
            self.add(3, child, born, start, team, worker)
            begun = self.day(start, 1, 5) or start
            done = self.day(begun, 10, 50)
            self.add(4, child, born, begun, done, team, worker)
            if done is not None:
                seen = self.day(done, 5, 40)
                closed = self.day(done, 60, 200)
                self.add(6, child, born, start, seen, closed, team, worker)
        elif journey == 2:  # looked after
            entered = self.day(start, 0, 10) or start
            placed = self.day(entered, 0, 60) or entered
            review = self.day(entered, 15, 27)
            visit = self.day(max(placed, AS_OF - dt.timedelta(days=40)), 0, 35)
            health = self.day(entered, 5, 25)
            dental = self.day(entered, 30, 200)
            self.add(8, child, born, entered, entered, review, visit, review, health, dental,
                     None, placed, rng.choice(PLACEMENTS), team, worker)  # fmt: skip
        elif journey == 3:  # care leaver
            reviewed = AS_OF - dt.timedelta(days=rng.randrange(1, 300))
            contact = AS_OF - dt.timedelta(days=rng.randrange(1, 120))
            self.add(9, child, born, reviewed, contact, "Leaving Care", f"PA {i % 11:02d}")
        else:  # early help
            begun = start
            done = self.day(begun, 10, 60)
            self.add(2, child, born, begun, done, "Early Help", worker)


def synthetic_annex_a(children: int = 50, seed: int = 2026) -> dict[int, list[Row]]:
    """Each list's data rows (cells in SHEETS' order; dates as dt.date)."""
    if children < KNOWN:
        raise ValueError(f"at least {KNOWN} children: A0001-A{KNOWN:04d} are fixed")
    build = Builder(seed)
    build.known()
    for i in range(KNOWN + 1, children + 1):  # bounded: the children asked for
        build.random_child(i)
    return build.lists


def _as_text(value: Cell) -> Cell:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value


def write_workbook(path: Path, lists: dict[int, list[Row]]) -> None:
    """The lists as an .xlsx (openpyxl's write-only mode: rows streamed out)."""
    wb = Workbook(write_only=True)
    for n, (title, headers) in SHEETS.items():
        ws = wb.create_sheet(title)
        if n in TITLE_ROWS:
            ws.append([TITLE_ROWS[n]])
        ws.append(headers)
        cell: Callable[[Cell], Cell] = _as_text if n == TEXT_DATES else (lambda v: v)
        for row in lists[n]:
            ws.append([cell(v) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    args = parser.parse_args()
    lists = synthetic_annex_a(args.children, args.seed)
    write_workbook(args.out, lists)
    rows = sum(len(r) for r in lists.values())
    print(f"{args.out}: {args.children} children, {rows} rows", file=sys.stderr)


if __name__ == "__main__":
    main()

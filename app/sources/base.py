"""What a reader of council data gives back: cases in the API's own shape, and
every row or value it could not use.

A reader (app/sources/ssd.py, app/sources/annex_a.py) never drops a row or a
value silently: what it cannot use is a `SourceProblem` naming the table or
sheet, the row and the field. Cases come out as plain values in the shape of
the API's case (`case_id`, `child.date_of_birth`, `history_from`, `events`), so
that the same case can be computed in-process or posted to a running service
as an NDJSON line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceProblem:
    """One thing a reader could not use, and where it is in the council's data."""

    source: str  # the SSD table ("ssd_cp_visits") or Annex A list ("List 7")
    # 1-based data row (a sheet's row as Excel numbers it); None: the whole table
    row: int | None
    field: str | None  # the column, as the data names it
    message: str
    case_id: str | None = None  # the child, where the row names one
    # The row's own id (its key, "cppv_cp_visit_id V-9"), where it has one: a
    # database's rows come in no fixed order, so the row number alone may not find it.
    record: str | None = None


@dataclass
class PostedEvent:
    """One event, as the API's case takes it (see docs/contract.md)."""

    type: str
    date: dt.date
    ref: str | None = None  # where it came from: "ssd_cp_visits:123", "List 7 row 5"
    scheduled: bool = False
    attributes: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "date": self.date.isoformat()}
        if self.ref is not None:
            out["ref"] = self.ref
        if self.scheduled:
            out["scheduled"] = True
        if self.attributes:
            out["attributes"] = dict(self.attributes)
        return out


@dataclass
class SourceCase:
    """One child's case as read from council data."""

    case_id: str
    date_of_birth: dt.date | None = None
    # Where the data's history begins for this child: deadlines due before it
    # are not judged (the extract's window, or an Annex A row's latest dates).
    history_from: dt.date | None = None
    events: list[PostedEvent] = field(default_factory=list)
    # Who holds the case, where the data says (for the overdue list's columns).
    team: str | None = None
    worker: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The case as a line of POST /v1/overdue's NDJSON, or an item of its `cases`."""
        out: dict[str, Any] = {"case_id": self.case_id}
        if self.date_of_birth is not None:
            out["child"] = {"date_of_birth": self.date_of_birth.isoformat()}
        if self.history_from is not None:
            out["history_from"] = self.history_from.isoformat()
        out["events"] = [e.as_json() for e in sorted(self.events, key=lambda e: e.date)]
        return out


@dataclass
class SourceRead:
    """Everything a reader got from one database, folder or workbook."""

    cases: list[SourceCase]
    problems: list[SourceProblem]
    # What was read, for the summary: rows by table or sheet.
    rows: Mapping[str, int] = field(default_factory=dict)
    # Due dates the data itself records, for the due-date audit (SSD only):
    # (case_id, requirement, recorded due, the event it should count from, ref).
    recorded_due: list[RecordedDue] = field(default_factory=list)
    # Dates deliberately not posted, counted by "table.field: reason" (a visit
    # at which the child was not seen, a cancelled review): left out on
    # purpose, so not problems, but never silently.
    not_posted: Mapping[str, int] = field(default_factory=dict)
    # The event types this kind of data can hold at all (None: any). A deadline
    # met only by another type (a case note, a core group, for Annex A) cannot
    # be judged from the data: reported overdue, it would be the data's gap.
    event_types_recorded: frozenset[str] | None = None


@dataclass(frozen=True)
class RecordedDue:
    """A due date the council's system computed and stored (an SSD target field)."""

    case_id: str
    source: str  # "ssd_initial_cp_conference"
    row: int
    field: str  # "icpc_icpc_target_date"
    recorded: dt.date
    ref: str | None = None  # the record it belongs to

"""Ofsted's Annex A workbook in: one case per child, and every row or value it could not use.

`read_annex_a(path, as_of=...)` reads lists 1 to 9 of the workbook with openpyxl
in read-only mode, row by row, so the cells of a large workbook are never held
in memory (only the cases built from them are). Sheets, headers and the event
each date is posted as are data: app/data/council_data/annex_a.yaml, from the
public Annex A schema (header names and patterns) and app/data/events.yaml
(event types). Placement codes: app/sources/placements.py.

What each list gives (one event per date cell; `ref` "List N row R"):
- List 1 `Date of Contact`: contact_received.
- List 2 `Assessment completion date`: early_help_assessment_completed.
- List 3 `Date of referral`: referral_received.
- List 4 `Continuous Assessment Start Date`: assessment_started;
  `Continuous Assessment Date of Authorisation`: assessment_completed.
- List 5 `Strategy discussion initiating Section 47 Enquiry Start Date`:
  strategy_discussion_held; `Date of Initial Child Protection Conference`:
  icpc_held. When `Was an Initial Child Protection Conference deemed
  unnecessary?` is yes and no conference is dated, the enquiry ended without
  one on a day Annex A does not give: the strategy discussion is not posted,
  since posting it would report a conference that was never due as overdue.
- List 6 `CIN Closure Date`: case_closed.
- List 7 `Child Protection Plan Start Date`: cp_plan_started; `Date of the Last
  Statutory Visit`: statutory_visit (`seen_alone` from `Was the Child Seen
  Alone?` when yes or no); `Date of latest review conference`: rcpc_held;
  `Child Protection Plan End Date`: cp_plan_ended.
- List 8 `Date Started to be Looked After`: became_looked_after; `Date of
  Latest Statutory Review`: cla_review_held; `Date of Last Social Work Visit`:
  statutory_visit; `Date of Last Health Assessment`: health_assessment_completed;
  `Date Ceased to be Looked After`: ceased_looked_after; `Start Date of Most
  Recent Placement`: placement_started with `placement_type` from the SSDA903
  code in `Placement Type`.
- List 9 `Latest Pathway Plan Review Date`: pathway_plan_reviewed; `Latest Date
  of Contact`: care_leaver_contact.

Dates read as nothing, on purpose (no event type of the vocabulary records
them, so no row reports them): List 2 `Assessment start date`; List 6 `CIN
Start Date` (the episode's start, not a plan's) and `Date Child Was Last Seen`
(seen for any reason, not a statutory visit); List 8 `Start date of current
legal status`, `Date of Last IRO Visit / Contact to the Child` and `Date of
Last Dental Check`. Lists 10 and 11 (adoption, adopters) are not read.

history_from: an Annex A row holds the latest date of each kind, not the
history: the visits before the last one, the reviews before the latest, the
placements before the most recent are not in the workbook. Each case's
`history_from` is the latest date posted for the child. So no deadline before
it is judged (none can be: what happened before the latest dates is not in
the data), a schedule whose satisfying event is the latest date is taken up
from it (last CP visit 2 Nov: the next is due 10 working days after 2 Nov,
and nothing between the plan's start and 2 Nov is reported missed), and a
schedule whose next deadline falls after it is judged as usual (latest review
1 Oct: the next is due 6 months later). What this cannot show: a kind whose
own latest date is older than the child's latest date by more than its step
(last visit in August, latest review in November) is taken at its steady step
from `history_from`, so a visit already overdue before it is not reported. An
earlier `history_from` (the earliest of the latest dates) would report it, but
would also report every visit between a plan's start and its last visit as
missed, which the data cannot say; the reader never reports what it cannot
know.

Every cell it cannot use is a SourceProblem naming the list, the row as Excel
numbers it and the column: a row without a child id, a date that is neither a
date cell nor text in %d/%m/%Y, a blank required date, a date after `as_of`,
an unknown placement code, a second date of birth that differs from the
first; and, for the whole list, a missing sheet or a missing column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from app.datafiles import DATA_DIR, DataFileError, describe, load_yaml
from app.domain.vocabulary import vocabulary
from app.sources.base import PostedEvent, SourceCase, SourceProblem, SourceRead
from app.sources.placements import placement_code, placement_codes

ANNEX_A_FILE = DATA_DIR / "council_data" / "annex_a.yaml"

# A council's header rows sit at the top; a sheet whose child id header is not
# in its first rows is taken to have none (the problem names the column).
HEADER_SEARCH_ROWS = 10


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=256)
def _pattern(written: str) -> re.Pattern[str]:
    """The schema's /pattern/flags, as a Python pattern."""
    if not written.startswith("/") or written.rfind("/") == 0:
        raise ValueError(f"{written!r} is not written /pattern/flags")
    end = written.rfind("/")
    flags = re.IGNORECASE if "i" in written[end + 1 :] else 0
    return re.compile(written[1:end], flags)


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    header_regex: list[str] = []
    required: bool = False
    event: str | None = None
    skipped: str | None = None

    @field_validator("header_regex")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        for written in value:
            _pattern(written)
        return value

    @field_validator("event")
    @classmethod
    def _known_event(cls, value: str | None) -> str | None:
        if value is not None and value not in vocabulary().event_types:
            raise ValueError(f"{value!r} is not an event type of app/data/events.yaml")
        return value

    def matches(self, header: str) -> bool:
        return any(_pattern(p).match(header) for p in self.header_regex)


class ListSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int  # the list's number: List 8
    title: str
    dates: list[Column]
    flags: dict[str, str] = {}

    @property
    def name(self) -> str:
        return f"List {self.number}"


class AnnexASpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: dict[str, str]
    date_format: str
    child_id: Column
    date_of_birth: Column
    team: Column
    worker: Column
    answer_yes: list[str]
    answer_no: list[str]
    lists: list[ListSpec]


@lru_cache(maxsize=1)
def annex_a_spec(path: Path = ANNEX_A_FILE) -> AnnexASpec:
    raw = load_yaml(path)
    try:
        return AnnexASpec.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(describe(path, raw, exc, "lists", "list")) from None


def _sheet_list(title: str, numbers: Sequence[int]) -> int | None:
    folded = "".join(title.split()).casefold()
    for n in numbers:
        stem = f"list{n}"
        if folded == stem or (folded.startswith(stem) and not folded[len(stem)].isdigit()):
            return n
    return None


def _text(value: Any) -> str | None:
    """A cell as text; None when blank. Whole numbers typed as numbers lose their '.0'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


class _BadDate(ValueError):
    pass


def _date(value: Any, date_format: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.strptime(value.strip(), date_format).date()
        except ValueError:
            raise _BadDate(f"{value.strip()!r} is not a date ({date_format})") from None
    raise _BadDate(f"{value!r} is not a date (a date cell, or text as {date_format})")


def _answer(value: Any, yes: list[str], no: list[str]) -> bool | None:
    text = _text(value)
    if text is None:
        return None
    if any(_pattern(p).match(text) for p in yes):
        return True
    if any(_pattern(p).match(text) for p in no):
        return False
    return None


@dataclass
class _Child:
    case: SourceCase
    dob_row: str | None = None  # where the date of birth was first read


@dataclass
class _Reading:
    as_of: dt.date
    spec: AnnexASpec
    children: dict[str, _Child]
    problems: list[SourceProblem]
    # "List N.column: reason" -> dates left out on purpose (SourceRead.not_posted)
    not_posted: dict[str, int]


def _headers(rows: Iterator[tuple[Any, ...]], spec: AnnexASpec) -> tuple[int, list[str]] | None:
    """The header row (as Excel numbers it) and its headers: the first of the
    sheet's first rows that names the child id column."""
    for number, row in enumerate(rows, start=1):
        headers = [_text(v) or "" for v in row]
        if any(_fold(h) == _fold(spec.child_id.name) or spec.child_id.matches(h) for h in headers):
            return number, headers
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _locate(columns: Sequence[Column], headers: list[str]) -> dict[str, int]:
    """Column name -> index. A header equal to a column's name wins over one that
    matches its pattern; a header serves one column only."""
    found: dict[str, int] = {}
    taken: set[int] = set()
    for column in columns:
        for i, header in enumerate(headers):
            if i not in taken and _fold(header) == _fold(column.name):
                found[column.name] = i
                taken.add(i)
                break
    for column in columns:
        if column.name in found:
            continue
        for i, header in enumerate(headers):
            if i not in taken and column.matches(header):
                found[column.name] = i
                taken.add(i)
                break
    return found


def _read_sheet(rows: Iterator[tuple[Any, ...]], lst: ListSpec, reading: _Reading) -> int:
    """Read one list's rows into the children; the number of data rows read."""
    spec, problems = reading.spec, reading.problems
    located = _headers(rows, spec)
    if located is None:
        problems.append(
            SourceProblem(lst.name, None, spec.child_id.name, "no header row names the child id")
        )
        return 0
    header_row, headers = located
    flag_columns = [Column(name=n) for n in lst.flags.values()]
    wanted = [spec.child_id, spec.date_of_birth, spec.team, spec.worker, *lst.dates, *flag_columns]
    at = _locate(wanted, headers)
    missing_required = False
    for column in wanted:
        if column.name not in at and column.skipped is None:
            required = column.required or column is spec.child_id
            missing_required = missing_required or required
            problems.append(
                SourceProblem(
                    lst.name,
                    None,
                    column.name,
                    "the column is missing" + (": the list cannot be read" if required else ""),
                )
            )
    if missing_required:
        return 0

    def cell(row: tuple[Any, ...], name: str) -> Any:
        i = at.get(name)
        return row[i] if i is not None and i < len(row) else None

    count = 0
    for number, row in enumerate(rows, start=header_row + 1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue  # a blank row holds nothing (sheets often carry formatted empty rows)
        count += 1
        ref = f"{lst.name} row {number}"
        child_id = _text(cell(row, spec.child_id.name))
        if child_id is None:
            problems.append(
                SourceProblem(lst.name, number, spec.child_id.name, "no child id: row not read")
            )
            continue

        def problem(field: str, message: str, child: str = child_id, row_no: int = number) -> None:
            problems.append(SourceProblem(lst.name, row_no, field, message, case_id=child))

        child = reading.children.get(child_id)
        if child is None:
            child = reading.children[child_id] = _Child(SourceCase(case_id=child_id))
        case = child.case
        try:
            dob = _date(cell(row, spec.date_of_birth.name), spec.date_format)
        except _BadDate as exc:
            problem(spec.date_of_birth.name, str(exc))
            dob = None
        if dob is not None:
            if case.date_of_birth is None:
                case.date_of_birth, child.dob_row = dob, ref
            elif dob != case.date_of_birth:
                problem(
                    spec.date_of_birth.name,
                    f"{dob.isoformat()} differs from {case.date_of_birth.isoformat()} "
                    f"({child.dob_row}); the first is kept",
                )
        team, worker = _text(cell(row, spec.team.name)), _text(cell(row, spec.worker.name))
        case.team = team or case.team
        case.worker = worker or case.worker

        dates: dict[str, dt.date] = {}
        for column in lst.dates:
            if column.name not in at:
                continue
            if column.skipped is not None:
                if _text(cell(row, column.name)) is not None:
                    key = f"{lst.name}.{column.name}: {column.skipped}"
                    reading.not_posted[key] = reading.not_posted.get(key, 0) + 1
                continue
            try:
                value = _date(cell(row, column.name), spec.date_format)
            except _BadDate as exc:
                problem(column.name, str(exc))
                continue
            if value is None:
                if column.required:
                    problem(column.name, "blank, and the list requires it")
                continue
            if value > reading.as_of:
                problem(column.name, f"{value.isoformat()} is after as_of ({reading.as_of})")
                continue
            dates[column.name] = value
        for event in _events(lst, row, dates, cell, ref, problem, reading.not_posted):
            case.events.append(event)
    return count


def _events(
    lst: ListSpec,
    row: tuple[Any, ...],
    dates: dict[str, dt.date],
    cell: Any,
    ref: str,
    problem: Any,
    not_posted: dict[str, int],
) -> Iterator[PostedEvent]:
    spec = annex_a_spec()
    unnecessary = lst.flags.get("icpc_unnecessary")
    icpc_not_held = unnecessary is not None and not any(
        c.event == "icpc_held" and c.name in dates for c in lst.dates
    )
    skip_sd = icpc_not_held and _answer(cell(row, unnecessary), spec.answer_yes, spec.answer_no)
    for column in lst.dates:
        day = dates.get(column.name)
        if day is None or column.event is None:
            continue
        attributes: dict[str, Any] = {}
        if column.event == "strategy_discussion_held" and skip_sd:
            key = (
                f"{lst.name}.{column.name}: "
                "no conference was needed, and the enquiry's end is not dated"
            )
            not_posted[key] = not_posted.get(key, 0) + 1
            continue
        if column.event == "statutory_visit" and "seen_alone" in lst.flags:
            seen = _answer(cell(row, lst.flags["seen_alone"]), spec.answer_yes, spec.answer_no)
            if seen is not None:
                attributes["seen_alone"] = seen
        if column.event == "placement_started" and "placement_type" in lst.flags:
            field = lst.flags["placement_type"]
            written = _text(cell(row, field))
            code = placement_code(written) if written is not None else None
            if written is None:
                problem(field, "blank: the placement is posted without its type")
            elif code is None:
                problem(
                    field, f"{written!r} is not an SSDA903 placement code: posted without a type"
                )
            else:
                attributes["placement_type"] = placement_codes()[code].placement_type
        yield PostedEvent(type=column.event, date=day, ref=ref, attributes=attributes)


def read_annex_a(path: Path | str | IO[bytes], *, as_of: dt.date) -> SourceRead:
    """Every child of lists 1 to 9 of an Annex A workbook (a path, or the
    workbook's bytes as a file), and what could not be used."""
    spec = annex_a_spec()
    reading = _Reading(as_of=as_of, spec=spec, children={}, problems=[], not_posted={})
    rows_read: dict[str, int] = {}
    numbers = [lst.number for lst in spec.lists]
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets: dict[int, Any] = {}
        for sheet in workbook.worksheets:
            n = _sheet_list(sheet.title, numbers)
            if n is None:
                continue
            if n in sheets:
                reading.problems.append(
                    SourceProblem(
                        f"List {n}", None, None,
                        f"sheet {sheet.title!r} is a second List {n}: not read "
                        f"(read {sheets[n].title!r})",
                    )
                )  # fmt: skip
                continue
            sheets[n] = sheet
        for lst in spec.lists:
            found = sheets.get(lst.number)
            if found is None:
                reading.problems.append(
                    SourceProblem(lst.name, None, None, f"no sheet for {lst.name} ({lst.title})")
                )
                continue
            rows_read[lst.name] = _read_sheet(found.iter_rows(values_only=True), lst, reading)
    finally:
        workbook.close()

    cases = []
    for child in reading.children.values():
        case = child.case
        if case.events:
            case.history_from = max(e.date for e in case.events)
        cases.append(case)
    return SourceRead(
        cases=cases,
        problems=reading.problems,
        rows=rows_read,
        not_posted=reading.not_posted,
        event_types_recorded=frozenset(
            c.event for lst in spec.lists for c in lst.dates if c.event is not None
        ),
    )

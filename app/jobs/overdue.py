"""The overdue list of a caseload read from council data, computed in-process.

The same answer as POST /v1/overdue for the same cases: each case is assessed
on its own (a case the engine refuses is a problem row, never the end of the
list), the rows are those overdue, due today or due within N working days,
oldest first. The reader says which event types its data can hold at all
(`SourceRead.event_types_recorded`), so that a rule its data can never show
met is listed as not recorded rather than reported overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.cases import PlainEvent
from app.domain.deadlines import assess_case, context, overdue_horizon, overdue_only
from app.domain.engine import Deadline, NotEvaluated
from app.domain.exceptions import revision_of
from app.errors import FieldError, ServiceError
from app.reference import ReferenceData
from app.sources.base import SourceCase, SourceProblem, SourceRead


@dataclass(frozen=True)
class OverdueRow:
    """One line of the list: what an analyst's spreadsheet shows. A deadline
    (status overdue, due_today, upcoming), or, so that a file of the list
    leaves nothing out, a rule that set none (status not_evaluated, `note`
    the reason), a case that could not be computed (problem) or a row of the
    council's data that could not be read (source_problem)."""

    case_id: str | None
    requirement: str | None
    title: str | None  # the requirement's title ("Visit to a child on a child protection plan")
    due: dt.date | None
    status: str
    working_days_overdue: int | None
    basis: str | None  # statutory or local
    rule_id: str | None
    anchor_type: str | None  # what it was counted from
    anchor_date: dt.date | None
    team: str | None = None
    worker: str | None = None
    note: str | None = None  # why there is no deadline (not_evaluated, problems)
    # An approved exception's revised date and the status against it (POST
    # /v1/overdue's CSV answer; council data carries none). `due` stays the
    # statutory or local date.
    revised_due: dt.date | None = None
    revised_status: str | None = None


NOT_EVALUATED, PROBLEM, SOURCE_PROBLEM = "not_evaluated", "problem", "source_problem"


@dataclass(frozen=True)
class CaseProblem:
    """A case the engine could not compute, and why (its problem's words)."""

    case_id: str
    status: int
    title: str
    detail: str
    errors: tuple[FieldError, ...] = ()


@dataclass
class OverdueList:
    authority: str
    calendar: str
    as_of: dt.date
    due_within_working_days: int
    rows: list[OverdueRow]  # oldest first, then by child and rule
    not_evaluated: list[tuple[str, NotEvaluated]]  # (case_id, why a rule set no deadline)
    problems: list[CaseProblem]
    cases: int  # cases assessed, problems included
    rules_version: str = ""
    bank_holidays_version: str = ""
    # The event types the data was taken to record (None: all).
    recorded_event_types: frozenset[str] | None = field(default=None)
    # The requirements' titles, by code (the vocabulary's), for rows built later.
    titles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def events_of(case: SourceCase) -> list[PlainEvent]:
    """A reader's events as the domain takes them (dates as a request writes them)."""
    return [
        PlainEvent(e.type, e.date.isoformat(), e.ref, e.scheduled, e.attributes)
        for e in case.events
    ]


def overdue_list(
    read: SourceRead,
    data: ReferenceData,
    *,
    authority: str,
    as_of: dt.date,
    due_within_working_days: int = 0,
    calendar: str | None = None,
    closed: Sequence[dt.date] = (),
    progress: Callable[[int], None] | None = None,
    rules_as_of: dt.date | None = None,
) -> OverdueList:
    """The overdue list of every case `read` holds. `progress(n)` is told after
    each case (for a progress bar). Raises InvalidInput for a request-level
    problem (an unknown authority, a date outside the supported range)."""
    recorded = read.event_types_recorded
    ctx = context(
        data.rulebook,
        data.catalogue,
        data.bank_holidays.calendars,
        authority,
        calendar,
        closed,
        as_of,
        sorted(recorded) if recorded is not None else None,
        rules_as_of,
    )
    horizon = overdue_horizon(ctx, due_within_working_days)
    titles = data.rulebook.vocabulary.requirements
    rows: list[OverdueRow] = []
    unassessed: list[tuple[str, NotEvaluated]] = []
    problems: list[CaseProblem] = []
    for n, case in enumerate(read.cases, 1):  # bounded: the cases read
        try:
            answer = assess_case(
                ctx,
                data.rulebook,
                case.date_of_birth,
                events_of(case),
                f"case {case.case_id!r}",
                open_only=True,
                history_from=case.history_from,
            )
        except ServiceError as exc:
            problems.append(
                CaseProblem(case.case_id, exc.status, exc.title, exc.detail, tuple(exc.errors))
            )
        else:
            rows.extend(
                row_of(case.case_id, d, titles, case.team, case.worker)
                for d in overdue_only(answer.deadlines, horizon)
            )
            unassessed.extend((case.case_id, note) for note in answer.not_evaluated)
        if progress is not None:
            progress(n)
    rows.sort(key=oldest_first)
    return OverdueList(
        authority=ctx.ruleset,
        calendar=ctx.calendar.id,
        as_of=ctx.as_of,
        due_within_working_days=due_within_working_days,
        rows=rows,
        not_evaluated=unassessed,
        problems=problems,
        cases=len(read.cases),
        rules_version=data.rulebook.version,
        bank_holidays_version=data.bank_holidays.sha256[:16],
        recorded_event_types=recorded,
        titles=titles,
    )


def row_of(
    case_id: str,
    d: Deadline,
    titles: Mapping[str, Mapping[str, Any]],
    team: str | None = None,
    worker: str | None = None,
) -> OverdueRow:
    """A deadline as a row of the list (also for POST /v1/overdue's CSV answer)."""
    rule = d.rule
    revision = revision_of(d) if d.exception is not None else None
    return OverdueRow(
        case_id=case_id,
        requirement=rule.requirement,
        title=str(titles[rule.requirement]["title"]),
        due=d.due,
        status=d.status,
        working_days_overdue=d.working_days_overdue,
        basis=rule.basis,
        rule_id=rule.id,
        anchor_type=d.anchor.type,
        anchor_date=d.anchor.date,
        team=team,
        worker=worker,
        revised_due=revision.revised_due if revision else None,
        revised_status=revision.status if revision else None,
    )


def not_evaluated_row(
    case_id: str,
    note: NotEvaluated,
    titles: Mapping[str, Mapping[str, Any]],
    team: str | None = None,
    worker: str | None = None,
) -> OverdueRow:
    rule = note.rule
    return OverdueRow(
        case_id=case_id,
        requirement=rule.requirement,
        title=str(titles[rule.requirement]["title"]),
        due=None,
        status=NOT_EVALUATED,
        working_days_overdue=None,
        basis=rule.basis,
        rule_id=rule.id,
        anchor_type=None,
        anchor_date=None,
        team=team,
        worker=worker,
        note=f"{note.reason}: {note.detail}",
    )


def problem_row(case_id: str | None, status: str, note: str) -> OverdueRow:
    """A case that could not be computed (PROBLEM), or council data that
    could not be read (SOURCE_PROBLEM), as a line of the list."""
    return OverdueRow(case_id, None, None, None, status, None, None, None, None, None, note=note)


def source_problem_note(p: SourceProblem) -> str:
    """Where in the council's data, and what: "List 7, row 12, Date of ...: not a date"."""
    where = [p.source]
    if p.row is not None:
        where.append(f"row {p.row}")
    if p.record:
        where.append(p.record)
    if p.field:
        where.append(p.field)
    return ", ".join(where) + f": {p.message}"


def report_rows(listing: OverdueList, read: SourceRead) -> list[OverdueRow]:
    """Every line a file of the list holds: the deadlines, oldest first; then
    each rule that set none and why, each case that could not be computed,
    and each row of the data that could not be read. Nothing is left out."""
    who = {c.case_id: (c.team, c.worker) for c in read.cases}
    out = list(listing.rows)
    for case_id, note in listing.not_evaluated:
        team, worker = who.get(case_id, (None, None))
        out.append(not_evaluated_row(case_id, note, listing.titles, team, worker))
    out.extend(problem_row(p.case_id, PROBLEM, p.detail) for p in listing.problems)
    out.extend(
        problem_row(p.case_id, SOURCE_PROBLEM, source_problem_note(p)) for p in read.problems
    )
    return out


def oldest_first(row: OverdueRow) -> tuple[dt.date, str, str]:
    """The deadlines' order: due date, then child, then rule (as POST /v1/overdue)."""
    return (row.due or dt.date.max, row.case_id or "", row.rule_id or "")

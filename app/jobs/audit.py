"""The due-date audit: the due dates a council's SSD records beside the statutory ones.

An SSD extract stores its system's own due dates (`icpc_icpc_target_date`,
`cppr_cp_review_due`, `clar_cla_review_due_date`), and the systems compute
them in different ways (docs: council-data.md). For each recorded date this
computes the statutory one with the engine (the baseline rules, "england"),
pairs the two by the record they belong to, and for every mismatch says why
in words. Each reason is the outcome of a test of a stated hypothesis, made
here by counting again without the engine (a plain day-by-day count over the
calendar's bank holidays), never a guess:

1. a bank holiday not counted as one (the SSD's holiday lists lack 2022-09-19
   and every 2026 holiday): counting the rule's working days with some of the
   holidays the statutory count skipped taken as working days gives the
   recorded date;
2. a day that is not a bank holiday skipped (a council's Christmas closure):
   counting with the weekdays between Christmas and New Year that are not bank
   holidays taken as closed gives it;
3. months counted as days: the recorded date is the anchor plus 91 days ("3
   months") or 183 days ("6 months");
4. counted from the wrong event: counting the rule's offset from another event
   of the case (the conference rather than the strategy discussion) gives it;
5. otherwise: "differs by N working days; cause not identified".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from app.calendars import WorkingDayCalendar
from app.domain.deadlines import assess_case, context
from app.domain.engine import Deadline, add_months
from app.domain.plans import Count
from app.errors import ServiceError
from app.jobs.overdue import events_of
from app.reference import ReferenceData
from app.sources.base import PostedEvent, RecordedDue, SourceCase, SourceRead

AUTHORITY = "england"  # the baseline: what statute gives, whatever the council's local rules

# Which requirement each recorded due-date field is the system's date for.
REQUIREMENT_OF_FIELD: Mapping[str, str] = {
    "icpc_icpc_target_date": "icpc",
    "cppr_cp_review_due": "rcpc",
    "clar_cla_review_due_date": "cla_review",
}

# "3 months" and "6 months" as some systems count them (Mosaic's warehouse).
MONTHS_AS_DAYS: Mapping[int, int] = {3: 91, 6: 183}

# Subsets of the skipped holidays tried for hypothesis 1: a count of 15 or 20
# working days skips at most a few, but a long span could skip more.
MAX_HOLIDAYS_TRIED = 6
# The longest count the independent counter makes (a day at a time).
MAX_COUNT_DAYS = 400


@dataclass(frozen=True)
class DueDateFinding:
    """A recorded due date that differs from the statutory one, or that could
    not be checked (statutory None: `reason` says why)."""

    case_id: str
    source: str  # where the SSD records the due date: table, row and field
    row: int
    field: str
    ref: str | None
    recorded: dt.date  # what the SSD says
    statutory: dt.date | None  # what statute gives
    rule_id: str | None
    counted_from: str | None  # the event type the statutory date is counted from
    counted_from_date: dt.date | None
    skipped: tuple[tuple[dt.date, str], ...]  # days the statutory count skipped, with names
    reason: str  # why they differ, in words


@dataclass
class DueDateAudit:
    checked: int  # recorded due dates looked at
    matching: int  # of them, equal to the statutory date
    findings: list[DueDateFinding]  # mismatches and uncheckable ones only


def audit_due_dates(
    read: SourceRead,
    data: ReferenceData,
    *,
    as_of: dt.date,
    calendar: str | None = None,
) -> DueDateAudit:
    """Every due date `read.recorded_due` holds, against the statutory one.
    Raises InvalidInput for a request-level problem (as_of outside the
    supported range, an unknown calendar)."""
    ctx = context(
        data.rulebook,
        data.catalogue,
        data.bank_holidays.calendars,
        AUTHORITY,
        calendar,
        (),
        as_of,
    )
    cases = {c.case_id: c for c in read.cases}
    by_case: dict[str, list[RecordedDue]] = {}
    for due in read.recorded_due:
        by_case.setdefault(due.case_id, []).append(due)
    checked = matching = 0
    findings: list[DueDateFinding] = []
    for case_id, dues in by_case.items():  # bounded: the recorded dates read
        case = cases.get(case_id)
        deadlines: list[Deadline] | None = None
        refused = ""
        if case is None:
            refused = "the child is not among the cases read"
        else:
            try:
                # history_from is not passed: the audit checks the dates the
                # extract holds, and their anchors are in it whatever the window.
                deadlines = assess_case(
                    ctx, data.rulebook, case.date_of_birth, events_of(case), f"case {case_id!r}"
                ).deadlines
            except ServiceError as exc:
                refused = f"the case could not be computed ({exc.title}: {exc.detail})"
        for due in sorted(dues, key=lambda d: (d.source, d.row)):
            checked += 1
            if deadlines is None or case is None:
                findings.append(_unchecked(due, refused))
                continue
            paired, how = _pair(due, deadlines, case)
            if paired is None:
                findings.append(_unchecked(due, how))
                continue
            if paired.due == due.recorded:
                matching += 1
                continue
            findings.append(
                DueDateFinding(
                    case_id=due.case_id,
                    source=due.source,
                    row=due.row,
                    field=due.field,
                    ref=due.ref,
                    recorded=due.recorded,
                    statutory=paired.due,
                    rule_id=paired.rule.id,
                    counted_from=paired.anchor.type,
                    counted_from_date=paired.anchor.date,
                    skipped=tuple((s.date, s.reason) for s in paired.skipped),
                    reason=explain(paired, due.recorded, case, ctx.calendar) + how,
                )
            )
    return DueDateAudit(checked, matching, findings)


def _unchecked(due: RecordedDue, reason: str) -> DueDateFinding:
    return DueDateFinding(
        due.case_id, due.source, due.row, due.field, due.ref, due.recorded,
        None, None, None, None, (), reason,
    )  # fmt: skip


def _pair(
    due: RecordedDue, deadlines: Sequence[Deadline], case: SourceCase
) -> tuple[Deadline | None, str]:
    """The statutory deadline the recorded date is the system's date for, and
    a note when the pairing was not by the record itself (or why none was)."""
    requirement = REQUIREMENT_OF_FIELD.get(due.field)
    if requirement is None:
        return None, f"{due.field} is not a due date the audit knows the requirement of"
    own = [e for e in case.events if due.ref is not None and e.ref == due.ref]
    if any(e.attributes.get("transfer_in") is True for e in own):
        return None, (
            "a conference transferred in from another authority: its target date is not "
            "counted from a strategy discussion in this council's data, so it is not checked"
        )
    ours = [d for d in deadlines if d.rule.requirement == requirement]
    # The record's own event (the conference or review held) meets one deadline:
    # that deadline is the one the system's date is for.
    met = [d for d in ours if d.satisfied_by is not None and d.satisfied_by.ref == due.ref]
    if due.ref is not None and len(met) == 1:
        return met[0], ""
    if own:
        return None, (
            f"no {requirement} deadline is met by {due.ref}'s own event, so the "
            "statutory date for it is not known"
        )
    # The record has no event (not held yet, or a cancelled review): the one
    # deadline still open, if there is exactly one, is the one it is for.
    still_open = [d for d in ours if d.satisfied_by is None]
    if len(still_open) == 1:
        return still_open[0], (
            f" (paired with the {requirement} deadline still open: {due.ref or 'the record'} "
            "has no date held)"
        )
    open_ones = (
        f"{len(still_open)} {requirement} deadlines are"
        if still_open
        else (f"no {requirement} deadline is")
    )
    return None, (
        f"{due.ref or 'the record'} has no date held and {open_ones} open, so the "
        "statutory date it is for is not known"
    )


# -- why they differ: each hypothesis tested by counting again ----------------------


def count_working_days(
    start: dt.date, n: int, holidays: Iterable[dt.date], closed: Iterable[dt.date] = ()
) -> dt.date:
    """The n-th working day after `start` (n >= 1), counted a day at a time:
    Monday to Friday, not in `holidays` nor `closed`. Independent of the
    calendar's precomputed tables, so that a hypothesis is tested afresh."""
    off = frozenset(holidays) | frozenset(closed)
    day, counted = start, 0
    for _ in range(MAX_COUNT_DAYS):  # bounded: n working days are fewer calendar days
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            counted += 1
            if counted == n:
                return day
    raise ValueError(f"{n} working days from {start} is more than {MAX_COUNT_DAYS} days")


def _offset(start: dt.date, count: Count, holidays: Iterable[dt.date]) -> dt.date | None:
    """start + count, as the rule counts it; None for units the audit does not recount."""
    if count.unit == "working_days" and count.amount > 0:
        return count_working_days(start, count.amount, holidays)
    if count.unit == "months":
        return add_months(start, count.amount)
    if count.unit == "days":
        return start + dt.timedelta(days=count.amount)
    if count.unit == "weeks":
        return start + dt.timedelta(weeks=count.amount)
    return None


def _day(d: dt.date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def christmas_closures(first: dt.date, last: dt.date, holidays: Iterable[dt.date]) -> list[dt.date]:
    """The weekdays from 24 December to 31 December within (first, last] that
    are not bank holidays: the days a council's Christmas closure shuts."""
    off = frozenset(holidays)
    out = []
    for year in range(first.year, last.year + 1):  # bounded: the span's years
        for day_of_month in range(24, 32):
            day = dt.date(year, 12, day_of_month)
            if first < day <= last and day.weekday() < 5 and day not in off:
                out.append(day)
    return out


def explain(
    deadline: Deadline, recorded: dt.date, case: SourceCase, calendar: WorkingDayCalendar
) -> str:
    """Why `recorded` differs from the statutory `deadline.due`: the first of
    the hypotheses (module docstring) whose count gives the recorded date."""
    count = deadline.counted
    anchor = deadline.anchor
    holidays = sorted(calendar.holidays)
    of = f"{count.describe()} from the {anchor.type} of {_day(anchor.date)}"
    said = f"gives {_day(recorded)}, the recorded date"

    if count.unit == "working_days" and count.amount > 0:
        # 1. bank holidays the count skipped, taken as working days
        skipped = [h for h in holidays if anchor.date < h <= deadline.due]
        for size in range(1, min(len(skipped), MAX_HOLIDAYS_TRIED) + 1):
            for missing in combinations(skipped, size):  # bounded: 2^6 subsets at most
                kept = [h for h in holidays if h not in missing]
                if count_working_days(anchor.date, count.amount, kept) == recorded:
                    names = ", ".join(
                        f"{d.isoformat()} {calendar.holidays[d].name}" for d in missing
                    )
                    days = ", ".join(_day(d) for d in missing)
                    return (
                        f"a bank holiday is not counted as one (missing {names}): counting "
                        f"{of} with {days} as a working day {said}"
                    )
        # 2. a Christmas closure: weekdays that are not bank holidays, taken as closed
        closure = christmas_closures(anchor.date, recorded, holidays)
        # The whole closure first, then shorter ones (bounded: 2^6 subsets at
        # most; a span over more closure days is tried with all of them only).
        smallest = 1 if len(closure) <= MAX_HOLIDAYS_TRIED else len(closure)
        for size in range(len(closure), smallest - 1, -1):
            for shut in combinations(closure, size):
                if count_working_days(anchor.date, count.amount, holidays, shut) == recorded:
                    days = ", ".join(_day(d) for d in shut)
                    return (
                        "a day that is not a bank holiday was skipped (a council closure "
                        f"day, or a wrong holiday date): counting {of} with {days} "
                        f"closed {said}"
                    )

    # 3. months counted as days
    if count.unit == "months" and count.amount in MONTHS_AS_DAYS:
        as_days = MONTHS_AS_DAYS[count.amount]
        if anchor.date + dt.timedelta(days=as_days) == recorded:
            return (
                f"months counted as {as_days} days: {_day(anchor.date)} plus {as_days} calendar "
                f"days {said}; {count.describe()} from it is {_day(deadline.due)}"
            )

    # 4. counted from another event of the case
    for event in _other_events(case.events, anchor.type, anchor.date, recorded):
        if _offset(event.date, count, holidays) == recorded:
            return (
                f"counted from the {event.type} of {_day(event.date)}, not the "
                f"{anchor.type} of {_day(anchor.date)}: {count.describe()} from it {said}"
            )

    differ = calendar.working_days_between(deadline.due, recorded)
    later = "later" if recorded > deadline.due else "earlier"
    return (
        f"differs by {abs(differ)} working days ({later} than statute); cause not identified: "
        "no missing bank holiday, Christmas closure, months counted as days or other event "
        "of the case gives the recorded date"
    )


def _other_events(
    events: Sequence[PostedEvent], anchor_type: str, anchor_date: dt.date, before: dt.date
) -> list[PostedEvent]:
    """The case's events a system might have counted from instead, before the
    recorded date: one of each (type, date), the conferences first (the known
    error), then in date order."""
    seen: set[tuple[str, dt.date]] = set()
    out = []
    for e in sorted(events, key=lambda e: (e.type != "icpc_held", e.date, e.type)):
        key = (e.type, e.date)
        if e.date >= before or key in seen or key == (anchor_type, anchor_date):
            continue
        seen.add(key)
        out.append(e)
    return out

"""Approved exceptions: a deadline answered against its approved revised date too.

A manager (West Sussex's senior-manager approval for a delayed audit action)
or an IRO (agreeing to move a review) may approve that a deadline be met by a
later date. The statutory or local due date never moves: the deadline keeps
its own `due` and `status`, and carries its revision beside them, judged
against `revised_due` by the rules the engine judges `due` by
(app.domain.engine.status_of): met on or before it is met, after it met_late;
not met, upcoming, due_today or overdue against as_of, late by the working
days of the case's calendar and closed days.

Pure: no HTTP, no I/O. Each exception names its deadline by requirement and
due date (and rule_id, when a statutory and a local deadline of the
requirement fall due that day); one that names none, or names one another
exception already names, is refused, located at ("exceptions", i) within the
case (the caller prefixes where the case sits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from app.calendars import WorkingDayCalendar
from app.domain.engine import Deadline, status_of
from app.errors import FieldError, InvalidInput


class ExceptionRecord(Protocol):
    """One approved exception as a caller posted it (app/routers/case_models.py's
    ApprovedExceptionIn is one): a protocol, so that the domain does not import
    the request models."""

    @property
    def requirement(self) -> str: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def revised_due(self) -> dt.date: ...
    @property
    def reason(self) -> str: ...
    @property
    def approved_by(self) -> str: ...
    @property
    def approved_on(self) -> dt.date: ...
    @property
    def rule_id(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class ApprovedRevision:
    """A deadline's approved revised date and its status against it."""

    revised_due: dt.date
    status: str  # upcoming, due_today, overdue, met or met_late, against revised_due
    working_days_overdue: int  # as Deadline.working_days_overdue, from revised_due
    # Case data: kept out of the repr, so that a logged deadline never shows them.
    reason: str = field(repr=False)
    approved_by: str = field(repr=False)
    approved_on: dt.date


def revision_of(deadline: Deadline) -> ApprovedRevision | None:
    """The deadline's approved revision, if it has one. (Deadline.exception is
    typed `object` so that the engine need not import this module.)"""
    found = deadline.exception
    return found if isinstance(found, ApprovedRevision) else None


def describe_exception(i: int, label: str = "") -> str:
    """ "Exception 0", or "case 'C-1', exception 0" (as events are named)."""
    return f"{label}, exception {i}" if label else f"Exception {i}"


def apply_exceptions(
    deadlines: Sequence[Deadline],
    exceptions: Sequence[ExceptionRecord],
    *,
    as_of: dt.date,
    calendar: WorkingDayCalendar,
    requirements: Collection[str],
    label: str = "",
) -> list[Deadline]:
    """The deadlines, each one an exception names carrying its ApprovedRevision
    (a copy: a Deadline is treated as immutable), in the same order.

    `deadlines` must be all of the case's deadlines, met ones included: an
    exception may name a deadline that was met (late). `requirements`: the
    known requirement codes (the rulebook's vocabulary). Every problem is
    reported at once, as InvalidInput located at ("exceptions", i, ...).
    """
    errors: list[FieldError] = []
    wanted: dict[tuple[str, dt.date], list[int]] = {}
    for i, x in enumerate(exceptions):
        name = describe_exception(i, label)
        if x.requirement not in requirements:
            errors.append(
                FieldError(
                    ("exceptions", i, "requirement"),
                    f"{name}: {x.requirement!r} is not a known requirement code",
                )
            )
            continue
        if x.revised_due <= x.due:
            errors.append(
                FieldError(
                    ("exceptions", i, "revised_due"),
                    f"{name}: revised_due {x.revised_due} must be after due ({x.due})",
                )
            )
        elif x.revised_due not in calendar.supported:
            errors.append(
                FieldError(
                    ("exceptions", i, "revised_due"),
                    f"{name}: revised_due {x.revised_due} is outside the supported range "
                    f"{calendar.supported}",
                )
            )
        if x.approved_on > as_of:
            errors.append(
                FieldError(
                    ("exceptions", i, "approved_on"),
                    f"{name}: approved_on {x.approved_on} is after as_of ({as_of})",
                )
            )
        wanted.setdefault((x.requirement, x.due), []).append(i)

    # The deadlines each exception names: one pass over the case's deadlines.
    named: dict[int, list[int]] = {i: [] for i in sorted(i for ids in wanted.values() for i in ids)}
    for k, d in enumerate(deadlines):
        for i in wanted.get((d.rule.requirement, d.due), ()):
            rule_id = exceptions[i].rule_id
            if rule_id is None or rule_id == d.rule.id:
                named[i].append(k)

    taken: dict[int, int] = {}  # deadline position -> the exception that named it first
    for i, found in named.items():
        x = exceptions[i]
        name = describe_exception(i, label)
        of_rule = f" of rule {x.rule_id}" if x.rule_id is not None else ""
        if not found:
            errors.append(
                FieldError(
                    ("exceptions", i),
                    f"{name}: no {x.requirement} deadline{of_rule} due {x.due} in this case",
                )
            )
            continue
        for k in found:
            if k in taken:
                errors.append(
                    FieldError(
                        ("exceptions", i),
                        f"{name}: the {x.requirement} deadline{of_rule} due {x.due} is "
                        f"already named by exception {taken[k]}; give one exception a deadline",
                    )
                )
                break
            taken[k] = i
    if errors:
        errors.sort(key=lambda e: e.loc[1])  # by exception, as they were posted
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InvalidInput(errors[0].msg + more, errors)

    out = list(deadlines)
    for k, i in taken.items():
        d, x = out[k], exceptions[i]
        # Judged as the engine judges the deadline's own date; a revised date is
        # a day, not a time: an hour-based deadline met on the revised day is met.
        status, late = status_of(d.case, x.revised_due, None, d.satisfied_by)
        out[k] = replace(
            d,
            exception=ApprovedRevision(
                revised_due=x.revised_due,
                status=status,
                working_days_overdue=late,
                reason=x.reason,
                approved_by=x.approved_by,
                approved_on=x.approved_on,
            ),
        )
    return out

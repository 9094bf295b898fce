"""What moves if the calendar or the rules change: a caseload's deadlines
worked out twice, under the request's own settings (before) and under a
changed calendar, added closed days or another rules version (after), and
the two answers compared deadline by deadline (POST /v1/what-if).

A deadline is the same deadline on both sides when it has the same key:
(rule_id, the anchor's type, date and ref, occurrence). Anchors are events
(or a birthday, or history_from), which no calendar change moves, and a
schedule's occurrences are numbered from its anchor, so a calendar change
that moves a due date keeps the key and shows as a moved date. A recurring
deadline counted from its previous satisfying event has that event as its
anchor: if a change makes a different event satisfy the one before it, the
later ones are counted from another anchor and show as "no longer set" and
"appears", which is what happened to them. Two deadlines of one key on a
side (not expected) are paired in order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.calendars import Holiday, WorkingDayCalendar
from app.domain.deadlines import CaseAssessment, Context
from app.domain.engine import MET, MET_LATE, Deadline, NotEvaluated
from app.domain.rules import Rule
from app.errors import FieldError, InvalidInput

# A deadline's identity on both sides: (rule_id, anchor type, date, ref, occurrence).
Key = tuple[str, str, dt.date, str | None, int]

REMOVED, ADDED, CLOSED_ADDED, RULES_AS_OF = (
    "bank_holidays_removed",
    "bank_holidays_added",
    "closed_days_added",
    "rules_as_of",
)


@dataclass(frozen=True, slots=True)
class CalendarChange:
    """What the what-if changes. Hashable: the changed calendar is cached by it."""

    rules_as_of: dt.date | None = None
    bank_holidays_removed: tuple[dt.date, ...] = ()
    bank_holidays_added: tuple[tuple[dt.date, str], ...] = ()
    closed_days_added: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True)
class DeadlineChange:
    """A deadline that moves or changes status; `before` or `after` is None
    when it is set on one side only."""

    rule: Rule
    key: Key
    before: Deadline | None
    after: Deadline | None
    why: str


@dataclass(frozen=True, slots=True)
class NotEvaluatedChange:
    """A rule that became, or stopped being, not evaluated (or for another reason)."""

    rule: Rule
    before: NotEvaluated | None
    after: NotEvaluated | None


def changed_context(ctx: Context, change: CalendarChange) -> Context:
    """The after side's context. Problems are located within the request's
    `change` (("change", "bank_holidays_removed", 0)); the caller prefixes them.
    A change that would change nothing is refused: its answer would always be
    empty, which is more likely a mistake than a question."""
    cal = ctx.calendar
    errors: list[FieldError] = []
    for i, day in enumerate(change.bank_holidays_removed):
        if day not in cal.holidays:
            errors.append(
                FieldError(
                    ("change", REMOVED, i),
                    f"{day} is not a bank holiday of the {cal.id} calendar",
                )
            )
        elif day in change.bank_holidays_removed[:i]:
            errors.append(FieldError(("change", REMOVED, i), f"{day} is given twice"))
    for i, (day, _) in enumerate(change.bank_holidays_added):
        if day not in cal.supported:
            errors.append(FieldError(("change", ADDED, i, "date"), cal.supported.must_be()))
        elif day.weekday() >= 5:
            errors.append(
                FieldError(("change", ADDED, i, "date"), f"{day} is a weekend day: never counted")
            )
        elif day in cal.holidays:
            errors.append(
                FieldError(
                    ("change", ADDED, i, "date"),
                    f"{day} is already a bank holiday ({cal.holidays[day].name})",
                )
            )
        elif any(day == other for other, _ in change.bank_holidays_added[:i]):
            errors.append(FieldError(("change", ADDED, i, "date"), f"{day} is given twice"))
    for i, day in enumerate(change.closed_days_added):
        if day not in cal.supported:
            errors.append(FieldError(("change", CLOSED_ADDED, i), cal.supported.must_be()))
    if errors:
        raise InvalidInput("The change names a day it cannot add or remove.", errors)
    calendar = _calendar_with(cal, change.bank_holidays_removed, change.bank_holidays_added)
    closed = tuple(sorted(set(ctx.closed) | set(change.closed_days_added)))
    rules_as_of = change.rules_as_of if change.rules_as_of is not None else ctx.rules_as_of
    closes_a_working_day = any(
        calendar.is_working_day(day) for day in set(change.closed_days_added) - set(ctx.closed)
    )
    if calendar is cal and rules_as_of == ctx.rules_as_of and not closes_a_working_day:
        raise InvalidInput(
            "The change changes nothing: name another rules_as_of, a bank holiday to remove "
            "or add, or a working day to close.",
            [FieldError(("change",), "Changes nothing")],
        )
    return dataclasses.replace(ctx, calendar=calendar, closed=closed, rules_as_of=rules_as_of)


def _calendar_with(
    cal: WorkingDayCalendar,
    removed: tuple[dt.date, ...],
    added: tuple[tuple[dt.date, str], ...],
) -> WorkingDayCalendar:
    if not removed and not added:
        return cal
    return _built(cal, frozenset(removed), tuple(sorted(set(added))))


# A calendar costs a few ms to build (its tables over the whole supported
# range); a council's analysts ask the same few questions again and again.
# Keyed by the calendar itself (by identity: the app's, for its data version).
@lru_cache(maxsize=16)
def _built(
    cal: WorkingDayCalendar,
    removed: frozenset[dt.date],
    added: tuple[tuple[dt.date, str], ...],
) -> WorkingDayCalendar:
    holidays = [h for day, h in cal.holidays.items() if day not in removed]
    holidays.extend(
        Holiday(day, name, "published" if day <= cal.published_last else "projected")
        for day, name in added
    )
    return WorkingDayCalendar(cal.id, holidays, cal.first, cal.last, cal.published_last)


def key_of(d: Deadline) -> Key:
    return (d.rule.id, d.anchor.type, d.anchor.date, d.anchor.ref, d.occurrence)


def compare(
    before: CaseAssessment, after: CaseAssessment, as_of: dt.date
) -> tuple[list[DeadlineChange], list[NotEvaluatedChange]]:
    """The deadlines whose due, due_at or status differ (or that are set on one
    side only), in the order of the before side then the after side's new
    ones; and the rules whose not-evaluated reason differs."""
    ne_before = {n.rule.id: n for n in before.not_evaluated}
    ne_after = {n.rule.id: n for n in after.not_evaluated}
    others: dict[Key, list[Deadline]] = {}
    for d in after.deadlines:
        others.setdefault(key_of(d), []).append(d)
    changes: list[DeadlineChange] = []
    for b in before.deadlines:
        key = key_of(b)
        waiting = others.get(key)
        a = waiting.pop(0) if waiting else None
        if a is None:
            changes.append(DeadlineChange(b.rule, key, b, None, _gone(ne_after.get(b.rule.id))))
        elif (b.due, b.due_at, b.status) != (a.due, a.due_at, a.status):
            changes.append(DeadlineChange(b.rule, key, b, a, _why(b, a, as_of)))
    for d in after.deadlines:  # those not paired: set on the after side only
        if any(d is x for x in others.get(key_of(d), ())):
            changes.append(
                DeadlineChange(d.rule, key_of(d), None, d, _appears(d, ne_before.get(d.rule.id)))
            )
    unassessed = [
        NotEvaluatedChange(n.rule, n, ne_after.get(rule_id))
        for rule_id, n in ne_before.items()
        if rule_id not in ne_after or ne_after[rule_id].reason != n.reason
    ]
    unassessed.extend(
        NotEvaluatedChange(n.rule, None, n)
        for rule_id, n in ne_after.items()
        if rule_id not in ne_before
    )
    return changes, unassessed


def _skipped_text(day: dt.date, reason: str) -> str:
    return f"{day} ({'a closed day' if reason == 'closed' else reason})"


def _why(b: Deadline, a: Deadline, as_of: dt.date) -> str:
    """Why a deadline on both sides moved or changed status, in words: the
    causes (days skipped or no longer skipped, another version of the rule),
    then what they did (the dates, the status)."""
    causes: list[str] = []
    # (Deadline.skipped counts the days again on each reading: read once a side.)
    skipped_before, skipped_after = b.skipped, a.skipped
    now = {s.date for s in skipped_after}
    was = {s.date for s in skipped_before}
    causes.extend(
        f"{_skipped_text(s.date, s.reason)} is no longer skipped"
        for s in skipped_before
        if s.date not in now
    )
    causes.extend(
        f"{_skipped_text(s.date, s.reason)} is now skipped"
        for s in skipped_after
        if s.date not in was
    )
    if b.version != a.version:
        causes.append(f"counted under {_label(a.rule, a)} instead of {_label(b.rule, b)}")
    effects: list[str] = []
    if b.due != a.due:
        effects.append(f"due {b.due} -> {a.due}")
    if b.due_at != a.due_at:
        effects.append(f"due_at {_at(b.due_at)} -> {_at(a.due_at)}")
    if b.status != a.status:
        effects.append(f"status {b.status} -> {a.status}{_status_cause(b, a, as_of)}")
    cause = "; ".join(causes) or "counted differently"
    return f"{cause}: {'; '.join(effects)}"


def _at(value: dt.datetime | None) -> str:
    return value.isoformat() if value else "none"


def _label(rule: Rule, d: Deadline) -> str:
    return rule.version_label if d.version is None else d.version.label


def _status_cause(b: Deadline, a: Deadline, as_of: dt.date) -> str:
    met = a.satisfied_by
    if met is not None and b.satisfied_by == met:
        if a.status == MET_LATE and b.status == MET:
            return f": due moved before the satisfying event ({met.type} on {met.date})"
        if a.status == MET and b.status == MET_LATE:
            return f": due moved to or past the satisfying event ({met.type} on {met.date})"
    if met is None and b.satisfied_by is None:
        return f" (judged on as_of {as_of})"
    return ""


def _gone(note: NotEvaluated | None) -> str:
    if note is None:
        return "no longer set"
    return f"no longer set ({note.reason.replace('_', ' ')}): {note.detail}"


def _appears(d: Deadline, note: NotEvaluated | None) -> str:
    was = "" if note is None else f" (before, {note.reason.replace('_', ' ')}: {note.detail})"
    return f"appears{was}: due {d.due}, {d.status}"


def summarise(changes: Sequence[DeadlineChange]) -> dict[str, int]:
    """Counts for the answer's summary: dates moved, statuses changed, and
    deadlines set on one side only (a moved date that also changes status
    counts under both)."""
    moved = sum(1 for c in changes if c.before and c.after and c.before.due != c.after.due)
    status = sum(1 for c in changes if c.before and c.after and c.before.status != c.after.status)
    return {
        "changes": len(changes),
        "moved": moved,
        "status_changed": status,
        "appears": sum(1 for c in changes if c.before is None),
        "no_longer_set": sum(1 for c in changes if c.after is None),
    }

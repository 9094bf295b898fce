"""Shared by the engine's worked-example tests: build a case, run it, pick a rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.catalogue.data import catalogue
from app.domain.cases import ChildIn, EventIn
from app.domain.deadlines import assess_case, context
from app.reference import rulebook

D = dt.date.fromisoformat
BOOK = rulebook()
DOB = "2012-04-02"  # a child of 14 in 2026; age-based rules need a date of birth


def assess(authority, as_of, events, dob=DOB, calendar=None, closed=(), history_from=None):
    """The whole answer for one case, as POST /v1/deadlines computes it."""
    ctx = context(BOOK, catalogue(), authority, calendar, [D(c) for c in closed], D(as_of))
    child = ChildIn(date_of_birth=D(dob) if dob else None)
    return assess_case(
        ctx,
        BOOK,
        child,
        [EventIn(**e) for e in events],
        history_from=D(history_from) if history_from else None,
    )


def open_only_assess(authority, as_of, events, dob=DOB, history_from=None):
    """The answer an overdue list is built from: deadlines not yet met only."""
    ctx = context(BOOK, catalogue(), authority, None, [], D(as_of))
    child = ChildIn(date_of_birth=D(dob) if dob else None)
    return assess_case(
        ctx,
        BOOK,
        child,
        [EventIn(**e) for e in events],
        open_only=True,
        history_from=D(history_from) if history_from else None,
    )


def run(authority, as_of, events, dob=DOB, calendar=None, closed=(), history_from=None):
    """Every deadline for one case."""
    return assess(authority, as_of, events, dob, calendar, closed, history_from).deadlines


def only(deadlines, rule_id):
    found = [d for d in deadlines if d.rule.id == rule_id]
    assert found, f"no deadline for {rule_id}: {[d.rule.id for d in deadlines]}"
    return found


def ev(type_, date, **kw):
    return {"type": type_, "date": date, **kw}


def placed(date, placement_type="foster", **kw):
    attributes = {"placement_type": placement_type} if placement_type else {}
    attributes.update(kw.pop("attributes", {}))
    return ev("placement_started", date, attributes=attributes, **kw)


# -- worked examples as table rows -------------------------------------------------------------


@dataclass
class Example:
    """One hand-checked worked example: a case, and what the answer must hold.

    expect: rule id -> every deadline that rule sets in this case, in order, as
    (due, status, working_days_overdue) or (due, status, working_days_overdue,
    "inferred") when the deadline is counted from an inferred start. An empty
    list says the rule sets no deadline. not_evaluated: rule id -> the reason
    the answer must give for it. why: the count, by hand, from the source words.
    """

    name: str
    authority: str
    as_of: str
    events: list
    expect: dict
    why: str
    dob: str | None = DOB
    history_from: str | None = None
    not_evaluated: dict = field(default_factory=dict)
    calendar: str | None = None
    closed: tuple = ()


def check(example: Example) -> None:
    """The answer for the example's case holds exactly what the example says."""
    assert any(example.expect.values()), f"{example.name}: a worked example must expect a deadline"
    answer = assess(
        example.authority,
        example.as_of,
        example.events,
        dob=example.dob,
        calendar=example.calendar,
        closed=example.closed,
        history_from=example.history_from,
    )
    for rule_id, expected in example.expect.items():
        assert rule_id in BOOK.rule_ids, f"{example.name}: no rule {rule_id}"
        got = []
        for d in answer.deadlines:
            if d.rule.id != rule_id:
                continue
            row = (d.due.isoformat(), d.status, d.working_days_overdue)
            got.append((*row, "inferred") if d.inferred else row)
        want = [tuple(row) for row in expected]
        assert got == want, f"{example.name}: {rule_id}\n{example.why}"
    reasons = {n.rule.id: n.reason for n in answer.not_evaluated}
    for rule_id, reason in example.not_evaluated.items():
        assert reasons.get(rule_id) == reason, (
            f"{example.name}: {rule_id} not_evaluated {reasons.get(rule_id)!r}, want {reason!r}"
        )


def covered_rules(*tables) -> set[str]:
    """Rule ids with at least one expected deadline in these example tables."""
    return {
        rule_id for table in tables for x in table for rule_id, rows in x.expect.items() if rows
    }

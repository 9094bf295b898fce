"""Shared by the engine's worked-example tests: build a case, run it, pick a rule."""

import datetime as dt

from app.catalogue.data import catalogue
from app.domain.cases import ChildIn, EventIn
from app.domain.deadlines import case_deadlines, context
from app.domain.rules import rulebook

D = dt.date.fromisoformat
BOOK = rulebook()
DOB = "2012-04-02"  # a child of 14 in 2026; age-based rules need a date of birth


def run(authority, as_of, events, dob=DOB, calendar=None, closed=()):
    """Every deadline for one case, as POST /v1/deadlines computes them."""
    ctx = context(BOOK, catalogue(), authority, calendar, [D(c) for c in closed], D(as_of))
    child = ChildIn(date_of_birth=D(dob) if dob else None)
    return case_deadlines(ctx, BOOK, child, [EventIn(**e) for e in events])


def only(deadlines, rule_id):
    found = [d for d in deadlines if d.rule.id == rule_id]
    assert found, f"no deadline for {rule_id}: {[d.rule.id for d in deadlines]}"
    return found


def ev(type_, date, **kw):
    return {"type": type_, "date": date, **kw}


def placed(date, placement_type="foster", **kw):
    return ev("placement_started", date, attributes={"placement_type": placement_type}, **kw)

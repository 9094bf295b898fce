"""Shared by the engine's tests: build a case, run it, pick a rule; run a worked example."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from app.calendars import bank_holiday_data
from app.catalogue.data import catalogue
from app.datafiles import load_yaml
from app.domain.deadlines import assess_case, context
from app.reference import rulebook
from app.routers.case_models import EventIn
from tests.worked_compare import Row, compare_worked, yaml_row

D = dt.date.fromisoformat
BOOK = rulebook()
CALENDARS = bank_holiday_data().calendars
DOB = "2012-04-02"  # a child of 14 in 2026; age-based rules need a date of birth


def assess(authority, as_of, events, dob=DOB, calendar=None, closed=(), history_from=None):
    """The whole answer for one case, as POST /v1/deadlines computes it."""
    ctx = context(
        BOOK, catalogue(), CALENDARS, authority, calendar, [D(c) for c in closed], D(as_of)
    )
    return assess_case(
        ctx,
        BOOK,
        D(dob) if dob else None,
        [EventIn(**e) for e in events],
        history_from=D(history_from) if history_from else None,
    )


def open_only_assess(authority, as_of, events, dob=DOB, history_from=None):
    """The answer an overdue list is built from: deadlines not yet met only."""
    ctx = context(BOOK, catalogue(), CALENDARS, authority, None, [], D(as_of))
    return assess_case(
        ctx,
        BOOK,
        D(dob) if dob else None,
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


# -- worked examples as data ---------------------------------------------------------------------

# One YAML file of hand-counted cases per ruleset, beside the rules
# (app/data/rules/README.md, "Worked examples"): a council is a rules file plus its examples.
EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "app" / "data" / "rules" / "examples"
CASE_KEYS = {
    "name",
    "authority",
    "as_of",
    "dob",
    "history_from",
    "calendar",
    "closed",
    "events",
    "expect",
    "not_evaluated",
    "first_deadline_only",
    "why",
}
REQUIRED_KEYS = {"name", "authority", "as_of", "events", "expect", "why"}


@dataclass(frozen=True)
class Worked:
    """One case of an examples file: `ruleset` is the file's name, `case` its YAML mapping."""

    ruleset: str
    case: dict

    @property
    def id(self) -> str:
        return f"{self.ruleset}:{self.case['name']}"


def worked_examples(directory: Path = EXAMPLES_DIR) -> list[Worked]:
    """Every case of every examples file in `directory`, in file order."""
    found = []
    for path in sorted(directory.glob("*.yaml")):
        data = load_yaml(path)
        assert set(data) == {"ruleset", "cases"}, f"{path.name}: keys {sorted(data)}"
        assert data["ruleset"] == path.stem, f"{path.name}: ruleset {data['ruleset']!r}"
        found.extend(Worked(path.stem, case) for case in data["cases"])
    return found


def check_worked(case: dict, book=None, cat=None) -> None:
    """The answer for the case holds exactly the deadlines it expects, rule by rule.

    expect: rule id -> every deadline that rule sets in the case, in order (an empty list:
    the rule sets none); with first_deadline_only, the one row is the rule's first deadline
    and later ones are not checked. not_evaluated: rule id -> the reason the answer must give
    (null: the rule must not be listed). A case that expects no deadline at all fails.
    """
    book = book or BOOK
    name = case.get("name")
    assert set(case) <= CASE_KEYS, f"{name}: unknown keys {sorted(set(case) - CASE_KEYS)}"
    assert set(case) >= REQUIRED_KEYS, f"{name}: missing {sorted(REQUIRED_KEYS - set(case))}"
    dob = case.get("dob", DOB)
    history_from = case.get("history_from")
    ctx = context(
        book,
        cat or catalogue(),
        CALENDARS,
        case["authority"],
        case.get("calendar"),
        [D(c) for c in case.get("closed", ())],
        D(case["as_of"]),
    )
    answer = assess_case(
        ctx,
        book,
        D(dob) if dob else None,
        [EventIn(**e) for e in case["events"]],
        history_from=D(history_from) if history_from else None,
    )
    # The comparison is tests/worked_compare.py's, which the published conformance
    # vectors are checked with too (tests/test_conformance.py).
    compare_worked(
        name,
        case["why"],
        {rule_id: [yaml_row(row) for row in rows] for rule_id, rows in case["expect"].items()},
        bool(case.get("first_deadline_only")),
        case.get("not_evaluated", {}),
        [
            (d.rule.id, Row(d.due.isoformat(), d.status, d.working_days_overdue, d.inferred))
            for d in answer.deadlines
        ],
        {n.rule.id: n.reason for n in answer.not_evaluated},
        book.rule_ids,
    )


def covered_rules(examples: list[Worked]) -> set[str]:
    """Rule ids with at least one expected deadline in these examples."""
    return {rule_id for x in examples for rule_id, rows in x.case["expect"].items() if rows}

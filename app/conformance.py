"""The conformance vectors: the hand-counted worked examples, published as one document.

A case-system vendor or a council analyst checks their own system's due dates against
the same cases the service's tests run (GET /v1/conformance, openapi/conformance.json,
its JSON Schema in app/data/conformance.schema.json). Each vector is one case of
app/data/rules/examples/*.yaml: the request as POST /v1/deadlines takes it, the deadlines
it must hold as the example counted them by hand, the count (`why`) and, for every rule it
names, the rule's citation and interpretation. Nothing is recomputed here: a vector says
what the example file says, in the shape a program reads.

Plain Python, below the HTTP layer: `build()` takes the rules, the bank holidays and the
examples it is given, so an app built on other data would publish from that data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app import __version__
from app.calendars import BankHolidayData
from app.datafiles import DATA_DIR, load_yaml
from app.domain.engine import DUE_TODAY, MET, MET_LATE, OVERDUE, REASONS, UPCOMING
from app.domain.rules import RULES_DIR, Rule, Rulebook

EXAMPLES_DIR = RULES_DIR / "examples"
SCHEMA_PATH = DATA_DIR / "conformance.schema.json"
FORMAT = "timescales-conformance"
FORMAT_VERSION = 1
STATUSES = (UPCOMING, DUE_TODAY, OVERDUE, MET, MET_LATE)
# The date of birth a case has when its example gives none (tests/engine_helpers.py's
# DOB, which the examples were counted with): a child of 14 in 2026. `dob: null` in an
# example is a case without a date of birth.
DEFAULT_DOB = "2012-04-02"

COUNTING = (
    "Working days are Monday to Friday, less the bank holidays of the case's calendar "
    "(GOV.UK's published list) and the request's closed_days. 'Within N working days of X': "
    "X is day 0 whether or not it is a working day, and the due date is the Nth working day "
    "after it; an offset of 0 is X itself. Days and weeks are calendar days (a week is 7), "
    "not moved off a weekend or bank holiday. Months are calendar months, the 31st clipping "
    "to the month's last day (31 March + 3 months = 30 June). 'Within N hours' of a date-only "
    "event is N/24 days rounded up. A recurring requirement runs from the latest event that "
    "met it. working_days_overdue counts the working days in (due, as_of] when overdue and "
    "in (due, date met] when met late."
)
CONTRACT = "docs/contract.md, sections 'Calendars (working days)' and 'Deadlines'"


class ConformanceDataError(ValueError):
    """An examples file that cannot be published: names the file, the case and the field."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConformanceCounting(_Out):
    summary: str = Field(description="The counting conventions every expected date follows.")
    contract: str = Field(description="Where the service contract states them in full.")


class ConformanceChild(_Out):
    date_of_birth: str | None = Field(
        description="YYYY-MM-DD; null for a case without one (age-based rules are then "
        "not evaluated)."
    )


class ConformanceRequest(_Out):
    """The body to POST to /v1/deadlines, as it is."""

    authority: str
    as_of: str = Field(description="The day status is judged on (YYYY-MM-DD).")
    calendar: str | None = Field(description="Null: the authority's own calendar.")
    closed_days: list[str]
    history_from: str | None
    child: ConformanceChild
    events: list[dict[str, Any]] = Field(description="The events, as posted.")


class ConformanceDeadline(_Out):
    due: str = Field(description="YYYY-MM-DD, counted by hand.")
    status: Literal["upcoming", "due_today", "overdue", "met", "met_late"]
    working_days_overdue: int | None = Field(
        description="Null when the example does not check the count."
    )
    inferred: bool = Field(
        description="True: counted from an inferred start (the answer's "
        "explanation.anchor.inferred); false: from a posted event."
    )


class ConformanceExpected(_Out):
    deadlines: dict[str, list[ConformanceDeadline]] = Field(
        description="Rule id -> every deadline that rule sets in the case, in order of the "
        "answer; an empty list: the rule sets none."
    )
    first_deadline_only: bool = Field(
        description="True: each rule's one row is its first deadline; later ones not checked."
    )
    not_evaluated: dict[str, str | None] = Field(
        description="Rule id -> the reason the answer's not_evaluated gives; null: the rule "
        "must not be listed there. Rules not named are not checked."
    )


class ConformanceCitation(_Out):
    document: str
    section: str
    quote: str = Field(description="The source's exact words.")
    verification: Literal["V-P", "V-S", "U"] | None


class ConformanceSource(_Out):
    ruleset: str
    title: str
    requirement: str
    basis: Literal["statutory", "local"]
    citation: ConformanceCitation
    interpretation: str | None = Field(description="How an ambiguous source is read.")


class ConformanceVector(_Out):
    id: str = Field(description="<ruleset>/<case name>, unique in the document.")
    ruleset: str
    name: str
    request: ConformanceRequest
    expected: ConformanceExpected
    why: str = Field(description="The hand count, from the source words.")
    sources: dict[str, ConformanceSource] = Field(description="Every rule the vector names, by id.")


class ConformanceDocument(_Out):
    """The worked examples as conformance vectors; every field is described in the JSON
    Schema of GET /v1/conformance/schema."""

    format: Literal["timescales-conformance"]
    format_version: Literal[1] = Field(
        description="The layout's version: a field removed or given another meaning comes "
        "with a new number."
    )
    rules_version: str = Field(description="Digest of the rules files (as GET /v1/status).")
    service_version: str
    bank_holidays_version: str = Field(description="Digest of the bundled GOV.UK data.")
    counting: ConformanceCounting
    vectors: list[ConformanceVector] = Field(description="One per worked example.")


@dataclass(frozen=True)
class Example:
    """One case of an examples file: `ruleset` is the file's name, `case` its mapping."""

    ruleset: str
    case: Mapping[str, Any]


def load_examples(directory: Path = EXAMPLES_DIR) -> tuple[Example, ...]:
    """Every case of every examples file in `directory`, in file order."""
    found: list[Example] = []
    for path in sorted(directory.glob("*.yaml")):
        data: Any = load_yaml(path, ConformanceDataError)
        if not isinstance(data, dict) or set(data) != {"ruleset", "cases"}:
            raise ConformanceDataError(f"{path.name}: the keys are ruleset and cases")
        if data["ruleset"] != path.stem:
            raise ConformanceDataError(f"{path.name}: ruleset {data['ruleset']!r}")
        for case in data["cases"]:
            if not isinstance(case, dict) or "name" not in case:
                raise ConformanceDataError(f"{path.name}: a case without a name")
            found.append(Example(path.stem, case))
    return tuple(found)


@lru_cache(maxsize=4)
def examples_in(directory: Path) -> tuple[Example, ...]:
    """The examples of a rules directory's examples/, read once per process
    (an app answers from one data directory; tests build a few)."""
    return load_examples(directory)


def bundled_examples() -> tuple[Example, ...]:
    """The examples shipped with the app."""
    return examples_in(EXAMPLES_DIR)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The document's JSON Schema (2020-12), hand-written beside the data."""
    found: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return found


def build(
    book: Rulebook,
    holidays: BankHolidayData,
    examples: Iterable[Example],
    ruleset: str | None = None,
) -> ConformanceDocument:
    """The document for `examples` (those of `ruleset` alone, when given)."""
    rules = {r.id: (name, r) for name, r in book.all_rules()}
    vectors = [_vector(x, rules) for x in examples if ruleset is None or x.ruleset == ruleset]
    return ConformanceDocument(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        rules_version=book.version,
        service_version=__version__,
        bank_holidays_version=holidays.sha256[:16],
        counting=ConformanceCounting(summary=COUNTING, contract=CONTRACT),
        vectors=vectors,
    )


def _vector(x: Example, rules: Mapping[str, tuple[str, Rule]]) -> ConformanceVector:
    case = x.case
    where = f"{x.ruleset}.yaml: case {case['name']}"
    expect = case.get("expect")
    if not isinstance(expect, dict) or not any(expect.values()):
        raise ConformanceDataError(f"{where}: a worked example must expect a deadline")
    not_evaluated = case.get("not_evaluated") or {}
    for rule_id, reason in not_evaluated.items():
        if reason is not None and reason not in REASONS:
            raise ConformanceDataError(f"{where}: not_evaluated {rule_id}: {reason!r}")
    named = [*expect, *(r for r in not_evaluated if r not in expect)]
    unknown = [r for r in named if r not in rules]
    if unknown:
        raise ConformanceDataError(f"{where}: no rule {unknown[0]}")
    first_only = bool(case.get("first_deadline_only", False))
    if first_only and any(len(rows) != 1 for rows in expect.values()):
        raise ConformanceDataError(f"{where}: first_deadline_only takes one row per rule")
    dob = case.get("dob", DEFAULT_DOB)
    return ConformanceVector(
        id=f"{x.ruleset}/{case['name']}",
        ruleset=x.ruleset,
        name=case["name"],
        request=ConformanceRequest(
            authority=case["authority"],
            as_of=case["as_of"],
            calendar=case.get("calendar"),
            closed_days=list(case.get("closed") or []),
            history_from=case.get("history_from"),
            child=ConformanceChild(date_of_birth=dob),
            events=[dict(e) for e in case["events"]],
        ),
        expected=ConformanceExpected(
            deadlines={
                rule_id: [_row(where, rule_id, row) for row in rows]
                for rule_id, rows in expect.items()
            },
            first_deadline_only=first_only,
            not_evaluated=dict(not_evaluated),
        ),
        why=str(case["why"]).strip(),
        sources={rule_id: _source(*rules[rule_id]) for rule_id in named},
    )


def _row(where: str, rule_id: str, row: Any) -> ConformanceDeadline:
    """[due, status], [due, status, working days overdue], and 'inferred' last when the
    deadline is counted from an inferred start (app/data/rules/examples/README.md)."""
    if not isinstance(row, list) or not 2 <= len(row) <= 4:
        raise ConformanceDataError(f"{where}: {rule_id}: a row is [due, status, late?]: {row}")
    if len(row) == 4 and row[3] != "inferred":
        raise ConformanceDataError(f"{where}: {rule_id}: the fourth item is 'inferred': {row}")
    if row[1] not in STATUSES:
        raise ConformanceDataError(f"{where}: {rule_id}: status {row[1]!r}")
    return ConformanceDeadline(
        due=row[0],
        status=row[1],
        working_days_overdue=row[2] if len(row) >= 3 else None,
        inferred=len(row) == 4,
    )


def _source(ruleset: str, rule: Rule) -> ConformanceSource:
    c = rule.citation
    return ConformanceSource(
        ruleset=ruleset,
        title=rule.title,
        requirement=rule.requirement,
        basis=rule.basis,
        citation=ConformanceCitation(
            document=c.document, section=c.section, quote=c.quote, verification=c.verification
        ),
        interpretation=rule.interpretation,
    )

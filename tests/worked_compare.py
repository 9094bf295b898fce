"""The one comparison of an answer with a worked example's expected deadlines.

Shared by tests/test_worked_examples.py (the YAML cases, run through the domain) and
tests/test_conformance.py (the published vectors, posted to POST /v1/deadlines), so
that the file a vendor checks against is checked exactly as the examples are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple


class Row(NamedTuple):
    """One deadline: an expected one (`late` None: the count is not checked) or one of
    the answer."""

    due: str
    status: str
    late: int | None
    inferred: bool


def yaml_row(row: list) -> Row:
    """A deadline row as the examples files write it: [due, status] (the working-day count
    not checked), [due, status, working_days_overdue], and "inferred" last when the
    deadline is counted from an inferred start."""
    assert 2 <= len(row) <= 4, f"a deadline row is [due, status, late, 'inferred'?]: {row}"
    if len(row) == 4:
        assert row[3] == "inferred", f"the fourth item of a row can only be 'inferred': {row}"
    return Row(row[0], row[1], row[2] if len(row) >= 3 else None, len(row) == 4)


def compare_worked(
    name: str,
    why: str,
    expect: Mapping[str, Sequence[Row]],
    first_deadline_only: bool,
    not_evaluated: Mapping[str, str | None],
    got: Sequence[tuple[str, Row]],
    reasons: Mapping[str, str],
    rule_ids: frozenset[str] | set[str],
) -> None:
    """The answer (`got`: rule id and deadline, in the answer's order; `reasons`: rule id
    -> its not_evaluated reason) holds exactly the deadlines expected, rule by rule.

    expect: rule id -> every deadline that rule sets, in order (empty: none); with
    first_deadline_only, the one row is the rule's first deadline and later ones are not
    checked. not_evaluated: rule id -> the reason the answer must give (None: the rule must
    not be listed). A case that expects no deadline at all fails.
    """
    assert any(expect.values()), f"{name}: a worked example must expect a deadline"
    for rule_id, rows in expect.items():
        assert rule_id in rule_ids, f"{name}: no rule {rule_id}"
        found = [row for rid, row in got if rid == rule_id]
        if first_deadline_only:
            assert len(rows) == 1, f"{name}: first_deadline_only takes one row for {rule_id}"
            found = found[:1]
        # A row that does not check the count takes the answer's.
        want = [
            row._replace(late=found[i].late) if row.late is None and i < len(found) else row
            for i, row in enumerate(rows)
        ]
        assert found == want, f"{name}: {rule_id}\n{why}"
    for rule_id, reason in not_evaluated.items():
        assert reasons.get(rule_id) == reason, (
            f"{name}: {rule_id} not_evaluated {reasons.get(rule_id)!r}, want {reason!r}"
        )

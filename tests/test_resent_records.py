"""The same record sent twice counts once; records that differ in anything are kept.

A case system re-sends a record after a time-out, and an extract joins two
tables that both hold the visit: the engine must not count a visit twice (it
would meet a schedule's next deadline with the same visit), nor merge two
visits that differ in ref, time, booking or an attribute. "The same" is the
record as written: type, date text, ref, scheduled, and attributes value for
value and JSON type for type, in any key order.
"""

from __future__ import annotations

import pytest

from tests.engine_helpers import assess

AS_OF = "2026-11-23"
PLAN = {"type": "cp_plan_started", "date": "2026-09-01"}


def visit(date="2026-09-08", **kw):
    return {"type": "statutory_visit", "date": date, **kw}


def merged(events):
    return assess("gloucestershire", AS_OF, events).merged


def test_a_record_sent_twice_counts_once_and_the_answer_is_unchanged():
    once = assess("gloucestershire", AS_OF, [PLAN, visit()])
    twice = assess("gloucestershire", AS_OF, [PLAN, visit(), visit(), PLAN])
    assert (once.merged, twice.merged) == (0, 2)
    assert [(d.rule.id, d.due, d.status) for d in twice.deadlines] == [
        (d.rule.id, d.due, d.status) for d in once.deadlines
    ]


@pytest.mark.parametrize(
    "second",
    [
        visit(date="2026-09-09"),  # another day
        visit(ref="V2"),  # another ref
        visit(date="2026-09-08T10:00:00+01:00"),  # the same day, written with a time
        visit(attributes={"seen_alone": True}),  # an attribute the first lacks
        visit(attributes={"location": "school"}),
    ],
)
def test_records_that_differ_in_anything_are_both_kept(second):
    assert merged([PLAN, visit(), second]) == 0


def test_attributes_in_another_key_order_are_the_same_record():
    a = visit(attributes={"seen_alone": True, "location": "home"})
    b = visit(attributes={"location": "home", "seen_alone": True})
    assert merged([PLAN, a, b]) == 1


def test_attribute_values_of_different_json_types_are_different_records():
    # 1, 1.0 and true are equal in Python; as JSON they are three values.
    records = [visit(attributes={"note": value}) for value in (1, 1.0, True, "1")]
    assert merged([PLAN, *records]) == 0
    assert merged([PLAN, *records, *records]) == 4


def test_the_first_of_three_alike_is_kept_whatever_comes_between():
    a = visit(ref="A", attributes={"location": "home"})
    b = visit(ref="A", attributes={"location": "school"})
    # a, b, a: the third is a's copy, though b (same type, date and ref) came between.
    assert merged([PLAN, a, b, a, b]) == 2


def test_a_thousand_visits_on_one_day_are_compared_by_record():
    distinct = [visit(attributes={"location": f"room {k}"}) for k in range(1000)]
    copies = [visit() for _ in range(1000)]
    assert merged([PLAN, *distinct]) == 0
    assert merged([PLAN, *copies]) == 999

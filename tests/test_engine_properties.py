"""Properties of the engine over generated cases: it always finishes, with a bounded answer.

Two ordinary cases once made it run forever (two satisfying events of a
recurring rule on the same day; issue 7). Here any mix of events, many on the
same day, in any order, for every ruleset, must give an answer whose size is
bounded by the case: each rule sets at most one deadline per satisfying event
it has, plus one, per anchor. A regression would hang, so each example runs
under an alarm that fails it instead.
"""

import datetime as dt
import signal
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.engine import REASONS
from tests.engine_helpers import BOOK, assess

RULESETS = sorted(BOOK.rulesets)
EVENT_TYPES = sorted(BOOK.vocabulary.event_types)
PLACEMENT_TYPES = sorted(BOOK.vocabulary.placement_types)
AS_OF = dt.date(2026, 11, 23)
# Few distinct days, so that many events share one.
DAYS = [AS_OF - dt.timedelta(days=d) for d in (0, 1, 2, 7, 30, 31, 90, 200, 400, 800)]


@contextmanager
def alarm(seconds: int):
    def fail(signum, frame):
        raise AssertionError(f"the engine did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def events(draw):
    event_type = draw(st.sampled_from(EVENT_TYPES))
    day = draw(st.sampled_from(DAYS))
    event = {"type": event_type, "date": day.isoformat()}
    attributes = {}
    if event_type == "placement_started" and draw(st.booleans()):
        attributes["placement_type"] = draw(st.sampled_from(PLACEMENT_TYPES))
    if event_type == "placement_started" and draw(st.booleans()):
        attributes["emergency"] = draw(st.booleans())
    if event_type == "s47_completed" and draw(st.booleans()):
        attributes["icpc_required"] = draw(st.booleans())
    if attributes:
        event["attributes"] = attributes
    if draw(st.booleans()):
        event["ref"] = draw(st.sampled_from(["A", "B"]))  # some records sent twice
    return event


@st.composite
def cases(draw):
    return {
        "authority": draw(st.sampled_from(RULESETS)),
        "events": draw(st.lists(events(), min_size=1, max_size=40)),
        "dob": draw(st.sampled_from([None, "2012-04-02", "2009-11-30", "2005-06-15"])),
        "history_from": draw(st.sampled_from([None, "2026-01-01", "2026-11-01"])),
    }


@given(cases())
@settings(max_examples=400, deadline=None)
def test_every_case_finishes_with_a_bounded_answer(case):
    with alarm(20):
        answer = assess(
            case["authority"],
            AS_OF.isoformat(),
            case["events"],
            dob=case["dob"],
            history_from=case["history_from"],
        )
    rules = BOOK.rules_for(case["authority"])
    n = len(case["events"])
    # per rule: at most (anchors) x (satisfying events + 1), and anchors <= events + 2
    assert len(answer.deadlines) <= len(rules) * (n + 2) * (n + 2)
    per_rule: dict[str, int] = {}
    for d in answer.deadlines:
        per_rule[d.rule.id] = per_rule.get(d.rule.id, 0) + 1
        assert d.rule.id in BOOK.rule_ids
    assert all(count <= (n + 2) * (n + 2) for count in per_rule.values())
    assert {n.reason for n in answer.not_evaluated} <= set(REASONS)
    # a rule is either answered with deadlines or listed as not evaluated, not both
    assert not {n.rule.id for n in answer.not_evaluated} & set(per_rule)


@pytest.mark.parametrize("order", ["assessment-first", "taf-first"])
def test_two_satisfying_events_on_one_day_end_the_schedule(order):
    """The smallest case that ran forever: Redcar & Cleveland, an early help request, then
    an Early Help Assessment and a TAF meeting on the same day."""
    same_day = [
        {"type": "early_help_assessment_completed", "date": "2026-10-01"},
        {"type": "taf_meeting_held", "date": "2026-10-01"},
    ]
    if order == "taf-first":
        same_day.reverse()
    events = [{"type": "early_help_requested", "date": "2026-09-01"}, *same_day]
    with alarm(20):
        answer = assess("redcar-and-cleveland", "2026-11-23", events)
    rows = [d for d in answer.deadlines if d.rule.id.endswith("early_help_assessment_update")]
    # 1 Oct + 8 weeks = 26 Nov: met by the TAF of the same day; then 8 weeks from it, upcoming
    assert [(d.due.isoformat(), d.status) for d in rows] == [
        ("2026-11-26", "met"),
        ("2026-11-26", "upcoming"),
    ]

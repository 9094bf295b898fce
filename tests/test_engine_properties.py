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
from tests.engine_helpers import BOOK, assess, open_only_assess

RULESETS = sorted(BOOK.rulesets)
EVENT_TYPES = sorted(BOOK.vocabulary.event_types)
# The types the rules count from and are met by, and those that open and close
# episodes: drawn more often, so that schedules run through many events.
RULE_TYPES = sorted(
    {
        t
        for _, rule in BOOK.all_rules()
        for t in (*rule.satisfied_by, *([rule.anchor.event] if rule.anchor else ()))
        if t
    }
    | {t for kind in BOOK.episodes.values() for t in (*kind.starts, *kind.ends)}
)
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
    event_type = draw(st.sampled_from(RULE_TYPES) | st.sampled_from(EVENT_TYPES))
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


@given(cases())
@settings(max_examples=300, deadline=None)
def test_the_overdue_shortcut_agrees_with_the_whole_answer(case):
    """An overdue list (open_only) walks through met deadlines without building
    them; it must return exactly the open deadlines of the whole answer, and the
    same rules not evaluated."""

    with alarm(20):
        whole = assess(
            case["authority"],
            AS_OF.isoformat(),
            case["events"],
            dob=case["dob"],
            history_from=case["history_from"],
        )
        short = open_only_assess(
            case["authority"],
            AS_OF.isoformat(),
            case["events"],
            dob=case["dob"],
            history_from=case["history_from"],
        )

    def key(d):
        return (d.rule.id, d.due, d.status, d.occurrence, d.anchor.position, d.schedule)

    still_open = [d for d in whole.deadlines if d.status not in ("met", "met_late")]
    assert sorted(map(key, still_open)) == sorted(map(key, short.deadlines))
    assert [(n.rule.id, n.reason) for n in whole.not_evaluated] == [
        (n.rule.id, n.reason) for n in short.not_evaluated
    ]


def test_the_overdue_shortcut_counts_two_visits_on_one_day_as_one_occasion():
    """Gloucestershire CIN visits, every 20 working days from the previous visit:
    two visits recorded on 3 March (two records) are one occasion, so the
    schedule has had three deadlines met and the fourth is counted from 3 March."""
    events = [
        {"type": "referral_received", "date": "2026-01-05"},
        {"type": "statutory_visit", "date": "2026-01-20", "ref": "V1"},
        {"type": "statutory_visit", "date": "2026-02-10", "ref": "V2"},
        {"type": "statutory_visit", "date": "2026-03-03", "ref": "V3"},
        {"type": "statutory_visit", "date": "2026-03-03", "ref": "V4"},
    ]
    as_of = "2026-06-01"
    short = open_only_assess("gloucestershire", as_of, events)
    visits = [d for d in short.deadlines if d.rule.id == "gloucestershire.cin_visit"]
    whole = assess("gloucestershire", as_of, events)
    every = [d for d in whole.deadlines if d.rule.id == "gloucestershire.cin_visit"]
    assert [d.occurrence for d in every] == [1, 2, 3, 4]
    assert [(d.occurrence, d.anchor.ref, d.status) for d in visits] == [(4, "V3", "overdue")]
    # 20 working days from Tuesday 3 March 2026, counted by hand: 4-6 March are
    # 1-3, the next three weeks 4-18, Monday 30 March 19, Tuesday 31 March 20.
    assert visits[0].due.isoformat() == "2026-03-31"

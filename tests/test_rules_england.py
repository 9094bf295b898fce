"""England baseline: the hand-checked examples that need more than "case in, deadlines out".

The plain worked examples of app/data/rules/england.yaml are data, in
app/data/rules/examples/england.yaml (run by tests/test_worked_examples.py); these check
date-times, placement types and a suspected defect.

Each expected date was counted by hand from the rule's YAML (anchor, due offset, then-steps)
and GOV.UK's England and Wales bank-holiday list; the comment beside it is the count.
Working days skip weekends and bank holidays; "weeks" are 7 calendar days; months clip to
the month's last day (31 March + 3 months = 30 June). Recurring rules are followed past
their first deadline: each later deadline runs from the event that met the previous one,
with the first `then` step whose condition holds at that event.

England and Wales bank holidays used below: 2025: Good Friday 18 Apr, Easter Monday 21 Apr,
5 May, 26 May, 25 Aug, Christmas Thu 25 Dec, Boxing Day Fri 26 Dec. 2026: New Year Thu 1 Jan,
Good Friday 3 Apr, Easter Monday 6 Apr, 4 May, 25 May, 31 Aug, Christmas Fri 25 Dec,
Boxing Day (substitute) Mon 28 Dec. 2027: New Year Fri 1 Jan.
"""

import pytest

from tests.engine_helpers import D, ev, only, placed, run

# -- return home interviews from a date-time ----------------------------------------------------


def test_return_home_interview_72_hours_into_boxing_day_met_late_by_the_hour():
    # Tue 23 Dec 2025 18:00 GMT + 72 h = Fri 26 Dec 18:00 GMT: elapsed hours, so Christmas
    # and Boxing Day are not skipped. Done at 19:30 that day: late by 90 minutes, 0 WD.
    d = only(
        run(
            "england",
            "2025-12-29",
            [
                ev("missing_episode_started", "2025-12-22"),
                ev("missing_episode_ended", "2025-12-23T18:00:00+00:00"),
                ev("return_home_interview_completed", "2025-12-26T19:30:00+00:00"),
            ],
        ),
        "england.return_home_interview",
    )
    assert len(d) == 1
    assert d[0].due == D("2025-12-26")
    assert d[0].due_at.isoformat() == "2025-12-26T18:00:00+00:00"
    assert (d[0].status, d[0].working_days_overdue) == ("met_late", 0)


def test_return_home_interview_72_hours_across_the_autumn_clock_change():
    # Fri 24 Oct 2025 20:00 BST = 19:00 UTC. Clocks go back on Sun 26 Oct. 72 elapsed hours
    # later is 19:00 UTC on Mon 27 Oct = 19:00 GMT (an hour earlier on the wall clock).
    # Nothing by Tue 28 Oct: overdue 1 WD.
    d = only(
        run(
            "england",
            "2025-10-28",
            [
                ev("missing_episode_started", "2025-10-23"),
                ev("missing_episode_ended", "2025-10-24T20:00:00+01:00"),
            ],
        ),
        "england.return_home_interview",
    )[0]
    assert d.due == D("2025-10-27")
    assert d.due_at.isoformat() == "2025-10-27T19:00:00+00:00"
    assert (d.status, d.working_days_overdue) == ("overdue", 1)


def test_return_home_interview_date_taken_in_london():
    # 30 Jun 2026 23:30 UTC is 00:30 BST on Wed 1 Jul in London. + 72 h = 00:30 BST on
    # Sat 4 Jul; as_of 1 Jul (the London date of the return) is allowed.
    d = only(
        run(
            "england",
            "2026-07-01",
            [
                ev("missing_episode_started", "2026-06-29"),
                ev("missing_episode_ended", "2026-06-30T23:30:00+00:00"),
            ],
        ),
        "england.return_home_interview",
    )[0]
    assert d.due == D("2026-07-04")
    assert d.due_at.isoformat() == "2026-07-04T00:30:00+01:00"
    assert d.status == "upcoming"


# -- which placement types each placement rule covers ------------------------------------------

PLACEMENT_RULES = {
    "england.placement_plan",
    "england.cla_visit",
    "england.cla_visit.connected_person_temporary",
    "england.cla_visit.with_parents",
    "england.adoption_review",
    "england.adoption_visit",
}


@pytest.mark.parametrize(
    ("placement_type", "expected"),
    [
        ("foster", {"england.placement_plan", "england.cla_visit"}),
        ("residential", {"england.placement_plan", "england.cla_visit"}),
        ("other", {"england.placement_plan", "england.cla_visit"}),
        (
            "connected_person_temporary",
            {"england.placement_plan", "england.cla_visit.connected_person_temporary"},
        ),
        ("with_parents", {"england.placement_plan", "england.cla_visit.with_parents"}),
        ("placed_for_adoption", {"england.adoption_review", "england.adoption_visit"}),
        ("short_break", set()),  # reg 48: no placement plan or reg 28 visits for short breaks
    ],
)
def test_placement_types_select_the_placement_rules(placement_type, expected):
    events = [ev("became_looked_after", "2026-03-02"), placed("2026-03-02", placement_type)]
    got = {d.rule.id for d in run("england", "2026-03-03", events)} & PLACEMENT_RULES
    assert got == expected


# -- suspected defects: hand-counted answers the engine does not give --------------------------


@pytest.mark.parametrize(
    ("rule_id", "due", "plan_date"),
    [
        # Thu 5 Mar + 10 WD: Fri 6 = 1; 9-13 = 6; 16-19 = 10
        ("england.care_plan", "2026-03-19", "2026-03-02"),
        # Thu 5 Mar + 5 WD: Fri 6 = 1; 9-12 = 5
        ("england.placement_plan", "2026-03-12", "2026-03-04"),
    ],
)
def test_plan_prepared_before_the_placement_meets_it(rule_id, due, plan_date):
    events = [
        ev("care_plan_completed", "2026-03-02"),  # reg 4(2): prepared before first placed
        ev("placement_plan_completed", "2026-03-04"),  # reg 9(2): prepared before the placement
        ev("became_looked_after", "2026-03-05"),
        placed("2026-03-05", "foster"),
    ]
    d = only(run("england", "2026-03-23", events), rule_id)[0]
    assert (d.due, d.status, d.satisfied_by and d.satisfied_by.date) == (
        D(due),
        "met",
        D(plan_date),
    )


def test_adoption_order_stops_adoption_reviews():
    events = [
        ev("became_looked_after", "2025-06-02"),
        placed("2026-03-10", "placed_for_adoption"),
        ev("adoption_review_held", "2026-03-31"),
        ev("adoption_order_granted", "2026-05-15"),
    ]
    reviews = only(run("england", "2026-07-06", events), "england.adoption_review")
    # first review due 10 Mar + 28 days = 7 Apr, held 31 Mar; the second (31 Mar + 3 months
    # = 30 Jun) would be overdue on 6 Jul, but the adoption order on 15 May ended the reviews
    assert [(d.due, d.status) for d in reviews] == [(D("2026-04-07"), "met")]


# -- coverage -----------------------------------------------------------------------------------

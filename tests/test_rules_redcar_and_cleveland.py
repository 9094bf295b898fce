"""Redcar & Cleveland: hand-checked examples beyond "case in, deadlines out".

The plain worked examples are data, in app/data/rules/examples/redcar-and-cleveland.yaml
(run by tests/test_worked_examples.py).

Each example was counted by hand from the rule's YAML (anchor, due offset,
then-steps) and GOV.UK's england-and-wales bank-holiday list; the comment is
the count. Each row lists every deadline the rule gives for the case, as
(due, status, working days overdue or late), so a recurring rule's second
(and later) deadline is checked with the step that applies.

Bank holidays used: 2022: 29 Aug, 19 Sep (state funeral). 2023: 1 May, 8 May
(coronation), 29 May. 2024: 25, 26 Dec. 2025: 1 Jan. 2026: 3 Apr (Good
Friday), 6 Apr (Easter Monday), 4 May, 25 May, 31 Aug, 25 Dec, 28 Dec (Boxing
Day substitute). 2027: 1 Jan, 26 Mar (Good Friday), 29 Mar (Easter Monday),
31 May.
"""

from tests.engine_helpers import D, ev, only, placed, run

AUTHORITY = "redcar-and-cleveland"


def test_cp_visit_counts_48_elapsed_hours_across_the_clock_change():
    # Plan agreed 15:00 BST Fri 23 Oct 2026 (14:00 UTC); clocks go back on Sun 25 Oct,
    # so 48 hours later is 14:00 UTC = 14:00 GMT on 25 Oct (not 15:00 by the wall clock).
    # A visit at 14:30 GMT is late; the next visit is due 10 working days from it:
    # 26-30 Oct = 5, 2-6 Nov = 10.
    visits = only(
        run(
            AUTHORITY,
            "2026-11-02",
            [
                ev("icpc_held", "2026-10-23"),
                ev("cp_plan_started", "2026-10-23T15:00:00+01:00"),
                ev("statutory_visit", "2026-10-25T14:30:00+00:00"),
            ],
        ),
        "redcar-and-cleveland.cp_visit",
    )
    assert visits[0].due_at.isoformat() == "2026-10-25T14:00:00+00:00"
    assert [(d.due, d.status) for d in visits] == [
        (D("2026-10-25"), "met_late"),
        (D("2026-11-06"), "upcoming"),
    ]
    assert visits[1].due_at is None


def test_return_home_interview_72_elapsed_hours_across_the_clock_change():
    # Returned 20:00 BST Sat 24 Oct 2026 (19:00 UTC); 72 hours later is 19:00 GMT on
    # Tue 27 Oct. An interview at 19:30 GMT is late (by the wall clock it would not be).
    d = only(
        run(
            AUTHORITY,
            "2026-10-28",
            [
                ev("missing_episode_started", "2026-10-24"),
                ev("missing_episode_ended", "2026-10-24T20:00:00+01:00"),
                ev("return_home_interview_completed", "2026-10-27T19:30:00+00:00"),
            ],
        ),
        "redcar-and-cleveland.return_home_interview",
    )
    assert [(x.due, x.status) for x in d] == [(D("2026-10-27"), "met_late")]
    assert d[0].due_at.isoformat() == "2026-10-27T19:00:00+00:00"


def test_care_leaver_contact_from_20_counts_from_the_birthday():
    d = only(
        run(AUTHORITY, "2027-03-01", [ev("left_care", "2024-09-02")], dob="2006-08-31"),
        "redcar-and-cleveland.care_leaver_contact.from_20",
    )
    assert [(x.due, x.status, x.anchor.type, x.anchor.date) for x in d] == [
        (D("2027-02-28"), "overdue", "20th_birthday", D("2026-08-31"))
    ]  # 31 Aug 2026 + 6 months clips to Sun 28 Feb; overdue Mon 1 Mar = 1
    assert d[0].working_days_overdue == 1


def test_cla_visit_is_per_placement_and_not_for_other_placement_types():
    # A move from foster care to a short-break arrangement: the foster placement's next
    # visit (6 weeks from 30 Nov) no longer applies once it has ended; cla_visit does not
    # apply to the short break, whose own rules start (7 days from 7 Dec = 14 Dec).
    events = [
        ev("became_looked_after", "2026-11-02"),
        placed("2026-11-02", "foster"),
        ev("statutory_visit", "2026-11-30"),
        placed("2026-12-07", "short_break"),
    ]
    deadlines = run(AUTHORITY, "2026-12-08", events)
    visits = only(deadlines, "redcar-and-cleveland.cla_visit")
    # seen the day placed (2 Nov)? first visit 30 Nov, late by 3-6 = 4, 9-13 = 9, 16-20 = 14,
    # 23-27 = 19, 30 = 20; the one-week visit (9 Nov) is still outstanding when the move of
    # 7 Dec ends the placement, so it no longer applies
    assert [(d.due, d.status, d.working_days_overdue) for d in visits] == [
        (D("2026-11-02"), "met_late", 20)
    ]
    short = only(deadlines, "redcar-and-cleveland.short_break_visit")
    assert [(d.due, d.status) for d in short] == [(D("2026-12-14"), "upcoming")]

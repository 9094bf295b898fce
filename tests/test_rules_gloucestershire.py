"""Gloucestershire's practice standards: hand-checked examples beyond "case in, deadlines out".

The plain worked examples are data, in app/data/rules/examples/gloucestershire.yaml
(run by tests/test_worked_examples.py).
The expected dates were counted by hand from the rule's YAML (anchor,
offset, then-steps) and GOV.UK's england-and-wales bank holidays; the comment
on each row is the count. A request for gloucestershire also returns the
england baseline's deadlines, so each example selects its rule by id.
"""

import pytest

from tests import engine_helpers
from tests.engine_helpers import D, ev, only, placed

AUTHORITY = "gloucestershire"


def run(as_of, events, dob=engine_helpers.DOB, calendar=None, closed=()):
    return engine_helpers.run(AUTHORITY, as_of, events, dob, calendar, closed)


def schedule(rule_id, as_of, events, dob="2012-04-02"):
    """(due, status) of every deadline the rule sets, in order."""
    return [(d.due.isoformat(), d.status) for d in only(run(as_of, events, dob=dob), rule_id)]


def test_assessment_lists_the_bank_holidays_it_skipped():
    d = only(
        run("2026-05-28", [ev("referral_received", "2026-03-20")]), "gloucestershire.assessment"
    )[0]
    assert [s.date.isoformat() for s in d.skipped] == [
        "2026-04-03",  # Good Friday
        "2026-04-06",  # Easter Monday
        "2026-05-04",  # Early May bank holiday
        "2026-05-25",  # Spring bank holiday
    ]
    assert d.offset == "45 working days"


# -- hour-based rules counted from a date-time -------------------------------------------------


def test_s47_visit_48_hours_across_the_clocks_going_back():
    # 10:00 BST on Sat 24 Oct 2026 = 09:00 UTC; clocks go back at 02:00 BST on Sun 25 Oct.
    # 48 elapsed hours later is 09:00 UTC on Mon 26 Oct = 09:00 GMT (an hour earlier on the
    # wall clock than the start).
    # The enquiry starts at the strategy discussion (whichever of it and s47_started
    # comes first).
    events = [
        ev("strategy_discussion_held", "2026-10-24T10:00:00+01:00"),
        ev("s47_started", "2026-10-24T16:00:00+01:00"),
    ]
    d = only(run("2026-10-26", events), "gloucestershire.s47_visit")[0]
    assert (d.due, d.status) == (D("2026-10-26"), "due_today")
    assert d.due_at.isoformat() == "2026-10-26T09:00:00+00:00"
    # seen at 09:30 GMT on the due day: half an hour after the 48 hours ran out
    late = only(
        run("2026-10-27", [*events, ev("statutory_visit", "2026-10-26T09:30:00+00:00")]),
        "gloucestershire.s47_visit",
    )[0]
    assert (late.status, late.working_days_overdue) == ("met_late", 0)
    on_time = only(
        run("2026-10-27", [*events, ev("statutory_visit", "2026-10-26T08:45:00+00:00")]),
        "gloucestershire.s47_visit",
    )[0]
    assert on_time.status == "met"


def test_return_home_interview_72_hours_across_the_clocks_going_back():
    # Back at 22:00 BST on Fri 23 Oct 2026 = 21:00 UTC; 72 hours later is 21:00 UTC on
    # Mon 26 Oct, which is 21:00 GMT after the clocks went back on the 25th.
    d = only(
        run(
            "2026-10-26",
            [
                ev("missing_episode_started", "2026-10-22"),
                ev("missing_episode_ended", "2026-10-23T22:00:00+01:00"),
            ],
        ),
        "gloucestershire.return_home_interview",
    )[0]
    assert (d.due, d.status) == (D("2026-10-26"), "due_today")
    assert d.due_at.isoformat() == "2026-10-26T21:00:00+00:00"


def test_return_home_interview_each_return_has_its_own_clock():
    # Back Mon 2 Nov: due Thu 5 Nov; missing again and back Fri 6 Nov: due Mon 9 Nov.
    # The interview on 9 Nov follows the second return, so it meets only the second
    # deadline; the first is overdue on Tue 10 Nov by 6, 9, 10 Nov = 3 working days.
    events = [
        ev("missing_episode_started", "2026-11-01"),
        ev("missing_episode_ended", "2026-11-02"),
        ev("missing_episode_started", "2026-11-05"),
        ev("missing_episode_ended", "2026-11-06"),
        ev("return_home_interview_completed", "2026-11-09"),
    ]
    rows = only(run("2026-11-10", events), "gloucestershire.return_home_interview")
    assert [(d.due, d.status, d.working_days_overdue) for d in rows] == [
        (D("2026-11-05"), "overdue", 3),
        (D("2026-11-09"), "met", 0),
    ]


# -- visiting rules with recurrence ------------------------------------------------------------


def test_cin_visit_10_days_then_every_20_working_days():
    events = [
        ev("referral_received", "2026-03-27"),
        ev("statutory_visit", "2026-04-02"),
        ev("statutory_visit", "2026-05-05"),
    ]
    assert schedule("gloucestershire.cin_visit", "2026-06-05", events) == [
        # 10 calendar days from Fri 27 Mar: 28 = 1 ... 6 Apr = 10 (Easter Monday, not moved)
        ("2026-04-06", "met"),
        # 20 WD from Thu 2 Apr: Good Friday 3 and Easter Monday 6 skipped, 7-10 = 4,
        # 13-17 = 9, 20-24 = 14, 27-30 = 18, Fri 1 May = 19, 4 May skipped, Tue 5 May = 20
        ("2026-05-05", "met"),
        # 20 WD from Tue 5 May: 6-8 = 3, 11-15 = 8, 18-22 = 13, 25 May skipped,
        # 26-29 = 17, 1, 2, 3 Jun = 20
        ("2026-06-03", "overdue"),
    ]
    last = only(run("2026-06-05", events), "gloucestershire.cin_visit")[-1]
    assert last.working_days_overdue == 2  # Thu 4, Fri 5 June


def test_cp_visit_48_hours_from_the_conference_time_across_the_clocks_going_forward():
    # Conference at 15:00 GMT on Fri 27 Mar 2026; the clocks go forward at 01:00 GMT on
    # Sun 29 Mar, so 48 hours later is 15:00 UTC = 16:00 BST on Sunday 29 Mar.
    events = [
        ev("icpc_held", "2026-03-27T15:00:00+00:00"),
        ev("cp_plan_started", "2026-03-27"),
        ev("statutory_visit", "2026-03-28"),
    ]
    rows = only(run("2026-04-16", events), "gloucestershire.cp_visit")
    assert rows[0].due_at.isoformat() == "2026-03-29T16:00:00+01:00"
    assert [(d.due, d.status, d.working_days_overdue) for d in rows] == [
        (D("2026-03-29"), "met", 0),
        # 10 WD from Sat 28 Mar: 30 Mar-2 Apr = 4, Good Friday 3 and Easter Monday 6
        # skipped, 7-10 = 8, 13, 14 = 10; overdue on Thu 16 by 15, 16 = 2
        (D("2026-04-14"), "overdue", 2),
    ]


def test_cla_visit_restarts_with_a_move_and_the_permanence_stays_with_its_placement():
    events = [
        ev("became_looked_after", "2026-01-05"),
        placed("2026-01-05", ref="P1"),
        ev("statutory_visit", "2026-01-05"),
        ev("statutory_visit", "2026-01-09"),
        ev("statutory_visit", "2026-02-20"),
        ev("placement_agreed_permanent", "2026-03-02"),
        ev("statutory_visit", "2026-03-31"),
        placed("2026-05-11", "residential", ref="P2"),
        ev("statutory_visit", "2026-05-11"),
        ev("statutory_visit", "2026-05-15"),
    ]
    rows = only(run("2026-07-01", events), "gloucestershire.cla_visit")
    p1 = [(d.due.isoformat(), d.status) for d in rows if d.episode.start.ref == "P1"]
    p2 = [(d.due, d.status, d.working_days_overdue) for d in rows if d.episode.start.ref == "P2"]
    assert p1[:4] == [
        ("2026-01-05", "met"),  # on the day of the move, Mon 5 Jan: seen that day
        ("2026-01-12", "met"),  # again within 1 week of 5 Jan: seen 9 Jan
        ("2026-02-20", "met"),  # 9 Jan + 6 weeks: 31 Jan = 22, 20 Feb = 42
        ("2026-04-03", "met"),  # agreed 2 Mar is after the 20 Feb visit: 28 Feb = 8, 3 Apr = 42
    ]
    # From the 31 Mar visit (after the agreement) 3 months: 31 Mar -> 30 Jun (clipped); the
    # placement ended on 11 May, so nothing of P1 is left outstanding.
    assert not [d for d in rows if d.episode.start.ref == "P1" and d.status != "met"]
    assert p2 == [
        (D("2026-05-11"), "met", 0),  # on the day of the move, Mon 11 May: seen that day
        (D("2026-05-18"), "met", 0),  # again within 1 week of 11 May: seen 15 May
        # the agreement was for P1, so 6-weekly: 15 May + 42: 31 May = 16, 26 Jun = 42;
        # overdue on Wed 1 Jul by 29, 30 Jun, 1 Jul = 3 working days
        (D("2026-06-26"), "overdue", 3),
    ]


def test_a_move_gives_the_old_placement_no_deadline_from_the_new_start():
    # P1 (foster) from Mon 5 Jan, moved to P2 (residential) on Mon 11 May, seen on the day of
    # the move. The one-week visit counted from 11 May belongs to P2 only; P1's own clock
    # runs from 5 Jan.
    events = [
        ev("became_looked_after", "2026-01-05"),
        placed("2026-01-05", ref="P1"),
        ev("statutory_visit", "2026-01-05"),
        placed("2026-05-11", "residential", ref="P2"),
        ev("statutory_visit", "2026-05-11"),
    ]
    rows = only(run("2026-05-12", events), "gloucestershire.cla_visit")
    assert [(d.episode.start.ref, d.anchor.ref) for d in rows if d.schedule == "first"] == [
        ("P1", "P1"),  # due 12 Jan, met on the day
        ("P2", "P2"),  # due 18 May, met on the day of the move
    ]


def test_cla_visit_is_not_for_short_breaks_or_adoption_placements():
    events = [
        ev("became_looked_after", "2026-03-02"),
        placed("2026-03-02", "short_break"),
        ev("statutory_visit", "2026-03-05"),  # meets the short-break visit (due 9 Mar)
        placed("2026-06-01", "placed_for_adoption"),
    ]
    deadlines = run("2026-07-01", events)
    assert not [d for d in deadlines if d.rule.id == "gloucestershire.cla_visit"]
    assert only(deadlines, "gloucestershire.short_break_visit")
    assert only(deadlines, "gloucestershire.adoption_visit")


def test_private_fostering_6_weekly_for_12_months_then_3_monthly():
    visits = [
        "2025-01-16",
        "2025-02-27",
        "2025-04-10",
        "2025-05-22",
        "2025-07-03",
        "2025-08-14",
        "2025-09-25",
        "2025-11-06",
        "2025-12-18",
        "2026-01-29",
    ]
    events = [
        ev("private_fostering_notified", "2025-01-10"),
        *[ev("statutory_visit", v) for v in visits],
    ]
    assert schedule("gloucestershire.private_fostering_visit", "2026-03-02", events) == [
        ("2025-01-17", "met"),  # Fri 10 Jan + 7 calendar days
        ("2025-02-27", "met"),  # 16 Jan + 42: 31 Jan = 15, 27 Feb = 42
        ("2025-04-10", "met"),  # 27 Feb + 42: 28 Feb = 1, 31 Mar = 32, 10 Apr = 42
        ("2025-05-22", "met"),  # 10 Apr + 42: 30 Apr = 20, 22 May = 42
        ("2025-07-03", "met"),  # 22 May + 42: 31 May = 9, 30 Jun = 39, 3 Jul = 42
        ("2025-08-14", "met"),  # 3 Jul + 42: 31 Jul = 28, 14 Aug = 42
        ("2025-09-25", "met"),  # 14 Aug + 42: 31 Aug = 17, 25 Sept = 42
        ("2025-11-06", "met"),  # 25 Sept + 42: 30 Sept = 5, 31 Oct = 36, 6 Nov = 42
        ("2025-12-18", "met"),  # 6 Nov + 42: 30 Nov = 24, 18 Dec = 42
        # 18 Dec is within 12 months of the 10 Jan 2025 notification: still 6-weekly,
        # 31 Dec = 13, 29 Jan = 42
        ("2026-01-29", "met"),
        # 29 Jan 2026 is past 10 Jan 2026 (12 months): 3-monthly from it
        ("2026-04-29", "upcoming"),
    ]


@pytest.mark.parametrize(
    ("last_visit", "next_due", "why"),
    [
        ("2026-01-09", "2026-02-20", "a day inside the 12 months: 6 weeks, 31 Jan = 22, 20 Feb"),
        ("2026-01-10", "2026-04-10", "on the anniversary the 12 months are over: 3 months"),
    ],
)
def test_private_fostering_switch_at_the_12_month_anniversary(last_visit, next_due, why):
    events = [
        ev("private_fostering_notified", "2025-01-10"),
        ev("statutory_visit", "2025-01-16"),
        ev("statutory_visit", last_visit),  # late for the 27 Feb 2025 deadline
    ]
    rows = schedule("gloucestershire.private_fostering_visit", "2026-02-01", events)
    assert rows == [
        ("2025-01-17", "met"),
        ("2025-02-27", "met_late"),
        (next_due, "upcoming"),
    ], why


def test_private_fostering_local_and_statutory_deadlines_both_come_back():
    deadlines = run("2026-11-23", [ev("private_fostering_notified", "2026-11-20")])
    local = only(deadlines, "gloucestershire.private_fostering_visit")[0]
    statutory = only(deadlines, "england.private_fostering_visit")[0]
    assert (local.due, local.rule.basis) == (D("2026-11-27"), "local")  # Fri 20 + 7 days
    # 7 working days: 23-27 Nov = 5, 30 Nov = 6, 1 Dec = 7
    assert (statutory.due, statutory.rule.basis) == (D("2026-12-01"), "statutory")


# -- planning and review -----------------------------------------------------------------------


def test_cin_plan_after_each_assessment():
    events = [
        ev("referral_received", "2026-09-21"),
        ev("assessment_completed", "2026-10-01"),
        ev("cin_plan_started", "2026-10-05"),
        ev("cin_plan_ended", "2026-11-02"),
        ev("assessment_started", "2026-11-03"),
        ev("assessment_completed", "2026-11-20"),
    ]
    rows = only(run("2026-12-01", events), "gloucestershire.cin_plan")
    assert [(d.due, d.status, d.working_days_overdue) for d in rows] == [
        (D("2026-10-11"), "met", 0),  # 1 Oct + 10 days; plan 5 Oct
        (D("2026-11-30"), "overdue", 1),  # 20 Nov + 10 days; no plan by Tue 1 Dec
    ]


def test_cin_plan_review_within_a_month_then_3_monthly():
    events = [
        ev("cin_plan_started", "2026-01-31"),
        ev("cin_plan_reviewed", "2026-02-27"),
        ev("cin_plan_reviewed", "2026-05-29"),
    ]
    rows = only(run("2026-09-01", events), "gloucestershire.cin_plan_review")
    assert [(d.due.isoformat(), d.status, d.working_days_overdue) for d in rows] == [
        ("2026-02-28", "met", 0),  # 31 Jan + 1 month, clipped to 28 Feb
        ("2026-05-27", "met_late", 2),  # 27 Feb + 3 months; reviewed Fri 29 May: 28, 29
        # 29 May + 3 months = Sat 29 Aug; overdue on Tue 1 Sept: 31 Aug bank holiday, 1 Sept
        ("2026-08-29", "overdue", 1),
    ]


def test_pathway_plan_not_due_when_care_ends_before_the_16th_birthday():
    events = [ev("became_looked_after", "2025-01-06"), ev("ceased_looked_after", "2026-05-01")]
    deadlines = run("2026-09-01", events, dob="2010-05-31")  # 16 on 31 May 2026
    assert not [d for d in deadlines if d.rule.id == "gloucestershire.pathway_plan"]


def test_case_summary_monthly_while_the_case_is_open():
    events = [
        ev("referral_received", "2026-01-31"),
        ev("case_summary_updated", "2026-02-28"),
        ev("case_summary_updated", "2026-03-31"),
    ]
    rows = only(run("2026-05-01", events), "gloucestershire.case_summary_update")
    assert [(d.due.isoformat(), d.status, d.working_days_overdue) for d in rows] == [
        ("2026-02-28", "met", 0),  # 31 Jan + 1 month, clipped
        ("2026-03-28", "met_late", 2),  # 28 Feb + 1 month = Sat 28 Mar; updated Tue 31: 30, 31
        ("2026-04-30", "overdue", 1),  # 31 Mar + 1 month; overdue Fri 1 May = 1
    ]


# -- case supervision per population -----------------------------------------------------------


def test_case_supervision_cin_3_monthly_from_the_plan():
    events = [
        ev("cin_plan_started", "2026-05-29"),
        ev("case_supervision_held", "2026-09-01"),
    ]
    rows = only(run("2026-12-02", events), "gloucestershire.case_supervision.cin")
    assert [(d.due.isoformat(), d.status, d.working_days_overdue) for d in rows] == [
        # 29 May + 3 months = Sat 29 Aug; held Tue 1 Sept: 31 Aug bank holiday, 1 Sept = 1
        ("2026-08-29", "met_late", 1),
        ("2026-12-01", "overdue", 1),  # 1 Sept + 3 months; overdue Wed 2 Dec = 1
    ]


def test_case_supervision_cic_2_monthly_then_3_monthly_once_long_term_matched():
    events = [
        ev("became_looked_after", "2026-01-15"),
        placed("2026-01-15"),
        ev("case_supervision_held", "2026-03-13"),
        ev("placement_agreed_permanent", "2026-05-01"),
        ev("case_supervision_held", "2026-05-12"),
        ev("case_supervision_held", "2026-08-12"),
        # a later move does not bring back the 2-monthly frequency (the rule looks for the
        # match anywhere in the period in care)
        placed("2026-09-01", "residential"),
    ]
    rows = only(run("2026-11-13", events), "gloucestershire.case_supervision.cic")
    assert [(d.due.isoformat(), d.status, d.working_days_overdue) for d in rows] == [
        ("2026-03-15", "met", 0),  # 15 Jan + 2 months
        ("2026-05-13", "met", 0),  # not matched on 13 Mar: 13 Mar + 2 months
        ("2026-08-12", "met", 0),  # matched 1 May, before 12 May: 12 May + 3 months
        ("2026-11-12", "overdue", 1),  # 12 Aug + 3 months; overdue Fri 13 Nov = 1
    ]


def test_case_supervision_short_breaks_3_monthly():
    events = [
        placed("2026-11-30", "short_break"),
        ev("case_supervision_held", "2027-03-02"),
    ]
    rows = only(run("2027-03-03", events), "gloucestershire.case_supervision.short_breaks")
    assert [(d.due.isoformat(), d.status, d.working_days_overdue) for d in rows] == [
        # 30 Nov + 3 months = 30 Feb, clipped to Sun 28 Feb; held Tue 2 Mar: 1, 2 Mar = 2
        ("2027-02-28", "met_late", 2),
        ("2027-06-02", "upcoming", 0),  # 2 Mar + 3 months
    ]


# -- care leavers: contact and birthday anchors ------------------------------------------------


def test_care_leaver_contact_5_days_then_8_weekly():
    events = [
        ev("became_looked_after", "2022-03-01"),
        ev("ceased_looked_after", "2026-04-02"),
        ev("left_care", "2026-04-02"),
        ev("care_leaver_contact", "2026-04-07"),
        ev("care_leaver_contact", "2026-06-01"),
    ]
    rows = only(run("2026-08-03", events, dob="2008-04-02"), "gloucestershire.care_leaver_contact")
    assert [(d.due.isoformat(), d.status, d.working_days_overdue) for d in rows] == [
        ("2026-04-07", "met", 0),  # 2 Apr + 5 calendar days
        ("2026-06-02", "met", 0),  # 7 Apr + 56 days: 30 Apr = 23, 31 May = 54, 2 Jun = 56
        # 1 Jun + 56 days: 30 Jun = 29, 27 Jul = 56; overdue Mon 3 Aug by 28-31 Jul, 3 Aug = 5
        ("2026-07-27", "overdue", 5),
    ]


def test_care_leaver_contact_21_plus_from_the_last_contact_before_the_birthday():
    events = [
        ev("became_looked_after", "2019-06-03"),
        ev("ceased_looked_after", "2023-08-31"),
        ev("left_care", "2023-08-31"),
        ev("care_leaver_contact", "2026-08-20"),  # the last contact before the 21st birthday
        ev("care_leaver_contact", "2027-02-26"),
    ]
    rows = only(
        run("2027-03-01", events, dob="2005-08-31"), "gloucestershire.care_leaver_contact.21_plus"
    )
    # From 21 (31 Aug 2026), 6-monthly counted from the last contact, not the birthday
    assert (rows[0].anchor.type, rows[0].anchor.date) == ("care_leaver_contact", D("2026-08-20"))
    assert [(d.due.isoformat(), d.status, d.working_days_overdue) for d in rows] == [
        # 20 Aug 2026 + 6 months = Sat 20 Feb 2027; seen Fri 26 Feb: 22-26 Feb = 5 late
        ("2027-02-20", "met_late", 5),
        ("2027-08-26", "upcoming", 0),  # 26 Feb + 6 months
    ]

"""Hand-checked examples for the Sunderland and West Sussex rules that need more than a case
in and its deadlines out. The plain worked examples are data, in
app/data/rules/examples/together-for-children-sunderland.yaml and west-sussex.yaml (run by
tests/test_worked_examples.py). Each
expected date was counted by hand from the rule's YAML (anchor, offset, then
steps) on GOV.UK's england-and-wales bank-holiday list; the comment is the
count. An authority's request also returns the england baseline's deadlines,
so every check selects the rule it is about by its id.
"""

import pytest

from tests.engine_helpers import D, ev, only, run
from tests.engine_helpers import placed as placement

SUN = "together-for-children-sunderland"
WSX = "west-sussex"


def summary(deadlines):
    return [(d.due.isoformat(), d.status, d.working_days_overdue) for d in deadlines]


# -- Sunderland: recurring rules, second deadlines --------------------------------------------


def test_case_recording_each_visit_has_its_own_clock():
    events = [
        ev("referral_received", "2022-12-01"),
        ev("statutory_visit", "2022-12-23", ref="V1"),
        ev("case_note_recorded", "2023-01-03"),
        ev("statutory_visit", "2023-01-06", ref="V2"),
    ]
    found = only(run(SUN, "2023-01-12", events), "together-for-children-sunderland.case_recording")
    assert [d.anchor.ref for d in found] == ["V1", "V2"]
    assert summary(found) == [
        # V1 Fri 23 Dec: 26, 27 skipped, 28-30 = 3 -> 30 Dec; note Tue 3 Jan: 2 Jan is the
        # New Year substitute, so 1 WD late (3 Jan)
        ("2022-12-30", "met_late", 1),
        # V2 Fri 6 Jan: 9, 10, 11 -> Wed 11 Jan; nothing since; 12 Jan = 1 WD over
        ("2023-01-11", "overdue", 1),
    ]


def test_first_core_group_then_four_weekly():
    events = [
        ev("icpc_held", "2022-12-20"),
        ev("cp_plan_started", "2022-12-20"),
        ev("core_group_held", "2023-01-05"),
        ev("core_group_held", "2023-02-03"),
    ]
    deadlines = run(SUN, "2023-03-06", events)
    first = only(deadlines, "together-for-children-sunderland.first_core_group")
    assert summary(first) == [("2023-01-06", "met", 0)]  # see the examples file; one-off
    assert first[0].satisfied_by.date == D("2023-01-05")
    core = only(deadlines, "together-for-children-sunderland.core_group")
    assert summary(core) == [
        # 5 Jan + 28 days = Thu 2 Feb (26 left in January, 2 Feb = 28); held Fri 3 Feb
        ("2023-02-02", "met_late", 1),
        # 3 Feb + 28 days = 3 Mar (25 left in February, 3 Mar = 28); as_of Mon 6 Mar
        ("2023-03-03", "overdue", 1),
    ]
    # the first core group anchors the clock and does not count as its own successor
    assert core[0].satisfied_by.date == D("2023-02-03")


def test_placement_planning_meeting_per_placement():
    events = [
        ev("became_looked_after", "2026-12-23"),
        placement("2026-12-23", ref="P1", attributes={"emergency": True}),
        ev("placement_planning_meeting_held", "2026-12-30"),
        placement("2027-03-25", "residential", ref="P2", attributes={"emergency": True}),
    ]
    found = only(
        run(SUN, "2027-04-01", events),
        "together-for-children-sunderland.placement_planning_meeting",
    )
    assert [(d.episode.start.ref, *row) for d, row in zip(found, summary(found), strict=True)] == [
        ("P1", "2026-12-30", "met", 0),  # see the examples file
        # P2 Thu 25 Mar 2027: Good Friday 26 and Easter Monday 29 skipped, 30 = 1, 31 = 2,
        # Thu 1 Apr = 3
        ("P2", "2027-04-01", "due_today", 0),
    ]


def test_placement_plan_72_hours_across_the_clock_change():
    # 16:00 GMT on Fri 27 March 2026; clocks go forward at 01:00 GMT on Sun 29 March.
    # 72 hours later is 16:00 UTC on Mon 30 March = 17:00 BST.
    events = [
        ev("became_looked_after", "2026-03-27"),
        placement("2026-03-27T16:00:00+00:00"),
        ev("placement_plan_completed", "2026-03-30T16:30:00+01:00"),
    ]
    d = only(run(SUN, "2026-03-31", events), "together-for-children-sunderland.placement_plan")[0]
    assert (d.due, d.due_at.isoformat()) == (D("2026-03-30"), "2026-03-30T17:00:00+01:00")
    assert d.status == "met"  # 16:30 BST is before 17:00 BST


def test_placement_plan_restarts_with_a_move():
    events = [
        ev("became_looked_after", "2026-12-23"),
        placement("2026-12-23", ref="P1"),
        ev("placement_plan_completed", "2026-12-24"),
        placement("2027-01-29", "residential", ref="P2"),
    ]
    found = only(run(SUN, "2027-02-02", events), "together-for-children-sunderland.placement_plan")
    assert [(d.episode.start.ref, *row) for d, row in zip(found, summary(found), strict=True)] == [
        ("P1", "2026-12-26", "met", 0),  # 23 Dec + 3 days; completed 24 Dec
        # P2 Fri 29 Jan + 3 days = Mon 1 Feb; the P1 plan does not count; as_of Tue 2 Feb
        ("P2", "2027-02-01", "overdue", 1),
    ]


def test_second_looked_after_review_at_four_months_then_six_monthly():
    events = [
        ev("became_looked_after", "2024-10-31"),
        placement("2024-10-31"),
        ev("cla_review_held", "2024-11-28", ref="R1"),
        ev("cla_review_held", "2025-02-27", ref="R2"),
        ev("cla_review_held", "2025-08-29", ref="R3"),
    ]
    deadlines = run(SUN, "2026-03-02", events)
    initial = only(deadlines, "together-for-children-sunderland.cla_review")
    # 20 WD from Thu 31 Oct 2024: 1 Nov = 1, 4-8 = 6, 11-15 = 11, 18-22 = 16, 25-28 = 20
    assert summary(initial) == [("2024-11-28", "met", 0)]
    assert initial[0].satisfied_by.ref == "R1"
    second = only(deadlines, "together-for-children-sunderland.cla_review.second")
    assert summary(second) == [
        # 31 Oct 2024 + 4 months clips to 28 Feb 2025; R1 is the initial review and does
        # not count, R2 (27 Feb) meets it
        ("2025-02-28", "met", 0),
        # R2 27 Feb + 6 months = Wed 27 Aug 2025; R3 Fri 29 Aug: 28, 29 = 2 WD late
        ("2025-08-27", "met_late", 2),
        # R3 29 Aug + 6 months clips to Sat 28 Feb 2026; as_of Mon 2 Mar = 1 WD over
        ("2026-02-28", "overdue", 1),
    ]
    assert [d.satisfied_by.ref if d.satisfied_by else None for d in second] == ["R2", "R3", None]


def test_cla_review_report_initial_three_then_five_working_days():
    events = [
        ev("became_looked_after", "2023-04-03"),
        placement("2023-04-03"),
        ev("conference_report_shared", "2023-04-26"),
        ev("cla_review_held", "2023-05-02", ref="R1"),
        ev("conference_report_shared", "2023-08-22"),
        ev("cla_review_held", "2023-08-31", ref="R2"),
        ev("conference_report_shared", "2024-02-21"),
        ev("cla_review_held", "2024-02-27", ref="R3", scheduled=True),
    ]
    deadlines = run(SUN, "2024-02-26", events)
    initial = only(deadlines, "together-for-children-sunderland.cla_review_report_shared.initial")
    # only the initial review: 3 WD before Tue 2 May 2023 (see the examples file)
    assert [(d.anchor.ref, *row) for d, row in zip(initial, summary(initial), strict=True)] == [
        ("R1", "2023-04-26", "met", 0)
    ]
    later = only(deadlines, "together-for-children-sunderland.cla_review_report_shared")
    assert [(d.anchor.ref, *row) for d, row in zip(later, summary(later), strict=True)] == [
        # 5 WD before Thu 31 Aug 2023: 30, 29, (28 Aug skipped), 25, 24, 23; shared 22 Aug
        ("R2", "2023-08-23", "met", 0),
        # 5 WD before the review booked for Tue 27 Feb 2024: 26 = 1, 23 = 2, 22 = 3, 21 = 4,
        # 20 = 5; the 22 Aug report was for R2, the 21 Feb one is 1 WD late
        ("R3", "2024-02-20", "met_late", 1),
    ]
    assert [d.satisfied_by.date for d in later] == [D("2023-08-22"), D("2024-02-21")]


def test_icpc_report_shared_late_for_a_booked_conference():
    events = [
        ev("referral_received", "2023-04-20"),
        ev("strategy_discussion_held", "2023-04-24"),
        ev("conference_report_shared", "2023-05-05"),
        ev("icpc_held", "2023-05-10", scheduled=True),
    ]
    d = only(run(SUN, "2023-05-09", events), "together-for-children-sunderland.icpc_report_shared")
    # due Thu 4 May (see the examples file); shared Fri 5 May = 1 WD late
    assert (d[0].due, d[0].status, d[0].working_days_overdue) == (D("2023-05-04"), "met_late", 1)
    assert d[0].offset == "3 working days before"
    assert [(s.date.isoformat(), s.reason) for s in d[0].skipped] == [
        ("2023-05-08", "Bank holiday for the coronation of King Charles III")
    ]


def test_icpc_report_shared_for_each_conference_of_the_open_case():
    events = [
        ev("referral_received", "2026-01-05"),
        ev("strategy_discussion_held", "2026-01-07"),
        ev("conference_report_shared", "2026-01-14"),
        ev("icpc_held", "2026-01-20", ref="ICPC1"),
        ev("strategy_discussion_held", "2026-08-17"),
        ev("icpc_held", "2026-09-03", ref="ICPC2", scheduled=True),
    ]
    found = only(
        run(SUN, "2026-09-01", events), "together-for-children-sunderland.icpc_report_shared"
    )
    assert [(d.anchor.ref, *row) for d, row in zip(found, summary(found), strict=True)] == [
        ("ICPC1", "2026-01-15", "met", 0),  # 3 WD before Tue 20 Jan: 19, 16, 15
        # 3 WD before Thu 3 Sept: 2 = 1, 1 = 2, 31 Aug bank holiday skipped, Fri 28 Aug = 3;
        # the January report was for ICPC1; as_of Tue 1 Sept: 31 Aug skipped, 1 Sept = 1
        ("ICPC2", "2026-08-28", "overdue", 1),
    ]


def test_rcpc_report_for_each_review_conference():
    events = [
        ev("icpc_held", "2026-09-29"),
        ev("cp_plan_started", "2026-09-29"),
        ev("conference_report_shared", "2026-12-23"),
        ev("rcpc_held", "2027-01-05", ref="RCPC1"),
        ev("rcpc_held", "2027-07-05", ref="RCPC2", scheduled=True),
    ]
    found = only(
        run(SUN, "2027-06-30", events), "together-for-children-sunderland.rcpc_report_shared"
    )
    assert [(d.anchor.ref, *row) for d, row in zip(found, summary(found), strict=True)] == [
        ("RCPC1", "2026-12-24", "met", 0),  # see the examples file
        # 5 WD before Mon 5 July 2027: Fri 2 = 1, 1 = 2, 30 June = 3, 29 = 4, Mon 28 = 5;
        # the December report was for RCPC1; as_of Wed 30 June: 29, 30 = 2
        ("RCPC2", "2027-06-28", "overdue", 2),
    ]


def test_rcpc_report_is_not_met_by_a_report_shared_on_the_icpc_day():
    # The interpretation: "Only a conference_report_shared dated after the previous
    # conference (initial or review) counts for this conference". The report shared on
    # the day of the ICPC (29 Sept) is not after it.
    events = [
        ev("icpc_held", "2026-09-29"),
        ev("cp_plan_started", "2026-09-29"),
        ev("conference_report_shared", "2026-09-29"),
        ev("rcpc_held", "2027-01-05", scheduled=True),
    ]
    d = only(run(SUN, "2026-12-30", events), "together-for-children-sunderland.rcpc_report_shared")
    # due 24 Dec (see the examples file); as_of Wed 30 Dec: 25 and 28 skipped, 29, 30 = 2
    assert (d[0].due, d[0].status, d[0].working_days_overdue) == (D("2026-12-24"), "overdue", 2)


@pytest.mark.parametrize(
    ("rule_id", "satisfier", "due", "emergency"),
    [
        # 72 hours from a date: 3 days, Mon 1 June -> Thu 4 June
        (
            "together-for-children-sunderland.placement_plan",
            "placement_plan_completed",
            "2026-06-04",
            True,
        ),
        # emergency: 3 WD from Mon 1 June: 2, 3, 4
        (
            "together-for-children-sunderland.placement_planning_meeting",
            "placement_planning_meeting_held",
            "2026-06-04",
            True,
        ),
        # pre-planned: by the day of the placement, Mon 1 June
        (
            "together-for-children-sunderland.placement_planning_meeting.planned",
            "placement_planning_meeting_held",
            "2026-06-01",
            False,
        ),
        # emergency: 10 WD from Mon 1 June: 2-5 = 4, 8-12 = 9, 15 = 10
        (
            "together-for-children-sunderland.care_plan",
            "care_plan_completed",
            "2026-06-15",
            True,
        ),
        # planned: by the day of the placement, Mon 1 June
        (
            "together-for-children-sunderland.care_plan.planned",
            "care_plan_completed",
            "2026-06-01",
            False,
        ),
    ],
)
def test_completed_before_a_planned_placement_meets_it(rule_id, satisfier, due, emergency):
    events = [
        ev(satisfier, "2026-05-29"),
        ev("became_looked_after", "2026-06-01"),
        placement("2026-06-01", attributes={"emergency": emergency}),
    ]
    d = only(run(SUN, "2026-06-16", events), rule_id)[0]
    assert (d.due, d.status, d.satisfied_by and d.satisfied_by.date) == (
        D(due),
        "met",
        D("2026-05-29"),
    )


# -- West Sussex ------------------------------------------------------------------------------


def test_case_allocation_24_hours_across_the_clock_change():
    # 18:30 BST on Sat 24 Oct 2026 = 17:30 UTC; clocks go back at 02:00 BST on Sun 25 Oct.
    # 24 hours later is 17:30 UTC on 25 Oct = 17:30 GMT (the wall clock shows an hour less
    # than 18:30).
    referral = ev("referral_received", "2026-10-24T18:30:00+01:00")
    on_time = only(
        run(WSX, "2026-10-26", [referral, ev("case_allocated", "2026-10-25T17:00:00+00:00")]),
        "west-sussex.case_allocation",
    )[0]
    assert (on_time.due, on_time.due_at.isoformat()) == (
        D("2026-10-25"),
        "2026-10-25T17:30:00+00:00",
    )
    assert on_time.status == "met"
    late = only(
        run(WSX, "2026-10-26", [referral, ev("case_allocated", "2026-10-25T17:45:00+00:00")]),
        "west-sussex.case_allocation",
    )[0]
    # 15 minutes late on the same day: late, but no whole working day late
    assert (late.status, late.working_days_overdue) == ("met_late", 0)


def test_west_sussex_and_sunderland_permanence_plan_side_by_side():
    # Both authorities read the deadline as 4 months from becoming looked after.
    events = [ev("became_looked_after", "2026-10-30"), placement("2026-10-30")]
    wsx = only(run(WSX, "2027-03-01", events), "west-sussex.permanence_plan")
    sun = only(run(SUN, "2027-03-01", events), "together-for-children-sunderland.permanence_plan")
    # 30 Oct 2026 + 4 months: 30 Feb clips to Sun 28 Feb 2027; Mon 1 Mar = 1 WD over
    assert summary(wsx) == summary(sun) == [("2027-02-28", "overdue", 1)]
    assert wsx[0].rule.basis == sun[0].rule.basis == "local"

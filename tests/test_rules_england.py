"""Hand-checked worked examples for every computable rule in app/data/rules/england.yaml.

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

# -- schedules: every deadline a rule sets for a case, in order ---------------------------------
# (rule, events, as_of, dob, [(due, status, working_days_overdue or None), ...])
# The comment on each expected deadline is the hand count.

SCHEDULES = [
    pytest.param(
        "england.referral_decision",
        [
            ev("referral_received", "2026-04-02"),
            ev("referral_decision_made", "2026-04-02"),
            ev("referral_received", "2026-05-22"),
        ],
        "2026-05-27",
        "2012-04-02",
        [
            # Thu 2 Apr + 1 WD: Fri 3 Good Friday, weekend, Mon 6 Easter Monday skipped,
            # Tue 7 Apr = 1; decided the same day.
            ("2026-04-07", "met", 0),
            # each referral: Fri 22 May + 1 WD: weekend, Mon 25 Spring BH skipped, Tue 26 = 1;
            # nothing since; overdue by Wed 27 = 1 WD.
            ("2026-05-26", "overdue", 1),
        ],
        id="referral_decision-each-referral-easter-and-spring-bh",
    ),
    pytest.param(
        "england.assessment",
        [
            ev("referral_received", "2026-03-18"),
            ev("referral_received", "2026-04-20"),
            ev("assessment_completed", "2026-05-27"),
        ],
        "2026-06-01",
        "2012-04-02",
        [
            # from the FIRST referral, Wed 18 Mar + 45 WD: 19, 20 = 2; 23-27 = 7; 30, 31 = 9;
            # 1, 2 Apr = 11; Good Friday 3, Easter Monday 6 skipped; 7-10 = 15; 13-17 = 20;
            # 20-24 = 25; 27-30 = 29; 1 May = 30; Mon 4 May skipped; 5-8 = 34; 11-15 = 39;
            # 18-22 = 44; Mon 25 May skipped; Tue 26 = 45. Completed Wed 27: 1 WD late.
            ("2026-05-26", "met_late", 1),
        ],
        id="assessment-45wd-four-bank-holidays-second-referral-ignored",
    ),
    pytest.param(
        "england.icpc",
        [
            ev("strategy_discussion_held", "2025-12-11"),
            ev("icpc_held", "2026-01-06"),
            ev("strategy_discussion_held", "2026-03-30"),
        ],
        "2026-04-22",
        "2012-04-02",
        [
            # Thu 11 Dec 2025 + 15 WD: 12 = 1; 15-19 = 6; 22-24 = 9; 25, 26 Dec skipped;
            # 29-31 = 12; 1 Jan skipped; Fri 2 Jan = 13; Mon 5, Tue 6 = 15. Held that day.
            ("2026-01-06", "met", 0),
            # the ICPC ended that enquiry; a new strategy discussion Mon 30 Mar opens another:
            # 31 = 1; 1, 2 Apr = 3; 3 and 6 Apr skipped; 7-10 = 7; 13-17 = 12; 20-22 = 15.
            ("2026-04-22", "due_today", 0),
        ],
        id="icpc-christmas-then-a-second-enquiry-over-easter",
    ),
    pytest.param(
        "england.first_core_group",
        [
            ev("icpc_held", "2026-05-21"),
            ev("cp_plan_started", "2026-05-21"),
            ev("core_group_held", "2026-06-08"),
        ],
        "2026-06-10",
        "2012-04-02",
        [
            # Thu 21 May + 10 WD: Fri 22 = 1; Mon 25 Spring BH skipped; 26-29 = 5;
            # 1-5 Jun = 10. Held Mon 8 Jun: 1 WD late.
            ("2026-06-05", "met_late", 1),
        ],
        id="first_core_group-spring-bank-holiday",
    ),
    pytest.param(
        "england.rcpc",
        [
            ev("icpc_held", "2025-10-31"),
            ev("cp_plan_started", "2025-10-31"),
            ev("rcpc_held", "2026-01-30"),
            ev("rcpc_held", "2026-08-03"),
        ],
        "2026-11-23",
        "2012-04-02",
        [
            ("2026-01-31", "met", 0),  # ICPC 31 Oct 2025 + 3 months; reviewed Fri 30 Jan
            # then 6 months from the review: 30 Jan + 6 months = 30 Jul; held Mon 3 Aug,
            # late by Fri 31 Jul, Mon 3 Aug = 2 WD
            ("2026-07-30", "met_late", 2),
            ("2027-02-03", "upcoming", 0),  # 3 Aug 2026 + 6 months
        ],
        id="rcpc-3-months-then-6-monthly-from-each-review",
    ),
    pytest.param(
        "england.rcpc",
        [
            ev("icpc_held", "2025-05-29"),
            ev("cp_plan_started", "2025-05-29"),
            ev("rcpc_held", "2025-08-29"),
        ],
        "2026-03-02",
        "2012-04-02",
        [
            ("2025-08-29", "met", 0),  # 29 May + 3 months = Fri 29 Aug; held that day
            # 29 Aug 2025 + 6 months = 29 Feb 2026, which does not exist: clips to Sat 28 Feb;
            # overdue by Mon 2 Mar = 1 WD
            ("2026-02-28", "overdue", 1),
        ],
        id="rcpc-6-months-clips-to-28-february",
    ),
    pytest.param(
        "england.care_plan",
        [
            ev("became_looked_after", "2025-12-15"),
            placed("2025-12-15", "foster"),
            placed("2025-12-22", "residential"),
            ev("care_plan_completed", "2025-12-31"),
        ],
        "2026-01-05",
        "2012-04-02",
        [
            # from the FIRST placement, Mon 15 Dec + 10 WD: 16-19 = 4; 22-24 = 7;
            # Christmas 25, Boxing Day 26 skipped; 29-31 = 10. The move on 22 Dec does not
            # restart it. Completed 31 Dec.
            ("2025-12-31", "met", 0),
        ],
        id="care_plan-christmas-move-does-not-restart",
    ),
    pytest.param(
        "england.placement_plan",
        [
            ev("became_looked_after", "2026-04-02"),
            placed("2026-04-02", "foster"),
            ev("placement_plan_completed", "2026-04-10"),
            placed("2026-05-22", "residential"),
        ],
        "2026-06-01",
        "2012-04-02",
        [
            # Thu 2 Apr + 5 WD: 3 Apr Good Friday, weekend, 6 Apr Easter Monday skipped;
            # 7-10 = 4; Mon 13 = 5. Plan on Fri 10.
            ("2026-04-13", "met", 0),
            # each placement: Fri 22 May + 5 WD: Mon 25 Spring BH skipped; 26-29 = 4;
            # Mon 1 Jun = 5
            ("2026-06-01", "due_today", 0),
        ],
        id="placement_plan-each-placement-easter-and-spring-bh",
    ),
    pytest.param(
        "england.cla_review",
        [
            ev("became_looked_after", "2026-03-18"),
            ev("cla_review_held", "2026-04-16"),
            ev("cla_review_held", "2026-07-16"),
            ev("cla_review_held", "2027-01-14"),
        ],
        "2027-07-20",
        "2012-04-02",
        [
            # Wed 18 Mar + 20 WD: 19, 20 = 2; 23-27 = 7; 30, 31 = 9; 1, 2 Apr = 11;
            # 3 and 6 Apr skipped; 7-10 = 15; 13-17 = 20. First review Thu 16 Apr.
            ("2026-04-17", "met", 0),
            ("2026-07-16", "met", 0),  # second: 3 months after the first (16 Apr)
            ("2027-01-16", "met", 0),  # third: 6 months after the second (16 Jul)
            # fourth: 6 months after 14 Jan 2027; overdue by 15, 16, 19, 20 Jul = 4 WD
            ("2027-07-14", "overdue", 4),
        ],
        id="cla_review-20wd-then-3-months-then-6-monthly",
    ),
    pytest.param(
        "england.cla_review",
        [
            ev("became_looked_after", "2026-11-02"),
            ev("cla_review_held", "2026-11-30"),
            ev("cla_review_held", "2027-03-01"),
        ],
        "2027-03-02",
        "2012-04-02",
        [
            # Mon 2 Nov + 20 WD: 3-6 = 4; 9-13 = 9; 16-20 = 14; 23-27 = 19; Mon 30 = 20
            ("2026-11-30", "met", 0),
            # 30 Nov + 3 months clips to Sun 28 Feb 2027; held Mon 1 Mar: 1 WD late
            ("2027-02-28", "met_late", 1),
            ("2027-09-01", "upcoming", 0),  # then 6 months: 1 Mar + 6 months
        ],
        id="cla_review-second-review-3-months-clips-to-february",
    ),
    pytest.param(
        "england.cla_review",
        [
            ev("became_looked_after", "2025-01-06"),
            ev("cla_review_held", "2025-01-31"),
            ev("ceased_looked_after", "2025-03-03"),
            ev("became_looked_after", "2025-04-14"),
        ],
        "2025-05-16",
        "2012-04-02",
        [
            # Mon 6 Jan + 20 WD: 7-10 = 4; 13-17 = 9; 20-24 = 14; 27-31 = 19; Mon 3 Feb = 20.
            ("2025-02-03", "met", 0),
            # the second review (31 Jan + 3 months = 30 Apr) no longer applies: the episode
            # ended on 3 Mar. Back in care Mon 14 Apr: a new first review, + 20 WD:
            # 15-17 = 3; Good Friday 18, Easter Monday 21 skipped; 22-25 = 7; 28-30 = 10;
            # 1, 2 May = 12; Mon 5 May skipped; 6-9 = 16; 12-15 = 20. Overdue Fri 16 = 1 WD.
            ("2025-05-15", "overdue", 1),
        ],
        id="cla_review-new-looked-after-episode-restarts-at-20wd",
    ),
    pytest.param(
        "england.cla_visit",
        [
            ev("became_looked_after", "2025-06-02"),
            placed("2025-06-02", "foster"),
            ev("statutory_visit", "2025-06-06"),
            ev("statutory_visit", "2026-05-29"),
            ev("statutory_visit", "2026-06-02"),
        ],
        "2026-07-15",
        "2012-04-02",
        [
            ("2025-06-09", "met", None),  # Mon 2 Jun + 1 week; visited Fri 6 Jun
            # first year: 6 Jun + 42 days = 6 + 24 -> 30 Jun, + 18 -> 18 Jul; visited
            # (very late) Fri 29 May 2026
            ("2025-07-18", "met_late", None),
            # 29 May 2026 is before 2 Jun 2026 (placement + 1 year): still the first year,
            # 6 weeks: 29 May + 2 -> 31 May, + 30 -> 30 Jun, + 10 -> 10 Jul
            ("2026-07-10", "met", None),
            # visit on 2 Jun 2026 is in the second year (the first year is 2 Jun 2025 to
            # 1 Jun 2026); no placement_agreed_permanent, so 6 weeks:
            # 2 Jun + 28 -> 30 Jun, + 14 -> 14 Jul. Overdue Wed 15 Jul = 1 WD.
            ("2026-07-14", "overdue", 1),
        ],
        id="cla_visit-first-year-then-6-weekly-without-permanence",
    ),
    pytest.param(
        "england.cla_visit",
        [
            ev("became_looked_after", "2025-06-02"),
            placed("2025-06-02", "foster"),
            ev("statutory_visit", "2025-06-06"),
            ev("statutory_visit", "2026-05-22"),
            ev("statutory_visit", "2026-06-19"),
            ev("placement_agreed_permanent", "2026-07-01"),
            ev("statutory_visit", "2026-07-31"),
            ev("statutory_visit", "2026-10-30"),
        ],
        "2026-11-23",
        "2012-04-02",
        [
            ("2025-06-09", "met", None),  # Mon 2 Jun + 1 week
            ("2025-07-18", "met_late", None),  # 6 Jun + 6 weeks; next visit 22 May 2026
            # 22 May 2026 is in the first year: 6 weeks: 22 May + 9 -> 31 May,
            # + 30 -> 30 Jun, + 3 -> 3 Jul
            ("2026-07-03", "met", None),
            # 19 Jun 2026 is after the first year, but permanence is not agreed until 1 Jul:
            # 6 weeks: 19 Jun + 11 -> 30 Jun, + 31 -> 31 Jul
            ("2026-07-31", "met", None),
            # 31 Jul: after the first year and agreed permanent on 1 Jul: 3 months
            ("2026-10-31", "met", None),
            ("2027-01-30", "upcoming", None),  # 30 Oct + 3 months
        ],
        id="cla_visit-after-first-year-3-monthly-once-agreed-permanent",
    ),
    pytest.param(
        "england.cla_visit",
        [
            ev("became_looked_after", "2026-01-05"),
            placed("2026-01-05", "residential"),
            ev("statutory_visit", "2026-01-09"),
            ev("placement_agreed_permanent", "2026-01-20"),
            ev("statutory_visit", "2026-02-20"),
        ],
        "2026-03-02",
        "2012-04-02",
        [
            ("2026-01-12", "met", None),  # Mon 5 Jan + 1 week
            ("2026-02-20", "met", None),  # 9 Jan + 22 -> 31 Jan, + 20 -> 20 Feb
            # agreed permanent on 20 Jan, but 20 Feb is in the first year: still 6 weeks:
            # 20 Feb + 8 -> 28 Feb, + 31 -> 31 Mar, + 3 -> Fri 3 Apr (Good Friday; calendar
            # weeks are not moved off a bank holiday)
            ("2026-04-03", "upcoming", None),
        ],
        id="cla_visit-permanence-in-first-year-stays-6-weekly",
    ),
    pytest.param(
        "england.cla_visit.connected_person_temporary",
        [
            ev("became_looked_after", "2026-03-02"),
            placed("2026-03-02", "connected_person_temporary"),
            ev("statutory_visit", "2026-03-06"),
            ev("statutory_visit", "2026-03-13"),
            ev("statutory_visit", "2026-03-19"),
            ev("statutory_visit", "2026-03-26"),
            ev("cla_review_held", "2026-03-27"),
            ev("statutory_visit", "2026-04-01"),
            ev("statutory_visit", "2026-04-29"),
        ],
        "2026-05-28",
        "2012-04-02",
        [
            ("2026-03-09", "met", None),  # Mon 2 Mar + 1 week
            ("2026-03-13", "met", None),  # no review yet: weekly, 6 Mar + 7
            ("2026-03-20", "met", None),  # 13 Mar + 7
            ("2026-03-26", "met", None),  # 19 Mar + 7
            # the review on 27 Mar is after the 26 Mar visit: still weekly, 26 Mar + 7
            ("2026-04-02", "met", None),
            # review held by the 1 Apr visit: 4-weekly, 1 Apr + 28 = 29 Apr
            ("2026-04-29", "met", None),
            # 29 Apr + 28 -> 27 May; overdue Thu 28 May = 1 WD
            ("2026-05-27", "overdue", 1),
        ],
        id="cla_visit-connected-person-weekly-until-first-review-then-4-weekly",
    ),
    pytest.param(
        "england.cla_visit.connected_person_temporary",
        [
            ev("became_looked_after", "2026-01-05"),
            placed("2026-01-05", "foster"),
            ev("cla_review_held", "2026-01-30"),
            placed("2026-02-09", "connected_person_temporary"),
            ev("statutory_visit", "2026-02-13"),
        ],
        "2026-02-18",
        "2012-04-02",
        [
            ("2026-02-16", "met", None),  # Mon 9 Feb + 1 week
            # the 30 Jan review was in the earlier foster placement, not this one: weekly,
            # 13 Feb + 7
            ("2026-02-20", "upcoming", None),
        ],
        id="cla_visit-connected-person-review-in-earlier-placement-does-not-count",
    ),
    pytest.param(
        "england.cla_visit.with_parents",
        [
            ev("became_looked_after", "2025-12-17"),
            placed("2025-12-17", "with_parents"),
            ev("statutory_visit", "2025-12-24"),
            ev("statutory_visit", "2025-12-30"),
            ev("statutory_visit", "2026-01-06"),
            ev("statutory_visit", "2026-01-13"),
            ev("cla_review_held", "2026-01-14"),
            ev("statutory_visit", "2026-01-15"),
        ],
        "2026-02-20",
        "2012-04-02",
        [
            ("2025-12-24", "met", None),  # Wed 17 Dec + 1 week (Christmas Eve)
            ("2025-12-31", "met", None),  # weekly: 24 Dec + 7, bank holidays irrelevant
            ("2026-01-06", "met", None),  # 30 Dec + 7
            ("2026-01-13", "met", None),  # 6 Jan + 7
            ("2026-01-20", "met", None),  # review on 14 Jan after the 13 Jan visit: 13 + 7
            # review held by the 15 Jan visit: 6-weekly, 15 Jan + 16 -> 31 Jan,
            # + 26 -> 26 Feb
            ("2026-02-26", "upcoming", None),
        ],
        id="cla_visit-with-parents-weekly-until-first-review-then-6-weekly",
    ),
    pytest.param(
        "england.pathway_needs_assessment",
        [ev("became_looked_after", "2024-01-08")],
        "2026-09-01",
        "2010-05-31",
        [
            # 16th birthday Sun 31 May 2026 + 3 months = Mon 31 Aug (Summer BH; calendar
            # months are not moved). Overdue by Tue 1 Sep = 1 WD.
            ("2026-08-31", "overdue", 1),
        ],
        id="pathway_needs_assessment-3-months-from-16th-birthday",
    ),
    pytest.param(
        "england.pathway_needs_assessment",
        [
            ev("became_looked_after", "2024-01-08"),
            ev("pathway_plan_completed", "2026-08-28"),
        ],
        "2026-09-01",
        "2010-05-31",
        [("2026-08-31", "met", 0)],  # as above; the pathway plan on Fri 28 Aug meets it
        id="pathway_needs_assessment-met-by-pathway-plan",
    ),
    pytest.param(
        "england.pathway_plan_review",
        [
            ev("became_looked_after", "2023-09-04"),
            ev("pathway_plan_completed", "2025-03-10"),
            ev("pathway_plan_completed", "2025-12-31"),
            ev("ceased_looked_after", "2026-03-16"),
            ev("left_care", "2026-03-16"),
            ev("pathway_plan_reviewed", "2026-06-30"),
            ev("pathway_plan_reviewed", "2027-01-04"),
        ],
        "2027-03-01",
        "2008-03-16",
        [
            # the LATEST plan, 31 Dec 2025, written while in care: + 6 months = 31 Jun,
            # clipped to 30 Jun; reviewed that day
            ("2026-06-30", "met", 0),
            # 30 Jun + 6 months = Wed 30 Dec; reviewed Mon 4 Jan 2027: late by Thu 31 Dec,
            # (Fri 1 Jan skipped), Mon 4 Jan = 2 WD
            ("2026-12-30", "met_late", 2),
            ("2027-07-04", "upcoming", 0),  # 4 Jan + 6 months
        ],
        id="pathway_plan_review-6-monthly-from-latest-plan",
    ),
    pytest.param(
        "england.private_fostering_visit",
        [
            ev("private_fostering_notified", "2025-12-22"),
            ev("statutory_visit", "2026-01-05"),
            ev("statutory_visit", "2026-12-18"),
            ev("statutory_visit", "2026-12-22"),
        ],
        "2027-03-17",
        "2012-04-02",
        [
            # Mon 22 Dec 2025 + 7 WD: 23, 24 = 2; 25, 26 Dec skipped; 29-31 = 5;
            # 1 Jan skipped; Fri 2 = 6; Mon 5 Jan = 7. Visited that day.
            ("2026-01-05", "met", None),
            # first year: 6 weeks, 5 Jan + 26 -> 31 Jan, + 16 -> 16 Feb; next visit late
            ("2026-02-16", "met_late", None),
            # 18 Dec 2026 is before 22 Dec 2026 (notification + 1 year): still 6 weeks,
            # 18 Dec + 13 -> 31 Dec, + 29 -> 29 Jan 2027
            ("2027-01-29", "met", None),
            # 22 Dec 2026 is in the second year: 12 weeks = 84 days, 22 Dec + 9 -> 31 Dec,
            # + 31 -> 31 Jan, + 28 -> 28 Feb, + 16 -> 16 Mar. Overdue Wed 17 Mar = 1 WD.
            ("2027-03-16", "overdue", 1),
        ],
        id="private_fostering_visit-7wd-6-weekly-first-year-then-12-weekly",
    ),
    pytest.param(
        "england.adoption_review",
        [
            ev("became_looked_after", "2025-06-02"),
            placed("2026-03-10", "placed_for_adoption"),
            ev("adoption_review_held", "2026-03-31"),
            ev("adoption_review_held", "2026-06-30"),
            ev("adoption_review_held", "2027-01-05"),
        ],
        "2027-02-01",
        "2012-04-02",
        [
            ("2026-04-07", "met", 0),  # Tue 10 Mar + 28 days: 10 + 21 -> 31 Mar, + 7 -> 7 Apr
            # second: 3 months after the first review (31 Mar) = 31 Jun, clipped to 30 Jun
            ("2026-06-30", "met", 0),
            # then 6 months: 30 Jun + 6 months = Wed 30 Dec; held Tue 5 Jan 2027, late by
            # Thu 31 Dec, (Fri 1 Jan skipped), Mon 4, Tue 5 = 3 WD
            ("2026-12-30", "met_late", 3),
            ("2027-07-05", "upcoming", 0),  # 5 Jan + 6 months
        ],
        id="adoption_review-4-weeks-then-3-months-then-6-monthly",
    ),
    pytest.param(
        "england.adoption_visit",
        [
            ev("became_looked_after", "2025-06-02"),
            placed("2026-03-02", "placed_for_adoption"),
            ev("statutory_visit", "2026-03-06"),
            ev("statutory_visit", "2026-03-13"),
            ev("statutory_visit", "2026-03-20"),
            ev("statutory_visit", "2026-03-26"),
        ],
        "2026-04-30",
        "2012-04-02",
        [
            ("2026-03-09", "met", None),  # Mon 2 Mar + 1 week
            # "at least once a week until the first review": no review is held, so weekly
            ("2026-03-13", "met", None),  # 6 Mar + 7
            ("2026-03-20", "met", None),  # 13 Mar + 7
            ("2026-03-27", "met", None),  # 20 Mar + 7
            # 26 Mar + 7 = Thu 2 Apr, no visit: overdue on 30 Apr by 7-10 Apr (Good Friday 3
            # and Easter Monday 6 skipped) = 4, 13-17 = 9, 20-24 = 14, 27-30 = 18
            ("2026-04-02", "overdue", 18),
        ],
        id="adoption_visit-weekly-until-the-first-review-even-when-it-is-late",
    ),
    pytest.param(
        "england.adoption_visit",
        [
            ev("became_looked_after", "2025-06-02"),
            placed("2026-03-02", "placed_for_adoption"),
            ev("statutory_visit", "2026-03-06"),
            ev("adoption_review_held", "2026-03-10"),
            ev("statutory_visit", "2026-03-12"),
        ],
        "2026-04-30",
        "2012-04-02",
        [
            ("2026-03-09", "met", 0),  # Mon 2 Mar + 1 week, visited Fri 6 Mar
            # the step is chosen at the 6 Mar visit, before the review: weekly, 13 Mar
            ("2026-03-13", "met", 0),  # met by Thu 12 Mar
            # at the 12 Mar visit the first review (10 Mar) has been held: after it the
            # frequency is the agency's, with no number, so no further deadline
        ],
        id="adoption_visit-stops-after-the-first-review",
    ),
    pytest.param(
        "england.adoption_visit",
        [
            ev("became_looked_after", "2025-06-02"),
            placed("2026-03-02", "placed_for_adoption"),
            ev("statutory_visit", "2026-03-06"),
        ],
        "2026-03-16",
        "2012-04-02",
        [
            ("2026-03-09", "met", None),  # Mon 2 Mar + 1 week
            ("2026-03-13", "overdue", 1),  # 6 Mar + 7 = Fri 13; overdue Mon 16 = 1 WD
        ],
        id="adoption_visit-second-weekly-visit-overdue",
    ),
    pytest.param(
        "england.return_home_interview",
        [
            ev("missing_episode_started", "2026-02-01"),
            ev("missing_episode_ended", "2026-02-02T09:00:00+00:00"),
            ev("missing_episode_started", "2026-02-08"),
            ev("missing_episode_ended", "2026-02-10T09:00:00+00:00"),
            ev("return_home_interview_completed", "2026-02-11T14:00:00+00:00"),
        ],
        "2026-02-12",
        "2012-04-02",
        [
            # each return: Mon 2 Feb 09:00 + 72 h = Thu 5 Feb 09:00; no interview before the
            # next return, so the later one does not count for it. Overdue by Fri 6,
            # Mon 9, Tue 10, Wed 11, Thu 12 = 5 WD.
            ("2026-02-05", "overdue", 5),
            ("2026-02-13", "met", 0),  # Tue 10 Feb 09:00 + 72 h = Fri 13 09:00; done 11 Feb
        ],
        id="return_home_interview-each-return",
    ),
]


@pytest.mark.parametrize(("rule_id", "events", "as_of", "dob", "expected"), SCHEDULES)
def test_schedule(rule_id, events, as_of, dob, expected):
    got = only(run("england", as_of, events, dob=dob), rule_id)
    assert [(d.due.isoformat(), d.status) for d in got] == [(e[0], e[1]) for e in expected]
    for deadline, (_, _, late) in zip(got, expected, strict=True):
        if late is not None:
            assert deadline.working_days_overdue == late, deadline.due


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


COVERED_RULES = {p.values[0] for p in SCHEDULES}

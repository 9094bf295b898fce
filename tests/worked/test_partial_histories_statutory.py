"""Partial histories and what was not evaluated, England statutory baseline: hand-checked
worked examples (issue 7). Counted by hand from the source words
(app/data/sources/statutory-sources.md) and the engine semantics of
app/data/rules/README.md ("Partial histories", "When the schedule's start is not in the
history", "What is listed in not_evaluated"); the `why` of each row is the count.

Conventions (shared contract): working days start at day 0 and skip weekends and England
and Wales bank holidays (2026: Fri 3 Apr, Mon 6 Apr, Mon 4 May, Mon 25 May, Mon 31 Aug,
Fri 25 Dec, Mon 28 Dec; 2027: Fri 1 Jan); weeks are 7 calendar days and are not moved off
a bank holiday; months use relativedelta. working_days_overdue counts working days in
(due, as_of] when overdue and in (due, met date] when met_late.

The steady step (README): the schedule without its start. For england.rcpc that is "every
6 months" (the 3-month first review is used up), for england.cla_review "every 6 months"
(20 WD and the one 3-month step are used up), for england.pathway_plan_review "every 6
months", for england.cla_visit.placement_unknown "every 6 weeks".

A not_evaluated value of None says the rule must NOT be listed in not_evaluated (check()
compares reasons.get(rule_id) with the value).

"south-gloucestershire" has no numeric rules of its own (its standards say "timely"), so
its cases get the england rules alone and the same answers.
"""

import pytest

from tests.engine_helpers import Example, check, ev, placed

NO_REFERRAL = {
    # both case_open rules are anchored on referral_received and are one-off: with no
    # referral posted no deadline is invented (README, "The anchor is not posted and the
    # rule is one-off")
    "england.referral_decision": "anchor_not_posted",
    "england.assessment": "anchor_not_posted",
}

UNKNOWN_TYPE = {
    # "a rule for certain placement types applies when a placement's type is not known"
    # (README, not_evaluated); planned-rule-changes: "missing: type-specific placement
    # rules are listed in not_evaluated with reason attribute_needed"
    "england.cla_visit": "attribute_needed",
    "england.cla_visit.connected_person_temporary": "attribute_needed",
    "england.cla_visit.with_parents": "attribute_needed",
    "england.placement_plan": "attribute_needed",
    "england.short_break_review": "attribute_needed",
}

EXAMPLES = [
    # -- 1. child protection plan whose start is not posted ---------------------------------
    Example(
        name="cp-plan-inferred-from-rcpc-steady-6-monthly-first-core-group-not-evaluated",
        authority="england",
        as_of="2026-11-23",
        events=[
            ev("rcpc_held", "2026-01-14"),
            ev("statutory_visit", "2026-01-20"),
            ev("core_group_held", "2026-02-11"),
            ev("statutory_visit", "2026-02-13"),
            ev("core_group_held", "2026-03-11"),
            ev("core_group_held", "2026-04-08"),
            ev("core_group_held", "2026-05-06"),
            ev("core_group_held", "2026-06-03"),
            ev("rcpc_held", "2026-07-08"),
            ev("core_group_held", "2026-08-05"),
            ev("statutory_visit", "2026-09-02"),
        ],
        expect={
            "england.rcpc": [
                ("2026-07-14", "met", 0, "inferred"),
                ("2027-01-08", "upcoming", 0),
            ],
            "england.first_core_group": [],
        },
        not_evaluated={"england.first_core_group": "anchor_not_posted", **NO_REFERRAL},
        why=(
            "No icpc_held, no cp_plan_started: the plan is inferred from the earliest "
            "implied_by event, the RCPC of Wed 14 Jan 2026. england.rcpc's anchor (the "
            "ICPC, which: opening) is the episode's opening event and is not posted; the "
            "rule recurs, so it runs at the steady step from the inferred start: 'further "
            "reviews ... at intervals of not more than 6 months'. 14 Jan + 6 months = Tue "
            "14 Jul (inferred; the 14 Jan RCPC is the anchor itself, it meets nothing); "
            "RCPC Wed 8 Jul meets it. Then from 8 Jul + 6 months = Fri 8 Jan 2027, upcoming. "
            "first_core_group is one-off ('within 10 working days of the ICPC') and its "
            "anchor is not posted: no deadline, anchor_not_posted. England sets no CP "
            "visit timescale, so the visits meet nothing here."
        ),
    ),
    Example(
        name="cp-plan-inferred-from-core-groups-only-review-6-months-from-inferred-start",
        authority="south-gloucestershire",
        as_of="2026-06-01",
        events=[
            ev("core_group_held", "2026-03-04"),
            ev("statutory_visit", "2026-03-06"),
            ev("core_group_held", "2026-04-01"),
            ev("core_group_held", "2026-04-29"),
            ev("statutory_visit", "2026-05-01"),
            ev("core_group_held", "2026-05-27"),
        ],
        expect={
            "england.rcpc": [("2026-09-04", "upcoming", 0, "inferred")],
            "england.first_core_group": [],
        },
        not_evaluated={"england.first_core_group": "anchor_not_posted", **NO_REFERRAL},
        why=(
            "South Gloucestershire: the england rules alone. Plan inferred from the first "
            "core group, Wed 4 Mar 2026. No RCPC posted: rcpc at its steady step counted "
            "from the inferred start, 4 Mar + 6 months = Fri 4 Sep, upcoming, inferred. "
            "first_core_group: ICPC not posted, one-off -> anchor_not_posted."
        ),
    ),
    Example(
        name="cp-plan-inferred-from-core-group-before-first-rcpc",
        authority="england",
        as_of="2026-11-23",
        events=[
            ev("core_group_held", "2026-02-03"),
            ev("core_group_held", "2026-03-03"),
            ev("core_group_held", "2026-03-31"),
            ev("core_group_held", "2026-04-28"),
            ev("rcpc_held", "2026-05-12"),
            ev("core_group_held", "2026-06-09"),
            ev("rcpc_held", "2026-11-10"),
        ],
        expect={
            "england.rcpc": [
                ("2026-11-12", "met", 0),
                ("2027-05-10", "upcoming", 0),
            ],
            "england.first_core_group": [],
        },
        not_evaluated={"england.first_core_group": "anchor_not_posted", **NO_REFERRAL},
        why=(
            "Plan inferred from the core group of Tue 3 Feb 2026 (earliest implied_by event). "
            "The anchor of rcpc is the plan's opening event (ICPC), not posted, and the "
            "episode is inferred: steady step counted from the episode's inferred start: "
            "3 Feb + 6 months = Mon 3 Aug, met by the RCPC of Tue 12 May. A deadline counted "
            "from a day that is not itself a review, and met, says nothing (README: it is "
            "not returned), so the schedule is taken up from the RCPC: 12 May + 6 months = "
            "Thu 12 Nov, met by Tue 10 Nov. 10 Nov + 6 months = Mon 10 May 2027, upcoming."
        ),
    ),
    Example(
        name="cp-plan-start-not-posted-but-icpc-posted-first-deadlines-from-the-icpc",
        authority="england",
        as_of="2026-11-23",
        events=[
            ev("icpc_held", "2026-09-15"),
            ev("core_group_held", "2026-09-28"),
            ev("core_group_held", "2026-10-26"),
            ev("core_group_held", "2026-11-23"),
        ],
        expect={
            "england.first_core_group": [("2026-09-29", "met", 0)],
            "england.rcpc": [("2026-12-15", "upcoming", 0)],
        },
        not_evaluated=NO_REFERRAL,
        why=(
            "No cp_plan_started: the plan is inferred from the core group of Mon 28 Sep. The "
            "ICPC of Tue 15 Sep is on or before that start, so it is the plan's opening event "
            "(which: opening) and IS posted: the first deadlines are counted from it as usual "
            "and are not inferred. First core group, Tue 15 Sep + 10 WD: 16-18 = 3, 21-25 = "
            "8, Mon 28 = 9, Tue 29 = 10 -> Tue 29 Sep; held Mon 28 Sep. First RCPC 'within "
            "3 months of the Initial Conference': 15 Sep + 3 months = Tue 15 Dec, upcoming."
        ),
    ),
    Example(
        name="cp-plan-started-monday-after-friday-icpc-over-christmas",
        authority="england",
        as_of="2027-01-08",
        events=[
            ev("strategy_discussion_held", "2026-11-23"),
            ev("icpc_held", "2026-12-11"),
            ev("cp_plan_started", "2026-12-14"),
            ev("statutory_visit", "2026-12-15"),
            ev("core_group_held", "2026-12-30"),
        ],
        expect={
            "england.icpc": [("2026-12-14", "met", 0)],
            "england.first_core_group": [("2026-12-29", "met_late", 1)],
            "england.rcpc": [("2027-03-11", "upcoming", 0)],
        },
        not_evaluated=NO_REFERRAL,
        why=(
            "ICPC: strategy discussion Mon 23 Nov + 15 WD: 24-27 = 4, 30 Nov-4 Dec = 9, "
            "7-11 = 14, Mon 14 Dec = 15; held Fri 11 Dec. The plan starts Mon 14 Dec; its "
            "opening event is the ICPC of Fri 11 Dec (latest icpc_held on or before the "
            "start). First core group 'within 10 working days of the ICPC': Fri 11 Dec + 10 "
            "WD: 14-18 = 5, 21-24 = 9, Fri 25 and Mon 28 Dec skipped, Tue 29 = 10 -> Tue 29 "
            "Dec; held Wed 30 Dec: late by 30 Dec = 1 WD. First RCPC 'within 3 months of the "
            "Initial Conference': 11 Dec + 3 months = Thu 11 Mar 2027, upcoming."
        ),
    ),
    # -- 2. looked-after child whose became_looked_after is not posted --------------------
    Example(
        name="looked-after-inferred-from-review-steady-reviews-visits-per-placement",
        authority="england",
        as_of="2026-10-05",
        events=[
            ev("cla_review_held", "2026-01-14"),
            ev("statutory_visit", "2026-02-10"),
            placed("2026-03-02", "foster"),
            ev("placement_plan_completed", "2026-03-02"),
            ev("care_plan_completed", "2026-03-04"),
            ev("statutory_visit", "2026-03-06"),
            ev("statutory_visit", "2026-04-14"),
            ev("statutory_visit", "2026-05-22"),
            placed("2026-06-01", "residential"),
            ev("placement_plan_completed", "2026-06-03"),
            ev("statutory_visit", "2026-06-05"),
            ev("cla_review_held", "2026-07-08"),
            ev("statutory_visit", "2026-07-16"),
            ev("statutory_visit", "2026-08-27"),
        ],
        expect={
            "england.cla_review": [
                ("2026-07-14", "met", 0, "inferred"),
                ("2027-01-08", "upcoming", 0),
            ],
            "england.care_plan": [],
            "england.placement_plan": [("2026-03-09", "met", 0), ("2026-06-08", "met", 0)],
            "england.cla_visit": [
                ("2026-03-09", "met", 0),
                ("2026-04-17", "met", 0),
                ("2026-05-26", "met", 0),
                ("2026-06-08", "met", 0),
                ("2026-07-17", "met", 0),
                ("2026-08-27", "met", 0),
                ("2026-10-08", "upcoming", 0),
            ],
        },
        not_evaluated={"england.care_plan": "anchor_not_posted", **NO_REFERRAL},
        why=(
            "Looked after inferred from the earliest implied_by event, the review of Wed 14 "
            "Jan 2026. cla_review's anchor (became_looked_after, the episode's start) is not "
            "posted; recurring, so steady step from the inferred start, 'subsequent reviews "
            "... at intervals of not more than six months': 14 Jan + 6 months = Tue 14 Jul "
            "(inferred), met by Wed 8 Jul; 8 Jul + 6 months = Fri 8 Jan 2027. "
            "care_plan: its anchor is the first placement_started in the episode, posted "
            "(Mon 2 Mar), so it is computed as usual and not inferred: + 10 WD: 3-6 = 4, "
            "9-13 = 9, Mon 16 = 10 -> 16 Mar; plan 4 Mar. placement_plan per placement: "
            "Mon 2 Mar + 5 WD = Mon 9 Mar (plan 2 Mar); Mon 1 Jun + 5 WD = Mon 8 Jun (plan "
            "3 Jun). cla_visit foster from 2 Mar: + 7 = Mon 9 Mar (visit 6 Mar); 6 Mar + 42 "
            "= Fri 17 Apr (visit 14 Apr); 14 Apr + 42 = Tue 26 May (visit 22 May); the next "
            "(22 May + 42 = 3 Jul) was outstanding when the move of 1 Jun ended the "
            "placement: not returned. The visit of 10 Feb came before any posted placement "
            "and meets nothing. Residential from 1 Jun: + 7 = Mon 8 Jun (visit 5 Jun); 5 Jun "
            "+ 42 = Fri 17 Jul (16 Jul); 16 Jul + 42 = Thu 27 Aug (27 Aug, on the day); "
            "27 Aug + 42 = Thu 8 Oct, upcoming."
            " Adjudicated: the looked-after episode began before the posted history, so "
            "its first posted placement may be a move, not the first placement: the care "
            "plan (due 10 WD from the first placement) is not evaluated, anchor_not_posted."
        ),
    ),
    # -- 3. became_looked_after posted, no placement posted -------------------------------
    Example(
        name="became-looked-after-no-placement-care-plan-and-visits-from-looked-after-start",
        authority="england",
        as_of="2027-01-20",
        events=[
            ev("became_looked_after", "2026-12-16"),
            ev("statutory_visit", "2026-12-22"),
            ev("care_plan_completed", "2027-01-06"),
            ev("cla_review_held", "2027-01-14"),
        ],
        expect={
            "england.care_plan": [("2027-01-04", "met_late", 2, "inferred")],
            "england.cla_visit.placement_unknown": [
                ("2026-12-23", "met", 0, "inferred"),
                ("2027-02-02", "upcoming", 0),
            ],
            "england.cla_review": [("2027-01-18", "met", 0), ("2027-04-14", "upcoming", 0)],
            "england.cla_visit": [],
            "england.placement_plan": [],
        },
        not_evaluated={**UNKNOWN_TYPE, **NO_REFERRAL},
        why=(
            "No placement posted: the child is taken to be placed, type not known, from "
            "becoming looked after on Wed 16 Dec 2026 (placement assumed_when_none_posted). "
            "care_plan (otherwise: episode_start, inferred): 16 Dec + 10 WD: 17, 18 = 2, "
            "21-24 = 6, Fri 25 and Mon 28 skipped, 29-31 = 9, Fri 1 Jan skipped, Mon 4 Jan "
            "= 10; completed Wed 6 Jan: late by 5, 6 Jan = 2 WD. placement_unknown: 'within "
            "one week of the start of any placement' from the stand-in start: Wed 23 Dec "
            "(inferred), visit 22 Dec; then 'not more than six weeks': 22 Dec + 42 = Tue 2 "
            "Feb. cla_review from the posted became_looked_after: + 20 WD: ... Mon 4 Jan = "
            "10, 5-8 = 14, 11-15 = 19, Mon 18 = 20; held Thu 14 Jan; second 'not more than "
            "three months after the first': 14 Jan + 3 months = Wed 14 Apr. The type-specific "
            "placement rules cannot be chosen: attribute_needed."
        ),
    ),
    # -- 4. a placement posted without became_looked_after --------------------------------
    Example(
        name="looked-after-inferred-from-placement-first-review-steady-6-months",
        authority="south-gloucestershire",
        as_of="2026-06-15",
        events=[
            placed("2026-03-30", "foster"),
            ev("placement_plan_completed", "2026-04-01"),
            ev("statutory_visit", "2026-04-02"),
            ev("care_plan_completed", "2026-04-09"),
            ev("statutory_visit", "2026-05-12"),
        ],
        expect={
            "england.cla_review": [("2026-09-30", "upcoming", 0, "inferred")],
            "england.care_plan": [],
            "england.placement_plan": [("2026-04-08", "met", 0)],
            "england.cla_visit": [
                ("2026-04-06", "met", 0),
                ("2026-05-14", "met", 0),
                ("2026-06-23", "upcoming", 0),
            ],
        },
        not_evaluated={"england.care_plan": "anchor_not_posted", **NO_REFERRAL},
        why=(
            "Looked after inferred from the foster placement of Mon 30 Mar 2026. cla_review: "
            "became_looked_after not posted, so not 20 WD but the steady step from the "
            "inferred start: 30 Mar + 6 months = Wed 30 Sep (inferred). care_plan: the first "
            "placement_started in the episode is posted, so computed as usual: 30 Mar + 10 "
            "WD: 31 Mar-2 Apr = 3, Fri 3 and Mon 6 Apr skipped, 7-10 = 7, 13-15 = 10 -> Wed "
            "15 Apr; plan 9 Apr. placement_plan: + 5 WD: 31 Mar-2 Apr = 3, 7 Apr = 4, 8 Apr = "
            "5 -> Wed 8 Apr; plan 1 Apr. cla_visit: 30 Mar + 7 = Mon 6 Apr (Easter Monday, "
            "calendar weeks not moved), visit 2 Apr; 2 Apr + 42 = Thu 14 May (12 May); "
            "12 May + 42 = Tue 23 Jun, upcoming."
            " Adjudicated: the looked-after episode began before the posted history, so "
            "its first posted placement may be a move, not the first placement: the care "
            "plan (due 10 WD from the first placement) is not evaluated, anchor_not_posted."
        ),
    ),
    # -- 5. a placement with no placement_type ---------------------------------------------
    Example(
        name="placement-without-type-placement-unknown-visits-from-posted-start",
        authority="england",
        as_of="2026-07-29",
        events=[
            ev("became_looked_after", "2026-04-29"),
            placed("2026-04-29", None),
            ev("care_plan_completed", "2026-04-29"),
            ev("statutory_visit", "2026-05-05"),
            ev("cla_review_held", "2026-05-27"),
            ev("statutory_visit", "2026-06-16"),
        ],
        expect={
            "england.cla_visit.placement_unknown": [
                ("2026-05-06", "met", 0),
                ("2026-06-16", "met", 0),
                ("2026-07-28", "overdue", 1),
            ],
            "england.cla_review": [("2026-05-29", "met", 0), ("2026-08-27", "upcoming", 0)],
            "england.care_plan": [("2026-05-14", "met", 0)],
            "england.cla_visit": [],
            "england.cla_visit.connected_person_temporary": [],
            "england.cla_visit.with_parents": [],
            "england.placement_plan": [],
        },
        not_evaluated={**UNKNOWN_TYPE, **NO_REFERRAL},
        why=(
            "The placement of Wed 29 Apr 2026 says no placement_type. placement_unknown runs "
            "from the POSTED placement start (not inferred): + 7 = Wed 6 May (visit 5 May); "
            "5 May + 42 = Tue 16 Jun (visit 16 Jun, on the day); 16 Jun + 42 = Tue 28 Jul; "
            "overdue by Wed 29 Jul = 1 WD. cla_review: 29 Apr + 20 WD: 30 Apr, 1 May = 2, "
            "Mon 4 May skipped, 5-8 = 6, 11-15 = 11, 18-22 = 16, Mon 25 May skipped, 26-29 = "
            "20 -> Fri 29 May; held 27 May; 27 May + 3 months = Thu 27 Aug. care_plan: 29 Apr "
            "+ 10 WD: 30 Apr, 1 May = 2, 5-8 = 6, 11-14 = 10 -> Thu 14 May; plan 29 Apr. "
            "Type-specific rules: attribute_needed."
        ),
    ),
    Example(
        name="looked-after-inferred-from-untyped-placement",
        authority="south-gloucestershire",
        as_of="2026-12-01",
        events=[
            placed("2026-10-05", None),
            ev("statutory_visit", "2026-10-09"),
            ev("care_plan_completed", "2026-10-16"),
            ev("statutory_visit", "2026-11-20"),
        ],
        expect={
            "england.cla_review": [("2027-04-05", "upcoming", 0, "inferred")],
            "england.cla_visit.placement_unknown": [
                ("2026-10-12", "met", 0),
                ("2026-11-20", "met", 0),
                ("2027-01-01", "upcoming", 0),
            ],
            "england.care_plan": [],
            "england.cla_visit": [],
            "england.placement_plan": [],
        },
        not_evaluated={
            "england.care_plan": "anchor_not_posted",
            "england.cla_visit": "attribute_needed",
            "england.placement_plan": "attribute_needed",
            **NO_REFERRAL,
        },
        why=(
            "Looked after inferred from an untyped placement, Mon 5 Oct 2026. cla_review "
            "steady from the inferred start: 5 Oct + 6 months = Mon 5 Apr 2027 (inferred). "
            "placement_unknown from the posted placement: + 7 = Mon 12 Oct (visit 9 Oct); "
            "9 Oct + 42 = Fri 20 Nov (visit 20 Nov); 20 Nov + 42 = Fri 1 Jan 2027 (New Year's "
            "Day; weeks are not moved). care_plan from the posted first placement: 5 Oct + "
            "10 WD: 6-9 = 4, 12-16 = 9, Mon 19 = 10; plan 16 Oct."
            " Adjudicated: the looked-after episode began before the posted history, so "
            "its first posted placement may be a move, not the first placement: the care "
            "plan (due 10 WD from the first placement) is not evaluated, anchor_not_posted."
        ),
    ),
    # -- 6. care leaver with pathway plan reviews only --------------------------------------
    Example(
        name="care-leaver-inferred-from-reviews-next-review-6-months-after-latest",
        authority="south-gloucestershire",
        as_of="2026-12-07",
        dob="2007-02-10",
        events=[
            ev("pathway_plan_reviewed", "2025-11-20"),
            ev("pathway_plan_reviewed", "2026-05-18"),
            ev("pathway_plan_reviewed", "2026-11-30"),
        ],
        expect={
            "england.pathway_plan_review": [
                ("2026-05-20", "met", 0),
                ("2026-11-18", "met_late", 8),
                ("2027-05-30", "upcoming", 0),
            ],
        },
        not_evaluated=NO_REFERRAL,
        why=(
            "No left_care, no pathway_plan_completed: the care-leaver episode is inferred "
            "from the first review, Thu 20 Nov 2025 (a young person of 18). The anchor "
            "(latest pathway_plan_completed) is not posted and reviews are: steady step "
            "'every six months' from the first of them, which is also the inferred start: "
            "20 Nov + 6 months = Wed 20 May 2026 (inferred), met 18 May; 18 May + 6 months = "
            "Wed 18 Nov; held Mon 30 Nov: late by 19, 20, 23-27, 30 Nov = 8 WD; 30 Nov + 6 "
            "months = Sun 30 May 2027, upcoming."
            " Adjudicated: counted from a posted review (the first satisfying event"
            "), not from a stand-in, so not marked inferred; the schedule says it i"
            "s at its steady step."
        ),
    ),
    # -- 7. case_open rules with no referral posted -----------------------------------------
    Example(
        name="case-open-from-contact-no-referral-referral-rules-not-evaluated",
        authority="england",
        as_of="2026-10-22",
        events=[
            ev("contact_received", "2026-09-14"),
            ev("assessment_started", "2026-09-15"),
            ev("strategy_discussion_held", "2026-09-16"),
            ev("icpc_held", "2026-10-06"),
            ev("cp_plan_started", "2026-10-06"),
            ev("core_group_held", "2026-10-19"),
        ],
        expect={
            "england.referral_decision": [],
            "england.assessment": [],
            "england.icpc": [("2026-10-07", "met", 0)],
            "england.first_core_group": [("2026-10-20", "met", 0)],
            "england.rcpc": [("2027-01-06", "upcoming", 0)],
        },
        not_evaluated=NO_REFERRAL,
        why=(
            "The case opens with a contact; no referral_received is posted. "
            "england.referral_decision ('within one working day of a referral being "
            "received', which: each) and england.assessment ('45 working days from the "
            "point of referral', which: first) are the two rules anchored on "
            "referral_received; both are one-off, so no deadline: anchor_not_posted (an "
            "assessment_started does not stand in for the referral). ICPC: Wed 16 Sep + 15 "
            "WD: 17, 18 = 2, 21-25 = 7, 28 Sep-2 Oct = 12, 5-7 Oct = 15 -> Wed 7 Oct; held "
            "6 Oct. First core group: Tue 6 Oct + 10 WD: 7-9 = 3, 12-16 = 8, 19, 20 = 10 -> "
            "Tue 20 Oct; held 19 Oct. RCPC: 6 Oct + 3 months = Wed 6 Jan 2027."
        ),
    ),
    Example(
        name="case-open-inferred-referral-posted-later-is-counted",
        authority="england",
        as_of="2026-08-03",
        events=[
            ev("cin_plan_reviewed", "2026-02-10"),
            ev("cin_plan_reviewed", "2026-04-14"),
            ev("referral_received", "2026-05-22"),
            ev("referral_decision_made", "2026-05-26"),
            ev("assessment_completed", "2026-07-28"),
        ],
        expect={
            "england.referral_decision": [("2026-05-26", "met", 0)],
            "england.assessment": [("2026-07-27", "met_late", 1)],
        },
        why=(
            "The open case is inferred from its earliest event (CIN review, 10 Feb 2026). "
            "The referral of Fri 22 May is posted, so both referral rules are computed as "
            "usual: decision 22 May + 1 WD: Mon 25 May skipped -> Tue 26 May, made that day. "
            "Assessment 22 May + 45 WD: 26-29 May = 4, 1-5 Jun = 9, 8-12 = 14, 15-19 = 19, "
            "22-26 = 24, 29 Jun-3 Jul = 29, 6-10 = 34, 13-17 = 39, 20-24 = 44, Mon 27 Jul = "
            "45; completed Tue 28 Jul: late by 1 WD."
        ),
    ),
    # -- 8. history_from ---------------------------------------------------------------------
    Example(
        name="history-from-in-care-since-2019-reviews-6-monthly-not-3",
        authority="england",
        as_of="2026-11-23",
        history_from="2026-01-01",
        events=[
            ev("became_looked_after", "2019-06-03"),
            placed("2019-06-03", "foster"),
            ev("placement_agreed_permanent", "2020-03-02"),
            ev("statutory_visit", "2026-02-20"),
            ev("cla_review_held", "2026-03-10"),
            ev("statutory_visit", "2026-05-15"),
            ev("statutory_visit", "2026-08-12"),
            ev("cla_review_held", "2026-09-08"),
        ],
        expect={
            "england.cla_review": [
                ("2026-09-10", "met", 0),
                ("2027-03-08", "upcoming", 0),
            ],
            "england.cla_visit": [
                ("2026-05-20", "met", 0),
                ("2026-08-15", "met", 0),
                ("2026-11-12", "overdue", 7),
            ],
            "england.care_plan": [],
            "england.placement_plan": [],
        },
        not_evaluated={
            "england.care_plan": "history_starts_after_anchor",
            "england.placement_plan": "history_starts_after_anchor",
        },
        why=(
            "history_from 1 Jan 2026. cla_review: first deadline 3 Jun 2019 + 20 WD = 1 Jul "
            "2019, before history_from, with no review posted before it: what happened "
            "between is not known, steady step from history_from: 1 Jan 2026 + 6 months = "
            "Wed 1 Jul (inferred), met by 10 Mar; then 6-monthly, NOT the 3-month second-"
            "review step: 10 Mar + 6 months = Thu 10 Sep, met 8 Sep; 8 Sep + 6 months = Mon "
            "8 Mar 2027. cla_visit (foster, placed 3 Jun 2019): the 1-week visit (10 Jun "
            "2019) has no visit posted, steady step from history_from: 6-weekly-in-first-"
            "year does not hold (2026 is not within a year of 3 Jun 2019); agreed permanent "
            "in this placement (2 Mar 2020): 'at intervals of not more than three months': "
            "1 Jan + 3 months = Wed 1 Apr (inferred), visit 20 Feb; 20 Feb + 3 months = Wed "
            "20 May (15 May); 15 May + 3 months = Sat 15 Aug (12 Aug); 12 Aug + 3 months = "
            "Thu 12 Nov: overdue by 13, 16-20, 23 Nov = 7 WD. One-off deadlines due before "
            "history_from are not judged: care_plan (3 Jun 2019 + 10 WD = 17 Jun 2019) and "
            "placement_plan (+ 5 WD = 10 Jun 2019): history_starts_after_anchor."
        ),
    ),
    Example(
        name="history-from-no-review-since-review-due-6-months-after-history-from",
        authority="england",
        as_of="2026-07-06",
        history_from="2026-01-01",
        events=[
            ev("became_looked_after", "2019-10-07"),
            ev("statutory_visit", "2026-02-09"),
            ev("statutory_visit", "2026-03-20"),
            ev("statutory_visit", "2026-04-30"),
            ev("statutory_visit", "2026-06-11"),
        ],
        expect={
            "england.cla_review": [("2026-07-01", "overdue", 3, "inferred")],
            "england.cla_visit.placement_unknown": [
                ("2026-03-23", "met", 0),
                ("2026-05-01", "met", 0),
                ("2026-06-11", "met", 0),
                ("2026-07-23", "upcoming", 0),
            ],
        },
        why=(
            "In care since Mon 7 Oct 2019, no placement posted (one assumed, type not known). "
            "No review posted at all: the 2019 first-review deadline has no satisfying event, "
            "so steady step from history_from: 1 Jan 2026 + 6 months = Wed 1 Jul (inferred); "
            "overdue by Thu 2, Fri 3, Mon 6 Jul = 3 WD. placement_unknown: the 1-week visit "
            "(14 Oct 2019) has no visit posted: steady 6-weekly from history_from: 1 Jan + "
            "42 = Thu 12 Feb (inferred), visit 9 Feb; 9 Feb + 42 = Mon 23 Mar (20 Mar); "
            "20 Mar + 42 = Fri 1 May (30 Apr); 30 Apr + 42 = Thu 11 Jun (11 Jun, on the day); "
            "11 Jun + 42 = Thu 23 Jul."
        ),
    ),
    Example(
        name="history-from-cp-schedule-met-before-history-runs-on-as-usual",
        authority="england",
        as_of="2026-11-09",
        history_from="2026-01-01",
        events=[
            ev("icpc_held", "2025-08-12"),
            ev("cp_plan_started", "2025-08-12"),
            ev("core_group_held", "2025-08-20"),
            ev("rcpc_held", "2025-11-10"),
            ev("rcpc_held", "2026-05-07"),
        ],
        expect={
            "england.rcpc": [("2026-05-10", "met", 0), ("2026-11-07", "overdue", 1)],
            "england.first_core_group": [],
        },
        not_evaluated={"england.first_core_group": "history_starts_after_anchor"},
        why=(
            "ICPC Tue 12 Aug 2025; first RCPC 12 Aug + 3 months = 12 Nov 2025, met by the "
            "posted RCPC of 10 Nov 2025: before history_from, so not returned, but the "
            "schedule is met by posted events and runs on as usual (not from history_from, "
            "which would give 1 Jul 2026): 10 Nov 2025 + 6 months = Sun 10 May 2026, met "
            "Thu 7 May; 7 May + 6 months = Sat 7 Nov: overdue by Mon 9 Nov = 1 WD. First "
            "core group 12 Aug 2025 + 10 WD (Mon 25 Aug skipped) = 27 Aug 2025, met 20 Aug, "
            "but due before history_from: not judged, history_starts_after_anchor."
        ),
    ),
    Example(
        name="history-from-after-anchor-but-first-deadline-after-history-from-as-usual",
        authority="england",
        as_of="2026-03-02",
        history_from="2026-01-01",
        events=[
            ev("became_looked_after", "2025-12-15"),
            placed("2025-12-15", "foster"),
            ev("statutory_visit", "2025-12-19"),
            ev("care_plan_completed", "2025-12-22"),
            ev("cla_review_held", "2026-01-14"),
            ev("statutory_visit", "2026-01-28"),
        ],
        expect={
            "england.cla_review": [("2026-01-15", "met", 0), ("2026-04-14", "upcoming", 0)],
            "england.cla_visit": [("2026-01-30", "met", 0), ("2026-03-11", "upcoming", 0)],
            "england.care_plan": [],
            "england.placement_plan": [],
        },
        not_evaluated={
            "england.care_plan": "history_starts_after_anchor",
            "england.placement_plan": "history_starts_after_anchor",
        },
        why=(
            "Looked after and placed Mon 15 Dec 2025; history_from 1 Jan 2026. cla_review: "
            "15 Dec + 20 WD: 16-19 = 4, 22-24 = 7, 25, 26 Dec skipped, 29-31 = 10, 1 Jan "
            "skipped, Fri 2 = 11, 5-9 = 16, 12-15 = 20 -> Thu 15 Jan 2026: due after "
            "history_from and no earlier deadline went unmet, so judged as usual: held 14 "
            "Jan; second 'not more than three months after the first': 14 Jan + 3 months = "
            "Tue 14 Apr. cla_visit: 15 Dec + 7 = 22 Dec, met 19 Dec (before history_from, "
            "not returned; the schedule runs on): 19 Dec + 42 = Fri 30 Jan (visit 28 Jan); "
            "28 Jan + 42 = Wed 11 Mar. care_plan (15 Dec + 10 WD = 31 Dec 2025) and "
            "placement_plan (+ 5 WD = 22 Dec 2025) fell due before history_from: "
            "history_starts_after_anchor."
        ),
    ),
    # -- 9. no date of birth ---------------------------------------------------------------
    Example(
        name="no-date-of-birth-only-pathway-needs-assessment-not-evaluated",
        authority="south-gloucestershire",
        as_of="2026-10-01",
        dob=None,
        events=[
            ev("became_looked_after", "2026-08-24"),
            placed("2026-08-24", "foster"),
            ev("placement_plan_completed", "2026-08-24"),
            ev("statutory_visit", "2026-08-28"),
            ev("care_plan_completed", "2026-09-09"),
            ev("cla_review_held", "2026-09-21"),
        ],
        expect={
            "england.care_plan": [("2026-09-08", "met_late", 1)],
            "england.placement_plan": [("2026-09-01", "met", 0)],
            "england.cla_review": [("2026-09-22", "met", 0), ("2026-12-21", "upcoming", 0)],
            "england.cla_visit": [("2026-08-31", "met", 0), ("2026-10-09", "upcoming", 0)],
            "england.pathway_needs_assessment": [],
        },
        not_evaluated={"england.pathway_needs_assessment": "date_of_birth_needed", **NO_REFERRAL},
        why=(
            "No child.date_of_birth: the eligible-child anchor (ages 14 and 16) cannot be "
            "found: pathway_needs_assessment date_of_birth_needed; the rest as usual. Mon 24 "
            "Aug 2026: care_plan + 10 WD: 25-28 = 4, Mon 31 Aug skipped, 1-4 Sep = 8, 7, 8 = "
            "10 -> Tue 8 Sep; completed Wed 9: late 1 WD. placement_plan + 5 WD: 25-28 = 4, "
            "Tue 1 Sep = 5; plan 24 Aug. cla_review + 20 WD: ... 4 Sep = 8, 7-11 = 13, "
            "14-18 = 18, 21, 22 = 20 -> Tue 22 Sep; held 21 Sep; + 3 months = Mon 21 Dec. "
            "cla_visit: + 7 = Mon 31 Aug (bank holiday, weeks not moved), visit 28 Aug; "
            "28 Aug + 42 = Fri 9 Oct."
        ),
    ),
    # -- 10. eligible child ------------------------------------------------------------------
    Example(
        name="eligible-child-entering-care-at-16-and-a-half",
        authority="england",
        as_of="2027-03-15",
        dob="2010-03-10",
        events=[
            ev("became_looked_after", "2026-09-10"),
            placed("2026-09-10", "foster"),
            ev("cla_review_held", "2026-10-07"),
            ev("cla_review_held", "2027-01-07"),
        ],
        expect={
            "england.pathway_needs_assessment": [("2027-03-10", "overdue", 3)],
            "england.cla_review": [
                ("2026-10-08", "met", 0),
                ("2027-01-07", "met", 0),
                ("2027-07-07", "upcoming", 0),
            ],
        },
        why=(
            "Born 10 Mar 2010: 16 on 10 Mar 2026; looked after from Thu 10 Sep 2026 (16 years "
            "6 months). Eligible (reg 40: 13 weeks looked after since 14, aged 16 or 17) on "
            "10 Sep + 91 days = Thu 10 Dec 2026; 'not more than three months after the date "
            "on which C ... becomes an eligible child after that age': 10 Dec + 3 months = "
            "Wed 10 Mar 2027; nothing posted, overdue by 11, 12, 15 Mar = 3 WD. cla_review: "
            "10 Sep + 20 WD: 11 = 1, 14-18 = 6, 21-25 = 11, 28 Sep-2 Oct = 16, 5-8 Oct = 20 "
            "-> Thu 8 Oct; held 7 Oct; + 3 months = Thu 7 Jan 2027, held that day; + 6 "
            "months = Wed 7 Jul 2027."
        ),
    ),
    Example(
        name="eligible-child-in-care-since-13-due-3-months-after-16th-birthday",
        authority="england",
        as_of="2026-09-01",
        dob="2010-05-20",
        events=[
            ev("became_looked_after", "2023-09-01"),
            placed("2023-09-01", "foster"),
            ev("pathway_plan_completed", "2026-08-24"),
        ],
        expect={"england.pathway_needs_assessment": [("2026-08-20", "met_late", 2)]},
        why=(
            "Looked after since 1 Sep 2023 (aged 13), continuously: 13 weeks since the 14th "
            "birthday (20 May 2024) are complete on 19 Aug 2024, so on the 16th birthday, "
            "Wed 20 May 2026, the child is an eligible child: 20 May + 3 months = Thu 20 "
            "Aug 2026; pathway plan Mon 24 Aug: late by Fri 21, Mon 24 = 2 WD."
        ),
    ),
    Example(
        name="looked-after-at-16-less-than-13-weeks-never-eligible",
        authority="england",
        as_of="2026-09-30",
        dob="2010-03-10",
        events=[
            ev("became_looked_after", "2026-06-01"),
            placed("2026-06-01", "foster"),
            ev("care_plan_completed", "2026-06-05"),
            ev("cla_review_held", "2026-06-26"),
            ev("ceased_looked_after", "2026-07-31"),
        ],
        expect={
            "england.pathway_needs_assessment": [],
            "england.cla_review": [("2026-06-29", "met", 0)],
            "england.care_plan": [("2026-06-15", "met", 0)],
        },
        why=(
            "Aged 16 (born 10 Mar 2010), looked after Mon 1 Jun to Fri 31 Jul 2026: 60 days. "
            "The child would have become eligible on 1 Jun + 91 days = 31 Aug, but had left "
            "care: reg 42 never applies, so pathway_needs_assessment sets no deadline (no "
            "deadline is invented after the episode's end). cla_review: 1 Jun + 20 WD: 2-5 = "
            "4, 8-12 = 9, 15-19 = 14, 22-26 = 19, Mon 29 = 20; held 26 Jun; the second (26 "
            "Jun + 3 months = 26 Sep) falls after the episode ended: not returned. "
            "care_plan: 1 Jun + 10 WD: 2-5 = 4, 8-12 = 9, Mon 15 = 10; plan 5 Jun."
        ),
    ),
    # -- 11. short breaks --------------------------------------------------------------------
    Example(
        name="short-breaks-review-3-months-then-6-monthly-no-cla-review",
        authority="england",
        as_of="2026-11-23",
        dob="2009-06-01",
        events=[
            ev("became_looked_after", "2026-02-13"),
            placed("2026-02-13", "short_break"),
            ev("cla_review_held", "2026-05-11"),
            ev("cla_review_held", "2026-11-12"),
        ],
        expect={
            "england.short_break_review": [
                ("2026-05-13", "met", 0),
                ("2026-11-11", "met_late", 1),
                ("2027-05-12", "upcoming", 0),
            ],
            "england.cla_review": [],
            "england.pathway_needs_assessment": [],
        },
        not_evaluated={"england.cla_review": None},
        why=(
            "A series of short breaks from Fri 13 Feb 2026 (one short_break placement). "
            "Reg 48: 'first review ... within three months of the first short break and at "
            "least six monthly from then on': 13 Feb + 3 months = Wed 13 May, held 11 May; "
            "11 May + 6 months = Wed 11 Nov, held Thu 12 Nov: late 1 WD; 12 Nov + 6 months = "
            "Wed 12 May 2027. england.cla_review does not apply to a looked-after episode "
            "whose every placement is a short break: no deadline and not listed. A "
            "short-breaks child is not an eligible child (reg 40(2)): no needs assessment."
        ),
    ),
    # -- 12. section 47 ----------------------------------------------------------------------
    Example(
        name="s47-completed-without-icpc-required-icpc-attribute-needed",
        authority="england",
        as_of="2026-11-23",
        events=[
            ev("referral_received", "2026-10-12"),
            ev("referral_decision_made", "2026-10-13"),
            ev("strategy_discussion_held", "2026-10-14"),
            ev("s47_completed", "2026-10-30"),
        ],
        expect={
            "england.icpc": [],
            "england.referral_decision": [("2026-10-13", "met", 0)],
            "england.assessment": [("2026-12-14", "upcoming", 0)],
        },
        not_evaluated={"england.icpc": "attribute_needed"},
        why=(
            "The enquiry opened at the strategy discussion of Wed 14 Oct (ICPC would be due "
            "+ 15 WD = Wed 4 Nov) and s47_completed on Fri 30 Oct does not say icpc_required: "
            "it ends the enquiry, and the outstanding ICPC deadline is listed attribute_needed, "
            "not returned. Referral Mon 12 Oct + 1 WD = Tue 13 Oct, decided that day. "
            "Assessment 12 Oct + 45 WD: 13-16 = 4, 19-23 = 9, 26-30 = 14, 2-6 Nov = 19, "
            "9-13 = 24, 16-20 = 29, 23-27 = 34, 30 Nov-4 Dec = 39, 7-11 = 44, Mon 14 Dec = 45."
        ),
    ),
    Example(
        name="s47-completed-icpc-required-icpc-held-late-over-christmas",
        authority="england",
        as_of="2027-01-20",
        events=[
            ev("strategy_discussion_held", "2026-12-07"),
            ev("s47_completed", "2026-12-18", attributes={"icpc_required": True}),
            ev("icpc_held", "2027-01-05"),
            ev("cp_plan_started", "2027-01-05"),
            ev("core_group_held", "2027-01-19"),
        ],
        expect={
            "england.icpc": [("2026-12-30", "met_late", 3)],
            "england.first_core_group": [("2027-01-19", "met", 0)],
            "england.rcpc": [("2027-04-05", "upcoming", 0)],
        },
        not_evaluated=NO_REFERRAL,
        why=(
            "icpc_required: true: the enquiry runs on to its conference. Mon 7 Dec + 15 WD: "
            "8-11 = 4, 14-18 = 9, 21-24 = 13, Fri 25 and Mon 28 skipped, 29, 30 = 15 -> Wed "
            "30 Dec; ICPC Tue 5 Jan 2027: late by Thu 31 Dec, (Fri 1 Jan skipped), Mon 4, "
            "Tue 5 = 3 WD. First core group Tue 5 Jan + 10 WD: 6-8 = 3, 11-15 = 8, 18, 19 = "
            "10 -> Tue 19 Jan, held that day. RCPC 5 Jan + 3 months = Mon 5 Apr 2027."
        ),
    ),
    Example(
        name="s47-completed-icpc-not-required-no-icpc-deadline-not-listed",
        authority="south-gloucestershire",
        as_of="2026-07-01",
        events=[
            ev("referral_received", "2026-05-29"),
            ev("referral_decision_made", "2026-06-01"),
            ev("strategy_discussion_held", "2026-06-01"),
            ev("s47_completed", "2026-06-10", attributes={"icpc_required": False}),
            ev("assessment_completed", "2026-06-26"),
        ],
        expect={
            "england.icpc": [],
            "england.referral_decision": [("2026-06-01", "met", 0)],
            "england.assessment": [("2026-07-31", "met", 0)],
        },
        not_evaluated={"england.icpc": None},
        why=(
            "The enquiry (Mon 1 Jun) ends at s47_completed Wed 10 Jun with icpc_required: "
            "false: no conference follows, the ICPC deadline (1 Jun + 15 WD = 22 Jun) it left "
            "outstanding no longer applies: no deadline, not listed. Referral Fri 29 May + "
            "1 WD = Mon 1 Jun, decided that day. Assessment 29 May + 45 WD: 1-5 Jun = 5, "
            "8-12 = 10, 15-19 = 15, 22-26 = 20, 29 Jun-3 Jul = 25, 6-10 = 30, 13-17 = 35, "
            "20-24 = 40, 27-31 = 45 -> Fri 31 Jul; completed 26 Jun."
        ),
    ),
    # -- 13. adoption ------------------------------------------------------------------------
    Example(
        name="adoption-visits-weekly-until-a-late-first-review-then-stop",
        authority="england",
        as_of="2026-05-05",
        events=[
            ev("became_looked_after", "2025-06-02"),
            placed("2026-03-02", "placed_for_adoption"),
            ev("statutory_visit", "2026-03-06"),
            ev("statutory_visit", "2026-03-13"),
            ev("statutory_visit", "2026-03-20"),
            ev("statutory_visit", "2026-03-27"),
            ev("statutory_visit", "2026-04-02"),
            ev("statutory_visit", "2026-04-09"),
            ev("adoption_review_held", "2026-04-14"),
            ev("statutory_visit", "2026-04-15"),
            ev("statutory_visit", "2026-04-29"),
        ],
        expect={
            "england.adoption_visit": [
                ("2026-03-09", "met", 0),
                ("2026-03-13", "met", 0),
                ("2026-03-20", "met", 0),
                ("2026-03-27", "met", 0),
                ("2026-04-03", "met", 0),
                ("2026-04-09", "met", 0),
                ("2026-04-16", "met", 0),
            ],
            "england.adoption_review": [
                ("2026-03-30", "met_late", 9),
                ("2026-07-14", "upcoming", 0),
            ],
        },
        why=(
            "Placed for adoption Mon 2 Mar 2026. 'visited within one week of the placement "
            "and thereafter at least once a week until the first review': + 7 = 9 Mar (visit "
            "6 Mar); 13 Mar (13); 20 Mar (20); 27 Mar (27); 27 Mar + 7 = Fri 3 Apr (visit "
            "2 Apr); 9 Apr (9 Apr); no review had happened by the 9 Apr visit, so weekly "
            "again: 16 Apr, met 15 Apr; the review was held 14 Apr, so after the 15 Apr visit "
            "no step applies ('such frequency as the agency decides'): the schedule stops, "
            "the 29 Apr visit meets nothing. The late review does not stop the weekly visits "
            "at 4 weeks. Review: 2 Mar + 28 days = Mon 30 Mar; held Tue 14 Apr: late by 31 "
            "Mar, 1, 2 Apr, (3 and 6 Apr skipped), 7-10, 13, 14 Apr = 9 WD; second 'not more "
            "than 3 months after the first review': 14 Apr + 3 months = Tue 14 Jul."
        ),
    ),
    Example(
        name="adoption-placement-ended-by-foster-placement-no-further-adoption-deadlines",
        authority="england",
        as_of="2026-08-03",
        events=[
            ev("became_looked_after", "2025-09-01"),
            placed("2026-06-01", "placed_for_adoption"),
            ev("statutory_visit", "2026-06-05"),
            ev("statutory_visit", "2026-06-12"),
            ev("statutory_visit", "2026-06-18"),
            ev("adoption_review_held", "2026-06-24"),
            ev("statutory_visit", "2026-06-25"),
            placed("2026-07-13", "foster"),
            ev("statutory_visit", "2026-07-16"),
        ],
        expect={
            "england.adoption_visit": [
                ("2026-06-08", "met", 0),
                ("2026-06-12", "met", 0),
                ("2026-06-19", "met", 0),
                ("2026-06-25", "met", 0),
            ],
            "england.adoption_review": [("2026-06-29", "met", 0)],
            "england.cla_visit": [("2026-07-20", "met", 0), ("2026-08-27", "upcoming", 0)],
        },
        why=(
            "Placed for adoption Mon 1 Jun 2026: visits + 7 = 8 Jun (5 Jun); 12 Jun (12 Jun); "
            "19 Jun (18 Jun); 18 Jun + 7 = Thu 25 Jun (25 Jun; the review of 24 Jun came "
            "after the 18 Jun visit, so this weekly deadline stands); review held by 25 Jun: "
            "no further step. Review: 1 Jun + 28 days = Mon 29 Jun, held 24 Jun; the second "
            "(24 Jun + 3 months = 24 Sep) was outstanding when the foster placement of Mon 13 "
            "Jul ended the placement for adoption: not returned. The foster placement is not "
            "placed_for_adoption, so it opens no adoption clock; it starts cla_visit: + 7 = "
            "Mon 20 Jul (visit 16 Jul); 16 Jul + 42 = Thu 27 Aug."
        ),
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[x.name for x in EXAMPLES])
def test_worked_example(example):
    check(example)

"""Partial histories, history_from and the account of what was not evaluated, for the
local rules of Sunderland, West Sussex, Gloucestershire and Redcar & Cleveland, with the
england rows for the same requirement beside them: hand-checked worked examples (issue 7).
Counted by hand from the source words; the `why` of each row is the count.

Readings of app/data/rules/README.md ("When the schedule's start is not in the history")
used throughout, so that every row below follows from the same few sentences:

* An episode inferred from an event opens on that event's date (S). When the rule's
  anchor is the episode's own start or opening event and is not posted, the schedule
  is taken at its steady step counted from S: the first deadline is S + the steady
  step and says "inferred". That bullet is applied before the one that counts from the
  first satisfying event; so a satisfying event posted after S meets the S-based
  deadline, and the schedule runs on from it as usual.
* The event an episode is inferred from stands in for the anchor, so (like an anchor)
  it never meets the first deadline counted from it, even when it is itself a
  satisfying event (a core group that infers the plan does not meet the core group
  deadline counted from its own date). Otherwise two deadlines would fall on one date.
* When the anchor is not posted and is not the episode's start or opening event (an
  early help plan, an Early Help Assessment, a pathway plan), the schedule is taken at
  its steady step from the first posted satisfying event; that deadline is counted from
  a posted event, so it does not say "inferred".
* A one-off rule whose anchor is not posted sets no deadline: anchor_not_posted. In an
  inferred looked-after episode a one-off rule with `otherwise: episode_start`
  (england.care_plan, Sunderland cla_review and pep) has no posted start to fall back
  on either, so it is not evaluated (anchor_not_posted) rather than counted from S.
* Months use relativedelta; weeks are 7 days; "N WD" counts working days from day 0;
  overdue / met_late days are working days in (due, as_of] / (due, met date].
"""

import pytest

from tests.engine_helpers import Example, check, ev, placed

CARE_LEAVER_DOB = "2007-06-15"  # 18 until 15 Jun 2026; 20 on 15 Jun 2027, 21 on 15 Jun 2028

EXAMPLES = [
    # -------------------------------------------------------------------------------
    # 1. Rules in the open case, with no referral or contact posted
    # -------------------------------------------------------------------------------
    Example(
        name="sunderland-open-case-inferred-from-a-visit-case-notes-chronology-summary",
        authority="together-for-children-sunderland",
        as_of="2027-02-22",
        events=[
            ev("statutory_visit", "2026-12-21"),
            ev("statutory_visit", "2026-12-24"),
            ev("case_note_recorded", "2026-12-29"),
            ev("chronology_updated", "2027-01-08"),
            ev("chronology_updated", "2027-02-10"),
        ],
        expect={
            "together-for-children-sunderland.case_recording": [
                ("2026-12-24", "met_late", 1),
                ("2026-12-31", "met", 0),
            ],
            "together-for-children-sunderland.chronology_update": [
                ("2027-02-08", "met_late", 2),
                ("2027-03-10", "upcoming", 0),
            ],
            "together-for-children-sunderland.case_summary_update": [
                ("2027-03-21", "upcoming", 0, "inferred"),
            ],
            "together-for-children-sunderland.genogram": [],
            "england.referral_decision": [],
            "england.assessment": [],
        },
        not_evaluated={
            "together-for-children-sunderland.genogram": "anchor_not_posted",
            "together-for-children-sunderland.assessment_update": "anchor_not_posted",
            "england.referral_decision": "anchor_not_posted",
            "england.assessment": "anchor_not_posted",
        },
        why=(
            "No referral or contact: the open case is inferred from the earliest event, the "
            "visit of Mon 21 Dec 2026 (S). Case recording (3 WD of each visit, anchors posted, "
            "not inferred): visit Mon 21 Dec + 3 WD: 22, 23, 24 -> Thu 24 Dec; visit Thu 24 Dec "
            "+ 3 WD: (25 Dec and 28 Dec bank holidays, 26-27 weekend) 29, 30, 31 -> Thu 31 Dec. "
            "The one note of Tue 29 Dec meets both (shared satisfier): the first met_late, WD "
            "in (24 Dec, 29 Dec] = 29 only = 1; the second met. Chronology monthly, anchor "
            "(first referral) not posted: steady step from S: 21 Dec + 1 month = Thu 21 Jan "
            "2027 (inferred), met by 8 Jan; 8 Jan + 1 month = Mon 8 Feb, update Wed 10 Feb "
            "met_late, WD (8 Feb, 10 Feb] = 9, 10 = 2; 10 Feb + 1 month = Wed 10 Mar upcoming. "
            "Case summary 3-monthly, none posted: 21 Dec + 3 months = Sun 21 Mar 2027 "
            "(inferred) upcoming. One-off rules counted from the referral (genogram, "
            "england.referral_decision, england.assessment) set nothing: anchor_not_posted; "
            "the annual assessment update has no assessment posted at all."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="sunderland-open-case-inferred-from-a-case-summary-steady-from-the-latest-update",
        authority="together-for-children-sunderland",
        as_of="2026-05-11",
        events=[
            ev("case_summary_updated", "2026-02-03"),
            ev("chronology_updated", "2026-03-03"),
            ev("chronology_updated", "2026-04-02"),
            ev("statutory_visit", "2026-04-29"),
            ev("case_summary_updated", "2026-04-30"),
            ev("chronology_updated", "2026-05-05"),
        ],
        expect={
            "together-for-children-sunderland.case_summary_update": [
                ("2026-05-03", "met", 0, "inferred"),
                ("2026-07-30", "upcoming", 0),
            ],
            "together-for-children-sunderland.chronology_update": [
                ("2026-04-03", "met", 0),
                ("2026-05-02", "met_late", 1),
                ("2026-06-05", "upcoming", 0),
            ],
            "together-for-children-sunderland.case_recording": [
                ("2026-05-05", "overdue", 4),
            ],
        },
        not_evaluated={"together-for-children-sunderland.genogram": "anchor_not_posted"},
        why=(
            "The open case is inferred from the case summary of Tue 3 Feb 2026 (S). Case "
            "summary, steady step 3 months from S: Sun 3 May (inferred); the summary of 3 Feb "
            "stands in for the anchor and does not meet it; met by the update of Thu 30 Apr; "
            "then 30 Apr + 3 months = Thu 30 Jul upcoming. Chronology, steady 1 month from S: "
            "Tue 3 Mar (inferred) met by the update that day; 3 Mar + 1 month = Fri 3 Apr "
            "(Good Friday, calendar months) met by Thu 2 Apr; 2 Apr + 1 month = Sat 2 May, "
            "update Tue 5 May met_late, WD (2 May, 5 May] = (3 Sun, 4 May bank holiday) 5 = 1; "
            "5 May + 1 month = Fri 5 Jun upcoming. Visit Wed 29 Apr + 3 WD: 30 Apr, 1 May, "
            "(4 May bank holiday) 5 May -> Tue 5 May, no case note: overdue, WD (5 May, "
            "11 May] = 6, 7, 8, 11 = 4."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="sunderland-icpc-report-for-a-case-with-no-referral",
        authority="together-for-children-sunderland",
        as_of="2027-01-04",
        events=[
            ev("strategy_discussion_held", "2026-12-07"),
            ev("conference_report_shared", "2026-12-24"),
            ev("icpc_held", "2026-12-30"),
        ],
        expect={
            "together-for-children-sunderland.icpc_report_shared": [
                ("2026-12-23", "met_late", 1),
            ],
            "together-for-children-sunderland.icpc": [("2026-12-30", "met", 0)],
            "england.icpc": [("2026-12-30", "met", 0)],
            "together-for-children-sunderland.chronology_update": [
                ("2027-01-07", "upcoming", 0, "inferred"),
            ],
            "together-for-children-sunderland.case_summary_update": [
                ("2027-03-07", "upcoming", 0, "inferred"),
            ],
        },
        not_evaluated={
            "together-for-children-sunderland.genogram": "anchor_not_posted",
            "england.referral_decision": "anchor_not_posted",
        },
        why=(
            "No referral: the open case is inferred from the strategy discussion of Mon 7 Dec "
            "2026 (S), which also starts the section 47 enquiry. ICPC 15 WD: Dec 8-11 = 4, "
            "14-18 = 9, 21-24 = 13, (25, 28 bank holidays) 29 = 14, 30 = 15 -> Wed 30 Dec, held "
            "that day: met (england and Sunderland). The report is due 3 WD before the ICPC "
            "(the icpc_report_shared rule lives in the open case, which is open): back from "
            "Wed 30 Dec: Tue 29 = 1, (Mon 28, Fri 25 holidays) Thu 24 = 2, Wed 23 = 3 -> Wed "
            "23 Dec; shared Thu 24 Dec, before the conference: met_late, WD (23 Dec, 24 Dec] "
            "= 1. Chronology steady from S: 7 Dec + 1 month = Thu 7 Jan 2027 (inferred); case "
            "summary 7 Dec + 3 months = Sun 7 Mar 2027 (inferred); both upcoming."
        ),
    ),
    Example(
        name="gloucestershire-open-case-inferred-cin-visit-and-summary-from-the-inferred-start",
        authority="gloucestershire",
        as_of="2026-06-22",
        events=[
            ev("assessment_started", "2026-04-13"),
            ev("statutory_visit", "2026-05-07"),
            ev("case_summary_updated", "2026-05-11"),
            ev("statutory_visit", "2026-06-05"),
            ev("case_summary_updated", "2026-06-10"),
        ],
        expect={
            "gloucestershire.cin_visit": [
                ("2026-06-05", "met", 0),
                ("2026-07-03", "upcoming", 0),
            ],
            "gloucestershire.case_summary_update": [
                ("2026-06-11", "met", 0),
                ("2026-07-10", "upcoming", 0),
            ],
            "gloucestershire.cin_initial_visit": [],
            "gloucestershire.assessment": [],
            "england.assessment": [],
        },
        not_evaluated={
            "gloucestershire.cin_initial_visit": "anchor_not_posted",
            "gloucestershire.assessment": "anchor_not_posted",
            "england.assessment": "anchor_not_posted",
            "england.referral_decision": "anchor_not_posted",
        },
        why=(
            "Open case inferred from the earliest event, assessment started Mon 13 Apr 2026 "
            "(S). cin_visit is 10 days from the referral then every 20 WD; the referral is not "
            "posted, so the first offset is taken as used and the 20 WD step runs from S: "
            "Apr 14-17 = 4, 20-24 = 9, 27-30 = 13, May 1 = 14, (4 May holiday) 5-8 = 18, "
            "11 = 19, 12 = 20 -> Tue 12 May (inferred), met by the visit of Thu 7 May; 7 May "
            "+ 20 WD: 8 = 1, 11-15 = 6, 18-22 = 11, (25 May holiday) 26-29 = 15, Jun 1-5 = 20 "
            "-> Fri 5 Jun, visited that day: met; 5 Jun + 20 WD: 8-12 = 5, 15-19 = 10, "
            "22-26 = 15, 29-30 = 17, Jul 1-3 = 20 -> Fri 3 Jul upcoming. Case summary monthly "
            "from S: Wed 13 May (inferred) met 11 May; Thu 11 Jun met 10 Jun; Fri 10 Jul "
            "upcoming. cin_initial_visit (5 days of referral) and the 45 WD assessment are "
            "one-off rules from a referral that is not posted: anchor_not_posted."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="gloucestershire-open-case-no-visit-posted-cin-visit-overdue-from-the-inferred-start",
        authority="gloucestershire",
        as_of="2026-09-16",
        events=[ev("case_summary_updated", "2026-08-17")],
        expect={
            "gloucestershire.cin_visit": [("2026-09-15", "overdue", 1, "inferred")],
            "gloucestershire.case_summary_update": [("2026-09-17", "upcoming", 0, "inferred")],
            "gloucestershire.cin_initial_visit": [],
        },
        not_evaluated={"gloucestershire.cin_initial_visit": "anchor_not_posted"},
        why=(
            "Open case inferred from the case summary of Mon 17 Aug 2026 (S); no visit posted. "
            "cin_visit steady 20 WD from S: Aug 18-21 = 4, 24-28 = 9, (31 Aug holiday) "
            "Sep 1-4 = 13, 7-11 = 18, 14 = 19, 15 = 20 -> Tue 15 Sep (inferred); no visit: "
            "overdue, WD (15 Sep, 16 Sep] = 1. Case summary monthly from S: Thu 17 Sep "
            "(inferred), the summary of 17 Aug being the stand-in for the anchor: upcoming. "
            "cin_initial_visit is one-off: anchor_not_posted."
        ),
    ),
    Example(
        name="redcar-open-case-inferred-from-an-allocation-chronology-and-summary",
        authority="redcar-and-cleveland",
        as_of="2027-03-31",
        events=[
            ev("case_allocated", "2026-12-23"),
            ev("case_supervision_held", "2026-12-29"),
            ev("chronology_updated", "2027-01-22"),
            ev("chronology_updated", "2027-02-25"),
            ev("case_summary_updated", "2027-03-19"),
        ],
        expect={
            "redcar-and-cleveland.chronology_update": [
                ("2027-02-22", "met_late", 3),
                ("2027-03-25", "overdue", 2),
            ],
            "redcar-and-cleveland.case_summary_update": [
                ("2027-06-19", "upcoming", 0),
            ],
            "redcar-and-cleveland.case_supervision.allocation": [("2026-12-29", "met", 0)],
            "redcar-and-cleveland.referral_decision": [],
            "redcar-and-cleveland.assessment": [],
            "england.referral_decision": [],
            "england.assessment": [],
        },
        not_evaluated={
            "redcar-and-cleveland.referral_decision": "anchor_not_posted",
            "redcar-and-cleveland.referral_decision.contact": "anchor_not_posted",
            "redcar-and-cleveland.assessment": "anchor_not_posted",
            "redcar-and-cleveland.genogram": "anchor_not_posted",
            "redcar-and-cleveland.family_network_meeting": "anchor_not_posted",
            "redcar-and-cleveland.chronology_update.end_of_assessment": "anchor_not_posted",
            "england.referral_decision": "anchor_not_posted",
            "england.assessment": "anchor_not_posted",
        },
        why=(
            "Open case inferred from the allocation of Wed 23 Dec 2026 (S). Allocation "
            "supervision 2 WD (anchor posted): 24 Dec = 1, (25, 28 holidays) 29 Dec = 2 -> Tue "
            "29 Dec, held that day: met. Chronology monthly, steady from S: 23 Dec + 1 month = "
            "Sat 23 Jan 2027 (inferred) met by 22 Jan; 22 Jan + 1 month = Mon 22 Feb, update "
            "Thu 25 Feb met_late, WD (22 Feb, 25 Feb] = 23, 24, 25 = 3; 25 Feb + 1 month = Thu "
            "25 Mar, none since: overdue, WD (25 Mar, 31 Mar] = (26 Mar Good Friday, 29 Mar "
            "Easter Monday) 30, 31 = 2. Case summary 3-monthly from S: Tue 23 Mar (inferred) "
            "met by Fri 19 Mar; 19 Mar + 3 months = Sat 19 Jun upcoming. The one-off rules "
            "counted from a referral or contact set nothing (anchor_not_posted), england and "
            "local alike."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="west-sussex-open-case-inferred-allocation-not-evaluated-assessment-update-runs",
        authority="west-sussex",
        as_of="2026-11-16",
        events=[
            ev("statutory_visit", "2026-03-02"),
            ev("case_allocated", "2026-03-03"),
            ev("assessment_completed", "2026-04-30"),
            ev("assessment_completed", "2026-11-02"),
        ],
        expect={
            "west-sussex.assessment_update": [
                ("2026-10-30", "met_late", 1),
                ("2027-05-02", "upcoming", 0),
            ],
            "west-sussex.case_allocation": [],
            "england.assessment": [],
        },
        not_evaluated={
            "west-sussex.case_allocation": "anchor_not_posted",
            "england.assessment": "anchor_not_posted",
            "england.referral_decision": "anchor_not_posted",
        },
        why=(
            "Open case inferred from the visit of Mon 2 Mar 2026. Case allocation is due 24 "
            "hours from the referral: the referral is not posted and the rule is one-off, so "
            "the allocation of 3 Mar judges nothing: anchor_not_posted (so too the england 45 "
            "WD assessment and referral decision). The assessment update is anchored on the "
            "first assessment_completed, which is posted: Thu 30 Apr + 6 months = Fri 30 Oct "
            "(not inferred); the next assessment, Mon 2 Nov, is met_late, WD (30 Oct, 2 Nov] "
            "= 1; 2 Nov + 6 months = Sun 2 May 2027 upcoming."
        ),
    ),
    # -------------------------------------------------------------------------------
    # 2. A child protection plan with no ICPC or plan start posted
    # -------------------------------------------------------------------------------
    Example(
        name="sunderland-cp-plan-inferred-from-an-rcpc-steady-review-and-core-groups",
        authority="together-for-children-sunderland",
        as_of="2026-07-20",
        events=[
            ev("rcpc_held", "2026-04-14"),
            ev("core_group_held", "2026-05-12"),
            ev("core_group_held", "2026-06-09"),
            ev("core_group_held", "2026-07-08"),
        ],
        expect={
            "together-for-children-sunderland.rcpc": [("2026-10-14", "upcoming", 0, "inferred")],
            "england.rcpc": [("2026-10-14", "upcoming", 0, "inferred")],
            "together-for-children-sunderland.core_group": [
                ("2026-06-09", "met", 0),
                ("2026-07-07", "met_late", 1),
                ("2026-08-05", "upcoming", 0),
            ],
            "together-for-children-sunderland.first_core_group": [],
            "england.first_core_group": [],
        },
        not_evaluated={
            "together-for-children-sunderland.first_core_group": "anchor_not_posted",
            "england.first_core_group": "anchor_not_posted",
        },
        why=(
            "The plan is inferred from the review conference of Tue 14 Apr 2026 (S); the ICPC "
            "that opened it is not posted. Review conferences (3 months from the ICPC, then "
            "6-monthly): steady step 6 months from S = Wed 14 Oct (inferred), the RCPC of "
            "14 Apr being the stand-in for the anchor; upcoming, england and Sunderland alike. "
            "Core groups 4-weekly from the first posted core group (anchor posted, not "
            "inferred): Tue 12 May + 28 days = Tue 9 Jun, met that day; 9 Jun + 28 = Tue 7 Jul, "
            "held Wed 8 Jul: met_late, WD (7 Jul, 8 Jul] = 1; 8 Jul + 28 = Wed 5 Aug upcoming. "
            "The first core group (10 WD of the ICPC) is one-off from an ICPC not posted: "
            "anchor_not_posted."
        ),
    ),
    Example(
        name="sunderland-cp-plan-inferred-from-a-core-group-reports-before-posted-and-booked-rcpcs",
        authority="together-for-children-sunderland",
        as_of="2026-03-23",
        events=[
            ev("core_group_held", "2025-12-04"),
            ev("core_group_held", "2025-12-30"),
            ev("conference_report_shared", "2026-01-21"),
            ev("core_group_held", "2026-01-27"),
            ev("rcpc_held", "2026-01-29"),
            ev("core_group_held", "2026-02-25"),
            ev("rcpc_held", "2026-04-08", scheduled=True),
        ],
        expect={
            "together-for-children-sunderland.rcpc_report_shared": [
                ("2026-01-22", "met", 0),
                ("2026-03-30", "upcoming", 0),
            ],
            "together-for-children-sunderland.rcpc": [
                ("2026-07-29", "upcoming", 0),
            ],
            "england.rcpc": [
                ("2026-07-29", "upcoming", 0),
            ],
            "together-for-children-sunderland.core_group": [
                ("2026-01-01", "met", 0),
                ("2026-01-27", "met", 0),
                ("2026-02-24", "met_late", 1),
                ("2026-03-25", "upcoming", 0),
            ],
            "together-for-children-sunderland.first_core_group": [],
            "england.first_core_group": [],
        },
        not_evaluated={
            "together-for-children-sunderland.first_core_group": "anchor_not_posted",
            "england.first_core_group": "anchor_not_posted",
        },
        why=(
            "Plan inferred from the core group of Thu 4 Dec 2025 (S). Report 5 WD before each "
            "posted RCPC: Thu 29 Jan 2026 back 28, 27, 26, 23, 22 -> Thu 22 Jan, shared Wed "
            "21 Jan (no earlier conference posted): met; the booked RCPC Wed 8 Apr (scheduled: "
            "an anchor for a before rule, never a satisfier) back Tue 7 = 1, (Mon 6 Easter "
            "Monday, Fri 3 Good Friday) Thu 2 = 2, Wed 1 = 3, Tue 31 Mar = 4, Mon 30 Mar = 5 "
            "-> Mon 30 Mar, nothing shared since 29 Jan: upcoming. RCPC steady 6 months from "
            "S: Thu 4 Jun 2026 (inferred), met by the RCPC of 29 Jan; 29 Jan + 6 months = Wed "
            "29 Jul upcoming (the booked 8 Apr review does not meet it). Core groups from the "
            "first posted one: 4 Dec + 28 = Thu 1 Jan, met 30 Dec; 30 Dec + 28 = Tue 27 Jan, "
            "met that day; 27 Jan + 28 = Tue 24 Feb, held Wed 25 Feb met_late WD 1; 25 Feb + "
            "28 = Wed 25 Mar upcoming."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="gloucestershire-cp-plan-inferred-from-an-rcpc-visits-and-supervision",
        authority="gloucestershire",
        as_of="2027-01-18",
        events=[
            ev("rcpc_held", "2026-12-10"),
            ev("statutory_visit", "2026-12-21"),
            ev("case_supervision_held", "2027-01-05"),
            ev("statutory_visit", "2027-01-12"),
        ],
        expect={
            "gloucestershire.cp_visit": [
                ("2027-01-07", "met_late", 3),
                ("2027-01-26", "upcoming", 0),
            ],
            "gloucestershire.case_supervision.cp": [
                ("2027-03-05", "upcoming", 0),
            ],
            "england.rcpc": [("2027-06-10", "upcoming", 0, "inferred")],
            "gloucestershire.first_core_group": [],
            "england.first_core_group": [],
        },
        not_evaluated={
            "gloucestershire.first_core_group": "anchor_not_posted",
            "england.first_core_group": "anchor_not_posted",
        },
        why=(
            "Plan inferred from the RCPC of Thu 10 Dec 2026 (S). cp_visit (48 hours of the "
            "ICPC, then every 10 WD): steady 10 WD from S: Dec 11 = 1, 14-18 = 6, 21-24 = 10 "
            "-> Thu 24 Dec (inferred), met by the visit of Mon 21 Dec; 21 Dec + 10 WD: 22, 23, "
            "24 = 3, (25, 28 holidays) 29, 30, 31 = 6, (1 Jan holiday) Jan 4, 5, 6, 7 = 10 -> "
            "Thu 7 Jan 2027; visit Tue 12 Jan met_late, WD (7 Jan, 12 Jan] = 8, 11, 12 = 3; "
            "12 Jan + 10 WD = Tue 26 Jan upcoming. Supervision 2-monthly from S: Wed 10 Feb "
            "(inferred) met by 5 Jan; 5 Jan + 2 months = Fri 5 Mar upcoming. england.rcpc "
            "steady 6 months from S: Thu 10 Jun 2027 (inferred). First core group (10 WD of "
            "the ICPC, one-off): anchor_not_posted."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="gloucestershire-cp-plan-inferred-from-a-core-group-no-visit-overdue-over-august-holiday",
        authority="gloucestershire",
        as_of="2026-09-07",
        events=[ev("core_group_held", "2026-08-17")],
        expect={
            "gloucestershire.cp_visit": [("2026-09-01", "overdue", 4, "inferred")],
            "gloucestershire.case_supervision.cp": [("2026-10-17", "upcoming", 0, "inferred")],
            "england.rcpc": [("2027-02-17", "upcoming", 0, "inferred")],
            "gloucestershire.first_core_group": [],
        },
        not_evaluated={
            "gloucestershire.first_core_group": "anchor_not_posted",
            "england.first_core_group": "anchor_not_posted",
        },
        why=(
            "Plan inferred from the core group of Mon 17 Aug 2026 (S); no visit posted. "
            "cp_visit steady 10 WD from S: Aug 18-21 = 4, 24-28 = 9, (Mon 31 Aug bank "
            "holiday) Sep 1 = 10 -> Tue 1 Sep (inferred): overdue, WD (1 Sep, 7 Sep] = 2, 3, "
            "4, 7 = 4. Supervision 2 months from S: Sat 17 Oct (inferred). england.rcpc "
            "6 months from S: Wed 17 Feb 2027 (inferred). The core group that inferred the plan "
            "cannot meet the first core group rule, whose ICPC anchor is not posted."
        ),
    ),
    Example(
        name="redcar-cp-plan-inferred-from-a-core-group-visits-core-groups-supervision",
        authority="redcar-and-cleveland",
        as_of="2026-11-16",
        events=[
            ev("core_group_held", "2026-10-06"),
            ev("statutory_visit", "2026-10-14"),
            ev("statutory_visit", "2026-10-29"),
            ev("case_supervision_held", "2026-11-02"),
            ev("core_group_held", "2026-11-03"),
        ],
        expect={
            "redcar-and-cleveland.cp_visit": [
                ("2026-10-28", "met_late", 1),
                ("2026-11-12", "overdue", 2),
            ],
            "redcar-and-cleveland.core_group": [
                ("2026-11-03", "met", 0, "inferred"),
                ("2026-12-01", "upcoming", 0),
            ],
            "redcar-and-cleveland.case_supervision.cp": [
                ("2026-11-30", "upcoming", 0),
            ],
            "england.rcpc": [("2027-04-06", "upcoming", 0, "inferred")],
            "england.first_core_group": [],
        },
        not_evaluated={"england.first_core_group": "anchor_not_posted"},
        why=(
            "Plan inferred from the core group of Tue 6 Oct 2026 (S); no cp_plan_started. "
            "cp_visit steady 10 WD from S: Oct 7-9 = 3, 12-16 = 8, 19, 20 = 10 -> Tue 20 Oct "
            "(inferred), met by Wed 14 Oct; 14 Oct + 10 WD: 15, 16 = 2, 19-23 = 7, 26, 27, 28 "
            "= 10 -> Wed 28 Oct, visit Thu 29 Oct met_late WD 1; 29 Oct + 10 WD: 30 = 1, "
            "Nov 2-6 = 6, 9-12 = 10 -> Thu 12 Nov, no visit since: overdue, WD (12 Nov, "
            "16 Nov] = 13, 16 = 2. Core groups (4 weeks from the plan start, then from the "
            "latest): steady 28 days from S = Tue 3 Nov (inferred); the core group of 6 Oct "
            "is the stand-in for the anchor, so the one of 3 Nov meets it; then 3 Nov + 28 = "
            "Tue 1 Dec upcoming. Supervision 4-weekly from S: Tue 3 Nov (inferred) met by "
            "Mon 2 Nov; 2 Nov + 28 = Mon 30 Nov upcoming. england.rcpc 6 months from S: Tue "
            "6 Apr 2027 (inferred)."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    # -------------------------------------------------------------------------------
    # 3. A looked-after child whose became_looked_after is not posted
    # -------------------------------------------------------------------------------
    Example(
        name="gloucestershire-looked-after-inferred-from-a-review-reviews-and-supervision",
        authority="gloucestershire",
        as_of="2026-09-07",
        events=[
            ev("cla_review_held", "2026-03-03"),
            ev("case_supervision_held", "2026-04-24"),
            ev("case_supervision_held", "2026-06-25"),
            ev("cla_review_held", "2026-08-28"),
        ],
        expect={
            "gloucestershire.cla_review": [
                ("2026-09-03", "met", 0, "inferred"),
                ("2027-02-28", "upcoming", 0),
            ],
            "england.cla_review": [
                ("2026-09-03", "met", 0, "inferred"),
                ("2027-02-28", "upcoming", 0),
            ],
            "gloucestershire.case_supervision.cic": [
                ("2026-06-24", "met_late", 1),
                ("2026-08-25", "overdue", 8),
            ],
            "gloucestershire.care_plan": [],
            "england.care_plan": [],
            "gloucestershire.cla_visit": [],
            "england.cla_visit": [],
        },
        not_evaluated={
            "gloucestershire.care_plan": "anchor_not_posted",
            "gloucestershire.permanence_plan": "anchor_not_posted",
            "england.care_plan": "anchor_not_posted",
            "gloucestershire.cla_visit": "attribute_needed",
            "england.cla_visit": "attribute_needed",
        },
        why=(
            "Looked-after episode inferred from the review of Tue 3 Mar 2026 (S): the child "
            "was looked after before the history. Reviews (20 WD, then 3 months once, then "
            "6-monthly): steady step 6 months from S = Thu 3 Sep (inferred), the review of "
            "3 Mar standing in for the anchor; met by Fri 28 Aug; 28 Aug + 6 months = Sun "
            "28 Feb 2027 upcoming; england the same. Supervision 2-monthly (no long-term "
            "match posted): 3 Mar + 2 months = Sun 3 May (inferred) met 24 Apr; 24 Apr + 2 "
            "months = Wed 24 Jun, held Thu 25 Jun met_late WD 1; 25 Jun + 2 months = Tue "
            "25 Aug, none since: overdue, WD (25 Aug, 7 Sep] = 26, 27, 28, (31 Aug holiday) "
            "Sep 1-4, 7 = 8. One-off rules from entry to care (care plan 10 days, permanence "
            "4 months) and england.care_plan (first placement, otherwise the looked-after "
            "start, which here is not posted either): anchor_not_posted. No placement posted: "
            "one of unknown type is assumed, so the type-specific visiting rules need the type."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="redcar-looked-after-inferred-from-a-review-plan-review-six-monthly",
        authority="redcar-and-cleveland",
        as_of="2027-01-25",
        events=[
            ev("cla_review_held", "2026-07-15"),
            ev("cla_review_held", "2027-01-14"),
        ],
        expect={
            "redcar-and-cleveland.cla_plan_review": [
                ("2027-01-15", "met", 0, "inferred"),
                ("2027-07-14", "upcoming", 0),
            ],
            "england.cla_review": [
                ("2027-01-15", "met", 0, "inferred"),
                ("2027-07-14", "upcoming", 0),
            ],
            "redcar-and-cleveland.permanence_plan": [],
            "england.care_plan": [],
        },
        not_evaluated={
            "redcar-and-cleveland.permanence_plan": "anchor_not_posted",
            "england.care_plan": "anchor_not_posted",
        },
        why=(
            "Looked-after episode inferred from the review of Wed 15 Jul 2026 (S). The care "
            "plan review (6 months of becoming looked after, then 6-monthly, met by a looked "
            "after review): steady 6 months from S = Fri 15 Jan 2027 (inferred), met by the "
            "review of Thu 14 Jan; 14 Jan + 6 months = Wed 14 Jul 2027 upcoming. "
            "england.cla_review: steady step 6 months, the same dates. The permanence plan "
            "(4 months of becoming looked after, one-off) and england.care_plan: "
            "anchor_not_posted."
        ),
    ),
    Example(
        name="sunderland-looked-after-inferred-from-a-review-second-review-steady",
        authority="together-for-children-sunderland",
        as_of="2026-08-17",
        events=[
            ev("cla_review_held", "2026-02-09"),
            ev("cla_review_held", "2026-08-04"),
        ],
        expect={
            "together-for-children-sunderland.cla_review.second": [
                ("2026-08-09", "met", 0, "inferred"),
                ("2027-02-04", "upcoming", 0),
            ],
            "england.cla_review": [
                ("2026-08-09", "met", 0, "inferred"),
                ("2027-02-04", "upcoming", 0),
            ],
            "together-for-children-sunderland.cla_review": [],
            "together-for-children-sunderland.pep": [],
            "england.care_plan": [],
        },
        not_evaluated={
            "together-for-children-sunderland.cla_review": "anchor_not_posted",
            "together-for-children-sunderland.pep": "anchor_not_posted",
            "together-for-children-sunderland.permanence_plan": "anchor_not_posted",
            "together-for-children-sunderland.care_plan": "anchor_not_posted",
            "together-for-children-sunderland.care_plan.planned": "anchor_not_posted",
            "england.care_plan": "anchor_not_posted",
        },
        why=(
            "Looked-after episode inferred from the review of Mon 9 Feb 2026 (S). The initial "
            "review (20 WD of the start of the placement, one-off) has neither a placement nor "
            "a looked-after start posted: anchor_not_posted (no deadline is invented from S). "
            "cla_review.second (4 months of becoming looked after, then 6-monthly, from the "
            "2nd review): steady 6 months from S = Sun 9 Aug (inferred); 9 Feb is the 1st "
            "review of the episode and the stand-in, 4 Aug the 2nd: met; 4 Aug + 6 months = "
            "Thu 4 Feb 2027 upcoming. england.cla_review steady 6 months: the same dates."
        ),
    ),
    Example(
        name="west-sussex-looked-after-inferred-permanence-not-evaluated-unknown-placement-visits",
        authority="west-sussex",
        as_of="2026-07-06",
        events=[
            ev("cla_review_held", "2026-01-06"),
            ev("statutory_visit", "2026-02-10"),
            ev("statutory_visit", "2026-03-20"),
            ev("statutory_visit", "2026-04-28"),
            ev("statutory_visit", "2026-06-05"),
            ev("cla_review_held", "2026-06-29"),
        ],
        expect={
            "england.cla_review": [
                ("2026-07-06", "met", 0, "inferred"),
                ("2026-12-29", "upcoming", 0),
            ],
            "england.cla_visit.placement_unknown": [
                ("2026-03-24", "met", 0),
                ("2026-05-01", "met", 0),
                ("2026-06-09", "met", 0),
                ("2026-07-17", "upcoming", 0),
            ],
            "west-sussex.permanence_plan": [],
            "england.cla_visit": [],
        },
        not_evaluated={
            "west-sussex.permanence_plan": "anchor_not_posted",
            "england.cla_visit": "attribute_needed",
            "england.care_plan": "anchor_not_posted",
        },
        why=(
            "Looked-after episode inferred from the review of Tue 6 Jan 2026 (S). Permanence "
            "planning by the 4-month review (4 months of becoming looked after, one-off): "
            "anchor_not_posted. england.cla_review steady 6 months from S = Mon 6 Jul "
            "(inferred), met by Mon 29 Jun; 29 Jun + 6 months = Tue 29 Dec upcoming. No "
            "placement posted: one of unknown type is assumed from S, so england.cla_visit "
            "needs the type and england.cla_visit.placement_unknown applies (1 week, then "
            "6-weekly): steady 42 days from S = Tue 17 Feb (inferred) met 10 Feb; 10 Feb + 42 "
            "= Tue 24 Mar met 20 Mar; 20 Mar + 42 = Fri 1 May met 28 Apr; 28 Apr + 42 = Tue "
            "9 Jun met 5 Jun; 5 Jun + 42 = Fri 17 Jul upcoming."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    # -------------------------------------------------------------------------------
    # 4. became_looked_after posted, no placement posted
    # -------------------------------------------------------------------------------
    Example(
        name="sunderland-looked-after-no-placement-pep-and-initial-review-from-entry-to-care",
        authority="together-for-children-sunderland",
        as_of="2027-01-20",
        events=[
            ev("became_looked_after", "2026-12-17"),
            ev("health_assessment_requested", "2026-12-21"),
            ev("statutory_visit", "2026-12-22"),
            ev("care_plan_completed", "2027-01-04"),
            ev("cla_review_held", "2027-01-19"),
        ],
        expect={
            "together-for-children-sunderland.pep": [("2027-01-19", "overdue", 1, "inferred")],
            "together-for-children-sunderland.cla_review": [
                ("2027-01-19", "met", 0, "inferred"),
            ],
            "england.cla_review": [
                ("2027-01-19", "met", 0),
                ("2027-04-19", "upcoming", 0),
            ],
            "together-for-children-sunderland.cla_review.second": [
                ("2027-04-17", "upcoming", 0),
            ],
            "england.care_plan": [("2027-01-05", "met", 0, "inferred")],
            "together-for-children-sunderland.care_plan": [],
            "together-for-children-sunderland.care_plan.planned": [],
            "together-for-children-sunderland.health_assessment_request": [
                ("2026-12-21", "met", 0),
            ],
            "together-for-children-sunderland.initial_health_assessment": [
                ("2027-01-06", "overdue", 10),
            ],
            "together-for-children-sunderland.permanence_plan": [("2027-04-17", "upcoming", 0)],
            "england.cla_visit.placement_unknown": [
                ("2026-12-24", "met", 0, "inferred"),
                ("2027-02-02", "upcoming", 0),
            ],
            "england.cla_visit": [],
        },
        not_evaluated={
            "together-for-children-sunderland.care_plan": "anchor_not_posted",
            "together-for-children-sunderland.care_plan.planned": "anchor_not_posted",
            "england.cla_visit": "attribute_needed",
        },
        why=(
            "Became looked after Thu 17 Dec 2026, no placement posted: the child is taken to "
            "have been placed that day (a stand-in start, so rules anchored on the first "
            "placement say inferred). PEP and initial review, 20 WD of the placement: Dec 18 "
            "= 1, 21-24 = 5, (25, 28 holidays) 29-31 = 8, (1 Jan holiday) Jan 4-8 = 13, "
            "11-15 = 18, 18 = 19, 19 = 20 -> Tue 19 Jan 2027 (inferred); review held that day: "
            "met; no PEP: overdue, WD (19 Jan, 20 Jan] = 1. england.cla_review counts 20 WD "
            "from becoming looked after (posted, not inferred): the same Tue 19 Jan, met; then "
            "19 Jan + 3 months = Mon 19 Apr upcoming. Sunderland's second review: 17 Dec + 4 "
            "months = Sat 17 Apr 2027 (the 19 Jan review is the 1st, not counted), as is the "
            "permanency plan. england.care_plan 10 WD of the first placement, otherwise the "
            "looked-after start: 18 = 1, 21-24 = 5, 29-31 = 8, Jan 4 = 9, 5 = 10 -> Tue 5 Jan "
            "(inferred), met 4 Jan. Sunderland's care_plan (emergency placement, 10 WD) and "
            "care_plan.planned (planned placement, on the day) are anchored on a "
            "placement_started with emergency true / false and have no episode-start "
            "fallback: with no placement event at all there is no anchor whose attribute "
            "could be asked for, so anchor_not_posted (not attribute_needed). Health "
            "assessment requested within 2 WD: 18, 21 -> Mon 21 Dec, met; completed within "
            "20 days: Wed 6 Jan, none: overdue, WD (6 Jan, 20 Jan] = 7, 8, 11-15, 18, 19, 20 = "
            "10. england.cla_visit.placement_unknown: 17 Dec + 7 = Thu 24 Dec (inferred) met "
            "22 Dec; 22 Dec + 42 = Tue 2 Feb upcoming."
        ),
    ),
    Example(
        name="gloucestershire-looked-after-no-placement-care-plan-and-unknown-placement-visits",
        authority="gloucestershire",
        as_of="2026-11-25",
        events=[
            ev("became_looked_after", "2026-11-02"),
            ev("statutory_visit", "2026-11-06"),
            ev("care_plan_completed", "2026-11-13"),
        ],
        expect={
            "gloucestershire.care_plan": [("2026-11-12", "met_late", 1)],
            "england.care_plan": [("2026-11-16", "met", 0, "inferred")],
            "gloucestershire.cla_review": [("2026-11-30", "upcoming", 0)],
            "england.cla_review": [("2026-11-30", "upcoming", 0)],
            "england.cla_visit.placement_unknown": [
                ("2026-11-09", "met", 0, "inferred"),
                ("2026-12-18", "upcoming", 0),
            ],
            "gloucestershire.cla_visit": [],
            "england.cla_visit": [],
            "gloucestershire.case_supervision.cic": [("2027-01-02", "upcoming", 0)],
            "gloucestershire.permanence_plan": [("2027-03-02", "upcoming", 0)],
        },
        not_evaluated={
            "gloucestershire.cla_visit": "attribute_needed",
            "england.cla_visit": "attribute_needed",
        },
        why=(
            "Became looked after Mon 2 Nov 2026, no placement posted. Gloucestershire care "
            "plan, 10 (calendar) days of entry to care (anchor posted): Thu 12 Nov; completed "
            "Fri 13 Nov: met_late, WD (12 Nov, 13 Nov] = 1. england.care_plan, 10 WD of the "
            "first placement, otherwise the looked-after start: Nov 3-6 = 4, 9-13 = 9, 16 = 10 "
            "-> Mon 16 Nov (inferred), met 13 Nov. Reviews 20 WD of entry: 3-6 = 4, 9-13 = 9, "
            "16-20 = 14, 23-27 = 19, 30 = 20 -> Mon 30 Nov, both upcoming. The placement "
            "assumed from 2 Nov has no type: gloucestershire.cla_visit and england.cla_visit "
            "need it (attribute_needed); england.cla_visit.placement_unknown: 2 Nov + 7 = Mon "
            "9 Nov (inferred) met 6 Nov; 6 Nov + 42 = Fri 18 Dec upcoming. Supervision 2 months "
            "of entry: Sat 2 Jan 2027; permanence plan 4 months: Tue 2 Mar 2027."
        ),
    ),
    # -------------------------------------------------------------------------------
    # 5. Care leavers with contacts and reviews but no left_care posted
    # -------------------------------------------------------------------------------
    Example(
        name="gloucestershire-care-leaver-inferred-from-a-contact-contacts-reviews-supervision",
        authority="gloucestershire",
        as_of="2026-05-26",
        dob=CARE_LEAVER_DOB,
        events=[
            ev("care_leaver_contact", "2026-01-05"),
            ev("care_leaver_contact", "2026-02-27"),
            ev("pathway_plan_reviewed", "2026-03-12"),
            ev("case_supervision_held", "2026-03-31"),
            ev("care_leaver_contact", "2026-04-24"),
        ],
        expect={
            "gloucestershire.care_leaver_contact": [
                ("2026-03-02", "met", 0, "inferred"),
                ("2026-04-24", "met", 0),
                ("2026-06-19", "upcoming", 0),
            ],
            "gloucestershire.pathway_plan_review.post_18": [
                ("2026-09-12", "upcoming", 0),
            ],
            "england.pathway_plan_review": [("2026-09-12", "upcoming", 0)],
            "gloucestershire.case_supervision.care_experienced": [
                ("2026-06-30", "upcoming", 0),
            ],
        },
        why=(
            "Care leaver aged 18 (born 15 Jun 2007; 21 only in 2028); the care-leaver episode "
            "is inferred from the contact of Mon 5 Jan 2026 (S). Contact (5 days of leaving "
            "care, then 8-weekly): steady 56 days from S = Mon 2 Mar (inferred), the 5 Jan "
            "contact being the stand-in; met 27 Feb; 27 Feb + 56 = Fri 24 Apr, met that day; "
            "24 Apr + 56 = Fri 19 Jun upcoming. Pathway plan review post 18 (6 months of "
            "leaving care, then 6-monthly): 5 Jan + 6 months = Sun 5 Jul (inferred), met by "
            "the review of Thu 12 Mar; 12 Mar + 6 months = Sat 12 Sep upcoming. "
            "england.pathway_plan_review is anchored on the latest pathway plan, not on the "
            "episode's start; none is posted, so it is taken at its steady step from the first "
            "review (12 Mar, a posted event, not inferred): 12 Sep. Supervision 3-monthly from "
            "S: Sun 5 Apr (inferred) met 31 Mar; 31 Mar + 3 months = Tue 30 Jun (clipped)."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="redcar-care-leaver-inferred-from-a-pathway-review-contacts-reviews-supervision",
        authority="redcar-and-cleveland",
        as_of="2026-07-13",
        dob=CARE_LEAVER_DOB,
        events=[
            ev("pathway_plan_reviewed", "2026-01-07"),
            ev("care_leaver_contact", "2026-02-03"),
            ev("case_supervision_held", "2026-03-02"),
            ev("care_leaver_contact", "2026-04-03"),
            ev("case_supervision_held", "2026-04-27"),
            ev("care_leaver_contact", "2026-06-03"),
            ev("case_supervision_held", "2026-06-22"),
            ev("pathway_plan_reviewed", "2026-07-02"),
        ],
        expect={
            "redcar-and-cleveland.care_leaver_contact": [
                ("2026-04-03", "met", 0),
                ("2026-06-03", "met", 0),
                ("2026-08-03", "upcoming", 0),
            ],
            "redcar-and-cleveland.pathway_plan_review": [
                ("2026-07-07", "met", 0, "inferred"),
                ("2027-01-02", "upcoming", 0),
            ],
            "england.pathway_plan_review": [
                ("2026-07-07", "met", 0),
                ("2027-01-02", "upcoming", 0),
            ],
            "redcar-and-cleveland.case_supervision.care_leavers": [
                ("2026-04-27", "met", 0),
                ("2026-06-22", "met", 0),
                ("2026-08-17", "upcoming", 0),
            ],
        },
        why=(
            "Care leaver aged 18-19 (20 on 15 Jun 2027); episode inferred from the pathway plan "
            "review of Wed 7 Jan 2026 (S). Contact every 2 months: steady from S: Sat 7 Mar "
            "(inferred) met 3 Feb; 3 Feb + 2 months = Fri 3 Apr, contact that day (Good "
            "Friday; calendar months) met; 3 Apr + 2 months = Wed 3 Jun met that day; 3 Jun + "
            "2 months = Mon 3 Aug upcoming. Pathway plan review (3 months of becoming a care "
            "leaver, then 6-monthly): the 3-month first offset is taken as used, steady 6 "
            "months from S = Tue 7 Jul (inferred), the 7 Jan review being the stand-in; met "
            "2 Jul; 2 Jul + 6 months = Sat 2 Jan 2027. england.pathway_plan_review (6 months "
            "of the latest pathway plan, none posted): steady from its first satisfying event, "
            "the review of 7 Jan: 7 Jul (counted from a posted event, not inferred), met 2 Jul; "
            "2 Jan 2027. Supervision 8-weekly from S: 7 Jan + 56 = Wed 4 Mar (inferred) met "
            "2 Mar; + 56 = Mon 27 Apr met; + 56 = Mon 22 Jun met; + 56 = Mon 17 Aug upcoming."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    # -------------------------------------------------------------------------------
    # 6. Early help with no request or allocation posted
    # -------------------------------------------------------------------------------
    Example(
        name="redcar-early-help-inferred-from-a-taf-plan-review-assessment-update-visits",
        authority="redcar-and-cleveland",
        as_of="2026-05-26",
        events=[
            ev("taf_meeting_held", "2026-03-03"),
            ev("statutory_visit", "2026-03-16"),
            ev("statutory_visit", "2026-04-14"),
            ev("early_help_plan_reviewed", "2026-04-14"),
            ev("taf_meeting_held", "2026-05-21"),
        ],
        expect={
            "redcar-and-cleveland.early_help_plan_review": [
                ("2026-04-14", "met", 0),
                ("2026-05-26", "met", 0),
                ("2026-07-02", "upcoming", 0),
            ],
            "redcar-and-cleveland.early_help_assessment_update": [
                ("2026-04-28", "met_late", 16),
                ("2026-07-16", "upcoming", 0),
            ],
            "redcar-and-cleveland.early_help_visit": [
                ("2026-04-13", "met_late", 1),
                ("2026-05-12", "overdue", 9),
            ],
            "redcar-and-cleveland.case_supervision.early_help": [
                ("2026-06-03", "upcoming", 0, "inferred"),
            ],
            "redcar-and-cleveland.early_help_contact": [],
            "redcar-and-cleveland.early_help_plan": [],
        },
        not_evaluated={
            "redcar-and-cleveland.early_help_contact": "anchor_not_posted",
            "redcar-and-cleveland.early_help_plan": "anchor_not_posted",
            "redcar-and-cleveland.assessment.early_help": "anchor_not_posted",
            "redcar-and-cleveland.genogram.early_help": "anchor_not_posted",
            "england.assessment": None,
        },
        why=(
            "Early help episode inferred from the TAF meeting of Tue 3 Mar 2026 (S). Plan "
            "review (6 weeks of the first plan, then from the latest review or TAF): no plan "
            "posted, and the plan is not the episode's start, so the schedule is steady from "
            "its first satisfying event, the TAF of 3 Mar (not inferred): 3 Mar + 42 = Tue "
            "14 Apr, reviewed that day: met; 14 Apr + 42 = Tue 26 May, met by the TAF of "
            "21 May; 21 May + 42 = Thu 2 Jul upcoming. Assessment update (8 weeks of the first "
            "Early Help Assessment, met by a TAF or a new assessment): likewise from the TAF of "
            "3 Mar: + 56 = Tue 28 Apr; next TAF Thu 21 May met_late, WD (28 Apr, 21 May] = "
            "29, 30, May 1 = 3, (4 May holiday) 5-8 = 7, 11-15 = 12, 18-21 = 16; 21 May + 56 = "
            "Thu 16 Jul upcoming. Visits (4 weeks of allocation, an episode start event, not "
            "posted): steady 28 days from S = Tue 31 Mar (inferred) met 16 Mar; 16 Mar + 28 = "
            "Mon 13 Apr, visit Tue 14 Apr met_late WD 1; 14 Apr + 28 = Tue 12 May, none: "
            "overdue, WD (12 May, 26 May] = 13-15 = 3, 18-22 = 8, (25 May holiday) 26 = 9. "
            "Supervision (4 weeks of allocation, then 3-monthly): steady 3 months from S = "
            "Wed 3 Jun (inferred). One-off rules from the allocation or request: "
            "anchor_not_posted."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
            " Adjudicated: early help is not children's social care; its events, an"
            "d work done while an early help episode is open, open no social-care c"
            "ase, so rules counted from a referral do not apply and are not listed."
        ),
    ),
    Example(
        name="redcar-early-help-inferred-from-an-assessment-anchors-posted-visits-steady",
        authority="redcar-and-cleveland",
        as_of="2026-03-09",
        events=[
            ev("early_help_assessment_completed", "2026-01-07"),
            ev("early_help_plan_completed", "2026-01-14"),
            ev("statutory_visit", "2026-01-30"),
            ev("statutory_visit", "2026-02-25"),
            ev("taf_meeting_held", "2026-02-25"),
        ],
        expect={
            "redcar-and-cleveland.early_help_assessment_update": [
                ("2026-03-04", "met", 0),
                ("2026-04-22", "upcoming", 0),
            ],
            "redcar-and-cleveland.early_help_plan_review": [
                ("2026-02-25", "met", 0),
                ("2026-04-08", "upcoming", 0),
            ],
            "redcar-and-cleveland.early_help_visit": [
                ("2026-02-27", "met", 0),
                ("2026-03-25", "upcoming", 0),
            ],
            "redcar-and-cleveland.case_supervision.early_help": [
                ("2026-04-07", "upcoming", 0, "inferred"),
            ],
            "redcar-and-cleveland.assessment.early_help": [],
        },
        not_evaluated={
            "redcar-and-cleveland.assessment.early_help": "anchor_not_posted",
            "redcar-and-cleveland.early_help_contact": "anchor_not_posted",
            "redcar-and-cleveland.early_help_plan": "anchor_not_posted",
            "england.assessment": None,
        },
        why=(
            "Early help episode inferred from the Early Help Assessment of Wed 7 Jan 2026 (S). "
            "Rules anchored on posted events run as usual, not inferred: assessment update "
            "7 Jan + 56 = Wed 4 Mar, met by the TAF of 25 Feb; 25 Feb + 56 = Wed 22 Apr; plan "
            "review 14 Jan + 42 = Wed 25 Feb, met by the TAF that day; 25 Feb + 42 = Wed 8 Apr. "
            "Rules anchored on the allocation (an episode start, not posted) recur from S at "
            "their steady step: visits 7 Jan + 28 = Wed 4 Feb (inferred) met 30 Jan; 30 Jan + "
            "28 = Fri 27 Feb met 25 Feb; 25 Feb + 28 = Wed 25 Mar; supervision 7 Jan + 3 "
            "months = Tue 7 Apr (inferred). The Early Help Assessment's own 45 WD deadline "
            "counts from a request that is not posted: anchor_not_posted, though an assessment "
            "is posted."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
            " Adjudicated: early help is not children's social care; its events, an"
            "d work done while an early help episode is open, open no social-care c"
            "ase, so rules counted from a referral do not apply and are not listed."
        ),
    ),
    Example(
        name="gloucestershire-early-help-inferred-visit-and-plan-not-evaluated-supervision-steady",
        authority="gloucestershire",
        as_of="2027-01-04",
        events=[
            ev("early_help_plan_completed", "2026-10-01"),
            ev("case_supervision_held", "2026-12-22"),
        ],
        expect={
            "gloucestershire.case_supervision.early_help": [
                ("2027-03-22", "upcoming", 0),
            ],
            "gloucestershire.early_help_visit": [],
            "gloucestershire.early_help_plan": [],
        },
        not_evaluated={
            "gloucestershire.early_help_visit": "anchor_not_posted",
            "gloucestershire.early_help_plan": "anchor_not_posted",
        },
        why=(
            "Early help episode inferred from the plan of Thu 1 Oct 2026 (S). The family seen "
            "within 10 days of the request is one-off and the request is not posted: "
            "anchor_not_posted; so is the full plan 40 days from allocation, though a plan is "
            "posted. Supervision (3 months of allocation, then 3-monthly): steady 3 months "
            "from S = Fri 1 Jan 2027 (inferred), met by Tue 22 Dec; 22 Dec + 3 months = Mon "
            "22 Mar 2027 upcoming."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    # -------------------------------------------------------------------------------
    # 7. history_from
    # -------------------------------------------------------------------------------
    Example(
        name="gloucestershire-history-from-child-in-care-since-2020-reviews-supervision-visits",
        authority="gloucestershire",
        as_of="2026-11-02",
        history_from="2026-01-05",
        events=[
            ev("became_looked_after", "2020-03-02"),
            placed("2020-03-02"),
            ev("placement_agreed_permanent", "2021-07-12"),
            ev("cla_review_held", "2026-03-10"),
            ev("case_supervision_held", "2026-04-01"),
            ev("statutory_visit", "2026-04-02"),
            ev("statutory_visit", "2026-06-25"),
            ev("case_supervision_held", "2026-06-30"),
            ev("cla_review_held", "2026-09-08"),
            ev("statutory_visit", "2026-09-25"),
            ev("case_supervision_held", "2026-10-06"),
        ],
        expect={
            "gloucestershire.cla_review": [
                ("2026-09-10", "met", 0),
                ("2027-03-08", "upcoming", 0),
            ],
            "england.cla_review": [
                ("2026-09-10", "met", 0),
                ("2027-03-08", "upcoming", 0),
            ],
            "gloucestershire.case_supervision.cic": [
                ("2026-07-01", "met", 0),
                ("2026-09-30", "met_late", 4),
                ("2027-01-06", "upcoming", 0),
            ],
            "gloucestershire.cla_visit": [
                ("2026-07-02", "met", 0),
                ("2026-09-25", "met", 0),
                ("2026-12-25", "upcoming", 0),
            ],
            "england.cla_visit": [
                ("2026-07-02", "met", 0),
                ("2026-09-25", "met", 0),
                ("2026-12-25", "upcoming", 0),
            ],
            "gloucestershire.care_plan": [],
            "gloucestershire.permanence_plan": [],
            "england.care_plan": [],
            "england.placement_plan": [],
        },
        not_evaluated={
            "gloucestershire.care_plan": "history_starts_after_anchor",
            "gloucestershire.permanence_plan": "history_starts_after_anchor",
            "england.care_plan": "history_starts_after_anchor",
            "england.placement_plan": "history_starts_after_anchor",
        },
        why=(
            "In care (foster) since Mon 2 Mar 2020, placement agreed permanent 12 Jul 2021; "
            "the history starts Mon 5 Jan 2026 (H). Reviews: first due 2 Mar 2020 + 20 WD = "
            "30 Mar 2020, before H, no review posted before H: what happened between is not "
            "known, so the schedule is taken at its steady step (6 months) from H: Sun 5 Jul "
            "2026 (inferred), met 10 Mar; 10 Mar + 6 months = Thu 10 Sep, met 8 Sep; 8 Sep + 6 "
            "months = Mon 8 Mar 2027; england the same. Supervision: long-term matched in the "
            "current placement, so 3-monthly: H + 3 months = Sun 5 Apr (inferred) met 1 Apr; "
            "Wed 1 Jul met 30 Jun; Wed 30 Sep, held Tue 6 Oct met_late, WD (30 Sep, 6 Oct] = "
            "Oct 1, 2, 5, 6 = 4; Wed 6 Jan 2027. Visits: Gloucestershire's day-of-move and "
            "1-week visits are the start (taken as used), england's 6-weekly step is only "
            "within the placement's first year (2020-21, not at H); both then 3-monthly once "
            "agreed permanent: H + 3 months = Sun 5 Apr (inferred) met 2 Apr; Thu 2 Jul met "
            "25 Jun; Fri 25 Sep met that day; Fri 25 Dec 2026 (calendar months) upcoming. "
            "One-off deadlines that fell due before H (care plan 12 Mar 2020, england care "
            "plan 16 Mar 2020, placement plan 9 Mar 2020, permanence plan 2 Jul 2020) are not "
            "judged: history_starts_after_anchor."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="redcar-history-from-cp-plan-begun-before-visits-core-groups-supervision",
        authority="redcar-and-cleveland",
        as_of="2026-01-26",
        history_from="2026-01-05",
        events=[
            ev("icpc_held", "2025-11-03"),
            ev("cp_plan_started", "2025-11-03"),
            ev("statutory_visit", "2025-11-05"),
            ev("statutory_visit", "2025-11-18"),
            ev("core_group_held", "2025-12-01"),
            ev("statutory_visit", "2026-01-14"),
            ev("case_supervision_held", "2026-01-20"),
        ],
        expect={
            "redcar-and-cleveland.cp_visit": [
                ("2026-01-28", "upcoming", 0),
            ],
            "redcar-and-cleveland.core_group": [("2026-02-02", "upcoming", 0, "inferred")],
            "redcar-and-cleveland.case_supervision.cp": [
                ("2026-02-17", "upcoming", 0),
            ],
            "england.rcpc": [("2026-02-03", "upcoming", 0)],
            "england.first_core_group": [],
        },
        not_evaluated={"england.first_core_group": "history_starts_after_anchor"},
        why=(
            "Plan started at the ICPC of Mon 3 Nov 2025; history starts Mon 5 Jan 2026 (H). "
            "Visits: 48 hours = Wed 5 Nov, met that day; + 10 WD = Wed 19 Nov, met 18 Nov; "
            "18 Nov + 10 WD = Tue 2 Dec, no visit posted before H: not judged, and the schedule "
            "is taken at its steady step from H: Jan 6-9 = 4, 12-16 = 9, 19 = 10 -> Mon 19 Jan "
            "(inferred), met by Wed 14 Jan; 14 Jan + 10 WD = Wed 28 Jan upcoming. Core groups "
            "4-weekly: 3 Nov + 28 = Mon 1 Dec, met that day; 1 Dec + 28 = Mon 29 Dec, none "
            "before H: steady from H: 5 Jan + 28 = Mon 2 Feb (inferred) upcoming. Supervision "
            "4-weekly: 1 Dec 2025, none before H: from H Mon 2 Feb (inferred), met by Tue "
            "20 Jan; 20 Jan + 28 = Tue 17 Feb. Deadlines before H are not returned. "
            "england.first_core_group, 10 WD of the ICPC = Mon 17 Nov 2025, fell due before "
            "H: history_starts_after_anchor. england.rcpc, 3 months of the ICPC = Tue 3 Feb "
            "2026, after H: judged as usual, not inferred."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    Example(
        name="sunderland-history-from-schedule-met-before-it-runs-on-as-usual",
        authority="together-for-children-sunderland",
        as_of="2026-02-03",
        history_from="2026-01-05",
        events=[
            ev("referral_received", "2025-11-03"),
            ev("chronology_updated", "2025-11-28"),
            ev("chronology_updated", "2025-12-23"),
            ev("assessment_completed", "2026-01-07"),
            ev("chronology_updated", "2026-01-20"),
        ],
        expect={
            "together-for-children-sunderland.chronology_update": [
                ("2026-01-23", "met", 0),
                ("2026-02-20", "upcoming", 0),
            ],
            "together-for-children-sunderland.case_summary_update": [
                ("2026-02-03", "due_today", 0),
            ],
            "together-for-children-sunderland.genogram": [("2026-02-03", "due_today", 0)],
            "england.assessment": [("2026-01-08", "met", 0)],
            "together-for-children-sunderland.assessment_update": [
                ("2027-01-07", "upcoming", 0),
            ],
            "england.referral_decision": [],
        },
        not_evaluated={"england.referral_decision": "history_starts_after_anchor"},
        why=(
            "Referral Mon 3 Nov 2025; history starts Mon 5 Jan 2026 (H). Chronology monthly: "
            "3 Dec 2025 met 28 Nov, 28 Dec met 23 Dec: met by posted events before H, so the "
            "schedule runs on as usual but those two deadlines fell due before H and are not "
            "returned; 23 Dec + 1 month = Fri 23 Jan 2026 (after H, not inferred) met 20 Jan; "
            "20 Jan + 1 month = Fri 20 Feb upcoming. Case summary and genogram 3 months of the "
            "referral: Tue 3 Feb 2026 = as_of, nothing posted: due_today. england.assessment "
            "45 WD: Nov 4-7 = 4, 10-14 = 9, 17-21 = 14, 24-28 = 19, Dec 1-5 = 24, 8-12 = 29, "
            "15-19 = 34, 22-24 = 37, (25, 26 Dec holidays) 29-31 = 40, (1 Jan holiday) 2 = 41, "
            "5-8 = 45 -> Thu 8 Jan 2026, after H: judged, met 7 Jan. Annual update: 7 Jan "
            "2027. england.referral_decision, 1 WD = Tue 4 Nov 2025, before H: "
            "history_starts_after_anchor."
        ),
    ),
    Example(
        name="west-sussex-history-from-assessment-update-steady-from-history-start",
        authority="west-sussex",
        as_of="2026-03-16",
        history_from="2026-01-05",
        events=[
            ev("referral_received", "2025-03-03"),
            ev("case_allocated", "2025-03-04"),
            ev("assessment_completed", "2025-05-01"),
            ev("assessment_completed", "2026-03-10"),
        ],
        expect={
            "west-sussex.assessment_update": [
                ("2026-09-10", "upcoming", 0),
            ],
            "west-sussex.case_allocation": [],
            "england.assessment": [],
        },
        not_evaluated={
            "west-sussex.case_allocation": "history_starts_after_anchor",
            "england.assessment": "history_starts_after_anchor",
            "england.referral_decision": "history_starts_after_anchor",
        },
        why=(
            "Referral Mon 3 Mar 2025, history starts Mon 5 Jan 2026 (H). Assessment update: "
            "1 May 2025 + 6 months = Sat 1 Nov 2025, before H with no assessment posted before "
            "H: not judged, and the schedule is taken at its steady step (6 months) from H: "
            "Sun 5 Jul 2026 (inferred), met by the assessment of Tue 10 Mar; 10 Mar + 6 "
            "months = Thu 10 Sep upcoming. Allocation (24 hours = Tue 4 Mar 2025), england "
            "referral decision (4 Mar 2025) and 45 WD assessment (Thu 8 May 2025) all fell due "
            "before H: history_starts_after_anchor."
            " Adjudicated against the README: a deadline counted from a day that is"
            " not itself a satisfying event (an inferred start, history_from) and m"
            "et by the next one is not returned; the schedule is taken up from that"
            " event."
        ),
    ),
    # -------------------------------------------------------------------------------
    # 8. No date of birth
    # -------------------------------------------------------------------------------
    Example(
        name="gloucestershire-no-date-of-birth-age-rules-listed-the-rest-computed",
        authority="gloucestershire",
        as_of="2026-09-14",
        dob=None,
        events=[
            ev("became_looked_after", "2025-09-01"),
            placed("2025-09-01"),
            ev("cla_review_held", "2025-09-26"),
            ev("pathway_plan_completed", "2025-11-13"),
            ev("cla_review_held", "2025-12-18"),
            ev("ceased_looked_after", "2026-02-27"),
            ev("left_care", "2026-02-27"),
            ev("care_leaver_contact", "2026-03-03"),
            ev("care_leaver_contact", "2026-04-28"),
            ev("case_supervision_held", "2026-05-20"),
            ev("pathway_plan_reviewed", "2026-06-10"),
            ev("case_supervision_held", "2026-09-02"),
        ],
        expect={
            "gloucestershire.pathway_plan": [],
            "england.pathway_needs_assessment": [],
            "gloucestershire.care_leaver_contact": [],
            "gloucestershire.care_leaver_contact.21_plus": [],
            "gloucestershire.pathway_plan_review.post_18": [
                ("2026-06-18", "met", 0),
                ("2026-12-10", "upcoming", 0),
            ],
            "england.pathway_plan_review": [
                ("2026-05-13", "met_late", 19),
                ("2026-12-10", "upcoming", 0),
            ],
            "gloucestershire.case_supervision.care_experienced": [
                ("2026-05-27", "met", 0),
                ("2026-08-20", "met_late", 8),
                ("2026-12-02", "upcoming", 0),
            ],
            "gloucestershire.cla_review": [
                ("2025-09-29", "met", 0),
                ("2025-12-26", "met", 0),
            ],
            "england.cla_review": [
                ("2025-09-29", "met", 0),
                ("2025-12-26", "met", 0),
            ],
        },
        not_evaluated={
            "gloucestershire.pathway_plan": "date_of_birth_needed",
            "england.pathway_needs_assessment": "date_of_birth_needed",
            "gloucestershire.care_leaver_contact": "date_of_birth_needed",
            "gloucestershire.care_leaver_contact.21_plus": "date_of_birth_needed",
        },
        why=(
            "No date of birth. Age-based rules set nothing and say so: the pathway plan by "
            "16y3m (and england's needs assessment of an eligible child), contact 16-20 "
            "(stops at 21) and contact 21+: date_of_birth_needed. The rest computed: "
            "pathway plan review post 18 counts from the last review on or before leaving care "
            "(the looked-after review of Thu 18 Dec 2025, held after the pathway plan): + 6 "
            "months = Thu 18 Jun 2026, met by the review of Wed 10 Jun; + 6 months = Thu "
            "10 Dec. england.pathway_plan_review: 6 months of the latest pathway plan "
            "(Thu 13 Nov 2025) = Wed 13 May 2026; reviewed 10 Jun: met_late, WD (13 May, "
            "10 Jun] = 14, 15 = 2, 18-22 = 7, (25 May holiday) 26-29 = 11, Jun 1-5 = 16, "
            "8, 9, 10 = 19; 10 Jun + 6 months = 10 Dec. Supervision 3-monthly from leaving care "
            "Fri 27 Feb: Wed 27 May met 20 May; 20 May + 3 months = Thu 20 Aug, held Wed 2 Sep "
            "met_late, WD (20 Aug, 2 Sep] = 21 = 1, 24-28 = 6, (31 Aug holiday) Sep 1, 2 = 8; "
            "2 Sep + 3 months = Wed 2 Dec. Reviews while in care: 1 Sep 2025 + 20 WD = Sep "
            "2-5 = 4, 8-12 = 9, 15-19 = 14, 22-26 = 19, 29 = 20 -> Mon 29 Sep, met 26 Sep; "
            "26 Sep + 3 months = Fri 26 Dec, met 18 Dec; the next (18 Jun 2026) was "
            "outstanding when the child ceased to be looked after: not returned."
        ),
    ),
    Example(
        name="redcar-no-date-of-birth-contact-rules-listed-reviews-and-supervision-computed",
        authority="redcar-and-cleveland",
        as_of="2026-10-12",
        dob=None,
        events=[
            ev("pathway_plan_completed", "2026-06-10"),
            ev("left_care", "2026-07-03"),
            ev("care_leaver_contact", "2026-08-04"),
            ev("case_supervision_held", "2026-08-21"),
            ev("pathway_plan_reviewed", "2026-09-28"),
            ev("care_leaver_contact", "2026-10-02"),
        ],
        expect={
            "redcar-and-cleveland.care_leaver_contact": [],
            "redcar-and-cleveland.care_leaver_contact.from_20": [],
            "redcar-and-cleveland.pathway_plan_review": [
                ("2026-10-03", "met", 0),
                ("2027-03-28", "upcoming", 0),
            ],
            "england.pathway_plan_review": [
                ("2026-12-10", "met", 0),
                ("2027-03-28", "upcoming", 0),
            ],
            "redcar-and-cleveland.case_supervision.care_leavers": [
                ("2026-08-28", "met", 0),
                ("2026-10-16", "upcoming", 0),
            ],
        },
        not_evaluated={
            "redcar-and-cleveland.care_leaver_contact": "date_of_birth_needed",
            "redcar-and-cleveland.care_leaver_contact.from_20": "date_of_birth_needed",
        },
        why=(
            "No date of birth; left care Fri 3 Jul 2026. Contact every 2 months until 20 and "
            "6-monthly from 20 both turn on the 20th birthday: date_of_birth_needed. The rest "
            "computed: pathway plan review 3 months of leaving care = Sat 3 Oct, met by the "
            "review of Mon 28 Sep; 28 Sep + 6 months = Sun 28 Mar 2027. england: 6 months of "
            "the latest pathway plan (Wed 10 Jun, before leaving care) = Thu 10 Dec, met "
            "28 Sep; then 28 Mar 2027. Supervision 8-weekly: 3 Jul + 56 = Fri 28 Aug met "
            "21 Aug; 21 Aug + 56 = Fri 16 Oct upcoming."
        ),
    ),
    # -------------------------------------------------------------------------------
    # 9. Two satisfying events on one day (the former infinite loops)
    # -------------------------------------------------------------------------------
    Example(
        name="redcar-early-help-assessment-and-taf-same-day-assessment-first",
        authority="redcar-and-cleveland",
        as_of="2027-02-08",
        events=[
            ev("early_help_requested", "2026-11-02"),
            ev("early_help_assessment_completed", "2026-12-14"),
            ev("taf_meeting_held", "2026-12-14"),
        ],
        expect={
            "redcar-and-cleveland.early_help_assessment_update": [
                ("2027-02-08", "met", 0),
                ("2027-02-08", "due_today", 0),
            ],
            "redcar-and-cleveland.assessment.early_help": [("2027-01-07", "met", 0)],
            "england.assessment": [],
        },
        not_evaluated={"england.assessment": None},
        why=(
            "Request Mon 2 Nov 2026; assessment (A) then TAF (T), both Mon 14 Dec, in that "
            "order. Anchor: the first assessment, A. First deadline 14 Dec + 56 days = Mon "
            "8 Feb 2027, met by the first satisfying event on or after the anchor's day that "
            "is not the anchor: T (14 Dec). Next counted from T: 8 Feb, met by a satisfying "
            "event strictly after T in timeline order: none (A comes before T) -> due_today "
            "(as_of 8 Feb). Two deadlines, both due 8 Feb. The assessment's own 45 WD from the "
            "request: Nov 3-6 = 4, 9-13 = 9, 16-20 = 14, 23-27 = 19, 30 = 20, Dec 1-4 = 24, "
            "7-11 = 29, 14-18 = 34, 21-24 = 38, (25, 28 holidays) 29-31 = 41, (1 Jan holiday) "
            "Jan 4-7 = 45 -> Thu 7 Jan 2027, met 14 Dec. england.assessment (45 WD of a "
            "referral) lives in the open case, which is inferred from the request (implied by "
            "any event); no referral is posted: anchor_not_posted."
            " Adjudicated: early help is not children's social care; its events, an"
            "d work done while an early help episode is open, open no social-care c"
            "ase, so rules counted from a referral do not apply and are not listed."
        ),
    ),
    Example(
        name="redcar-early-help-assessment-and-taf-same-day-taf-first",
        authority="redcar-and-cleveland",
        as_of="2027-02-08",
        events=[
            ev("early_help_requested", "2026-11-02"),
            ev("taf_meeting_held", "2026-12-14"),
            ev("early_help_assessment_completed", "2026-12-14"),
        ],
        expect={
            "redcar-and-cleveland.early_help_assessment_update": [
                ("2027-02-08", "met", 0),
                ("2027-02-08", "due_today", 0),
            ],
            "redcar-and-cleveland.assessment.early_help": [("2027-01-07", "met", 0)],
            "england.assessment": [],
        },
        not_evaluated={"england.assessment": None},
        why=(
            "As the previous example with the caller's order reversed: TAF (T) then assessment "
            "(A), both Mon 14 Dec. The anchor is still A (the first assessment). First "
            "deadline 14 Dec + 56 = Mon 8 Feb 2027, met by T (on the anchor's day, whatever "
            "the order that day, and not the anchor). Next counted from T: 8 Feb, met by the "
            "next satisfying event strictly after T in timeline order: A (same date, later in "
            "the caller's order; the first-deadline rule 'never the anchor itself' does not "
            "reach it here, and each occurrence uses a new event). Next counted from A: 8 Feb, "
            "nothing after A: due_today. Three deadlines (one more than the two satisfying "
            "events), all due 8 Feb; the schedule ends. The other rows as before."
            " Adjudicated: early help is not children's social care; its events, an"
            "d work done while an early help episode is open, open no social-care c"
            "ase, so rules counted from a referral do not apply and are not listed."
            " Adjudicated: the anchor never meets its own schedule, and a satisfyin"
            "g event on the same day as the last one is the same occasion; so the a"
            "ssessment (the anchor) meets nothing and the rows are the same two in "
            "either order."
        ),
    ),
    Example(
        name="gloucestershire-pathway-review-and-looked-after-review-same-day-pathway-first",
        authority="gloucestershire",
        as_of="2026-11-20",
        dob="2009-07-15",
        events=[
            ev("became_looked_after", "2026-02-02"),
            placed("2026-02-02"),
            ev("cla_review_held", "2026-02-27"),
            ev("pathway_plan_completed", "2026-03-09"),
            ev("pathway_plan_reviewed", "2026-05-20"),
            ev("cla_review_held", "2026-05-20"),
        ],
        expect={
            "gloucestershire.pathway_plan_review": [
                ("2026-09-09", "met", 0),
                ("2026-11-20", "due_today", 0),
            ],
            "gloucestershire.cla_review": [
                ("2026-03-02", "met", 0),
                ("2026-05-27", "met", 0),
                ("2026-11-20", "due_today", 0),
            ],
            "england.cla_review": [
                ("2026-03-02", "met", 0),
                ("2026-05-27", "met", 0),
                ("2026-11-20", "due_today", 0),
            ],
        },
        why=(
            "Looked after from Mon 2 Feb 2026 (aged 16); pathway plan Mon 9 Mar; on Wed 20 May "
            "the pathway plan is reviewed (PR) and a looked-after review held (CR), in that "
            "order; both meet gloucestershire.pathway_plan_review. 9 Mar + 6 months = Wed "
            "9 Sep, met by PR (the review of 27 Feb is before the anchor and does not count); "
            "next from PR: 20 May + 6 months = Fri 20 Nov, met by CR (strictly after PR in "
            "timeline order); next from CR: 20 Nov, nothing after: due_today (as_of 20 Nov). "
            "Looked-after reviews (CR only): 2 Feb + 20 WD: Feb 3-6 = 4, 9-13 = 9, 16-20 = 14, "
            "23-27 = 19, Mar 2 = 20 -> Mon 2 Mar, met 27 Feb; 27 Feb + 3 months = Wed 27 May, "
            "met 20 May; 20 May + 6 months = Fri 20 Nov due_today; england the same."
            " Adjudicated: a satisfying event on the same day as the last one is th"
            "e same occasion and does not meet the next deadline, so the two review"
            "s of 20 May meet one deadline and the next is counted from 20 May."
        ),
    ),
    Example(
        name="gloucestershire-pathway-review-and-looked-after-review-same-day-review-first",
        authority="gloucestershire",
        as_of="2026-11-20",
        dob="2009-07-15",
        events=[
            ev("became_looked_after", "2026-02-02"),
            placed("2026-02-02"),
            ev("cla_review_held", "2026-02-27"),
            ev("pathway_plan_completed", "2026-03-09"),
            ev("cla_review_held", "2026-05-20"),
            ev("pathway_plan_reviewed", "2026-05-20"),
        ],
        expect={
            "gloucestershire.pathway_plan_review": [
                ("2026-09-09", "met", 0),
                ("2026-11-20", "due_today", 0),
            ],
            "gloucestershire.cla_review": [
                ("2026-03-02", "met", 0),
                ("2026-05-27", "met", 0),
                ("2026-11-20", "due_today", 0),
            ],
            "england.cla_review": [
                ("2026-03-02", "met", 0),
                ("2026-05-27", "met", 0),
                ("2026-11-20", "due_today", 0),
            ],
        },
        why=(
            "The previous case with CR before PR on 20 May. Neither same-day event is the "
            "anchor (the pathway plan of 9 Mar), so the order changes only which event meets "
            "which deadline: 9 Sep met by CR; 20 Nov (from CR) met by PR, strictly after it; "
            "20 Nov (from PR) due_today. Same three rows; the looked-after reviews are as "
            "before (PR does not meet them)."
            " Adjudicated: a satisfying event on the same day as the last one is th"
            "e same occasion and does not meet the next deadline, so the two review"
            "s of 20 May meet one deadline and the next is counted from 20 May."
        ),
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[x.name for x in EXAMPLES])
def test_worked_example(example):
    check(example)

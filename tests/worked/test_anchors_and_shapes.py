"""Anchors and episodes that were wrong, and the new rule shapes: hand-checked worked
examples (issue 7, sections 3 and 4). Counted by hand from the source words; the `why` of
each row is the count.

Conventions (shared contract): working days start at day 0 and the result is the N-th
working day after; "within 48 hours" of a date-only event is 2 calendar days; weeks are
7 days; months clip with relativedelta. working_days_overdue counts working days in
(due, as_of] (overdue) or (due, met date] (met_late). Bank holidays used: Good Friday
3 Apr 2026, Easter Monday 6 Apr 2026, 31 Aug 2026, Christmas Fri 25 Dec 2026 and Mon 28
Dec 2026 (substitute), New Year Fri 1 Jan 2027. A recurring step is met by the next
satisfying event strictly after the one that set it (spec step 2), so every visit uses
up one deadline.
"""

import pytest

from tests.engine_helpers import Example, check, ev, placed

SEEN = "statutory_visit"

EXAMPLES = [
    # =====================================================================================
    # Section 3. Section 47 enquiries: the clock starts at the start of the enquiry, the
    # strategy discussion or s47_started, whichever comes first.
    # =====================================================================================
    Example(
        name="s47_gloucestershire_sd_only_completed_without_saying",
        authority="gloucestershire",
        as_of="2026-04-28",
        events=[
            ev("strategy_discussion_held", "2026-04-02"),
            ev(SEEN, "2026-04-07"),
            ev("s47_completed", "2026-04-17"),
        ],
        expect={
            "gloucestershire.s47_visit": [("2026-04-04", "met_late", 1)],
            "england.icpc": [],
        },
        not_evaluated={"england.icpc": "attribute_needed"},
        why=(
            "Enquiry starts at the strategy discussion Thu 2 Apr 2026 (no s47_started). "
            "Gloucestershire 'within a maximum of 48 hours' from a date = 2 days -> Sat 4 Apr; "
            "seen Tue 7 Apr: met_late, working days in (Sat 4, Tue 7] = Mon 6 Apr is Easter "
            "Monday, Tue 7 = 1. england.icpc would be 15 WD from Thu 2 Apr (Fri 3, Mon 6 bank "
            "holidays; 7-10 = 4, 13-17 = 9, 20-24 = 14, Mon 27 Apr = 15), but s47_completed on "
            "Fri 17 Apr without icpc_required ends the enquiry with that deadline outstanding: "
            "no deadline, listed as attribute_needed (spec, Episodes)."
        ),
    ),
    Example(
        name="s47_redcar_sd_only_no_further_action",
        authority="redcar-and-cleveland",
        as_of="2026-04-29",
        events=[
            ev("strategy_discussion_held", "2026-04-02"),
            ev(SEEN, "2026-04-08"),
            ev("s47_completed", "2026-04-24", attributes={"icpc_required": False}),
        ],
        expect={
            "redcar-and-cleveland.s47_visit": [("2026-04-08", "met", 0)],
            "redcar-and-cleveland.s47_completion": [("2026-04-27", "met", 0)],
            "england.icpc": [],
        },
        why=(
            "Enquiry starts at the strategy discussion Thu 2 Apr 2026. Redcar 'no later than "
            "2 working days': Fri 3 Apr and Mon 6 Apr are bank holidays, Tue 7 = 1, Wed 8 = 2 "
            "-> Wed 8 Apr, seen that day: met. s47_completion 15 WD: 7-10 = 4, 13-17 = 9, "
            "20-24 = 14, Mon 27 Apr = 15; completed Fri 24 Apr: met. The completion says "
            "icpc_required: false (no further action), so the enquiry ends on 24 Apr and the "
            "ICPC deadline (Mon 27 Apr) it left outstanding is not returned: england.icpc must "
            "not show as overdue on 29 Apr."
        ),
    ),
    Example(
        name="s47_gloucestershire_sd_then_s47_started_two_days_later",
        authority="gloucestershire",
        as_of="2026-11-23",
        events=[
            ev("strategy_discussion_held", "2026-11-02"),
            ev("s47_started", "2026-11-04"),
            ev(SEEN, "2026-11-05"),
            ev("icpc_held", "2026-11-20"),
        ],
        expect={
            "gloucestershire.s47_visit": [("2026-11-04", "met_late", 1)],
            "england.icpc": [("2026-11-23", "met", 0)],
        },
        why=(
            "The enquiry started at the strategy discussion Mon 2 Nov 2026, the earlier of SD "
            "and s47_started (Wed 4 Nov). 48 hours = 2 days -> Wed 4 Nov; seen Thu 5 Nov: "
            "met_late 1 (Thu 5). (Counting from s47_started would give Fri 6 Nov, met.) "
            "england.icpc 15 WD from Mon 2 Nov: 3-6 = 4, 9-13 = 9, 16-20 = 14, Mon 23 Nov = 15; "
            "ICPC Fri 20 Nov: met."
        ),
    ),
    Example(
        name="s47_redcar_sd_then_s47_started_completion_after_conference_met",
        authority="redcar-and-cleveland",
        as_of="2026-11-24",
        events=[
            ev("strategy_discussion_held", "2026-11-02"),
            ev("s47_started", "2026-11-04"),
            ev(SEEN, "2026-11-05"),
            ev("icpc_held", "2026-11-20"),
            ev("s47_completed", "2026-11-23"),
        ],
        expect={
            "redcar-and-cleveland.s47_visit": [("2026-11-04", "met_late", 1)],
            "redcar-and-cleveland.s47_completion": [("2026-11-23", "met", 0)],
            "england.icpc": [("2026-11-23", "met", 0)],
        },
        why=(
            "Start of the enquiry = SD Mon 2 Nov 2026 (s47_started Wed 4 Nov is later). "
            "s47_visit 2 WD: Tue 3 = 1, Wed 4 = 2 -> Wed 4 Nov; seen Thu 5 Nov: met_late 1. "
            "s47_completion 15 WD: 3-6 = 4, 9-13 = 9, 16-20 = 14, Mon 23 Nov = 15. The ICPC "
            "on Fri 20 Nov does not end this rule (it runs until s47_completed), so the "
            "completion recorded on Mon 23 Nov, after the conference, is judged: met. "
            "england.icpc 15 WD from Mon 2 Nov -> Mon 23 Nov; ICPC Fri 20 Nov: met."
        ),
    ),
    Example(
        name="s47_gloucestershire_s47_started_only_over_christmas",
        authority="gloucestershire",
        as_of="2026-12-29",
        events=[ev("s47_started", "2026-12-18")],
        expect={
            "gloucestershire.s47_visit": [("2026-12-20", "overdue", 5)],
            "england.icpc": [],
        },
        not_evaluated={"england.icpc": "anchor_not_posted"},
        why=(
            "Enquiry starts at s47_started Fri 18 Dec 2026 (no strategy discussion posted). "
            "48 hours = 2 days -> Sun 20 Dec. Not seen; as of Tue 29 Dec: working days in "
            "(Sun 20, Tue 29] = Mon 21, Tue 22, Wed 23, Thu 24 = 4, Fri 25 and Mon 28 bank "
            "holidays, Tue 29 = 5: overdue 5. england.icpc is counted from the strategy "
            "discussion, which is not posted; a one-off rule invents no deadline: "
            "anchor_not_posted."
        ),
    ),
    Example(
        name="s47_redcar_s47_started_only_over_christmas",
        authority="redcar-and-cleveland",
        as_of="2026-12-29",
        events=[ev("s47_started", "2026-12-18"), ev(SEEN, "2026-12-23")],
        expect={
            "redcar-and-cleveland.s47_visit": [("2026-12-22", "met_late", 1)],
            "redcar-and-cleveland.s47_completion": [("2027-01-13", "upcoming", 0)],
            "england.icpc": [],
        },
        not_evaluated={"england.icpc": "anchor_not_posted"},
        why=(
            "Enquiry starts at s47_started Fri 18 Dec 2026. s47_visit 2 WD: Mon 21 = 1, Tue 22 "
            "= 2 -> Tue 22 Dec; seen Wed 23 Dec: met_late 1. s47_completion 15 WD: 21-24 Dec = "
            "4, (25, 28 bank holidays) 29-31 Dec = 7, (1 Jan bank holiday) 4-8 Jan = 12, "
            "11-13 Jan = 15 -> Wed 13 Jan 2027, upcoming on 29 Dec. england.icpc: no strategy "
            "discussion posted: anchor_not_posted."
        ),
    ),
    Example(
        name="s47_redcar_completion_after_conference_late",
        authority="redcar-and-cleveland",
        as_of="2026-06-26",
        events=[
            ev("strategy_discussion_held", "2026-06-01"),
            ev(SEEN, "2026-06-02"),
            ev("icpc_held", "2026-06-19"),
            ev("s47_completed", "2026-06-24"),
        ],
        expect={
            "redcar-and-cleveland.s47_visit": [("2026-06-03", "met", 0)],
            "redcar-and-cleveland.s47_completion": [("2026-06-22", "met_late", 2)],
            "england.icpc": [("2026-06-22", "met", 0)],
        },
        why=(
            "SD Mon 1 Jun 2026 starts the enquiry. s47_visit 2 WD -> Wed 3 Jun; seen Tue 2 "
            "Jun: met. s47_completion 15 WD: 2-5 = 4, 8-12 = 9, 15-19 = 14, Mon 22 Jun = 15. "
            "The ICPC on Fri 19 Jun ends the enquiry for england.icpc (met: due Mon 22 Jun) "
            "but Redcar's completion runs until s47_completed, recorded Wed 24 Jun after the "
            "conference: met_late, working days in (22, 24] = 2."
        ),
    ),
    Example(
        name="s47_redcar_icpc_required_true_runs_on_to_conference",
        authority="redcar-and-cleveland",
        as_of="2026-09-30",
        events=[
            ev("strategy_discussion_held", "2026-09-07"),
            ev(SEEN, "2026-09-09"),
            ev("s47_completed", "2026-09-18", attributes={"icpc_required": True}),
            ev("icpc_held", "2026-09-29"),
        ],
        expect={
            "redcar-and-cleveland.s47_visit": [("2026-09-09", "met", 0)],
            "redcar-and-cleveland.s47_completion": [("2026-09-28", "met", 0)],
            "england.icpc": [("2026-09-28", "met_late", 1)],
        },
        why=(
            "SD Mon 7 Sep 2026. s47_visit 2 WD: Tue 8, Wed 9 -> Wed 9 Sep, seen that day: "
            "met. s47_completion 15 WD: 8-11 = 4, 14-18 = 9, 21-25 = 14, Mon 28 Sep = 15; "
            "completed Fri 18 Sep: met. The completion says icpc_required: true, so the "
            "enquiry runs on to its conference: england.icpc due Mon 28 Sep (same count), ICPC "
            "Tue 29 Sep: met_late 1."
        ),
    ),
    # =====================================================================================
    # Section 3. A CP plan recorded as starting the Monday after its Friday ICPC: rules
    # counted from the conference use the ICPC that made the plan (which: opening).
    # =====================================================================================
    Example(
        name="cp_plan_starts_monday_after_friday_icpc_gloucestershire",
        authority="gloucestershire",
        as_of="2027-01-11",
        events=[
            ev("icpc_held", "2026-12-18"),
            ev("cp_plan_started", "2026-12-21"),
            ev(SEEN, "2026-12-21"),
            ev("core_group_held", "2027-01-05"),
            ev(SEEN, "2027-01-06"),
        ],
        expect={
            "england.first_core_group": [("2027-01-06", "met", 0)],
            "gloucestershire.first_core_group": [("2027-01-06", "met", 0)],
            "england.rcpc": [("2027-03-18", "upcoming", 0)],
            "gloucestershire.cp_visit": [
                ("2026-12-20", "met_late", 1),
                ("2027-01-07", "met", 0),
                ("2027-01-20", "upcoming", 0),
            ],
        },
        why=(
            "ICPC Fri 18 Dec 2026 made the plan recorded from Mon 21 Dec. First core group 10 "
            "WD of the ICPC (England and Gloucestershire 'developed in core group within 10 "
            "working days'): 21-24 Dec = 4, (25, 28 bank holidays) 29-31 Dec = 7, (1 Jan) 4-6 "
            "Jan = 10 -> Wed 6 Jan 2027; core group Tue 5 Jan: met. england.rcpc 3 months of "
            "the ICPC -> Thu 18 Mar 2027, upcoming. Gloucestershire cp_visit 'within 48 hours "
            "of conference' = ICPC + 2 days -> Sun 20 Dec; first visit Mon 21 Dec: met_late 1 "
            "(Mon 21). Then every 10 WD from the last visit: from Mon 21 Dec, 22-24 = 3, 29-31 "
            "= 6, 4-7 Jan = 10 -> Thu 7 Jan, met by Wed 6 Jan; from Wed 6 Jan, 7-8 = 2, 11-15 = "
            "7, 18-20 = 10 -> Wed 20 Jan, upcoming."
        ),
    ),
    Example(
        name="cp_plan_starts_monday_after_friday_icpc_sunderland",
        authority="together-for-children-sunderland",
        as_of="2027-03-15",
        events=[
            ev("icpc_held", "2026-12-18"),
            ev("cp_plan_started", "2026-12-21"),
            ev("core_group_held", "2027-01-07"),
            ev("rcpc_held", "2027-03-11"),
        ],
        expect={
            "england.first_core_group": [("2027-01-06", "met_late", 1)],
            "together-for-children-sunderland.first_core_group": [("2027-01-06", "met_late", 1)],
            "england.rcpc": [("2027-03-18", "met", 0), ("2027-09-11", "upcoming", 0)],
            "together-for-children-sunderland.rcpc": [
                ("2027-03-18", "met", 0),
                ("2027-09-11", "upcoming", 0),
            ],
        },
        why=(
            "ICPC Fri 18 Dec 2026, plan from Mon 21 Dec. First core group 'within ten working "
            "days of the Initial Child Protection Conference': -> Wed 6 Jan 2027 (21-24 Dec = "
            "4, 29-31 Dec = 7, 4-6 Jan = 10, skipping 25 and 28 Dec and 1 Jan); held Thu 7 "
            "Jan: met_late 1. RCPC '3 months from the ICPC' -> Thu 18 Mar 2027; held Thu 11 "
            "Mar: met; then 6 months from that review -> Sat 11 Sep 2027, upcoming. Both "
            "rulesets count the same."
        ),
    ),
    Example(
        name="cp_plan_starts_monday_after_friday_icpc_redcar",
        authority="redcar-and-cleveland",
        as_of="2027-03-22",
        events=[
            ev("icpc_held", "2026-12-18"),
            ev("cp_plan_started", "2026-12-21"),
            ev(SEEN, "2026-12-21"),
            ev("core_group_held", "2027-01-05"),
            ev(SEEN, "2027-01-06"),
        ],
        expect={
            "england.first_core_group": [("2027-01-06", "met", 0)],
            "england.rcpc": [("2027-03-18", "overdue", 2)],
            "redcar-and-cleveland.cp_visit": [
                ("2026-12-23", "met", 0),
                ("2027-01-07", "met", 0),
                ("2027-01-20", "overdue", 43),
            ],
            "redcar-and-cleveland.core_group": [
                ("2027-01-18", "met", 0),
                ("2027-02-02", "overdue", 34),
            ],
        },
        why=(
            "ICPC Fri 18 Dec 2026, plan from Mon 21 Dec. england.first_core_group -> Wed 6 Jan "
            "2027 (10 WD skipping 25, 28 Dec, 1 Jan), held Tue 5 Jan: met. england.rcpc -> "
            "Thu 18 Mar 2027, none held; as of Mon 22 Mar: Fri 19, Mon 22 = overdue 2. Redcar "
            "cp_visit is 'within 48 hours of a Child Protection Plan being agreed' = plan "
            "start Mon 21 Dec + 2 days -> Wed 23 Dec, seen Mon 21 Dec: met; then 10 WD from "
            "the visit -> Thu 7 Jan, met by Wed 6 Jan; 10 WD from Wed 6 Jan -> Wed 20 Jan, not "
            "seen: overdue, working days in (20 Jan, 22 Mar] = 21-22 Jan 2, 25-29 Jan 7, then "
            "7 full weeks to 19 Mar = 42, Mon 22 Mar = 43. Redcar core_group every 4 weeks "
            "from the plan start: Mon 21 Dec + 28 = Mon 18 Jan, met by Tue 5 Jan; Tue 5 Jan + "
            "28 = Tue 2 Feb, overdue: 3-5 Feb = 3, 6 weeks to 19 Mar = 33, Mon 22 Mar = 34."
        ),
    ),
    # =====================================================================================
    # Section 3. A placement for adoption ended by the next placement_started (foster).
    # =====================================================================================
    Example(
        name="adoption_placement_ended_by_foster_placement_gloucestershire",
        authority="gloucestershire",
        as_of="2026-07-20",
        events=[
            ev("became_looked_after", "2026-06-01"),
            placed("2026-06-01", "placed_for_adoption"),
            ev(SEEN, "2026-06-05"),
            ev(SEEN, "2026-06-11"),
            placed("2026-06-15", "foster"),
            ev(SEEN, "2026-06-16"),
            ev(SEEN, "2026-06-22"),
        ],
        expect={
            "england.adoption_visit": [("2026-06-08", "met", 0), ("2026-06-12", "met", 0)],
            "england.adoption_review": [],
            "gloucestershire.adoption_visit": [
                ("2026-06-08", "met", 0),
                ("2026-06-12", "met", 0),
            ],
            "england.cla_visit": [
                ("2026-06-22", "met", 0),
                ("2026-07-28", "met", 0),
                ("2026-08-03", "upcoming", 0),
            ],
            "gloucestershire.cla_visit": [
                ("2026-06-15", "met_late", 1),
                ("2026-06-22", "met", 0),
                ("2026-08-03", "upcoming", 0),
            ],
        },
        why=(
            "Placed for adoption Mon 1 Jun 2026: visit within 1 week -> Mon 8 Jun, met by Fri 5 "
            "Jun; weekly from that visit -> Fri 12 Jun, met by Thu 11 Jun; the next (Thu 18 "
            "Jun) was outstanding when the foster placement of Mon 15 Jun ended the placement "
            "for adoption: not returned. The first adoption review (4 weeks -> Mon 29 Jun) was "
            "outstanding at the end too: none. Foster placement Mon 15 Jun: england.cla_visit "
            "1 week -> Mon 22 Jun, met by Tue 16 Jun; 6 weeks from 16 Jun -> Tue 28 Jul, met by "
            "Mon 22 Jun (the next visit); 6 weeks from 22 Jun -> Mon 3 Aug, upcoming. "
            "Gloucestershire 'On the day of and again within 1 week of a move': on the day -> "
            "Mon 15 Jun, first seen Tue 16: met_late 1; again within 1 week of the move -> Mon "
            "22 Jun, met by the second visit on 22 Jun; then 6-weekly from 22 Jun -> Mon 3 Aug."
        ),
    ),
    Example(
        name="adoption_placement_ended_by_foster_placement_redcar",
        authority="redcar-and-cleveland",
        as_of="2026-07-20",
        events=[
            ev("became_looked_after", "2026-06-01"),
            placed("2026-06-01", "placed_for_adoption"),
            ev(SEEN, "2026-06-05"),
            ev(SEEN, "2026-06-11"),
            placed("2026-06-15", "foster"),
            ev(SEEN, "2026-06-16"),
            ev(SEEN, "2026-06-22"),
        ],
        expect={
            "england.adoption_visit": [("2026-06-08", "met", 0), ("2026-06-12", "met", 0)],
            "england.adoption_review": [],
            "redcar-and-cleveland.adoption_visit": [
                ("2026-06-08", "met", 0),
                ("2026-06-12", "met", 0),
            ],
            "england.cla_visit": [
                ("2026-06-22", "met", 0),
                ("2026-07-28", "met", 0),
                ("2026-08-03", "upcoming", 0),
            ],
            "redcar-and-cleveland.cla_visit": [
                ("2026-06-15", "met_late", 1),
                ("2026-06-22", "met", 0),
                ("2026-06-29", "overdue", 15),
            ],
        },
        why=(
            "As the Gloucestershire case for the adoption placement (Mon 1 Jun - Mon 15 Jun): "
            "visits due Mon 8 Jun (met Fri 5) and Fri 12 Jun (met Thu 11); the next and the "
            "first review fell outstanding when the foster placement began: not returned. "
            "Redcar 'seen the day they are placed' -> Mon 15 Jun, seen Tue 16: met_late 1; "
            "'within 1 week of the beginning of the placement' -> Mon 22 Jun, met by the "
            "second visit that day; 'weekly for the first four weeks': 22 Jun is day 7, "
            "within 4 weeks, so weekly -> Mon 29 Jun, not seen: overdue, working days in (29 "
            "Jun, 20 Jul] = 30 Jun-3 Jul 4, 6-10 Jul 9, 13-17 Jul 14, Mon 20 Jul 15. "
            "england.cla_visit as in the Gloucestershire case."
        ),
    ),
    # =====================================================================================
    # Section 3. "Before the placement or within N days" (met_before_anchor) with two
    # placements.
    # =====================================================================================
    Example(
        name="plans_written_ahead_of_both_planned_placements_sunderland",
        authority="together-for-children-sunderland",
        as_of="2026-04-20",
        events=[
            ev("placement_planning_meeting_held", "2026-02-26"),
            ev("placement_plan_completed", "2026-02-27"),
            ev("became_looked_after", "2026-03-02"),
            placed("2026-03-02", attributes={"emergency": False}),
            ev("placement_planning_meeting_held", "2026-04-08"),
            ev("placement_plan_completed", "2026-04-09"),
            placed("2026-04-13", attributes={"emergency": False}),
        ],
        expect={
            "england.placement_plan": [("2026-03-09", "met", 0), ("2026-04-20", "met", 0)],
            "together-for-children-sunderland.placement_plan": [
                ("2026-03-05", "met", 0),
                ("2026-04-16", "met", 0),
            ],
            "together-for-children-sunderland.placement_planning_meeting.planned": [
                ("2026-03-02", "met", 0),
                ("2026-04-13", "met", 0),
            ],
            "together-for-children-sunderland.placement_planning_meeting": [],
        },
        why=(
            "Two planned foster placements, Mon 2 Mar and Mon 13 Apr 2026. Each placement "
            "takes the first plan after the previous placement that no earlier one took: "
            "the 2 Mar placement takes the plan of Fri 27 Feb (written ahead), the 13 Apr "
            "placement the plan of Thu 9 Apr. england.placement_plan 5 WD: 3-6 Mar = 4, Mon 9 "
            "Mar = 5; 14-17 Apr = 4, Mon 20 Apr = 5: both met. Sunderland 'before or at the "
            "latest within 72 hours' = 3 days: Thu 5 Mar and Thu 16 Apr: both met. Planned "
            "placements (emergency: false): the meeting 'prior to the placement when it is "
            "pre-planned', due on the day: Mon 2 Mar met by Thu 26 Feb, Mon 13 Apr met by Wed "
            "8 Apr. The 3-working-day emergency rule has no emergency placement: none."
        ),
    ),
    Example(
        name="first_placement_plan_late_second_written_ahead_over_easter_sunderland",
        authority="together-for-children-sunderland",
        as_of="2026-04-14",
        events=[
            ev("became_looked_after", "2026-03-02"),
            placed("2026-03-02", attributes={"emergency": True}),
            ev("placement_planning_meeting_held", "2026-03-04"),
            ev("placement_plan_completed", "2026-03-10"),
            ev("placement_planning_meeting_held", "2026-03-31"),
            ev("placement_plan_completed", "2026-04-01"),
            placed("2026-04-02", attributes={"emergency": False}),
        ],
        expect={
            "england.placement_plan": [("2026-03-09", "met_late", 1), ("2026-04-13", "met", 0)],
            "together-for-children-sunderland.placement_plan": [
                ("2026-03-05", "met_late", 3),
                ("2026-04-05", "met", 0),
            ],
            "together-for-children-sunderland.placement_planning_meeting": [
                ("2026-03-05", "met", 0)
            ],
            "together-for-children-sunderland.placement_planning_meeting.planned": [
                ("2026-04-02", "met", 0)
            ],
        },
        why=(
            "Emergency placement Mon 2 Mar 2026, its plan written Tue 10 Mar; planned placement "
            "Thu 2 Apr, its plan written ahead on Wed 1 Apr. The first placement takes 10 Mar "
            "(the first plan in the history), the second takes 1 Apr (the first after 2 Mar "
            "not already taken). england.placement_plan 5 WD: -> Mon 9 Mar, 10 Mar met_late 1; "
            "from Thu 2 Apr: Fri 3 and Mon 6 Apr bank holidays, 7-10 = 4, Mon 13 = 5 -> Mon 13 "
            "Apr, met. Sunderland 72 hours = 3 days: Thu 5 Mar, 10 Mar met_late (6, 9, 10 = "
            "3); Sun 5 Apr, met. Placement planning meeting: emergency placement 'within 3 "
            "working days of placement' -> Tue 3, Wed 4, Thu 5 Mar, held Wed 4 Mar: met; "
            "planned placement, due on the day Thu 2 Apr, held Tue 31 Mar: met."
        ),
    ),
    # =====================================================================================
    # Section 3. One case note recorded after two visits meets both deadlines.
    # =====================================================================================
    Example(
        name="one_case_note_covers_two_visits_sunderland",
        authority="together-for-children-sunderland",
        as_of="2027-01-04",
        events=[
            ev(SEEN, "2026-12-21"),
            ev(SEEN, "2026-12-23"),
            ev("case_note_recorded", "2026-12-29"),
            ev(SEEN, "2026-12-30"),
        ],
        expect={
            "together-for-children-sunderland.case_recording": [
                ("2026-12-24", "met_late", 1),
                ("2026-12-30", "met", 0),
                ("2027-01-05", "upcoming", 0),
            ],
        },
        why=(
            "'Case records are updated within 3 working days' of each visit. Visit Mon 21 Dec "
            "2026 -> Tue 22, Wed 23, Thu 24 = Thu 24 Dec. Visit Wed 23 Dec -> Thu 24 = 1, (25, "
            "28 bank holidays) Tue 29 = 2, Wed 30 = 3 = Wed 30 Dec. The one note of Tue 29 Dec "
            "meets both: the first late by working days in (24, 29 Dec] = Tue 29 only = 1, the "
            "second met. Visit Wed 30 Dec -> Thu 31 = 1, (1 Jan) Mon 4 = 2, Tue 5 = 3 = Tue 5 "
            "Jan 2027; the note before it does not count: upcoming. No england rule sets a "
            "case-recording timescale."
        ),
    ),
    Example(
        name="one_case_note_covers_two_visits_redcar",
        authority="redcar-and-cleveland",
        as_of="2027-01-11",
        events=[
            ev(SEEN, "2026-12-21"),
            ev(SEEN, "2026-12-23"),
            ev("case_note_recorded", "2026-12-29"),
            ev(SEEN, "2027-01-04"),
        ],
        expect={
            "redcar-and-cleveland.case_recording": [
                ("2026-12-30", "met", 0),
                ("2027-01-04", "met", 0),
                ("2027-01-11", "due_today", 0),
            ],
        },
        why=(
            "'within a maximum of 5 working days' of each visit. Mon 21 Dec 2026 -> 22, 23, 24 "
            "= 3, (25, 28) 29 = 4, 30 = 5 -> Wed 30 Dec. Wed 23 Dec -> 24 = 1, 29, 30, 31 = 4, "
            "(1 Jan) Mon 4 Jan = 5 -> Mon 4 Jan 2027. The single note Tue 29 Dec meets both. "
            "Visit Mon 4 Jan -> 5-8 = 4, Mon 11 = 5 -> Mon 11 Jan = as_of, no note yet: "
            "due_today."
        ),
    ),
    # =====================================================================================
    # Section 4. Zero offsets: "on the day of" a move.
    # =====================================================================================
    Example(
        name="gloucestershire_cla_visit_seen_on_the_day_of_a_bank_holiday_move",
        authority="gloucestershire",
        as_of="2026-09-14",
        events=[
            ev("became_looked_after", "2026-08-31"),
            placed("2026-08-31"),
            ev(SEEN, "2026-08-31"),
            ev(SEEN, "2026-09-04"),
        ],
        expect={
            "gloucestershire.cla_visit": [
                ("2026-08-31", "met", 0),
                ("2026-09-07", "met", 0),
                ("2026-10-16", "upcoming", 0),
            ],
            "england.cla_visit": [
                ("2026-09-07", "met", 0),
                ("2026-10-12", "met", 0),
                ("2026-10-16", "upcoming", 0),
            ],
        },
        why=(
            "Foster placement Mon 31 Aug 2026 (a bank holiday: calendar counting, no effect). "
            "Gloucestershire 'On the day of' -> Mon 31 Aug, seen that day: met; 'again within "
            "1 week of a move', from the move -> Mon 7 Sep, met by the second visit Fri 4 Sep; "
            "'then at least 6 weekly' from Fri 4 Sep -> Fri 16 Oct, upcoming. england reg 28: "
            "within 1 week -> Mon 7 Sep, met by 31 Aug; 6 weeks from 31 Aug -> Mon 12 Oct, met "
            "by the next visit 4 Sep; 6 weeks from 4 Sep -> Fri 16 Oct, upcoming."
        ),
    ),
    Example(
        name="gloucestershire_cla_visit_not_seen_on_the_day",
        authority="gloucestershire",
        as_of="2026-09-14",
        events=[
            ev("became_looked_after", "2026-08-03"),
            placed("2026-08-03"),
            ev(SEEN, "2026-08-05"),
            ev(SEEN, "2026-08-11"),
        ],
        expect={
            "gloucestershire.cla_visit": [
                ("2026-08-03", "met_late", 2),
                ("2026-08-10", "met_late", 1),
                ("2026-09-22", "upcoming", 0),
            ],
            "england.cla_visit": [
                ("2026-08-10", "met", 0),
                ("2026-09-16", "met", 0),
                ("2026-09-22", "upcoming", 0),
            ],
        },
        why=(
            "Foster placement Mon 3 Aug 2026, first seen Wed 5 Aug: the on-the-day visit "
            "(Mon 3 Aug) met_late, working days Tue 4, Wed 5 = 2. 'Again within 1 week of a "
            "move' counts from the move, not from the first visit: Mon 10 Aug, met by the "
            "second visit Tue 11 Aug: met_late 1 (from the first visit it would be Wed 12 Aug, "
            "met). Then 6-weekly from 11 Aug -> Tue 22 Sep. england: 1 week -> Mon 10 Aug met "
            "by 5 Aug; 5 Aug + 6 weeks -> Wed 16 Sep met by 11 Aug; 11 Aug + 6 weeks -> Tue "
            "22 Sep, upcoming."
        ),
    ),
    Example(
        name="redcar_cla_visit_day_placed_then_weekly_for_four_weeks",
        authority="redcar-and-cleveland",
        as_of="2026-11-02",
        events=[
            ev("became_looked_after", "2026-09-07"),
            placed("2026-09-07"),
            ev(SEEN, "2026-09-07"),
            ev(SEEN, "2026-09-11"),
            ev(SEEN, "2026-09-17"),
            ev(SEEN, "2026-09-24"),
            ev(SEEN, "2026-10-01"),
            ev(SEEN, "2026-10-08"),
        ],
        expect={
            "redcar-and-cleveland.cla_visit": [
                ("2026-09-07", "met", 0),
                ("2026-09-14", "met", 0),
                ("2026-09-18", "met", 0),
                ("2026-09-24", "met", 0),
                ("2026-10-01", "met", 0),
                ("2026-10-08", "met", 0),
                ("2026-11-19", "upcoming", 0),
            ],
            "england.cla_visit": [
                ("2026-09-14", "met", 0),
                ("2026-10-19", "met", 0),
                ("2026-10-23", "met", 0),
                ("2026-10-29", "met", 0),
                ("2026-11-05", "met", 0),
                ("2026-11-12", "met", 0),
                ("2026-11-19", "upcoming", 0),
            ],
        },
        why=(
            "Foster placement Mon 7 Sep 2026 (4 weeks -> Mon 5 Oct). Redcar: 'seen the day they "
            "are placed' -> Mon 7 Sep, met that day; 'within 1 week of the beginning of the "
            "placement' -> Mon 14 Sep, met by Fri 11 Sep; weekly while the last visit is within "
            "4 weeks of the start: 11 Sep + 7 = Fri 18 Sep (met Thu 17), 17 + 7 = Thu 24 Sep "
            "(met that day), 24 + 7 = Thu 1 Oct (met that day), 1 Oct (day 24) + 7 = Thu 8 Oct "
            "(met that day); 8 Oct is day 31, past 4 weeks, so 'every six weeks for at least "
            "the first year': 8 Oct + 42 = Thu 19 Nov, upcoming. england: 1 week -> 14 Sep met "
            "by 7 Sep, then 6 weeks from each visit, each met by the next visit: 7 Sep + 42 = "
            "19 Oct, 11 Sep + 42 = 23 Oct, 17 Sep + 42 = 29 Oct, 24 Sep + 42 = 5 Nov, 1 Oct + "
            "42 = 12 Nov, and 8 Oct + 42 = 19 Nov upcoming."
        ),
    ),
    Example(
        name="redcar_cla_visit_placed_friday_before_christmas",
        authority="redcar-and-cleveland",
        as_of="2027-01-08",
        events=[
            ev("became_looked_after", "2026-12-18"),
            placed("2026-12-18"),
            ev(SEEN, "2026-12-21"),
            ev(SEEN, "2026-12-24"),
            ev(SEEN, "2026-12-29"),
        ],
        expect={
            "redcar-and-cleveland.cla_visit": [
                ("2026-12-18", "met_late", 1),
                ("2026-12-25", "met", 0),
                ("2026-12-31", "met", 0),
                ("2027-01-05", "overdue", 3),
            ],
            "england.cla_visit": [
                ("2026-12-25", "met", 0),
                ("2027-02-01", "met", 0),
                ("2027-02-04", "met", 0),
                ("2027-02-09", "upcoming", 0),
            ],
        },
        why=(
            "Foster placement Fri 18 Dec 2026. Redcar: seen the day placed -> Fri 18 Dec, first "
            "seen Mon 21 Dec: met_late 1; within 1 week of the beginning -> Fri 25 Dec "
            "(calendar weeks), met by the next visit Thu 24 Dec; weekly: 24 Dec + 7 = Thu 31 "
            "Dec, met Tue 29 Dec; 29 Dec (day 11) + 7 = Tue 5 Jan 2027, not seen: overdue, Wed "
            "6, Thu 7, Fri 8 = 3. england: 1 week -> Fri 25 Dec met by 21 Dec; 21 Dec + 42 = Mon "
            "1 Feb met by 24 Dec; 24 Dec + 42 = Thu 4 Feb met by 29 Dec; 29 Dec + 42 = Tue 9 "
            "Feb, upcoming."
        ),
    ),
    # =====================================================================================
    # Section 4. Recurrence until an event.
    # =====================================================================================
    Example(
        name="adoption_visits_weekly_past_four_weeks_while_review_is_late_gloucestershire",
        authority="gloucestershire",
        as_of="2026-11-12",
        events=[
            ev("became_looked_after", "2026-10-05"),
            placed("2026-10-05", "placed_for_adoption"),
            ev(SEEN, "2026-10-09"),
            ev(SEEN, "2026-10-16"),
            ev(SEEN, "2026-10-23"),
            ev(SEEN, "2026-10-30"),
            ev(SEEN, "2026-11-06"),
        ],
        expect={
            "england.adoption_visit": [
                ("2026-10-12", "met", 0),
                ("2026-10-16", "met", 0),
                ("2026-10-23", "met", 0),
                ("2026-10-30", "met", 0),
                ("2026-11-06", "met", 0),
                ("2026-11-13", "upcoming", 0),
            ],
            "england.adoption_review": [("2026-11-02", "overdue", 8)],
            "gloucestershire.adoption_visit": [
                ("2026-10-12", "met", 0),
                ("2026-10-16", "met", 0),
                ("2026-10-23", "met", 0),
                ("2026-10-30", "met", 0),
                ("2026-11-06", "met", 0),
                ("2026-11-13", "upcoming", 0),
            ],
        },
        why=(
            "Placed for adoption Mon 5 Oct 2026. 'visited within one week of the placement' -> "
            "Mon 12 Oct, met Fri 9 Oct; 'at least once a week until the first review': 9 Oct + "
            "7 = 16 Oct, 16 + 7 = 23, 23 + 7 = 30, 30 + 7 = Fri 6 Nov, each met that day; the "
            "first review, due 4 weeks after placement (Mon 2 Nov), has not been held, so the "
            "weekly duty runs on: 6 Nov + 7 = Fri 13 Nov, upcoming. The review is overdue as "
            "of Thu 12 Nov: 3-6 Nov = 4, 9-12 Nov = 8. Gloucestershire 'At least weekly until "
            "first review' counts the same."
        ),
    ),
    Example(
        name="adoption_visits_after_a_late_first_review_redcar",
        authority="redcar-and-cleveland",
        as_of="2026-11-30",
        events=[
            ev("became_looked_after", "2026-10-05"),
            placed("2026-10-05", "placed_for_adoption"),
            ev(SEEN, "2026-10-09"),
            ev(SEEN, "2026-10-16"),
            ev(SEEN, "2026-10-23"),
            ev(SEEN, "2026-10-30"),
            ev(SEEN, "2026-11-06"),
            ev("adoption_review_held", "2026-11-10"),
            ev(SEEN, "2026-11-12"),
        ],
        expect={
            "england.adoption_visit": [
                ("2026-10-12", "met", 0),
                ("2026-10-16", "met", 0),
                ("2026-10-23", "met", 0),
                ("2026-10-30", "met", 0),
                ("2026-11-06", "met", 0),
                ("2026-11-13", "met", 0),
            ],
            "england.adoption_review": [
                ("2026-11-02", "met_late", 6),
                ("2027-02-10", "upcoming", 0),
            ],
            "redcar-and-cleveland.adoption_visit": [
                ("2026-10-12", "met", 0),
                ("2026-10-16", "met", 0),
                ("2026-10-23", "met", 0),
                ("2026-10-30", "met", 0),
                ("2026-11-06", "met", 0),
                ("2026-11-13", "met", 0),
                ("2026-12-24", "upcoming", 0),
            ],
        },
        why=(
            "As the Gloucestershire case to Fri 6 Nov 2026; the weekly visit set from the 6 Nov "
            "visit (no review yet) -> Fri 13 Nov is met by Thu 12 Nov. The first review, due "
            "Mon 2 Nov, was held Tue 10 Nov: met_late, 3-6 Nov = 4, 9-10 Nov = 6; the second "
            "'not more than 3 months after the first review' -> Wed 10 Feb 2027. After the "
            "review the statute sets no frequency ('as the agency decides'): england stops "
            "after the 12 Nov visit. Redcar: 'Visits are at least every 6 weeks for the first "
            "year after this': 12 Nov + 42 = Thu 24 Dec, upcoming."
        ),
    ),
    Example(
        name="connected_person_temporary_weekly_until_first_review_then_4_weekly_redcar",
        authority="redcar-and-cleveland",
        as_of="2026-03-16",
        events=[
            ev("became_looked_after", "2026-02-02"),
            placed("2026-02-02", "connected_person_temporary"),
            ev(SEEN, "2026-02-06"),
            ev(SEEN, "2026-02-12"),
            ev(SEEN, "2026-02-19"),
            ev(SEEN, "2026-02-25"),
            ev("cla_review_held", "2026-02-27"),
            ev(SEEN, "2026-03-03"),
        ],
        expect={
            "england.cla_visit.connected_person_temporary": [
                ("2026-02-09", "met", 0),
                ("2026-02-13", "met", 0),
                ("2026-02-19", "met", 0),
                ("2026-02-26", "met", 0),
                ("2026-03-04", "met", 0),
                ("2026-03-31", "upcoming", 0),
            ],
            "redcar-and-cleveland.cla_visit.connected_person_temporary": [
                ("2026-02-09", "met", 0),
                ("2026-02-13", "met", 0),
                ("2026-02-19", "met", 0),
                ("2026-02-26", "met", 0),
                ("2026-03-04", "met", 0),
                ("2026-03-31", "upcoming", 0),
            ],
            "england.cla_visit": [],
            "england.cla_review": [("2026-03-02", "met", 0), ("2026-05-27", "upcoming", 0)],
        },
        why=(
            "Placement with a temporarily approved connected person Mon 2 Feb 2026. Weekly "
            "until the first review: 2 Feb + 7 = Mon 9 Feb (met Fri 6), 6 + 7 = Fri 13 (met "
            "Thu 12), 12 + 7 = Thu 19 (met that day), 19 + 7 = Thu 26 Feb (met Wed 25), and "
            "from the 25 Feb visit, before the review, 25 + 7 = Wed 4 Mar (met Tue 3 Mar). The "
            "first review was held Fri 27 Feb, so from the 3 Mar visit 'at intervals of not "
            "more than four weeks' / 'at least every 4-weeks': 3 Mar + 28 = Tue 31 Mar. The "
            "standard reg 28(2) rule is not for this placement type. england.cla_review 20 WD "
            "of becoming looked after: 3-6 Feb = 4, 9-13 = 9, 16-20 = 14, 23-27 = 19, Mon 2 "
            "Mar = 20, met 27 Feb; second within 3 months of it -> Wed 27 May."
        ),
    ),
    Example(
        name="with_parents_weekly_until_first_review_then_6_weekly_gloucestershire",
        authority="gloucestershire",
        as_of="2026-07-20",
        events=[
            ev("became_looked_after", "2026-06-01"),
            placed("2026-06-01", "with_parents"),
            ev(SEEN, "2026-06-01"),
            ev(SEEN, "2026-06-05"),
            ev(SEEN, "2026-06-11"),
            ev(SEEN, "2026-06-17"),
            ev(SEEN, "2026-06-23"),
            ev("cla_review_held", "2026-06-25"),
            ev(SEEN, "2026-06-30"),
        ],
        expect={
            "england.cla_visit.with_parents": [
                ("2026-06-08", "met", 0),
                ("2026-06-08", "met", 0),
                ("2026-06-12", "met", 0),
                ("2026-06-18", "met", 0),
                ("2026-06-24", "met", 0),
                ("2026-06-30", "met", 0),
                ("2026-08-11", "upcoming", 0),
            ],
            "gloucestershire.cla_visit": [
                ("2026-06-01", "met", 0),
                ("2026-06-08", "met", 0),
                ("2026-07-17", "met", 0),
                ("2026-07-23", "met", 0),
                ("2026-07-29", "met", 0),
                ("2026-08-04", "met", 0),
                ("2026-08-11", "upcoming", 0),
            ],
            "england.cla_review": [("2026-06-29", "met", 0), ("2026-09-25", "upcoming", 0)],
        },
        why=(
            "Placed with parents Mon 1 Jun 2026. england reg 28(3): within 1 week -> Mon 8 Jun, "
            "met by 1 Jun; 'at least once a week until the first review': 1 Jun + 7 = Mon 8 Jun "
            "(met Fri 5), 5 + 7 = Fri 12 (met Thu 11), 11 + 7 = Thu 18 (met Wed 17), 17 + 7 = "
            "Wed 24 (met Tue 23), 23 + 7 = Tue 30 Jun (set before the review, met that day); "
            "review held Thu 25 Jun, so from 30 Jun 'thereafter at intervals of not more than "
            "six weeks' -> Tue 11 Aug. Gloucestershire: on the day Mon 1 Jun met; again within "
            "1 week of the move -> Mon 8 Jun met by Fri 5 Jun; 6-weekly from each visit, each "
            "met by the next: 5 Jun + 42 = 17 Jul, 11 Jun + 42 = 23 Jul, 17 Jun + 42 = 29 Jul, "
            "23 Jun + 42 = 4 Aug, and 30 Jun + 42 = Tue 11 Aug upcoming. england.cla_review: "
            "20 WD -> 2-5 Jun 4, 8-12 9, 15-19 14, 22-26 19, Mon 29 Jun 20, met 25 Jun; then 3 "
            "months -> Fri 25 Sep."
        ),
    ),
    # =====================================================================================
    # Section 4. Due by an event ("by the end of the assessment", "at the 2nd review").
    # =====================================================================================
    Example(
        name="redcar_genogram_and_chronology_due_when_assessment_ends_early",
        authority="redcar-and-cleveland",
        as_of="2026-03-02",
        events=[
            ev("referral_received", "2026-01-05"),
            ev("genogram_completed", "2026-02-10"),
            ev("assessment_completed", "2026-02-13"),
            ev("chronology_updated", "2026-02-16"),
        ],
        expect={
            "redcar-and-cleveland.genogram": [("2026-02-13", "met", 0)],
            "redcar-and-cleveland.chronology_update.end_of_assessment": [
                ("2026-02-13", "met_late", 1)
            ],
            "england.assessment": [("2026-03-09", "met", 0)],
            "redcar-and-cleveland.assessment": [("2026-03-09", "met", 0)],
        },
        why=(
            "Referral Mon 5 Jan 2026; the assessment's latest day is 45 WD later: 6-9 Jan 4, "
            "12-16 9, 19-23 14, 26-30 19, 2-6 Feb 24, 9-13 29, 16-20 34, 23-27 39, 2-6 Mar 44, "
            "Mon 9 Mar 45. The assessment ended Fri 13 Feb, so 'by the end of the Children and "
            "Family Assessment' / 'By the end of assessment' falls on Fri 13 Feb: genogram Tue "
            "10 Feb met; chronology Mon 16 Feb met_late 1 (Mon 16). Both assessment rules: met "
            "on 13 Feb."
        ),
    ),
    Example(
        name="redcar_genogram_before_assessment_ends_uses_45_working_days",
        authority="redcar-and-cleveland",
        as_of="2026-04-24",
        events=[
            ev("referral_received", "2026-02-16"),
            ev("genogram_completed", "2026-04-23"),
        ],
        expect={
            "redcar-and-cleveland.genogram": [("2026-04-22", "met_late", 1)],
            "redcar-and-cleveland.chronology_update.end_of_assessment": [
                ("2026-04-22", "overdue", 2)
            ],
            "england.assessment": [("2026-04-22", "overdue", 2)],
            "redcar-and-cleveland.assessment": [("2026-04-22", "overdue", 2)],
        },
        why=(
            "Referral Mon 16 Feb 2026, no assessment completed yet, so the deadline is the "
            "latest day the assessment may end, 45 WD: 17-20 Feb 4, 23-27 9, 2-6 Mar 14, 9-13 "
            "19, 16-20 24, 23-27 29, 30 Mar-2 Apr 33, (3 and 6 Apr Easter) 7-10 Apr 37, 13-17 "
            "42, 20-22 45 -> Wed 22 Apr. Genogram Thu 23 Apr: met_late 1. No chronology, no "
            "assessment as of Fri 24 Apr: overdue 2 (23, 24)."
        ),
    ),
    Example(
        name="redcar_genogram_due_on_the_day_of_a_late_assessment",
        authority="redcar-and-cleveland",
        as_of="2026-04-28",
        events=[
            ev("referral_received", "2026-02-16"),
            ev("genogram_completed", "2026-04-24"),
            ev("chronology_updated", "2026-04-24"),
            ev("assessment_completed", "2026-04-27"),
        ],
        expect={
            "redcar-and-cleveland.genogram": [("2026-04-27", "met", 0)],
            "redcar-and-cleveland.chronology_update.end_of_assessment": [("2026-04-27", "met", 0)],
            "england.assessment": [("2026-04-22", "met_late", 3)],
            "redcar-and-cleveland.assessment": [("2026-04-22", "met_late", 3)],
        },
        why=(
            "Referral Mon 16 Feb 2026, 45 WD -> Wed 22 Apr (count as the example before). The "
            "assessment ended late, Mon 27 Apr: met_late, 23, 24, 27 = 3. Once it has ended, "
            "the genogram and full chronology are due on the day it ended (Mon 27 Apr): both "
            "recorded Fri 24 Apr, met."
        ),
    ),
    Example(
        name="redcar_genogram_due_when_early_help_assessment_ends",
        authority="redcar-and-cleveland",
        as_of="2026-07-20",
        events=[
            ev("early_help_requested", "2026-06-01"),
            ev("early_help_allocated", "2026-06-03"),
            ev("early_help_assessment_completed", "2026-07-10"),
            ev("genogram_completed", "2026-07-13"),
        ],
        expect={
            "redcar-and-cleveland.genogram.early_help": [("2026-07-10", "met_late", 1)],
            "redcar-and-cleveland.assessment.early_help": [("2026-08-03", "met", 0)],
            "redcar-and-cleveland.genogram": [],
            "redcar-and-cleveland.chronology_update.end_of_assessment": [],
        },
        not_evaluated={
            "redcar-and-cleveland.genogram": None,
            "redcar-and-cleveland.chronology_update.end_of_assessment": None,
        },
        why=(
            "Early help requested Mon 1 Jun 2026; the Early Help Assessment's latest day: 45 WD "
            "-> 2-5 Jun 4, 8-12 9, 15-19 14, 22-26 19, 29 Jun-3 Jul 24, 6-10 29, 13-17 34, "
            "20-24 39, 27-31 44, Mon 3 Aug 45; it ended Fri 10 Jul: met. 'by the end of the "
            "... Early Help Assessment' -> Fri 10 Jul; genogram Mon 13 Jul: met_late 1. The "
            "social-care genogram and chronology rules count from a referral, none posted: "
            "anchor_not_posted (the open case is implied by the early help events). No "
            "england rule for early help."
            " Adjudicated: early help is not children's social care; its events, an"
            "d work done while an early help episode is open, open no social-care c"
            "ase, so rules counted from a referral do not apply and are not listed."
        ),
    ),
    Example(
        name="redcar_permanence_plan_due_at_a_late_second_review",
        authority="redcar-and-cleveland",
        as_of="2026-07-15",
        events=[
            ev("became_looked_after", "2026-03-02"),
            placed("2026-03-02"),
            ev("cla_review_held", "2026-03-27"),
            ev("permanence_plan_agreed", "2026-07-10"),
            ev("cla_review_held", "2026-07-13"),
        ],
        expect={
            "redcar-and-cleveland.permanence_plan": [("2026-07-13", "met", 0)],
            "england.cla_review": [
                ("2026-03-30", "met", 0),
                ("2026-06-27", "met_late", 11),
                ("2027-01-13", "upcoming", 0),
            ],
        },
        why=(
            "Looked after Mon 2 Mar 2026. 'a Permanence Plan ready for consideration at the 2nd "
            "Review': the 2nd review was held Mon 13 Jul, so the plan was due that day; agreed "
            "Fri 10 Jul: met (the 4-month stand-in, Thu 2 Jul, no longer applies once the "
            "review has happened). england.cla_review: 20 WD -> 3-6 Mar 4, 9-13 9, 16-20 14, "
            "23-27 19, Mon 30 Mar 20, met 27 Mar; second within 3 months of it -> Sat 27 Jun, "
            "held 13 Jul: met_late 29 Jun-3 Jul 5, 6-10 Jul 10, 13 Jul 11; then 6 months -> "
            "Wed 13 Jan 2027."
        ),
    ),
    Example(
        name="redcar_permanence_plan_before_second_review_uses_4_months",
        authority="redcar-and-cleveland",
        as_of="2026-07-06",
        events=[
            ev("became_looked_after", "2026-03-02"),
            placed("2026-03-02"),
            ev("cla_review_held", "2026-03-27"),
        ],
        expect={
            "redcar-and-cleveland.permanence_plan": [("2026-07-02", "overdue", 2)],
            "england.cla_review": [("2026-03-30", "met", 0), ("2026-06-27", "overdue", 6)],
        },
        why=(
            "Looked after Mon 2 Mar 2026; no 2nd review yet, so the permanence plan is due 4 "
            "months from becoming looked after -> Thu 2 Jul; none as of Mon 6 Jul: Fri 3, Mon 6 "
            "= overdue 2. england.cla_review: first due Mon 30 Mar met 27 Mar; second due Sat "
            "27 Jun, not held: 29 Jun-3 Jul 5, Mon 6 Jul 6."
        ),
    ),
    # =====================================================================================
    # Section 4. Conditions on attributes: Sunderland emergency / planned placements.
    # =====================================================================================
    Example(
        name="sunderland_emergency_first_placement_before_christmas",
        authority="together-for-children-sunderland",
        as_of="2027-01-08",
        events=[
            ev("became_looked_after", "2026-12-18"),
            placed("2026-12-18", attributes={"emergency": True}),
            ev("placement_planning_meeting_held", "2026-12-24"),
            ev("care_plan_completed", "2027-01-04"),
        ],
        expect={
            "england.care_plan": [("2027-01-06", "met", 0)],
            "together-for-children-sunderland.care_plan": [("2027-01-06", "met", 0)],
            "together-for-children-sunderland.care_plan.planned": [],
            "together-for-children-sunderland.placement_planning_meeting": [
                ("2026-12-23", "met_late", 1)
            ],
            "together-for-children-sunderland.placement_planning_meeting.planned": [],
        },
        why=(
            "Emergency placement Fri 18 Dec 2026. Care plan 'In an emergency placement "
            "situation ... within 10 working days' (and reg 4(2) the same): 21-24 Dec 4, (25, "
            "28) 29-31 Dec 7, (1 Jan) 4-6 Jan 10 -> Wed 6 Jan 2027; completed Mon 4 Jan: met. "
            "Placement planning meeting 'within 3 working days of placement': 21, 22, 23 -> "
            "Wed 23 Dec; held Thu 24 Dec: met_late 1. The planned-placement rules do not apply "
            "to an emergency placement."
        ),
    ),
    Example(
        name="sunderland_planned_first_placement",
        authority="together-for-children-sunderland",
        as_of="2026-09-14",
        events=[
            ev("placement_planning_meeting_held", "2026-09-04"),
            ev("became_looked_after", "2026-09-07"),
            placed("2026-09-07", attributes={"emergency": False}),
            ev("care_plan_completed", "2026-09-09"),
        ],
        expect={
            "england.care_plan": [("2026-09-21", "met", 0)],
            "together-for-children-sunderland.care_plan.planned": [("2026-09-07", "met_late", 2)],
            "together-for-children-sunderland.care_plan": [],
            "together-for-children-sunderland.placement_planning_meeting.planned": [
                ("2026-09-07", "met", 0)
            ],
            "together-for-children-sunderland.placement_planning_meeting": [],
        },
        why=(
            "Planned placement Mon 7 Sep 2026 (emergency: false). 'Care Plan to be completed "
            "prior to placement, where the placement is planned': due on the day, Mon 7 Sep; "
            "completed Wed 9 Sep: met_late, Tue 8, Wed 9 = 2. england reg 4(2) 10 WD: 8-11 Sep "
            "4, 14-18 9, Mon 21 Sep 10: met. Meeting 'prior to the placement when it is "
            "pre-planned': due Mon 7 Sep, held Fri 4 Sep: met. The emergency rules do not apply."
        ),
    ),
    Example(
        name="sunderland_placement_without_emergency_attribute",
        authority="together-for-children-sunderland",
        as_of="2026-09-14",
        events=[
            ev("became_looked_after", "2026-09-07"),
            placed("2026-09-07"),
            ev("placement_plan_completed", "2026-09-09"),
        ],
        expect={
            "england.care_plan": [("2026-09-21", "upcoming", 0)],
            "england.placement_plan": [("2026-09-14", "met", 0)],
            "together-for-children-sunderland.placement_plan": [("2026-09-10", "met", 0)],
            "together-for-children-sunderland.care_plan": [],
            "together-for-children-sunderland.care_plan.planned": [],
            "together-for-children-sunderland.placement_planning_meeting": [],
            "together-for-children-sunderland.placement_planning_meeting.planned": [],
        },
        not_evaluated={
            "together-for-children-sunderland.care_plan": "attribute_needed",
            "together-for-children-sunderland.care_plan.planned": "attribute_needed",
            "together-for-children-sunderland.placement_planning_meeting": "attribute_needed",
            "together-for-children-sunderland.placement_planning_meeting.planned": (
                "attribute_needed"
            ),
        },
        why=(
            "Foster placement Mon 7 Sep 2026 that does not say whether it was an emergency: "
            "the four emergency/planned rules cannot choose and are listed attribute_needed. "
            "Rules that do not depend on it still run: england.care_plan 10 WD -> Mon 21 Sep, "
            "upcoming; england.placement_plan 5 WD -> 8-11 Sep 4, Mon 14 Sep 5, met by Wed 9 "
            "Sep; Sunderland placement plan 72 hours = 3 days -> Thu 10 Sep, met."
        ),
    ),
    # =====================================================================================
    # Section 4. A change of frequency at an age, counted from the last contact.
    # =====================================================================================
    Example(
        name="gloucestershire_care_leaver_contact_at_21_from_the_last_contact",
        authority="gloucestershire",
        as_of="2027-01-04",
        dob="2005-07-15",
        events=[
            ev("pathway_plan_reviewed", "2026-02-02"),
            ev("care_leaver_contact", "2026-03-23"),
            ev("care_leaver_contact", "2026-05-11"),
            ev("care_leaver_contact", "2026-06-29"),
            ev("care_leaver_contact", "2026-12-23"),
        ],
        expect={
            "gloucestershire.care_leaver_contact": [
                ("2026-05-18", "met", 0),
                ("2026-07-06", "met", 0),
            ],
            "gloucestershire.care_leaver_contact.21_plus": [
                ("2026-12-29", "met", 0),
                ("2027-06-23", "upcoming", 0),
            ],
        },
        why=(
            "A care leaver (21 on Wed 15 Jul 2026) whose history starts with a pathway plan "
            "review on Mon 2 Feb 2026: the care-leaver episode is inferred from it, so the "
            "16-20 rule ('at least 8 weekly') is taken at its steady step from 2 Feb: + 56 days "
            "= Mon 30 Mar, met 23 Mar (counted from a day that is not a contact, and met: "
            "not returned); 23 Mar + 56 = Mon 18 May, met 11 May; 11 May "
            "+ 56 = Mon 6 Jul, met 29 Jun; 29 Jun + 56 = 24 Aug is after the 21st birthday, "
            "when that rule stops: not returned. '21+ - At least every 6 months' counted from "
            "the last contact on or before the birthday (Mon 29 Jun) -> Tue 29 Dec 2026, met by "
            "Wed 23 Dec; then 6 months -> Wed 23 Jun 2027. No england rule sets contact "
            "frequency."
        ),
    ),
    Example(
        name="redcar_care_leaver_contact_2_monthly_until_20_then_6_monthly",
        authority="redcar-and-cleveland",
        as_of="2027-04-05",
        dob="2007-03-10",
        events=[
            ev("left_care", "2025-03-10"),
            ev("care_leaver_contact", "2025-05-08"),
            ev("care_leaver_contact", "2025-07-07"),
            ev("care_leaver_contact", "2025-09-05"),
            ev("care_leaver_contact", "2025-11-05"),
            ev("care_leaver_contact", "2026-01-05"),
            ev("care_leaver_contact", "2026-03-05"),
            ev("care_leaver_contact", "2026-05-05"),
            ev("care_leaver_contact", "2026-07-06"),
            ev("care_leaver_contact", "2026-09-04"),
            ev("care_leaver_contact", "2026-11-04"),
            ev("care_leaver_contact", "2027-01-04"),
            ev("care_leaver_contact", "2027-03-01"),
        ],
        expect={
            "redcar-and-cleveland.care_leaver_contact": [
                ("2025-05-10", "met", 0),
                ("2025-07-08", "met", 0),
                ("2025-09-07", "met", 0),
                ("2025-11-05", "met", 0),
                ("2026-01-05", "met", 0),
                ("2026-03-05", "met", 0),
                ("2026-05-05", "met", 0),
                ("2026-07-05", "met_late", 1),
                ("2026-09-06", "met", 0),
                ("2026-11-04", "met", 0),
                ("2027-01-04", "met", 0),
                ("2027-03-04", "met", 0),
            ],
            "redcar-and-cleveland.care_leaver_contact.from_20": [("2027-09-01", "upcoming", 0)],
        },
        why=(
            "Left care at 18 on Mon 10 Mar 2025; 20 on Wed 10 Mar 2027. 'seen at least every "
            "2-months ... until they are 20': 10 Mar + 2 months = Sat 10 May 2025 (met Thu 8 "
            "May), then 2 months from each contact: 8 Jul (met 7 Jul), 7 Sep (met 5 Sep), 5 Nov "
            "(met that day), 5 Jan 2026, 5 Mar, 5 May (each met that day), Sun 5 Jul 2026 (met "
            "Mon 6 Jul, late by 1 working day), 6 Sep (met 4 Sep), 4 Nov, 4 Jan 2027 (met that "
            "day), 4 Mar (met 1 Mar); 1 Mar + 2 months = 1 May 2027 is after the 20th birthday: "
            "not returned. 'After this ... at least once every 6 months', from the last contact "
            "on or before the 20th birthday (Mon 1 Mar 2027) -> Wed 1 Sep 2027, upcoming."
        ),
    ),
    Example(
        name="gloucestershire_pathway_plan_review_post_18_from_last_review_in_care",
        authority="gloucestershire",
        as_of="2027-01-04",
        dob="2008-05-20",
        events=[
            ev("became_looked_after", "2025-06-02"),
            placed("2025-06-02"),
            ev("pathway_plan_completed", "2026-02-09"),
            ev("cla_review_held", "2026-02-10"),
            ev("ceased_looked_after", "2026-05-20"),
            ev("left_care", "2026-05-20"),
            ev("pathway_plan_reviewed", "2026-08-03"),
        ],
        expect={
            "gloucestershire.pathway_plan_review.post_18": [
                ("2026-08-10", "met", 0),
                ("2027-02-03", "upcoming", 0),
            ],
            "gloucestershire.pathway_plan_review": [("2026-08-09", "met", 0)],
            "england.pathway_plan_review": [
                ("2026-08-09", "met", 0),
                ("2027-02-03", "upcoming", 0),
            ],
        },
        why=(
            "Pathway plan written Mon 9 Feb 2026 and reviewed at the child in care review Tue "
            "10 Feb; left care at 18 on Wed 20 May 2026. Under 18 (reviewed 'via child in care "
            "review at least 6 monthly'): 9 Feb + 6 months = Sun 9 Aug, met by the 10 Feb "
            "review; the next (10 Aug) was outstanding when care ended: not returned. 'Pathway "
            "plans post 18 - ... reviewed at least 6 monthly', counted from the last review "
            "before leaving care (10 Feb) -> Mon 10 Aug, met by Mon 3 Aug; then 6 months -> "
            "Wed 3 Feb 2027 (from leaving care it would have been Fri 20 Nov). england reg 7: "
            "6 months from the pathway plan (latest pathway_plan_completed, 9 Feb) -> Sun 9 "
            "Aug, met 3 Aug; then Wed 3 Feb 2027."
        ),
    ),
    Example(
        name="gloucestershire_case_supervision_back_to_2_monthly_after_a_move",
        authority="gloucestershire",
        as_of="2026-11-02",
        events=[
            ev("became_looked_after", "2026-01-05"),
            placed("2026-01-05"),
            ev("case_supervision_held", "2026-02-26"),
            ev("placement_agreed_permanent", "2026-03-16"),
            ev("case_supervision_held", "2026-04-22"),
            ev("case_supervision_held", "2026-07-20"),
            placed("2026-08-03"),
            ev("case_supervision_held", "2026-09-14"),
        ],
        expect={
            "gloucestershire.case_supervision.cic": [
                ("2026-03-05", "met", 0),
                ("2026-04-26", "met", 0),
                ("2026-07-22", "met", 0),
                ("2026-10-20", "met", 0),
                ("2026-11-14", "upcoming", 0),
            ],
        },
        why=(
            "'Children in care - At a minimum of 2-monthly/3-monthly when long-term matched'. "
            "In care Mon 5 Jan 2026: + 2 months = Thu 5 Mar, met 26 Feb; from 26 Feb (not yet "
            "matched) 2 months -> Sun 26 Apr, met 22 Apr; matched in the current placement on "
            "16 Mar, so from 22 Apr 3 months -> Wed 22 Jul, met 20 Jul; from 20 Jul (still the "
            "matched placement) 3 months -> Tue 20 Oct, met 14 Sep; the move of Mon 3 Aug ended "
            "the match, so from 14 Sep 2 months -> Sat 14 Nov, upcoming (3-monthly would give "
            "14 Dec). No england rule sets case supervision."
        ),
    ),
    # =====================================================================================
    # Section 4. Eligibility (CPPCR reg 40): becoming an eligible child after 16.
    # =====================================================================================
    Example(
        name="needs_assessment_for_child_entering_care_at_16_and_a_half",
        authority="gloucestershire",
        as_of="2026-11-02",
        dob="2010-01-15",
        events=[
            ev("became_looked_after", "2026-07-15"),
            placed("2026-07-15"),
            ev("pathway_plan_completed", "2026-10-30"),
        ],
        expect={
            "england.pathway_needs_assessment": [("2027-01-14", "met", 0)],
            "gloucestershire.pathway_plan": [("2026-10-15", "met_late", 11)],
        },
        why=(
            "16 on 15 Jan 2026; looked after from Wed 15 Jul 2026 (16 years 6 months). Eligible "
            "after 13 weeks looked after since 14: 15 Jul + 91 days (16 days to 31 Jul, 47 to 31 "
            "Aug, 77 to 30 Sep, 91 on 14 Oct) = Wed 14 Oct 2026; needs assessment 'not more "
            "than three months after the date on which C ... becomes an eligible child after "
            "that age' -> Thu 14 Jan 2027; plan Fri 30 Oct: met. Gloucestershire 'in place by "
            "16 years 3m' for a "
            "child who was 16 before coming into care: 3 months from the start of care -> Thu "
            "15 Oct 2026; Fri 30 Oct: met_late, 16 Oct 1, 19-23 6, 26-30 11."
        ),
    ),
    Example(
        name="needs_assessment_for_child_entering_care_weeks_before_16",
        authority="gloucestershire",
        as_of="2026-07-06",
        dob="2010-03-10",
        events=[
            ev("became_looked_after", "2026-02-09"),
            placed("2026-02-09"),
            ev("pathway_plan_completed", "2026-06-15"),
        ],
        expect={
            "england.pathway_needs_assessment": [("2026-08-11", "met", 0)],
            "gloucestershire.pathway_plan": [("2026-06-10", "met_late", 3)],
        },
        why=(
            "Looked after from Mon 9 Feb 2026, a month before the 16th birthday (Tue 10 Mar "
            "2026): at 16 the child has been looked after only 29 days, so becomes eligible "
            "after 13 weeks: 9 Feb + 91 days (19 days to 28 Feb, 50 to 31 Mar, 80 to 30 Apr, 91 "
            "on 11 May) = Mon 11 May; needs assessment 3 months later -> Tue 11 Aug; plan Mon "
            "15 Jun: met. "
            "Gloucestershire counts from the 16th birthday (in care then): 10 Mar + 3 months = "
            "Wed 10 Jun; 15 Jun met_late, Thu 11, Fri 12, Mon 15 = 3."
        ),
    ),
    # =====================================================================================
    # Section 4. Short breaks.
    # =====================================================================================
    Example(
        name="short_breaks_gloucestershire",
        authority="gloucestershire",
        as_of="2026-11-02",
        events=[
            ev("became_looked_after", "2026-04-13"),
            placed("2026-04-13", "short_break"),
            ev(SEEN, "2026-04-17"),
            ev(SEEN, "2026-07-09"),
            ev("cla_review_held", "2026-07-10"),
        ],
        expect={
            "gloucestershire.short_break_visit": [
                ("2026-04-20", "met", 0),
                ("2026-07-17", "met", 0),
                ("2027-01-09", "upcoming", 0),
            ],
            "england.short_break_review": [
                ("2026-07-13", "met", 0),
                ("2027-01-10", "upcoming", 0),
            ],
            "england.cla_review": [],
            "gloucestershire.cla_review": [],
            "england.cla_visit": [],
        },
        why=(
            "A series of short breaks from Mon 13 Apr 2026, the only placement. Gloucestershire "
            "'Within 7 days, then within 3 months and 6 monthly thereafter' (the YAML's reading: "
            "3 months from the first visit): 13 Apr + 7 = Mon 20 Apr, met Fri 17 Apr; 17 Apr + 3 "
            "months = Fri 17 Jul, met Thu 9 Jul; 9 Jul + 6 months = Sat 9 Jan 2027. reg 48 "
            "review 'within three months of the first short break' -> Mon 13 Jul, held Fri 10 "
            "Jul: met; 'at least six monthly' -> Sun 10 Jan 2027. The ordinary looked-after "
            "review rules (20 WD / 3 / 6 months) and reg 28(2) visits do not apply to a "
            "short-break-only episode."
        ),
    ),
    Example(
        name="short_breaks_redcar_first_visit_late_over_christmas",
        authority="redcar-and-cleveland",
        as_of="2027-04-01",
        events=[
            ev("became_looked_after", "2026-12-18"),
            placed("2026-12-18", "short_break"),
            ev(SEEN, "2026-12-29"),
            ev(SEEN, "2027-03-15"),
            ev("cla_review_held", "2027-03-24"),
        ],
        expect={
            "redcar-and-cleveland.short_break_visit": [
                ("2026-12-25", "met_late", 1),
                ("2027-03-18", "met", 0),
                ("2027-09-15", "upcoming", 0),
            ],
            "redcar-and-cleveland.cla_visit.short_break": [
                ("2027-06-18", "met", 0),
                ("2027-06-29", "met", 0),
                ("2027-09-15", "upcoming", 0),
            ],
            "england.short_break_review": [
                ("2027-03-18", "met_late", 4),
                ("2027-09-24", "upcoming", 0),
            ],
            "redcar-and-cleveland.short_break_review": [
                ("2027-03-18", "met_late", 4),
                ("2027-09-24", "upcoming", 0),
            ],
            "england.cla_review": [],
        },
        why=(
            "Short breaks from Fri 18 Dec 2026. Redcar 'seen within the first 7 days of "
            "placement' -> Fri 25 Dec; first seen Tue 29 Dec: met_late, working days in (25, "
            "29 Dec] = Tue 29 (Mon 28 bank holiday) = 1. 'then within 3 months of the first "
            "placement day' -> Thu 18 Mar 2027 (not 3 months from the 29 Dec visit, 29 Mar), "
            "met Mon 15 Mar; then 'intervals of no less than 6 months' from that visit -> Wed "
            "15 Sep 2027. 'seen as a minimum twice a year in that setting': 18 Dec + 6 months "
            "= Fri 18 Jun met by 29 Dec; 29 Dec + 6 months = Tue 29 Jun met by 15 Mar; 15 Mar + "
            "6 months = 15 Sep upcoming. Review within 3 months of the first short break -> "
            "Thu 18 Mar, held Wed 24 Mar: met_late 19, 22, 23, 24 = 4; then 6 months -> Fri 24 "
            "Sep 2027 (reg 48 and Redcar's 'reviewed within 3 months ... thereafter at "
            "6-monthly intervals' alike)."
        ),
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[x.name for x in EXAMPLES])
def test_worked_example(example):
    check(example)

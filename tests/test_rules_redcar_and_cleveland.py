"""Redcar & Cleveland: hand-checked worked examples for every computable rule.

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

import pytest

from tests.engine_helpers import DOB, D, ev, only, placed, run

AUTHORITY = "redcar-and-cleveland"


def row(rule, events, as_of, expected, why, dob=DOB, id=None):
    """expected: every deadline of the rule, [(due, status, working days overdue/late)];
    None for a late count not checked (a gap of many months)."""
    return pytest.param(
        "redcar-and-cleveland." + rule, events, as_of, dob, expected, why, id=id or rule
    )


WORKED_EXAMPLES = [
    # -- Voice of the child: recording -------------------------------------------------------
    row(
        "case_recording",
        [
            ev("statutory_visit", "2026-12-24"),
            ev("case_note_recorded", "2027-01-04"),
            ev("statutory_visit", "2027-01-06"),
        ],
        "2027-01-14",
        [("2027-01-05", "met", 0), ("2027-01-13", "overdue", 1)],
        "visit Thu 24 Dec: 25 Dec and 28 Dec (Boxing Day substitute) skipped, 29, 30, 31 = 3, "
        "1 Jan skipped, 4, 5 Jan = 5; note 4 Jan meets it. Visit Wed 6 Jan: 7, 8 = 2, "
        "11, 12, 13 = 5, no note since: overdue by 14 Jan = 1",
    ),
    row(
        "case_recording",
        [
            ev("statutory_visit", "2026-11-02"),
            ev("statutory_visit", "2026-11-04"),
            ev("case_note_recorded", "2026-11-05"),
        ],
        "2026-11-16",
        [("2026-11-09", "met", 0), ("2026-11-11", "met", 0)],
        "each visit its own clock: 2 Nov + 5 WD (3, 4, 5, 6, 9) = 9 Nov; 4 Nov + 5 WD (5, 6, 9, "
        "10, 11) = 11 Nov; one case note written up on 5 Nov after both visits meets both",
        id="case_recording-one-note-written-up-after-two-visits-meets-both",
    ),
    row(
        "case_summary_update",
        [ev("referral_received", "2026-11-30"), ev("case_summary_updated", "2027-02-26")],
        "2027-06-01",
        [("2027-02-28", "met", 0), ("2027-05-26", "overdue", 3)],
        "30 Nov + 3 months clips to 28 Feb 2027; updated 26 Feb; 26 Feb + 3 months = Wed "
        "26 May; overdue 27, 28 May, 31 May spring bank holiday skipped, 1 June = 3",
    ),
    # -- Visiting ----------------------------------------------------------------------------
    row(
        "early_help_contact",
        [
            ev("early_help_requested", "2026-12-21"),
            ev("early_help_allocated", "2026-12-23"),
            ev("statutory_visit", "2027-01-05"),
        ],
        "2027-01-06",
        [("2027-01-04", "met_late", 1)],
        "allocated Wed 23 Dec: 24 = 1, 25 and 28 Dec skipped, 29, 30, 31 = 4, 1 Jan skipped, "
        "Mon 4 Jan = 5; visit on 5 Jan is 1 working day late",
    ),
    row(
        "early_help_visit",
        [
            ev("early_help_requested", "2026-12-21"),
            ev("early_help_allocated", "2026-12-23"),
            ev("statutory_visit", "2027-01-18"),
        ],
        "2027-02-15",
        [("2027-01-20", "met", 0), ("2027-02-15", "due_today", 0)],
        "4 weeks from allocation 23 Dec = 20 Jan (visit 18 Jan); 18 Jan + 28 days = 15 Feb",
    ),
    row(
        "s47_visit",
        [ev("strategy_discussion_held", "2026-04-02"), ev("s47_started", "2026-04-02")],
        "2026-04-10",
        [("2026-04-08", "overdue", 2)],
        "s47 started Thu 2 Apr: Good Friday 3 Apr and Easter Monday 6 Apr skipped, 7 = 1, "
        "8 = 2; no visit, overdue 9, 10 Apr = 2",
    ),
    row(
        "referral_decision",
        [
            ev("referral_received", "2026-12-24"),
            ev("referral_decision_made", "2026-12-29"),
            ev("referral_received", "2027-01-08"),
        ],
        "2027-01-11",
        [("2026-12-29", "met", 0), ("2027-01-11", "due_today", 0)],
        "each referral: Thu 24 Dec, 25 Dec, weekend and 28 Dec skipped, Tue 29 Dec = 1; "
        "Fri 8 Jan, weekend, Mon 11 Jan = 1",
    ),
    row(
        "referral_decision.contact",
        [ev("contact_received", "2026-08-28"), ev("referral_decision_made", "2026-09-02")],
        "2026-09-03",
        [("2026-09-01", "met_late", 1)],
        "contact Fri 28 Aug: weekend, 31 Aug summer bank holiday skipped, Tue 1 Sept = 1; "
        "decision Wed 2 Sept, 1 working day late",
    ),
    row(
        "cin_visit",
        [ev("cin_plan_started", "2026-12-07"), ev("statutory_visit", "2027-01-06")],
        "2027-02-05",
        [("2027-01-07", "met", 0), ("2027-02-03", "overdue", 2)],
        "plan Mon 7 Dec: 8-11 = 4, 14-18 = 9, 21-24 = 13, 25 and 28 Dec skipped, 29-31 = 16, "
        "1 Jan skipped, 4-7 Jan = 20. Visit Wed 6 Jan: 7, 8 = 2, 11-15 = 7, 18-22 = 12, "
        "25-29 = 17, 1, 2, 3 Feb = 20; overdue 4, 5 Feb = 2",
    ),
    row(
        "cp_visit",
        [
            ev("icpc_held", "2026-12-23"),
            ev("cp_plan_started", "2026-12-23"),
            ev("statutory_visit", "2026-12-24"),
        ],
        "2027-01-12",
        [("2026-12-25", "met", 0), ("2027-01-12", "due_today", 0)],
        "48 hours from a date = 2 days: 25 Dec; visit Thu 24 Dec, then 10 working days: "
        "25 and 28 Dec skipped, 29, 30, 31 = 3, 1 Jan skipped, 4-8 Jan = 8, 11, 12 = 10",
    ),
    # A placement in a foster home: weekly while the last visit is in the first four weeks
    # (before 2 Nov + 28 days = 30 Nov), then 6-weekly.
    row(
        "cla_visit",
        [
            ev("became_looked_after", "2026-11-02"),
            placed("2026-11-02", "foster"),
            ev("statutory_visit", "2026-11-02"),
            ev("statutory_visit", "2026-11-09"),
            ev("statutory_visit", "2026-11-16"),
            ev("statutory_visit", "2026-11-23"),
            ev("statutory_visit", "2026-11-30"),
        ],
        "2026-12-01",
        [
            ("2026-11-02", "met", 0),
            ("2026-11-09", "met", 0),
            ("2026-11-16", "met", 0),
            ("2026-11-23", "met", 0),
            ("2026-11-30", "met", 0),
            ("2027-01-11", "upcoming", 0),
        ],
        "seen the day placed, Mon 2 Nov; then within 1 week of the beginning of the placement, "
        "9 Nov (visit 9 Nov); weekly from the visits of 9, 16, 23 Nov (before 30 Nov, the "
        "placement's fourth week): 16, 23, 30 Nov; the 30 Nov visit is not before 30 Nov, so "
        "6 weeks: 30 Nov + 42 days = 11 Jan 2027",
        id="cla_visit-weekly-then-6-weekly",
    ),
    # After the first year (from 6 Jan 2026), 3-monthly once agreed permanent (20 Nov 2025).
    row(
        "cla_visit",
        [
            ev("became_looked_after", "2025-01-06"),
            placed("2025-01-06", "residential"),
            ev("statutory_visit", "2025-01-06"),
            ev("placement_agreed_permanent", "2025-11-20"),
            ev("statutory_visit", "2025-12-29"),
            ev("statutory_visit", "2026-02-06"),
        ],
        "2026-05-07",
        [
            ("2025-01-06", "met", 0),
            ("2025-01-13", "met_late", None),
            ("2026-02-09", "met", 0),
            ("2026-05-06", "overdue", 1),
        ],
        "the day placed: 6 Jan 2025 (visit 6 Jan); within 1 week of the placement: 13 Jan, next "
        "visit 29 Dec (late); "
        "29 Dec 2025 is in the first year (before 6 Jan 2026): 6 weeks = 9 Feb 2026 (visit "
        "6 Feb); 6 Feb is after the first year and the placement is agreed permanent: "
        "3 months = 6 May; overdue 7 May = 1",
        id="cla_visit-3-monthly-after-the-first-year-when-permanent",
    ),
    row(
        "cla_visit",
        [
            ev("became_looked_after", "2025-01-06"),
            placed("2025-01-06", "residential"),
            ev("statutory_visit", "2025-01-06"),
            ev("statutory_visit", "2025-12-29"),
            ev("statutory_visit", "2026-02-06"),
        ],
        "2026-05-07",
        [
            ("2025-01-06", "met", 0),
            ("2025-01-13", "met_late", None),
            ("2026-02-09", "met", 0),
            ("2026-03-20", "overdue", 31),
        ],
        "as above, not agreed permanent: 6 Feb + 42 days = Fri 20 Mar; overdue 23-27 = 5, "
        "30, 31 Mar, 1, 2 Apr = 9, Good Friday and Easter Monday skipped, 7-10 = 13, 13-17 = 18, "
        "20-24 = 23, 27-30 = 27, 1 May = 28, 4 May skipped, 5, 6, 7 = 31",
        id="cla_visit-6-weekly-after-the-first-year-when-not-permanent",
    ),
    row(
        "cla_visit.short_break",
        [placed("2026-08-31", "short_break"), ev("statutory_visit", "2027-02-26")],
        "2027-03-01",
        [("2027-02-28", "met", 0), ("2027-08-26", "upcoming", 0)],
        "31 Aug + 6 months clips to 28 Feb 2027; visit 26 Feb + 6 months = 26 Aug 2027",
    ),
    row(
        "short_break_visit",
        [
            placed("2026-12-18", "short_break"),
            ev("statutory_visit", "2026-12-22"),
            ev("statutory_visit", "2027-03-19"),
        ],
        "2027-03-22",
        [("2026-12-25", "met", 0), ("2027-03-18", "met_late", 1), ("2027-09-19", "upcoming", 0)],
        "7 calendar days from 18 Dec = 25 Dec (visit 22 Dec); then within 3 months of the "
        "first placement day, not of the first visit: 18 Dec + 3 months = Thu 18 Mar 2027, "
        "seen Fri 19 Mar, 1 working day late; then 6 months from that visit: 19 Sept 2027",
    ),
    # Weekly until the first adoption review (30 Nov), checked at the previous visit.
    row(
        "adoption_visit",
        [
            ev("became_looked_after", "2026-10-01"),
            placed("2026-11-02", "placed_for_adoption"),
            ev("statutory_visit", "2026-11-06"),
            ev("statutory_visit", "2026-11-13"),
            ev("statutory_visit", "2026-11-20"),
            ev("statutory_visit", "2026-11-27"),
            ev("adoption_review_held", "2026-11-30"),
            ev("statutory_visit", "2026-12-02"),
        ],
        "2026-12-03",
        [
            ("2026-11-09", "met", 0),
            ("2026-11-13", "met", 0),
            ("2026-11-20", "met", 0),
            ("2026-11-27", "met", 0),
            ("2026-12-04", "met", 0),
            ("2027-01-13", "upcoming", 0),
        ],
        "1 week from 2 Nov = 9 Nov; weekly from the visits of 6, 13, 20, 27 Nov (before the "
        "review): 13, 20, 27 Nov, 4 Dec; the 2 Dec visit follows the review and is in the "
        "first year: 2 Dec + 42 days = 13 Jan 2027",
        id="adoption_visit-weekly-until-the-review-then-6-weekly",
    ),
    row(
        "adoption_visit",
        [
            ev("became_looked_after", "2025-06-02"),
            placed("2025-11-03", "placed_for_adoption"),
            ev("statutory_visit", "2025-11-07"),
            ev("adoption_review_held", "2025-11-28"),
            ev("statutory_visit", "2025-12-01"),
            ev("statutory_visit", "2026-11-05"),
        ],
        "2026-11-06",
        [
            ("2025-11-10", "met", 0),
            ("2025-11-14", "met_late", None),
            ("2026-01-12", "met_late", None),
            ("2027-02-05", "upcoming", 0),
        ],
        "1 week: 10 Nov 2025 (visit 7 Nov); no review yet: weekly, 14 Nov, met late 1 Dec; "
        "1 Dec follows the review, first year: 1 Dec + 42 days = 12 Jan 2026, met late "
        "5 Nov 2026; 5 Nov 2026 is after the first year (3 Nov 2026): 3 months = 5 Feb 2027",
        id="adoption_visit-3-monthly-after-the-first-year",
    ),
    row(
        "private_fostering_visit",
        [ev("private_fostering_notified", "2026-11-20"), ev("statutory_visit", "2026-11-25")],
        "2027-01-07",
        [("2026-11-27", "met", 0), ("2027-01-06", "overdue", 1)],
        "7 calendar days from Fri 20 Nov = 27 Nov (visit 25 Nov); in the first 12 months: "
        "25 Nov + 42 days = 6 Jan 2027; overdue 7 Jan = 1",
    ),
    row(
        "private_fostering_visit",
        [
            ev("private_fostering_notified", "2025-11-03"),
            ev("statutory_visit", "2025-11-07"),
            ev("statutory_visit", "2026-11-10"),
        ],
        "2026-11-11",
        [("2025-11-10", "met", 0), ("2025-12-19", "met_late", None), ("2027-02-02", "upcoming", 0)],
        "7 days: 10 Nov 2025 (visit 7 Nov); 7 Nov + 42 days = 19 Dec 2025, met late 10 Nov 2026; "
        "10 Nov 2026 is after the first 12 months (3 Nov 2026): 12 weeks = 10 Nov + 84 days "
        "= 2 Feb 2027 (20 to 30 Nov, 51 to 31 Dec, 82 to 31 Jan, 84)",
        id="private_fostering_visit-12-weekly-after-the-first-year",
    ),
    row(
        "cla_visit.connected_person_temporary",
        [
            ev("became_looked_after", "2026-12-01"),
            placed("2026-12-01", "connected_person_temporary"),
            ev("statutory_visit", "2026-12-04"),
            ev("statutory_visit", "2026-12-11"),
            ev("statutory_visit", "2026-12-18"),
            ev("cla_review_held", "2026-12-22"),
            ev("statutory_visit", "2026-12-23"),
        ],
        "2027-01-21",
        [
            ("2026-12-08", "met", 0),
            ("2026-12-11", "met", 0),
            ("2026-12-18", "met", 0),
            ("2026-12-25", "met", 0),
            ("2027-01-20", "overdue", 1),
        ],
        "1 week from 1 Dec = 8 Dec; weekly from the visits of 4, 11, 18 Dec (before the "
        "review): 11, 18, 25 Dec; the 23 Dec visit follows the review: 4 weeks = 20 Jan; "
        "overdue 21 Jan = 1",
    ),
    row(
        "cla_visit.with_parents",
        [
            ev("became_looked_after", "2026-01-12"),
            placed("2026-03-30", "with_parents"),
            ev("statutory_visit", "2026-04-02"),
        ],
        "2026-05-14",
        [("2026-04-06", "met", 0), ("2026-05-14", "due_today", 0)],
        "1 week from Mon 30 Mar = Easter Monday 6 Apr (calendar weeks); visit 2 Apr + 42 days "
        "= 14 May",
    ),
    row(
        "cla_visit.with_parents",
        [
            ev("became_looked_after", "2024-11-04"),
            placed("2025-03-03", "with_parents"),
            ev("statutory_visit", "2025-03-07"),
            ev("placement_agreed_permanent", "2026-02-10"),
            ev("statutory_visit", "2026-03-09"),
        ],
        "2026-03-10",
        [("2025-03-10", "met", 0), ("2025-04-18", "met_late", None), ("2026-06-09", "upcoming", 0)],
        "1 week: 10 Mar 2025 (visit 7 Mar); first year: 7 Mar + 42 days = 18 Apr 2025, met "
        "late 9 Mar 2026; after the first year (3 Mar 2026) and agreed permanent: 3 months "
        "= 9 June 2026",
        id="cla_visit.with_parents-3-monthly-after-the-first-year",
    ),
    row(
        "return_home_interview",
        [
            ev("missing_episode_started", "2026-12-22"),
            ev("missing_episode_ended", "2026-12-23"),
            ev("return_home_interview_completed", "2026-12-29"),
            ev("missing_episode_started", "2027-01-04"),
            ev("missing_episode_ended", "2027-01-05"),
        ],
        "2027-01-08",
        [("2026-12-26", "met_late", 1), ("2027-01-08", "due_today", 0)],
        "72 hours from a date = 3 days: 23 Dec -> Sat 26 Dec; interview Tue 29 Dec: Sun 27, "
        "Mon 28 (Boxing Day substitute) not working days, 29 = 1 late. Return 5 Jan -> 8 Jan",
    ),
    row(
        "care_leaver_contact",
        [ev("left_care", "2026-12-31"), ev("care_leaver_contact", "2027-02-26")],
        "2027-04-27",
        [("2027-02-28", "met", 0), ("2027-04-26", "overdue", 1)],
        "31 Dec + 2 months clips to 28 Feb; contact 26 Feb + 2 months = Mon 26 Apr; overdue "
        "27 Apr = 1",
        dob="2008-12-31",
    ),
    row(
        "care_leaver_contact.from_20",
        [
            ev("left_care", "2024-09-02"),
            ev("care_leaver_contact", "2026-07-01"),
            ev("care_leaver_contact", "2027-02-26"),
        ],
        "2027-03-01",
        [("2027-01-01", "met_late", 40), ("2027-08-26", "upcoming", 0)],
        "from the 20th birthday (31 Aug 2026), 6-monthly counted from the last contact before "
        "it: 1 Jul 2026 + 6 months = Fri 1 Jan 2027; next contact Fri 26 Feb, late by 4-8 Jan "
        "= 5, 11-15 = 10, 18-22 = 15, 25-29 = 20, 1-5 Feb = 25, 8-12 = 30, 15-19 = 35, "
        "22-26 = 40; 26 Feb + 6 months = 26 Aug 2027",
        dob="2006-08-31",
    ),
    # -- Relationships, networks and communities ---------------------------------------------
    row(
        "family_network_meeting",
        [ev("referral_received", "2026-12-22")],
        "2027-01-04",
        [("2027-01-01", "overdue", 1)],
        "10 calendar days from 22 Dec = 1 Jan (a bank holiday, but calendar days); "
        "overdue: 2, 3 Jan weekend, Mon 4 Jan = 1",
    ),
    row(
        "chronology_update",
        [ev("referral_received", "2027-01-31"), ev("chronology_updated", "2027-02-26")],
        "2027-03-30",
        [("2027-02-28", "met", 0), ("2027-03-26", "overdue", 1)],
        "31 Jan + 1 month clips to 28 Feb; updated 26 Feb + 1 month = Good Friday 26 Mar; "
        "overdue: weekend, Easter Monday 29 Mar skipped, 30 Mar = 1",
    ),
    row(
        "chronology_update.early_help",
        [
            ev("early_help_requested", "2026-08-20"),
            ev("early_help_allocated", "2026-08-31"),
            ev("chronology_updated", "2026-09-29"),
        ],
        "2026-10-29",
        [("2026-09-30", "met", 0), ("2026-10-29", "due_today", 0)],
        "allocated 31 Aug + 1 month clips to 30 Sept; updated 29 Sept + 1 month = 29 Oct",
    ),
    row(
        "chronology_update.end_of_assessment",
        [ev("referral_received", "2026-03-19"), ev("chronology_updated", "2026-05-27")],
        "2026-05-28",
        [("2026-05-27", "met", 0)],
        "45 WD from Thu 19 Mar: 20 = 1, 23-27 = 6, 30 Mar-2 Apr = 10, Good Friday and Easter "
        "Monday skipped, 7-10 = 14, 13-17 = 19, 20-24 = 24, 27-30 = 28, 1 May = 29, 4 May "
        "skipped, 5-8 = 33, 11-15 = 38, 18-22 = 43, 25 May skipped, 26, 27 = 45",
    ),
    row(
        "genogram",
        [ev("referral_received", "2026-11-23")],
        "2027-02-01",
        [("2027-01-28", "overdue", 2)],
        "45 WD from Mon 23 Nov: 24-27 = 4, 30 Nov-4 Dec = 9, 7-11 = 14, 14-18 = 19, 21-24 = 23, "
        "25 and 28 Dec skipped, 29-31 = 26, 1 Jan skipped, 4-8 = 31, 11-15 = 36, 18-22 = 41, "
        "25-28 = 45; overdue 29 Jan, 1 Feb = 2",
    ),
    row(
        "genogram.early_help",
        [ev("early_help_requested", "2022-08-22"), ev("genogram_completed", "2022-10-20")],
        "2022-10-27",
        [("2022-10-26", "met", 0)],
        "45 WD from Mon 22 Aug 2022: 23-26 = 4, 29 Aug skipped, 30 Aug-2 Sept = 8, 5-9 = 13, "
        "12-16 = 18, 19 Sept state funeral skipped, 20-23 = 22, 26-30 = 27, 3-7 Oct = 32, "
        "10-14 = 37, 17-21 = 42, 24, 25, 26 = 45",
    ),
    row(
        "early_help_assessment_update",
        [
            ev("early_help_requested", "2026-09-01"),
            ev("early_help_assessment_completed", "2026-10-01"),
            ev("taf_meeting_held", "2026-11-19"),
            ev("early_help_assessment_completed", "2027-01-08"),
        ],
        "2027-01-15",
        [("2026-11-26", "met", 0), ("2027-01-14", "met", 0), ("2027-03-05", "upcoming", 0)],
        "first assessment 1 Oct + 56 days = 26 Nov (TAF 19 Nov); 19 Nov + 56 = 14 Jan "
        "(re-completed assessment 8 Jan); 8 Jan + 56 = 5 Mar (23 to 31 Jan, 51 to 28 Feb, 56)",
    ),
    # -- Assessment of need ------------------------------------------------------------------
    row(
        "assessment_update",
        [
            ev("referral_received", "2024-01-08"),
            ev("assessment_completed", "2024-02-29"),
            ev("assessment_completed", "2025-02-27"),
        ],
        "2026-03-02",
        [("2025-02-28", "met", 0), ("2026-02-27", "overdue", 1)],
        "29 Feb 2024 + 12 months clips to 28 Feb 2025; updated 27 Feb 2025 + 12 months = "
        "Fri 27 Feb 2026; overdue Mon 2 Mar = 1",
    ),
    row(
        "viability_assessment",
        [
            ev("viability_assessment_requested", "2023-04-26"),
            ev("viability_assessment_completed", "2023-05-15"),
            ev("viability_assessment_requested", "2023-05-22"),
        ],
        "2023-06-06",
        [("2023-05-12", "met_late", 1), ("2023-06-06", "due_today", 0)],
        "Wed 26 Apr: 27, 28 = 2, 1 May skipped, 2-5 = 6, 8 May coronation skipped, 9-12 = 10; "
        "completed Mon 15 May, 1 late. Mon 22 May: 23-26 = 4, 29 May skipped, 30 May-2 June "
        "= 8, 5, 6 = 10",
    ),
    row(
        "assessment",
        [ev("referral_received", "2024-12-13"), ev("assessment_completed", "2025-02-19")],
        "2025-02-20",
        [("2025-02-19", "met", 0)],
        "45 WD from Fri 13 Dec 2024: 16-20 = 5, 23, 24 = 7, 25, 26 skipped, 27 = 8, 30, 31 = 10, "
        "1 Jan skipped, 2, 3 = 12, 6-10 = 17, 13-17 = 22, 20-24 = 27, 27-31 = 32, 3-7 Feb = 37, "
        "10-14 = 42, 17, 18, 19 = 45",
    ),
    row(
        "assessment.early_help",
        [
            ev("early_help_requested", "2026-04-01"),
            ev("early_help_assessment_completed", "2026-06-10"),
        ],
        "2026-06-11",
        [("2026-06-09", "met_late", 1)],
        "45 WD from Wed 1 Apr: 2 = 1, Good Friday and Easter Monday skipped, 7-10 = 5, "
        "13-17 = 10, 20-24 = 15, 27-30 = 19, 1 May = 20, 4 May skipped, 5-8 = 24, 11-15 = 29, "
        "18-22 = 34, 25 May skipped, 26-29 = 38, 1-5 June = 43, 8, 9 = 45; done 10 June, 1 late",
    ),
    # -- Planning and review -----------------------------------------------------------------
    row(
        "strategy_discussion",
        [
            ev("safeguarding_concern_identified", "2026-05-22"),
            ev("strategy_discussion_held", "2026-05-26"),
            ev("safeguarding_concern_identified", "2026-12-24"),
        ],
        "2026-12-31",
        [("2026-05-27", "met", 0), ("2026-12-30", "overdue", 1)],
        "Fri 22 May: spring bank holiday 25 May skipped, 26 = 1, 27 = 2. Thu 24 Dec: 25 and "
        "28 Dec skipped, 29 = 1, 30 = 2; overdue 31 Dec = 1",
    ),
    row(
        "s47_completion",
        [
            ev("strategy_discussion_held", "2026-12-10"),
            ev("s47_started", "2026-12-10"),
            ev("s47_completed", "2027-01-05"),
        ],
        "2027-01-06",
        [("2027-01-05", "met", 0)],
        "15 WD from Thu 10 Dec: 11 = 1, 14-18 = 6, 21-24 = 10, 25 and 28 Dec skipped, "
        "29-31 = 13, 1 Jan skipped, 4, 5 = 15",
    ),
    row(
        "early_help_plan",
        [ev("early_help_allocated", "2026-03-23"), ev("early_help_plan_completed", "2026-04-30")],
        "2026-05-01",
        [("2026-04-29", "met_late", 1)],
        "25 WD from Mon 23 Mar: 24-27 = 4, 30 Mar-2 Apr = 8, Good Friday and Easter Monday "
        "skipped, 7-10 = 12, 13-17 = 17, 20-24 = 22, 27, 28, 29 = 25; done 30 Apr, 1 late",
    ),
    row(
        "early_help_plan_review",
        [
            ev("early_help_allocated", "2026-10-19"),
            ev("early_help_plan_completed", "2026-11-13"),
            ev("taf_meeting_held", "2026-12-18"),
            ev("early_help_plan_reviewed", "2027-01-29"),
        ],
        "2027-02-01",
        [("2026-12-25", "met", 0), ("2027-01-29", "met", 0), ("2027-03-12", "upcoming", 0)],
        "plan 13 Nov + 42 days = 25 Dec (TAF 18 Dec); 18 Dec + 42 = 29 Jan (reviewed 29 Jan); "
        "29 Jan + 42 = 12 Mar",
    ),
    row(
        "cin_plan_review",
        [ev("cin_plan_started", "2026-08-31"), ev("cin_plan_reviewed", "2026-11-30")],
        "2027-03-01",
        [("2026-11-30", "met", 0), ("2027-02-28", "overdue", 1)],
        "31 Aug + 3 months clips to 30 Nov (reviewed that day); 30 Nov + 3 months clips to "
        "Sun 28 Feb; overdue Mon 1 Mar = 1",
    ),
    row(
        "core_group",
        [
            ev("icpc_held", "2026-12-03"),
            ev("cp_plan_started", "2026-12-03"),
            ev("core_group_held", "2026-12-14"),
        ],
        "2027-01-11",
        [("2026-12-31", "met", 0), ("2027-01-11", "due_today", 0)],
        "3 Dec + 28 days = 31 Dec (core group 14 Dec); 14 Dec + 28 = 11 Jan",
    ),
    row(
        "cla_plan_review",
        [ev("became_looked_after", "2026-08-31"), ev("cla_review_held", "2026-09-25")],
        "2026-09-28",
        [("2027-02-28", "met", 0), ("2027-03-25", "upcoming", 0)],
        "31 Aug + 6 months clips to 28 Feb 2027, met by the review of 25 Sept; then 6 months "
        "from that review: 25 Mar 2027",
    ),
    row(
        "permanence_plan",
        [ev("became_looked_after", "2026-10-31"), ev("permanence_plan_agreed", "2027-03-01")],
        "2027-03-02",
        [("2027-02-28", "met_late", 1)],
        "31 Oct + 4 months clips to Sun 28 Feb; agreed Mon 1 Mar, 1 working day late",
    ),
    row(
        "pathway_plan_review",
        [ev("left_care", "2026-05-20"), ev("pathway_plan_reviewed", "2026-08-19")],
        "2027-02-22",
        [("2026-08-20", "met", 0), ("2027-02-19", "overdue", 1)],
        "20 May + 3 months = 20 Aug (reviewed 19 Aug); then 6 months: Fri 19 Feb 2027; "
        "overdue Mon 22 Feb = 1",
        dob="2008-05-20",
    ),
    row(
        "short_break_review",
        [
            placed("2026-11-30", "short_break"),
            ev("cin_plan_reviewed", "2027-02-22"),
            ev("cla_review_held", "2027-08-20"),
        ],
        "2027-08-23",
        [("2027-02-28", "met", 0), ("2027-08-22", "met", 0), ("2028-02-20", "upcoming", 0)],
        "30 Nov + 3 months clips to 28 Feb (CIN review 22 Feb); 22 Feb + 6 months = 22 Aug "
        "(CLA review 20 Aug); 20 Aug + 6 months = 20 Feb 2028",
    ),
    # -- Management oversight: case supervision per population --------------------------------
    row(
        "case_supervision.allocation",
        [
            ev("referral_received", "2026-04-01"),
            ev("case_allocated", "2026-04-02"),
            ev("case_supervision_held", "2026-04-07"),
            ev("case_allocated", "2026-08-28"),
            ev("case_supervision_held", "2026-09-03"),
        ],
        "2026-09-04",
        [("2026-04-08", "met", 0), ("2026-09-02", "met_late", 1)],
        "Thu 2 Apr: Good Friday, weekend, Easter Monday skipped, 7 = 1, 8 = 2. Reallocated "
        "Fri 28 Aug: weekend, 31 Aug skipped, 1 = 1, 2 Sept = 2; supervision 3 Sept, 1 late",
    ),
    row(
        "case_supervision.early_help",
        [ev("early_help_allocated", "2026-10-05"), ev("case_supervision_held", "2026-10-30")],
        "2027-02-01",
        [("2026-11-02", "met", 0), ("2027-01-30", "overdue", 1)],
        "5 Oct + 28 days = 2 Nov (supervised 30 Oct); then 3 months: Sat 30 Jan; overdue "
        "Mon 1 Feb = 1",
    ),
    row(
        "case_supervision.cin",
        [ev("cin_plan_started", "2026-11-05"), ev("case_supervision_held", "2026-12-22")],
        "2027-02-16",
        [("2026-12-31", "met", 0), ("2027-02-16", "due_today", 0)],
        "5 Nov + 56 days = 31 Dec (25 to 30 Nov, 56); supervised 22 Dec + 56 = 16 Feb "
        "(9 to 31 Dec, 40 to 31 Jan, 56)",
    ),
    row(
        "case_supervision.cp",
        [
            ev("icpc_held", "2027-02-01"),
            ev("cp_plan_started", "2027-02-01"),
            ev("case_supervision_held", "2027-02-26"),
        ],
        "2027-03-30",
        [("2027-03-01", "met", 0), ("2027-03-26", "overdue", 1)],
        "1 Feb + 28 days = 1 Mar (supervised 26 Feb); 26 Feb + 28 = Good Friday 26 Mar; "
        "overdue: weekend, Easter Monday skipped, 30 Mar = 1",
    ),
    # 4-weekly until the permanence plan is made (1 Dec), checked at the previous supervision.
    row(
        "case_supervision.cic",
        [
            ev("became_looked_after", "2026-10-01"),
            ev("case_supervision_held", "2026-10-27"),
            ev("case_supervision_held", "2026-11-24"),
            ev("permanence_plan_agreed", "2026-12-01"),
            ev("case_supervision_held", "2026-12-21"),
        ],
        "2026-12-22",
        [
            ("2026-10-29", "met", 0),
            ("2026-11-24", "met", 0),
            ("2026-12-22", "met", 0),
            ("2027-02-15", "upcoming", 0),
        ],
        "1 Oct + 28 days = 29 Oct; 27 Oct + 28 = 24 Nov; 24 Nov (before the plan) + 28 = 22 Dec; "
        "21 Dec follows the plan: 8 weeks = 15 Feb (10 to 31 Dec, 41 to 31 Jan, 56)",
    ),
    row(
        "case_supervision.care_leavers",
        [ev("left_care", "2026-09-01"), ev("case_supervision_held", "2026-10-20")],
        "2026-12-16",
        [("2026-10-27", "met", 0), ("2026-12-15", "overdue", 1)],
        "1 Sept + 56 days = 27 Oct (29 to 30 Sept, 56); 20 Oct + 56 = 15 Dec (11 to 31 Oct, "
        "41 to 30 Nov, 56); overdue 16 Dec = 1",
        dob="2008-09-01",
    ),
    row(
        "case_supervision.short_breaks",
        [placed("2026-05-29", "short_break"), ev("case_supervision_held", "2026-08-28")],
        "2026-11-30",
        [("2026-08-29", "met", 0), ("2026-11-28", "overdue", 1)],
        "29 May + 3 months = 29 Aug (supervised 28 Aug); + 3 months = Sat 28 Nov; overdue "
        "Mon 30 Nov = 1",
    ),
]


@pytest.mark.parametrize(("rule_id", "events", "as_of", "dob", "expected", "why"), WORKED_EXAMPLES)
def test_worked_examples(rule_id, events, as_of, dob, expected, why):
    found = only(run(AUTHORITY, as_of, events, dob=dob), rule_id)
    got = [(d.due, d.status, d.working_days_overdue) for d in found]
    want = [
        (D(due), status, got[i][2] if late is None and i < len(got) else late)
        for i, (due, status, late) in enumerate(expected)
    ]
    assert got == want, why


COVERED_RULES = {p.values[0] for p in WORKED_EXAMPLES}


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

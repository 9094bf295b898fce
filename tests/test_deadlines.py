"""The deadline engine: hand-checked worked examples, journeys, and every rule firing.

Each worked example was counted by hand on GOV.UK's bank-holiday list; the
comment is the count.
"""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from app.errors import InvalidInput
from tests import oracle_calendar as oracle
from tests.engine_helpers import BOOK, D, ev, only, run

# (rule, events, as_of, expected first due, why) - statutory rules, England and Wales
WORKED_EXAMPLES = [
    (
        "england.icpc",
        [ev("strategy_discussion_held", "2022-09-05")],
        "2022-10-03",
        "2022-09-27",
        "6-9, 12-16 Sept = 9; 19 Sept state funeral skipped; 20-23 = 13; 26, 27 = 15",
    ),
    (
        "england.icpc",
        [ev("strategy_discussion_held", "2023-04-28")],
        "2023-05-02",
        "2023-05-23",
        "1 May and the 8 May coronation skipped: 2-5 = 4, 9-12 = 8, 15-19 = 13, 22, 23 = 15",
    ),
    (
        "england.icpc",
        [ev("strategy_discussion_held", "2024-12-16")],
        "2024-12-17",
        "2025-01-09",
        "17-20 = 4, 23, 24 = 6, 27 = 7, 30, 31 = 9, 2, 3 Jan = 11, 6-9 Jan = 15",
    ),
    (
        "england.icpc",
        [
            ev("strategy_discussion_held", "2026-11-02"),
            ev("strategy_discussion_held", "2026-11-09"),
        ],
        "2026-11-10",
        "2026-11-23",
        "counted from the first strategy discussion of the enquiry",
    ),
    (
        "england.assessment",
        [ev("referral_received", "2026-11-23")],
        "2026-11-24",
        "2027-01-28",
        "Christmas Fri 25, Boxing Day substitute Mon 28 Dec, New Year Fri 1 Jan 2027 skipped",
    ),
    (
        "england.referral_decision",
        [ev("referral_received", "2026-12-24")],
        "2026-12-24",
        "2026-12-29",
        "25 Dec, the weekend and 28 Dec (Boxing Day substitute) skipped",
    ),
    (
        "england.first_core_group",
        [ev("icpc_held", "2023-05-02"), ev("cp_plan_started", "2023-05-02")],
        "2023-05-03",
        "2023-05-17",
        "3-5 = 3, 8 May coronation skipped, 9-12 = 7, 15-17 = 10",
    ),
    (
        "england.rcpc",
        [ev("icpc_held", "2026-08-31"), ev("cp_plan_started", "2026-08-31")],
        "2026-09-01",
        "2026-11-30",
        "3 calendar months from the ICPC",
    ),
    (
        "england.rcpc",
        [ev("icpc_held", "2026-11-30"), ev("cp_plan_started", "2026-11-30")],
        "2026-12-01",
        "2027-02-28",
        "30 November + 3 months clips to the end of February",
    ),
    (
        "england.cla_review",
        [ev("became_looked_after", "2026-12-14")],
        "2026-12-15",
        "2027-01-14",
        "15-18 = 4, 21-24 = 8, 29-31 = 11, 4-8 Jan = 16, 11-14 Jan = 20",
    ),
    (
        "england.placement_plan",
        [
            ev("became_looked_after", "2022-09-15"),
            ev("placement_started", "2022-09-15", attributes={"placement_type": "foster"}),
        ],
        "2022-09-16",
        "2022-09-23",
        "16 = 1, 19 Sept state funeral skipped, 20-23 = 5",
    ),
    (
        "england.care_plan",
        [
            ev("became_looked_after", "2026-11-23"),
            ev("placement_started", "2026-11-23", attributes={"placement_type": "foster"}),
        ],
        "2026-11-24",
        "2026-12-07",
        "24-27 Nov = 4, 30 Nov-4 Dec = 9, 7 Dec = 10",
    ),
    (
        "england.cla_visit",
        [
            ev("became_looked_after", "2026-11-23"),
            ev("placement_started", "2026-11-23", attributes={"placement_type": "foster"}),
        ],
        "2026-11-24",
        "2026-11-30",
        "within one week of the start of the placement",
    ),
    (
        "england.private_fostering_visit",
        [ev("private_fostering_notified", "2026-11-20")],
        "2026-11-23",
        "2026-12-01",
        "23-27 Nov = 5, 30 Nov = 6, 1 Dec = 7 working days",
    ),
    (
        "england.adoption_review",
        [
            ev("became_looked_after", "2026-10-01"),
            ev(
                "placement_started",
                "2026-11-02",
                attributes={"placement_type": "placed_for_adoption"},
            ),
        ],
        "2026-11-03",
        "2026-11-30",
        "four weeks after placement for adoption",
    ),
    (
        "england.return_home_interview",
        [ev("missing_episode_started", "2026-11-18"), ev("missing_episode_ended", "2026-11-20")],
        "2026-11-21",
        "2026-11-23",
        "72 hours from a date: 3 days",
    ),
]


@pytest.mark.parametrize(("rule_id", "events", "as_of", "due", "why"), WORKED_EXAMPLES)
def test_worked_examples(rule_id, events, as_of, due, why):
    first = only(run("england", as_of, events), rule_id)[0]
    assert first.due == D(due), why


def test_icpc_explains_the_state_funeral():
    d = only(
        run("england", "2022-10-03", [ev("strategy_discussion_held", "2022-09-05", ref="SD-1")]),
        "england.icpc",
    )[0]
    assert (d.status, d.working_days_overdue) == ("overdue", 4)  # 28, 29, 30 Sept, 3 Oct
    assert [(s.date.isoformat(), s.reason) for s in d.skipped] == [
        ("2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II")
    ]
    assert (d.anchor.ref, d.offset, d.provisional) == ("SD-1", "15 working days", False)


def test_contract_example_is_met():
    d = only(
        run(
            "redcar-and-cleveland",
            "2026-11-23",
            [
                ev("strategy_discussion_held", "2026-11-02", ref="SD-1"),
                ev("icpc_held", "2026-11-20"),
            ],
        ),
        "england.icpc",
    )[0]
    assert (d.due, d.status, d.satisfied_by.date, d.skipped) == (
        D("2026-11-23"),
        "met",
        D("2026-11-20"),
        (),
    )


def test_met_late_counts_working_days_late():
    d = only(
        run(
            "england",
            "2022-10-10",
            [ev("strategy_discussion_held", "2022-09-05"), ev("icpc_held", "2022-09-30")],
        ),
        "england.icpc",
    )[0]
    assert (d.status, d.working_days_overdue) == ("met_late", 3)  # due Tue 27: 28, 29, 30


def test_due_today():
    d = only(
        run("england", "2022-09-27", [ev("strategy_discussion_held", "2022-09-05")]), "england.icpc"
    )[0]
    assert d.status == "due_today"


def test_closed_days_move_a_deadline():
    d = only(
        run(
            "england", "2026-11-24", [ev("referral_received", "2026-11-23")], closed=["2026-11-24"]
        ),
        "england.referral_decision",
    )[0]
    assert d.due == D("2026-11-25")
    assert [(s.date.isoformat(), s.reason) for s in d.skipped] == [("2026-11-24", "closed")]


def test_return_home_interview_72_hours_across_the_clock_change():
    # 23:30 GMT on Sat 28 March 2026; clocks go forward on 29 March. 72 hours
    # later is 23:30 UTC on 31 March = 00:30 BST on 1 April.
    d = only(
        run(
            "england",
            "2026-03-29",
            [
                ev("missing_episode_started", "2026-03-27"),
                ev("missing_episode_ended", "2026-03-28T23:30:00+00:00"),
            ],
        ),
        "england.return_home_interview",
    )[0]
    assert d.due == D("2026-04-01")
    assert d.due_at.isoformat() == "2026-04-01T00:30:00+01:00"


def test_pathway_needs_assessment_from_the_16th_birthday():
    d = only(
        run("england", "2026-12-01", [ev("became_looked_after", "2025-01-06")], dob="2010-11-30"),
        "england.pathway_needs_assessment",
    )[0]
    assert d.due == D("2027-02-28")  # 16th birthday 30 Nov 2026 + 3 months, clipped
    assert d.anchor.type == "16th_birthday"


def test_a_booked_conference_anchors_the_report_deadline():
    deadlines = run(
        "together-for-children-sunderland",
        "2026-11-23",
        [
            ev("referral_received", "2026-11-09"),
            ev("strategy_discussion_held", "2026-11-10"),
            ev("icpc_held", "2026-11-27", scheduled=True),
        ],
    )
    report = only(deadlines, "together-for-children-sunderland.icpc_report_shared")[0]
    assert (report.due, report.status) == (
        D("2026-11-24"),
        "upcoming",
    )  # 3 WD before Fri 27: 26, 25, 24
    # Statute and the local standard both set the ICPC: both come back, each with its basis.
    icpc = {d.rule.id: d.rule.basis for d in deadlines if d.rule.requirement == "icpc"}
    assert icpc == {"england.icpc": "statutory", "together-for-children-sunderland.icpc": "local"}


# -- journeys ---------------------------------------------------------------------------------


def test_child_protection_journey_to_a_second_review():
    events = [
        ev("referral_received", "2026-01-05", ref="R1"),
        ev("referral_decision_made", "2026-01-05"),
        ev("strategy_discussion_held", "2026-01-07", ref="SD1"),
        ev("assessment_completed", "2026-02-20"),
        ev("icpc_held", "2026-01-27", ref="ICPC"),
        ev("cp_plan_started", "2026-01-27"),
        ev("core_group_held", "2026-02-06"),
        ev("rcpc_held", "2026-04-24", ref="RCPC1"),
        ev("rcpc_held", "2026-10-30", ref="RCPC2"),
    ]
    deadlines = run("england", "2026-11-23", events)
    by_rule = {}
    for d in deadlines:
        by_rule.setdefault(d.rule.id, []).append(d)
    assert [(d.due, d.status) for d in by_rule["england.icpc"]] == [(D("2026-01-28"), "met")]
    assert [(d.due, d.status) for d in by_rule["england.first_core_group"]] == [
        (D("2026-02-10"), "met")
    ]
    assert [
        (d.due, d.status, d.satisfied_by.ref if d.satisfied_by else None)
        for d in by_rule["england.rcpc"]
    ] == [
        (D("2026-04-27"), "met", "RCPC1"),  # ICPC 27 Jan + 3 months
        (D("2026-10-24"), "met_late", "RCPC2"),  # RCPC1 24 Apr + 6 months; held 30 Oct
        (D("2027-04-30"), "upcoming", None),  # RCPC2 + 6 months
    ]
    assert by_rule["england.rcpc"][1].working_days_overdue == 5  # 26-30 Oct
    assert by_rule["england.assessment"][0].status == "met"


def test_looked_after_journey_with_a_placement_move():
    events = [
        ev("became_looked_after", "2026-06-01"),
        ev("placement_started", "2026-06-01", ref="P1", attributes={"placement_type": "foster"}),
        ev("statutory_visit", "2026-06-05"),
        ev("statutory_visit", "2026-07-10"),
        ev(
            "placement_started",
            "2026-09-14",
            ref="P2",
            attributes={"placement_type": "residential"},
        ),
        ev("statutory_visit", "2026-09-18"),
    ]
    visits = only(run("england", "2026-11-23", events), "england.cla_visit")
    summary = [(d.episode.start.ref, d.due, d.status) for d in visits]
    assert summary == [
        ("P1", D("2026-06-08"), "met"),  # within one week of the placement
        ("P1", D("2026-07-17"), "met"),  # 6 weeks from the 5 June visit
        ("P2", D("2026-09-21"), "met"),  # the move restarts the clock: one week
        ("P2", D("2026-10-30"), "overdue"),  # 6 weeks from 18 Sept, nothing since
    ]
    # the first placement's next visit (6 weeks from 10 July) no longer applies: it ended
    # A placement plan per placement: the first placement ended without one
    # recorded, so only the second placement's (overdue) plan is still live.
    plans = only(run("england", "2026-11-23", events), "england.placement_plan")
    assert [(d.episode.start.ref, d.due, d.status) for d in plans] == [
        ("P2", D("2026-09-21"), "overdue")
    ]


def test_care_leaver_pathway_plan_reviews():
    events = [
        ev("became_looked_after", "2022-03-01"),
        ev("pathway_plan_completed", "2025-02-10"),
        ev("ceased_looked_after", "2025-06-01"),
        ev("left_care", "2025-06-01"),
        ev("pathway_plan_reviewed", "2025-08-05"),
    ]
    reviews = only(
        run("england", "2026-11-23", events, dob="2007-05-20"), "england.pathway_plan_review"
    )
    assert [(d.due, d.status) for d in reviews] == [
        (D("2025-08-10"), "met"),  # 6 months from the plan of 10 Feb
        (D("2026-02-05"), "overdue"),  # 6 months from the review of 5 Aug
    ]


def test_a_scotland_calendar_case():
    events = [ev("strategy_discussion_held", "2024-11-18")]
    scotland = only(run("england", "2024-11-19", events, calendar="scotland"), "england.icpc")[0]
    england = only(run("england", "2024-11-19", events), "england.icpc")[0]
    assert scotland.due == D("2024-12-10")  # St Andrew's Day substitute, Mon 2 Dec, skipped
    assert england.due == D("2024-12-09")
    assert [s.reason for s in scotland.skipped] == ["St Andrew’s Day"]


def test_an_ended_plan_drops_its_outstanding_visit():
    events = [
        ev("icpc_held", "2026-09-01"),
        ev("cp_plan_started", "2026-09-01"),
        ev("cp_plan_ended", "2026-09-10"),
    ]
    deadlines = run("gloucestershire", "2026-11-23", events)
    assert not [d for d in deadlines if d.rule.requirement == "cp_visit" and d.status != "met"]


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "dob", "message", "loc"),
    [
        (
            [ev("visit", "2026-01-01", ref="V9")],
            None,
            "Event 0 (ref 'V9'): 'visit' is not a known event type",
            ["events", 0, "type"],
        ),
        (
            [ev("referral_received", "2026-02-30")],
            None,
            "is not a real date",
            ["events", 0, "date"],
        ),
        (
            [ev("referral_received", "2026-12-01", ref="R")],
            None,
            "after as_of",
            ["events", 0, "date"],
        ),
        (
            [ev("referral_received", "2070-01-01", scheduled=True)],
            None,
            "outside the supported range",
            ["events", 0, "date"],
        ),
        # A date-time its offset pushes past year 1 or 9999 (was a 500).
        (
            [ev("referral_received", "0001-01-01T00:00:00+01:00")],
            None,
            "outside the supported range",
            ["events", 0, "date"],
        ),
        (
            [ev("referral_received", "9999-12-31T23:59:59-01:00", scheduled=True)],
            None,
            "outside the supported range",
            ["events", 0, "date"],
        ),
        (
            [ev("placement_started", "2026-01-01", attributes={"placement_type": "castle"})],
            None,
            "placement_type must be one of",
            ["events", 0, "attributes", "placement_type"],
        ),
        (
            [
                ev(
                    "placement_started",
                    "2026-01-01",
                    ref="P1",
                    attributes={"placement_type": "foster", "emergency": "yes"},
                )
            ],
            None,
            "Event 0 (ref 'P1'): placement_started emergency must be true or false",
            ["events", 0, "attributes", "emergency"],
        ),
        (
            [ev("s47_completed", "2026-01-01", attributes={"icpc_required": 1})],
            None,
            "icpc_required must be true or false",
            ["events", 0, "attributes", "icpc_required"],
        ),
        (
            [ev("referral_received", "2026-01-01")],
            "2027-01-01",
            "date of birth",
            ["child", "date_of_birth"],
        ),
        (
            [ev("referral_received", "2026-01-01")],
            "2027-01-01",
            "date of birth",
            ["child", "date_of_birth"],
        ),
    ],
)
def test_bad_events_name_the_event(events, dob, message, loc):
    with pytest.raises(InvalidInput) as caught:
        run("england", "2026-11-23", events, dob=dob)
    assert message in caught.value.detail
    # The domain locates a problem within the case; the router adds where the
    # case sits in the request ("body"), as tests/test_deadlines_api.py checks.
    assert loc in [list(e.loc) for e in caught.value.errors]


# -- every rule fires ------------------------------------------------------------------------


def _oracle(start, offset):
    """An independent count (tests/oracle_calendar.py, which shares no code with app/)."""
    if offset.unit == "working_days":
        return oracle.add_working_days(start, offset.amount)
    if offset.unit in ("months", "years"):
        return oracle.add_months(start, offset.amount * (12 if offset.unit == "years" else 1))
    days = {"days": 1, "weeks": 7}.get(offset.unit)
    if days is None:  # hours, from a date: N/24 days rounded up
        return oracle.add_days(start, -(-offset.amount // 24))
    return oracle.add_days(start, offset.amount * days)


COMPUTABLE = [
    (name, r) for name, r in BOOK.all_rules() if r.computable and r.due.direction == "after"
]


@pytest.mark.parametrize(("ruleset", "rule"), COMPUTABLE, ids=[r.id for _, r in COMPUTABLE])
def test_every_computable_rule_sets_its_first_deadline(ruleset, rule):
    """Open the rule's episode and give its anchor: its first deadline must be
    the anchor plus the rule's offset, by an independent count."""
    start = dt.date(2026, 3, 2)  # a Monday with no holiday for weeks either side
    events = []
    during = rule.applies_during
    episode = during.episode if during else None
    anchor = rule.anchor
    placement = {}
    if during and (during.placement_types or episode == "adoption_placement"):
        default = "placed_for_adoption" if episode == "adoption_placement" else "foster"
        placement = {"placement_type": (during.placement_types or [default])[0]}
    elif during and not during.placement_type_unknown:
        placement = {"placement_type": "foster"}
    if anchor.attributes:
        placement = {**placement, **anchor.attributes}
    dob = "2012-04-02"
    anchor_day = start
    if anchor.eligible_child is not None:
        # In care since well before a 16th birthday ten days from now.
        anchor_day = start + relativedelta(days=10)
        dob = (anchor_day - relativedelta(years=anchor.eligible_child.from_age)).isoformat()
        events.append(ev("became_looked_after", "2025-06-02"))
    elif anchor.birthday is not None:
        anchor_day = start + relativedelta(days=10)
        dob = (anchor_day - relativedelta(years=anchor.birthday)).isoformat()
    if episode and not (anchor.eligible_child is not None):
        opener = sorted(BOOK.episodes[episode].starts)[0]
        if BOOK.episodes[episode].part_of:
            events.append(ev("became_looked_after", start.isoformat()))
            opener = "placement_started"
        events.append(
            ev(
                opener,
                start.isoformat(),
                attributes=placement if opener == "placement_started" else {},
            )
        )
    if anchor.event is not None and not any(e["type"] == anchor.event for e in events):
        extra = placement if anchor.event == "placement_started" else {}
        events.append(ev(anchor.event, start.isoformat(), attributes=extra))
    deadlines = [d for d in run(ruleset, "2026-03-03", events, dob=dob) if d.rule.id == rule.id]
    assert deadlines, f"{rule.id} set no deadline"
    assert deadlines[0].due == _oracle(anchor_day, rule.due)


def test_add_months_is_relativedelta():
    from app.domain.engine import add_months

    day = dt.date(2023, 1, 1)
    while day < dt.date(2029, 1, 1):
        for n in (-13, -1, 1, 2, 3, 4, 6, 12, 24):
            assert add_months(day, n) == day + relativedelta(months=n)
        day += dt.timedelta(days=1)


def test_the_overdue_shortcut_agrees_with_the_full_computation():
    """open_only skips building met deadlines; what it returns must be the same."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from synthetic_caseload import AS_OF, generate

    from app.calendars import bank_holiday_data
    from app.catalogue.data import catalogue
    from app.domain.deadlines import assess_case, context
    from app.routers.case_models import EventIn

    def key(d):  # type: ignore[no-untyped-def]
        return (d.rule.id, d.due, d.status, d.occurrence, d.anchor.position, d.schedule, d.inferred)

    for authority in ("england", *catalogue().authorities):
        ctx = context(BOOK, catalogue(), bank_holiday_data().calendars, authority, None, [], AS_OF)
        for raw in generate(150, seed=11):
            born = raw["child"].get("date_of_birth")
            child = dt.date.fromisoformat(born) if born else None
            events = [EventIn(**e) for e in raw["events"]]
            full = assess_case(ctx, BOOK, child, events)
            short = assess_case(ctx, BOOK, child, events, open_only=True)
            still_open = [d for d in full.deadlines if d.status not in ("met", "met_late")]
            assert sorted(map(key, still_open)) == sorted(map(key, short.deadlines)), (
                authority,
                raw["case_id"],
            )
            assert [(n.rule.id, n.reason) for n in full.not_evaluated] == [
                (n.rule.id, n.reason) for n in short.not_evaluated
            ], (authority, raw["case_id"])


def test_a_requirement_that_runs_until_a_birthday_stops_there():
    # Redcar & Cleveland: "at least every 2-months ... until they are 20 years old",
    # then 6-monthly. Born 15 Jan 2006: 20 on 15 Jan 2026.
    events = [
        ev("became_looked_after", "2022-01-10"),
        ev("ceased_looked_after", "2024-06-01"),
        ev("left_care", "2024-06-01"),
        ev("care_leaver_contact", "2024-07-20"),
        ev("care_leaver_contact", "2024-09-15"),
        ev("care_leaver_contact", "2024-11-10"),
        ev("care_leaver_contact", "2025-01-05"),
        ev("care_leaver_contact", "2025-03-01"),
        ev("care_leaver_contact", "2025-04-28"),
        ev("care_leaver_contact", "2025-06-25"),
        ev("care_leaver_contact", "2025-08-20"),
        ev("care_leaver_contact", "2025-10-15"),
        ev("care_leaver_contact", "2025-12-01"),
    ]
    deadlines = run("redcar-and-cleveland", "2026-11-23", events, dob="2006-01-15")
    two_monthly = only(deadlines, "redcar-and-cleveland.care_leaver_contact")
    # the next 2-monthly contact would fall due 1 Feb 2026, after the 20th birthday: gone
    assert all(d.status in ("met", "met_late") for d in two_monthly)
    assert max(d.due for d in two_monthly) == D("2025-12-15")  # 15 Oct + 2 months
    six_monthly = only(deadlines, "redcar-and-cleveland.care_leaver_contact.from_20")
    # counted from the last contact before the birthday: 1 Dec 2025 + 6 months
    assert [(d.due, d.status) for d in six_monthly] == [(D("2026-06-01"), "overdue")]


def test_a_deadline_past_the_birthday_a_requirement_runs_to_is_not_returned():
    # Born 15 Jan 2006: 20 on 15 Jan 2026. On 1 Dec 2025 the next 2-monthly
    # contact (1 Dec + 2 months = 1 Feb 2026) would fall after the 20th birthday.
    events = [
        ev("became_looked_after", "2022-01-10"),
        ev("ceased_looked_after", "2024-06-01"),
        ev("left_care", "2024-06-01"),
        ev("care_leaver_contact", "2025-10-01"),
    ]
    deadlines = run("redcar-and-cleveland", "2025-12-10", events, dob="2006-01-15")
    open_ones = [
        d
        for d in only(deadlines, "redcar-and-cleveland.care_leaver_contact")
        if d.status not in ("met", "met_late")
    ]
    # 1 Oct + 2 months = 1 Dec 2025: before the birthday, so still owed (overdue)
    assert [(d.due, d.status) for d in open_ones] == [(D("2025-12-01"), "overdue")]
    later = run(
        "redcar-and-cleveland",
        "2025-12-10",
        [*events, ev("care_leaver_contact", "2025-12-05")],
        dob="2006-01-15",
    )
    assert [
        d for d in only(later, "redcar-and-cleveland.care_leaver_contact") if d.status == "upcoming"
    ] == []


@pytest.mark.parametrize("authority", ["gloucestershire", "redcar-and-cleveland"])
def test_a_count_past_the_supported_range_names_what_it_was_counted_from(authority):
    # A history taken up on 20 December 2060, 10 days before the range ends: a
    # working-day step from it, or from the visit on the 30th, runs past
    # 2060-12-31. Every such problem names the field the count started from
    # (history_from, or the event's date), never the calendar's own "date".
    from tests.engine_helpers import assess

    with pytest.raises(InvalidInput) as caught:
        assess(
            authority,
            "2060-12-31",
            [ev("cp_plan_started", "2060-01-01"), ev("statutory_visit", "2060-12-30")],
            dob="2050-01-01",
            history_from="2060-12-20",
        )
    locs = [e.loc for e in caught.value.errors]
    assert locs and all(loc in (("history_from",), ("events", 1, "date")) for loc in locs), locs
    assert "falls outside the supported calendar range" in caught.value.detail


def test_a_satisfying_event_before_history_from_still_sets_the_next_deadline():
    # A care leaver as Annex A List 9 gives them: the latest pathway plan review on
    # Mon 4 May 2026 and the latest contact on Thu 1 Oct 2026, which is where the
    # history begins. The review's schedule runs on from 4 May: 4 May + 6 months =
    # Wed 4 Nov 2026, after history_from, so judged as usual: overdue on 23 Nov.
    # (It was taken up from history_from instead, 1 Oct + 6 months = 1 Apr 2027,
    # which hid the overdue review.)
    from tests.engine_helpers import assess

    answer = assess(
        "england",
        "2026-11-23",
        [ev("pathway_plan_reviewed", "2026-05-04"), ev("care_leaver_contact", "2026-10-01")],
        dob="2007-06-01",
        history_from="2026-10-01",
    )
    [review] = only(answer.deadlines, "england.pathway_plan_review")
    assert (review.due, review.status) == (D("2026-11-04"), "overdue")
    assert review.anchor.type == "pathway_plan_reviewed" and review.anchor.date == D("2026-05-04")

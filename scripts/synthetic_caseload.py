"""A synthetic caseload for benchmarks: realistic journeys, no real children.

    python scripts/synthetic_caseload.py --cases 10 > caseload.json

Journeys (mixed in roughly the shares a children's services front door sees):
child in need; child protection from referral to review conferences; looked
after with a placement move and visits; care leaver; early help; private
fostering with a missing episode. About 20 events a case (the journey's, then
case notes, chronology and summary updates and case supervision), all dated
before `as_of`, a few booked conferences marked scheduled.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from typing import Any

AS_OF = dt.date(2026, 11, 23)


def _day(rng: random.Random, start: dt.date, lo: int, hi: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(lo, hi))


def _visits(rng: random.Random, start: dt.date, every: int, until: dt.date) -> list[dict[str, Any]]:
    out, day = [], start
    while True:
        day = _day(rng, day, every - 5, every + 6)
        if day > until:
            return out
        out.append(
            {
                "type": "statutory_visit",
                "date": day.isoformat(),
                "attributes": {"seen_alone": rng.random() < 0.7},
            }
        )


def child_protection(rng: random.Random, start: dt.date) -> list[dict[str, Any]]:
    sd = _day(rng, start, 0, 3)
    icpc = _day(rng, sd, 12, 24)
    events = [
        {"type": "referral_received", "date": start.isoformat(), "ref": "R1"},
        {"type": "referral_decision_made", "date": _day(rng, start, 0, 2).isoformat()},
        {"type": "strategy_discussion_held", "date": sd.isoformat(), "ref": "SD1"},
        {"type": "s47_started", "date": sd.isoformat()},
        {"type": "conference_report_shared", "date": (icpc - dt.timedelta(days=4)).isoformat()},
        {"type": "icpc_held", "date": icpc.isoformat()},
        {"type": "cp_plan_started", "date": icpc.isoformat()},
        {"type": "assessment_completed", "date": _day(rng, start, 30, 70).isoformat()},
        {"type": "core_group_held", "date": _day(rng, icpc, 7, 14).isoformat()},
    ]
    rcpc = _day(rng, icpc, 85, 95)
    events.append(
        {"type": "rcpc_held", "date": rcpc.isoformat()}
        if rcpc <= AS_OF
        else {"type": "rcpc_held", "date": rcpc.isoformat(), "scheduled": True}
    )
    events += _visits(rng, icpc, 14, min(AS_OF, icpc + dt.timedelta(days=140)))
    events.append({"type": "case_supervision_held", "date": _day(rng, icpc, 20, 40).isoformat()})
    return events


def looked_after(rng: random.Random, start: dt.date) -> list[dict[str, Any]]:
    move = _day(rng, start, 60, 150)
    events = [
        {"type": "referral_received", "date": start.isoformat()},
        {"type": "became_looked_after", "date": start.isoformat()},
        {
            "type": "placement_started",
            "date": start.isoformat(),
            "ref": "P1",
            "attributes": {
                "placement_type": rng.choice(
                    ["foster", "foster", "residential", "connected_person_temporary"]
                ),
                "emergency": rng.random() < 0.4,
            },
        },
        {"type": "care_plan_completed", "date": _day(rng, start, 3, 12).isoformat()},
        {"type": "placement_plan_completed", "date": _day(rng, start, 1, 6).isoformat()},
        {"type": "health_assessment_requested", "date": _day(rng, start, 1, 3).isoformat()},
        {"type": "health_assessment_completed", "date": _day(rng, start, 15, 30).isoformat()},
        {"type": "cla_review_held", "date": _day(rng, start, 18, 28).isoformat()},
        {"type": "pep_completed", "date": _day(rng, start, 15, 30).isoformat()},
    ]
    events += _visits(rng, start, 30, min(move, AS_OF))
    if move <= AS_OF:
        events.append(
            {
                "type": "placement_started",
                "date": move.isoformat(),
                "ref": "P2",
                "attributes": {"placement_type": "foster"},
            }
        )
        events += _visits(rng, move, 35, AS_OF)
    return events


def child_in_need(rng: random.Random, start: dt.date) -> list[dict[str, Any]]:
    plan = _day(rng, start, 30, 50)
    events = [
        {"type": "contact_received", "date": start.isoformat()},
        {"type": "referral_received", "date": start.isoformat()},
        {"type": "referral_decision_made", "date": _day(rng, start, 0, 1).isoformat()},
        {"type": "case_allocated", "date": _day(rng, start, 0, 2).isoformat()},
        {"type": "family_network_meeting_held", "date": _day(rng, start, 5, 15).isoformat()},
        {"type": "genogram_completed", "date": _day(rng, start, 10, 40).isoformat()},
        {"type": "chronology_updated", "date": _day(rng, start, 20, 40).isoformat()},
        {"type": "assessment_completed", "date": _day(rng, start, 25, 45).isoformat()},
        {"type": "cin_plan_started", "date": plan.isoformat()},
        {"type": "cin_plan_reviewed", "date": _day(rng, plan, 80, 95).isoformat()},
        {"type": "case_summary_updated", "date": _day(rng, start, 20, 80).isoformat()},
    ]
    return events + _visits(rng, plan, 28, AS_OF)


def care_leaver(rng: random.Random, start: dt.date) -> list[dict[str, Any]]:
    left = _day(rng, start, 200, 300)
    events = [
        {"type": "became_looked_after", "date": start.isoformat()},
        {
            "type": "placement_started",
            "date": start.isoformat(),
            "attributes": {"placement_type": "foster"},
        },
        {"type": "pathway_plan_completed", "date": _day(rng, start, 60, 120).isoformat()},
        {"type": "cla_review_held", "date": _day(rng, start, 15, 25).isoformat()},
        {"type": "ceased_looked_after", "date": left.isoformat()},
        {"type": "left_care", "date": left.isoformat()},
        {"type": "pathway_plan_reviewed", "date": _day(rng, left, 100, 180).isoformat()},
    ]
    day = left
    while True:
        day = _day(rng, day, 40, 70)
        if day > AS_OF:
            return events
        events.append({"type": "care_leaver_contact", "date": day.isoformat()})


def early_help(rng: random.Random, start: dt.date) -> list[dict[str, Any]]:
    allocated = _day(rng, start, 1, 10)
    events = [
        {"type": "early_help_requested", "date": start.isoformat()},
        {"type": "early_help_allocated", "date": allocated.isoformat()},
        {
            "type": "early_help_assessment_completed",
            "date": _day(rng, allocated, 20, 40).isoformat(),
        },
        {"type": "early_help_plan_completed", "date": _day(rng, allocated, 25, 45).isoformat()},
    ]
    day = allocated
    while len(events) < 18:
        day = _day(rng, day, 20, 45)
        if day > AS_OF:
            break
        events.append(
            {
                "type": rng.choice(
                    ["taf_meeting_held", "statutory_visit", "early_help_plan_reviewed"]
                ),
                "date": day.isoformat(),
            }
        )
    return events


def private_fostering(rng: random.Random, start: dt.date) -> list[dict[str, Any]]:
    missing = _day(rng, start, 30, 120)
    events = [
        {"type": "private_fostering_notified", "date": start.isoformat()},
        {"type": "missing_episode_started", "date": missing.isoformat()},
        {
            "type": "missing_episode_ended",
            "date": (missing + dt.timedelta(days=1)).isoformat() + "T09:30:00+00:00",
        },
        {
            "type": "return_home_interview_completed",
            "date": (missing + dt.timedelta(days=3)).isoformat(),
        },
    ]
    return events + _visits(rng, start, 40, AS_OF)


def recording(rng: random.Random, start: dt.date, events: list[dict[str, Any]]) -> None:
    """Fill a case up to about 20 events with the recording a case accrues."""
    target = rng.randint(17, 24)
    day = start
    while len(events) < target:
        day = _day(rng, day, 10, 30)
        if day > AS_OF:
            return
        kind = rng.choice(
            [
                "case_note_recorded",
                "chronology_updated",
                "case_summary_updated",
                "case_supervision_held",
            ]
        )
        events.append({"type": kind, "date": day.isoformat()})


JOURNEYS = [
    (child_in_need, 30),
    (child_protection, 25),
    (looked_after, 25),
    (care_leaver, 8),
    (early_help, 8),
    (private_fostering, 4),
]


def generate(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    kinds = [j for j, _ in JOURNEYS]
    weights = [w for _, w in JOURNEYS]
    cases = []
    for i in range(n):
        journey = rng.choices(kinds, weights)[0]
        start = AS_OF - dt.timedelta(days=rng.randint(60, 400))
        events = [
            e
            for e in journey(rng, start)
            if dt.date.fromisoformat(e["date"][:10]) <= AS_OF or e.get("scheduled")
        ]
        recording(rng, start, events)
        cases.append(
            {
                "case_id": f"C{i:05d}",
                "child": {
                    "date_of_birth": (
                        AS_OF - dt.timedelta(days=rng.randint(365 * 2, 365 * 19))
                    ).isoformat()
                },
                "events": events,
            }
        )
    return cases


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(
        json.dumps(
            {
                "authority": "gloucestershire",
                "as_of": AS_OF.isoformat(),
                "cases": generate(args.cases, args.seed),
            },
            indent=1,
        )
    )

"""Episodes: the spans of a case during which a rule applies.

Built from the case's events (facts only; scheduled events open and close
nothing). An episode starts at its start event and ends at the first end
event after it; a new placement ends the previous one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from app.domain.cases import Case, Event

# kind: (start event types, end event types). "case_closed" ends everything
# but a care leaver's entitlement, which outlives the children's case.
EPISODE_EVENTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "case_open": (frozenset({"referral_received", "contact_received"}), frozenset({"case_closed"})),
    "assessment": (
        frozenset({"referral_received", "assessment_started"}),
        frozenset({"assessment_completed", "case_closed"}),
    ),
    # An enquiry runs from the strategy discussion to the conference it
    # leads to (or to the case closing): the ICPC is counted inside it.
    "s47_enquiry": (
        frozenset({"strategy_discussion_held", "s47_started"}),
        frozenset({"icpc_held", "case_closed"}),
    ),
    "cin_plan": (frozenset({"cin_plan_started"}), frozenset({"cin_plan_ended", "case_closed"})),
    "cp_plan": (frozenset({"cp_plan_started"}), frozenset({"cp_plan_ended", "case_closed"})),
    "looked_after": (
        frozenset({"became_looked_after"}),
        frozenset({"ceased_looked_after", "case_closed"}),
    ),
    "placement": (
        frozenset({"placement_started"}),
        frozenset({"placement_ended", "ceased_looked_after", "case_closed"}),
    ),
    "care_leaver": (frozenset({"left_care"}), frozenset()),
    "early_help": (
        frozenset({"early_help_requested", "early_help_allocated"}),
        frozenset({"early_help_closed"}),
    ),
    "private_fostering": (
        frozenset({"private_fostering_notified"}),
        frozenset({"private_fostering_ended", "case_closed"}),
    ),
    "missing_episode": (
        frozenset({"missing_episode_started"}),
        frozenset({"missing_episode_ended"}),
    ),
    "adoption_placement": (
        frozenset({"placement_started"}),
        frozenset({"adoption_order_granted", "placement_ended", "case_closed"}),
    ),
}

# A new start event while one is open replaces it (a placement move) rather
# than being absorbed into it.
RESTARTS = frozenset({"placement"})

# Care leavers are entitled to a personal adviser until 25 (Children Act 1989
# s.23CZB, statutory-sources.md row 31); with a date of birth the episode
# ends on the 25th birthday.
CARE_LEAVER_UNTIL = 25


@dataclass(frozen=True, slots=True)
class Episode:
    kind: str
    start: Event
    end_date: dt.date | None  # the day it ended, or will (a 25th birthday); None if open-ended
    end: Event | None  # the event that ended it, if one did

    def contains(self, day: dt.date) -> bool:
        """Whether a day falls in the episode, its first and last days included."""
        return self.start.date <= day and (self.end_date is None or day <= self.end_date)

    def holds(self, event: Event) -> bool:
        """Whether an event belongs to the episode: on its days, and not the
        event that ended it (the next placement does not start a clock in
        the placement it replaced)."""
        if event.date < self.start.date:
            return False
        if self.end is not None:
            return (event.date, event.position) < (self.end.date, self.end.position)
        return self.end_date is None or event.date <= self.end_date

    @property
    def placement_type(self) -> str | None:
        value = self.start.attributes.get("placement_type")
        return str(value) if value is not None else None


def _start_filter(kind: str) -> Callable[[Event], bool]:
    if kind == "adoption_placement":
        return lambda e: e.attributes.get("placement_type") == "placed_for_adoption"
    return lambda e: True


def episodes_of(case: Case, kind: str) -> list[Episode]:
    starts, ends = EPISODE_EVENTS[kind]
    accept = _start_filter(kind)
    spans: list[Episode] = []
    open_start: Event | None = None
    for event in case.events:
        if event.scheduled:
            continue
        if event.type in starts and accept(event):
            if open_start is not None and kind in RESTARTS:
                spans.append(Episode(kind, open_start, event.date, event))
                open_start = None
            if open_start is None:
                open_start = event
                continue
        if open_start is not None and event.type in ends:
            spans.append(Episode(kind, open_start, event.date, event))
            open_start = None
    if open_start is not None:
        end_date = None
        if kind == "care_leaver" and case.date_of_birth is not None:
            end_date = case.date_of_birth + relativedelta(years=CARE_LEAVER_UNTIL)
        spans.append(Episode(kind, open_start, end_date, None))
    return spans

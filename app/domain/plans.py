"""The rules as the engine reads them: plain objects, worked out once per rule.

A rule is validated as a pydantic model (app/domain/rules.py), and that stays
the rule's public shape. But reading a field of a pydantic model costs several
times what reading a slot of a plain object does (pydantic's `__getattr__`
keeps the interpreter from taking its fast path), and the engine reads the
fields of every rule it applies, for every case of a caseload: millions of
reads a run. So the engine reads a plan instead: the same values, copied into
frozen slotted dataclasses, with the few facts it derives from them (is the
schedule one plain step? what kind of anchor is it?) worked out here once.

Nothing here decides anything; every field is a rule's own value or a plain
function of it, so a plan says no more and no less than its rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from app.domain.rules import UNIT_WORDS, EligibleChild, Offset, Rule, Step


@dataclass(frozen=True, slots=True)
class Count:
    """An offset: "15 working days", "6 months", "on the day" (0 days)."""

    amount: int
    unit: str

    def describe(self) -> str:
        if self.amount == 0:
            return "on the day"
        one, many = UNIT_WORDS[self.unit]
        return f"{self.amount} {one if self.amount == 1 else many}"


@dataclass(frozen=True, slots=True)
class StepPlan:
    every: Count
    from_anchor: bool  # counted from the rule's anchor, not the previous event
    times: int | None
    within: Count | None
    after_event: str | None
    after_event_reset_by: tuple[str, ...]
    until_event: str | None
    # Every time, from the previous satisfying event, with no conditions.
    plain: bool


@dataclass(frozen=True, slots=True)
class DuringPlan:
    episode: str
    placement_types: tuple[str, ...] | None
    placement_type_unknown: bool
    until_birthday: int | None
    ends_with: tuple[str, ...] | None
    unless_all_placements_are: tuple[str, ...] | None
    # The rule takes only some of its episodes, or cuts them short.
    filtered: bool


@dataclass(frozen=True, slots=True)
class Plan:
    rule: Rule  # what deadlines and notes name; the engine reads the fields below
    id: str
    requirement: str
    computable: bool
    about_child: bool
    not_computable_reason: str | None
    during: DuringPlan | None
    # The anchor: which of its four kinds, and its fields.
    counted_from: Literal["event", "birthday", "episode_start", "eligible_child"]
    anchor_event: str | None
    which: str | None
    birthday: int | None
    eligible_child: EligibleChild | None
    anchor_attributes: Mapping[str, bool | str]
    otherwise: str | None
    from_last_satisfied: bool
    # The first deadline.
    due: Count
    before: bool  # "N working days before" the anchor
    by_event: str | None
    nth: int
    satisfied_by: tuple[str, ...]
    satisfied_from_nth: int
    met_before_anchor: bool
    shared_satisfier: bool
    then: tuple[StepPlan, ...]
    recurring: bool
    one_plain_step: bool  # "then every 6 months", with no conditions
    # A one-off deadline counted from an event, with nothing to stand in for
    # it: without the event there is no deadline to count.
    needs_posted_anchor: bool
    # In force from and until (None: no bound).
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    versioned: bool = False  # it has later versions (Rule.versions)
    # The same span with no None, for the engine's one comparison a deadline.
    in_force_from: dt.date = dt.date.min
    in_force_to: dt.date = dt.date.max


def _count(offset: Offset) -> Count:
    return Count(offset.amount, offset.unit)


def _step(step: Step) -> StepPlan:
    return StepPlan(
        every=_count(step.every),
        from_anchor=step.from_ == "anchor",
        times=step.times,
        within=_count(step.within) if step.within is not None else None,
        after_event=step.after_event,
        after_event_reset_by=step.after_event_reset_by,
        until_event=step.until_event,
        plain=(
            step.times is None
            and step.within is None
            and step.after_event is None
            and step.until_event is None
            and step.from_ == "previous"
        ),
    )


def _plan(rule: Rule) -> Plan:
    during = rule.applies_during
    anchor = rule.anchor
    counted_from: Literal["event", "birthday", "episode_start", "eligible_child"] = "event"
    if anchor is not None:
        if anchor.birthday is not None:
            counted_from = "birthday"
        elif anchor.eligible_child is not None:
            counted_from = "eligible_child"
        elif anchor.episode_start:
            counted_from = "episode_start"
    then = tuple(_step(s) for s in rule.then)
    due = rule.due
    return Plan(
        rule=rule,
        id=rule.id,
        requirement=rule.requirement,
        computable=rule.computable,
        about_child=rule.subject == "child",
        not_computable_reason=rule.not_computable_reason,
        during=(
            DuringPlan(
                episode=during.episode,
                placement_types=during.placement_types,
                placement_type_unknown=during.placement_type_unknown,
                until_birthday=during.until_birthday,
                ends_with=during.ends_with,
                unless_all_placements_are=during.unless_all_placements_are,
                filtered=bool(
                    during.placement_types
                    or during.placement_type_unknown
                    or during.unless_all_placements_are
                    or during.until_birthday is not None
                ),
            )
            if during is not None
            else None
        ),
        counted_from=counted_from,
        anchor_event=anchor.event if anchor else None,
        which=anchor.which if anchor else None,
        birthday=anchor.birthday if anchor else None,
        eligible_child=anchor.eligible_child if anchor else None,
        anchor_attributes=dict(anchor.attributes) if anchor else {},
        otherwise=anchor.otherwise if anchor else None,
        from_last_satisfied=bool(anchor and anchor.from_last_satisfied),
        due=_count(due) if due is not None else Count(0, "days"),
        before=due is not None and due.direction == "before",
        by_event=due.by_event if due is not None else None,
        nth=due.nth if due is not None else 1,
        satisfied_by=rule.satisfied_by,
        satisfied_from_nth=rule.satisfied_from_nth,
        met_before_anchor=rule.met_before_anchor,
        shared_satisfier=rule.shared_satisfier,
        then=then,
        recurring=bool(then),
        one_plain_step=len(then) == 1 and then[0].plain,
        needs_posted_anchor=(
            anchor is not None
            and counted_from == "event"
            and not then
            and anchor.otherwise is None
            and anchor.which != "opening"
        ),
        valid_from=rule.valid_from,
        valid_to=rule.valid_to,
        versioned=bool(rule.versions),
        in_force_from=rule.valid_from or dt.date.min,
        in_force_to=rule.valid_to or dt.date.max,
    )


# Plans by the id of their rule. Each entry holds its rule, so no other object
# can take that id while the entry lives; rules come from the data files, so
# the table holds one entry per rule loaded.
_PLANS: dict[int, Plan] = {}


def plan_of(rule: Rule) -> Plan:
    """The rule's plan, worked out the first time it is asked for."""
    found = _PLANS.get(id(rule))
    if found is None:
        found = _PLANS[id(rule)] = _plan(rule)
    return found

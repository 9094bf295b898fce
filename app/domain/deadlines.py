"""Deadlines for one case or a caseload: the use cases the API exposes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.calendars import WorkingDayCalendar
from app.domain.cases import LONDON, Case, EventRecord, parse_case
from app.domain.engine import (
    DUE_TODAY,
    OPEN_STATUSES,
    OVERDUE,
    UPCOMING,
    Budget,
    Deadline,
    NotEvaluated,
    evaluate,
)
from app.domain.episodes import EpisodeKind
from app.domain.exceptions import ExceptionRecord, apply_exceptions
from app.domain.plans import Plan, plan_of
from app.domain.rules import BASELINE, Rule, Rulebook
from app.errors import FieldError, InvalidInput
from app.settings import get_settings


class Authority(Protocol):
    """What the use case needs of an authority: the calendar it works to."""

    @property
    def default_calendar(self) -> str: ...


class Authorities(Protocol):
    """What the use case needs of the catalogue (app.catalogue.data.Catalogue
    is one): the authorities, by id. A protocol, so that the domain does not
    import the catalogue."""

    @property
    def authorities(self) -> Mapping[str, Authority]: ...


@dataclass(frozen=True)
class Context:
    """What every case of a request shares: rules, calendar, closed days, as_of."""

    ruleset: str
    rules: tuple[Rule, ...]
    calendar: WorkingDayCalendar
    closed: tuple[dt.date, ...]
    as_of: dt.date
    kinds: dict[str, EpisodeKind] = field(default_factory=dict)
    # The rules by the event types that can make them apply to a case (their
    # anchor, or an event that opens their episode), and those that apply to
    # any case with events: a case is offered only the rules its own events
    # can touch, which matters across a caseload of thousands.
    # (Positions in `rules`, so that a case's rules keep the ruleset's order.)
    by_event: dict[str, tuple[int, ...]] = field(default_factory=dict)
    always: tuple[int, ...] = ()

    # Events that open an episode holding placements (being looked after): with
    # no placement posted, such a case is taken to hold one of no known type.
    placed_by: frozenset[str] = frozenset()
    # The rules for each set of event types met so far (a caseload has few).
    offered: dict[frozenset[str], list[Plan]] = field(default_factory=dict)
    # What each case may cost (MAX_DEADLINES_PER_CASE, CASE_TIME_BUDGET_SECONDS):
    # each case of a caseload has its own budget, so a request of N cases is
    # bounded by N times it.
    max_deadlines: int = 10000
    case_seconds: float = 2.0
    # The event types the caller's data records (None: all of them); see
    # app.domain.engine.evaluate.
    recorded: frozenset[str] | None = None
    # Apply each rule as it stood on this day, to every deadline (a what-if);
    # None: each deadline under the rule in force on the day it is counted from.
    rules_as_of: dt.date | None = None

    def rules_for(self, case: Case) -> list[Plan]:
        """The rules a case's events can touch, in the ruleset's order (as the
        engine reads them)."""
        types = frozenset(case.by_type)
        key = types | _placement_marks(case, not types.isdisjoint(self.placed_by))
        found = self.offered.get(key)
        if found is None:
            wanted = set(self.always)
            for event_type in key:
                wanted.update(self.by_event.get(event_type, ()))
            found = self.offered[key] = [plan_of(self.rules[i]) for i in sorted(wanted)]
        return found


@dataclass(frozen=True)
class CaseAssessment:
    """The answer for one case: its deadlines, and the rules that set none and why."""

    deadlines: list[Deadline]
    not_evaluated: list[NotEvaluated]
    merged: int  # identical events counted once


def today_in_london() -> dt.date:
    return dt.datetime.now(LONDON).date()


def context(
    rulebook: Rulebook,
    cat: Authorities,
    calendars: Mapping[str, WorkingDayCalendar],
    authority: str,
    calendar_id: str | None,
    closed: Sequence[dt.date],
    as_of: dt.date | None,
    recorded_event_types: Sequence[str] | None = None,
    rules_as_of: dt.date | None = None,
) -> Context:
    """What the cases of one request share. Problems are located within the
    request (`("authority",)`, `("closed_days", 2)`); the router prefixes them."""
    allowed = [BASELINE, *cat.authorities]
    if authority not in allowed:
        raise InvalidInput(
            f"Unknown authority {authority!r}.",
            [FieldError(("authority",), "Must be one of: " + ", ".join(allowed))],
        )
    default_calendar = (
        cat.authorities[authority].default_calendar
        if authority in cat.authorities
        else "england-and-wales"
    )
    calendar = calendars[calendar_id or default_calendar]
    as_of = as_of or today_in_london()
    supported = calendar.supported
    errors = []
    if as_of not in supported:
        errors.append(FieldError(("as_of",), supported.must_be()))
    if rules_as_of is not None and rules_as_of not in supported:
        errors.append(FieldError(("rules_as_of",), supported.must_be()))
    errors.extend(
        FieldError(("closed_days", i), supported.must_be())
        for i, day in enumerate(closed)
        if day not in supported
    )
    known = rulebook.vocabulary.event_types
    errors.extend(
        FieldError(("recorded_event_types", i), f"{event!r} is not a known event type")
        for i, event in enumerate(recorded_event_types or ())
        if event not in known
    )
    if errors:
        parts = []
        if any(e.loc[0] != "recorded_event_types" for e in errors):
            parts.append("A date is outside the supported range.")
        if any(e.loc[0] == "recorded_event_types" for e in errors):
            parts.append("recorded_event_types names an event type that is not in the vocabulary.")
        raise InvalidInput(" ".join(parts), errors)
    index = _rule_index(rulebook, authority)
    # The budgets are settings, read here (once a request) so that the routers
    # need not pass them and a test can lower them with the environment.
    settings = get_settings()
    return Context(
        authority,
        index.rules,
        calendar,
        tuple(closed),
        as_of,
        rulebook.episodes,
        index.by_event,
        index.always,
        index.placed_by,
        max_deadlines=settings.max_deadlines_per_case,
        case_seconds=settings.case_time_budget_seconds,
        recorded=None if recorded_event_types is None else frozenset(recorded_event_types),
        rules_as_of=rules_as_of,
    )


@dataclass(frozen=True)
class _RuleIndex:
    """A ruleset's rules by the event types that can make them apply (Context)."""

    rulebook: Rulebook  # held, so that no other rulebook can take its id (_INDEXES)
    rules: tuple[Rule, ...]
    by_event: dict[str, tuple[int, ...]]
    always: tuple[int, ...]
    placed_by: frozenset[str]


# The index is the same for every request of a ruleset, and took a quarter of
# a millisecond to build: a tenth of a one-case request. By the rulebook's id
# and the ruleset; each entry holds its rulebook, so no other object can take
# that id while the entry lives. Rulebooks come from the data files (one a
# process, a few in the tests), so the table holds a few entries per ruleset.
_INDEXES: dict[tuple[int, str], _RuleIndex] = {}


def _rule_index(rulebook: Rulebook, ruleset: str) -> _RuleIndex:
    found = _INDEXES.get((id(rulebook), ruleset))
    if found is not None:
        return found
    # South Gloucestershire sets no numbers of its own: the baseline alone.
    rules = rulebook.rules_for(ruleset)
    by_event: dict[str, list[int]] = {}
    always: list[int] = []
    for i, rule in enumerate(rules):
        triggers = _triggers(rule, rulebook.episodes)
        if triggers is None:
            always.append(i)
            continue
        for event_type in triggers:
            by_event.setdefault(event_type, []).append(i)
    kinds = rulebook.episodes
    found = _INDEXES[(id(rulebook), ruleset)] = _RuleIndex(
        rulebook,
        rules,
        {event: tuple(rs) for event, rs in by_event.items()},
        tuple(always),
        frozenset(
            event
            for kind in kinds.values()
            if kind.assumed_when_none_posted and kind.part_of
            for event in kinds[kind.part_of].event_types()
        ),
    )
    return found


PLACED = "placement_started:"  # + a placement type: a mark of a case's placements
_UNTYPED = PLACED + "?"  # a placement of no known type, or none posted


def _placement_marks(case: Case, looked_after: bool) -> frozenset[str]:
    """Marks for the types of the case's placements (see _triggers)."""
    placements = [e for e in case.by_type.get("placement_started", ()) if not e.scheduled]
    if not placements:
        return frozenset({_UNTYPED}) if looked_after else frozenset()
    return frozenset(
        PLACED + str(e.attributes["placement_type"])
        if "placement_type" in e.attributes
        else _UNTYPED
        for e in placements
    )


def _triggers(rule: Rule, kinds: dict[str, EpisodeKind]) -> frozenset[str] | None:
    """The event types whose presence can make a rule apply to a case, or None
    when any event can (the open case is inferred from the earliest event)."""
    during = rule.applies_during
    if rule.subject != "child":
        return frozenset()
    if during is None:
        anchor = rule.anchor
        if anchor is None or anchor.event is None:
            return None
        return frozenset({anchor.event})
    kind = kinds[during.episode]
    types = during.placement_types or (
        (kind.start_attributes["placement_type"],)
        if "placement_type" in kind.start_attributes
        else None
    )
    if types or during.placement_type_unknown:
        # A rule for some placement types, or for one whose type is not known:
        # touched by a placement of those types, or by one of no known type
        # (or an episode inferred from an event inside it).
        marks = {_UNTYPED, *(f"{PLACED}{t}" for t in types or ())}
        implied = kind.implied_by if kind.implied_by != "any" else frozenset()
        return frozenset(marks) | implied
    names = [during.episode]
    if kind.part_of is not None:
        names.append(kind.part_of)
    found: set[str] = set()
    for name in names:
        if kinds[name].implied_by == "any":
            return None
        found |= kinds[name].event_types()
    return frozenset(found)


def assess_case(
    ctx: Context,
    rulebook: Rulebook,
    date_of_birth: dt.date | None,
    events: Sequence[EventRecord],
    label: str = "",
    open_only: bool = False,
    history_from: dt.date | None = None,
    exceptions: Sequence[ExceptionRecord] = (),
) -> CaseAssessment:
    """The case's deadlines and what was not evaluated; open_only for an overdue
    list (met deadlines left out). Problems are located within the case
    (`("events", 3, "date")`); the router prefixes where the case sits.

    exceptions: approved exceptions, each attached to the deadline it names
    (app.domain.exceptions). A case with some is evaluated in full even for
    an overdue list, then its met deadlines left out: an exception may name a
    deadline that was met (late), and must not be refused for it. (Its met
    deadlines then count towards the case's max_deadlines too.)

    Within the case's budget (Context.max_deadlines, case_seconds) or not at
    all: BudgetExceeded or Unavailable, never a shorter list. The time counts
    from here, so reading the events is part of it.
    """
    budget = Budget.starting_now(ctx.max_deadlines, ctx.case_seconds)
    case: Case = parse_case(
        ruleset=ctx.ruleset,
        calendar=ctx.calendar,
        as_of=ctx.as_of,
        closed=ctx.closed,
        date_of_birth=date_of_birth,
        events=events,
        vocabulary=rulebook.vocabulary,
        label=label,
        history_from=history_from,
    )
    budget.check_time(case)
    plans = ctx.rules_for(case)
    if not exceptions:
        result = evaluate(case, plans, ctx.kinds, open_only, budget, ctx.recorded, ctx.rules_as_of)
        return CaseAssessment(result.deadlines, result.not_evaluated, case.merged)
    result = evaluate(case, plans, ctx.kinds, False, budget, ctx.recorded, ctx.rules_as_of)
    deadlines = apply_exceptions(
        result.deadlines,
        exceptions,
        as_of=ctx.as_of,
        calendar=ctx.calendar,
        requirements=rulebook.vocabulary.requirements,
        label=label,
    )
    if open_only:
        deadlines = [d for d in deadlines if d.status in OPEN_STATUSES]
    return CaseAssessment(deadlines, result.not_evaluated, case.merged)


def overdue_horizon(ctx: Context, due_within_working_days: int) -> dt.date:
    """The last due date an overdue list includes: as_of plus N working days."""
    if due_within_working_days == 0:
        return ctx.as_of
    return ctx.calendar.add_working_days(ctx.as_of, due_within_working_days, ctx.closed)


def overdue_only(deadlines: Iterable[Deadline], horizon: dt.date) -> list[Deadline]:
    """Overdue, due today, and (with a horizon past as_of) upcoming by the horizon."""
    return [
        d
        for d in deadlines
        if d.status in (OVERDUE, DUE_TODAY) or (d.status == UPCOMING and d.due <= horizon)
    ]

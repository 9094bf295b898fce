"""The deadline engine: a case's events and a set of rules in, deadlines out.

Pure Python; no HTTP, no I/O. For each rule, in each episode it applies to
(app/data/rules/README.md gives the whole of it, with examples):

1. the anchor is found (each, the first, the latest or the opening anchor
   event; a birthday; the episode's start; the day the child becomes an
   eligible child);
2. the first deadline is the anchor plus (for "before" rules, minus) the
   rule's offset, counted with the case's calendar and closed days, or the
   day an event happens ("by the end of the assessment");
3. the first satisfying event on or after the anchor's day meets it (met, or
   met_late with the working days it was late);
4. a recurring rule then runs on from that event with the first step of its
   schedule whose conditions hold, each later deadline met by the next
   satisfying event strictly after the last one, so a schedule has at most one
   deadline more than the case has satisfying events;
5. when the episode has ended, a deadline it left outstanding no longer
   applies and is not returned; deadlines met while it was open still are.

Partial histories: when the schedule's start is not posted (an inferred
episode, or a history that begins at `history_from`), a recurring rule is
taken at its steady step, and a one-off rule is listed as not evaluated with
the reason, never invented and never silently left out.

Counting conventions are those of docs/contract.md, implemented in
`offset_date` below and app/calendars/working_days.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter

from app.calendars import SkippedDay
from app.domain.cases import LONDON, Case, Event
from app.domain.episodes import Episode, EpisodeKind, episodes_of, held_by
from app.domain.plans import Count, Plan, StepPlan
from app.domain.rules import Rule, RuleVersion
from app.errors import BudgetExceeded, FieldError, InvalidInput, OutOfRange, Unavailable

UPCOMING, DUE_TODAY, OVERDUE, MET, MET_LATE = "upcoming", "due_today", "overdue", "met", "met_late"
OPEN_STATUSES = frozenset({UPCOMING, DUE_TODAY, OVERDUE})

# Why a rule that applies to the case set no deadline (the answer's not_evaluated).
ANCHOR_NOT_POSTED = "anchor_not_posted"
DATE_OF_BIRTH_NEEDED = "date_of_birth_needed"
ATTRIBUTE_NEEDED = "attribute_needed"
NOT_COMPUTABLE = "not_computable"
HISTORY_STARTS_AFTER_ANCHOR = "history_starts_after_anchor"
# The caller's data does not record what meets the rule (recorded_event_types):
# a deadline would be reported missed for want of data, so none is set.
NOT_RECORDED = "not_recorded"
# The rule was not in force on the day its deadlines would be counted from (a
# council's standard before its document's date), or on rules_as_of.
NOT_IN_FORCE = "not_in_force"
REASONS = (
    ANCHOR_NOT_POSTED,
    DATE_OF_BIRTH_NEEDED,
    ATTRIBUTE_NEEDED,
    NOT_COMPUTABLE,
    HISTORY_STARTS_AFTER_ANCHOR,
    NOT_RECORDED,
    NOT_IN_FORCE,
)

# The step of its schedule a deadline was counted with.
FIRST, STEADY, THEN, THEN_OF_ANCHOR = "first", "steady step", "then", "then of the anchor"


_NOTHING_TAKEN: set[int] = set()  # shared until a rule takes an event; never added to
_NONE: list[Event] = []  # no events of a type; never added to
_NO_LIMIT = 1 << 62  # a position after every event
_EACH = frozenset({"each", "each_after_first"})


def _day_as_event(label: str, day: dt.date) -> Event:
    """A day a deadline is counted from that is not a posted event (a birthday,
    the day the posted history begins), in the shape of one."""
    return Event(
        index=-1,
        type=label,
        date=day,
        at=None,
        ref=None,
        scheduled=False,
        attributes={},
        position=-1,
    )


# Not frozen: a frozen dataclass costs five times as much to build, and a
# caseload builds hundreds of thousands. Treated as immutable all the same.
@dataclass(slots=True)
class Deadline:
    rule: Rule
    due: dt.date
    due_at: dt.datetime | None
    status: str
    satisfied_by: Event | None
    working_days_overdue: int
    anchor: Event  # what it was counted from: an event, a birthday, history_from
    counted: Count  # the offset it was counted with
    sign: int  # 1 after the anchor, -1 before it
    step: str  # FIRST, STEADY, THEN or THEN_OF_ANCHOR (in words: `schedule`)
    occurrence: int  # 1 for the first deadline of a schedule, 2 for the next...
    episode: Episode | None
    case: Case  # for the explanation, worked out only when it is asked for
    # The anchor's date is inferred: the event it names stands for another
    # that was not posted (`stands_for`), or it is the day history begins.
    inferred: bool = False
    stands_for: str | None = None
    by_event: Event | None = None  # "due by an event": the event it fell due on
    # An approved exception's revised date and status (an ApprovedRevision,
    # app.domain.exceptions, which imports this module; read it with
    # revision_of). `due` and `status` above are never changed by one.
    exception: object | None = None
    # The rule's later version it was counted under (Rule.versions), chosen by
    # the day it is counted from (or rules_as_of); None: the rule as cited.
    version: RuleVersion | None = None

    @property
    def schedule(self) -> str:
        """ "first", "then every 6 weeks", "steady step: every 6 months"."""
        if self.step == FIRST:
            return FIRST
        every = self.counted.describe()
        if self.step == STEADY:
            return f"{STEADY}: every {every}"
        if self.step == THEN_OF_ANCHOR:
            return f"then every {every} of the anchor"
        return f"then every {every}"

    @property
    def offset(self) -> str:
        """The offset in words: "15 working days", "3 working days before", "on the day"."""
        if self.by_event is not None:
            return f"by {self.by_event.type}"
        return self.counted.describe() + (" before" if self.sign < 0 else "")

    @property
    def skipped(self) -> tuple[SkippedDay, ...]:
        """Bank holidays and closed days the count passed over.

        Weekends are not listed (every count of working days skips them); this
        matches the contract's example, where 15 working days across two
        weekends skip nothing.
        """
        if self.by_event is not None or self.counted.unit != "working_days":
            return ()
        case = self.case
        return tuple(
            case.calendar.skipped_days(self.anchor.date, self.due, case.closed, weekends=False)
        )

    @property
    def provisional(self) -> bool:
        """True when a working-day count crossed a projected calendar year."""
        return self.counted.unit == "working_days" and self.case.calendar.provisional(
            self.anchor.date, self.due
        )


class NotEvaluated:
    """A rule that applies to the case but set no deadline, and why.

    The sentence is written when it is read: a caseload's overdue list may
    hold thousands, most never shown one by one.
    """

    __slots__ = ("_detail", "reason", "rule")

    def __init__(self, rule: Rule, reason: str, detail: str | Callable[[], str]) -> None:
        self.rule = rule
        self.reason = reason  # one of REASONS
        self._detail = detail

    @property
    def detail(self) -> str:
        if callable(self._detail):
            self._detail = self._detail()
        return self._detail


@dataclass(slots=True)
class Evaluation:
    deadlines: list[Deadline]
    not_evaluated: list[NotEvaluated]


# -- what one case may cost ------------------------------------------------------------------

# The clock the time budget is read from (a name of this module, so that a
# test can stand a counting clock in for it).
monotonic = time.monotonic


@dataclass(frozen=True, slots=True)
class Budget:
    """What one case may cost: the deadlines it may set, and the seconds it
    may take, as the time.monotonic() reading to give up at. Spent, it is a
    problem for the case; never a shorter list."""

    max_deadlines: int
    seconds: float
    give_up_at: float

    @classmethod
    def starting_now(cls, max_deadlines: int, seconds: float) -> Budget:
        return cls(max_deadlines, seconds, monotonic() + seconds)

    def check_time(self, case: Case) -> None:
        """Unavailable (503) once the time is spent.

        A 503, not a 422: a case within the bounds on events and deadlines is
        one the service should answer (one of 2,000 events takes tens of
        milliseconds), so running out of time means a worker short of CPU
        (a busy host, a caseload next to it) or a fault in the engine, not a
        mistake of the caller's; the same case may well be answered on a retry.
        """
        if monotonic() > self.give_up_at:
            who = f"{case.label}: " if case.label else ""
            msg = (
                f"{who}the deadlines took longer than the {self.seconds:g} s one case may take "
                "(CASE_TIME_BUDGET_SECONDS), so none are returned for it; retry later"
            )
            msg = msg[0].upper() + msg[1:]
            raise Unavailable(msg, [FieldError((), msg, "time_budget")])

    def check_deadlines(self, case: Case, count: int) -> None:
        """BudgetExceeded (422) past the deadlines one case may set: the case's
        history is the reason, and a shorter one (history_from) is the remedy."""
        if count > self.max_deadlines:
            who = f"{case.label}: " if case.label else ""
            msg = (
                f"{who}the events set more than {self.max_deadlines} deadlines, the most one "
                "case may have (MAX_DEADLINES_PER_CASE), so none are returned for it; post a "
                "shorter history (history_from and the events since)"
            )
            msg = msg[0].upper() + msg[1:]
            raise BudgetExceeded(msg, [FieldError(("events",), msg, "too_many_deadlines")])


_NO_BUDGET = Budget(_NO_LIMIT, math.inf, math.inf)
# The loops over a case's episodes, anchors and deadlines read the clock once
# every 32 turns (k & _EVERY == 0): reading it on every turn would cost about 6% of
# the work, and 32 turns take well under a millisecond.
_EVERY = 31


# -- counting -------------------------------------------------------------------------------


def add_months(day: dt.date, n: int) -> dt.date:
    """day + n calendar months, clipping to the month's last day.

    The same answer as `day + dateutil.relativedelta(months=n)` (the test
    suite checks that on every day of several years); written out because it
    runs for every monthly deadline of every case in a caseload.
    """
    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month]
    return dt.date(year, month, min(day.day, last))


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def offset_date(case: Case, start: dt.date, offset: Count, sign: int = 1) -> dt.date:
    """start + offset (or - offset with sign -1), by the contract's conventions."""
    n = offset.amount * sign
    if offset.unit == "working_days":
        return case.calendar.add_working_days(start, n, case.closed)
    if offset.unit == "days":
        return start + dt.timedelta(days=n)
    if offset.unit == "weeks":
        return start + dt.timedelta(weeks=n)
    if offset.unit == "months":
        return add_months(start, n)
    if offset.unit == "years":
        return add_months(start, 12 * n)
    # hours, from a date without a time: N/24 days, rounded up
    return start + dt.timedelta(days=sign * math.ceil(offset.amount / 24))


def _due(case: Case, anchor: Event, offset: Count, sign: int) -> tuple[dt.date, dt.datetime | None]:
    if offset.unit == "hours" and anchor.at is not None:
        # Elapsed hours: count in UTC, then read the date in Europe/London,
        # so a clock change inside the span is handled correctly.
        due_at = (
            anchor.at.astimezone(dt.UTC) + dt.timedelta(hours=offset.amount * sign)
        ).astimezone(LONDON)
        return due_at.date(), due_at
    return offset_date(case, anchor.date, offset, sign), None


def status_of(
    case: Case, due: dt.date, due_at: dt.datetime | None, met: Event | None
) -> tuple[str, int]:
    """A deadline's status against `due` (and `due_at`), and its working days
    late: met on or before it, met_late after it, else upcoming, due_today or
    overdue against the case's as_of, on its calendar and closed days."""
    cal = case.calendar
    if met is not None:
        late = met.at > due_at if (met.at is not None and due_at is not None) else met.date > due
        if not late:
            return MET, 0
        # Late is on a later day (an event's date is its time's day in London),
        # so the count is never negative.
        return MET_LATE, cal.working_days_between(due, met.date, case.closed)
    if due > case.as_of:
        return UPCOMING, 0
    if due == case.as_of:
        return DUE_TODAY, 0
    return OVERDUE, cal.working_days_between(due, case.as_of, case.closed)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# An event's day, and its place in the timeline (day, then position).
_date = attrgetter("date")
_key = attrgetter("date", "position")
_position = attrgetter("position")


def _attributes_match(event: Event, wanted: Mapping[str, object]) -> bool | None:
    """True or False, or None when the event does not say."""
    for name, value in wanted.items():
        if name not in event.attributes:
            return None
        if event.attributes[name] != value:
            return False
    return True


# -- one case -------------------------------------------------------------------------------


def evaluate(
    case: Case,
    plans: Sequence[Plan],
    kinds: Mapping[str, EpisodeKind],
    open_only: bool = False,
    budget: Budget = _NO_BUDGET,
    recorded: frozenset[str] | None = None,
    rules_as_of: dt.date | None = None,
) -> Evaluation:
    """Every deadline the rules set for the case, ordered by due date, and the
    rules that apply to it but set none, with the reason. (The rules as plans:
    `plan_of(rule)`.)

    recorded: the event types the caller's data records, when it records only
    some (an Annex A workbook, an extract): a rule that sets deadlines but is
    met by none of them is listed as not_recorded instead, since every one of
    its deadlines would look missed for want of data.

    open_only: build only the deadlines not yet met, for an overdue list; met
    deadlines are walked through (a schedule runs from them) but not built.
    budget: BudgetExceeded past its deadlines (those built: an overdue list
    builds only the open ones), Unavailable once its time is spent; the time
    is read for each rule and every 32nd episode, anchor and deadline.

    rules_as_of: apply each rule as it stood on this day, to every deadline
    (a what-if); otherwise a dated rule sets a deadline only when the day it
    is counted from is in force, under the version in force on that day.
    """
    run = _RuleRun(case, kinds, open_only, budget, rules_as_of)
    deadlines: list[Deadline] = []
    not_evaluated: list[NotEvaluated] = []
    for plan in plans:
        budget.check_time(case)
        found, note = run.evaluate(plan)
        if found and recorded is not None and recorded.isdisjoint(plan.satisfied_by):
            found, note = [], _not_recorded(plan)
        deadlines.extend(found)
        budget.check_deadlines(case, len(deadlines))
        if note is not None:
            not_evaluated.append(note)
    deadlines.sort(key=lambda d: (d.due, d.rule.id, d.occurrence))
    return Evaluation(deadlines, not_evaluated)


def _not_recorded(plan: Plan) -> NotEvaluated:
    events = plan.satisfied_by
    return NotEvaluated(
        plan.rule,
        NOT_RECORDED,
        lambda: (
            "the data posted does not record "
            + " or ".join(events)
            + " (recorded_event_types), so whether it was met cannot be told"
        ),
    )


def next_due(deadlines: Iterable[Deadline]) -> Deadline | None:
    """What is due next: the earliest deadline not yet met (overdue ones first)."""
    pending = [d for d in deadlines if d.status in OPEN_STATUSES]
    return min(pending, key=lambda d: (d.due, d.rule.id)) if pending else None


# What an episode offers a rule to count from: its anchor events; those that
# lack an attribute the rule reads; and whether there were some with other values.
_Anchors = tuple[list[Event], list[Event], bool]


class _Schedule:
    """One anchor's schedule in one episode: what its deadlines are counted
    from, met by and bounded by, handed on as one instead of threaded
    through every call as so many parameters."""

    __slots__ = ("anchor", "episode", "next_anchor", "satisfiers", "until")

    def __init__(
        self,
        episode: Episode | None,
        anchor: Event,
        satisfiers: list[Event],
        next_anchor: Event | None = None,
    ) -> None:
        self.episode = episode
        self.anchor = anchor
        self.satisfiers = satisfiers  # that have happened, in timeline order
        # Its satisfying events come before the next anchor (None: no bound).
        self.next_anchor = next_anchor
        self.until = episode.end_date if episode is not None else None  # none met later

    def unbounded(self) -> _Schedule:
        """The same schedule with no next anchor to bound it."""
        if self.next_anchor is None:
            return self
        return _Schedule(self.episode, self.anchor, self.satisfiers)


class _RuleRun:
    """The rules applied to one case, one at a time: each rule's deadlines, or
    why it has none. What the rules share (the case's episodes, its events by
    type) is built once per case."""

    __slots__ = (
        "answered",
        "applies",
        "budget",
        "case",
        "episodes",
        "facts",
        "facts_of_type",
        "kinds",
        "looked_after",
        "note",
        "only",
        "open_only",
        "placement_types",
        "plan",
        "rules_as_of",
        "taken",
    )
    plan: Plan
    note: tuple[str, str | Callable[[], str]] | None  # the latest (reason, detail)
    taken: set[int]  # satisfying events that met an earlier anchor's deadline
    applies: bool
    # It set a deadline: one returned, or one met that an overdue list leaves
    # out (so that both answers list the same rules as not evaluated).
    answered: bool

    def __init__(
        self,
        case: Case,
        kinds: Mapping[str, EpisodeKind],
        open_only: bool,
        budget: Budget = _NO_BUDGET,
        rules_as_of: dt.date | None = None,
    ) -> None:
        self.case = case
        self.rules_as_of = rules_as_of
        self.budget = budget
        self.kinds = kinds
        self.open_only = open_only
        self.episodes: dict[str, list[Episode]] = {}  # the case's episodes, by kind
        self.placement_types: frozenset[str | None] | None = None  # of its placements
        self.only: dict[tuple[int, tuple[str, ...]], bool] = {}  # see _only
        self.facts_of_type = case.facts_by_type  # what has happened, by type
        self.facts: dict[tuple[str, ...], list[Event]] = {}  # the same, by a rule's types
        # See _looked_after_before: by (kind, day), the episodes' starts and the
        # time looked after before each, and those with no end.
        self.looked_after: dict[
            tuple[str, dt.date],
            tuple[list[tuple[dt.date, int]], list[dt.timedelta], list[Episode]],
        ] = {}

    # -- the rule as a whole ----------------------------------------------------------------

    def evaluate(self, plan: Plan) -> tuple[list[Deadline], NotEvaluated | None]:
        self.plan = plan
        self.note = None
        self.taken = _NOTHING_TAKEN
        self.applies = False
        self.answered = False
        if not plan.computable:
            if plan.about_child and self._episode_present():
                return [], NotEvaluated(plan.rule, NOT_COMPUTABLE, plan.not_computable_reason or "")
            return [], None
        episodes = self._applies_to()
        if episodes is None:
            return [], self._note()
        if not episodes:
            return [], None
        satisfiers = (
            self._facts(plan.satisfied_by)
            if plan.satisfied_from_nth == 1
            else self._satisfiers(episodes)
        )
        if len(episodes) == 1:
            out = self._apply(episodes[0], None, satisfiers)
        else:
            out = []
            check_time = self.budget.check_time
            for k, episode in enumerate(episodes):
                if not k & _EVERY:
                    check_time(self.case)
                out.extend(self._apply(episode, episodes[k - 1] if k else None, satisfiers))
        if out or self.answered or not self.applies:
            return out, None
        return out, self._note()

    def _note(self) -> NotEvaluated | None:
        if self.note is None:
            return None
        reason, detail = self.note
        return NotEvaluated(self.plan.rule, reason, detail)

    def _note_that(self, reason: str, detail: str | Callable[[], str]) -> None:
        self.applies = True
        self.note = (reason, detail)

    def _title(self, episode: Episode) -> str:
        """The episode's kind in words: "child protection plan"."""
        title = self.kinds[episode.kind].title
        return title[0].lower() + title[1:]

    def _episode_present(self) -> bool:
        during = self.plan.during
        if during is None:
            return bool(self.case.events)
        kind = self.kinds[during.episode]
        present = bool(self._episodes(during.episode))
        if not present and kind.part_of is not None:
            present = bool(self._episodes(kind.part_of))
        return present

    def _episodes(self, kind: str, ends_with: tuple[str, ...] | None = None) -> list[Episode]:
        if ends_with is None and kind in self.episodes:
            return self.episodes[kind]
        return episodes_of(
            self.case,
            kind,
            self.kinds,
            self.episodes,
            frozenset(ends_with) if ends_with is not None else None,
        )

    def _applies_to(self) -> list[Episode | None] | None:
        """The episodes the rule applies to; None (with a note) if it cannot be told."""
        plan, case = self.plan, self.case
        during = plan.during
        if during is None:
            if plan.anchor_event is not None and plan.anchor_event not in case.by_type:
                return []  # nothing in this case starts the rule's clock
            self.applies = True
            return [None]
        kind = self.kinds[during.episode]
        wanted = during.placement_types or kind.start_attributes.get("placement_type")
        if wanted and self._no_placement_of(wanted):
            return []  # (quickly) no placement of the types this rule is for
        episodes = self._episodes(during.episode, during.ends_with)
        if episodes and not during.filtered:
            self.applies = True
            return episodes  # type: ignore[return-value]
        if not episodes:
            # Looked after, but no placement of the kind this rule is for: is that
            # because a placement's type is not known?
            if (
                kind.part_of is not None
                and during.placement_types
                and self._episodes(kind.part_of)
                and self._untyped_placements()
            ):
                self._note_that(
                    ATTRIBUTE_NEEDED,
                    "placement_started needs attributes.placement_type: this rule is for "
                    f"{_types(during.placement_types)} placements, and the type of the "
                    "child's placement is not known",
                )
                return None
            return []
        if during.placement_types or during.placement_type_unknown:
            typed = [s for s in episodes if s.placement_type is not None]
            untyped = [s for s in episodes if s.placement_type is None]
            if during.placement_type_unknown:
                episodes = untyped
            else:
                wanted = during.placement_types or ()
                episodes = [s for s in typed if s.placement_type in wanted]
                if untyped:
                    self._note_that(
                        ATTRIBUTE_NEEDED,
                        f"{_describe(untyped[-1].start)} has no attributes.placement_type: "
                        f"this rule is for {_types(wanted)} placements",
                    )
        if during.unless_all_placements_are:
            only = during.unless_all_placements_are
            episodes = [s for s in episodes if not self._only(s, only)]
        if not episodes:
            return None if self.note is not None else []
        self.applies = True
        if during.until_birthday is not None:
            return self._until_birthday(episodes, during.until_birthday)
        return list(episodes)

    def _no_placement_of(self, types: str | tuple[str, ...]) -> bool:
        """Whether the case's placements are all posted with a type, none of these."""
        posted = self.placement_types
        if posted is None:
            posted = self.placement_types = frozenset(
                e.attributes.get("placement_type")
                for e in self.case.by_type.get("placement_started", ())
                if not e.scheduled
            )
        if not posted or None in posted:
            return False
        return posted.isdisjoint((types,) if isinstance(types, str) else types)

    def _untyped_placements(self) -> bool:
        for kind in self.kinds.values():
            if kind.part_of is not None and not kind.start_attributes:
                return any(s.placement_type is None for s in self._episodes(kind.kind))
        return False

    def _only(self, episode: Episode, types: tuple[str, ...]) -> bool:
        """Whether every placement posted in the episode is one of these types."""
        key = (episode.start.position, types)
        found = self.only.get(key)
        if found is None:
            inside = [
                p
                for kind in self.kinds.values()
                if kind.part_of == episode.kind and not kind.start_attributes
                for p in held_by(episode, self._episodes(kind.kind))
                if p.start.type in kind.starts
            ]
            found = self.only[key] = bool(inside) and all(p.placement_type in types for p in inside)
        return found

    def _until_birthday(self, episodes: list[Episode], age: int) -> list[Episode | None] | None:
        """Episodes cut short at a birthday: the requirement stops when the child reaches it."""
        born = self.case.date_of_birth
        if born is None:
            self._note_that(
                DATE_OF_BIRTH_NEEDED,
                f"the requirement runs until the child's {_ordinal(age)} birthday: "
                "child.date_of_birth is needed",
            )
            return None
        birthday = add_months(born, 12 * age)
        out: list[Episode | None] = []
        for episode in episodes:
            if birthday <= episode.start.date:
                continue
            if episode.end_date is None or birthday < episode.end_date:
                # Cut short: no end event, and so no unclear end either.
                episode = replace(episode, end_date=birthday, end=None, end_unclear=None)
            out.append(episode)
        return out

    def _facts(self, types: tuple[str, ...]) -> list[Event]:
        """Events of these types that have happened (not booked), in timeline order."""
        if len(types) == 1:
            return self.facts_of_type.get(types[0], _NONE)
        found = self.facts.get(types)
        if found is None:
            of_type = self.facts_of_type
            found = [e for t in types for e in of_type.get(t, ())]
            found.sort(key=_key)
            self.facts[types] = found
        return found

    def _satisfiers(self, episodes: Sequence[Episode | None]) -> list[Event]:
        """Satisfying events that have happened (not booked), in timeline order."""
        plan = self.plan
        found = self._facts(plan.satisfied_by)
        if plan.satisfied_from_nth == 1:
            return found
        # The first n-1 in each episode meet another requirement.
        skip: set[int] = set()
        for episode in episodes:
            lo, hi = _within(found, episode)
            hi = min(hi, lo + plan.satisfied_from_nth - 1)
            skip.update(e.position for e in found[lo:hi])
        return [e for e in found if e.position not in skip]

    # -- one episode ------------------------------------------------------------------------

    def _apply(
        self, episode: Episode | None, previous: Episode | None, satisfiers: list[Event]
    ) -> list[Deadline]:
        plan, case = self.plan, self.case
        counted_from = plan.counted_from
        if counted_from != "event":
            if counted_from == "birthday":
                assert plan.birthday is not None
                return self._from_birthday(episode, satisfiers, plan.birthday)
            if counted_from == "eligible_child":
                return self._from_eligibility(episode, satisfiers)
            assert episode is not None
            return self._from_episode_start(episode, satisfiers)
        if plan.needs_posted_anchor and plan.anchor_event not in case.by_type:
            # (Quickly) a one-off deadline whose anchor is not posted is not invented.
            return self._without_anchor(episode, satisfiers)
        events, undecided, other = self._anchor_events(episode, previous)
        if events:
            if plan.before:
                found: list[Deadline] = []
                for k, event in enumerate(events):
                    if k and not k & _EVERY:
                        self.budget.check_time(case)
                    found.extend(self._before(episode, event, satisfiers))
                return found
            if len(events) == 1:
                return self._first_deadline(_Schedule(episode, events[0], satisfiers))
            # Each anchor's satisfying events come before the next anchor (unless
            # one event may meet them all).
            bounded = plan.which in _EACH and not plan.shared_satisfier
            out: list[Deadline] = []
            for k, event in enumerate(events):
                nxt = events[k + 1] if bounded and k + 1 < len(events) else None
                out.extend(self._first_deadline(_Schedule(episode, event, satisfiers, nxt)))
            return out
        if other and not undecided:
            return []  # a planned placement, and the rule is for emergencies: not this one
        if undecided:
            names = ", ".join(f"{k}: {v}" for k, v in plan.anchor_attributes.items())
            self._note_that(
                ATTRIBUTE_NEEDED,
                f"{_describe(undecided[-1])} does not say {names}: this rule is only "
                f"for a {plan.anchor_event} with {names}",
            )
            return []
        if episode is not None and (plan.otherwise == "episode_start" or plan.which == "opening"):
            # The episode's start stands in for the anchor. For the event that
            # led to the episode (an ICPC on or before the plan's start) that is
            # the latest the deadline can be, never an earlier one.
            return self._from_episode_start(episode, satisfiers, stands_for=plan.anchor_event)
        return self._without_anchor(episode, satisfiers)

    def _anchor_events(self, episode: Episode | None, previous: Episode | None) -> _Anchors:
        plan, case = self.plan, self.case
        which, event_type = plan.which, plan.anchor_event
        assert event_type is not None
        # A booked (scheduled) conference can anchor a "before" rule: the report
        # is due before the date it is booked for. Nothing else counts from a
        # date that has not happened.
        if plan.before:
            events = case.by_type.get(event_type, _NONE)
        else:
            events = self.facts_of_type.get(event_type, _NONE)
        if which == "latest":
            # The most recent one up to the episode's end, even from before the
            # episode began (a pathway plan written before the child left care).
            # (By bisection, as below: this runs for each of a case's episodes.)
            end = episode.end_date if episode else None
            hi = len(events) if end is None else bisect_right(events, end, key=_date)
            events = events[hi - 1 : hi] if hi else _NONE
        elif which == "opening":
            # The event that led to the episode, which may be dated before it
            # (the ICPC on Friday that made the plan recorded from Monday).
            assert episode is not None
            since = previous.end if previous is not None else None
            hi = bisect_right(events, episode.start.date, key=_date)
            if hi and (since is None or _key(events[hi - 1]) > _key(since)):
                events = events[hi - 1 : hi]
            else:
                events = _NONE
        else:
            if episode is not None:
                events = _held(events, episode)
            if which == "first":
                events = events[:1]
                if episode is not None and episode.began_before and self._recurs_inside(episode):
                    # The episode began before the posted history: the first
                    # placement posted may be a move, not the first placement.
                    events = []
            elif which == "each_after_first":
                events = events[1:]
        wanted = plan.anchor_attributes
        if not wanted:
            return events, _NONE, False
        matching: list[Event] = []
        undecided: list[Event] = []
        other = False
        for e in events:
            match = _attributes_match(e, wanted)
            if match:
                matching.append(e)
            elif match is None:
                undecided.append(e)
            else:
                other = True
        return matching, undecided, other

    def _recurs_inside(self, episode: Episode) -> bool:
        """Whether the rule's anchor event opens episodes inside this one (a
        placement inside a period looked after), so that the first of them
        posted need not be the first there was."""
        event = self.plan.anchor_event
        return event in self.kinds[episode.kind].inner_starts

    def _without_anchor(self, episode: Episode | None, satisfiers: list[Event]) -> list[Deadline]:
        """The anchor is not posted. A recurring rule runs at its steady step from
        the episode's inferred start, or from the first satisfying event in the
        episode; a one-off rule is listed as not evaluated."""
        plan = self.plan
        event = plan.anchor_event
        detail = partial(_not_posted, event, self._title(episode) if episode else None, episode)

        if plan.recurring and episode is not None:
            kind = self.kinds[episode.kind]
            opening = event in kind.starts or event in kind.opened_by
            if episode.began_before and opening:
                return self._steady(
                    _Schedule(episode, episode.start, satisfiers), episode.start, event, True
                )
            lo, hi = _within(satisfiers, episode)
            if lo < hi:
                # It met a deadline the history does not hold; the schedule runs on from it.
                first = satisfiers[lo]
                return self._steady(_Schedule(episode, first, satisfiers), first, None, False)
        self._note_that(ANCHOR_NOT_POSTED, detail)
        return []

    def _from_episode_start(
        self, episode: Episode, satisfiers: list[Event], stands_for: str | None = None
    ) -> list[Deadline]:
        if episode.began_before:
            if self.plan.recurring:
                return self._steady(
                    _Schedule(episode, episode.start, satisfiers),
                    episode.start,
                    stands_for or f"{episode.kind} start",
                    True,
                )
            self._note_that(
                ANCHOR_NOT_POSTED,
                f"the {self._title(episode)} began before the posted history (its start "
                f"is inferred from {_describe(episode.start)}): the deadline is counted from its "
                "start",
            )
            return []
        inferred = episode.inferred or stands_for is not None
        return self._first_deadline(
            _Schedule(episode, episode.start, satisfiers),
            inferred=inferred,
            stands_for=(stands_for or f"{episode.kind} start") if inferred else None,
        )

    def _from_birthday(
        self, episode: Episode | None, satisfiers: list[Event], age: int
    ) -> list[Deadline]:
        born = self.case.date_of_birth
        self.applies = True
        if born is None:
            self._note_that(
                DATE_OF_BIRTH_NEEDED,
                f"the deadline is counted from the child's {_ordinal(age)} birthday: "
                "child.date_of_birth is needed",
            )
            return []
        birthday = add_months(born, 12 * age)
        label = f"{_ordinal(age)}_birthday"
        if episode is None:
            return self._first_deadline(_Schedule(None, _day_as_event(label, birthday), satisfiers))
        if episode.end_date is not None and birthday > episode.end_date:
            return []
        if birthday < episode.start.date:
            # Reached the age before the episode began (became looked after at
            # 17, say): the clock starts when the episode does.
            return self._from_episode_start(episode, satisfiers)
        return self._first_deadline(_Schedule(episode, _day_as_event(label, birthday), satisfiers))

    def _from_eligibility(self, episode: Episode | None, satisfiers: list[Event]) -> list[Deadline]:
        case = self.case
        rules = self.plan.eligible_child
        assert rules is not None and episode is not None
        born = case.date_of_birth
        self.applies = True
        if born is None:
            self._note_that(
                DATE_OF_BIRTH_NEEDED,
                "the deadline is counted from the day the child becomes an eligible child "
                f"({rules.from_age} or {rules.until_age - 1}, looked after for "
                f"{rules.looked_after_weeks} weeks since {rules.since_age}): "
                "child.date_of_birth is needed",
            )
            return []
        day, uncertain = self._eligible_on(episode, born)
        if day is None:
            return []  # never eligible in this episode: the duty does not arise
        if uncertain:
            self._note_that(
                ANCHOR_NOT_POSTED,
                f"the looked-after episode began before the posted history (inferred from "
                f"{_describe(episode.start)}), so the day the child became eligible is not known",
            )
            return []
        # On the 16th birthday for a child already in care 13 weeks; later, the
        # day the 13 weeks are complete.
        label = (
            f"{_ordinal(rules.from_age)}_birthday"
            if day == add_months(born, 12 * rules.from_age)
            else "became_eligible"
        )
        return self._first_deadline(_Schedule(episode, _day_as_event(label, day), satisfiers))

    def _eligible_on(self, episode: Episode, born: dt.date) -> tuple[dt.date | None, bool]:
        """The day the child becomes eligible (CPPCR reg 40) in this episode, if
        they do, and whether that day rests on an inferred start.

        Eligible once aged `from_age` (and under `until_age`), looked after, and
        looked after for `looked_after_weeks` in all since `since_age`, counted
        over the posted looked-after episodes up to this one (not those only of
        short breaks, reg 40(2)). The weeks are counted as "within N weeks" is:
        looked after from E, they are complete on E + N weeks.
        """
        rules = self.plan.eligible_child
        assert rules is not None
        since = add_months(born, 12 * rules.since_age)
        from_day = add_months(born, 12 * rules.from_age)
        until_day = add_months(born, 12 * rules.until_age)
        needed = dt.timedelta(weeks=rules.looked_after_weeks)
        counted = self._looked_after_before(episode, since)
        clipped = max(episode.start.date, since)
        weeks_done = clipped + max(needed - counted, dt.timedelta(0))
        day = max(from_day, weeks_done)
        if day >= until_day or (episode.end_date is not None and day >= episode.end_date):
            return None, False
        # With a start before the history, the weeks may have been complete
        # earlier than counted here: only an eligibility on the birthday itself
        # is then certain.
        return day, episode.began_before and day > from_day

    def _looked_after_before(self, episode: Episode, since: dt.date) -> dt.timedelta:
        """The time looked after since a day, over the episodes of the kind that
        began before this one (not those only of short breaks, reg 40(2)).

        Sums over the episodes in turn are worked out once per case and day:
        this runs for each episode, and summing afresh each time made a case
        of many periods looked after quadratic.
        """
        key = (episode.kind, since)
        table = self.looked_after.get(key)
        if table is None:
            episodes = self._episodes(episode.kind)
            sums = [dt.timedelta(0)]
            open_ended: list[Episode] = []  # they run until the episode asked about
            for other in episodes:
                add = dt.timedelta(0)
                if not self._only(other, ("short_break",)):
                    if other.end_date is None:
                        open_ended.append(other)
                    elif other.end_date > max(other.start.date, since):
                        add = other.end_date - max(other.start.date, since)
                sums.append(sums[-1] + add)
            starts = [_key(other.start) for other in episodes]
            table = self.looked_after[key] = (starts, sums, open_ended)
        starts, sums, open_ended = table
        before = _key(episode.start)
        counted = sums[bisect_left(starts, before)]
        for other in open_ended:
            if _key(other.start) >= before:
                break
            start = max(other.start.date, since)
            if episode.start.date > start:
                counted += episode.start.date - start
        return counted

    # -- schedules --------------------------------------------------------------------------

    def _first_deadline(
        self, s: _Schedule, inferred: bool = False, stands_for: str | None = None
    ) -> list[Deadline]:
        plan, case = self.plan, self.case
        anchor, satisfiers = s.anchor, s.satisfiers
        clock: Event = anchor
        after: Event | None = None  # None: the first satisfier on or after the anchor's day
        if plan.from_last_satisfied and anchor.date <= case.as_of:
            # (A birthday still to come: the last contact before it is not yet
            # known, and the birthday is the latest the clock can start.)
            # The last satisfying event on or before the anchor's day, not the anchor.
            k = bisect_right(satisfiers, anchor.date, key=_date) - 1
            if k >= 0 and satisfiers[k].position == anchor.position:
                k -= 1
            if k >= 0:
                clock = after = satisfiers[k]
        return self._run(
            s, clock, after, plan.due, steady=False, inferred=inferred, stands_for=stands_for
        )

    def _steady(
        self, s: _Schedule, start: Event, stands_for: str | None, inferred: bool
    ) -> list[Deadline]:
        """The schedule without its start (the first offset, and steps limited by
        `times` or counted from the anchor), taken up at `start`: an episode's
        inferred start, the first satisfying event posted, or, when that is
        earlier, the day the posted history begins.

        Counted from a day that is not itself a satisfying event, the first
        deadline is the latest the requirement can have been due; it is
        returned when it was missed or is still open. When the next satisfying
        event met it, it says nothing, and the schedule is taken up from that
        event instead.
        """
        plan, case = self.plan, self.case
        history = case.history_from
        posted_satisfier = start.type in plan.satisfied_by and start.index >= 0
        if history is not None and start.date < history and (inferred or not posted_satisfier):
            # Taken up at the day the history begins: the start is an inferred
            # day, or a deadline before the history was missed (_run). A posted
            # satisfying event before it is not replaced: the schedule runs on
            # from it, and _run judges what falls due from history_from on.
            start, stands_for = _day_as_event("history_from", history), plan.satisfied_by[0]
            inferred = True
        met_earlier = start.type in plan.satisfied_by and start.index >= 0
        step = self._step(s, start, {}, steady=True)
        if step is None:
            return self._no_steady_step()
        offset = plan.then[step].every
        after = start if met_earlier else None
        if not met_earlier:
            first = self._met(s, start, True, skip_anchor=False)
            if first is not None and not self._late(start, offset, first):
                step = self._step(s, first, {}, steady=True)
                if step is None:
                    return []
                start, after, stands_for, inferred = first, first, None, False
                offset = plan.then[step].every
        return self._run(
            s,
            start,
            after,
            offset,
            steady=True,
            inferred=inferred,
            stands_for=stands_for if inferred else None,
        )

    def _late(self, start: Event, offset: Count, met: Event) -> bool:
        try:
            due, due_at = _due(self.case, start, offset, 1)
            return status_of(self.case, due, due_at, met)[0] == MET_LATE
        except OutOfRange as exc:
            raise self._beyond_range(start, exc) from exc

    def _beyond_range(self, clock: Event, exc: OutOfRange) -> InvalidInput:
        """A count from `clock` ran off the supported range: the caller's
        problem, naming the event it was counted from (not the calendar's
        own `date` field)."""
        case = self.case
        return InvalidInput(
            f"{case.label + ': ' if case.label else ''}the {self.plan.requirement} deadline "
            f"counted from {clock.type} on {clock.date} falls outside the supported "
            "calendar range",
            [FieldError(_where(clock), exc.detail)],
        )

    def _no_steady_step(self) -> list[Deadline]:
        self._note_that(
            HISTORY_STARTS_AFTER_ANCHOR,
            "the schedule began before the posted history and has no later step to take it up at",
        )
        return []

    def _run(
        self,
        s: _Schedule,
        clock: Event,
        after: Event | None,
        offset: Count,
        *,
        steady: bool,
        inferred: bool,
        stands_for: str | None,
    ) -> list[Deadline]:
        """Deadline after deadline, until one is not yet met or no step applies.

        clock: what the next deadline is counted from; after: the last
        satisfying event (the next must come strictly after it), or None for
        the first satisfier on or after the clock's day. Each turn of the loop
        uses up a satisfying event, so it ends; the bound makes that plain.
        """
        plan, case = self.plan, self.case
        history, open_only, then, plain = (
            case.history_from,
            self.open_only,
            plan.then,
            plan.one_plain_step,
        )
        episode, anchor, satisfiers = s.episode, s.anchor, s.satisfiers
        first = not steady
        by_event = self._by_event(s, plan.by_event) if first and plan.by_event else None
        met = self._met(s, clock if after is None else after, after is None)
        if first and plan.met_before_anchor and after is None:
            met = self._met_ahead(s) or met
        step_kind = STEADY if steady else FIRST
        walk = plain and open_only and history is None
        since, until, rules_as_of = plan.in_force_from, plan.in_force_to, self.rules_as_of
        used: dict[int, int] = {}
        out: list[Deadline] = []
        occurrence = 0
        check_time = self.budget.check_time
        for k in range(len(satisfiers) + 2):
            if k and not k & _EVERY:
                check_time(case)
            occurrence += 1
            # A deadline counted from a day the rule is not in force on is not the
            # rule's to set (noted): judged all the same, so that the schedule runs
            # on exactly as it would, but neither returned nor taken as answered.
            day = rules_as_of or clock.date
            in_force = since <= day <= until or self._not_in_force(clock, day)
            if met is None or not open_only or history is not None:
                # (An overdue list neither shows nor needs a deadline already met.)
                judged = self._judge(episode, clock, offset, met, by_event)
                if judged is None:
                    return out  # its episode ended with it outstanding
                due, due_at, status, late = judged
                if history is not None and due < history:
                    # Fell due before the posted history: not judged. The schedule
                    # runs on through events posted before it; when it cannot, it
                    # is taken up at its steady step from the day the history begins.
                    if not plan.recurring:
                        self._note_that(
                            HISTORY_STARTS_AFTER_ANCHOR,
                            f"due {due}, before history_from ({history}): not judged",
                        )
                        return out
                    if met is None or met.date >= history:
                        return out + self._steady(s.unbounded(), clock, None, True)
                elif not in_force:
                    pass
                elif status in OPEN_STATUSES or not open_only:
                    out.append(
                        Deadline(
                            plan.rule,
                            due,
                            due_at,
                            status,
                            met,
                            late,
                            clock,
                            offset,
                            1,
                            step_kind,
                            occurrence,
                            episode,
                            case,
                            inferred,
                            stands_for,
                            by_event,
                            version=self._version(clock) if plan.versioned else None,
                        )
                    )
                else:
                    self.answered = True  # met: an overdue list leaves it out
            elif in_force:
                self.answered = True  # met: an overdue list leaves it out
            if met is None:
                return out
            if first and not plan.shared_satisfier:
                if self.taken is _NOTHING_TAKEN:
                    self.taken = set()
                self.taken.add(met.position)
            if not then:
                return out
            if plain:
                step = 0
            else:
                found = self._step(s, met, used, steady)
                if found is None:
                    return out
                step = found
                used[step] = used.get(step, 0) + 1
            chosen: StepPlan = then[step]
            offset = chosen.every
            if chosen.from_anchor:
                clock, step_kind = anchor, THEN_OF_ANCHOR
            else:
                clock, step_kind = met, THEN
            after, first, by_event, inferred, stands_for = met, False, None, False, None
            if walk and step_kind == THEN:
                # An overdue list needs only the deadline after the last of a run
                # of met ones: with one plain step, that is the one after the
                # last satisfying event in reach (each on a later day).
                clock, skipped = self._last_met(s, met)
                occurrence += skipped
                met = None
            else:
                met = self._met(s, after, False)
        return out

    def _in_force(self, clock: Event) -> bool:
        """Whether the rule sets the deadline counted from `clock`: it is in
        force on that day (or on rules_as_of). If not, that is noted, so that
        a rule with no deadline in force says why."""
        plan = self.plan
        day = self.rules_as_of or clock.date
        return plan.in_force_from <= day <= plan.in_force_to or self._not_in_force(clock, day)

    def _not_in_force(self, clock: Event, day: dt.date) -> bool:
        """Note that the rule is not in force on `day` (for the deadline counted
        from `clock`); False, for `_in_force`."""
        plan, fixed = self.plan, self.rules_as_of is not None

        # In words only when an answer lists it: a long history before a
        # council's document date meets this for every deadline of a schedule.
        def detail() -> str:
            since = f"from {plan.valid_from}" if plan.valid_from else ""
            until = f"until {plan.valid_to}" if plan.valid_to else ""
            span = " ".join(p for p in (since, until) if p)
            what = (
                f"rules_as_of ({day})"
                if fixed
                else f"the day it would be counted from ({clock.type} on {day})"
            )
            local = " (the statutory rules apply throughout)" if plan.rule.basis == "local" else ""
            return f"in force {span}, not on {what}{local}"

        self._note_that(NOT_IN_FORCE, detail)
        return False

    def _version(self, clock: Event) -> RuleVersion | None:
        return self.plan.rule.version_on(self.rules_as_of or clock.date)

    def _last_met(self, s: _Schedule, after: Event) -> tuple[Event, int]:
        """The last event `_met` would reach from `after`, one call after
        another, and how many calls that took: what a schedule of one plain
        step runs through."""
        candidates, until, anchor, before = s.satisfiers, s.until, s.anchor, s.next_anchor
        taken = self.taken
        skip = anchor.position if anchor.index >= 0 else -2
        limit = before.position if before is not None else _NO_LIMIT
        last, day, n = after, after.date, 0
        for i in range(bisect_right(candidates, day, key=_date), len(candidates)):
            event = candidates[i]
            if until is not None and event.date > until:
                break
            position = event.position
            if position >= limit:
                break
            if event.date > day and position != skip and position not in taken:
                last, day, n = event, event.date, n + 1
        return last, n

    def _met(
        self, s: _Schedule, after: Event, same_day: bool, skip_anchor: bool = True
    ) -> Event | None:
        """The next satisfying event.

        same_day: on or after `after`'s day, whatever the order of events on
        that day, but not `after` itself nor an earlier one of its own type.
        Otherwise on a later day than `after` (the last satisfying event): two
        on one day are one occasion, and each occurrence moves the schedule on
        by at least a day, so it ends. Never the anchor itself (unless
        skip_anchor is False); no later than the episode's end; before the
        next anchor; not one that met an earlier anchor.
        """
        candidates, until, anchor, before = s.satisfiers, s.until, s.anchor, s.next_anchor
        if same_day:
            lo = bisect_left(candidates, after.date, key=_date)
        else:
            lo = bisect_right(candidates, after.date, key=_date)
        taken = self.taken
        skip = anchor.position if skip_anchor and anchor.index >= 0 else -2
        # (Positions are the timeline's order, so the next anchor bounds by position.)
        limit = before.position if before is not None else _NO_LIMIT
        # By index, not islice: islice steps through the first lo items, and
        # this runs once per deadline, so a long history became quadratic.
        for i in range(lo, len(candidates)):
            event = candidates[i]
            if until is not None and event.date > until:
                return None
            position = event.position
            if position >= limit:
                return None
            if position == skip or position in taken:
                continue
            if same_day and (
                position == after.position
                or (event.type == after.type and position < after.position)
            ):
                continue
            return event
        return None

    def _met_ahead(self, s: _Schedule) -> Event | None:
        """A satisfying event ahead of the anchor (a plan written before a
        planned placement): after the previous anchor of the kind, and not one
        an earlier anchor has taken."""
        # By bisection (timeline order is position order): this runs for every
        # anchor, and reading the lists whole made a case of many anchors quadratic.
        anchor, satisfiers = s.anchor, s.satisfiers
        kind = self.case.by_type.get(anchor.type, _NONE)
        k = bisect_left(kind, anchor.position, key=_position)
        since = kind[k - 1].position if k else -1
        taken = self.taken
        for i in range(bisect_right(satisfiers, since, key=_position), len(satisfiers)):
            event = satisfiers[i]
            if event.position >= anchor.position:
                break
            if event.position not in taken:
                return event
        return None

    def _by_event(self, s: _Schedule, event_type: str) -> Event | None:
        """For a rule due by an event: the nth such event after the anchor, in the episode."""
        episode, anchor = s.episode, s.anchor
        # Found by bisection, not by reading the list: this runs for every
        # anchor, and a case may have one in each of 2,000 placements.
        events = self.facts_of_type.get(event_type, _NONE)  # happened, in timeline order
        lo = bisect_right(events, _key(anchor), key=_key)
        if episode is not None:
            lo = max(lo, bisect_left(events, episode.start.date, key=_date))
        k = lo + self.plan.nth - 1
        if k >= len(events):
            return None
        found = events[k]
        return found if episode is None or episode.contains(found.date) else None

    def _step(
        self, s: _Schedule, previous: Event, used: dict[int, int], steady: bool
    ) -> int | None:
        """The first step whose conditions hold at the previous satisfying event.

        steady: the schedule's start is not known, so steps limited by `times`
        or counted from the anchor are taken as used.
        """
        plan = self.plan
        if plan.one_plain_step:
            return 0  # one step, with no conditions: every 6 months
        case, steps, episode, anchor = self.case, plan.then, s.episode, s.anchor
        for i, step in enumerate(steps):
            if step.times is not None and (steady or used.get(i, 0) >= step.times):
                continue
            if steady and step.from_anchor:
                continue
            if step.within is not None and previous.date >= offset_date(
                case, anchor.date, step.within
            ):
                continue
            if step.after_event is not None and not self._happened(
                step.after_event, episode, previous.date, step.after_event_reset_by
            ):
                continue
            if step.until_event is not None and self._happened(
                step.until_event, episode, previous.date, ()
            ):
                continue
            return i
        return None

    def _happened(
        self, event_type: str, episode: Episode | None, by: dt.date, reset_by: Sequence[str]
    ) -> bool:
        """Whether an event of the type has happened in the episode by a day (and
        since the latest of the reset events)."""
        # By bisection in what has happened (timeline order): this runs for each
        # deadline of a schedule whose steps have conditions.
        facts = self.facts_of_type
        since: tuple[dt.date, int] | None = None
        for reset in reset_by:
            resets = facts.get(reset, _NONE)
            k = bisect_right(resets, by, key=_date)
            if k and (since is None or _key(resets[k - 1]) > since):
                since = _key(resets[k - 1])
        events = facts.get(event_type, _NONE)
        lo, hi = _within(events, episode)
        if since is not None:
            lo = max(lo, bisect_right(events, since, key=_key))
        return lo < hi and events[lo].date <= by

    def _judge(
        self,
        episode: Episode | None,
        clock: Event,
        offset: Count,
        met: Event | None,
        by_event: Event | None,
        sign: int = 1,
    ) -> tuple[dt.date, dt.datetime | None, str, int] | None:
        """The deadline's due date, time, status and working days late; None when
        its episode has ended with it outstanding, so that it no longer applies."""
        case = self.case
        try:
            if by_event is not None:
                due, due_at = by_event.date, None
            else:
                due, due_at = _due(case, clock, offset, sign)
            status, late = status_of(case, due, due_at, met)
        except OutOfRange as exc:
            raise self._beyond_range(clock, exc) from exc
        # An outstanding requirement no longer applies once its episode has ended,
        # nor when it would fall due after the day the episode is known to end (a
        # care leaver's 25th birthday, the age a requirement runs to).
        ends = episode.end_date if episode is not None else None
        if status in OPEN_STATUSES and ends is not None and (ends <= case.as_of or due > ends):
            assert episode is not None  # (it has an end)
            if episode.end_unclear and episode.end is not None:
                self._note_that(
                    ATTRIBUTE_NEEDED,
                    f"{_describe(episode.end)} does not say {episode.end_unclear}: if it is "
                    f"true the {self._title(episode)} runs on and this deadline ({due}) is judged",
                )
            return None
        return due, due_at, status, late

    def _before(
        self, episode: Episode | None, anchor: Event, satisfiers: Sequence[Event]
    ) -> list[Deadline]:
        """ "At least N working days before the conference": a report shared after
        the previous conference of the kind (or from the episode's start) and by
        this conference meets it; it is on time if shared by the due date."""
        plan, case = self.plan, self.case
        if not self._in_force(anchor):
            return []
        # By bisection, not by reading the lists: this runs for each conference,
        # and a case of many conferences was quadratic. The previous conference
        # of the kind is the last one in the episode dated before this one.
        kind = case.by_type.get(anchor.type, _NONE)
        hi = bisect_left(kind, anchor.date, key=_date)
        if episode is not None and episode.end_date is not None:
            hi = min(hi, bisect_right(kind, episode.end_date, key=_date))
        previous = (
            kind[hi - 1]
            if hi and (episode is None or episode.contains(kind[hi - 1].date))
            else None
        )
        # The report is shared after the previous conference of the kind; for
        # the first one, after the day the episode opened (the ICPC that opened
        # the plan is the previous conference of a first review); and by this one.
        if previous is not None:
            lo = bisect_right(satisfiers, previous.date, key=_date)
        elif episode is not None:
            lo = bisect_right(satisfiers, episode.start.date, key=_date)
        else:
            lo = 0
        met = (
            satisfiers[lo] if lo < len(satisfiers) and satisfiers[lo].date <= anchor.date else None
        )
        judged = self._judge(episode, anchor, plan.due, met, None, sign=-1)
        if judged is None:
            return []
        due, due_at, status, late = judged
        if case.history_from is not None and due < case.history_from:
            self._note_that(
                HISTORY_STARTS_AFTER_ANCHOR,
                f"due {due}, before history_from ({case.history_from}): not judged",
            )
            return []
        if met is not None and self.open_only:
            self.answered = True
            return []
        return [
            Deadline(
                rule=plan.rule,
                due=due,
                due_at=due_at,
                status=status,
                satisfied_by=met,
                working_days_overdue=late,
                anchor=anchor,
                counted=plan.due,
                sign=-1,
                step=FIRST,
                occurrence=1,
                episode=episode,
                case=case,
                version=self._version(anchor) if plan.versioned else None,
            )
        ]


def _within(events: Sequence[Event], episode: Episode | None) -> tuple[int, int]:
    """Where the events (in timeline order) on the episode's days begin and
    end in the list (Episode.contains); all of them for no episode."""
    if episode is None:
        return 0, len(events)
    lo = bisect_left(events, episode.start.date, key=_date)
    hi = (
        len(events)
        if episode.end_date is None
        else bisect_right(events, episode.end_date, key=_date)
    )
    return lo, max(lo, hi)


def _held(events: list[Event], episode: Episode) -> list[Event]:
    """The events (in timeline order) that belong to the episode (Episode.holds)."""
    lo = bisect_left(events, episode.start.date, key=_date)
    if episode.end is not None:
        hi = bisect_left(events, _key(episode.end), key=_key)
    elif episode.end_date is not None:
        hi = bisect_right(events, episode.end_date, key=_date)
    else:
        hi = len(events)
    return events[lo:hi]


def _where(clock: Event) -> tuple[str | int, ...]:
    """The field a deadline was counted from: an event's date, the date of
    birth (a birthday, the day the child became eligible), or history_from."""
    if clock.index >= 0:
        return ("events", clock.index, "date")
    if clock.type == "history_from":
        return ("history_from",)
    return ("child", "date_of_birth")


def _not_posted(event: str | None, title: str | None, episode: Episode | None) -> str:
    where = f" in the {title} from {episode.start.date}" if episode is not None else ""
    return f"no {event} is posted{where}: the deadline is counted from it"


def _describe(event: Event) -> str:
    ref = f" (ref {event.ref!r})" if event.ref else ""
    return f"{event.type} on {event.date}{ref}"


def _types(types: Iterable[str]) -> str:
    return " or ".join(t.replace("_", " ") for t in types)

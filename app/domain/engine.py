"""The deadline engine: a case's events and a set of rules in, deadlines out.

Pure Python; no HTTP, no I/O. For each rule, in each episode it applies to:

1. the anchor is found (the first, each, or the latest anchor event; or a
   birthday);
2. the first deadline is the anchor plus (or, for "before" rules, minus) the
   rule's offset, counted with the case's calendar and closed days;
3. the first satisfying event on or after the anchor meets it (met, or
   met_late with the working days it was late); for "before the placement
   or within N days" rules, one written ahead of the anchor does too;
4. a recurring rule then runs from that satisfying event with the first step
   of its schedule whose conditions hold, and so on, until a deadline is not
   yet met: that one is upcoming, due today or overdue;
5. when the episode has ended (the plan closed, the child left care), its
   outstanding deadline no longer applies and is not returned; deadlines met
   while it was open still are.

Counting conventions are those of shared/docs/contract.md, implemented in
`offset_date` below and app/calendars/working_days.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from app.calendars import Holiday, SkippedDay
from app.domain.cases import LONDON, Case, Event
from app.domain.episodes import Episode, episodes_of
from app.domain.errors import FieldError, InvalidInput, OutOfRange
from app.domain.rules import Offset, Rule, Step

UPCOMING, DUE_TODAY, OVERDUE, MET, MET_LATE = "upcoming", "due_today", "overdue", "met", "met_late"
OPEN_STATUSES = frozenset({UPCOMING, DUE_TODAY, OVERDUE})


# What a deadline is counted from: an event of the case, or for an age-based
# rule a birthday, which is given the same shape (an Event with no index).
AnchorRef = Event


def _birthday(label: str, day: dt.date) -> Event:
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
    anchor: AnchorRef
    counted: Offset  # the offset this deadline was counted with
    sign: int  # 1 after the anchor, -1 before it
    schedule: str  # "first" or "then every 6 weeks"
    occurrence: int  # 1 for the first deadline of a schedule, 2 for the next...
    episode: Episode | None
    case: Case  # for the explanation, worked out only when it is asked for

    @property
    def offset(self) -> str:
        """The offset in words: "15 working days", "3 working days before", "6 weeks"."""
        return self.counted.describe() + (" before" if self.sign < 0 else "")

    @property
    def skipped(self) -> tuple[SkippedDay, ...]:
        """Bank holidays and closed days the count passed over."""
        return _skipped(self.case, self.anchor.date, self.due, self.counted)

    @property
    def provisional(self) -> bool:
        """True when a working-day count crossed a projected calendar year."""
        return self.counted.unit == "working_days" and self.case.calendar.provisional(
            self.anchor.date, self.due
        )


# -- counting -------------------------------------------------------------------------------


def add_months(day: dt.date, n: int) -> dt.date:
    """day + n calendar months, clipping to the month's last day.

    The same answer as `day + dateutil.relativedelta(months=n)` (the test
    suite checks that on every day of several years); written out because it
    runs for every monthly deadline of every case in a caseload.
    """
    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def offset_date(case: Case, start: dt.date, offset: Offset, sign: int = 1) -> dt.date:
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


def _due(
    case: Case, anchor: AnchorRef, offset: Offset, sign: int
) -> tuple[dt.date, dt.datetime | None]:
    if offset.unit == "hours" and anchor.at is not None:
        # Elapsed hours: count in UTC, then read the date in Europe/London,
        # so a clock change inside the span is handled correctly.
        due_at = (
            anchor.at.astimezone(dt.UTC) + dt.timedelta(hours=offset.amount * sign)
        ).astimezone(LONDON)
        return due_at.date(), due_at
    return offset_date(case, anchor.date, offset, sign), None


def _skipped(case: Case, start: dt.date, end: dt.date, offset: Offset) -> tuple[SkippedDay, ...]:
    """Bank holidays and closed days a working-day count passed over.

    Weekends are not listed (every count of working days skips them); this
    matches the contract's example, where 15 working days across two
    weekends skip nothing.
    """
    if offset.unit != "working_days":
        return ()
    lo, hi = (start, end) if end >= start else (end, start)
    holidays: list[Holiday] = case.calendar.holidays_between(lo, hi)
    days = {h.date: h.name for h in holidays if h.date != start}
    for day in case.closed:
        if lo < day <= hi and day.weekday() < 5 and day not in days and day != start:
            days[day] = "closed"
    return tuple(SkippedDay(d, days[d]) for d in sorted(days))


# -- finding events -------------------------------------------------------------------------


def _facts(case: Case, types: Sequence[str]) -> list[Event]:
    """Events of these types that have happened (not booked), in timeline order."""
    if len(types) == 1:
        return [e for e in case.by_type.get(types[0], ()) if not e.scheduled]
    out: list[Event] = []
    for t in types:
        out.extend(e for e in case.by_type.get(t, ()) if not e.scheduled)
    return sorted(out, key=lambda e: e.position)


def _date(event: Event) -> dt.date:
    return event.date


def _first_satisfier(
    candidates: Sequence[Event],
    after: AnchorRef,
    until: dt.date | None,
    before: AnchorRef | None = None,
) -> Event | None:
    """The first candidate on or after the anchor (never the anchor itself),
    no later than `until`, and before the next anchor `before` if given."""
    for event in candidates[bisect_left(candidates, after.date, key=_date) :]:
        if until is not None and event.date > until:
            return None
        if before is not None and (event.date, event.position) >= (before.date, before.position):
            return None
        if event.position == after.position:
            continue
        if event.type == after.type and event.position < after.position:
            continue
        return event
    return None


# -- applying a rule ------------------------------------------------------------------------


def deadlines_for(case: Case, rules: Sequence[Rule], open_only: bool = False) -> list[Deadline]:
    """Every deadline the rules set for the case, ordered by due date.

    open_only: only those not yet met, for an overdue list; met deadlines are
    walked through (a schedule runs from them) but not built.
    """
    episodes: dict[str, list[Episode]] = {}
    out: list[Deadline] = []
    for rule in rules:
        if not rule.computable:
            continue
        anchor = rule.anchor
        if anchor is not None and anchor.event is not None and anchor.event not in case.by_type:
            continue  # nothing in this case starts the rule's clock
        during = rule.applies_during
        if during is None:
            spans: list[Episode | None] = [None]
        else:
            if during.episode not in episodes:
                episodes[during.episode] = episodes_of(case, during.episode)
            spans = list(episodes[during.episode])
            if during.placement_types:
                spans = [s for s in spans if s and s.placement_type in during.placement_types]
            if during.until_birthday is not None:
                spans = _until_birthday(case, rule, spans, during.until_birthday)
        for span in spans:
            out.extend(_apply(case, rule, span, open_only))
    out.sort(key=lambda d: (d.due, d.rule.id, d.occurrence))
    return out


def _until_birthday(
    case: Case, rule: Rule, spans: list[Episode | None], age: int
) -> list[Episode | None]:
    """Episodes cut short at a birthday: the requirement stops when the child reaches it."""
    if not spans:
        return spans
    if case.date_of_birth is None:
        _need_date_of_birth(case, rule, spans[0], age)
    assert case.date_of_birth is not None
    birthday = case.date_of_birth + relativedelta(years=age)
    out: list[Episode | None] = []
    for span in spans:
        assert span is not None
        if birthday <= span.start.date:
            continue
        if span.end_date is None or birthday < span.end_date:
            span = Episode(span.kind, span.start, birthday, None)
        out.append(span)
    return out


def _need_date_of_birth(case: Case, rule: Rule, span: Episode | None, age: int) -> None:
    subject = f"{case.label}: " if case.label else ""
    start = span.start if span else None
    if start is not None:
        event = f"event {start.index}" + (f" (ref {start.ref!r})" if start.ref else "")
        msg = (
            f"{subject}{event}, {start.type}, starts a rule that depends on the "
            f"child's {_ordinal(age)} birthday ({rule.id}): child.date_of_birth is needed"
        )
    else:
        msg = (
            f"{subject}rule {rule.id} depends on the child's {_ordinal(age)} birthday: "
            "child.date_of_birth is needed"
        )
    raise InvalidInput(msg, [FieldError(("child", "date_of_birth"), msg, "missing")])


def _anchors(case: Case, rule: Rule, span: Episode | None) -> list[AnchorRef]:
    anchor = rule.anchor
    assert anchor is not None and rule.due is not None
    if anchor.birthday is not None:
        return _birthday_anchor(case, rule, span)
    assert anchor.event is not None
    # A booked (scheduled) conference can anchor a "before" rule: the report
    # is due before the date it is booked for. Nothing else counts from a
    # date that has not happened.
    allow_scheduled = rule.due.direction == "before"
    events = [e for e in case.by_type.get(anchor.event, ()) if allow_scheduled or not e.scheduled]
    if anchor.which == "latest":
        # The most recent one up to the episode's end, even from before the
        # episode began (a pathway plan written before the child left care).
        end = span.end_date if span else None
        eligible = [e for e in events if end is None or e.date <= end]
        return [eligible[-1]] if eligible else []
    if span is not None:
        events = [e for e in events if span.holds(e)]
    if anchor.which == "first":
        events = events[:1]
    elif anchor.which == "each_after_first":
        events = events[1:]
    return list(events)


def _birthday_anchor(case: Case, rule: Rule, span: Episode | None) -> list[AnchorRef]:
    assert rule.anchor is not None and rule.anchor.birthday is not None
    age = rule.anchor.birthday
    if case.date_of_birth is None:
        _need_date_of_birth(case, rule, span, age)
    assert case.date_of_birth is not None
    birthday = case.date_of_birth + relativedelta(years=age)
    label = f"{_ordinal(age)}_birthday"
    if span is None:
        return [_birthday(label, birthday)]
    if span.end_date is not None and birthday > span.end_date:
        return []
    if birthday < span.start.date:
        # Reached the age before the episode began (became looked after at
        # 17, say): the clock starts when the episode does.
        return [span.start]
    return [_birthday(label, birthday)]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _apply(case: Case, rule: Rule, span: Episode | None, open_only: bool) -> list[Deadline]:
    assert rule.due is not None
    anchors = _anchors(case, rule, span)
    satisfiers = _facts(case, rule.satisfied_by)
    if rule.satisfied_from_nth > 1:
        in_span = [s for s in satisfiers if span is None or span.contains(s.date)]
        skip = {s.position for s in in_span[: rule.satisfied_from_nth - 1]}
        satisfiers = [s for s in satisfiers if s.position not in skip]
    until = span.end_date if span else None
    out: list[Deadline] = []
    for k, anchor in enumerate(anchors):
        next_anchor = (
            anchors[k + 1]
            if rule.anchor
            and rule.anchor.which in ("each", "each_after_first")
            and k + 1 < len(anchors)
            else None
        )
        if rule.due.direction == "before":
            out.extend(_before(case, rule, span, anchor, satisfiers, open_only))
        else:
            out.extend(
                _schedule(case, rule, span, anchor, satisfiers, until, next_anchor, open_only)
            )
    return out


def _status(
    case: Case, due: dt.date, due_at: dt.datetime | None, met: Event | None
) -> tuple[str, int]:
    calendar = case.calendar
    if met is not None:
        late = met.at > due_at if (met.at is not None and due_at is not None) else met.date > due
        if not late:
            return MET, 0
        return MET_LATE, max(0, calendar.working_days_between(due, met.date, case.closed))
    if due > case.as_of:
        return UPCOMING, 0
    if due == case.as_of:
        return DUE_TODAY, 0
    return OVERDUE, calendar.working_days_between(due, case.as_of, case.closed)


def _deadline(
    case: Case,
    rule: Rule,
    span: Episode | None,
    anchor: AnchorRef,
    offset: Offset,
    sign: int,
    met: Event | None,
    schedule: str,
    occurrence: int,
) -> Deadline | None:
    try:
        due, due_at = _due(case, anchor, offset, sign)
        status, late = _status(case, due, due_at, met)
    except OutOfRange as exc:
        raise InvalidInput(
            f"{case.label + ': ' if case.label else ''}the {rule.requirement} deadline counted "
            f"from {anchor.type} on {anchor.date} falls outside the supported calendar range",
            [FieldError(("events",), exc.detail)],
        ) from exc
    # An outstanding requirement no longer applies once its episode has ended,
    # nor when it would fall due after the day the episode is known to end (a
    # care leaver's 25th birthday, the age a requirement runs to).
    ends = span.end_date if span is not None else None
    if status in OPEN_STATUSES and ends is not None and (ends <= case.as_of or due > ends):
        return None
    return Deadline(
        rule=rule,
        due=due,
        due_at=due_at,
        status=status,
        satisfied_by=met,
        working_days_overdue=late,
        anchor=anchor,
        counted=offset,
        sign=sign,
        schedule=schedule,
        occurrence=occurrence,
        episode=span,
        case=case,
    )


def _before(
    case: Case,
    rule: Rule,
    span: Episode | None,
    anchor: AnchorRef,
    satisfiers: Sequence[Event],
    open_only: bool = False,
) -> list[Deadline]:
    """ "At least N working days before the conference": a report shared after
    the previous conference of the kind (or from the episode's start) and by
    this conference meets it; it is on time if shared by the due date."""
    assert rule.due is not None
    earlier = [
        e.date
        for e in case.by_type.get(anchor.type, ())
        if e.position < anchor.position
        and e.date < anchor.date
        and (span is None or span.contains(e.date))
    ]
    met = None
    for event in satisfiers:
        # After the previous conference of the kind; for the first one, after
        # the day the episode opened (the ICPC that opened the plan is the
        # previous conference of a first review).
        after_previous = (
            event.date > earlier[-1] if earlier else (span is None or event.date > span.start.date)
        )
        if after_previous and event.date <= anchor.date:
            met = event
            break
    if met is not None and open_only:
        return []
    deadline = _deadline(case, rule, span, anchor, rule.due, -1, met, "first", 1)
    return [deadline] if deadline else []


def _schedule(
    case: Case,
    rule: Rule,
    span: Episode | None,
    anchor: AnchorRef,
    satisfiers: Sequence[Event],
    until: dt.date | None,
    next_anchor: AnchorRef | None,
    open_only: bool = False,
) -> list[Deadline]:
    assert rule.due is not None
    out: list[Deadline] = []
    offset: Offset = rule.due
    schedule = "first"
    clock = anchor
    used: dict[int, int] = {}  # step index -> occurrences it has set
    occurrence = 1
    while True:
        met = _first_satisfier(satisfiers, clock, until, next_anchor)
        if occurrence == 1 and rule.met_before_anchor:
            met = _met_ahead(case, satisfiers, anchor) or met
        if met is None or not open_only:
            deadline = _deadline(case, rule, span, clock, offset, 1, met, schedule, occurrence)
            if deadline is not None:
                out.append(deadline)
        if met is None or not rule.then:
            return out
        step_index = _next_step(case, rule.then, span, anchor, met, used)
        if step_index is None:
            return out
        used[step_index] = used.get(step_index, 0) + 1
        step = rule.then[step_index]
        offset = step.every
        schedule = f"then every {step.every.describe()}"
        clock = met
        occurrence += 1


def _met_ahead(case: Case, satisfiers: Sequence[Event], anchor: AnchorRef) -> Event | None:
    """A satisfying event ahead of the anchor: a plan written before a planned
    placement. It must come after the previous anchor of the kind, and not be
    the first one after it, which met that anchor's own deadline."""
    previous = [e for e in case.by_type.get(anchor.type, ()) if e.position < anchor.position]
    since = previous[-1].position if previous else -1
    ahead = [e for e in satisfiers if since < e.position < anchor.position]
    if previous and ahead:
        ahead = ahead[1:]
    return ahead[0] if ahead else None


def _next_step(
    case: Case,
    steps: Sequence[Step],
    span: Episode | None,
    anchor: AnchorRef,
    previous: Event,
    used: dict[int, int],
) -> int | None:
    """The first step whose conditions hold at the previous satisfying event."""
    for i, step in enumerate(steps):
        if step.times is not None and used.get(i, 0) >= step.times:
            continue
        if step.within is not None and previous.date >= offset_date(case, anchor.date, step.within):
            continue
        if step.after_event is not None and not any(
            e.date <= previous.date and (span is None or span.contains(e.date))
            for e in case.by_type.get(step.after_event, ())
            if not e.scheduled
        ):
            continue
        return i
    return None


def next_due(deadlines: Iterable[Deadline]) -> Deadline | None:
    """What is due next: the earliest deadline not yet met (overdue ones first)."""
    pending = [d for d in deadlines if d.status in OPEN_STATUSES]
    return min(pending, key=lambda d: (d.due, d.rule.id)) if pending else None

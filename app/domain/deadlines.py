"""Deadlines for one case or a caseload: the use cases the API exposes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.calendars import WorkingDayCalendar, bank_holiday_data
from app.catalogue.data import Catalogue
from app.domain.cases import LONDON, Case, ChildIn, EventIn, parse_case
from app.domain.engine import DUE_TODAY, OVERDUE, UPCOMING, Deadline, deadlines_for
from app.domain.errors import FieldError, InvalidInput
from app.domain.rules import BASELINE, Rule, Rulebook


@dataclass(frozen=True)
class Context:
    """What every case of a request shares: rules, calendar, closed days, as_of."""

    ruleset: str
    rules: tuple[Rule, ...]
    calendar: WorkingDayCalendar
    closed: tuple[dt.date, ...]
    as_of: dt.date
    # The computable rules by the event that starts their clock, and those
    # that start from a birthday: a case is only offered the rules its own
    # events can start, which matters across a caseload of thousands.
    by_anchor: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    by_birthday: tuple[Rule, ...] = ()

    def rules_for(self, event_types: Iterable[str]) -> list[Rule]:
        rules = list(self.by_birthday)
        for event_type in event_types:
            rules.extend(self.by_anchor.get(event_type, ()))
        return rules


def today_in_london() -> dt.date:
    return dt.datetime.now(LONDON).date()


def context(
    rulebook: Rulebook,
    cat: Catalogue,
    authority: str,
    calendar_id: str | None,
    closed: Sequence[dt.date],
    as_of: dt.date | None,
    loc: tuple[str | int, ...] = ("body",),
) -> Context:
    allowed = [BASELINE, *cat.authorities]
    if authority not in allowed:
        raise InvalidInput(
            f"Unknown authority {authority!r}.",
            [FieldError((*loc, "authority"), "Must be one of: " + ", ".join(allowed))],
        )
    default_calendar = (
        cat.authorities[authority].default_calendar
        if authority in cat.authorities
        else "england-and-wales"
    )
    calendar = bank_holiday_data().calendars[calendar_id or default_calendar]
    as_of = as_of or today_in_london()
    errors = []
    if not calendar.first <= as_of <= calendar.last:
        errors.append(
            FieldError(("body", "as_of"), f"Must be between {calendar.first} and {calendar.last}")
        )
    for i, day in enumerate(closed):
        if not calendar.first <= day <= calendar.last:
            errors.append(
                FieldError(
                    ("body", "closed_days", i),
                    f"Must be between {calendar.first} and {calendar.last}",
                )
            )
    if errors:
        raise InvalidInput("A date is outside the supported range.", errors)
    # South Gloucestershire sets no numbers of its own: the baseline alone.
    rules = rulebook.rules_for(authority)
    by_anchor: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.computable and rule.anchor is not None and rule.anchor.event is not None:
            by_anchor.setdefault(rule.anchor.event, []).append(rule)
    by_birthday = tuple(
        r for r in rules if r.computable and r.anchor is not None and r.anchor.birthday is not None
    )
    return Context(
        authority,
        rules,
        calendar,
        tuple(closed),
        as_of,
        {event: tuple(rs) for event, rs in by_anchor.items()},
        by_birthday,
    )


def case_deadlines(
    ctx: Context,
    rulebook: Rulebook,
    child: ChildIn | None,
    events: list[EventIn],
    loc: tuple[str | int, ...] = ("body",),
    label: str = "",
    open_only: bool = False,
) -> list[Deadline]:
    """The case's deadlines; open_only for an overdue list (met ones left out)."""
    case: Case = parse_case(
        ruleset=ctx.ruleset,
        calendar=ctx.calendar,
        as_of=ctx.as_of,
        closed=ctx.closed,
        child=child,
        events=events,
        vocabulary=rulebook.vocabulary,
        loc=loc,
        label=label,
    )
    try:
        return deadlines_for(case, ctx.rules_for(case.by_type), open_only)
    except InvalidInput as exc:
        exc.errors = [FieldError((*loc, *e.loc), e.msg, e.type) for e in exc.errors]
        raise


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

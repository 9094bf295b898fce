"""A child's case as the engine sees it: validated events on a calendar.

`parse_case` takes the events as posted (anything with the fields of
`EventRecord`: the API's request models are such; app/routers/case_models.py)
and checks their meaning, naming the event at fault by its index and `ref`:
an unknown event type, a date that is not a real date or is outside the
supported range, an event after `as_of` that is not marked scheduled, an
attribute a rule reads given with the wrong type. Problems are located within
the case (`("events", 3, "date")`, `("child", "date_of_birth")`); the caller
that knows where the case sits in its request prefixes them
(app.errors.located). Nothing is dropped or guessed; the same record sent
twice (same type, date, ref, scheduled and attributes) counts once, and the
case says how many were merged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from app.calendars import WorkingDayCalendar
from app.calendars.date_patterns import BIRTH_FIRST_YEAR
from app.domain.vocabulary import Vocabulary
from app.errors import FieldError, InvalidInput

LONDON = ZoneInfo("Europe/London")
MAX_TEXT = 200  # characters in a text attribute (a visit's location)

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")


class EventRecord(Protocol):
    """One event as a caller posted it: the date still as written, attributes
    not yet checked. A protocol, so that the domain does not import the
    request models (app/routers/case_models.py's EventIn is one)."""

    @property
    def type(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def ref(self) -> str | None: ...
    @property
    def scheduled(self) -> bool: ...
    @property
    def attributes(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True, slots=True)
class PlainEvent:
    """An EventRecord for callers in Python (the council-data readers' cases):
    the date written YYYY-MM-DD, as a request would carry it."""

    type: str
    date: str
    ref: str | None = None
    scheduled: bool = False
    attributes: Mapping[str, Any] = field(default_factory=dict)


# Not frozen: a frozen dataclass costs five times as much to build, and a
# caseload builds hundreds of thousands. Treated as immutable all the same.
@dataclass(slots=True)
class Event:
    index: int  # position in the caller's list, for error messages and refs
    type: str
    date: dt.date  # in Europe/London
    at: dt.datetime | None  # when the caller gave a time
    ref: str | None
    scheduled: bool
    attributes: Mapping[str, Any]
    position: int = 0  # order in the case's timeline (date, then caller's order)


@dataclass(frozen=True)
class Case:
    ruleset: str
    calendar: WorkingDayCalendar
    as_of: dt.date
    closed: frozenset[dt.date]
    date_of_birth: dt.date | None
    events: tuple[Event, ...]  # in timeline order
    by_type: dict[str, list[Event]] = field(default_factory=dict)
    # The same without booked (scheduled) events: what has happened. Read only.
    facts_by_type: dict[str, list[Event]] = field(default_factory=dict)
    label: str = ""  # "case 'C-12'" in batch requests, for messages
    # Where the posted history begins: deadlines due before it are not judged.
    history_from: dt.date | None = None
    merged: int = 0  # identical events counted once


def describe_event(event_index: int, ref: str | None, label: str = "") -> str:
    who = f"event {event_index}" + (f" (ref {ref!r})" if ref else "")
    return f"{label}, {who}" if label else who[0].upper() + who[1:]


def parse_datetime(text: str) -> tuple[dt.date, dt.datetime] | None:
    """An aware date-time, and its date in Europe/London; None if it is not one.
    (A plain YYYY-MM-DD is read in parse_case's loop itself.)"""
    if not _DATETIME.match(text):
        return None
    try:
        at = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    try:
        return at.astimezone(LONDON).date(), at
    except OverflowError:
        # Year 1 or 9999 pushed past the calendar by its offset
        # (0001-01-01T00:00:00+01:00): its date as written, which is outside
        # the supported range and refused as such, never a 500.
        return at.date(), at


def _event_problems(
    i: int,
    raw: EventRecord,
    when: tuple[dt.date, dt.datetime | None] | None,
    where: tuple[str | int, ...],
    label: str,
    calendar: WorkingDayCalendar,
    as_of: dt.date,
    vocabulary: Vocabulary,
) -> list[FieldError]:
    """Everything wrong with one event, each naming it by index and ref."""
    name = describe_event(i, raw.ref, label)
    errors = []
    if raw.type not in vocabulary.event_types:
        errors.append(
            FieldError((*where, "type"), f"{name}: {raw.type!r} is not a known event type")
        )
    if when is None:
        errors.append(
            FieldError(
                (*where, "date"),
                f"{name}: {raw.date!r} is not a real date (YYYY-MM-DD) or a date-time "
                "with an offset (YYYY-MM-DDTHH:MM:SS+00:00)",
            )
        )
    elif when[0] not in calendar.supported:
        errors.append(
            FieldError(
                (*where, "date"),
                f"{name}: {when[0]} is outside the supported range {calendar.supported}",
            )
        )
    elif when[0] > as_of and not raw.scheduled:
        errors.append(
            FieldError(
                (*where, "date"),
                f"{name}: {when[0]} is after as_of ({as_of}); a booked future date "
                'must say "scheduled": true',
            )
        )
    errors.extend(_attribute_problems(raw, where, name, vocabulary))
    return errors


def _attribute_problems(
    raw: EventRecord, where: tuple[str | int, ...], name: str, vocabulary: Vocabulary
) -> list[FieldError]:
    """The attributes a rule reads must have the type it reads them as."""
    errors = []
    for attribute, kind in vocabulary.attribute_kinds.items():
        if attribute not in raw.attributes:
            continue
        value = raw.attributes[attribute]
        loc = (*where, "attributes", attribute)
        if kind == "bool" and not isinstance(value, bool):
            errors.append(FieldError(loc, f"{name}: {raw.type} {attribute} must be true or false"))
        elif kind == "placement_type" and not (
            isinstance(value, str) and value in vocabulary.placement_types
        ):
            allowed = ", ".join(sorted(vocabulary.placement_types))
            errors.append(
                FieldError(loc, f"{name}: {raw.type} {attribute} must be one of: {allowed}")
            )
        elif kind == "string" and not (isinstance(value, str) and len(value) <= MAX_TEXT):
            errors.append(
                FieldError(
                    loc, f"{name}: {raw.type} {attribute} must be a text of at most {MAX_TEXT}"
                )
            )
    return errors


def _attributes_ok(raw: EventRecord, vocabulary: Vocabulary) -> bool:
    """The quick check of `_attribute_problems`: whether it would find nothing."""
    attributes = raw.attributes
    if not attributes:
        return True
    declared = vocabulary.attribute_kinds
    for name, value in attributes.items():
        kind = declared.get(name)
        if kind is None:
            continue
        if kind == "bool":
            if value is not True and value is not False:
                return False
        elif kind == "placement_type":
            if not isinstance(value, str) or value not in vocabulary.placement_types:
                return False
        elif not isinstance(value, str) or len(value) > MAX_TEXT:
            return False
    return True


def _attributes_key(attributes: Mapping[str, Any]) -> str:
    """What tells two records' attributes apart: their JSON text, value for
    value and type for type (JSON tells 1, 1.0 and true apart, and sort_keys
    ignores key order)."""
    return json.dumps(attributes, sort_keys=True) if attributes else ""


def _merge_repeats(parsed: Sequence[tuple[dt.date, int, Event, EventRecord]]) -> list[Event]:
    """The events in timeline order, each record sent more than once kept once.

    Identical records share a date, so only the day's records are compared,
    through a dict (a thousand events on one day cost a thousand look-ups,
    not half a million). Attributes are written out only when the rest of two
    records agrees: a record is kept under its other fields alone until a
    second one comes with the same.
    """
    kept: list[Event] = []
    today: dt.date | None = None
    seen_today: dict[tuple[Any, ...], EventRecord | set[str]] = {}
    for day, _, event, raw in parsed:
        if day != today:
            today, seen_today = day, {}
        key = (event.type, raw.date, event.ref, event.scheduled)
        first = seen_today.get(key)
        if first is None:
            seen_today[key] = raw
        else:
            if not isinstance(first, set):
                first = seen_today[key] = {_attributes_key(first.attributes)}
            written = _attributes_key(event.attributes)
            if written in first:
                continue
            first.add(written)
        kept.append(event)
    return kept


def parse_case(
    *,
    ruleset: str,
    calendar: WorkingDayCalendar,
    as_of: dt.date,
    closed: tuple[dt.date, ...],
    date_of_birth: dt.date | None,
    events: Sequence[EventRecord],
    vocabulary: Vocabulary,
    label: str = "",
    history_from: dt.date | None = None,
) -> Case:
    errors: list[FieldError] = []
    born = date_of_birth
    if born is not None and not dt.date(BIRTH_FIRST_YEAR, 1, 1) <= born <= as_of:
        subject = f"{label}: " if label else ""
        errors.append(
            FieldError(
                ("child", "date_of_birth"),
                f"{subject}date of birth {born} must be between "
                f"{BIRTH_FIRST_YEAR}-01-01 and as_of ({as_of})",
            )
        )
    if history_from is not None and not (
        history_from in calendar.supported and history_from <= as_of
    ):
        subject = f"{label}: " if label else ""
        errors.append(
            FieldError(
                ("history_from",),
                f"{subject}history_from {history_from} must be between {calendar.first} "
                f"and as_of ({as_of})",
            )
        )
    types = vocabulary.event_types
    # Each field of a request model is read once: a pydantic model's fields
    # cost several times a plain object's to read (see app/domain/plans.py).
    # The range's bounds are compared directly: DateRange.__contains__ is a
    # Python call for every event.
    earliest, latest = calendar.supported.first, calendar.supported.last
    fromisoformat = dt.date.fromisoformat
    parsed: list[tuple[dt.date, int, Event, EventRecord]] = []
    # The same record sent twice (same type, date as written, ref and
    # scheduled; then attributes) counts once. Whether any two agree on all
    # but their attributes is told here, in the pass that reads the fields
    # anyway; only then are the records merged (_merge_repeats).
    written: set[tuple[str, str, str | None, bool]] = set()
    repeated = False
    for i, raw in enumerate(events):
        text, event_type, ref = raw.date, raw.type, raw.ref
        attributes, scheduled = raw.attributes, raw.scheduled
        # A date, or an aware date-time (its date taken in Europe/London).
        # YYYY-MM-DD is read here, not through a function: this runs for every
        # event of every case of a caseload. fromisoformat reads ASCII digits
        # only; the dashes rule out its other 10-character forms (2026-W48-2).
        when: tuple[dt.date, dt.datetime | None] | None
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                when = fromisoformat(text), None
            except ValueError:
                when = None
        else:
            when = parse_datetime(text)
        if (
            when is not None
            and event_type in types
            and earliest <= when[0] <= latest
            and (when[0] <= as_of or scheduled)
            and (not attributes or _attributes_ok(raw, vocabulary))
        ):
            day = when[0]
            parsed.append(
                (day, i, Event(i, event_type, day, when[1], ref, scheduled, attributes), raw)
            )
            key = (event_type, text, ref, scheduled)
            if key in written:
                repeated = True
            else:
                written.add(key)
        else:
            errors.extend(
                _event_problems(i, raw, when, ("events", i), label, calendar, as_of, vocabulary)
            )
    if errors:
        first = errors[0].msg
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InvalidInput(first + more, errors)
    parsed.sort()  # by date, then the caller's order (the index, unique, decides)
    timeline = _merge_repeats(parsed) if repeated else [event for _, _, event, _ in parsed]
    by_type: dict[str, list[Event]] = {}
    booked = False
    for position, event in enumerate(timeline):
        event.position = position
        by_type.setdefault(event.type, []).append(event)
        booked = booked or event.scheduled
    # What has happened, by type: the same lists when nothing is booked, as is usual.
    facts = (
        {t: [e for e in es if not e.scheduled] for t, es in by_type.items()} if booked else by_type
    )
    return Case(
        ruleset=ruleset,
        calendar=calendar,
        as_of=as_of,
        closed=frozenset(closed),
        date_of_birth=date_of_birth,
        events=tuple(timeline),
        by_type=by_type,
        facts_by_type=facts,
        label=label,
        history_from=history_from,
        merged=len(parsed) - len(timeline),
    )

"""A child's case as the engine sees it: validated events on a calendar.

The request shapes (`CaseIn`, `EventIn`, ...) are plain pydantic models that
only check structure. `parse_case` then checks meaning and names the event at
fault by its index and `ref`: an unknown event type, a date that is not a real
date or is outside the supported range, an event after `as_of` that is not
marked scheduled, an attribute a rule reads given with the wrong type. Nothing
is dropped or guessed; the same record sent twice (same type, date, ref,
scheduled and attributes) counts once, and the case says how many were merged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue, StrictBool

from app.calendars import WorkingDayCalendar
from app.calendars.date_patterns import (
    BIRTH_FIRST_YEAR,
    DATE_OF_BIRTH_PATTERN,
    DATE_OR_DATETIME_PATTERN,
)
from app.domain.vocabulary import Vocabulary, vocabulary
from app.errors import FieldError, InvalidInput

LONDON = ZoneInfo("Europe/London")
MAX_TEXT = 200  # characters in a text attribute (a visit's location)

# The schema lists the vocabulary and the date forms so that clients see them;
# parse_case() checks them itself, so that an error names the event's ref.
_EVENT_TYPES: list[JsonValue] = []
_EVENT_TYPES.extend(sorted(vocabulary().event_types))
_PLACEMENT_TYPES: list[JsonValue] = []
_PLACEMENT_TYPES.extend(sorted(vocabulary().placement_types))
# What each event type means, for the schema: `enum` for validators and
# generators (a typed enum), `x-enumDescriptions` (value -> meaning; rendered
# by Redocly's reference docs, Scalar and Zudoku, read by tools) and the same
# as a Markdown list in `description`, which Swagger UI, ReDoc CE and a
# generated client's docstrings all show. Not `oneOf` of `const`: with 60
# values a generator types it as a union of 60 literals, and ReDoc CE as 60 tabs.
_EVENT_DESCRIPTIONS: dict[str, JsonValue] = dict(vocabulary().descriptions)  # the file's order
_KIND_TEXT = {
    "bool": "true or false",
    "placement_type": "one of the placement types",
    "string": f"a text of at most {MAX_TEXT} characters",
}
_EVENT_TYPE_TEXT = "An event type from the vocabulary:\n\n" + "\n".join(
    f"- `{t}`: {text}" for t, text in _EVENT_DESCRIPTIONS.items()
)
_ATTRIBUTES_TEXT = (
    "What a rule reads from the event, by event type; each is optional (without it, the rules "
    "that need it are listed in `not_evaluated`), and an attribute a rule reads must have its "
    "type on any event that carries it. Other attributes are accepted and read by nothing.\n\n"
    + "\n".join(
        f"- `{event_type}`: "
        + " ".join(
            f"`{name}` ({_KIND_TEXT[kind]}): {vocabulary().attribute_descriptions[name]}"
            for name, kind in attributes.items()
        )
        for event_type, attributes in vocabulary().attributes.items()
        if attributes
    )
    + "\n\nPlacement types: "
    + ", ".join(f"`{t}`" for t in sorted(vocabulary().placement_types))
    + "."
)


def _attribute(name: str, schema: dict[str, JsonValue]) -> JsonValue:
    """An attribute's schema with what it means."""
    return {**schema, "description": vocabulary().attribute_descriptions[name]}


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")


_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_text(value: Any) -> Any:
    """A date is written YYYY-MM-DD and nothing else: not a number, and not a
    text pydantic would read leniently as a date (a Unix timestamp in digits,
    "1767571200", or a date-time at midnight, "2026-01-05T00:00:00")."""
    if isinstance(value, dt.date):
        return value  # a caller in Python
    if not isinstance(value, str):
        raise ValueError("a date is a text, YYYY-MM-DD")
    if not _DATE_ONLY.fullmatch(value):
        raise ValueError("a date is written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("not a real date (YYYY-MM-DD)") from None


DateText = Annotated[dt.date, BeforeValidator(_date_text)]


class EventIn(BaseModel):
    """One thing that happened on a child's case (or a booked date, with scheduled)."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(
        max_length=64,
        description=_EVENT_TYPE_TEXT,
        json_schema_extra={"enum": _EVENT_TYPES, "x-enumDescriptions": _EVENT_DESCRIPTIONS},
    )
    date: str = Field(
        max_length=40,
        json_schema_extra={"pattern": DATE_OR_DATETIME_PATTERN},
        description="YYYY-MM-DD, or a date-time with offset (2026-11-20T14:30:00+00:00) "
        "where the time matters, as for hour-based rules.",
        examples=["2026-11-02"],
    )
    ref: str | None = Field(
        default=None, max_length=200, description="Your own id for the event, echoed back."
    )
    scheduled: StrictBool = Field(
        default=False, description="A booked future date (a conference), not yet a fact."
    )
    attributes: dict[str, Any] = Field(
        default_factory=dict,
        max_length=20,
        json_schema_extra={
            "properties": {
                "placement_type": _attribute("placement_type", {"enum": _PLACEMENT_TYPES}),
                "emergency": _attribute("emergency", {"type": "boolean"}),
                "icpc_required": _attribute("icpc_required", {"type": "boolean"}),
                "seen_alone": _attribute("seen_alone", {"type": "boolean"}),
                "location": _attribute("location", {"type": "string", "maxLength": MAX_TEXT}),
            }
        },
        description=_ATTRIBUTES_TEXT,
    )


class ChildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date_of_birth: DateText | None = Field(
        default=None,
        description="Needed only by age-based rules (pathway planning, care leavers).",
        json_schema_extra={"pattern": DATE_OF_BIRTH_PATTERN},
    )


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


def parse_date(text: str) -> tuple[dt.date, dt.datetime | None] | None:
    """A date, or an aware date-time (its date taken in Europe/London); None if neither."""
    try:
        # YYYY-MM-DD: fromisoformat reads ASCII digits only; the dashes rule out
        # the other 10-character forms it takes (2026-W48-2).
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            return dt.date.fromisoformat(text), None
        if _DATETIME.match(text):
            at = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return at.astimezone(LONDON).date(), at
    except ValueError:
        return None
    return None


def _event_problems(
    i: int,
    raw: EventIn,
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
    elif not calendar.first <= when[0] <= calendar.last:
        errors.append(
            FieldError(
                (*where, "date"),
                f"{name}: {when[0]} is outside the supported range "
                f"{calendar.first} to {calendar.last}",
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
    raw: EventIn, where: tuple[str | int, ...], name: str, vocabulary: Vocabulary
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


def _attributes_ok(raw: EventIn, vocabulary: Vocabulary) -> bool:
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


def _record_key(raw: EventIn) -> tuple[Any, ...]:
    """What makes two posted events the same record: type, date as written,
    ref, scheduled and attributes value for value and type for type (JSON
    text tells 1, 1.0 and true apart, and sort_keys ignores key order)."""
    attributes = json.dumps(raw.attributes, sort_keys=True) if raw.attributes else ""
    return (raw.type, raw.date, raw.ref, raw.scheduled, attributes)


def parse_case(
    *,
    ruleset: str,
    calendar: WorkingDayCalendar,
    as_of: dt.date,
    closed: tuple[dt.date, ...],
    child: ChildIn | None,
    events: list[EventIn],
    vocabulary: Vocabulary,
    loc: tuple[str | int, ...] = ("body",),
    label: str = "",
    history_from: dt.date | None = None,
) -> Case:
    errors: list[FieldError] = []
    born = child.date_of_birth if child else None
    if born is not None and not dt.date(BIRTH_FIRST_YEAR, 1, 1) <= born <= as_of:
        subject = f"{label}: " if label else ""
        errors.append(
            FieldError(
                (*loc, "child", "date_of_birth"),
                f"{subject}date of birth {born} must be between "
                f"{BIRTH_FIRST_YEAR}-01-01 and as_of ({as_of})",
            )
        )
    if history_from is not None and not calendar.first <= history_from <= as_of:
        subject = f"{label}: " if label else ""
        errors.append(
            FieldError(
                (*loc, "history_from"),
                f"{subject}history_from {history_from} must be between {calendar.first} "
                f"and as_of ({as_of})",
            )
        )
    first_day, last_day = calendar.first, calendar.last
    types = vocabulary.event_types
    # Each field of a request model is read once: a pydantic model's fields
    # cost several times a plain object's to read (see app/domain/plans.py).
    parsed: list[tuple[dt.date, int, Event, EventIn]] = []
    for i, raw in enumerate(events):
        when = parse_date(raw.date)
        event_type, attributes = raw.type, raw.attributes
        if (
            when is not None
            and event_type in types
            and first_day <= when[0] <= last_day
            and (when[0] <= as_of or raw.scheduled)
            and (not attributes or _attributes_ok(raw, vocabulary))
        ):
            day = when[0]
            event = Event(i, event_type, day, when[1], raw.ref, raw.scheduled, attributes)
            parsed.append((day, i, event, raw))
        else:
            errors.extend(
                _event_problems(
                    i, raw, when, (*loc, "events", i), label, calendar, as_of, vocabulary
                )
            )
    if errors:
        first = errors[0].msg
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InvalidInput(first + more, errors)
    parsed.sort()  # by date, then the caller's order (the index, unique, decides)
    timeline: list[Event] = []
    by_type: dict[str, list[Event]] = {}
    booked = False
    today: dt.date | None = None
    seen_today: set[tuple[Any, ...]] = set()  # the records of the day in hand
    for day, _, event, raw in parsed:
        if day != today:
            today, seen_today = day, set()
        # The same record sent twice (same type, date, ref, scheduled and
        # attributes) counts once. Identical events share a date, so only the
        # day's records are kept to compare with: a set, so that a thousand
        # events on one day cost a thousand look-ups, not half a million.
        key = _record_key(raw)
        if key in seen_today:
            continue
        seen_today.add(key)
        event.position = len(timeline)
        timeline.append(event)
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
        date_of_birth=child.date_of_birth if child else None,
        events=tuple(timeline),
        by_type=by_type,
        facts_by_type=facts,
        label=label,
        history_from=history_from,
        merged=len(parsed) - len(timeline),
    )

"""The request shapes of a case: its events and its child.

Plain pydantic models that check structure only; app.domain.cases.parse_case
checks meaning, so that an error names the event by its index and `ref`. The
schema lists the vocabulary and the date forms so that clients see them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StrictBool,
    ValidationInfo,
    field_validator,
)

from app.calendars.date_patterns import (
    DATE_OF_BIRTH_PATTERN,
    DATE_OR_DATETIME_PATTERN,
    DATE_PATTERN,
)
from app.calendars.supported_range import SUPPORTED
from app.domain.cases import MAX_TEXT
from app.domain.vocabulary import vocabulary
from app.routers.params import DateText

# The bundled vocabulary, for the schema (the OpenAPI document describes the
# bundled data). What a case may hold is checked by parse_case against the
# vocabulary of the app's own rulebook.
EVENT_TYPES: list[JsonValue] = []
EVENT_TYPES.extend(sorted(vocabulary().event_types))
_PLACEMENT_TYPES: list[JsonValue] = []
REQUIREMENT_CODES: list[JsonValue] = []
REQUIREMENT_CODES.extend(sorted(vocabulary().requirements))
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


class EventIn(BaseModel):
    """One thing that happened on a child's case (or a booked date, with scheduled)."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(
        max_length=64,
        description=_EVENT_TYPE_TEXT,
        json_schema_extra={"enum": EVENT_TYPES, "x-enumDescriptions": _EVENT_DESCRIPTIONS},
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


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("Must not be blank")
    return text


def _supported(day: dt.date) -> dt.date:
    if day not in SUPPORTED:
        raise ValueError(SUPPORTED.must_be())
    return day


Text = Annotated[str, AfterValidator(_not_blank)]


class ApprovedExceptionIn(BaseModel):
    """An approved exception to one deadline of the case: a manager's (or an
    IRO's) agreement that it may be met by a later date. The statutory or
    local due date is not moved: the deadline is answered against both."""

    model_config = ConfigDict(extra="forbid")

    requirement: str = Field(
        max_length=64,
        description="The deadline's `requirement` code, as its answer gives it.",
        examples=["cla_review"],
        json_schema_extra={"enum": REQUIREMENT_CODES},
    )
    due: DateText = Field(
        description="The deadline's own due date, as this service computes it: it names the "
        "deadline, and is not changed.",
        examples=["2026-12-03"],
        json_schema_extra={"pattern": DATE_PATTERN},
    )
    revised_due: Annotated[DateText, AfterValidator(_supported)] = Field(
        description="The approved later date; after `due`.",
        examples=["2026-12-17"],
        json_schema_extra={"pattern": DATE_PATTERN},
    )
    reason: Text = Field(
        min_length=1, max_length=500, description="Why the exception was approved."
    )
    approved_by: Text = Field(
        min_length=1, max_length=200, description="Who approved it (a name or a role)."
    )
    approved_on: DateText = Field(
        description="The day it was approved; not after as_of.",
        examples=["2026-11-30"],
        json_schema_extra={"pattern": DATE_PATTERN},
    )
    rule_id: str | None = Field(
        default=None,
        max_length=200,
        description="The rule, when a statutory and a local deadline of the requirement fall "
        "due on the same day and the exception is for one of them. Omitted: every deadline "
        "of the requirement due that day.",
        examples=["england.cla_review"],
    )

    @field_validator("revised_due")
    @classmethod
    def _after_due(cls, revised: dt.date, info: ValidationInfo) -> dt.date:
        due = info.data.get("due")  # absent when `due` itself was refused
        if due is not None and revised <= due:
            raise ValueError(f"Must be after due ({due.isoformat()})")
        return revised


class ChildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date_of_birth: DateText | None = Field(
        default=None,
        description="Needed only by age-based rules (pathway planning, care leavers).",
        json_schema_extra={"pattern": DATE_OF_BIRTH_PATTERN},
    )

"""Request and response shapes for deadlines, and the mapping from the domain."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from app import __version__
from app.calendars.date_patterns import DATE_PATTERN
from app.calendars.supported_range import SUPPORTED
from app.catalogue.data import catalogue
from app.domain.engine import REASONS, Deadline, NotEvaluated
from app.domain.exceptions import revision_of
from app.domain.rules import Rule, Rulebook, RuleVersion
from app.problems import Problem
from app.reference import ReferenceData
from app.routers.case_models import EVENT_TYPES, ApprovedExceptionIn, ChildIn, EventIn
from app.routers.params import DateText
from app.settings import get_settings

_settings = get_settings()
# The bundled authorities, for the schema (the OpenAPI document describes the
# bundled data); a request's authority is checked against the app's own data
# (app.domain.deadlines.context).
AUTHORITIES = ["england", *catalogue().authorities]


def _supported(day: dt.date) -> dt.date:
    if day not in SUPPORTED:
        raise ValueError(SUPPORTED.must_be())
    return day


def _whole(value: Any) -> Any:
    """A whole number, as JSON Schema's integer is (117 or 117.0), never a text
    or true."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a whole number is needed")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("a whole number is needed")
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole)]

SupportedDate = Annotated[
    DateText, AfterValidator(_supported), Field(json_schema_extra={"pattern": DATE_PATTERN})
]
AuthorityId = Annotated[
    str,
    Field(
        description="An authority id from GET /v1/authorities, or `england` for the statutory "
        "baseline alone. An authority's answer has the baseline and its own rules.",
        examples=["redcar-and-cleveland"],
        json_schema_extra={"enum": AUTHORITIES},
    ),
]

CalendarName = Literal["england-and-wales", "scotland", "northern-ireland"]
Status = Literal["upcoming", "due_today", "overdue", "met", "met_late"]
Reason = Literal[REASONS]  # type: ignore[valid-type]

HISTORY_FROM = (
    "Where the posted history begins (an extract's window, a transfer-in): deadlines that fell "
    "due before it are not judged, and a recurring schedule whose anchor is earlier is taken "
    "at its steady step."
)


RECORDED_EVENT_TYPES = (
    "The event types your data records, when it records only some (an Ofsted Annex A "
    "workbook holds no core groups or case notes; an extract may leave some tables out). A "
    "rule whose deadlines none of these could meet sets none: it is listed in `not_evaluated` "
    "with reason `not_recorded`, instead of reporting every deadline missed for want of data. "
    "Omitted: your data records every event type."
)
MAX_EXCEPTIONS = 100  # approved exceptions on one case
EXCEPTIONS = (
    "Approved exceptions (a senior manager's approval for a delayed action, an IRO agreeing "
    "to move a review): each names one of the case's deadlines by `requirement` and `due` "
    "(and `rule_id` when a statutory and a local deadline of the requirement fall due that "
    "day), which then also carries its `exception`: the approved `revised_due` and its status "
    "against it. The deadline's own `due` and `status` never change. An exception that names "
    "no deadline of the case is a 422."
)
Exceptions = Annotated[
    list[ApprovedExceptionIn],
    Field(default_factory=list, max_length=MAX_EXCEPTIONS, description=EXCEPTIONS),
]

RULES_AS_OF = (
    "Apply every rule as it stood on this day, to every deadline: for an audit of what the "
    "rules of a day would have asked, or a what-if. Default: each deadline is counted under the "
    "rule in force on the day it is counted from (its anchor), and a council's standards only "
    "from their document's date. A rule not in force on this day sets no deadline "
    "(not_evaluated reason `not_in_force`)."
)
RulesAsOf = Annotated[SupportedDate | None, Field(default=None, description=RULES_AS_OF)]

RecordedEventTypes = Annotated[
    # The bundled vocabulary, for the schema; checked against the app's own.
    list[Annotated[str, Field(max_length=64, json_schema_extra={"enum": EVENT_TYPES})]] | None,
    Field(default=None, max_length=200, description=RECORDED_EVENT_TYPES),
]


class DeadlinesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    authority: AuthorityId
    as_of: SupportedDate | None = Field(
        default=None, description="The day to judge status on; default today in Europe/London."
    )
    calendar: CalendarName | None = Field(
        default=None, description="Working-day calendar; default the authority's."
    )
    child: ChildIn = Field(default_factory=ChildIn)
    closed_days: list[SupportedDate] = Field(
        default_factory=list,
        max_length=_settings.max_closed_days,
        description="Extra days the council is closed; not working days.",
    )
    history_from: SupportedDate | None = Field(default=None, description=HISTORY_FROM)
    recorded_event_types: RecordedEventTypes = None
    rules_as_of: RulesAsOf = None
    events: list[EventIn] = Field(max_length=_settings.max_events_per_case)
    exceptions: Exceptions


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: str = Field(min_length=1, max_length=200, description="Your id for the case.")
    child: ChildIn = Field(default_factory=ChildIn)
    history_from: SupportedDate | None = Field(default=None, description=HISTORY_FROM)
    events: list[EventIn] = Field(max_length=_settings.max_events_per_case)
    exceptions: Exceptions


class CaseloadValues(BaseModel):
    """What a caseload's request says of all its cases (an overdue list's or a
    what-if's header, the first line of an NDJSON request)."""

    model_config = ConfigDict(extra="forbid")

    authority: AuthorityId
    as_of: SupportedDate | None = Field(
        default=None,
        description="The day to judge every case's status on; default today in Europe/London.",
    )
    calendar: CalendarName | None = Field(
        default=None, description="Working-day calendar; default the authority's."
    )
    closed_days: list[SupportedDate] = Field(
        default_factory=list,
        max_length=_settings.max_closed_days,
        description="Extra days the council is closed; not working days.",
    )
    recorded_event_types: RecordedEventTypes = None
    rules_as_of: RulesAsOf = None


class OverdueHeader(CaseloadValues):
    """The request without its cases (the first line of an NDJSON request)."""

    due_within_working_days: WholeNumber = Field(
        default=0,
        ge=0,
        le=260,
        description="0: overdue and due today only; "
        "N: also what falls due in the next N working days.",
    )


class OverdueRequest(OverdueHeader):
    cases: list[CaseIn] = Field(max_length=_settings.max_cases_per_request)


class EventRefOut(BaseModel):
    type: str
    date: dt.date
    ref: str | None


class AnchorOut(EventRefOut):
    type: str = Field(
        description="An event type; or `16th_birthday` and the like, `became_eligible`, or "
        "`history_from` for a day that is not an event."
    )
    inferred: bool = Field(
        description="True when the event stands for another that was not posted (an episode "
        "whose start is not in the history; the day the history begins): the date is the "
        "latest the requirement can be counted from."
    )
    stands_for: str | None = Field(
        description="What an inferred anchor stands for (the event type, or the episode start)."
    )


class SatisfiedByOut(BaseModel):
    type: str
    date: dt.date
    ref: str | None


class CitationOut(BaseModel):
    document: str
    section: str
    quote: str = Field(description="The source's exact words.")
    verification: Literal["V-P", "V-S", "U"] | None = Field(
        description="Statutory rules: checked against the primary text (V-P), only through a "
        "secondary source (V-S), or unverified (U). Null for a council's own standard."
    )


class SkippedOut(BaseModel):
    date: dt.date
    reason: str = Field(description='The bank holiday\'s name, or "closed".')


class EpisodeOut(BaseModel):
    kind: str
    start: dt.date
    end: dt.date | None


class VersionOut(BaseModel):
    """The text of the rule a deadline was counted under: the version in force
    on the day it was counted from (or on rules_as_of)."""

    label: str = Field(
        examples=["as made (SI 2010/959, in force 1 April 2011)"],
        description="Which text: \"as cited\" (the citation's), or a later version's name.",
    )
    valid_from: dt.date | None = Field(
        description="In force from this day; null: from before the supported range. A "
        "council's standards are in force from their document's date."
    )
    valid_to: dt.date | None = Field(description="In force until this day; null: still in force.")
    verification: Literal["V-P", "V-S", "U"] | None = Field(
        description="As the citation's, for this version: U when its text was not verified."
    )
    warning: str | None = Field(
        description="For a version whose text was not verified (U): what is known of it and "
        "how the deadline was counted all the same. Null otherwise."
    )


class ExplanationOut(BaseModel):
    anchor: AnchorOut = Field(description="What the deadline was counted from.")
    offset: str = Field(
        examples=["15 working days"],
        description='"15 working days", "3 working days before", "on the day", or '
        '"by assessment_completed" for a deadline that falls on the day an event happens.',
    )
    schedule: str = Field(
        description='"first"; the recurring step used ("then every 6 weeks"); or "steady '
        "step: every 6 months\" when the schedule's start is not in the posted history."
    )
    occurrence: int = Field(description="1 for the first deadline of a schedule, 2 for the next...")
    calendar: str
    skipped: list[SkippedOut] = Field(
        description="Bank holidays and closed days a working-day count passed over (weekends are "
        "never counted, so never listed)."
    )
    provisional: bool = Field(description="True when the count crossed a projected calendar year.")
    episode: EpisodeOut | None
    interpretation: str | None = Field(description="How an ambiguous source is read.")
    version: VersionOut


class ExceptionOut(BaseModel):
    """A deadline's approved exception: its revised date, and its status against it."""

    revised_due: dt.date = Field(description="The approved later date.")
    status: Status = Field(
        description="Against revised_due, judged as `status` is against `due`: met on or "
        "before it is met."
    )
    working_days_overdue: int = Field(
        description="Working days from revised_due to as_of (overdue) or to the satisfying "
        "event (met_late)."
    )
    reason: str
    approved_by: str
    approved_on: dt.date


class DeadlineOut(BaseModel):
    requirement: str
    title: str
    rule_title: str
    event_type: str = Field(description="The event that meets the requirement.")
    due: dt.date
    due_at: dt.datetime | None = Field(description="For hour-based rules counted from a time.")
    status: Status
    satisfied_by: SatisfiedByOut | None
    working_days_overdue: int = Field(
        description="Working days from due to as_of (overdue) "
        "or to the satisfying event (met_late)."
    )
    basis: Literal["statutory", "local"]
    rule_id: str
    citation: CitationOut
    catalogue_item: str | None = Field(description="The catalogue item the rule comes from.")
    explanation: ExplanationOut
    exception: ExceptionOut | None = Field(
        default=None,
        description="The approved exception the request gave for this deadline; left out "
        "when there is none. `due` and `status` above stay the deadline's own.",
    )


class NotEvaluatedOut(BaseModel):
    rule_id: str
    requirement: str
    reason: Reason = Field(
        description="anchor_not_posted, date_of_birth_needed, attribute_needed, not_computable, "
        "history_starts_after_anchor, not_recorded (recorded_event_types) or not_in_force (the "
        "rule was not in force on the day its deadline would be counted from, or on "
        "rules_as_of)."
    )
    detail: str = Field(description="What is missing, in a sentence.")


class Provenance(BaseModel):
    service_version: str
    rules_version: str = Field(description="Digest of the rules files (as GET /v1/status).")
    bank_holidays_version: str = Field(description="Digest of the bundled GOV.UK data.")


class DeadlinesResponse(BaseModel):
    authority: str
    calendar: str
    as_of: dt.date
    history_from: dt.date | None
    deadlines: list[DeadlineOut]
    next_due: DeadlineOut | None = Field(description="The earliest deadline not yet met.")
    not_evaluated: list[NotEvaluatedOut] = Field(
        description="Every rule that applies to the case's episodes but set no deadline, and "
        "why: show these as not assessed, never as nothing due."
    )
    merged_duplicates: int = Field(
        description="Identical events (same type, date, ref, scheduled and attributes) "
        "counted once."
    )
    provenance: Provenance


class CaseDeadlineOut(DeadlineOut):
    case_id: str


class CaseNotEvaluatedOut(NotEvaluatedOut):
    case_id: str


class CaseProblemOut(BaseModel):
    case_id: str | None = Field(description="The case's id, when it could be read.")
    index: int = Field(description="The case's position in `cases`, from 0.")
    problem: Problem


class RowAnchorOut(BaseModel):
    type: str = Field(description=AnchorOut.model_fields["type"].description)
    date: dt.date
    ref: str | None = Field(default=None, description="Left out when the event has no ref.")
    inferred: bool = Field(
        default=False,
        description="Given (true) only when the anchor is inferred: "
        + str(AnchorOut.model_fields["inferred"].description),
    )
    stands_for: str | None = Field(
        default=None, description="Given only for an inferred anchor: what it stands for."
    )


class OverdueRowOut(BaseModel):
    """One overdue (or due today, or due soon) deadline of a case, compact: with
    the rule's entry in `rules` (NDJSON: its rule line) and the answer's
    `calendar` it says all that the full deadline (`?detail=full`) says but
    the episode. A field that would be null, false or an empty list is left
    out, and so are `schedule` and `occurrence` for the first deadline of a
    schedule: the schema's defaults are what a left-out field stands for."""

    case_id: str
    rule_id: str = Field(description="The rule; what it says is in `rules` under this id.")
    requirement: str
    due: dt.date
    due_at: dt.datetime | None = Field(
        default=None, description="For hour-based rules counted from a time; else left out."
    )
    status: Literal["upcoming", "due_today", "overdue"]
    working_days_overdue: int = Field(description="Working days from due to as_of (overdue).")
    basis: Literal["statutory", "local"]
    anchor: RowAnchorOut = Field(description="What the deadline was counted from.")
    offset: str = Field(
        examples=["15 working days"], description=ExplanationOut.model_fields["offset"].description
    )
    schedule: str = Field(
        default="first",
        description="Left out for the first deadline of a schedule; else "
        + str(ExplanationOut.model_fields["schedule"].description),
    )
    occurrence: int = Field(
        default=1,
        description="Left out (1) for the first deadline of a schedule; 2 for the next...",
    )
    skipped: list[SkippedOut] = Field(
        default_factory=list,
        description="Bank holidays and closed days a working-day count passed over; left out "
        "when there are none. Counted in the answer's `calendar`.",
    )
    provisional: bool = Field(
        default=False,
        description="Given (true) only when the count crossed a projected calendar year.",
    )
    revised_due: dt.date | None = Field(
        default=None,
        description="The approved revised date of an exception the case gives for this "
        "deadline; left out when there is none. The row is listed by its own `due` all the "
        "same: the statutory or local date never moves.",
    )
    version: str | None = Field(
        default=None,
        description="Counted under a later version of the rule (its label, as in the rule's "
        "`versions` in `rules`); left out for the rule as cited.",
    )
    revised_status: Literal["upcoming", "due_today", "overdue"] | None = Field(
        default=None,
        description="The status against revised_due; given with it, else left out.",
    )


class RuleOut(BaseModel):
    """What a rule says, given once for all the rows that name it."""

    rule_id: str
    requirement: str
    title: str = Field(description="The requirement's title.")
    rule_title: str
    event_type: str = Field(description="The event that meets the requirement.")
    basis: Literal["statutory", "local"]
    citation: CitationOut
    catalogue_item: str | None = Field(description="The catalogue item the rule comes from.")
    interpretation: str | None = Field(description="How an ambiguous source is read.")
    versions: list[VersionOut] = Field(
        description="The rule's texts over time, the citation's first: a row counted under a "
        "later one names it (`version`)."
    )


OVERDUE_DETAIL = (
    "`compact` (default): each row names its `rule_id` and carries what the job needs (due, "
    "status, anchor, how it was counted); each rule's titles, citation and interpretation come "
    'once, in `rules` (NDJSON: one `{"rule": {...}}` line before the first row that names '
    "it). `full`: every row is the whole deadline, as POST /v1/deadlines gives it, and there "
    "is no `rules` section (nor rule lines)."
)


class OverdueResponse(BaseModel):
    authority: str
    calendar: str
    as_of: dt.date
    due_within_working_days: int
    cases: int = Field(description="Cases examined, including those with problems.")
    deadlines: list[OverdueRowOut] | list[CaseDeadlineOut] = Field(
        description="Oldest first. Compact rows by default; full deadlines with `?detail=full`."
    )
    rules: dict[str, RuleOut] | None = Field(
        default=None,
        description="Compact answer only: every rule that a row names, and no other, by "
        "rule_id. Left out with `?detail=full`.",
    )
    not_evaluated: list[CaseNotEvaluatedOut] = Field(
        description="For each case, the rules that apply to it but set no deadline."
    )
    problems: list[CaseProblemOut] = Field(
        description="Cases that could not be computed, each with its problem; the others are "
        "answered all the same."
    )
    provenance: Provenance


def citation_out(rule: Rule) -> CitationOut:
    return CitationOut(**citation_json(rule))


def citation_json(rule: Rule) -> dict[str, str | None]:
    """A rule's citation (CitationOut) as plain data, for answers built without the models."""
    c = rule.citation
    return {
        "document": c.document,
        "section": c.section,
        "quote": c.quote,
        "verification": c.verification,
    }


def deadline_json(d: Deadline, rulebook: Rulebook, calendar: str) -> dict[str, Any]:
    """A deadline as the JSON the schema above (DeadlineOut) describes.

    Built as plain data rather than through the pydantic models: an overdue
    list for a caseload has tens of thousands of rows, and validating values
    the engine has just produced would double the cost of answering. The
    tests check that these answers validate against the models.
    """
    rule = d.rule
    met = d.satisfied_by
    episode = d.episode
    out: dict[str, Any] = {
        "requirement": rule.requirement,
        "title": rulebook.vocabulary.requirements[rule.requirement]["title"],
        "rule_title": rule.title,
        "event_type": rule.satisfied_by[0],
        "due": d.due.isoformat(),
        "due_at": d.due_at.isoformat() if d.due_at else None,
        "status": d.status,
        "satisfied_by": {"type": met.type, "date": met.date.isoformat(), "ref": met.ref}
        if met
        else None,
        "working_days_overdue": d.working_days_overdue,
        "basis": rule.basis,
        "rule_id": rule.id,
        "citation": citation_json(rule),
        "catalogue_item": rule.catalogue_item,
        "explanation": {
            "anchor": {
                "type": d.anchor.type,
                "date": d.anchor.date.isoformat(),
                "ref": d.anchor.ref,
                "inferred": d.inferred,
                "stands_for": d.stands_for,
            },
            "offset": d.offset,
            "schedule": d.schedule,
            "occurrence": d.occurrence,
            "calendar": calendar,
            "skipped": [{"date": s.date.isoformat(), "reason": s.reason} for s in d.skipped],
            "provisional": d.provisional,
            "episode": {
                "kind": episode.kind,
                "start": episode.start.date.isoformat(),
                "end": episode.end_date.isoformat() if episode.end_date else None,
            }
            if episode
            else None,
            "interpretation": rule.interpretation,
            "version": version_json(rule, d.version),
        },
    }
    # Left out when there is none (ExceptionOut's default), as most deadlines have.
    revision = revision_of(d) if d.exception is not None else None
    if revision is not None:
        out["exception"] = {
            "revised_due": revision.revised_due.isoformat(),
            "status": revision.status,
            "working_days_overdue": revision.working_days_overdue,
            "reason": revision.reason,
            "approved_by": revision.approved_by,
            "approved_on": revision.approved_on.isoformat(),
        }
    return out


def version_json(rule: Rule, version: RuleVersion | None) -> dict[str, Any]:
    """The version a deadline was counted under (VersionOut)."""
    begins, ends = rule.version_span(version)
    verification = rule.citation.verification if version is None else version.verification
    return {
        "label": rule.version_label if version is None else version.label,
        "valid_from": begins.isoformat() if begins else None,
        "valid_to": ends.isoformat() if ends else None,
        "verification": verification,
        "warning": version.note if version is not None and version.verification == "U" else None,
    }


def overdue_row_json(d: Deadline, case_id: str) -> dict[str, Any]:
    """A compact overdue row (OverdueRowOut): what is due, from what, and how
    it was counted; what the rule says is in the answer's `rules`, once.

    A field that would be null, false or an empty list is left out (the
    model's defaults say what it stands for), as are `schedule` and
    `occurrence` for the first deadline of a schedule: most rows have no
    due_at, no skipped day, no inferred anchor, and leaving them out keeps the
    synthetic caseload's rows near 290 bytes instead of about 1,450.

    Dates are left as dates, for orjson to write (YYYY-MM-DD, as isoformat
    does, in a tenth of the time): every caller encodes the row with orjson.
    """
    anchor: dict[str, Any] = {"type": d.anchor.type, "date": d.anchor.date}
    if d.anchor.ref is not None:
        anchor["ref"] = d.anchor.ref
    if d.inferred:
        anchor["inferred"] = True
    if d.stands_for is not None:
        anchor["stands_for"] = d.stands_for
    rule = d.rule
    row: dict[str, Any] = {
        "case_id": case_id,
        "rule_id": rule.id,
        "requirement": rule.requirement,
        "due": d.due,
    }
    if d.due_at:
        row["due_at"] = d.due_at.isoformat()
    row["status"] = d.status
    row["working_days_overdue"] = d.working_days_overdue
    row["basis"] = rule.basis
    row["anchor"] = anchor
    row["offset"] = d.offset
    if d.occurrence != 1 or d.schedule != "first":  # most rows: the first, both defaults
        row["schedule"] = d.schedule
        row["occurrence"] = d.occurrence
    skipped = d.skipped
    if skipped:
        row["skipped"] = [{"date": s.date, "reason": s.reason} for s in skipped]
    if d.provisional:
        row["provisional"] = True
    if d.version is not None:
        row["version"] = d.version.label
    revision = revision_of(d) if d.exception is not None else None
    if revision is not None:
        row["revised_due"] = revision.revised_due
        row["revised_status"] = revision.status
    # Not the episode (kind, start, end): it says where the rule applies, not
    # how the date was counted, and it was a sixth of a row (`?detail=full`).
    return row


def rule_json(rule: Rule, rulebook: Rulebook) -> dict[str, Any]:
    """What a rule says (RuleOut): the parts of a full deadline that are the
    same on every row of that rule, under the same names."""
    return {
        "rule_id": rule.id,
        "requirement": rule.requirement,
        "title": rulebook.vocabulary.requirements[rule.requirement]["title"],
        "rule_title": rule.title,
        "event_type": rule.satisfied_by[0],
        "basis": rule.basis,
        "citation": citation_json(rule),
        "catalogue_item": rule.catalogue_item,
        "interpretation": rule.interpretation,
        "versions": [version_json(rule, v) for v in (None, *rule.versions)],
    }


def not_evaluated_json(n: NotEvaluated) -> dict[str, Any]:
    return {
        "rule_id": n.rule.id,
        "requirement": n.rule.requirement,
        "reason": n.reason,
        "detail": n.detail,
    }


def provenance(data: ReferenceData) -> dict[str, str]:
    """Which service, rules and bank holidays answered: those of the app's own data."""
    return {
        "service_version": __version__,
        "rules_version": data.rulebook.version,
        "bank_holidays_version": data.bank_holidays.sha256[:16],
    }

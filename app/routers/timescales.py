"""The timescale rules themselves: each with its citation, and one requirement side by side."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from app.catalogue.data import Catalogue, catalogue
from app.deps import CatalogueDep, RulesDep
from app.domain.rules import BASELINE, Rule, Rulebook
from app.errors import NotFound
from app.problems import problem_responses
from app.reference import rulebook
from app.routers.caching import NOT_MODIFIED, reference
from app.routers.deadline_models import CitationOut, VersionOut, citation_out, version_json
from app.routers.params import check_known, listed

router = APIRouter(prefix="/v1", tags=["timescales"])

# The filters' allowed values, in the OpenAPI document, are the bundled data's
# (read when the module is imported); the handlers check them against, and
# answer from, the app's own data (check_known).
RULESETS = (BASELINE, *catalogue().authorities)
REQUIREMENTS = tuple(rulebook().vocabulary.requirements)


AuthorityFilter = Annotated[
    str | None,
    listed(
        RULESETS,
        "An authority: its own rules and the england baseline it builds on; "
        "`england` for the baseline alone.",
    ),
]
RequirementFilter = Annotated[str | None, listed(REQUIREMENTS)]
IdPath = Annotated[str, Path(max_length=120, pattern=r"^[a-z0-9._-]+$")]


class OffsetOut(BaseModel):
    amount: int = Field(description="0 means on the anchor's own day.")
    unit: str
    direction: Literal["after", "before"] | None = None
    by_event: str | None = Field(
        default=None,
        description="Due the day this event happens after the anchor (the nth one); until "
        "then, the anchor plus amount and unit.",
    )
    nth: int | None = None


class StepOut(BaseModel):
    every: OffsetOut
    from_: Literal["previous", "anchor"] = Field(
        alias="from",
        description="Counted from the previous satisfying event, or from the rule's anchor.",
    )
    times: int | None
    within: OffsetOut | None
    after_event: str | None
    after_event_reset_by: list[str]
    until_event: str | None


class Timescale(BaseModel):
    id: str
    ruleset: str = Field(description="`england` or the authority whose standard it is.")
    requirement: str
    requirement_title: str
    title: str
    basis: Literal["statutory", "local"]
    subject: Literal["child", "practitioner", "organisation"]
    computable: bool = Field(description="False for rules about practitioners or the organisation.")
    not_computable_reason: str | None
    episode: str | None = Field(description="The episode the rule applies during.")
    placement_types: list[str] | None
    anchor: dict[str, Any] | None = Field(description="What starts the clock.")
    due: OffsetOut | None
    then: list[StepOut] = Field(
        description="Recurrence: steps that run from the last time it was met."
    )
    satisfied_by: list[str]
    citation: CitationOut
    interpretation: str | None
    catalogue_item: str | None
    versions: list[VersionOut] = Field(
        description="The rule's texts over time, the citation's first, each with the days it "
        "is in force: a council's standards from their document's date; a statute's later "
        "versions (a deadline is counted under the one in force on the day it is counted from)."
    )


class RulesetColumn(BaseModel):
    ruleset: str
    name: str
    timescales: list[Timescale] = Field(description="Empty when this ruleset sets nothing for it.")


class Requirement(BaseModel):
    code: str
    title: str
    subject: str
    rulesets: list[RulesetColumn] = Field(
        description="England's baseline and every authority, side by side. An authority's cases "
        "get the england rules as well as its own."
    )


def _timescale(book: Rulebook, ruleset: str, rule: Rule) -> Timescale:
    during = rule.applies_during
    return Timescale(
        id=rule.id,
        ruleset=ruleset,
        requirement=rule.requirement,
        requirement_title=book.vocabulary.requirements[rule.requirement]["title"],
        title=rule.title,
        basis=rule.basis,
        subject=rule.subject,
        computable=rule.computable,
        not_computable_reason=rule.not_computable_reason,
        episode=during.episode if during else None,
        placement_types=list(during.placement_types) if during and during.placement_types else None,
        anchor=rule.anchor.model_dump(exclude_defaults=True) if rule.anchor else None,
        due=_due(rule),
        then=[
            StepOut.model_validate(
                {
                    "every": OffsetOut(**s.every.model_dump()),
                    "from": s.from_,
                    "times": s.times,
                    "within": OffsetOut(amount=s.within.amount, unit=s.within.unit)
                    if s.within
                    else None,
                    "after_event": s.after_event,
                    "after_event_reset_by": list(s.after_event_reset_by),
                    "until_event": s.until_event,
                }
            )
            for s in rule.then
        ],
        satisfied_by=list(rule.satisfied_by),
        citation=citation_out(rule),
        interpretation=rule.interpretation,
        catalogue_item=rule.catalogue_item,
        versions=[VersionOut(**version_json(rule, v)) for v in (None, *rule.versions)],
    )


def _due(rule: Rule) -> OffsetOut | None:
    due = rule.due
    if due is None:
        return None
    return OffsetOut(
        amount=due.amount,
        unit=due.unit,
        direction=due.direction,
        by_event=due.by_event,
        nth=due.nth if due.by_event else None,
    )


def _ruleset_name(book: Rulebook, cat: Catalogue, ruleset: str) -> str:
    return (
        book.rulesets[ruleset].name if ruleset in book.rulesets else cat.authorities[ruleset].name
    )


@router.get(
    "/timescales",
    operation_id="list_timescales",
    response_model=list[Timescale],
    responses={**NOT_MODIFIED, **problem_responses(422)},
)
async def list_timescales(
    request: Request,
    book: RulesDep,
    cat: CatalogueDep,
    authority: AuthorityFilter = None,
    requirement: RequirementFilter = None,
    basis: Annotated[Literal["statutory", "local"] | None, Query()] = None,
    subject: Annotated[Literal["child", "practitioner", "organisation"] | None, Query()] = None,
) -> Response:
    """Every timescale rule, with its citation; filter by authority, requirement, basis, subject."""
    check_known("authority", authority, (BASELINE, *cat.authorities))
    check_known("requirement", requirement, book.vocabulary.requirements)

    def produce() -> list[Timescale]:
        if authority:
            rules = [(BASELINE, r) for r in book.rulesets[BASELINE].rules]
            if authority != BASELINE and authority in book.rulesets:
                rules += [(authority, r) for r in book.rulesets[authority].rules]
        else:
            rules = book.all_rules()
        return [
            _timescale(book, ruleset, r)
            for ruleset, r in rules
            if (requirement is None or r.requirement == requirement)
            and (basis is None or r.basis == basis)
            and (subject is None or r.subject == subject)
        ]

    # Computed once per rules version and filters, off the event loop, then
    # served from memory (app/routers/caching.py).
    return await reference(
        request,
        ("timescales", book.version, authority, requirement, basis, subject),
        list[Timescale],
        produce,
        per_query=True,
    )


@router.get(
    "/timescales/{rule_id}",
    operation_id="get_timescale",
    response_model=Timescale,
    responses={**NOT_MODIFIED, **problem_responses(404, 422)},
)
async def get_timescale(request: Request, book: RulesDep, rule_id: IdPath) -> Response:
    """One timescale rule."""

    def produce() -> Timescale:
        for ruleset, rule in book.all_rules():
            if rule.id == rule_id:
                return _timescale(book, ruleset, rule)
        raise NotFound(f"No timescale rule with id {rule_id!r}; see GET /v1/timescales.")

    return await reference(request, ("timescale", book.version, rule_id), Timescale, produce)


@router.get(
    "/requirements/{code}",
    operation_id="compare_requirement",
    response_model=Requirement,
    responses={**NOT_MODIFIED, **problem_responses(404, 422)},
)
async def compare_requirement(
    request: Request, book: RulesDep, cat: CatalogueDep, code: IdPath
) -> Response:
    """One requirement across the statutory baseline and every authority, side by side."""
    if code not in book.vocabulary.requirements:
        raise NotFound(f"No requirement {code!r}; see GET /v1/timescales for the codes in use.")

    def produce() -> Requirement:
        info = book.vocabulary.requirements[code]
        columns = [
            RulesetColumn(
                ruleset=ruleset,
                name=_ruleset_name(book, cat, ruleset),
                timescales=[
                    _timescale(book, ruleset, r)
                    for r in (book.rulesets[ruleset].rules if ruleset in book.rulesets else ())
                    if r.requirement == code
                ],
            )
            for ruleset in (BASELINE, *cat.authorities)
        ]
        return Requirement(
            code=code, title=info["title"], subject=info["subject"], rulesets=columns
        )

    return await reference(request, ("requirement", book.version, code), Requirement, produce)

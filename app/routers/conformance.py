"""The conformance vectors (app/conformance.py) and their JSON Schema, as reference data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.conformance import ConformanceDocument, build, examples_in, schema
from app.deps import ReferenceDep
from app.problems import problem_responses
from app.reference import rulebook
from app.routers.caching import NOT_MODIFIED, reference
from app.routers.params import check_known, listed

router = APIRouter(prefix="/v1", tags=["conformance"])

# The filter's allowed values in the OpenAPI document are the bundled data's; the
# handler checks the value against the app's own rules (check_known).
RULESETS = tuple(rulebook().rulesets)
FILENAME = "timescales-conformance"

RulesetFilter = Annotated[
    str | None,
    listed(
        RULESETS,
        "Only the vectors written for this ruleset: `england` (the statutory baseline, and "
        "authorities with no rules of their own) or an authority with rules of its own.",
    ),
]
Download = Annotated[
    bool,
    Query(
        description="True: the same answer with Content-Disposition: attachment, so that a "
        "browser saves it (as timescales-conformance.json, or "
        "timescales-conformance-<ruleset>.json when filtered)."
    ),
]


@router.get(
    "/conformance",
    operation_id="get_conformance",
    response_model=ConformanceDocument,
    responses={**NOT_MODIFIED, **problem_responses(422)},
)
async def get_conformance(
    request: Request, data: ReferenceDep, ruleset: RulesetFilter = None, download: Download = False
) -> Response:
    """The worked examples as conformance vectors: for each hand-counted case, the request
    to POST to /v1/deadlines, the deadlines its answer must hold, the count, and the words
    of every rule it names. Check a case system's due dates against them; the service's own
    tests run the same vectors. Schema: GET /v1/conformance/schema."""
    book, holidays = data.rulebook, data.bank_holidays
    check_known("ruleset", ruleset, book.rulesets)
    # Built once per data version and filter, off the event loop, then served from
    # memory (app/routers/caching.py); about 1 MB unfiltered.
    response = await reference(
        request,
        ("conformance", book.version, holidays.sha256, ruleset),
        ConformanceDocument,
        # The app's own examples: those beside the rules it answers from.
        lambda: build(book, holidays, examples_in(data.rules_dir / "examples"), ruleset),
        per_query=True,
    )
    if download:
        name = f"{FILENAME}-{ruleset}.json" if ruleset else f"{FILENAME}.json"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/conformance/schema",
    operation_id="get_conformance_schema",
    response_model=dict[str, Any],
    responses={
        200: {"description": "The JSON Schema (2020-12) of GET /v1/conformance's answer."},
        **NOT_MODIFIED,
    },
)
async def get_conformance_schema(request: Request) -> Response:
    """The JSON Schema (2020-12) of the conformance document, with a description of every
    field, to validate GET /v1/conformance's answer (or openapi/conformance.json) with."""
    return await reference(request, ("conformance-schema",), dict[str, Any], schema)

"""The deadline answers in their other representations, each its own operation.

POST /v1/deadlines.ics answers a case's open deadlines as an iCalendar file;
POST /v1/overdue.ndjson reads and answers a caseload as NDJSON. Each
declares exactly one media type, so that a generated client types its answer
(text, not a JSON model) and sends its body as it is. The old paths,
POST /v1/deadlines with `Accept: text/calendar` and POST /v1/overdue with an
NDJSON body, still answer the same (app/routers/deadlines.py): this module
only reuses their code.

The paths carry a format suffix, as GitHub's `.diff`/`.patch` and the
calendar feeds that end in `.ics` do: the resource is the same, only the
representation differs, and the path says which.

Neither negotiates: each has one representation, and an Accept header that
does not name it is disregarded (RFC 9110 12.5.1 lets a server answer as if
the response were not negotiated), as on every other single-representation
operation. A 406 there would break generated clients that announce only the
error type: openapi-generator's Python client sends
`Accept: application/problem+json` to an operation whose success type is
text/calendar.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from app import metrics
from app.deps import ReferenceDep
from app.errors import UnsupportedMediaType
from app.problems import problem_responses
from app.routers import deadlines
from app.routers.caseload import Detail
from app.routers.deadline_models import OVERDUE_DETAIL, DeadlinesRequest
from app.routers.json_body import JSONBodyRoute

router = APIRouter(prefix="/v1", tags=["deadlines"], route_class=JSONBodyRoute)

ICALENDAR = deadlines.ICALENDAR
NDJSON = deadlines.NDJSON
ICALENDAR_PATH = "/v1/deadlines.ics"
NDJSON_PATH = "/v1/overdue.ndjson"

_NDJSON_EXAMPLE = (
    '{"authority": "gloucestershire", "as_of": "2026-11-23"}\n'
    '{"case_id": "C-1", "events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}]}\n'
)


@router.post(
    "/deadlines.ics",
    operation_id="compute_deadlines_icalendar",
    # No response_model: the answer is text, never validated as JSON.
    response_class=Response,
    responses={
        200: {
            "description": "The case's open deadlines as an iCalendar file (RFC 5545): one "
            "all-day event each, its description citing the rule.",
            "content": {
                ICALENDAR: {
                    "schema": {"type": "string"},
                    "example": "BEGIN:VCALENDAR\r\n...\r\nEND:VCALENDAR\r\n",
                }
            },
        },
        **problem_responses(400, 413, 415, 422, 503),
    },
)
def compute_deadlines_icalendar(body: DeadlinesRequest, data: ReferenceDep) -> Response:
    """The same request as POST /v1/deadlines, answered as an iCalendar file of the
    case's open deadlines, for a caseworker's calendar."""
    ctx, answer = deadlines.assess_request(data, body)
    metrics.count_case("deadlines", answer)
    return Response(deadlines.icalendar_of(ctx, answer.deadlines), media_type=ICALENDAR)


@router.post(
    "/overdue.ndjson",
    operation_id="list_overdue_ndjson",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                NDJSON: {
                    "schema": {"type": "string", "format": "binary"},
                    "example": _NDJSON_EXAMPLE,
                }
            },
            "description": "NDJSON: the first line is the request of POST /v1/overdue without "
            "`cases` (an `OverdueRequest` less `cases`); every further line is one case "
            "(a `CaseIn`).",
        }
    },
    response_class=Response,
    responses={
        200: {
            "description": "One overdue deadline per line, case by case in the order sent "
            "(each case's oldest first): compact rows (an `OverdueRowOut`), each rule's "
            'text once in a {"rule"} line before its first row, or with `?detail=full` '
            "full deadlines (a `CaseDeadlineOut`); a case that is not valid is one line "
            '{"case_id", "line", "problem"}; the last line is {"summary", "provenance"}.',
            "content": {NDJSON: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(400, 413, 415, 422, 503),
    },
)
async def list_overdue_ndjson(
    request: Request,
    data: ReferenceDep,
    detail: Detail = Query("compact", description=OVERDUE_DETAIL),
) -> Response:
    """POST /v1/overdue for a caseload sent as NDJSON, read and answered line by line."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # No Content-Type: read as NDJSON, the one thing this path reads (as a
    # JSON route reads a body without one as JSON).
    if media_type not in (NDJSON, ""):
        raise UnsupportedMediaType(
            f"Content-Type {media_type!r} is not supported here: send {NDJSON} "
            "(or application/json to POST /v1/overdue)."
        )
    return await deadlines._overdue_ndjson(request, data, detail)

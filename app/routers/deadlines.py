"""Deadlines for a case (JSON or iCalendar) and overdue lists for a caseload (JSON or NDJSON)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from typing import IO, Any, TypeVar

import orjson
from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from icalendar import Calendar as ICalendar
from icalendar import Event as ICalEvent
from pydantic import BaseModel

from app import metrics
from app.deps import ReferenceDep
from app.domain.deadlines import (
    CaseAssessment,
    Context,
    assess_case,
    overdue_horizon,
    overdue_only,
)
from app.domain.engine import OPEN_STATUSES, Deadline, next_due
from app.domain.rules import Rulebook
from app.errors import (
    BudgetExceeded,
    FieldError,
    InvalidInput,
    NotAcceptable,
    ServiceError,
    Unavailable,
    UnsupportedMediaType,
    located,
)
from app.problems import problem_of, problem_responses
from app.reference import ReferenceData
from app.routers import workbook
from app.routers.caseload import (
    Detail,
    assess_caseload,
    assess_listed,
    caseload_json,
    csv_response,
    json_response,
    parse_line,
    parse_value,
    readable_id,
    request_context,
)
from app.routers.deadline_models import (
    OVERDUE_DETAIL,
    CaseIn,
    DeadlinesRequest,
    DeadlinesResponse,
    OverdueHeader,
    OverdueRequest,
    OverdueResponse,
    deadline_json,
    not_evaluated_json,
    overdue_row_json,
    provenance,
    rule_json,
)
from app.routers.json_body import JSONBodyRoute, parse_json, read_by_hand, top_level_text
from app.routers.negotiation import negotiate
from app.settings import get_settings

# JSONBodyRoute: the body of POST /v1/deadlines is parsed with the duplicate-key
# check (app/routers/json_body.py); /v1/overdue reads its body itself, the same way.
router = APIRouter(prefix="/v1", tags=["deadlines"], route_class=JSONBodyRoute)

JSON = "application/json"
NDJSON = "application/x-ndjson"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Request bodies an operation parses itself; their schemas are added to the
# OpenAPI components (app/main.py) so that its references resolve.
BODIES_READ_BY_HAND = (OverdueRequest,)
ICALENDAR = "text/calendar"
BATCH = 256  # NDJSON cases computed per hop to the thread pool
MAX_LINE = 4 * 1024 * 1024  # bytes in one NDJSON line; a longer case is a problem line
# The start of a line kept to read its case_id from when the line is not read
# whole (too long) or is not valid JSON.
LINE_HEAD = 64 * 1024
# The NDJSON answer is spooled until the request has been read: in memory up
# to this many bytes, then in a temporary file (tempfile's directory: TMPDIR,
# /tmp in the container, an emptyDir). Tests lower it to make a spool spill.
SPOOL_IN_MEMORY = 4 * 1024 * 1024
# Bytes sent at a time from the spool: each read is a hop to the thread pool
# (with 64 KiB chunks a case cost about 14% more server CPU than with 1 MiB).
ANSWER_CHUNK = 1024 * 1024


# -- one case ----------------------------------------------------------------------------------


@router.post(
    "/deadlines",
    operation_id="compute_deadlines",
    response_model=DeadlinesResponse,
    # Only JSON is declared: a generated client types an operation's answer
    # from its one media type. The iCalendar file is its own operation,
    # POST /v1/deadlines.ics (app/routers/deadline_formats.py); this path
    # still answers it to `Accept: text/calendar` (negotiated, as before).
    responses={
        200: {
            "description": "The case's deadlines. (The same request to `/v1/deadlines.ics` "
            "answers its open deadlines as an iCalendar file; so does this path when the "
            "Accept header prefers `text/calendar`.)",
        },
        **problem_responses(400, 406, 413, 415, 422, 503),
    },
)
def compute_deadlines(body: DeadlinesRequest, request: Request, data: ReferenceDep) -> Response:
    """Every deadline that statute and the authority's standards set for one case."""
    # Negotiated before any work: a 406 costs nothing.
    representation = negotiate(request.headers.get("accept"), ("application/json", ICALENDAR))
    ctx, answer = assess_request(data, body)
    metrics.count_case("deadlines", answer)
    if representation == ICALENDAR:
        return Response(icalendar_of(ctx, answer.deadlines), media_type=ICALENDAR)
    return json_response(deadlines_json(data, body, ctx, answer))


def deadlines_json(
    data: ReferenceData, body: DeadlinesRequest, ctx: Context, answer: CaseAssessment
) -> dict[str, Any]:
    """The JSON answer of POST /v1/deadlines (DeadlinesResponse), also the
    calculator page's (app/web/calculator.py)."""
    book, calendar = data.rulebook, ctx.calendar.id
    upcoming = next_due(answer.deadlines)
    return {
        "authority": ctx.ruleset,
        "calendar": calendar,
        "as_of": ctx.as_of.isoformat(),
        "history_from": body.history_from.isoformat() if body.history_from else None,
        "deadlines": [deadline_json(d, book, calendar) for d in answer.deadlines],
        "next_due": deadline_json(upcoming, book, calendar) if upcoming else None,
        "not_evaluated": [not_evaluated_json(n) for n in answer.not_evaluated],
        "merged_duplicates": answer.merged,
        "provenance": provenance(data),
    }


def assess_request(data: ReferenceData, body: DeadlinesRequest) -> tuple[Context, CaseAssessment]:
    """One case's request (POST /v1/deadlines, or .ics): its context and answer,
    problems located in the body."""
    with located("body"):
        ctx = request_context(data, body)
        answer = assess_case(
            ctx,
            data.rulebook,
            body.child.date_of_birth,
            body.events,
            history_from=body.history_from,
            exceptions=body.exceptions,
        )
    return ctx, answer


def icalendar_of(ctx: Context, deadlines: list[Deadline]) -> bytes:
    """Open deadlines as all-day events: what a caseworker's calendar should show."""
    cal = ICalendar()
    cal.add("prodid", "-//children-timescales//deadlines//EN")
    cal.add("version", "2.0")
    stamp = dt.datetime.now(dt.UTC)
    for d in deadlines:
        if d.status not in OPEN_STATUSES:
            continue
        event = ICalEvent()
        identity = f"{d.rule.id}|{d.anchor.type}|{d.anchor.date}|{d.anchor.ref}|{d.occurrence}"
        event.add(
            "uid", hashlib.sha256(identity.encode()).hexdigest()[:32] + "@children-timescales"
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", d.due)
        event.add("dtend", d.due + dt.timedelta(days=1))
        status = d.status.replace("_", " ")
        event.add("summary", f"{d.rule.title} ({status})")
        event.add(
            "description",
            f"Due {d.due}: {d.offset} from {d.anchor.type} on {d.anchor.date}"
            f" ({ctx.calendar.id} calendar).\n"
            f'{d.rule.citation.document}, {d.rule.citation.section}: "{d.rule.citation.quote}"\n'
            f"Rule {d.rule.id} ({d.rule.basis}).",
        )
        event.add("categories", [d.rule.requirement])
        cal.add_component(event)
    return bytes(cal.to_ical())


# -- a caseload --------------------------------------------------------------------------------

# Only JSON is declared (one media type, so that generators handle it); the
# NDJSON caseload is its own operation, POST /v1/overdue.ndjson
# (app/routers/deadline_formats.py), and this path still reads it when sent
# with Content-Type: application/x-ndjson.
_OVERDUE_BODY = read_by_hand(
    "OverdueRequest",
    "The whole caseload. (Sent as NDJSON, to `/v1/overdue.ndjson` or here, "
    "the first line is the request without `cases` and every further line is one case.)",
)


@router.post(
    "/overdue",
    operation_id="list_overdue",
    openapi_extra={"requestBody": _OVERDUE_BODY},
    response_model=OverdueResponse,
    responses={
        200: {
            "description": "The overdue deadlines of every case, oldest first. (An NDJSON "
            "caseload is answered in NDJSON: see `/v1/overdue.ndjson`. With `Accept: text/csv`, "
            "CSV: one row per deadline, then a row for each rule that set none, each case "
            "that could not be computed and each unreadable workbook cell, the reason in "
            "`note`.)",
        },
        **problem_responses(400, 413, 415, 422, 503),
    },
)
async def list_overdue(
    request: Request,
    data: ReferenceDep,
    detail: Detail = Query("compact", description=OVERDUE_DETAIL),
) -> Response:
    """What is overdue, or due soon, across a caseload: for a team manager's scheduled job.

    The body may also be an Ofsted Annex A workbook (Content-Type
    `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`), with the
    request's values in the query string (`authority`, `as_of`,
    `due_within_working_days`, `calendar`, `closed_days`, `rules_as_of`), answered in JSON, NDJSON
    or CSV as Accept prefers; the answer adds `source_problems` (every cell that
    could not be used) and `recorded_event_types` (what Annex A records).
    """
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # The answer's type follows the body's, not Accept (one representation
    # for a given body: nothing to negotiate, as for /v1/overdue.ndjson).
    if media_type == NDJSON:
        return await _overdue_ndjson(request, data, detail)
    accept = request.headers.get("accept")
    if media_type == XLSX:
        # An Annex A workbook: JSON (default), NDJSON or CSV, as Accept prefers.
        representation = negotiate(accept, (JSON, NDJSON, CSV))
        raw = await request.body()
        return await run_in_threadpool(
            workbook.overdue_of_workbook, data, raw, request.query_params, detail, representation
        )
    if media_type not in (JSON, ""):
        raise UnsupportedMediaType(
            f"Content-Type {media_type!r} is not supported: send {JSON}, {NDJSON} "
            f"or an Annex A workbook ({XLSX})."
        )
    workbook.no_workbook_parameters(request.query_params)
    # JSON, or CSV when Accept prefers it. An Accept that names neither is
    # answered in JSON, as it was before CSV was offered, not refused.
    try:
        representation = negotiate(accept, (JSON, CSV))
    except NotAcceptable:
        representation = JSON
    raw = await request.body()
    return await run_in_threadpool(_overdue_json, data, raw, detail, representation)


def _overdue_json(
    data: ReferenceData, raw: bytes, detail: Detail = "compact", representation: str = JSON
) -> Response:
    """The JSON caseload: the request's header is checked whole, then each case
    on its own, so that one case that cannot be computed is a problem row for
    that case and never hides the others."""
    header, cases = _split_caseload(raw, OverdueHeader)
    listed = assess_caseload(data, header, cases)
    if representation == CSV:
        return csv_response(data, listed)
    return json_response(caseload_json(data, listed, detail))


H = TypeVar("H", bound=BaseModel)


def _split_caseload(raw: bytes, header_model: type[H]) -> tuple[H, list[Any]]:
    """The header of a JSON caseload, validated (as `header_model`: the
    overdue list's, or the what-if's, app/routers/what_if.py), and its cases,
    not yet."""
    data = parse_json(raw)  # a key given twice anywhere is a 400 for the whole request
    if not isinstance(data, dict):
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "The body must be a JSON object.", "type": "model_type"}]
        )
    cases = data.pop("cases", None)
    if not isinstance(cases, list):
        raise RequestValidationError(
            [{"loc": ("body", "cases"), "msg": "A list of cases is required.", "type": "missing"}]
        )
    limit = get_settings().max_cases_per_request
    if len(cases) > limit:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", "cases"),
                    "msg": f"At most {limit} cases in one request (MAX_CASES_PER_REQUEST).",
                    "type": "too_long",
                }
            ]
        )
    return parse_value(header_model, data, ("body",)), cases


async def _lines(request: Request) -> AsyncIterator[tuple[int, bytes, bool]]:
    """Non-blank lines of the body as they arrive, numbered from 1, each with
    whether it was too long to read.

    A line longer than MAX_LINE is not buffered: its first LINE_HEAD bytes are
    kept (to read its case_id from) and the rest is skipped as it arrives; it
    is yielded as (number, head, True) once its end is reached."""
    parts: list[bytes] = []  # the line in hand, in pieces (no copy per chunk)
    size = 0
    head: bytes | None = None  # the start of an over-long line being skipped
    number = 0
    async for chunk in request.stream():
        pos = 0
        while True:  # bounded: each turn moves past a newline of the chunk, or ends
            end = chunk.find(b"\n", pos)
            piece = chunk[pos:] if end < 0 else chunk[pos:end]
            if head is None:
                size += len(piece)
                if size > MAX_LINE:
                    head = b"".join([*parts, piece])[:LINE_HEAD]
                    parts, size = [], 0
                else:
                    parts.append(piece)
            if end < 0:
                break
            pos = end + 1
            number += 1
            if head is not None:
                yield number, head, True
                head = None
                continue
            line = b"".join(parts)
            parts, size = [], 0
            if line.strip():
                yield number, line, False
    if head is not None:
        yield number + 1, head, True
    elif parts and (line := b"".join(parts)).strip():
        yield number + 1, line, False


async def _header_line(lines: AsyncIterator[tuple[int, bytes, bool]]) -> tuple[int, bytes]:
    """The first line of an NDJSON caseload (the request without its cases):
    its number and text. None, or one too long, is a problem for the whole
    request."""
    try:
        number, first, too_long = await lines.__anext__()
    except StopAsyncIteration:
        raise InvalidInput(
            "The NDJSON body is empty: its first line is the request without cases.",
            [FieldError(("body", 1), "Missing header line")],
        ) from None
    if too_long:  # the header is the whole request's: a request-level error
        raise InvalidInput(
            f"NDJSON line {number} is longer than {MAX_LINE} bytes.",
            [FieldError(("body", number), "Line too long", "too_long")],
        )
    return number, first


async def _overdue_ndjson(
    request: Request, data: ReferenceData, detail: Detail = "compact"
) -> Response:
    lines = _lines(request)
    number, first = await _header_line(lines)
    header = parse_line(OverdueHeader, first, ("body", number))
    book = data.rulebook
    with located("body", number):
        ctx = request_context(data, header)
    horizon = overdue_horizon(ctx, header.due_within_working_days)
    limit = get_settings().max_cases_per_request
    counts = {"cases": 0, "deadlines": 0, "not_evaluated": 0, "problems": 0, "rules": 0}
    # The rules whose line has been written (compact answer): each goes once,
    # before the first row that names it; None for full rows, which need none.
    written: set[str] | None = None if detail == "full" else set()
    return await spooled_ndjson(
        lines,
        lambda batch: _ndjson_batch(book, ctx, horizon, batch, counts, limit, written),
        lambda: {"summary": counts, "provenance": provenance(data)},
    )


Batch = list[tuple[int, bytes, bool]]


async def spooled_ndjson(
    lines: AsyncIterator[tuple[int, bytes, bool]],
    answer: Callable[[Batch], bytes],
    summary: Callable[[], dict[str, Any]],
) -> SpooledResponse:
    """An NDJSON caseload's answer: each batch of case lines answered (in the
    thread pool) as it arrives, then the summary line, sent once the request
    has been read.

    The answer's lines go to a spool (memory, then a temporary file past
    SPOOL_IN_MEMORY): neither the request nor the answer is held whole. It is
    sent from the spool once the request has been read, because HTTP/1.1
    clients (httpx, requests) do not read a response while they are still
    sending the request: answering earlier deadlocks them once both sides'
    buffers fill. (And Starlette's streaming response, on uvicorn, would read
    the request's remaining messages itself while watching for a disconnect,
    dropping cases.)"""
    spool = _new_spool()
    try:
        batch: Batch = []
        async for item in lines:
            batch.append(item)
            if len(batch) >= BATCH:
                await run_in_threadpool(_spool_batch, spool, answer, batch)
                batch = []
        if batch:
            await run_in_threadpool(_spool_batch, spool, answer, batch)
        await run_in_threadpool(_write, spool, (json.dumps(summary()) + "\n").encode())
        spool.seek(0)
    except BaseException:
        spool.close()  # a request cut off or refused: the spool goes with it
        raise
    return SpooledResponse(spool, media_type=NDJSON)


def _spool_batch(spool: IO[bytes], answer: Callable[[Batch], bytes], batch: Batch) -> None:
    _write(spool, answer(batch))


def _new_spool() -> IO[bytes]:
    # tempfile's default directory (TMPDIR); once on disk the file has no
    # name (it is unlinked as it is made), so closing it removes it.
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)


def _write(spool: IO[bytes], data: bytes) -> None:
    limit = get_settings().max_ndjson_answer_bytes
    if spool.tell() + len(data) > limit:
        # Before the temporary directory fills (a full emptyDir evicts the pod,
        # and every request in it): the caller can split the caseload.
        raise BudgetExceeded(
            f"The answer would be larger than {limit} bytes (MAX_NDJSON_ANSWER_BYTES): "
            "send the caseload in smaller requests.",
            [FieldError(("body",), "Answer too large", "too_long")],
        )
    try:
        spool.write(data)
    except OSError:
        # The temporary directory is full (or gone): the server's fault, not
        # the caller's. Nothing has been sent, so the caller gets a 503.
        raise Unavailable(
            "The answer could not be written to temporary storage; try again later "
            "or send the caseload in smaller requests.",
            retry_after=30,
        ) from None


class SpooledResponse(StreamingResponse):
    """The spooled NDJSON answer, sent ANSWER_CHUNK bytes at a time (read in
    the thread pool: it may be on disk), and the spool closed, so its file
    removed, once it is sent, the client goes away, or sending fails."""

    def __init__(self, spool: IO[bytes], media_type: str) -> None:
        self.spool = spool
        super().__init__(self._chunks(), media_type=media_type)

    def _chunks(self) -> Iterator[bytes]:
        while chunk := self.spool.read(ANSWER_CHUNK):  # bounded: the spool's size
            yield chunk

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.spool.close()


def _ndjson_batch(
    book: Rulebook,
    ctx: Context,
    horizon: dt.date,
    batch: list[tuple[int, bytes, bool]],
    counts: dict[str, int],
    limit: int,
    written: set[str] | None = None,
) -> bytes:
    """The answer's lines for a batch of case lines. `written`: the rules whose
    line has gone out (compact rows, updated here); None for full rows."""

    def rows_of(case: CaseIn, where: tuple[str | int, ...]) -> list[str]:
        answer = assess_listed(ctx, book, case, where)
        out: list[str] = []
        metrics.count_case("overdue", answer)
        for d in overdue_only(answer.deadlines, horizon):
            counts["deadlines"] += 1
            if written is None:
                row = {"case_id": case.case_id, **deadline_json(d, book, ctx.calendar.id)}
            else:
                if d.rule.id not in written:
                    # Before the row: a job reading line by line has the rule when it needs it.
                    written.add(d.rule.id)
                    counts["rules"] += 1
                    out.append(orjson.dumps({"rule": rule_json(d.rule, book)}).decode())
                row = overdue_row_json(d, case.case_id)
            out.append(orjson.dumps(row).decode())
        if answer.not_evaluated:
            counts["not_evaluated"] += len(answer.not_evaluated)
            rows = [not_evaluated_json(n) for n in answer.not_evaluated]
            out.append(orjson.dumps({"case_id": case.case_id, "not_evaluated": rows}).decode())
        return out

    out = _case_lines(batch, counts, limit, "overdue", rows_of)
    return ("\n".join(out) + "\n").encode() if out else b""


def _case_lines(
    batch: list[tuple[int, bytes, bool]],
    counts: dict[str, int],
    limit: int,
    kind: str,
    rows_of: Callable[[CaseIn, tuple[str | int, ...]], list[str]],
) -> list[str]:
    """Each NDJSON case line read and answered: `rows_of` (the overdue list's,
    the what-if's) gives the lines for a case read whole; a line that cannot
    be read, or a case that cannot be computed (`rows_of` raising), is a
    problem line for that case, naming it when its case_id can be read, and
    never hides the others. counts["cases"] and counts["problems"] are kept
    here."""
    out: list[str] = []
    for number, line, too_long in batch:
        counts["cases"] += 1
        case_id: str | None = None
        where: tuple[str | int, ...] = ("body", number)
        try:
            if too_long:
                case_id = readable_id(top_level_text(line, "case_id"))
                raise InvalidInput(
                    f"NDJSON line {number} is longer than {MAX_LINE} bytes: the case was not "
                    "read. Every other line is answered.",
                    [FieldError(where, "Line too long", "too_long")],
                )
            if counts["cases"] > limit:
                case_id = readable_id(top_level_text(line[:LINE_HEAD], "case_id"))
                raise InvalidInput(
                    f"More than {limit} cases in one request (MAX_CASES_PER_REQUEST).",
                    [FieldError(where, "Too many cases")],
                )
            try:
                value = parse_json(line, where, f"Line {number}")
            except (ServiceError, RequestValidationError):
                # Not JSON, or a key given twice: the id is read from the text.
                case_id = readable_id(top_level_text(line[:LINE_HEAD], "case_id"))
                raise
            if isinstance(value, dict):
                case_id = readable_id(value.get("case_id"))
            case = parse_value(CaseIn, value, where)
            case_id = case.case_id
            rows = rows_of(case, where)
        except (ServiceError, RequestValidationError) as exc:
            counts["problems"] += 1
            metrics.count_case_problem(kind)
            out.append(json.dumps({"case_id": case_id, "line": number, "problem": problem_of(exc)}))
            continue
        out.extend(rows)
    return out

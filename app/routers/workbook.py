"""POST /v1/overdue with an Ofsted Annex A workbook as its body.

A council's analyst posts the workbook they already make for Ofsted
(Content-Type `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`)
and gets the overdue list as JSON, NDJSON or CSV (Accept). The request's own
values come in the query string, since the body is the workbook:
`?authority=...&as_of=YYYY-MM-DD&due_within_working_days=N&calendar=...&closed_days=D1,D2`.
The workbook is read by app/sources/annex_a.py (lists 1 to 9, the child's
history starting at their latest dates) and its children assessed as a JSON
caseload's cases are; what it holds records only some events, so the rules
nothing in it could meet are listed as not recorded rather than overdue. Every
cell it could not use is in the answer (`source_problems`), with its sheet,
row and column.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from fastapi import Response
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import QueryParams

from app.domain.deadlines import today_in_london
from app.errors import InvalidInput, MalformedRequest, TooLarge
from app.reference import ReferenceData
from app.routers.caseload import (
    Caseload,
    Detail,
    assess_caseload,
    caseload_json,
    csv_response,
    json_response,
    parse_value,
)
from app.routers.deadline_models import (
    OverdueHeader,
    deadline_json,
    not_evaluated_json,
    overdue_row_json,
    provenance,
    rule_json,
)
from app.settings import get_settings
from app.sources.annex_a import read_annex_a
from app.sources.base import SourceProblem, SourceRead

log = logging.getLogger(__name__)

JSON, NDJSON, CSV = "application/json", "application/x-ndjson", "text/csv"
# The request's values, in the query string when the body is a workbook.
PARAMETERS = (
    "authority",
    "as_of",
    "due_within_working_days",
    "calendar",
    "closed_days",
    "rules_as_of",
)
_DIGITS = re.compile(r"[0-9]{1,4}")


def no_workbook_parameters(query: QueryParams) -> None:
    """A JSON caseload carries its values in its body: the same names in the
    query string would be read by nobody, so they are refused, not ignored."""
    given = [name for name in PARAMETERS if name in query]
    if given:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": "Only for an Annex A workbook body; a JSON caseload gives it in "
                    "its body",
                    "type": "extra_forbidden",
                }
                for name in given
            ]
        )


def _header(query: QueryParams) -> OverdueHeader:
    """The request's values from the query string, checked as a JSON caseload's
    header is; problems located at ("query", name)."""
    unknown = [name for name in query if name not in (*PARAMETERS, "detail")]
    if unknown:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": "Not a parameter of this request",
                    "type": "extra_forbidden",
                }
                for name in unknown
            ]
        )
    values: dict[str, Any] = {name: query[name] for name in PARAMETERS if name in query}
    within = values.get("due_within_working_days")
    if isinstance(within, str) and _DIGITS.fullmatch(within):
        values["due_within_working_days"] = int(within)
    if "closed_days" in values:
        values["closed_days"] = [d for d in values["closed_days"].split(",") if d]
    return parse_value(OverdueHeader, values, ("query",))


def _unpacked_size(raw: bytes) -> int:
    """What the workbook's parts add up to once unpacked, as its zip directory
    declares them (Python's zipfile stops reading a part at its declared size,
    so the declaration bounds what reading it can produce)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise MalformedRequest(
            "The body is not an xlsx workbook (it is not a zip file): send the Annex A "
            "workbook as saved by Excel or LibreOffice."
        ) from None


def read_workbook(raw: bytes, as_of: Any) -> SourceRead:
    """The workbook's children, within the service's limits."""
    settings = get_settings()
    size = _unpacked_size(raw)
    if size > settings.max_workbook_unpacked_bytes:
        raise TooLarge(
            f"The workbook unpacks to {size} bytes, more than "
            f"{settings.max_workbook_unpacked_bytes} (MAX_WORKBOOK_UNPACKED_BYTES)."
        )
    try:
        read = read_annex_a(io.BytesIO(raw), as_of=as_of)
    except Exception as exc:
        # Which parser error, not its message (it could quote a cell).
        log.info("workbook not readable: %s", type(exc).__name__)
        raise MalformedRequest(
            "The body could not be read as an xlsx workbook: send the Annex A workbook as "
            "saved by Excel or LibreOffice."
        ) from None
    if not read.cases:
        raise InvalidInput(
            "No child could be read from the workbook: "
            + "; ".join(_problem_text(p) for p in read.problems[:5])
            if read.problems
            else "No child could be read from the workbook: it holds no rows in lists 1 to 9."
        )
    limit = settings.max_cases_per_request
    if len(read.cases) > limit:
        raise InvalidInput(
            f"The workbook holds {len(read.cases)} children, more than {limit} in one request "
            "(MAX_CASES_PER_REQUEST): split it, or use the command line (timescales overdue)."
        )
    return read


def _problem_text(p: SourceProblem) -> str:
    where = ", ".join(str(x) for x in (p.source, p.row and f"row {p.row}", p.field) if x)
    return f"{where}: {p.message}"


def source_problem_json(p: SourceProblem) -> dict[str, Any]:
    return {
        "source": p.source,
        "row": p.row,
        "field": p.field,
        "case_id": p.case_id,
        "message": p.message,
    }


def overdue_of_workbook(
    data: ReferenceData,
    raw: bytes,
    query: QueryParams,
    detail: Detail,
    representation: str,
) -> Response:
    """The overdue list of an Annex A workbook, in the representation asked for."""
    header = _header(query)
    read = read_workbook(raw, header.as_of or today_in_london())
    if read.event_types_recorded is not None:
        header = header.model_copy(
            update={"recorded_event_types": sorted(read.event_types_recorded)}
        )
    listed = assess_caseload(data, header, [c.as_json() for c in read.cases], ("query",))
    who = {c.case_id: (c.team, c.worker) for c in read.cases}
    if representation == CSV:
        return csv_response(data, listed, who, read.problems)
    if representation == NDJSON:
        return Response(_ndjson(data, listed, read, detail), media_type=NDJSON)
    payload = caseload_json(data, listed, detail)
    payload["source_problems"] = [source_problem_json(p) for p in read.problems]
    payload["recorded_event_types"] = header.recorded_event_types
    return json_response(payload)


def _ndjson(data: ReferenceData, c: Caseload, read: SourceRead, detail: Detail) -> bytes:
    """The NDJSON answer of POST /v1/overdue.ndjson for the workbook's children:
    rows (each rule's line before its first row, unless full), problem lines,
    not-evaluated lines, a line for each unusable cell, and the summary last.
    The workbook is within the body limit, so the answer is built whole."""
    import orjson

    book, calendar = data.rulebook, c.ctx.calendar.id
    out: list[bytes] = []
    written: set[str] = set()
    for case_id, d in c.found:
        if detail == "full":
            out.append(orjson.dumps({"case_id": case_id, **deadline_json(d, book, calendar)}))
            continue
        if d.rule.id not in written:
            written.add(d.rule.id)
            out.append(orjson.dumps({"rule": rule_json(d.rule, book)}))
        out.append(orjson.dumps(overdue_row_json(d, case_id)))
    out.extend(
        orjson.dumps({"case_id": p["case_id"], "index": p["index"], "problem": p["problem"]})
        for p in c.problems
    )
    by_case: dict[str, list[dict[str, Any]]] = {}
    for case_id, n in c.unassessed:
        by_case.setdefault(case_id, []).append(not_evaluated_json(n))
    out.extend(
        orjson.dumps({"case_id": case_id, "not_evaluated": notes})
        for case_id, notes in by_case.items()
    )
    out.extend(orjson.dumps({"source_problem": source_problem_json(p)}) for p in read.problems)
    summary: Mapping[str, int] = {
        "cases": c.cases,
        "deadlines": len(c.found),
        "not_evaluated": len(c.unassessed),
        "problems": len(c.problems),
        "rules": len(written) if detail != "full" else 0,
        "source_problems": len(read.problems),
    }
    out.append(orjson.dumps({"summary": summary, "provenance": provenance(data)}))
    return b"\n".join(out) + b"\n"

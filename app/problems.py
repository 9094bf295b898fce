"""RFC 9457 problem details: the one renderer for every failure the service has.

Service errors (app.errors) carry their status and type; validation
errors from FastAPI are reshaped into the same form with an `errors` list that
points at the field; anything unexpected becomes a bare 500 whose body says
nothing about the exception (the log has the traceback, never the body).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import FieldError, ServiceError, Unavailable
from app.logs import exception_summary

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:children-timescales:problem:"

log = logging.getLogger("app.problems")


class ProblemError(BaseModel):
    loc: list[str | int] = Field(
        description='Where the problem is: e.g. ["body", "events", 3, "date"] or ["query", "days"].'
    )
    msg: str = Field(description="What is wrong, in plain English.")
    type: str = Field(description="A short machine-readable code for the kind of error.")


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(description="A URN naming the kind of problem; stable, safe to switch on.")
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = Field(
        default=None, description="For invalid input: each offending field and what is wrong."
    )
    retry_after: int | None = Field(
        default=None,
        description="A 503's seconds to wait before trying again (the Retry-After header's "
        "value), given in the problem itself where there is no header: a caseload's problem "
        "row for a case that ran out of time. Left out otherwise.",
    )


def problem_body(
    status: int, type_: str, title: str, detail: str, errors: list[FieldError] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + type_,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"loc": list(e.loc), "msg": e.msg, "type": e.type} for e in errors]
    return body


def problem_response(
    status: int, type_: str, title: str, detail: str, errors: list[FieldError] | None = None
) -> JSONResponse:
    body = problem_body(status, type_, title, detail, errors)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def problem_of(exc: ServiceError | RequestValidationError) -> dict[str, Any]:
    """The problem body for a domain error or a request that failed validation.

    Used by the handlers below and, for one bad line of an NDJSON caseload,
    by the overdue endpoint, which reports it in its answer and goes on.
    """
    if isinstance(exc, ServiceError):
        body = problem_body(exc.status, exc.type, exc.title, exc.detail, exc.errors)
        if isinstance(exc, Unavailable):
            # A problem row has no header of its own: the job reads when to retry here.
            body["retry_after"] = exc.retry_after
        return body
    errors = _field_errors(exc)
    where = ", ".join(".".join(str(p) for p in e.loc) for e in errors[:5])
    detail = (
        f"The request is not valid: see `errors` ({where})."
        if where
        else "The request is not valid."
    )
    return problem_body(422, "invalid-input", "Invalid input", detail, errors)


def problem_for(error: ServiceError) -> JSONResponse:
    response = problem_response(error.status, error.type, error.title, error.detail, error.errors)
    if isinstance(error, Unavailable):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


# What each status means in the OpenAPI document; routers declare the ones
# they can produce through `problem_responses(...)`.
_DESCRIPTIONS = {
    304: "Not modified: the representation matches If-None-Match.",
    400: "Bad request.",
    404: "Not found.",
    405: "Method not allowed.",
    406: "Not acceptable: no representation that the Accept header allows; `detail` names them.",
    413: "Request body too large.",
    415: "Unsupported media type.",
    422: "Invalid input: `errors` says which field and why.",
    500: "Internal error.",
    503: "Service unavailable (a fault on the server's side): retry after `Retry-After` seconds.",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries declaring problem+json for these statuses."""
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def _plain(msg: str) -> str:
    # pydantic's messages are already plain English; drop its "Value error, "
    # prefix from our own validators' messages and start with a capital.
    msg = msg.removeprefix("Value error, ")
    return msg[:1].upper() + msg[1:]


def _field_errors(exc: RequestValidationError) -> list[FieldError]:
    out = []
    for e in exc.errors():
        loc = tuple(part if isinstance(part, int) else str(part) for part in e.get("loc", ()))
        out.append(
            FieldError(
                loc, _plain(str(e.get("msg", "Invalid value"))), str(e.get("type", "value_error"))
            )
        )
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_: Request, exc: ServiceError) -> JSONResponse:
        return problem_for(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(problem_of(exc), status_code=422, media_type=PROBLEM_MEDIA_TYPE)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {
            400: "Bad request",
            404: "Not found",
            405: "Method not allowed",
            413: "Payload too large",
        }
        title = titles.get(exc.status_code, "HTTP error")
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 500 else title
        if exc.status_code == 404 and detail == "Not Found":
            detail = "No such resource. The API lives under /v1; see /docs."
        if exc.status_code == 400:
            detail = "The request body could not be read as JSON (UTF-8)."
        slug = title.lower().replace(" ", "-")
        response = problem_response(exc.status_code, slug, title, detail)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # The operator gets the exception's type and where it was raised; not
        # its message, which could quote case data. The caller gets neither.
        # (exception_summary, not the logging config's formatter, so that it
        # holds whatever formatter a deployment puts on the handlers.)
        where = exception_summary((type(exc), exc, exc.__traceback__))
        log.error("unhandled %s\n%s", type(exc).__name__, where)
        return problem_response(
            500, "internal-error", "Internal error", "An unexpected error occurred."
        )

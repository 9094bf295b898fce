"""The one error hierarchy of the service.

Domain, catalogue and calendar code raise these; the HTTP layer renders every
one of them as an RFC 9457 problem (app/problems.py). The bottom layer: it
imports nothing of the app, so every layer above may raise them (the layer
contracts in pyproject.toml, checked by `lint-imports`). Each class carries its HTTP status,
a stable problem `type` slug and a title, so the mapping lives in one place
and the OpenAPI document can declare it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with the input: where (`loc`, as in pydantic) and what."""

    loc: tuple[str | int, ...]
    msg: str
    type: str = "value_error"


class ServiceError(Exception):
    status: int = 500
    type: str = "internal-error"
    title: str = "Internal error"

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class NotFound(ServiceError):
    status = 404
    type = "not-found"
    title = "Not found"


class InvalidInput(ServiceError):
    status = 422
    type = "invalid-input"
    title = "Invalid input"


class OutOfRange(InvalidInput):
    """A date, or a count that leads to a date, outside the supported calendar range."""

    type = "date-out-of-range"
    title = "Date outside the supported range"


class UnsupportedMediaType(ServiceError):
    status = 415
    type = "unsupported-media-type"
    title = "Unsupported media type"


class NotAcceptable(ServiceError):
    """None of the representations an operation has is acceptable under the
    request's Accept header (every one given q=0, or not named)."""

    status = 406
    type = "not-acceptable"
    title = "Not acceptable"


class TooLarge(ServiceError):
    status = 413
    type = "payload-too-large"
    title = "Payload too large"


class MalformedRequest(ServiceError):
    """The body cannot be read as the caller meant it: not JSON, or a key
    given twice (which JSON parsers resolve by silently dropping one)."""

    status = 400
    type = "malformed-request"
    title = "Malformed request"


class BudgetExceeded(InvalidInput):
    """A case or request asks for more work than one request may do
    (too many events, too many deadlines): the caller should split it."""

    type = "budget-exceeded"
    title = "Request budget exceeded"


class Unavailable(ServiceError):
    """A fault on the server's side (a database not reachable, the time
    budget of a request spent): the caller did nothing wrong and may retry
    after `retry_after` seconds. Never a 4xx, which would blame the caller."""

    status = 503
    type = "service-unavailable"
    title = "Service unavailable"

    def __init__(
        self, detail: str, errors: list[FieldError] | None = None, retry_after: int = 5
    ) -> None:
        super().__init__(detail, errors)
        self.retry_after = retry_after


@contextmanager
def located(*prefix: str | int) -> Iterator[None]:
    """Prefix the `loc` of every field error raised inside, e.g. ("query",).

    Domain code names fields as it knows them ("days"); the caller that knows
    where they came from (the query string, event 3 of the body) says so here.
    """
    try:
        yield
    except ServiceError as exc:
        exc.errors = [replace(e, loc=(*prefix, *e.loc)) for e in exc.errors]
        raise

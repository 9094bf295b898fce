"""Query parameters: those whose allowed values come from the reference data, and
integers and dates read strictly."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BeforeValidator


def member_of(values: Iterable[str]) -> AfterValidator:
    """Admit only these values; an unknown one is a 422 that names them all."""
    allowed = tuple(values)

    def check(value: str | None) -> str | None:
        if value is not None and value not in allowed:
            raise ValueError("Must be one of: " + ", ".join(allowed))
        return value

    return AfterValidator(check)


def listed(values: Iterable[str], description: str | None = None) -> Any:
    """A query parameter whose schema lists its allowed values (enum)."""
    return Query(description=description, json_schema_extra={"enum": list(values)})


def check_known(name: str, value: str | None, allowed: Iterable[str]) -> None:
    """A query filter's value against the app's own data. The schema's enum
    (`listed`) shows the bundled data's values, fixed when the module is
    imported; an app built on other data (create_app(data=...)) admits its
    own. Unknown is the 422 a schema violation is, naming the allowed values."""
    if value is None:
        return
    known = list(allowed)
    if value not in known:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": "Must be one of: " + ", ".join(known),
                    "type": "value_error",
                }
            ]
        )


# -- integers and dates in a query string -------------------------------------------------------
#
# A query string is text, and pydantic's lax reading of text as a number takes
# "1_000" as 1000 and " 5", "+5" and "5.0" as 5; of text as a date, a Unix
# timestamp ("1767571200") or a date-time ("2026-01-05T00:00:00"). A caller
# who sends those has a bug; guessing what was meant could move a deadline.

_INTEGER = re.compile(r"-?[0-9]{1,18}")  # ASCII digits; 18 is more than any limit here
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _integer_text(value: Any) -> Any:
    if isinstance(value, str):
        if not _INTEGER.fullmatch(value):
            raise ValueError(
                "Must be a whole number written in digits, with a leading - if negative"
            )
        return int(value)
    return value  # a default, or a caller in Python


def _date_text(value: Any) -> Any:
    """A date is written YYYY-MM-DD and nothing else, in a query string or a
    body: not a number, and not a text pydantic would read leniently as a date
    (a Unix timestamp in digits, "1767571200", or a date-time at midnight,
    "2026-01-05T00:00:00")."""
    if isinstance(value, dt.date):
        return value  # a default, or a caller in Python
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("Must be a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("Must be a real date, YYYY-MM-DD") from None


# For an integer query parameter, after its Query(...): `Annotated[int,
# Query(ge=1), DIGITS_ONLY]`. In that order the schema keeps the Query's bounds
# as minimum and maximum (before it, FastAPI writes them as "ge" and "le").
DIGITS_ONLY = BeforeValidator(_integer_text)
# A date, YYYY-MM-DD only, in a query or a body: the schema still says a date.
DateText = Annotated[dt.date, BeforeValidator(_date_text)]

"""Query parameters whose allowed values come from the reference data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Query
from pydantic import AfterValidator


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

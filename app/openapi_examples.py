"""Request and response examples on every operation of the OpenAPI document.

The examples are data (app/data/openapi_examples.yaml): the deadline examples
are the README's worked example, counted by hand, and
tests/test_openapi_examples.py sends every example request to the app and
checks that the answer is the response shown. Added to the document FastAPI
builds, so that no router carries pages of example text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from app.datafiles import load_yaml

EXAMPLES_FILE = Path(__file__).resolve().parent / "data" / "openapi_examples.yaml"
# The media type of each operation's example body and answer; JSON unless named here.
TEXT_MEDIA = {
    "compute_deadlines_icalendar": ("application/json", "text/calendar"),
    "list_overdue_ndjson": ("application/x-ndjson", "application/x-ndjson"),
}


@lru_cache(maxsize=1)
def examples() -> dict[str, dict[str, Any]]:
    """Operation id -> {checked, parameters, body, response, shortened, volatile}."""
    found: dict[str, dict[str, Any]] = load_yaml(EXAMPLES_FILE)
    return found


def _note(example: dict[str, Any]) -> str:
    shortened = example.get("shortened")
    volatile = example.get("volatile")
    note = str(example.get("checked", ""))
    if volatile:
        note += " Values that change with the data: " + ", ".join(f"`{v}`" for v in volatile) + "."
    if shortened and "Shortened" not in note:
        note += " Shortened: " + ", ".join(f"`{s or 'the list'}`" for s in shortened) + "."
    return note


def add_examples(schema: dict[str, Any]) -> None:
    """Put each operation's example into the document: a parameter's `example`,
    and a named example (`examples.worked`) on the request body and on the 200
    answer. An operation without an example is left as it is (the test names it)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            example = examples().get(operation.get("operationId", ""))
            if example is None:
                continue
            given = example.get("parameters") or {}
            for parameter in operation.get("parameters", []):
                if parameter["name"] in given:
                    parameter["example"] = given[parameter["name"]]
            body_type, answer_type = TEXT_MEDIA.get(
                operation["operationId"], ("application/json", "application/json")
            )
            worked = {"summary": "Worked example", "description": _note(example)}
            body = operation.get("requestBody", {}).get("content", {}).get(body_type)
            if body is not None and "body" in example:
                body.pop("example", None)  # one form: `examples`
                body["examples"] = {"worked": {**worked, "value": example["body"]}}
            answer = operation.get("responses", {}).get("200", {}).get("content", {})
            if answer_type in answer and "response" in example:
                answer[answer_type].pop("example", None)
                answer[answer_type]["examples"] = {
                    "worked": {**worked, "value": example["response"]}
                }

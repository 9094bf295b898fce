"""The OpenAPI document as integration developers use it.

It is valid OpenAPI 3.1 (openapi-spec-validator), every reference in it
resolves, and openapi-python-client (run offline, from the pinned package)
generates a client from it without leaving anything out; that client then
calls every operation of the document against the app and reads each answer
into its typed model (or, for iCalendar and NDJSON, as text and bytes).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from app.main import app

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "openapi" / "openapi.json"
CONFIG = ROOT / "openapi" / "python-client.yaml"
PACKAGE = "children_timescales_client"
BIN = Path(sys.executable).parent

CASE = {
    "authority": "gloucestershire",
    "as_of": "2026-11-23",
    "child": {"date_of_birth": "2015-05-01"},
    # No `scheduled`: a generated client must not insist on a defaulted field.
    "events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}],
}


def _document() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch", "head", "options"}:
                yield method, path, operation


# -- the document -------------------------------------------------------------------------------


def test_the_committed_document_is_valid_openapi_3_1():
    doc = _document()
    assert doc["openapi"].startswith("3.1.")
    validate(doc, cls=OpenAPIV31SpecValidator)


def test_the_served_document_is_valid_openapi_3_1():
    with TestClient(app) as client:
        served = client.get("/openapi.json").json()
    validate(served, cls=OpenAPIV31SpecValidator)


def _refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:  # bounded: each node of the (finite, tree-shaped) JSON is visited once
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                yield item["$ref"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def test_the_document_with_credentials_required_is_valid_openapi_3_1():
    from tests.test_security_support import API_KEYS, build_app

    document = build_app(auth_required=True, api_keys=API_KEYS).openapi()
    assert document["components"]["securitySchemes"]
    validate(document, cls=OpenAPIV31SpecValidator)


def test_every_reference_resolves():
    """openapi-spec-validator passes a request body whose $ref names no schema
    (the issue's OverdueRequest): each reference is looked up here."""
    doc = _document()
    refs = set(_refs(doc))
    assert "#/components/schemas/OverdueRequest" in refs  # the one that did not resolve
    for ref in sorted(refs):
        assert ref.startswith("#/"), ref
        node: Any = doc
        for part in ref[2:].split("/"):
            assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
            node = node[part]


def test_a_field_with_a_default_is_never_required():
    """A generator makes a required field compulsory in every request it builds."""
    schemas = _document()["components"]["schemas"]
    wrong = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        for field, prop in schema.get("properties", {}).items()
        if "default" in prop and field in schema.get("required", [])
    ]
    assert wrong == []
    assert "scheduled" not in schemas["EventIn"].get("required", [])
    assert schemas["EventIn"]["properties"]["scheduled"]["default"] is False


def test_each_answer_and_body_has_one_media_type():
    """One media type per success answer and per body: a generator types the
    answer from it (not "model or string") and knows how to send the body."""
    doc = _document()
    seen = {}
    for method, path, operation in _operations(doc):
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                assert len(response.get("content", {})) <= 1, (method, path, status)
                seen[operation["operationId"]] = list(response.get("content", {}))
        body = operation.get("requestBody", {}).get("content", {})
        assert len(body) <= 1, (method, path)
    assert seen["compute_deadlines"] == ["application/json"]
    assert seen["compute_deadlines_icalendar"] == ["text/calendar"]
    assert seen["list_overdue"] == ["application/json"]
    assert seen["list_overdue_ndjson"] == ["application/x-ndjson"]


# -- a generated client -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("client") / "generated"
    # The generator runs ruff on what it writes: the project's pinned ruff, on PATH.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(DOCUMENT),
            "--config",
            str(CONFIG),
            "--output-path",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    printed = run.stdout + run.stderr
    assert run.returncode == 0, printed
    # It says "Warning(s) encountered" (and generates the rest) when it skips
    # an operation, a body or an answer it cannot read.
    assert "warning" not in printed.lower(), printed
    assert "ruff is not in path" not in printed.lower(), printed
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


class Calls:
    """The generated client's operations, each call recorded by operation id."""

    def __init__(self, package: ModuleType, http: TestClient) -> None:
        self.package = package
        self.client = package.Client(base_url="http://testserver").set_httpx_client(http)
        self.called: set[str] = set()

    def __call__(self, tag: str, operation_id: str, *args: Any, **kwargs: Any) -> Any:
        module = importlib.import_module(f"{self.package.__name__}.api.{tag}.{operation_id}")
        answer = module.sync_detailed(*args, client=self.client, **kwargs)
        assert answer.status_code == 200, (operation_id, answer.content[:500])
        self.called.add(operation_id)
        return answer.parsed

    def model(self, name: str) -> Any:
        return getattr(importlib.import_module(f"{self.package.__name__}.models"), name)


def test_the_generated_client_calls_every_operation(generated):
    with TestClient(app) as http:
        call = Calls(generated, http)
        m = call.model
        types = importlib.import_module(f"{PACKAGE}.types")

        status = call("status", "get_status")
        assert isinstance(status, m("Status"))

        calendars = call("calendars", "list_calendars")
        assert sorted(c.id for c in calendars) == [
            "england-and-wales",
            "northern-ireland",
            "scotland",
        ]
        england = m("CalendarId").ENGLAND_AND_WALES
        assert call("calendars", "get_calendar", england).id == "england-and-wales"
        holidays = call(
            "calendars",
            "list_holidays",
            england,
            start=dt.date(2026, 12, 1),
            end=dt.date(2026, 12, 31),
        )
        assert [h.date for h in holidays] == [dt.date(2026, 12, 25), dt.date(2026, 12, 28)]
        added = call("calendars", "add_working_days", england, date=dt.date(2026, 12, 24), days=1)
        assert isinstance(added, m("AddWorkingDaysOut"))
        assert added.result == dt.date(2026, 12, 29)
        between = call(
            "calendars",
            "working_days_between",
            england,
            start=dt.date(2026, 12, 24),
            end=dt.date(2026, 12, 29),
        )
        assert between.working_days == 1
        day = call("calendars", "get_working_day", england, date=dt.date(2026, 12, 25))
        assert day.working_day is False and day.next_working_day == dt.date(2026, 12, 29)

        authorities = call("catalogue", "list_authorities")
        assert "gloucestershire" in [a.id for a in authorities]
        assert call("catalogue", "get_authority", "gloucestershire").id == "gloucestershire"
        documents = call(
            "catalogue", "list_documents", authority=m("ListDocumentsAuthority").GLOUCESTERSHIRE
        )
        assert documents and all(isinstance(d, m("Document")) for d in documents)
        tree = call("catalogue", "get_document", documents[0].id)
        assert isinstance(tree, m("DocumentTree"))
        page = call("catalogue", "list_standards", limit=2)
        assert isinstance(page, m("Page")) and len(page.items) == 2 and page.total > 2
        standard = call("catalogue", "get_standard", page.items[0].id)
        assert isinstance(standard, m("StandardDetail"))
        themes = call("catalogue", "list_themes")
        assert themes and isinstance(call("catalogue", "get_theme", themes[0].id), m("ThemeDetail"))

        timescales = call("timescales", "list_timescales")
        assert timescales and all(isinstance(t, m("Timescale")) for t in timescales)
        rule = call("timescales", "get_timescale", timescales[0].id)
        assert rule.id == timescales[0].id
        requirement = call("timescales", "compare_requirement", timescales[0].requirement)
        assert isinstance(requirement, m("Requirement"))

        west_sussex = m("GetConformanceRuleset").WEST_SUSSEX
        vectors = call("conformance", "get_conformance", ruleset=west_sussex)
        assert isinstance(vectors, m("ConformanceDocument")) and vectors.vectors
        assert {v.ruleset for v in vectors.vectors} == {"west-sussex"}
        schema = call("conformance", "get_conformance_schema").to_dict()
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

        request = m("DeadlinesRequest").from_dict(CASE)
        deadlines = call("deadlines", "compute_deadlines", body=request)
        assert isinstance(deadlines, m("DeadlinesResponse"))
        assert deadlines.authority == "gloucestershire" and deadlines.deadlines
        assert deadlines.as_of == dt.date(2026, 11, 23)

        ics = call("deadlines", "compute_deadlines_icalendar", body=request)
        assert isinstance(ics, str)
        assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
        open_deadlines = [
            d for d in deadlines.deadlines if d.status.value in ("upcoming", "overdue", "due_today")
        ]
        assert ics.count("BEGIN:VEVENT") == len(open_deadlines) > 0

        header = {"authority": "gloucestershire", "as_of": "2026-11-23"}
        case = {"case_id": "C-1", "child": CASE["child"], "events": CASE["events"]}
        overdue = call(
            "deadlines",
            "list_overdue",
            body=m("OverdueRequest").from_dict({**header, "cases": [case]}),
        )
        assert isinstance(overdue, m("OverdueResponse"))
        assert overdue.cases == 1 and overdue.problems == []

        ndjson = "\n".join(json.dumps(line) for line in (header, case)).encode() + b"\n"
        streamed = call(
            "deadlines", "list_overdue_ndjson", body=types.File(payload=io.BytesIO(ndjson))
        )
        assert isinstance(streamed, types.File)
        lines = [json.loads(line) for line in streamed.payload.read().splitlines()]
        assert lines[-1]["summary"]["cases"] == 1
        assert lines[-1]["summary"]["deadlines"] == len(overdue.deadlines)
        assert lines[-1]["summary"]["problems"] == 0

        # What moves if 26 Nov 2026 were a closed day: the case's counts that pass it.
        what_if = call(
            "deadlines",
            "what_if",
            body=m("WhatIfRequest").from_dict(
                {**header, "change": {"closed_days_added": ["2026-11-26"]}, "cases": [case]}
            ),
        )
        assert isinstance(what_if, m("WhatIfResponse"))
        assert what_if.cases == 1 and what_if.problems == []

    documented = {operation["operationId"] for _, _, operation in _operations(_document())}
    assert call.called == documented


def test_schemathesis_generates_the_json_caseload():
    """The body of POST /v1/overdue resolves, so schemathesis (tests/test_openapi_fuzz.py)
    sends caseloads to it; with the dangling reference it sent nothing and passed."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_dict(_document())
    bodies: list[Any] = []

    @given(case=schema["/v1/overdue"]["POST"].as_strategy())
    @settings(max_examples=10, database=None, suppress_health_check=list(HealthCheck))
    def collect(case: Any) -> None:
        bodies.append(case.body)

    collect()
    assert bodies and all(
        isinstance(b, dict) and isinstance(b.get("cases"), list) and "authority" in b
        for b in bodies
    )

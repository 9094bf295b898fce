"""The service around the domain: status, problems for every failure, limits, logs."""

import json
import logging
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import app, create_app

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_is_outside_the_schema(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert "/healthz" not in app.openapi()["paths"]


def test_status(client):
    body = client.get("/v1/status").json()
    assert body["version"]
    assert body["bank_holidays"]["published_years"] == {"first": 2012, "last": 2028}
    assert body["bank_holidays"]["projected_years"] == {"first": 2029, "last": 2060}
    assert len(body["bank_holidays"]["sha256"]) == 64
    assert body["bank_holidays"]["last_updated"]


def test_unknown_path_is_a_404_problem(client):
    r = client.get("/v1/nowhere")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith(":not-found")


def test_wrong_method_is_a_405_problem(client):
    r = client.delete("/v1/calendars")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"
    assert "GET" in r.headers["allow"]


def test_oversized_body_is_a_413_problem(client):
    r = client.post("/v1/calendars", content=b"x" * (5 * 1024 * 1024))
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert "4194304 bytes" in r.json()["detail"]


def test_oversized_chunked_body_is_a_413_problem(client):
    def chunks():
        for _ in range(80):
            yield b"y" * 65536

    r = client.post("/v1/calendars", content=chunks())
    assert r.status_code in (405, 413)  # the route may answer before reading; never a 500
    assert r.headers["content-type"] == "application/problem+json"


def test_unexpected_errors_are_a_bare_500_problem():
    broken = create_app()

    @broken.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    with TestClient(broken, raise_server_exceptions=False) as c:
        r = c.get("/v1/boom")
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert "secret" not in r.text and "RuntimeError" not in r.text


def test_the_log_of_a_bug_does_not_repeat_its_message(caplog):
    broken = create_app()

    @broken.get("/v1/boom")
    def boom(born: str = "2012-04-02") -> None:
        raise ValueError(f"case C-12, child born {born}")

    with caplog.at_level(logging.ERROR), TestClient(broken, raise_server_exceptions=False) as c:
        c.get("/v1/boom")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unhandled ValueError" in logged and "2012-04-02" not in logged


def test_request_log_has_no_query_string_or_body(client, caplog):
    with caplog.at_level(logging.INFO, logger="app.requests"):
        client.get("/v1/calendars/england-and-wales/working-day", params={"date": "2024-01-05"})
        client.post("/v1/calendars", json={"child": "Jane Doe 2012-04-02"})
    lines = [r.getMessage() for r in caplog.records if r.name == "app.requests"]
    # The route template, not the path: an id in a path could be case data.
    assert lines[0].startswith("GET /v1/calendars/{calendar_id}/working-day 200 ")
    assert all("2024-01-05" not in line and "Jane" not in line for line in lines)


def test_problem_responses_are_declared_in_the_schema():
    schema = app.openapi()
    op = schema["paths"]["/v1/calendars/{calendar_id}/add-working-days"]["get"]
    assert "application/problem+json" in op["responses"]["422"]["content"]
    assert "Problem" in schema["components"]["schemas"]


def test_committed_openapi_matches_the_app():
    committed = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    assert committed == app.openapi(), "run `make openapi` and commit openapi/openapi.json"

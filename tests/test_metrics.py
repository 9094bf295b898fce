"""Prometheus metrics (app/metrics.py): what is counted, with which labels,
and that no case data, path or query string ever reaches /metrics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app import metrics
from app.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
MARKER = "Zebedee-Quinn-2019-04-01"  # stands for case data: must never reach /metrics

Key = tuple[str, tuple[tuple[str, str], ...]]


def scrape(client: TestClient) -> dict[Key, float]:
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    return parse(r.text)


def parse(text: str) -> dict[Key, float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict[Key, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def requests(samples: dict[Key, float], method: str, route: str, status: int) -> float:
    return value(samples, "http_requests_total", method=method, route=route, status=str(status))


def test_requests_are_counted_by_method_route_template_and_status(client: TestClient) -> None:
    before = scrape(client)
    assert client.get("/v1/calendars/england-and-wales").status_code == 200
    assert client.get("/v1/calendars/scotland").status_code == 200
    assert client.get("/v1/calendars/nowhere").status_code == 422
    assert client.get("/v1/nothing-here").status_code == 404
    assert client.head("/v1/authorities").status_code == 200
    assert client.request("PROPFIND", "/v1/authorities").status_code == 405
    after = scrape(client)
    route = "/v1/calendars/{calendar_id}"
    deltas = {
        (m, r, s): requests(after, m, r, s) - requests(before, m, r, s)
        for m, r, s in [
            ("GET", route, 200),
            ("GET", route, 422),
            ("GET", "(no route)", 404),
            ("HEAD", "/v1/authorities", 200),
            ("(other method)", "/v1/authorities", 405),
        ]
    }
    assert deltas == {
        ("GET", route, 200): 2,
        ("GET", route, 422): 1,
        ("GET", "(no route)", 404): 1,
        ("HEAD", "/v1/authorities", 200): 1,
        ("(other method)", "/v1/authorities", 405): 1,
    }
    # No label carries the path or the method the caller sent.
    text = client.get("/metrics").text
    assert "england-and-wales" not in text and "PROPFIND" not in text
    assert "nothing-here" not in text


def test_durations_are_a_histogram_by_method_and_route(client: TestClient) -> None:
    labels = {"method": "GET", "route": "/v1/themes"}
    before = scrape(client)
    for _ in range(3):
        assert client.get("/v1/themes").status_code == 200
    after = scrape(client)
    count = "http_request_duration_seconds_count"
    assert value(after, count, **labels) - value(before, count, **labels) == 3
    total = "http_request_duration_seconds_sum"
    assert value(after, total, **labels) > value(before, total, **labels)
    buckets = [
        value(after, "http_request_duration_seconds_bucket", le=le, **labels)
        for le in [*(repr(float(b)) for b in metrics.DURATION_BUCKETS), "+Inf"]
    ]
    assert buckets == sorted(buckets) and buckets[-1] == value(after, count, **labels)


def test_no_case_data_path_or_query_reaches_metrics(client: TestClient) -> None:
    case = {
        "authority": "gloucestershire",
        "as_of": "2026-11-23",
        "child": {"date_of_birth": "2019-04-01"},
        "events": [{"type": "referral_received", "date": "2026-10-01", "ref": MARKER}],
    }
    assert client.post("/v1/deadlines", json=case, params={"dob": MARKER}).status_code == 200
    caseload = {
        "authority": "gloucestershire",
        "as_of": "2026-11-23",
        "cases": [
            {"case_id": MARKER, "events": case["events"]},
            {"case_id": MARKER + "-bad", "events": [{"type": MARKER, "date": "2026-10-01"}]},
        ],
    }
    assert client.post("/v1/overdue", json=caseload).status_code == 200
    assert client.get(f"/v1/authorities/{MARKER.lower()}").status_code == 404
    assert client.get("/v1/authorities", params={"q": MARKER}).status_code == 200
    text = client.get("/metrics").text
    assert MARKER not in text and MARKER.lower() not in text
    assert "2019-04-01" not in text and "2026-10-01" not in text
    samples = parse(text)
    assert requests(samples, "GET", "/v1/authorities/{authority_id}", 404) >= 1
    assert requests(samples, "POST", "/v1/deadlines", 200) >= 1


def test_metrics_is_not_in_the_openapi_document(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


# -- the case counts ---------------------------------------------------------------------


@dataclass
class Deadline:
    status: str


@dataclass
class NotEvaluated:
    reason: str


@dataclass
class Assessment:
    deadlines: list[Deadline]
    not_evaluated: list[NotEvaluated]


def case_counts() -> dict[Key, float]:
    return parse(metrics.exposition().decode())


def test_count_case_adds_one_case_and_its_deadlines_by_status() -> None:
    before = case_counts()
    metrics.count_case(
        "overdue",
        Assessment(
            [Deadline("overdue"), Deadline("overdue"), Deadline("due_today"), Deadline("?")],
            [NotEvaluated("date_of_birth_needed"), NotEvaluated("date_of_birth_needed")],
        ),
    )
    metrics.count_case("overdue", Assessment([Deadline("met")], []))
    metrics.count_case_problem("overdue")
    metrics.count_case("made-up", Assessment([], []))
    after = case_counts()

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("timescales_cases_total", endpoint="overdue", outcome="assessed") == 2
    assert delta("timescales_cases_total", endpoint="overdue", outcome="problem") == 1
    assert delta("timescales_cases_total", endpoint="other", outcome="assessed") == 1
    statuses = {
        s: delta("timescales_deadlines_total", endpoint="overdue", status=s)
        for s in ("overdue", "due_today", "met", "upcoming", "other")
    }
    assert statuses == {"overdue": 2, "due_today": 1, "met": 1, "upcoming": 0, "other": 1}
    reason = {"endpoint": "overdue", "reason": "date_of_birth_needed"}
    assert delta("timescales_rules_not_evaluated_total", **reason) == 2


def test_count_case_reads_the_domain_assessment() -> None:
    # The real CaseAssessment of app/domain/deadlines.py, as a router would pass it.
    from app.calendars import bank_holiday_data
    from app.catalogue.data import catalogue
    from app.domain.deadlines import assess_case, context
    from app.reference import rulebook
    from app.routers.deadline_models import DeadlinesRequest

    body = DeadlinesRequest.model_validate(
        {
            "authority": "gloucestershire",
            "as_of": "2026-11-23",
            "events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}],
        }
    )
    ctx = context(
        rulebook(),
        catalogue(),
        bank_holiday_data().calendars,
        body.authority,
        body.calendar,
        body.closed_days,
        body.as_of,
    )
    answer = assess_case(ctx, rulebook(), body.child.date_of_birth, body.events)
    before = case_counts()
    metrics.count_case("deadlines", answer)
    after = case_counts()
    counted = sum(
        value(after, "timescales_deadlines_total", endpoint="deadlines", status=s)
        - value(before, "timescales_deadlines_total", endpoint="deadlines", status=s)
        for s in (*metrics.STATUSES, metrics.OTHER)
    )
    assert answer.deadlines and counted == len(answer.deadlines)
    assert value(after, "timescales_deadlines_total", endpoint="deadlines", status="other") == (
        value(before, "timescales_deadlines_total", endpoint="deadlines", status="other")
    )


# -- settings and several processes ------------------------------------------------------


@pytest.fixture
def metrics_off(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from app.main import create_app

    monkeypatch.setenv("METRICS_ENABLED", "false")
    get_settings.cache_clear()
    try:
        with TestClient(create_app()) as c:
            yield c
    finally:
        get_settings.cache_clear()


def test_metrics_can_be_switched_off(metrics_off: TestClient) -> None:
    r = metrics_off.get("/metrics")
    assert r.status_code == 404
    assert r.json()["type"] == "urn:children-timescales:problem:not-found"


WORKER = """
import sys
from app import metrics
for _ in range(int(sys.argv[1])):
    metrics.observe_request("GET", "/v1/themes", 200, 0.02)
metrics.count_case_problem("overdue")
"""


def test_multiprocess_mode_adds_up_every_process(tmp_path: Path) -> None:
    # As with WORKERS=2: two processes count into one directory, and the
    # exposition of a third reads both.
    env = {**os.environ, metrics.MULTIPROC_ENV: str(tmp_path)}
    for n in ("3", "4"):
        subprocess.run([sys.executable, "-c", WORKER, n], cwd=ROOT, env=env, check=True)
    reader = "from app import metrics; import sys; sys.stdout.write(metrics.exposition().decode())"
    out = subprocess.run(
        [sys.executable, "-c", reader], cwd=ROOT, env=env, check=True, capture_output=True
    ).stdout.decode()
    samples = parse(out)
    assert requests(samples, "GET", "/v1/themes", 200) == 7
    labels = {"method": "GET", "route": "/v1/themes"}
    assert value(samples, "http_request_duration_seconds_count", **labels) == 7
    assert value(samples, "http_request_duration_seconds_bucket", le="0.025", **labels) == 7
    assert value(samples, "http_request_duration_seconds_bucket", le="0.01", **labels) == 0
    assert value(samples, "timescales_cases_total", endpoint="overdue", outcome="problem") == 2


def test_the_case_endpoints_count_cases_and_deadlines(client: TestClient) -> None:
    """The routers report every case they assess or refuse, by endpoint."""
    case = {
        "case_id": "C-1",
        "events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}],
    }
    header = {"authority": "gloucestershire", "as_of": "2026-11-23"}
    before = scrape(client)
    one = client.post("/v1/deadlines", json={**header, "events": case["events"]})
    assert one.status_code == 200
    listed = client.post("/v1/overdue", json={**header, "cases": [case, {"case_id": "bad"}]})
    assert listed.status_code == 200
    ndjson = "\n".join(json.dumps(x) for x in (header, case, case, {"case_id": 5})) + "\n"
    streamed = client.post(
        "/v1/overdue", content=ndjson, headers={"content-type": "application/x-ndjson"}
    )
    assert streamed.status_code == 200
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("timescales_cases_total", endpoint="deadlines", outcome="assessed") == 1
    assert delta("timescales_cases_total", endpoint="overdue", outcome="assessed") == 3
    assert delta("timescales_cases_total", endpoint="overdue", outcome="problem") == 2
    counted = sum(
        delta("timescales_deadlines_total", endpoint="deadlines", status=s)
        for s in sorted(metrics.STATUSES | {"other"})
    )
    assert counted == len(one.json()["deadlines"]) > 0

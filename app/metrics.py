"""Prometheus metrics at GET /metrics: counts and durations, never case data.

What is counted:

* `http_requests_total{method, route, status}` and
  `http_request_duration_seconds{method, route}` (a histogram), observed by
  the request-log middleware (app/middleware.py), so that the metrics and the
  log line of a request always agree. `route` is the route template
  (`/v1/calendars/{calendar_id}`) or `(no route)`, never the path sent; the
  method is one of the known methods or `(other method)`: a caller cannot
  make new label values, so the number of series stays bounded.
* `timescales_cases_total{endpoint, outcome}`, `timescales_deadlines_total
  {endpoint, status}` and `timescales_rules_not_evaluated_total{endpoint,
  reason}`: how many cases were assessed (or refused as a problem) and how
  many deadlines each status had, counted by `count_case()` and
  `count_case_problem()` from the deadline endpoints. Numbers only: no ref,
  id, date or rule of any case.

With several worker processes (`WORKERS` > 1, `python -m app.server`) the
server sets PROMETHEUS_MULTIPROC_DIR before the workers start and every
worker writes its counts there (prometheus-client's multiprocess mode), so a
scrape of any worker answers for the whole pod. Without it (one worker,
tests) the counts are this process's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# The text format every Prometheus reads (0.0.4); generate_latest writes it.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# No `_created` series (a timestamp per label set): they double the text,
# Prometheus does not need them, and multiprocess mode has none.
disable_created_metrics()  # type: ignore[no-untyped-call]

# A registry of our own: importing the app twice (tests) registers nothing
# twice, and no collector of another library ends up on /metrics.
REGISTRY = CollectorRegistry(auto_describe=True)

# From 5 ms (a reference lookup) to a minute (a caseload of tens of thousands).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by method, route template and status.",
    ("method", "route", "status"),
    registry=REGISTRY,
)
DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template.",
    ("method", "route"),
    buckets=DURATION_BUCKETS,
    registry=REGISTRY,
)
CASES = Counter(
    "timescales_cases",
    "Cases received by the deadline endpoints: assessed, or answered with a problem.",
    ("endpoint", "outcome"),
    registry=REGISTRY,
)
DEADLINES = Counter(
    "timescales_deadlines",
    "Deadlines computed for assessed cases, by status (POST /v1/overdue computes open ones).",
    ("endpoint", "status"),
    registry=REGISTRY,
)
NOT_EVALUATED = Counter(
    "timescales_rules_not_evaluated",
    "Rules that applied to an assessed case but set no deadline, by reason.",
    ("endpoint", "reason"),
    registry=REGISTRY,
)

# Label values are fixed sets, so that nothing a caller sends becomes a label.
ENDPOINTS = frozenset({"deadlines", "overdue"})
STATUSES = frozenset({"upcoming", "due_today", "overdue", "met", "met_late"})
REASONS = frozenset(
    {
        "anchor_not_posted",
        "date_of_birth_needed",
        "attribute_needed",
        "not_computable",
        "history_starts_after_anchor",
    }
)
OTHER = "other"


class _Deadline(Protocol):
    @property
    def status(self) -> str: ...


class _NotEvaluated(Protocol):
    @property
    def reason(self) -> str: ...


class _Assessment(Protocol):
    """What `count_case` reads of app.domain.deadlines.CaseAssessment."""

    @property
    def deadlines(self) -> Sequence[_Deadline]: ...

    @property
    def not_evaluated(self) -> Sequence[_NotEvaluated]: ...


# The labelled children, looked up once each: `labels()` takes a lock and
# builds a key every call, which was most of the cost of counting a request.
# Bounded: the label values are the fixed sets above and the route table.
_requests: dict[tuple[str, str, int], tuple[Any, Any]] = {}
_cases: dict[tuple[str, str], Any] = {}
_deadlines: dict[tuple[str, str], Any] = {}
_not_evaluated: dict[tuple[str, str], Any] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """One answered request (called by RequestLogMiddleware with its own labels)."""
    key = (method, route, status)
    children = _requests.get(key)
    if children is None:
        children = _requests.setdefault(
            key, (REQUESTS.labels(method, route, str(status)), DURATION.labels(method, route))
        )
    children[0].inc()
    children[1].observe(seconds)


def count_case(endpoint: str, assessment: _Assessment) -> None:
    """One case assessed by `endpoint` ("deadlines" or "overdue"): its
    deadlines by status and its rules not evaluated by reason. Adds each
    status once per case, not once per deadline (a caseload has many)."""
    where = _endpoint(endpoint)
    _child(_cases, CASES, where, "assessed").inc()
    if assessment.deadlines:
        for status, n in _count(d.status for d in assessment.deadlines).items():
            known = status if status in STATUSES else OTHER
            _child(_deadlines, DEADLINES, where, known).inc(n)
    if assessment.not_evaluated:
        for reason, n in _count(r.reason for r in assessment.not_evaluated).items():
            known = reason if reason in REASONS else OTHER
            _child(_not_evaluated, NOT_EVALUATED, where, known).inc(n)


def count_case_problem(endpoint: str) -> None:
    """One case of `endpoint` answered with a problem instead of deadlines."""
    _child(_cases, CASES, _endpoint(endpoint), "problem").inc()


def _child(cache: dict[tuple[str, str], Any], metric: Counter, first: str, second: str) -> Any:
    found = cache.get((first, second))
    if found is None:
        found = cache.setdefault((first, second), metric.labels(first, second))
    return found


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _endpoint(endpoint: str) -> str:
    return endpoint if endpoint in ENDPOINTS else OTHER


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or os.environ.get(MULTIPROC_ENV.lower()) or None


def exposition() -> bytes:
    """The text for GET /metrics: every worker's counts in multiprocess mode."""
    directory = multiprocess_dir()
    if directory is None:
        return generate_latest(REGISTRY)
    # A fresh registry per scrape reads every worker's files (the documented
    # use): the counts of this process are in its own file like the others'.
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return generate_latest(registry)


def add_metrics_route(app: FastAPI) -> None:
    """GET (and HEAD) /metrics, outside the OpenAPI document. Public, like the
    probes (app/security/ lists it in ALWAYS_PUBLIC): it holds counts only;
    keep it off the ingress (README, "Metrics")."""

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(exposition(), media_type=CONTENT_TYPE)

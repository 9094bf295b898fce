"""p50 and p90 server time of the deadline calculator and the calendar pages, in process.

Each request is made ROUNDS times through the whole app (middleware, security
headers, the computation, rendering) with TestClient after a warm-up; the time
is the request's wall time in this process, so no network. The realistic case:
a child protection case over four months (strategy discussion, section 47,
initial conference, plan, core groups, visits, the first review) with the
council's own standards on top of the baseline. Not a test: figures for the README.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import statistics
import time
from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient
from openpyxl import Workbook

from app.main import create_app

ROUNDS = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVENTS = [
    ("referral_received", "2026-06-01"),
    ("strategy_discussion_held", "2026-06-03"),
    ("s47_started", "2026-06-03"),
    ("s47_completed", "2026-06-17"),
    ("icpc_held", "2026-06-24"),
    ("cp_plan_started", "2026-06-24"),
    ("statutory_visit", "2026-07-01"),
    ("core_group_held", "2026-07-06"),
    ("statutory_visit", "2026-07-14"),
    ("statutory_visit", "2026-07-28"),
    ("core_group_held", "2026-08-17"),
    ("statutory_visit", "2026-08-11"),
    ("rcpc_held", "2026-09-16"),
]
REQUEST = {
    "authority": "redcar-and-cleveland",
    "as_of": "2026-10-01",
    "events": [{"type": t, "date": d} for t, d in EVENTS],
}
FORM = {
    "source": "form",
    "authority": REQUEST["authority"],
    "as_of": REQUEST["as_of"],
    "event_rows": str(len(EVENTS)),
    "action": "calculate",
    **{f"event-{i}-type": t for i, (t, _) in enumerate(EVENTS)},
    **{f"event-{i}-date": d for i, (_, d) in enumerate(EVENTS)},
    "event-3-icpc_required": "yes",
}


def _workbook() -> bytes:
    """An Annex A List 7 of 20 children on child protection plans."""
    header = [
        "Child Unique ID",
        "Date of Birth",
        "Child Protection Plan Start Date",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Allocated Team",
        "Allocated Worker",
    ]
    d = dt.datetime.fromisoformat  # a date cell as openpyxl reads one back
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("List 7 - Child Protection")
    ws.append(header)
    for n in range(20):
        plan, visit, review = d("2026-06-01"), d("2026-09-14"), d("2026-09-01")
        ws.append([f"C{n}", d("2015-05-05"), plan, visit, "Yes", review, None, "North", "W"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    client = TestClient(create_app())
    logging.disable(logging.INFO)  # the request log would dominate the timings
    book = _workbook()
    requests: list[tuple[str, Callable[[], httpx.Response]]] = [
        ("GET /calculator (the form)", lambda: client.get("/calculator")),
        ("POST /calculator, form, 13 events", lambda: client.post("/calculator", data=FORM)),
        (
            "POST /calculator, add another event",
            lambda: client.post("/calculator", data={**FORM, "action": "add-event"}),
        ),
        (
            "POST /calculator, pasted JSON",
            lambda: client.post(
                "/calculator", data={"source": "json", "request_json": json.dumps(REQUEST)}
            ),
        ),
        (
            "POST /calculator, Annex A (20 children)",
            lambda: client.post(
                "/calculator",
                data={
                    "source": "annex_a",
                    "authority": "redcar-and-cleveland",
                    "as_of": "2026-10-01",
                    "child": "C7",
                },
                files={"workbook": ("annex-a.xlsx", book, XLSX)},
            ),
        ),
        (
            "POST /calculator/download, CSV",
            lambda: client.post(
                "/calculator/download",
                data={"request_json": json.dumps(REQUEST), "format": "csv"},
            ),
        ),
        (
            "POST /v1/deadlines (the API, same case)",
            lambda: client.post("/v1/deadlines", json=REQUEST),
        ),
        (
            "GET /calendars/england-and-wales?year=2022",
            lambda: client.get("/calendars/england-and-wales?year=2022"),
        ),
    ]
    for label, call in requests:
        for _ in range(3):
            response = call()
            assert response.status_code == 200, (label, response.text[:500])
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        q = statistics.quantiles(times, n=10)
        print(f"{label:45} p50 {statistics.median(times):6.1f} ms  p90 {q[8]:6.1f} ms")


if __name__ == "__main__":
    main()

"""Benchmark: overdue lists for a synthetic caseload, in-process and over HTTP.

    python scripts/bench_deadlines.py [--cases 10000] [--single 1000]

1. In-process, one core: the overdue computation for every case (engine
   only, then including the request models' validation).
2. Through the API with a real uvicorn server (one worker) on 127.0.0.1:
   POST /v1/overdue as JSON (1,000 cases a request) and as one streamed
   NDJSON request; then single-case POST /v1/deadlines one after another,
   reporting p50 and p99 latency.

Prints figures; asserts nothing about speed (it checks only that the JSON and
NDJSON answers agree). The caseload is scripts/synthetic_caseload.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from local_server import free_port, uvicorn_command, wait_until_up  # noqa: E402
from synthetic_caseload import AS_OF, generate  # noqa: E402

from app.catalogue.data import catalogue  # noqa: E402
from app.domain.deadlines import assess_case, context, overdue_horizon, overdue_only  # noqa: E402
from app.domain.rules import rulebook  # noqa: E402
from app.routers.deadline_models import CaseIn  # noqa: E402

AUTHORITY = "gloucestershire"


def in_process(cases: list[dict], runs: int) -> tuple[float, float, int]:
    book = rulebook()
    ctx = context(book, catalogue(), AUTHORITY, None, [], AS_OF)
    horizon = overdue_horizon(ctx, 0)
    models = [CaseIn.model_validate(c) for c in cases]
    engine = 0.0
    for _ in range(runs):  # the best of several runs: the machine may be shared
        started = time.perf_counter()
        found = 0
        for case in models:
            found += len(
                overdue_only(
                    assess_case(ctx, book, case.child, case.events, open_only=True).deadlines,
                    horizon,
                )
            )
        engine = max(engine, len(cases) / (time.perf_counter() - started))
    started = time.perf_counter()
    for raw in cases:
        case = CaseIn.model_validate(raw)
        overdue_only(
            assess_case(ctx, book, case.child, case.events, open_only=True).deadlines, horizon
        )
    with_models = len(cases) / (time.perf_counter() - started)
    return engine, with_models, found


def serve() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        uvicorn_command("127.0.0.1", port), cwd=ROOT, env={**os.environ, "LOG_LEVEL": "WARNING"}
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(server, url)
    return server, url


def over_http(url: str, cases: list[dict], single: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with httpx.Client(base_url=url, timeout=300) as client:
        started = time.perf_counter()
        json_rows = []
        json_unassessed = 0
        for i in range(0, len(cases), 1000):
            body = {
                "authority": AUTHORITY,
                "as_of": AS_OF.isoformat(),
                "cases": cases[i : i + 1000],
            }
            response = client.post("/v1/overdue", json=body)
            response.raise_for_status()
            answer = response.json()
            assert not answer["problems"], answer["problems"][:1]
            json_rows += answer["deadlines"]
            json_unassessed += len(answer["not_evaluated"])
        figures["json"] = len(cases) / (time.perf_counter() - started)

        header = json.dumps({"authority": AUTHORITY, "as_of": AS_OF.isoformat()})

        def lines():  # type: ignore[no-untyped-def]
            yield (header + "\n").encode()
            for case in cases:
                yield (json.dumps(case) + "\n").encode()

        started = time.perf_counter()
        ndjson_rows = []
        with client.stream(
            "POST", "/v1/overdue", content=lines(), headers={"Content-Type": "application/x-ndjson"}
        ) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if line:
                    ndjson_rows.append(json.loads(line))
        figures["ndjson"] = len(cases) / (time.perf_counter() - started)
        summary = ndjson_rows.pop()["summary"]
        assert summary["cases"] == len(cases) and summary["problems"] == 0, summary
        deadline_rows = [row for row in ndjson_rows if "rule_id" in row]
        assert len(deadline_rows) == len(json_rows), (len(deadline_rows), len(json_rows))
        unassessed = sum(len(row["not_evaluated"]) for row in ndjson_rows if "not_evaluated" in row)
        assert unassessed == json_unassessed == summary["not_evaluated"], unassessed
        figures["overdue"] = len(json_rows)
        figures["not_evaluated"] = unassessed

        latencies = []
        for case in cases[:single]:
            body = {
                "authority": AUTHORITY,
                "as_of": AS_OF.isoformat(),
                "child": case["child"],
                "events": case["events"],
            }
            started = time.perf_counter()
            client.post("/v1/deadlines", json=body).raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        figures["p50"] = statistics.median(latencies)
        figures["p99"] = latencies[int(len(latencies) * 0.99) - 1]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--single", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3, help="in-process runs; the best is shown")
    args = parser.parse_args()
    cases = generate(args.cases)
    events = sum(len(c["events"]) for c in cases) / len(cases)
    print(
        f"{len(cases):,} synthetic cases, {events:.1f} events a case, "
        f"authority {AUTHORITY}, as_of {AS_OF}"
    )

    engine, with_models, found = in_process(cases, args.runs)
    print(
        f"in-process, one core: {engine:,.0f} cases/s (engine), {with_models:,.0f} cases/s "
        f"(with request validation); {found:,} overdue or due today"
    )

    server, url = serve()
    try:
        http = over_http(url, cases, args.single)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"HTTP, uvicorn, 1 worker: {http['json']:,.0f} cases/s as JSON (1,000 cases a request), "
        f"{http['ndjson']:,.0f} cases/s as one streamed NDJSON request; "
        f"{int(http['overdue']):,} rows and {int(http['not_evaluated']):,} rules not evaluated, "
        "JSON and NDJSON agree"
    )
    print(
        f"single case POST /v1/deadlines, {args.single:,} in a row: p50 {http['p50']:.2f} ms, "
        f"p99 {http['p99']:.2f} ms"
    )


if __name__ == "__main__":
    main()

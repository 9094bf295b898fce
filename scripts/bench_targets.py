"""Benchmark: every speed target of issue 13, measured in one run, as one table.

    python scripts/bench_targets.py [--quick] [--national 400000] [--before REV]

Measures, on the synthetic caseload (scripts/synthetic_caseload.py), authority
gloucestershire, as_of its AS_OF:

1. End to end in-process, one core: each case validated with the request
   model (CaseIn), assessed for an overdue list, its compact rows encoded.
2. NDJSON over HTTP (POST /v1/overdue.ndjson), one worker, as one streamed
   request, and its ratio to (1); then 1 and 2 workers each sent the same
   caseload by two clients, 1,000 cases a request on a new connection (so
   that the kernel hands each request to an idle worker), and the ratio.
3. The national caseload: --national cases (400,000, England's children in
   need) in one NDJSON request to one worker: time, the worker's peak RSS,
   and how far that peak grew after the first tenth of the cases (flat
   memory: near 1). The body is made as it is sent, from a pool of distinct
   synthetic cases under new ids, so that neither side holds the caseload;
   a smaller --national is projected to 400,000 linearly.
4. Linear cost: one case of 500 and of 2,000 events for each history of
   scripts/bench_deadlines.py (MIXES), its overdue list (assessed and
   encoded, the best of --runs); the worst 2,000/500 ratio, and the slowest
   overdue list of any case (those, and every case of (1)).
5. Closed days: add_working_days with 3 and 366 caller-named closed days (a
   frozenset, as the engine passes them) against none.
6. Calendar arithmetic: add and between against the table proxy of
   scripts/bench_calendars.py (imported, not copied).
7. Single case POST /v1/deadlines on one keep-alive connection with 1 and 2
   workers (p99); GET /v1/authorities in-process, p50/p99 of its 200s and of
   its 304s (If-None-Match with the ETag it gave), called straight into the
   ASGI app (the target rows) and through TestClient, whose own thread hop
   (GET /healthz: about 2 ms) is more than the 1 ms target (shown, not judged).

Each section runs in its own process with PYTHONPATH at the tree measured.
With --before REV, that revision is checked out beside this tree in a
temporary git worktree, run with this .venv's python, and each section is run
on it and then on this tree, in turn, so that both see the same machine; the
table then has the before figures and after/before. Servers are started as
scripts/loadtest.py does (`python -m app.server` where the tree has it).

Prints figures and ratios; asserts nothing about speed (only that answers
are whole: every case summarised, no problem, agreeing with the proxy).
The default run takes about 5 minutes on a 2-core machine (twice that with
--before); --quick about 1 minute.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import inspect
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
AUTHORITY = "gloucestershire"
NATIONAL = 400_000
SECTIONS = ("in_process", "http", "national", "linear", "calendar", "reference")
SECTION_TIMEOUT = 3600  # seconds: a section that takes longer is stopped

# (figure key, what it is, threshold or None, "min" (at least) / "max" (at most), unit)
ROWS: list[tuple[str, str, float | None, str, str]] = [
    ("in_process", "1 in-process end to end, one core", 10_000, "min", "cases/s"),
    ("ndjson_1w", "2 NDJSON over HTTP, 1 worker, one request", None, "", "cases/s"),
    ("in_process_over_http", "2 in-process / NDJSON 1 worker", 1.5, "max", "x"),
    ("two_over_one", "2 throughput 2 workers / 1 worker", 1.8, "min", "x"),
    ("requests_1w", "  1 worker, 2 clients, 1,000-case requests", None, "", "cases/s"),
    ("requests_2w", "  2 workers, 2 clients, 1,000-case requests", None, "", "cases/s"),
    ("national_s", "3 national caseload, measured", None, "", "s"),
    ("national_400k_s", "3 national caseload, 400,000 cases", 60, "max", "s"),
    ("national_peak_mib", "3 worker peak RSS", None, "", "MiB"),
    ("national_growth", "3 peak RSS at the end / after a tenth", 1.1, "max", "x"),
    ("linear_worst", "4 worst per-case 2,000/500 events", 4, "max", "x"),
    ("linear_placements", "  placements 2,000/500", None, "", "x"),
    ("slowest_case_ms", "4 slowest overdue list of any case", 50, "max", "ms"),
    ("placements_2000_ms", "  placements, 2,000 events", None, "", "ms"),
    ("closed_366", "5 add, 366 closed days / none", 1.5, "max", "x"),
    ("closed_3", "5 add, 3 closed days / none", 1.5, "max", "x"),
    ("closed_366_between", "  between, 366 closed days / none", None, "", "x"),
    ("add_us", "6 add_working_days", None, "", "us"),
    ("add_over_proxy", "6 add / table proxy", 1.5, "max", "x"),
    ("between_us", "6 working_days_between", None, "", "us"),
    ("between_over_proxy", "6 between / table proxy", 1.5, "max", "x"),
    ("single_p99_1w", "7 single case p99, 1 worker", 5, "max", "ms"),
    ("single_p99_2w", "7 single case p99, 2 workers", 5, "max", "ms"),
    ("single_p50_1w", "  single case p50, 1 worker", None, "", "ms"),
    ("authorities_p50", "7 GET /v1/authorities p50, ASGI in-process", 1, "max", "ms"),
    ("authorities_p99", "7 GET /v1/authorities p99, ASGI", 1, "max", "ms"),
    ("authorities_304_p99", "7 GET /v1/authorities 304 p99, ASGI", 1, "max", "ms"),
    ("healthz_p50", "  GET /healthz p50, ASGI (the floor)", None, "", "ms"),
    ("tc_authorities_p99", "  GET /v1/authorities p99, TestClient", None, "", "ms"),
    ("tc_authorities_304_p99", "  GET /v1/authorities 304 p99, TestClient", None, "", "ms"),
    ("tc_healthz_p50", "  GET /healthz p50, TestClient (its floor)", None, "", "ms"),
]
# Which rows say the quick run (or a smaller --national) is not the real thing.
MEASURED_AS = {"national_400k_s": "projected from --national when smaller"}


# -- sizes --------------------------------------------------------------------------------------


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {
            "cases": 1000,
            "runs": 2,
            "http_cases": 2000,
            "single_seconds": 2,
            "linear_runs": 1,
            "calls": 20_000,
            "closed_calls": 4_000,
            "reference": 50,
            "national": 20_000,
            "pool": 2000,
        }
    return {
        "cases": 5000,
        "runs": 3,
        "http_cases": 10_000,
        "single_seconds": 4,
        "linear_runs": 3,
        "calls": 100_000,
        "closed_calls": 20_000,
        "reference": 200,
        "national": NATIONAL,
        "pool": 10_000,
    }


# -- the app of the tree measured (in a section's own process) ---------------------------------


class App:
    """The in-process calls a section needs, from whichever tree is on the
    path: the signatures of context() and assess_case() changed over time."""

    def __init__(self, tree: Path) -> None:
        import app

        where = Path(app.__file__).resolve()
        if tree not in where.parents:
            raise SystemExit(f"app imported from {where}, not from {tree}")
        from app.calendars import bank_holiday_data
        from app.catalogue.data import catalogue
        from app.domain import deadlines
        from app.reference import rulebook
        from app.routers.deadline_models import CaseIn, overdue_row_json

        self.CaseIn = CaseIn
        self.book = rulebook()
        self.deadlines = deadlines
        self.row_json = overdue_row_json
        self.calendars = bank_holiday_data().calendars
        kw: dict[str, Any] = {
            "rulebook": self.book,
            "cat": catalogue(),
            "authority": AUTHORITY,
            "calendar_id": None,
            "closed": [],
            "as_of": self.as_of(),
        }
        if "calendars" in inspect.signature(deadlines.context).parameters:
            kw["calendars"] = self.calendars
        self.ctx = deadlines.context(**kw)
        self.horizon = deadlines.overdue_horizon(self.ctx, 0)
        params = inspect.signature(deadlines.assess_case).parameters
        self.child_param = "child" if "child" in params else "date_of_birth"

    @staticmethod
    def as_of() -> dt.date:
        from synthetic_caseload import AS_OF

        return AS_OF

    def overdue_list(self, case: Any) -> bytes:
        """One validated case's compact overdue rows, encoded."""
        who = case.child if self.child_param == "child" else case.child.date_of_birth
        answer = self.deadlines.assess_case(
            self.ctx, self.book, **{self.child_param: who}, events=case.events, open_only=True
        )
        found = self.deadlines.overdue_only(answer.deadlines, self.horizon)
        return orjson.dumps([self.row_json(d, case.case_id) for d in found])


def in_process(tree: Path, size: dict[str, int]) -> dict[str, float]:
    from synthetic_caseload import generate

    api = App(tree)
    cases = generate(size["cases"])
    best_rate = 0.0
    per_case = [float("inf")] * len(cases)  # each case's best time, seconds
    encoded = 0
    for _ in range(size["runs"]):  # the best of several runs: the machine is shared
        encoded = 0
        started = time.perf_counter()
        for k, raw in enumerate(cases):
            began = time.perf_counter()
            encoded += len(api.overdue_list(api.CaseIn.model_validate(raw)))
            per_case[k] = min(per_case[k], time.perf_counter() - began)
        best_rate = max(best_rate, len(cases) / (time.perf_counter() - started))
    return {
        "in_process": best_rate,
        "caseload_slowest_ms": max(per_case) * 1000,
        "in_process_bytes": encoded,
    }


def linear(tree: Path, size: dict[str, int]) -> dict[str, Any]:
    # Measured, not refused: the budgets of one case are lifted (as
    # bench_deadlines.py --scaling does); set before the app reads them.
    os.environ["CASE_TIME_BUDGET_SECONDS"] = "600"
    os.environ["MAX_DEADLINES_PER_CASE"] = "1000000"
    os.environ["BENCH_TREE"] = str(tree)
    api = App(tree)
    from bench_deadlines import MIXES

    out: dict[str, Any] = {"mixes": {}}
    worst, worst_mix, slowest, slowest_mix = 0.0, "", 0.0, ""
    for name, _, make, born in MIXES:
        times = {}
        for n in (500, 2000):
            raw: dict[str, Any] = {"case_id": f"{name}-{n}", "events": make(n)}
            if born:
                raw["child"] = {"date_of_birth": born}
            case = api.CaseIn.model_validate(raw)
            best = float("inf")
            for _ in range(size["linear_runs"]):
                started = time.perf_counter()
                api.overdue_list(case)
                best = min(best, time.perf_counter() - started)
            times[n] = best
        ratio = times[2000] / times[500]
        out["mixes"][name] = {"ms_500": times[500] * 1000, "ms_2000": times[2000] * 1000}
        if ratio > worst:
            worst, worst_mix = ratio, name
        if times[2000] > slowest:
            slowest, slowest_mix = times[2000], name
    placements = out["mixes"]["placements"]
    out |= {
        "linear_worst": worst,
        "linear_worst_mix": worst_mix,
        "linear_placements": placements["ms_2000"] / placements["ms_500"],
        "placements_2000_ms": placements["ms_2000"],
        "mixes_slowest_ms": slowest * 1000,
        "mixes_slowest_mix": slowest_mix,
    }
    return out


def calendar(tree: Path, size: dict[str, int]) -> dict[str, float]:
    App(tree)  # the tree's app first: bench_calendars then finds it imported
    import bench_calendars

    # bench_calendars puts this checkout first on sys.path; the tree's app is
    # already imported, and nothing else of the app should come from here.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    from app.calendars import bank_holiday_data

    best_us = bench_calendars.best_us
    cal = bank_holiday_data().calendars["england-and-wales"]
    holidays = set(cal.holidays)
    rng = random.Random(1)
    first, last = dt.date(2012, 6, 1).toordinal(), dt.date(2060, 8, 1).toordinal()
    steps = [n for n in range(-60, 61) if n]
    adds = [
        (dt.date.fromordinal(rng.randint(first, last)), rng.choice(steps))
        for _ in range(size["calls"])
    ]
    betweens = []
    for _ in range(size["calls"]):
        start = dt.date.fromordinal(rng.randint(first, last))
        betweens.append((start, start + dt.timedelta(days=rng.randint(-90, 90))))
    base = cal.first.toordinal()
    days = [dt.date.fromordinal(base + i) for i in range(cal.last.toordinal() - base + 1)]
    working = [d.weekday() < 5 and d not in holidays for d in days]
    repeat = 3
    proxy_add, proxy_between = bench_calendars.table_proxy(working, base)
    add_us, ours = best_us(cal.add_working_days, adds, repeat)
    proxy_add_us, theirs = best_us(proxy_add, adds, repeat)
    assert ours == theirs, "add: the calendar and the table proxy disagree"
    between_us, ours = best_us(cal.working_days_between, betweens, repeat)
    proxy_between_us, theirs = best_us(proxy_between, betweens, repeat)
    assert ours == theirs, "between: the calendar and the table proxy disagree"
    out = {
        "add_us": add_us,
        "add_over_proxy": add_us / proxy_add_us,
        "between_us": between_us,
        "between_over_proxy": between_us / proxy_between_us,
    }

    few_adds, few_betweens = adds[: size["closed_calls"]], betweens[: size["closed_calls"]]
    weekdays = [d for d in days if d.weekday() < 5]
    none: frozenset[dt.date] = frozenset()
    none_add, _ = best_us(lambda d, n: cal.add_working_days(d, n, none), few_adds, repeat)
    none_between, _ = best_us(
        lambda s, e: cal.working_days_between(s, e, none), few_betweens, repeat
    )
    for count in (3, 366):
        closed = frozenset(rng.sample(weekdays, count))
        p_add, p_between = bench_calendars.table_proxy(
            [w and d not in closed for d, w in zip(days, working, strict=True)], base
        )
        us, ours = best_us(lambda d, n, c=closed: cal.add_working_days(d, n, c), few_adds, repeat)
        assert ours == [p_add(*a) for a in few_adds], f"add, {count} closed days: disagree"
        out[f"closed_{count}"] = us / none_add
        out[f"closed_{count}_add_us"] = us
        us, ours = best_us(
            lambda s, e, c=closed: cal.working_days_between(s, e, c), few_betweens, repeat
        )
        assert ours == [p_between(*a) for a in few_betweens], f"between, {count}: disagree"
        out[f"closed_{count}_between"] = us / none_between
    return out


async def _asgi_get(app: Any, path: str, headers: dict[str, str], n: int) -> list[float]:
    """n GETs straight into the ASGI app in this event loop, after its start-up:
    the app's own cost, middleware included, without a client's thread hop."""
    events: list[dict[str, Any]] = [{"type": "lifespan.startup"}]
    started_up = asyncio.Event()

    async def life_receive() -> dict[str, Any]:
        if events:
            return events.pop()
        await asyncio.Event().wait()  # until cancelled: the app stays up
        raise AssertionError

    async def life_send(message: dict[str, Any]) -> None:
        if message["type"] == "lifespan.startup.complete":
            started_up.set()
        elif message["type"] == "lifespan.startup.failed":
            raise SystemExit(f"the app did not start: {message}")

    life = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, life_receive, life_send)
    )
    await asyncio.wait_for(started_up.wait(), 60)
    raw = [(b"host", b"testserver")] + [
        (k.lower().encode(), v.encode()) for k, v in headers.items()
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    ms: list[float] = []
    statuses: set[int] = set()
    for _ in range(n):
        sent = [False]

        async def receive(sent: list[bool] = sent) -> dict[str, Any]:
            if not sent[0]:
                sent[0] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.add(message["status"])

        began = time.perf_counter()
        await app(dict(scope), receive, send)
        ms.append((time.perf_counter() - began) * 1000)
    life.cancel()
    if len(statuses) != 1:
        raise SystemExit(f"GET {path}: statuses {statuses}")
    ms.append(float(statuses.pop()))  # the status, last: the caller takes it off
    return ms


def _percentiles(ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    return statistics.median(ms), ms[max(0, int(len(ms) * 0.99) - 1)]


def reference(tree: Path, size: dict[str, int]) -> dict[str, float]:
    App(tree)
    from fastapi.testclient import TestClient

    from app.main import app

    json_only = {"Accept": "application/json"}
    out: dict[str, float] = {}
    with TestClient(app) as client:
        first = client.get("/v1/authorities", headers=json_only)
        first.raise_for_status()
        etag = first.headers.get("etag")
        asks: list[tuple[str, str, dict[str, str], int]] = [
            ("authorities", "/v1/authorities", json_only, 200),
            ("healthz", "/healthz", {}, 200),
        ]
        if etag:  # a tree without ETags has no 304 to time
            asks.append(
                ("authorities_304", "/v1/authorities", json_only | {"If-None-Match": etag}, 304)
            )
        for label, path, headers, expected in asks:
            ms = []
            for _ in range(size["reference"]):
                began = time.perf_counter()
                status = client.get(path, headers=headers).status_code
                ms.append((time.perf_counter() - began) * 1000)
                if status != expected:
                    raise SystemExit(f"GET {path}: {status}, not {expected}")
            out[f"tc_{label}_p50"], out[f"tc_{label}_p99"] = _percentiles(ms)
        out["authorities_bytes"] = len(first.content)
    for label, path, headers, expected in asks:
        ms = asyncio.run(_asgi_get(app, path, headers, size["reference"]))
        if ms.pop() != expected:
            raise SystemExit(f"GET {path}: not {expected}")
        out[f"{label}_p50"], out[f"{label}_p99"] = _percentiles(ms)
    return out


# -- servers and NDJSON clients -------------------------------------------------------------------


def start_server(tree: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """The tree's app on 127.0.0.1, limits raised so that a national caseload
    fits in one request; as scripts/loadtest.py starts it."""
    from local_server import free_port, uvicorn_command, wait_until_up

    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "LOG_LEVEL": "WARNING",
        "MAX_CASES_PER_REQUEST": "100000000",
        "MAX_NDJSON_BODY_BYTES": str(64 * 1024**3),
        "MAX_NDJSON_ANSWER_BYTES": str(64 * 1024**3),
    }
    if (tree / "app" / "server.py").exists():
        command = [sys.executable, "-m", "app.server"]
        env |= {"HOST": "127.0.0.1", "PORT": str(port), "WORKERS": str(workers)}
    else:
        command = uvicorn_command("127.0.0.1", port, workers)
    server = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(server, url)
    time.sleep(1.0 if workers > 1 else 0.2)  # every worker up
    return server, url


def encoded_pool(n: int) -> list[bytes]:
    """Synthetic cases as NDJSON lines without their case_id and opening brace."""
    from synthetic_caseload import generate

    pool = []
    for case in generate(n):
        del case["case_id"]
        pool.append(orjson.dumps(case)[1:] + b"\n")
    return pool


def ndjson_body(
    pool: list[bytes], first: int, n: int, at_tenth: Callable[[], None]
) -> Iterator[bytes]:
    """The header line, then n cases from the pool under ids first.., in chunks."""
    from synthetic_caseload import AS_OF

    yield orjson.dumps({"authority": AUTHORITY, "as_of": AS_OF.isoformat()}) + b"\n"
    chunk: list[bytes] = []
    tenth = max(1, n // 10)
    for k in range(first, first + n):
        chunk.append(b'{"case_id":"C%d",' % k + pool[k % len(pool)])
        if len(chunk) == 200:
            yield b"".join(chunk)
            chunk = []
        if k - first + 1 == tenth:
            at_tenth()
    if chunk:
        yield b"".join(chunk)


def post_ndjson(
    client: httpx.Client, url: str, body: Iterator[bytes], cases: int
) -> dict[str, float]:
    """One NDJSON request, its answer counted as it arrives (nothing kept but
    the last line); checks the summary says every case was assessed."""
    received = lines = 0
    tail = b""
    with client.stream(
        "POST",
        url + "/v1/overdue.ndjson",
        content=body,
        headers={"Content-Type": "application/x-ndjson"},
    ) as answer:
        if answer.status_code != 200:
            raise SystemExit(f"POST /v1/overdue.ndjson: {answer.status_code}")
        for chunk in answer.iter_bytes():
            received += len(chunk)
            lines += chunk.count(b"\n")
            tail = (tail + chunk)[-4096:]
    summary = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])["summary"]
    if summary["cases"] != cases or summary["problems"]:
        raise SystemExit(f"NDJSON summary {summary}, for {cases} cases sent")
    return {"bytes": received, "lines": lines, "deadlines": summary.get("deadlines", 0)}


def in_requests(url: str, pool: list[bytes], cases: int, clients: int) -> float:
    """cases/s: `clients` threads, each sending its share 1,000 cases a request,
    each request on a new connection (an idle worker accepts it)."""
    per_request = 1000
    starts = list(range(0, cases, per_request))
    errors: list[BaseException] = []

    def client_thread(mine: list[int]) -> None:
        try:
            for start in mine:
                n = min(per_request, cases - start)
                with httpx.Client(timeout=600) as client:
                    post_ndjson(client, url, ndjson_body(pool, start, n, lambda: None), n)
        except BaseException as exc:  # reported below, in the main thread
            errors.append(exc)

    threads = [
        threading.Thread(target=client_thread, args=(starts[i::clients],)) for i in range(clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return cases / (time.perf_counter() - started)


def single_case(url: str, seconds: float) -> dict[str, float]:
    """POST /v1/deadlines one after another on one keep-alive connection
    (scripts/loadtest.py's client and its 50 synthetic cases)."""
    import loadtest

    host, port = url.removeprefix("http://").split(":")
    requests = loadtest.requests_for("single case", host)
    cell = asyncio.run(loadtest.run_cell(host, int(port), requests, 1, seconds, 20_000))
    if cell.errors or not cell.latencies:
        raise SystemExit(f"single case: {cell.errors} errors")
    lat = sorted(cell.latencies)
    return {
        "p50": statistics.median(lat) * 1000,
        "p99": lat[max(0, int(len(lat) * 0.99) - 1)] * 1000,
    }


def http(tree: Path, size: dict[str, int]) -> dict[str, float]:
    from local_server import stop

    pool = encoded_pool(min(size["pool"], size["http_cases"]))
    n = size["http_cases"]
    out: dict[str, float] = {}
    for workers in (1, 2):
        server, url = start_server(tree, workers)
        try:
            with httpx.Client(timeout=600) as client:  # warm up: imports, caches
                post_ndjson(client, url, ndjson_body(pool, 0, 100, lambda: None), 100)
            if workers == 1:
                with httpx.Client(timeout=600) as client:
                    started = time.perf_counter()
                    post_ndjson(client, url, ndjson_body(pool, 0, n, lambda: None), n)
                    out["ndjson_1w"] = n / (time.perf_counter() - started)
            out[f"requests_{workers}w"] = in_requests(url, pool, n, 2)
            figures = single_case(url, size["single_seconds"])
            out[f"single_p50_{workers}w"], out[f"single_p99_{workers}w"] = (
                figures["p50"],
                figures["p99"],
            )
        finally:
            stop(server)
    out["two_over_one"] = out["requests_2w"] / out["requests_1w"]
    return out


def _peak_mib(pid: int) -> float:
    """The largest peak resident memory (VmHWM) of the server and its children."""
    pids, peak = [pid], 0.0
    for _ in range(64):  # a server has a few processes; bounded all the same
        if not pids:
            break
        p = pids.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
        pids += [int(c) for c in children]
    return peak


def national(tree: Path, size: dict[str, int], n: int) -> dict[str, float]:
    from local_server import stop

    pool = encoded_pool(size["pool"])
    server, url = start_server(tree, 1)
    try:
        with httpx.Client(timeout=None) as client:
            post_ndjson(client, url, ndjson_body(pool, 0, 100, lambda: None), 100)
            before = _peak_mib(server.pid)
            tenth: list[float] = []
            started = time.perf_counter()
            answer = post_ndjson(
                client,
                url,
                ndjson_body(pool, 0, n, lambda: tenth.append(_peak_mib(server.pid))),
                n,
            )
            took = time.perf_counter() - started
        peak = _peak_mib(server.pid)
    finally:
        stop(server)
    return {
        "national_cases": n,
        "national_s": took,
        "national_400k_s": took * NATIONAL / n,
        "national_peak_mib": peak,
        "national_warm_mib": before,
        "national_growth": peak / tenth[0] if tenth else 0.0,
        "national_answer_mib": answer["bytes"] / 2**20,
        "national_lines": answer["lines"],
    }


def measure(section: str, tree: Path, quick: bool, national_n: int) -> dict[str, Any]:
    size = sizes(quick)
    if section == "in_process":
        return in_process(tree, size)
    if section == "http":
        return http(tree, size)
    if section == "national":
        return national(tree, size, national_n)
    if section == "linear":
        return linear(tree, size)
    if section == "calendar":
        return calendar(tree, size)
    if section == "reference":
        return reference(tree, size)
    raise SystemExit(f"no section {section}")


# -- the run: each section on each tree, in turn; then the table ---------------------------------


def run_section(section: str, tree: Path, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        command = [sys.executable, __file__, "--section", section, "--tree", str(tree)]
        command += ["--out", out.name, "--national", str(args.national)]
        command += ["--quick"] if args.quick else []
        env = {**os.environ, "PYTHONPATH": str(tree), "BENCH_TREE": str(tree)}
        env["LOG_LEVEL"] = "WARNING"  # the app's request log, for the in-process sections
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, timeout=SECTION_TIMEOUT)
        print(
            f"  {section} on {tree.name}: {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        return dict(json.loads(Path(out.name).read_text()))


def machine() -> str:
    """What a pure-Python step costs on this machine, for reading the absolute
    targets across machines: the best of 5 runs of a loop of 2,000,000
    additions, per turn, and the processor's name and clock."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for k in range(2_000_000):
            total += k
        best = min(best, time.perf_counter() - started)
    cpu = {"model name": "?", "cpu MHz": "?"}
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            name, _, value = line.partition(":")
            if cpu.get(name.strip()) == "?":  # the first processor's
                cpu[name.strip()] = value.strip()
    return (
        f"a pure-Python loop turn (total += k) {best / 2_000_000 * 1e9:.0f} ns;"
        f" {cpu['model name']} at {cpu['cpu MHz']} MHz"
    )


def derived(f: dict[str, Any]) -> None:
    """The figures made of two sections' (they ran in separate processes)."""
    if "in_process" in f and "ndjson_1w" in f:
        f["in_process_over_http"] = f["in_process"] / f["ndjson_1w"]
    slowest = [f[k] for k in ("caseload_slowest_ms", "mixes_slowest_ms") if k in f]
    if slowest:
        f["slowest_case_ms"] = max(slowest)


def shown(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "cases/s":
        return f"{value:,.0f}/s"
    if unit == "us":
        return f"{value:.2f} us"
    if unit == "s":
        return f"{value:,.1f} s"
    return f"{value:,.{1 if value >= 10 else 2}f} {unit}"


def met(value: float | None, threshold: float | None, sense: str) -> str:
    if value is None or threshold is None:
        return ""
    return "met" if (value >= threshold if sense == "min" else value <= threshold) else "NOT met"


def table(now: dict[str, Any], before: dict[str, Any] | None, label: str) -> None:
    head = f"{'target':44} {'threshold':>10} {'now':>12} {'/thresh':>8} {'':7}"
    if before is not None:
        head += f" {label:>12} {'':7} {'now/before':>10}"
    print(head)
    print("-" * len(head))
    for key, what, threshold, sense, unit in ROWS:
        value = now.get(key)
        if value is None and (before is None or before.get(key) is None):
            continue  # a section not run (--only)
        limit = "" if threshold is None else ("<=" if sense == "max" else ">=")
        limit += "" if threshold is None else shown(threshold, unit).replace(".00x", "x")
        line = f"{what:44} {limit:>10} {shown(value, unit):>12} "
        ratio = "" if threshold is None or value is None else f"{value / threshold:.2f}"
        line += f"{ratio:>8} {met(value, threshold, sense):7}"
        if before is not None:
            old = before.get(key)
            change = f"{value / old:.2f}" if value is not None and old else "-"
            line += f" {shown(old, unit):>12} {met(old, threshold, sense):7} {change:>10}"
        print(line)


def notes(figures: dict[str, Any], name: str) -> None:
    """The sizes behind the figures, of the sections that ran."""
    parts = []
    if "national_cases" in figures:
        parts.append(
            f"{figures['national_cases']:,} national cases,"
            f" {figures['national_answer_mib']:,.0f} MiB of answer,"
            f" {figures['national_lines']:,} lines; worker RSS"
            f" {figures['national_warm_mib']:.0f} MiB warm"
        )
    if "mixes_slowest_mix" in figures:
        parts.append(
            f"slowest mix at 2,000 events: {figures['mixes_slowest_mix']}"
            f" {figures['mixes_slowest_ms']:.1f} ms; worst 2,000/500 mix:"
            f" {figures['linear_worst_mix']}"
        )
    if "caseload_slowest_ms" in figures:
        parts.append(f"slowest synthetic case {figures['caseload_slowest_ms']:.2f} ms")
    if "authorities_bytes" in figures:
        parts.append(f"GET /v1/authorities {figures['authorities_bytes']:,.0f} bytes")
    if parts:
        print(f"{name}: " + "; ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="about a minute: smaller samples")
    parser.add_argument("--national", type=int, help=f"national cases (default {NATIONAL:,})")
    parser.add_argument("--before", metavar="REV", help="also measure this git revision")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="only these sections")
    parser.add_argument("--section", choices=SECTIONS, help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.national is None:
        args.national = sizes(args.quick)["national"]

    if args.section:  # one section, in its own process, of the tree on PYTHONPATH
        sys.path.insert(0, str(SCRIPTS))
        figures = measure(args.section, args.tree.resolve(), args.quick, args.national)
        args.out.write_text(json.dumps(figures))
        return

    sections = args.only or list(SECTIONS)
    worktree: Path | None = None
    trees = [ROOT]
    label = ""
    if args.before:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", args.before + "^{commit}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        worktree = Path(tempfile.mkdtemp(prefix=f"bench-before-{rev}-")) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(worktree), rev],
            cwd=ROOT,
            check=True,
        )
        trees = [worktree, ROOT]
        label = f"before {rev}"
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    figures: dict[Path, dict[str, Any]] = {tree: {} for tree in trees}
    try:
        for section in sections:
            for tree in trees:
                figures[tree] |= run_section(section, tree, args)
    finally:
        if worktree is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT)
            shutil.rmtree(worktree.parent, ignore_errors=True)

    for values in figures.values():
        derived(values)
    size = sizes(args.quick)
    print(
        f"issue 13 targets, {'quick' if args.quick else 'default'} run: now = this tree"
        f" (HEAD {head}, with any uncommitted changes); {size['cases']:,} cases in-process"
        f" (best of {size['runs']}), {size['http_cases']:,} over HTTP,"
        f" {args.national:,} national; {os.cpu_count()} cores; {machine()}"
    )
    print()
    table(figures[ROOT], figures[trees[0]] if worktree else None, label)
    print()
    print(
        "/thresh: the figure over the threshold; now/before: the figure now over the same"
        " figure before (for cases/s higher is better, for times and cost ratios lower)."
    )
    if args.national < NATIONAL and "national" in sections:
        print(
            f"national caseload of 400,000: {MEASURED_AS['national_400k_s']} ({args.national:,})."
        )
    for tree in trees:
        notes(figures[tree], label if tree != ROOT else "now")


if __name__ == "__main__":
    main()

"""Benchmark: overdue lists for a synthetic caseload, in-process and over HTTP.

    python scripts/bench_deadlines.py [--cases 10000] [--single 1000]
    python scripts/bench_deadlines.py --scaling [--sizes 250,500,1000,2000] [--tree PATH]

1. In-process, one core: the overdue computation for every case (engine
   only, then including the request models' validation).
2. Through the API with a real uvicorn server (one worker) on 127.0.0.1:
   POST /v1/overdue as JSON (1,000 cases a request) and as one streamed
   NDJSON request; then single-case POST /v1/deadlines one after another,
   reporting p50 and p99 latency.

Prints figures; asserts nothing about speed (it checks only that the JSON and
NDJSON answers agree). The caseload is scripts/synthetic_caseload.py.

--scaling: how the cost of one case grows with its events. For each mix of
events (placement moves, visits, reviews, looked-after episodes starting and
ending, strategy discussions, ...) and each size N, one case of N events is
assessed in-process (parse_case and the engine, as POST /v1/deadlines does;
the best of --runs), and the table gives the time and time(N)/time(N/2): near
2 is linear, near 4 quadratic. --lines adds the lines of app/domain/ the case
runs (sys.settrace), which, unlike time, a busy machine does not blur. --tree
measures another checkout (a git worktree of an earlier commit) with this
script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
# The app measured: this checkout, or the tree --tree names (re-run with BENCH_TREE).
TREE = Path(os.environ.get("BENCH_TREE", ROOT)).resolve()
sys.path.insert(0, str(TREE))
sys.path.insert(0, str(ROOT / "scripts"))

from local_server import free_port, uvicorn_command, wait_until_up  # noqa: E402
from synthetic_caseload import AS_OF, generate  # noqa: E402

from app.calendars import bank_holiday_data  # noqa: E402
from app.catalogue.data import catalogue  # noqa: E402
from app.domain.deadlines import assess_case, context, overdue_horizon, overdue_only  # noqa: E402
from app.reference import rulebook  # noqa: E402
from app.routers.deadline_models import CaseIn  # noqa: E402

# -- one case of many events ----------------------------------------------------------------

# The histories --scaling times: (name, what it is, a function of N giving the
# events, the child's date of birth or None). Each is dated backwards from
# AS_OF, so every event has happened.
Mix = tuple[str, str, Callable[[int], list[dict[str, Any]]], str | None]
SEVENTEEN = "2009-06-01"  # a child of 17 on AS_OF: the age-based rules apply


def _dated(types: list[tuple[str, dict[str, Any]]], per_day: int = 1) -> list[dict[str, Any]]:
    """Events in this order, `per_day` a day, the last on the day before AS_OF."""
    days = (len(types) + per_day - 1) // per_day
    first = AS_OF - dt.timedelta(days=days)
    return [
        {"type": t, "date": (first + dt.timedelta(days=k // per_day)).isoformat(), **extra}
        for k, (t, extra) in enumerate(types)
    ]


def _placements(n: int) -> list[dict[str, Any]]:
    foster = {"attributes": {"placement_type": "foster"}}
    return _dated([("became_looked_after", {})] + [("placement_started", foster)] * (n - 1))


def _visits(n: int) -> list[dict[str, Any]]:
    seen = {"attributes": {"seen_alone": True}}
    return _dated([("cp_plan_started", {})] + [("statutory_visit", seen)] * (n - 1))


def _looked_after_visits(n: int) -> list[dict[str, Any]]:
    seen = {"attributes": {"seen_alone": True}}
    foster = {"attributes": {"placement_type": "foster"}}
    return _dated(
        [("became_looked_after", {}), ("placement_started", foster)]
        + [("statutory_visit", seen)] * (n - 2)
    )


def _cla_reviews(n: int) -> list[dict[str, Any]]:
    foster = {"attributes": {"placement_type": "foster"}}
    return _dated(
        [("became_looked_after", {}), ("placement_started", foster)]
        + [("cla_review_held", {})] * (n - 2)
    )


def _cp_reviews(n: int) -> list[dict[str, Any]]:
    # A review conference, its report shared the day before: the "before" rules.
    pairs = [("conference_report_shared", {}), ("rcpc_held", {})] * ((n - 2) // 2)
    return _dated([("icpc_held", {}), ("cp_plan_started", {}), *pairs])


def _episodes(n: int) -> list[dict[str, Any]]:
    foster = {"attributes": {"placement_type": "foster"}}
    one = [("became_looked_after", {}), ("placement_started", foster), ("ceased_looked_after", {})]
    return _dated(one * (n // 3))


def _strategy(n: int) -> list[dict[str, Any]]:
    return _dated([("strategy_discussion_held", {})] * n)


def _journeys(n: int) -> list[dict[str, Any]]:
    # The synthetic caseload's cases, one after another, as one child's history.
    types: list[tuple[str, dict[str, Any]]] = []
    for case in generate(n // 10 + 1, seed=7):
        for e in case["events"]:
            if not e.get("scheduled"):
                extra = {"attributes": e["attributes"]} if e.get("attributes") else {}
                types.append((e["type"], extra))
    return _dated(types[:n], per_day=3)


def _same_day(n: int) -> list[dict[str, Any]]:
    # Many visits on one day, each its own record (its ref).
    events = _dated([("cp_plan_started", {})] + [("statutory_visit", {})] * (n - 1), n)
    for k, e in enumerate(events):
        e["ref"] = f"V{k}"
    return events


def _leaver(n: int) -> list[dict[str, Any]]:
    # Periods looked after, then care leaver contacts, some of them during
    # a later period looked after (where they cannot imply leaving care).
    foster = {"attributes": {"placement_type": "foster"}}
    one = [("became_looked_after", {}), ("placement_started", foster), ("care_leaver_contact", {})]
    one += [("ceased_looked_after", {})]
    return _dated(one * (n // 4))


MIXES: list[Mix] = [
    (
        "placements",
        "became_looked_after, then N placement moves (foster), one a day",
        _placements,
        None,
    ),
    ("visits", "cp_plan_started, then N statutory visits", _visits, None),
    (
        "la-visits",
        "looked after, a foster placement, N statutory visits",
        _looked_after_visits,
        None,
    ),
    ("cla-reviews", "looked after, a foster placement, N looked-after reviews", _cla_reviews, None),
    ("cp-reviews", "ICPC, a plan, N/2 review conferences each with its report", _cp_reviews, None),
    ("episodes", "N/3 looked-after episodes: start, placement, end", _episodes, None),
    (
        "episodes-17",
        "the same, for a child of 17 (eligibility, pathway plans)",
        _episodes,
        SEVENTEEN,
    ),
    ("leaver", "N/4 periods looked after, each with a care leaver contact", _leaver, SEVENTEEN),
    ("strategy", "N strategy discussions", _strategy, None),
    ("journeys", "synthetic journeys one after another, three events a day", _journeys, SEVENTEEN),
    ("same-day", "cp_plan_started and N visits, all on one day", _same_day, None),
]


def _lines_run(assess: Callable[[], object]) -> int:
    """Lines of app/domain/ executed by one call (each turn of a loop or a
    comprehension counts again): the work, counted, whatever the machine's load."""
    domain = str(TREE / "app" / "domain")
    count = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(domain) else None

    sys.settrace(calls)
    try:
        assess()
    finally:
        sys.settrace(None)
    return count


def scaling(
    sizes: list[int], runs: int, authority: str, mixes: list[str] | None, lines: bool
) -> None:
    """The table of N against time for one case, for each mix (see the docstring)."""
    from app.routers.case_models import EventIn
    from app.settings import get_settings

    # Measured, not refused: the budgets of one case (the time especially, on a
    # shared machine and under --lines) are lifted for the benchmark's cases.
    os.environ["CASE_TIME_BUDGET_SECONDS"] = "600"
    os.environ["MAX_DEADLINES_PER_CASE"] = "1000000"
    get_settings.cache_clear()
    book = rulebook()
    ctx = context(book, catalogue(), bank_holiday_data().calendars, authority, None, [], AS_OF)
    print(f"one case of N events, authority {authority}, tree {TREE}; best of {runs} runs")
    head = f"{'mix':12} {'N':>6} {'ms':>9} {'x prev':>7} {'deadlines':>9}"
    print(head + (f" {'lines run':>11} {'x prev':>7}" if lines else ""))
    for name, _, make, born in MIXES:
        if mixes and name not in mixes:
            continue
        previous, previous_lines = 0.0, 0
        for n in sizes:
            events = [EventIn.model_validate(e) for e in make(n)]
            child = dt.date.fromisoformat(born) if born else None
            best, found = float("inf"), 0
            for _ in range(runs):
                started = time.perf_counter()
                answer = assess_case(ctx, book, child, events)
                best = min(best, time.perf_counter() - started)
                found = len(answer.deadlines)
            ratio = f"{best / previous:.2f}" if previous else ""
            row = f"{name:12} {len(events):>6} {best * 1000:>9.1f} {ratio:>7} {found:>9}"
            if lines:
                run = _lines_run(lambda: assess_case(ctx, book, child, events))  # noqa: B023
                ratio = f"{run / previous_lines:.2f}" if previous_lines else ""
                row += f" {run:>11,} {ratio:>7}"
                previous_lines = run
            print(row)
            previous = best


AUTHORITY = "gloucestershire"


def in_process(cases: list[dict], runs: int) -> tuple[float, float, int]:
    book = rulebook()
    ctx = context(book, catalogue(), bank_holiday_data().calendars, AUTHORITY, None, [], AS_OF)
    horizon = overdue_horizon(ctx, 0)
    models = [CaseIn.model_validate(c) for c in cases]
    engine = 0.0
    for _ in range(runs):  # the best of several runs: the machine may be shared
        started = time.perf_counter()
        found = 0
        for case in models:
            found += len(
                overdue_only(
                    assess_case(
                        ctx, book, case.child.date_of_birth, case.events, open_only=True
                    ).deadlines,
                    horizon,
                )
            )
        engine = max(engine, len(cases) / (time.perf_counter() - started))
    started = time.perf_counter()
    for raw in cases:
        case = CaseIn.model_validate(raw)
        overdue_only(
            assess_case(ctx, book, case.child.date_of_birth, case.events, open_only=True).deadlines,
            horizon,
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
    parser.add_argument("--scaling", action="store_true", help="time one case of N events")
    parser.add_argument("--sizes", default="250,500,1000,2000", help="N for --scaling")
    parser.add_argument("--mix", action="append", help="only these mixes (--scaling)")
    parser.add_argument("--authority", default=AUTHORITY, help="for --scaling")
    parser.add_argument(
        "--lines", action="store_true", help="--scaling: also count the lines the engine runs"
    )
    parser.add_argument("--tree", type=Path, help="measure the app of this checkout")
    args = parser.parse_args()
    if args.tree is not None and args.tree.resolve() != TREE:
        # The app is imported when the script starts: run again with the other tree's.
        env = {**os.environ, "BENCH_TREE": str(args.tree.resolve())}
        os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], env)
    if args.scaling:
        sizes = [int(n) for n in args.sizes.split(",")]
        scaling(sizes, args.runs, args.authority, args.mix, args.lines)
        return
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

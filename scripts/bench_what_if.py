"""Benchmark: POST /v1/what-if against POST /v1/overdue on the same caseload.

    python scripts/bench_what_if.py [--cases 2000] [--runs 3]

The synthetic caseload (scripts/synthetic_caseload.py generate()), authority
gloucestershire, as_of its AS_OF, sent as one JSON body to each operation's
handler in-process, on one core (no HTTP: the same work a worker does for the
body, from the bytes read to the bytes answered: parsing, assessing, encoding).
The overdue list computes each case once, open deadlines only; a what-if
computes each case twice, in full (met deadlines too), and compares the two.
Two changes are timed: the Summer bank holiday of 2026 (Mon 31 Aug) removed,
and the rules of 1 Jan 2024 (before Gloucestershire's standards, June 2024).

Prints cases per second for each (the best of --runs) and the ratio to the
overdue list's; asserts only that every case was answered without a problem.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from synthetic_caseload import AS_OF, generate  # noqa: E402

from app.reference import reference_data  # noqa: E402
from app.routers.deadlines import _overdue_json  # noqa: E402
from app.routers.what_if import _what_if_json  # noqa: E402

AUTHORITY = "gloucestershire"
CHANGES = {
    "what-if, 2026-08-31 removed": {"bank_holidays_removed": ["2026-08-31"]},
    "what-if, rules_as_of 2024-01-01": {"rules_as_of": "2024-01-01"},
}


def best(run: Callable[[], bytes], runs: int) -> tuple[float, bytes]:
    times, answer = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        answer = run()
        times.append(time.perf_counter() - start)
    return min(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = reference_data()
    cases = generate(args.cases)
    header = {"authority": AUTHORITY, "as_of": AS_OF.isoformat()}
    overdue = json.dumps({**header, "cases": cases}).encode()
    _overdue_json(data, overdue)  # warm: the rule plans and closed-day tables

    seconds, answer = best(lambda: bytes(_overdue_json(data, overdue).body), args.runs)
    listed = json.loads(answer)
    assert listed["problems"] == [] and listed["cases"] == args.cases
    base = args.cases / seconds
    print(f"{args.cases} synthetic cases, {AUTHORITY}, as_of {AS_OF}, best of {args.runs}")
    print(f"{'overdue list (POST /v1/overdue)':40} {base:10,.0f} cases/s")
    for name, change in CHANGES.items():
        body = json.dumps({**header, "change": change, "cases": cases}).encode()
        _what_if_json(data, body)  # warm: the changed calendar is built once (cached)
        seconds, answer = best(lambda b=body: bytes(_what_if_json(data, b).body), args.runs)
        found = json.loads(answer)
        assert found["problems"] == [] and found["cases"] == args.cases
        rate = args.cases / seconds
        changed = found["summary"]["changes"]
        print(
            f"{name:40} {rate:10,.0f} cases/s  ({rate / base:.2f}x the overdue list; "
            f"{changed:,} changes)"
        )


if __name__ == "__main__":
    main()

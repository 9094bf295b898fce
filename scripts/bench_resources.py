"""Benchmark: what one request can cost a worker, memory and time.

    python scripts/bench_resources.py [--tree PATH] [--cases 100000] [--placements 2000]

Starts the app of the tree given (default: this checkout) under uvicorn, one
worker, on 127.0.0.1, and measures:

1. The worker's peak resident memory (VmHWM) before and after one NDJSON
   overdue request of `--cases` synthetic cases (scripts/synthetic_caseload.py),
   the body generated as it is sent and the answer read as it arrives, so
   that only the server holds anything.
2. The time for POST /v1/deadlines of one looked-after child with
   `--placements` placement moves (one a day), the worst history the event
   limit allows; the best of three.

Prints figures; asserts nothing. `--tree` lets the same script measure an
earlier version from a git worktree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from local_server import free_port, stop, uvicorn_command, wait_until_up  # noqa: E402
from synthetic_caseload import AS_OF, generate  # noqa: E402


def _status_mib(pid: int, field: str) -> float:
    """A memory figure of /proc/PID/status (VmRSS now, VmHWM the peak), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field}")


def _serve(tree: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    # Limits raised so that any --cases fits in one request (256 MiB of NDJSON
    # is about 190,000 synthetic cases; 384 MiB of answer about 50,000).
    env = {
        **os.environ,
        "MAX_CASES_PER_REQUEST": "10000000",
        "MAX_NDJSON_BODY_BYTES": str(64 * 1024**3),
        "MAX_NDJSON_ANSWER_BYTES": str(64 * 1024**3),
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        uvicorn_command("127.0.0.1", port),
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(server, base)
    return server, base


def _body(n: int) -> Iterator[bytes]:
    header = {"authority": "gloucestershire", "as_of": AS_OF.isoformat()}
    yield (json.dumps(header) + "\n").encode()
    done = 0
    while done < n:  # the generator's cases, repeated under new ids
        batch = generate(min(5000, n - done), seed=done)
        for k, case in enumerate(batch):
            case["case_id"] = f"C-{done + k}"
            yield (json.dumps(case) + "\n").encode()
        done += len(batch)


def ndjson_memory(base: str, pid: int, n: int) -> None:
    before = _status_mib(pid, "VmRSS")
    started = time.perf_counter()
    lines = 0
    sent = 0
    received = 0
    rows = row_bytes = rule_bytes = 0  # deadline rows and rule lines, newline included
    tail = b""  # the start of a line whose end has not arrived

    def counted() -> Iterator[bytes]:
        nonlocal sent
        for chunk in _body(n):
            sent += len(chunk)
            yield chunk

    with (
        httpx.Client(timeout=None) as client,
        client.stream(
            "POST",
            base + "/v1/overdue",
            content=counted(),
            headers={"Content-Type": "application/x-ndjson"},
        ) as answer,
    ):
        for chunk in answer.iter_bytes():
            received += len(chunk)
            lines += chunk.count(b"\n")
            *whole, tail = (tail + chunk).split(b"\n")
            for line in whole:
                if line.startswith(b'{"rule":'):
                    rule_bytes += len(line) + 1
                elif b'"rule_id"' in line and b'"not_evaluated"' not in line:
                    # a deadline row (a problem line names no rule_id)
                    rows += 1
                    row_bytes += len(line) + 1
    took = time.perf_counter() - started
    peak = _status_mib(pid, "VmHWM")
    print(
        f"NDJSON overdue, {n:,} cases: status {answer.status_code}, {lines:,} lines"
        f" in {took:.1f} s; request {sent / 2**20:,.0f} MiB, answer {received / 2**20:,.0f} MiB;"
        f" worker RSS {before:.0f} MiB before, peak {peak:.0f} MiB"
    )
    if rows:
        print(
            f"  {rows:,} deadline rows: {row_bytes / rows:.0f} bytes a row,"
            f" {(row_bytes + rule_bytes) / rows:.0f} with the rule lines"
        )


def many_placements(base: str, n: int) -> None:
    start = dt.date(2020, 1, 6)
    events = [{"type": "became_looked_after", "date": start.isoformat()}]
    events += [
        {
            "type": "placement_started",
            "date": (start + dt.timedelta(days=k)).isoformat(),
            "attributes": {"placement_type": "foster"},
        }
        for k in range(n - 1)
    ]
    body = {"authority": "gloucestershire", "as_of": AS_OF.isoformat(), "events": events}
    best = float("inf")
    status = 0
    rows = 0
    with httpx.Client(timeout=None) as client:
        for _ in range(3):
            started = time.perf_counter()
            r = client.post(base + "/v1/deadlines", json=body)
            best = min(best, time.perf_counter() - started)
            status = r.status_code
            rows = len(r.json().get("deadlines", [])) if status == 200 else 0
    print(
        f"one case, {n:,} events (placement moves): status {status}, {rows:,} deadlines,"
        f" best of 3 {best * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--placements", type=int, default=2000)
    args = parser.parse_args()
    server, base = _serve(args.tree.resolve())
    try:
        many_placements(base, args.placements)
        ndjson_memory(base, server.pid, args.cases)
    finally:
        stop(server)


if __name__ == "__main__":
    main()

"""Load test on loopback: requests/s and p50/p99 latency at 1-128 connections.

    python scripts/loadtest.py [--tree PATH] [--server app|uvicorn]
                               [--workers 1,2] [--connections 1,8,32,128]
                               [--seconds 4] [--max-requests 20000]

Starts the server itself (from this checkout, or from --tree, e.g. a worktree
of an older commit, to get "before" figures), on 127.0.0.1 only, once per
worker count, and for each workload and connection count sends requests on
that many keep-alive connections for --seconds (at most --max-requests),
after a short warm-up. Workloads:

* `single case`: POST /v1/deadlines with a synthetic case
  (scripts/synthetic_caseload.py; 50 different cases in turn);
* `catalogue`: GET /v1/authorities, /v1/themes, /v1/documents in turn.

`--server app` runs `python -m app.server` (the production entry point);
`--server uvicorn` runs `uvicorn app.main:app --workers N --no-access-log` as
`make run` did before it. The default is `app` when the tree has
app/server.py. The client is one asyncio process with raw keep-alive sockets
(a small HTTP/1.1 reader, Content-Length and chunked answers), so that the
client takes little of the machine it shares with the server.

Prints a table; asserts nothing about speed. Refuses any host that is not a
loopback address.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from local_server import free_port, stop, uvicorn_command, wait_until_up  # noqa: E402
from synthetic_caseload import AS_OF, generate  # noqa: E402

AUTHORITY = "gloucestershire"
CATALOGUE_PATHS = ["/v1/authorities", "/v1/themes", "/v1/documents"]
WARM_UP_SECONDS = 0.5
# Hard bounds whatever the arguments say: the test stops by itself.
MAX_SECONDS_A_CELL = 30.0
MAX_REQUESTS_A_CELL = 200_000
MAX_CONNECTIONS = 256


def loopback_only(host: str) -> str:
    try:
        address = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"cannot resolve {host!r}: {exc}") from None
    if not address.is_loopback:
        raise SystemExit(f"refusing {host} ({address}): the load test runs on loopback only")
    return str(address)


def requests_for(workload: str, host: str) -> list[bytes]:
    """The raw requests of a workload, sent in turn."""
    if workload == "catalogue":
        return [
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode()
            for path in CATALOGUE_PATHS
        ]
    out = []
    for case in generate(50):
        body = json.dumps(
            {
                "authority": AUTHORITY,
                "as_of": AS_OF.isoformat(),
                "child": case["child"],
                "events": case["events"],
            }
        ).encode()
        head = (
            f"POST /v1/deadlines HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        out.append(head + body)
    return out


async def read_response(reader: asyncio.StreamReader) -> int:
    """Reads one answer whole; returns its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


@dataclass
class Cell:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0


async def run_cell(
    host: str, port: int, requests: list[bytes], connections: int, seconds: float, limit: int
) -> Cell:
    cell = Cell()
    budget = [limit]
    measuring = [False]
    stop_at = [0.0]

    async def one(index: int) -> None:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            cell.errors += 1
            return
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        i = index
        try:
            while time.perf_counter() < stop_at[0] and budget[0] > 0:
                request = requests[i % len(requests)]
                i += 1
                started = time.perf_counter()
                writer.write(request)
                status = await read_response(reader)
                if measuring[0]:
                    budget[0] -= 1
                    if status == 200:
                        cell.latencies.append(time.perf_counter() - started)
                    else:
                        cell.errors += 1
        except (OSError, asyncio.IncompleteReadError, ValueError):
            cell.errors += 1
        finally:
            writer.close()

    stop_at[0] = time.perf_counter() + WARM_UP_SECONDS + seconds
    tasks = [asyncio.create_task(one(i)) for i in range(connections)]
    await asyncio.sleep(WARM_UP_SECONDS)
    measuring[0] = True
    began = time.perf_counter()
    await asyncio.gather(*tasks)
    cell.elapsed = time.perf_counter() - began
    return cell


def start_server(
    tree: Path, kind: str, host: str, workers: int
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port(host)
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    if kind == "app":
        command = [sys.executable, "-m", "app.server"]
        env.update({"HOST": host, "PORT": str(port), "WORKERS": str(workers)})
    else:
        command = uvicorn_command(host, port, workers)
    server = subprocess.Popen(command, cwd=tree, env=env)
    wait_until_up(server, f"http://{host}:{port}")
    time.sleep(1.0 if workers > 1 else 0.2)  # every worker up
    return server, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout to serve from")
    parser.add_argument("--server", choices=["app", "uvicorn"], default=None)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--connections", default="1,8,32,128")
    parser.add_argument("--workloads", default="single case,catalogue")
    parser.add_argument("--seconds", type=float, default=4.0, help="measured time a cell")
    parser.add_argument("--max-requests", type=int, default=20_000, help="a cell's bound")
    args = parser.parse_args()

    host = loopback_only(args.host)
    tree = args.tree.resolve()
    kind = args.server or ("app" if (tree / "app" / "server.py").exists() else "uvicorn")
    seconds = min(args.seconds, MAX_SECONDS_A_CELL)
    limit = min(args.max_requests, MAX_REQUESTS_A_CELL)
    workers = [int(w) for w in args.workers.split(",")]
    connections = [min(int(c), MAX_CONNECTIONS) for c in args.connections.split(",")]
    workloads = [w.strip() for w in args.workloads.split(",")]

    print(f"server: {kind} from {tree}; {seconds:g} s a cell (at most {limit:,} requests)")
    print()
    print("| workload | workers | connections | requests/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n_workers in workers:
        server, port = start_server(tree, kind, host, n_workers)
        try:
            for workload in workloads:
                requests = requests_for(workload, host)
                for n in connections:
                    cell = asyncio.run(run_cell(host, port, requests, n, seconds, limit))
                    lat = sorted(cell.latencies)
                    if lat:
                        rate = len(lat) / cell.elapsed
                        p50 = statistics.median(lat) * 1000
                        p99 = lat[max(0, int(len(lat) * 0.99) - 1)] * 1000
                        figures = f"{rate:,.0f} | {p50:.2f} | {p99:.2f}"
                    else:
                        figures = "- | - | -"
                    print(
                        f"| {workload} | {n_workers} | {n} | {figures} | {cell.errors} |",
                        flush=True,
                    )
        finally:
            stop(server)


if __name__ == "__main__":
    main()

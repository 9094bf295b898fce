"""p50 and p90 server time of each web page (app/web/) for a realistic request, in process.

Each page is asked for ROUNDS times through the whole app (middleware, security
headers, rendering) with TestClient after a warm-up; the time is the request's
wall time in this process, so no network. Not a test: figures for the README.
"""

from __future__ import annotations

import logging
import statistics
import time

from fastapi.testclient import TestClient

from app.main import create_app

ROUNDS = 50
PAGES = [
    ("search start page", "/"),
    ("search with results", "/?q=visit"),
    ("search, filtered, page 2", "/?q=visit&authority=gloucestershire&page=2"),
    ("standard", "/standards/redcar-and-cleveland-measure-1-7"),
    ("document tree", "/documents/redcar-and-cleveland-practice-standards-2023"),
    ("theme across councils", "/themes/visits"),
    ("requirement compared", "/requirements/icpc"),
    ("accessibility statement", "/accessibility"),
]


def main() -> None:
    client = TestClient(create_app())
    logging.disable(logging.INFO)  # the request log would dominate the timings
    for label, path in PAGES:
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        q = statistics.quantiles(times, n=10)
        print(f"{label:28} {path:58} p50 {statistics.median(times):6.1f} ms  p90 {q[8]:6.1f} ms")


if __name__ == "__main__":
    main()

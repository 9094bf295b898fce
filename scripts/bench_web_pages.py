"""Each web page (app/web/, issue 12): its axe-core result and its server time, as a table.

    .venv/bin/python scripts/bench_web_pages.py [--rounds 20] [--no-browser] [--in-process]

* Server time: the real server (`python -m app.server`, one worker, as
  tests/serving.py starts it) on loopback, each page asked for `--rounds` times
  with httpx after a warm-up; p50 and p90 of the request's wall time seen by the
  client (the app sends no Server-Timing header). A page of a form (the
  calculator's answer) is its POST. With --in-process, through TestClient
  instead, without the network and the server's process.
* axe-core: each page in the OS's headless Chromium (tests/browser.py), the
  vendored axe.min.js from the service's /assets/, WCAG 2.2 AA rules
  (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa): violations and rules passed.
  --no-browser leaves those columns out.

Not a test (tests/test_web_browser.py asserts no violations): figures for the README.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

# The child protection case across the 2022 state funeral, as the calculator's form posts it.
CP_FORM = {
    "source": "form",
    "authority": "england",
    "as_of": "2022-10-03",
    "event_rows": "5",
    "event-0-type": "strategy_discussion_held",
    "event-0-date": "2022-09-05",
    "action": "calculate",
}

# (page, method, path, form): a realistic request for each page.
PAGES: list[tuple[str, str, str, dict[str, str] | None]] = [
    ("start", "GET", "/", None),
    ("search results", "GET", "/?q=visits", None),
    ("search, filtered, page 2", "GET", "/?q=visit&authority=gloucestershire&page=2", None),
    ("standard", "GET", "/standards/gloucestershire-timescale-seeing-5", None),
    ("document tree", "GET", "/documents/redcar-and-cleveland-practice-standards-2023", None),
    ("theme across councils", "GET", "/themes/visits", None),
    ("requirement compared", "GET", "/requirements/icpc", None),
    ("calculator form", "GET", "/calculator", None),
    ("calculator answer", "POST", "/calculator", CP_FORM),
    ("calendar year view", "GET", "/calendars/england-and-wales?year=2022", None),
    ("accessibility statement", "GET", "/accessibility", None),
]


def timings(
    ask: Callable[[str, str, dict[str, str] | None], int], rounds: int
) -> list[list[float]]:
    """Per page, `rounds` wall times in ms, after 3 warm-up requests."""
    found = []
    for label, method, path, form in PAGES:
        for _ in range(3):
            status = ask(method, path, form)
            if status != 200:
                raise SystemExit(f"{label}: {method} {path} answered {status}")
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            ask(method, path, form)
            times.append((time.perf_counter() - start) * 1000)
        found.append(times)
    return found


def axe_results(origin: str) -> list[dict[str, Any]]:
    """Per page, axe-core's violations and passes in Chromium (a form page posted by its form)."""
    from tests.browser import CHROMIUM, browser_missing, open_page, run_axe

    missing = browser_missing()
    if missing is not None:
        raise SystemExit(f"{missing}; or run with --no-browser")
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            for _label, _method, path, form in PAGES:
                page, _visit = open_page(browser, origin, path)
                if form is not None:
                    # The same request as the timed one, made by the page's own form.
                    case_form = page.locator(
                        "form", has=page.locator("input[name='source'][value='form']")
                    )
                    case_form.locator("#authority").select_option(form["authority"])
                    case_form.locator("#as-of").fill(form["as_of"])
                    case_form.locator("#event-0-type").select_option(form["event-0-type"])
                    case_form.locator("#event-0-date").fill(form["event-0-date"])
                    with page.expect_navigation():
                        case_form.locator("button[value='calculate']").click()
                results.append(run_axe(page, origin))
                page.context.close()
        finally:
            browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true", help="server times only")
    parser.add_argument("--in-process", action="store_true", help="TestClient, no server")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the request log would dominate in-process timings

    from tests.serving import served

    with tempfile.TemporaryDirectory() as folder, served(Path(folder) / "server.log") as origin:
        if args.in_process:
            from fastapi.testclient import TestClient

            from app.main import create_app

            in_process = TestClient(create_app())

            def ask(method: str, path: str, form: dict[str, str] | None) -> int:
                return in_process.request(method, path, data=form).status_code
        else:
            client = httpx.Client(base_url=origin, timeout=30)

            def ask(method: str, path: str, form: dict[str, str] | None) -> int:
                return client.request(method, path, data=form).status_code

        times = timings(ask, args.rounds)
        axe = None if args.no_browser else axe_results(origin)

    where = "in process" if args.in_process else "served, httpx"
    print(f"{'page':26} {'request':62} {'axe violations':>14} {'passes':>6}  p50 / p90 ({where})")
    for i, (label, method, path, _form) in enumerate(PAGES):
        q = statistics.quantiles(times[i], n=10)
        violations = "-" if axe is None else str(len(axe[i]["violations"]))
        passes = "-" if axe is None else str(axe[i]["passes"])
        print(
            f"{label:26} {method + ' ' + path:62} {violations:>14} {passes:>6}"
            f"  {statistics.median(times[i]):6.1f} / {q[8]:6.1f} ms"
        )


if __name__ == "__main__":
    main()

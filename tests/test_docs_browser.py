"""/docs and /redoc in a real headless browser, offline (issue 9).

The real server (`python -m app.server`) on loopback, and the OS's Chromium
(Debian's `chromium`) driven by Playwright. Every request to anything but
that server is refused by the browser and recorded, so the pages pass only if
they need nothing from another host. The checks are on what Swagger UI and
ReDoc render (one block per operation, one menu entry per operation), not on
the HTML the service sends, and on what the browser saw go wrong: console
errors, CSP violations, failed or refused requests, answers of 400 or more.

Without Chromium (or Playwright) the tests skip, saying so; in CI (.ci/run
installs Chromium and sets REQUIRE_BROWSER=1) they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.serving import served

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1" or bool(os.environ.get("CI"))
METHODS = ("get", "put", "post", "delete", "patch")
# Generous: each page renders in a few seconds on this 2-core machine.
RENDER_TIMEOUT_MS = 30_000

# Recorded by the page itself, from before its first script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; or set CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make install)"
    return None


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("docs-server") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _browser_missing()
    if missing is not None:
        if REQUIRED:
            pytest.fail(f"REQUIRE_BROWSER=1 (or CI) but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The OS's Chromium: Playwright's own browser download is never used.
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def operations(origin: str) -> list[dict[str, str]]:
    """Every operation of the service's OpenAPI document."""
    document = httpx.get(origin + "/openapi.json", timeout=10).json()
    found = [
        {"method": method.upper(), "path": path, "id": op["operationId"], "summary": op["summary"]}
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]
    # The operations a reader comes for are among them.
    assert {("POST", "/v1/deadlines"), ("POST", "/v1/overdue")} <= {
        (o["method"], o["path"]) for o in found
    }
    return found


@dataclass
class Visit:
    """What the browser saw go wrong while the page loaded and rendered."""

    origin: str
    requested: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/"):
            self.requested.append(urlsplit(url).path)
            route.continue_()
        else:
            # Offline: nothing but the service itself.
            self.refused.append(url)
            route.abort("internetdisconnected")


def open_page(browser: Any, origin: str, path: str) -> tuple[Any, Visit]:
    visit = Visit(origin)
    # A fresh context: no cache, no cookies from another test.
    context = browser.new_context()
    context.route("**/*", visit.route)
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda m: (
            visit.problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda e: visit.problems.append(f"page error: {e}"))
    page.on(
        "requestfailed",
        lambda r: (
            visit.problems.append(f"request failed: {r.url} {r.failure}")
            if r.url not in visit.refused
            else None
        ),
    )
    page.on(
        "response",
        lambda r: visit.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    answer = page.goto(origin + path)
    assert answer is not None and answer.status == 200
    return page, visit


def assert_clean(page: Any, visit: Visit, expected_requests: set[str]) -> None:
    violations = page.evaluate("window.__cspViolations")
    page.context.close()
    assert violations == []
    assert visit.refused == []
    assert visit.problems == []
    # Its scripts and styles came from the service itself.
    assert set(visit.requested) == expected_requests


def test_swagger_ui_renders_every_operation_offline(
    browser: Any, origin: str, operations: list[dict[str, str]]
) -> None:
    page, visit = open_page(browser, origin, "/docs")
    page.wait_for_function(
        "n => document.querySelectorAll('#swagger-ui .opblock').length >= n",
        arg=len(operations),
        timeout=RENDER_TIMEOUT_MS,
    )
    rendered = page.eval_on_selector_all(
        "#swagger-ui .opblock .opblock-summary",
        """blocks => blocks.map(b => [
            b.querySelector('.opblock-summary-method').innerText,
            b.querySelector('.opblock-summary-path').getAttribute('data-path'),
            b.querySelector('.opblock-summary-description').innerText,
        ])""",
    )
    assert sorted(map(tuple, rendered)) == sorted(
        (o["method"], o["path"], o["summary"]) for o in operations
    )
    # The blocks are on screen, not just in the document.
    deadlines = ".opblock-post .opblock-summary-path[data-path='/v1/deadlines']"
    assert page.locator(deadlines).is_visible()
    assert_clean(
        page,
        visit,
        {
            "/docs",
            "/docs/static/swagger-ui-dist/swagger-ui.css",
            "/docs/static/swagger-ui-dist/swagger-ui-bundle.js",
            "/openapi.json",
        },
    )


def test_redoc_renders_every_operation_offline(
    browser: Any, origin: str, operations: list[dict[str, str]]
) -> None:
    page, visit = open_page(browser, origin, "/redoc")
    page.wait_for_function(
        "n => document.querySelectorAll('li[data-item-id*=\"/operation/\"]').length >= n",
        arg=len(operations),
        timeout=RENDER_TIMEOUT_MS,
    )
    # The menu: one entry per operation, its method badge and its summary.
    menu = page.eval_on_selector_all(
        "li[data-item-id*='/operation/']",
        """items => items.map(i => [
            i.getAttribute('data-item-id').split('/operation/')[1],
            i.querySelector('.operation-type').innerText.toUpperCase(),
            i.innerText.slice(i.querySelector('.operation-type').innerText.length).trim(),
        ])""",
    )
    assert sorted(map(tuple, menu)) == sorted(
        (o["id"], o["method"], o["summary"]) for o in operations
    )
    # The body: a section per operation, titled with its summary.
    titles = page.eval_on_selector_all(
        "[data-section-id*='/operation/'] h2",
        "headings => headings.map(h => h.innerText)",
    )
    assert sorted(titles) == sorted(o["summary"] for o in operations)
    assert_clean(page, visit, {"/redoc", "/docs/static/redoc/redoc.standalone.js", "/openapi.json"})

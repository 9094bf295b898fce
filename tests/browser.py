"""Pages in a real headless browser, offline: the OS's Chromium (Debian's
`chromium`) driven by Playwright.

Every request to anything but the page's own origin is refused by the browser
and recorded, so a page passes only if it needs nothing from another host;
what the browser saw go wrong (console errors and warnings, CSP violations,
failed or refused requests, answers of 400 or more) is kept for the test.

Without Chromium (or Playwright) a browser test skips, saying so; in CI (.ci/run
installs Chromium and sets REQUIRE_BROWSER=1) it fails instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1" or bool(os.environ.get("CI"))
# Generous: a page renders in a few seconds on this 2-core machine.
RENDER_TIMEOUT_MS = 30_000

# Recorded by the page itself, from before its first script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; or set CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make install)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """The launched browser; skips the test without one, or fails it where a
    browser is required."""
    missing = browser_missing()
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


def open_page(
    browser: Any, origin: str, path: str, *, viewport: dict[str, int] | None = None
) -> tuple[Any, Visit]:
    visit = Visit(origin)
    # A fresh context: no cache, no cookies from another test.
    context = browser.new_context(**({"viewport": viewport} if viewport else {}))
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


def wait_for(page: Any, selector: str, count: int) -> None:
    """Until the page's scripts have rendered at least `count` elements matching `selector`."""
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length >= n",
        arg=[selector, count],
        timeout=RENDER_TIMEOUT_MS,
    )


def assert_clean(page: Any, visit: Visit, expected_requests: set[str]) -> None:
    violations = page.evaluate("window.__cspViolations")
    page.context.close()
    assert violations == []
    assert visit.refused == []
    assert visit.problems == []
    # Its scripts and styles came from the service itself.
    assert set(visit.requested) == expected_requests


# WCAG 2.2 AA as axe-core tags it: the public sector accessibility regulations' level.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe-core as the service vendors and serves it (app/static/web/MANIFEST.json): the
# pages' CSP allows scripts from 'self', so it loads like any of the page's scripts.
AXE_PATH = "/assets/axe-core/axe.min.js"


def run_axe(page: Any, origin: str) -> dict[str, Any]:
    """axe-core's run on the page as it is now, WCAG 2.2 AA rules only: the
    violations (rule, impact, help, and each node's selector and summary) and
    how many rules passed."""
    page.add_script_tag(url=origin + AXE_PATH)
    result: dict[str, Any] = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => ({
            violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            })),
            passes: r.passes.length,
        }))""",
        AXE_TAGS,
    )
    return result


def axe_report(violations: list[dict[str, Any]]) -> str:
    """The violations as lines a person can act on (at most 10 nodes a rule)."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            lines.append(f"    {node['target']}: {' '.join(node['summary'].split())}")
    return "\n".join(lines)


def assert_offline_and_quiet(page: Any, visit: Visit) -> None:
    """assert_clean without a fixed set of requests (a page after a form's post
    asks for what it asks for): no CSP violation, nothing refused, nothing gone
    wrong, and every request to the service itself."""
    violations = page.evaluate("window.__cspViolations")
    page.context.close()
    assert violations == []
    assert visit.refused == []
    assert visit.problems == []
    assert visit.requested

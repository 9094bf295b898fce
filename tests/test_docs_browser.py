"""/docs and /redoc in a real headless browser, offline (issue 9).

The real server (`python -m app.server`) on loopback, and the OS's Chromium
(tests/browser.py: every request to another host refused and recorded;
skipped without Chromium, failed instead in CI). The checks are on what Swagger
UI and ReDoc render (one block per operation, one menu entry per operation),
not on the HTML the service sends, and on what the browser saw go wrong:
console errors, CSP violations, failed or refused requests, answers of 400 or more.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser import assert_clean, chromium, open_page, wait_for
from tests.serving import served

METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("docs-server") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


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


def test_swagger_ui_renders_every_operation_offline(
    browser: Any, origin: str, operations: list[dict[str, str]]
) -> None:
    page, visit = open_page(browser, origin, "/docs")
    wait_for(page, "#swagger-ui .opblock", len(operations))
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
    wait_for(page, "li[data-item-id*='/operation/']", len(operations))
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

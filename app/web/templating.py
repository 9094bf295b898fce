"""The Jinja2 environment of the pages, and the one function each page renders through.

* Autoescaped: every value a template prints is escaped unless it is Markup the
  code made on purpose (the search snippets' <mark>, app/web/pages.py).
* StrictUndefined: a misspelt name in a template fails a test, not a page.
* Every page carries PAGE_CSP: its scripts, styles, images and fonts from the
  service itself, no inline script or style, forms posted to the service only.
  So a page has no inline <script>: GOV.UK Frontend is started by
  app/static/web/init.js, itself one of the vendored, checked files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.types import ASGIApp, Scope

from app.errors import TooLarge
from app.problems import problem_for
from app.web.assets import asset_url

TEMPLATES = Path(__file__).resolve().parent / "templates"
SERVICE_NAME = "Children's social care timescales"

PAGE_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        # data: for inline SVG backgrounds GOV.UK Frontend may use, and the empty icon.
        "img-src 'self' data:",
        "font-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """The page `template` with `context`, as text/html with the pages' CSP."""
    root = request.scope.get("root_path", "")

    def asset(name: str) -> str:
        return asset_url(request, name)

    html = environment.get_template(template).render(
        **context,
        asset=asset,
        root=root,
        service_name=SERVICE_NAME,
        current_path=request.url.path,
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Security-Policy"] = PAGE_CSP
    return response


def too_large(scope: Scope, error: TooLarge, limit: int) -> ASGIApp:
    """The 413 for a body over the limit: an HTML page for the calculator's
    forms (a person sent it from a browser), the API's problem+json elsewhere."""
    if not str(scope.get("path", "")).startswith("/calculator"):
        return problem_for(error)
    limit_text = f"{limit / (1024 * 1024):.0f} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return render(Request(scope), "too_large.html", {"limit_text": limit_text}, status_code=413)


def not_found(request: Request, what: str) -> HTMLResponse:
    """The GOV.UK "page not found" page, 404, for an unknown id on a page path."""
    return render(request, "not_found.html", {"what": what}, status_code=404)

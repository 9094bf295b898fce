"""The documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served
entirely by the service: they work on a network with no internet.

* The pages are FastAPI's own (get_swagger_ui_html, get_redoc_html), pointed
  at Swagger UI and ReDoc files that the service serves itself under
  `/docs/static/`, never at a CDN. The files are vendored in app/static/docs/
  from the npm packages pinned in scripts/docs-assets/package-lock.json
  (swagger-ui-dist 5.35.0, redoc 2.5.4), with their licences, by
  scripts/refresh_docs_assets.py; app/static/docs/MANIFEST.json holds the
  SHA-256 of each file, checked when the app starts.
* Each file is answered from memory with a strong ETag (its SHA-256). The
  pages ask for `?v=<digest>`, so a browser may keep that URL a year
  (`immutable`): a new version of a file is a new URL. Any other URL of a
  file is `no-cache` (revalidated with its ETag).
* Each page has its own Content-Security-Policy: scripts and styles from the
  service itself ('self') and the page's inline start-up script by its hash;
  nothing from any other host. The favicon is an empty data: URL and ReDoc
  goes without Google Fonts: each would send every reader's address to a
  third party.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from app.errors import NotFound

STATIC_DIR = Path(__file__).resolve().parent / "static" / "docs"
# Public like /docs itself (app/security/middleware.py ALWAYS_PUBLIC_PREFIXES).
STATIC_PREFIX = "/docs/static/"
SWAGGER_JS = "swagger-ui-dist/swagger-ui-bundle.js"
SWAGGER_CSS = "swagger-ui-dist/swagger-ui.css"
REDOC_JS = "redoc/redoc.standalone.js"
NO_ICON = "data:,"

_FIXED = "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
CACHE_FOREVER = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"

_MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


# -- the vendored files -----------------------------------------------------------------


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    digest: str  # SHA-256, hex

    @property
    def etag(self) -> str:
        return f'"{self.digest[:32]}"'

    @property
    def version(self) -> str:
        return self.digest[:12]


def load_assets(directory: Path = STATIC_DIR) -> dict[str, Asset]:
    """Every file the manifest lists, read and checked against its SHA-256:
    a missing or altered file stops start-up rather than leaving a blank page."""
    manifest = json.loads((directory / "MANIFEST.json").read_text(encoding="utf-8"))
    assets: dict[str, Asset] = {}
    for name, entry in manifest["files"].items():
        body = (directory / name).read_bytes()
        digest = hashlib.sha256(body).hexdigest()
        if digest != entry["sha256"]:
            raise RuntimeError(f"{directory / name} does not match MANIFEST.json")
        media_type = _MEDIA_TYPES.get(Path(name).suffix, "text/plain; charset=utf-8")
        assets[name] = Asset(body, media_type, digest)
    return assets


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def asset_response(request: Request, asset: Asset) -> Response:
    """200 with the file, or 304 when If-None-Match holds its ETag."""
    current = request.query_params.get("v") == asset.version
    headers = {
        "ETag": asset.etag,
        "Cache-Control": CACHE_FOREVER if current else CACHE_REVALIDATE,
    }
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and _matches(if_none_match, asset.etag):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


# -- the pages' CSP ---------------------------------------------------------------------


class _Inline(HTMLParser):
    """The text of each inline <script> and <style> of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not dict(attrs).get("src"):
            self.scripts.append("")
            self._open = self.scripts
        elif tag == "style":
            self.styles.append("")
            self._open = self.styles

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[-1] += data


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """CSP hash sources ('sha256-...') of the page's inline scripts and styles."""
    parser = _Inline()
    parser.feed(html)
    parser.close()

    def source(text: str) -> str:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        return f"'sha256-{digest}'"

    return [source(s) for s in parser.scripts], [source(s) for s in parser.styles]


def swagger_csp(html: str) -> str:
    scripts, _ = inline_hashes(html)
    return "; ".join(
        [
            "default-src 'none'",
            # The bundle (from this service) and the page's start-up script, by its hash.
            " ".join(["script-src 'self'", *scripts]),
            # Swagger UI sets style attributes as it renders (swagger-ui#10655).
            "style-src 'self' 'unsafe-inline'",
            # Its stylesheet's icons are data: SVGs; the favicon is data: too.
            "img-src data:",
            # The OpenAPI document and "Try it out" requests, to this service only.
            "connect-src 'self'",
            _FIXED,
        ]
    )


def redoc_csp() -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            # ReDoc writes its styles into <style> elements as it renders.
            "style-src 'unsafe-inline'",
            "img-src data:",
            "connect-src 'self'",
            # Its search index runs in a Web Worker made from a blob: URL.
            "worker-src blob:",
            _FIXED,
        ]
    )


def oauth2_redirect_csp(html: str) -> str:
    scripts, _ = inline_hashes(html)
    return "; ".join(["default-src 'none'", " ".join(["script-src", *scripts]), _FIXED])


def _page(html: HTMLResponse, csp: str) -> HTMLResponse:
    html.headers["Content-Security-Policy"] = csp
    return html


# -- the routes ---------------------------------------------------------------------------


def add_docs(app: FastAPI, title: str, openapi_url: str) -> None:
    """/docs, /docs/oauth2-redirect, /redoc and the files they load
    (/docs/static/{package}/{name}); FastAPI(docs_url=None, redoc_url=None)."""

    assets = load_assets()
    oauth2_url = "/docs/oauth2-redirect"

    def url(request: Request, name: str) -> str:
        root = request.scope.get("root_path", "")
        return f"{root}{STATIC_PREFIX}{name}?v={assets[name].version}"

    @app.get(STATIC_PREFIX + "{package}/{name}", include_in_schema=False)
    async def docs_static(request: Request, package: str, name: str) -> Response:
        asset = assets.get(f"{package}/{name}")
        if asset is None:
            raise NotFound("No such file of the documentation pages.")
        return asset_response(request, asset)

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{title} - Swagger UI",
            swagger_js_url=url(request, SWAGGER_JS),
            swagger_css_url=url(request, SWAGGER_CSS),
            swagger_favicon_url=NO_ICON,
            oauth2_redirect_url=root + oauth2_url,
        )
        return _page(page, swagger_csp(bytes(page.body).decode()))

    @app.get(oauth2_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        page = get_swagger_ui_oauth2_redirect_html()
        return _page(page, oauth2_redirect_csp(bytes(page.body).decode()))

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=request.scope.get("root_path", "") + openapi_url,
            title=f"{title} - ReDoc",
            redoc_js_url=url(request, REDOC_JS),
            redoc_favicon_url=NO_ICON,
            with_google_fonts=False,
        )
        return _page(page, redoc_csp())

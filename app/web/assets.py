"""The files the pages load, under /assets/: GOV.UK Frontend's stylesheet and
script, the service's own start-up module and stylesheet, and axe-core (for the
accessibility tests in a real browser).

Served exactly as /docs serves Swagger UI (app/docs_pages.py): every file of
app/static/web/MANIFEST.json read once and checked against its SHA-256 at start-up
(a damaged file stops start-up), answered from memory with a strong ETag, and
`immutable` for a year when asked for with `?v=<digest>` (the URLs the pages
write), `no-cache` otherwise. Public whatever the settings (app/security/
ALWAYS_PUBLIC_PREFIXES): they are the same files for everyone.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.docs_pages import Asset, asset_response, load_assets
from app.errors import NotFound

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "web"
PREFIX = "/assets/"

_MEDIA_TYPES = {
    # init.js is an ES module importing GOV.UK Frontend's (also a module).
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
}


def load(directory: Path = STATIC_DIR) -> dict[str, Asset]:
    """The manifest's files, checked; with the media types of JSON too."""
    assets = load_assets(directory)
    return {
        name: Asset(
            a.body, _MEDIA_TYPES.get(Path(name).suffix, "text/plain; charset=utf-8"), a.digest
        )
        for name, a in assets.items()
    }


ASSETS = load()


def asset_url(request: Request, name: str) -> str:
    """The URL a page writes for a file: versioned, so a browser may keep it a year."""
    root = request.scope.get("root_path", "")
    return f"{root}{PREFIX}{name}?v={ASSETS[name].version}"


router = APIRouter(include_in_schema=False)


@router.get(PREFIX + "{name:path}")
async def web_asset(request: Request, name: str) -> Response:
    asset = ASSETS.get(name)
    if asset is None:
        raise NotFound("No such file of the service's pages.")
    return asset_response(request, asset)

"""The GOV.UK Frontend and axe-core files vendored in app/static/web/ (issue 12):
each is the published file of the npm package pinned in
scripts/web-assets/package-lock.json, changed only by the manifest's patches,
with its licence; the service's own init.js and app.css are listed too; they
are public and never rate limited; and a damaged file stops start-up. All
offline: scripts/refresh_web_assets.py checked each tarball against the lock."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.web.assets import STATIC_DIR, load
from tests.test_security_support import API_KEYS, build_app

ROOT = Path(__file__).resolve().parents[1]
LOCK_DIR = ROOT / "scripts" / "web-assets"
MANIFEST = json.loads((STATIC_DIR / "MANIFEST.json").read_text())
LOCK = json.loads((LOCK_DIR / "package-lock.json").read_text())
PACKAGE = json.loads((LOCK_DIR / "package.json").read_text())
CSS = "govuk-frontend/govuk-frontend.min.css"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_versions_are_pinned_exactly() -> None:
    assert PACKAGE["dependencies"] == {"axe-core": "4.14.1", "govuk-frontend": "6.6.0"}
    for package, version in PACKAGE["dependencies"].items():
        entry = LOCK["packages"][f"node_modules/{package}"]
        assert entry["version"] == version
        assert entry["integrity"].startswith("sha512-")
        assert MANIFEST["packages"][package] == {
            "version": version,
            "integrity": entry["integrity"],
        }


def test_every_file_matches_its_sha256_and_nothing_else_is_there() -> None:
    on_disk = sorted(str(p.relative_to(STATIC_DIR)) for p in STATIC_DIR.rglob("*") if p.is_file())
    assert on_disk == sorted([*MANIFEST["files"], "MANIFEST.json"])
    for name, entry in MANIFEST["files"].items():
        assert sha256((STATIC_DIR / name).read_bytes()) == entry["sha256"], name
        if entry["package"] is None:  # the service's own
            assert name in ("init.js", "app.css", "calculator.css")
        else:
            assert entry["package"] == name.split("/")[0]


def test_undoing_the_patches_gives_the_published_files() -> None:
    assert [p["file"] for p in MANIFEST["patches"]] == [CSS, CSS]
    for name, entry in MANIFEST["files"].items():
        if entry["package"] is None:
            continue
        data = (STATIC_DIR / name).read_bytes()
        for patch in MANIFEST["patches"]:
            if patch["file"] == name:
                new, old = patch["new"].encode(), patch["old"].encode()
                assert data.count(old) == 0 and data.count(new) == 1
                data = data.replace(new, old)
        assert sha256(data) == entry["upstream_sha256"], name


def test_the_stylesheet_asks_for_no_font_and_no_crown() -> None:
    # GDS Transport is licensed for GOV.UK only; a council's pages fall back to Arial.
    css = (STATIC_DIR / CSS).read_text()
    assert "@font-face" not in css
    assert "/assets/fonts/" not in css
    assert "GDS Transport,arial,sans-serif" in css
    # The crest is only the copyright logo's, which the pages do not use.
    assert set(re.findall(r"url\(([^)]*)\)", css)) == {"/assets/images/govuk-crest.svg"}
    assert ".govuk-footer__copyright-logo" in css


def test_the_files_are_the_versions_the_lock_names() -> None:
    assert (
        'const version="6.6.0"' in (STATIC_DIR / "govuk-frontend/govuk-frontend.min.js").read_text()
    )
    assert "axe v4.14.1" in (STATIC_DIR / "axe-core/axe.min.js").read_text()[:300]
    assert (
        json.loads((STATIC_DIR / "govuk-frontend/package.json").read_text())["version"] == "6.6.0"
    )


def test_the_licences_go_with_the_files() -> None:
    gf = json.loads((STATIC_DIR / "govuk-frontend/package.json").read_text())
    assert gf["license"] == "MIT"
    assert "released under the MIT License" in (STATIC_DIR / "govuk-frontend/README.md").read_text()
    assert "Mozilla Public License" in (STATIC_DIR / "axe-core/LICENSE").read_text()
    assert (STATIC_DIR / "axe-core/LICENSE-3RD-PARTY.txt").stat().st_size > 0


def test_init_starts_govuk_frontend_from_the_vendored_module() -> None:
    init = (STATIC_DIR / "init.js").read_text()
    assert 'from "./govuk-frontend/govuk-frontend.min.js"' in init
    assert "initAll()" in init


def test_the_files_are_in_the_installed_package() -> None:
    # pip install . (the Docker image) takes only what package-data names.
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["app"]
    templates = [f"web/templates/{p.name}" for p in (ROOT / "app/web/templates").glob("*.html")]
    static = [f"static/web/{name}" for name in [*MANIFEST["files"], "MANIFEST.json"]]
    for path in [*static, *templates]:
        assert any(fnmatch(path, p) and path.count("/") == p.count("/") for p in patterns), path


def test_an_altered_or_missing_file_stops_start_up(tmp_path: Path) -> None:
    copy = tmp_path / "web"
    shutil.copytree(STATIC_DIR, copy)
    assert set(load(copy)) == set(MANIFEST["files"])
    init = copy / "init.js"
    init.write_bytes(init.read_bytes() + b"\n")
    with pytest.raises(RuntimeError, match=r"does not match MANIFEST\.json"):
        load(copy)
    init.unlink()
    with pytest.raises(FileNotFoundError):
        load(copy)


def test_the_files_are_served_with_their_types_and_cached_by_version() -> None:
    from app.web.assets import ASSETS

    with TestClient(build_app()) as c:
        for name, media in [
            (CSS, "text/css; charset=utf-8"),
            ("init.js", "text/javascript; charset=utf-8"),
            ("axe-core/axe.min.js", "text/javascript; charset=utf-8"),
        ]:
            asset = ASSETS[name]
            r = c.get(f"/assets/{name}?v={asset.version}")
            assert r.status_code == 200 and r.headers["content-type"] == media
            assert r.content == (STATIC_DIR / name).read_bytes()
            assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
            again = c.get(f"/assets/{name}", headers={"If-None-Match": r.headers["etag"]})
            assert again.status_code == 304 and again.headers["cache-control"] == "no-cache"
        assert c.get("/assets/MANIFEST.json").status_code == 404
        assert c.get("/assets/../main.py").status_code == 404


def test_the_files_are_public_when_credentials_are_required() -> None:
    app = build_app(auth_required=True, api_keys=API_KEYS, rate_limit_per_minute=1)
    with TestClient(app) as c:
        assert c.post("/v1/deadlines", json={}).status_code == 401
        assert c.post("/v1/deadlines", json={}).status_code == 429
        for _ in range(3):
            assert c.get(f"/assets/{CSS}").status_code == 200
            assert c.get("/accessibility").status_code == 200

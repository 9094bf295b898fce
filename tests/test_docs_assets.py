"""The Swagger UI and ReDoc files vendored in app/static/docs/ (issue 9): each
is the published file of the npm package pinned in
scripts/docs-assets/package-lock.json, changed only by the manifest's
patches, with its licence; they are public like /docs; and a damaged file
stops start-up. All offline: the lock's integrity was checked against the
tarball by scripts/refresh_docs_assets.py, and the manifest records it."""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.docs_pages import STATIC_DIR, load_assets
from tests.test_security_support import API_KEYS, build_app

ROOT = Path(__file__).resolve().parents[1]
LOCK_DIR = ROOT / "scripts" / "docs-assets"
MANIFEST = json.loads((STATIC_DIR / "MANIFEST.json").read_text())
LOCK = json.loads((LOCK_DIR / "package-lock.json").read_text())
PACKAGE = json.loads((LOCK_DIR / "package.json").read_text())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_versions_are_pinned_exactly_and_current_majors() -> None:
    assert PACKAGE["dependencies"] == {"redoc": "2.5.4", "swagger-ui-dist": "5.35.0"}
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
        assert entry["package"] == name.split("/")[0]


def test_undoing_the_patches_gives_the_published_files() -> None:
    assert [p["file"] for p in MANIFEST["patches"]] == ["redoc/redoc.standalone.js"]
    for name, entry in MANIFEST["files"].items():
        data = (STATIC_DIR / name).read_bytes()
        for patch in MANIFEST["patches"]:
            if patch["file"] == name:
                new, old = patch["new"].encode(), patch["old"].encode()
                assert data.count(old) == 0
                data = data.replace(new, old)
        assert sha256(data) == entry["upstream_sha256"], name
    # The patch removes ReDoc's one request to another host (its logo).
    redoc = (STATIC_DIR / "redoc/redoc.standalone.js").read_text()
    assert "cdn.redoc.ly" not in redoc


def test_the_bundles_are_the_versions_the_lock_names() -> None:
    swagger = (STATIC_DIR / "swagger-ui-dist/swagger-ui-bundle.js").read_text()
    assert 'PACKAGE_VERSION:"5.35.0"' in swagger
    notice = (STATIC_DIR / "redoc/redoc.standalone.js.LICENSE.txt").read_text()
    assert 'Version: "2.5.4"' in notice


def test_the_licences_go_with_the_files() -> None:
    swagger = (STATIC_DIR / "swagger-ui-dist/LICENSE").read_text()
    assert "Apache License" in swagger and "Version 2.0" in swagger
    assert "swagger-ui" in (STATIC_DIR / "swagger-ui-dist/NOTICE").read_text().lower()
    assert "MIT License" in (STATIC_DIR / "redoc/LICENSE").read_text()
    for bundle in ("swagger-ui-dist/swagger-ui-bundle.js", "redoc/redoc.standalone.js"):
        assert f"{bundle}.LICENSE.txt" in MANIFEST["files"]


def test_the_files_are_in_the_installed_package() -> None:
    # pip install . (the Docker image) takes only what package-data names.
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["app"]
    for name in [*MANIFEST["files"], "MANIFEST.json"]:
        path = f"static/docs/{name}"
        assert any(fnmatch(path, p) and path.count("/") == p.count("/") for p in patterns), path


def test_an_altered_or_missing_file_stops_start_up(tmp_path: Path) -> None:
    copy = tmp_path / "docs"
    shutil.copytree(STATIC_DIR, copy)
    assert set(load_assets(copy)) == set(MANIFEST["files"])
    bundle = copy / "swagger-ui-dist/swagger-ui-bundle.js"
    bundle.write_bytes(bundle.read_bytes() + b"\n")
    with pytest.raises(RuntimeError, match=r"does not match MANIFEST\.json"):
        load_assets(copy)
    bundle.unlink()
    with pytest.raises(FileNotFoundError):
        load_assets(copy)


def test_the_files_are_public_when_credentials_are_required() -> None:
    app = build_app(auth_required=True, api_keys=API_KEYS, rate_limit_per_minute=1)
    with TestClient(app) as c:
        # The one request a minute that an anonymous caller may make, refused.
        assert c.post("/v1/deadlines", json={}).status_code == 401
        assert c.post("/v1/deadlines", json={}).status_code == 429
        # The docs and their files: no credentials, never rate limited.
        assert c.get("/docs").status_code == 200
        for name in ("swagger-ui-dist/swagger-ui-bundle.js", "redoc/redoc.standalone.js"):
            for _ in range(3):
                assert c.get(f"/docs/static/{name}").status_code == 200
        # The prefix opens the files only: nothing else answers under it.
        assert c.get("/docs/static/v1/deadlines").status_code == 404

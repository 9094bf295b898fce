"""Refresh app/static/docs/ from the npm packages pinned in scripts/docs-assets/.

/docs and /redoc load Swagger UI and ReDoc from the service itself (a council
network may have no internet), so their files are in the repository. This
script is the only way they change:

1. change the exact versions in scripts/docs-assets/package.json;
2. `cd scripts/docs-assets && npm install --package-lock-only --ignore-scripts`
   (the lock records each package's tarball and its sha512 integrity);
3. `python scripts/refresh_docs_assets.py` (needs npm and the npm registry):
   it fetches each package's tarball with `npm pack`, checks it against the
   lock's integrity, copies the files the pages need with their licences,
   applies PATCHES (below) and writes app/static/docs/MANIFEST.json (the
   SHA-256 of each file as served and as published, and the patches);
4. load /docs and /redoc (tests/test_docs_browser.py) and commit.

tests/test_docs_assets.py checks, offline, that the files match the manifest
and the manifest matches the lock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_DIR = ROOT / "scripts" / "docs-assets"
OUT = ROOT / "app" / "static" / "docs"

# The files of each package that the pages load, with the licence texts that
# must go with them (Swagger UI: Apache-2.0 with a NOTICE; ReDoc: MIT; each
# bundle's .LICENSE.txt names the licences of what it bundles).
FILES = {
    "swagger-ui-dist": [
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-ui-bundle.js.LICENSE.txt",
        "LICENSE",
        "NOTICE",
    ],
    "redoc": [
        "bundles/redoc.standalone.js",
        "bundles/redoc.standalone.js.LICENSE.txt",
        "LICENSE",
    ],
}


# Changes made to the upstream files, each an exact string found exactly once.
# ReDoc 2.5.4 always shows "API docs by Redocly" with a logo image from
# cdn.redoc.ly (no option turns it off): the page's CSP blocks it, which puts a
# CSP error in every reader's console and, without the CSP, would tell a third
# party who reads the docs. An empty data: URL fails to load, and ReDoc then
# leaves the logo out (its onError) and keeps the text. Recorded in the
# manifest, so tests/test_docs_assets.py can undo them and check the upstream
# SHA-256.
PATCHES = [
    {
        "file": "redoc/redoc.standalone.js",
        "old": 'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"',
        "new": 'src:"data:,"',
    },
]


def patched(name: str, data: bytes, patches: list[dict[str, str]] = PATCHES) -> bytes:
    for patch in patches:
        if patch["file"] == name:
            old, new = patch["old"].encode(), patch["new"].encode()
            if data.count(old) != 1:
                raise SystemExit(f"{name}: {patch['old']!r} is not there exactly once")
            data = data.replace(old, new)
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def locked(lock: dict[str, object], package: str) -> dict[str, str]:
    packages = lock["packages"]
    assert isinstance(packages, dict)
    entry = packages[f"node_modules/{package}"]
    return {"version": entry["version"], "integrity": entry["integrity"]}


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def vendor(
    lock_dir: Path,
    files: dict[str, list[tuple[str, str]]],
    patches: list[dict[str, str]],
    out: Path,
    own_files: tuple[str, ...] = (),
) -> int:
    """Fetch each package of `files` ({package: [(file in the package, name
    served)]}) at its locked version with `npm pack`, check it against the
    lock's integrity, apply `patches`, add the project's `own_files` (already
    in `out`), and replace `out` with them and a MANIFEST.json. Shared with
    scripts/refresh_web_assets.py."""
    lock = json.loads((lock_dir / "package-lock.json").read_text())
    manifest: dict[str, object] = {"packages": {}, "files": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        staged = work / "out"
        staged.mkdir()
        for package, names in files.items():
            pin = locked(lock, package)
            subprocess.run(
                ["npm", "pack", "--silent", f"{package}@{pin['version']}"],
                cwd=work,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            tarball = work / f"{package}-{pin['version']}.tgz"
            if integrity_of(tarball.read_bytes()) != pin["integrity"]:
                print(f"{tarball.name} does not match the lock's integrity", file=sys.stderr)
                return 1
            manifest["packages"][package] = pin  # type: ignore[index]
            with tarfile.open(tarball) as archive:
                for source, name in names:
                    member = archive.extractfile(f"package/{source}")
                    assert member is not None, source
                    upstream = member.read()
                    served = f"{package}/{name}"
                    data = patched(served, upstream, patches)
                    target = staged / served
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    manifest["files"][served] = {  # type: ignore[index]
                        "package": package,
                        "from": source,
                        "sha256": sha256(data),
                        "upstream_sha256": sha256(upstream),
                    }
        for name in own_files:
            data = (out / name).read_bytes()
            (staged / name).write_bytes(data)
            manifest["files"][name] = {"package": None, "sha256": sha256(data)}  # type: ignore[index]
        manifest["patches"] = patches
        (staged / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(staged, out)
    for path, entry in manifest["files"].items():  # type: ignore[attr-defined]
        print(f"{entry['sha256'][:16]}  {path}")
    return 0


def main() -> int:
    files = {
        package: [(name, Path(name).name) for name in names] for package, names in FILES.items()
    }
    return vendor(LOCK_DIR, files, PATCHES, OUT)


if __name__ == "__main__":
    sys.exit(main())

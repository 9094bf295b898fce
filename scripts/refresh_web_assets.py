"""Refresh app/static/web/ from the npm packages pinned in scripts/web-assets/.

The service's own pages (app/web/) are built on GOV.UK Frontend, and their
browser tests run axe-core; both are served by the service itself (a council
network may have no internet), so their files are in the repository. This
script is the only way they change, in the same steps as
scripts/refresh_docs_assets.py:

1. change the exact versions in scripts/web-assets/package.json;
2. `cd scripts/web-assets && npm install --package-lock-only --ignore-scripts`;
3. `python scripts/refresh_web_assets.py` (needs npm and the npm registry):
   each package's tarball is fetched with `npm pack`, checked against the
   lock's sha512 integrity, and the files below are copied with their licence
   texts, PATCHES applied, into app/static/web/ with MANIFEST.json (the SHA-256
   of each file as served and as published). app/static/web/init.js, the
   service's own start-up module, is kept and listed in the manifest too;
   After editing init.js or app.css alone: `python scripts/refresh_web_assets.py
   --own` (offline) records their new SHA-256;
4. load the pages (tests/test_web_pages.py and the browser tests) and commit.

What is left out, on purpose: the GDS Transport font, and the crown images
and icons. The font is licensed for GOV.UK's own domains only, and the crown
marks a service as part of GOV.UK; a council's service is neither, and GOV.UK
Frontend's generic header exists for such services. The compiled stylesheet's
two @font-face rules are patched out (what `$govuk-include-default-font-face:
false` does when the Sass is compiled), so the pages use Arial, the
stylesheet's own fallback, and ask for no font file.

tests/test_web_assets.py checks, offline, that the files match the manifest
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
LOCK_DIR = ROOT / "scripts" / "web-assets"
OUT = ROOT / "app" / "static" / "web"
# Written by hand, kept across refreshes: the pages' own script and stylesheet.
OWN_FILES = ("init.js", "app.css", "calculator.css")

# package -> (path in the tarball, path served under app/static/web/<package>/).
# govuk-frontend has no LICENSE file in its tarball: its README's "Licence"
# section and package.json ("license": "MIT") are the licence statement.
FILES = {
    "govuk-frontend": [
        ("dist/govuk/govuk-frontend.min.css", "govuk-frontend.min.css"),
        ("dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"),
        ("README.md", "README.md"),
        ("package.json", "package.json"),
    ],
    "axe-core": [
        ("axe.min.js", "axe.min.js"),
        ("LICENSE", "LICENSE"),
        ("LICENSE-3RD-PARTY.txt", "LICENSE-3RD-PARTY.txt"),
    ],
}

_FONT_FACE = (
    "@font-face{{font-family:GDS Transport;font-style:normal;font-weight:{weight};"
    'font-display:fallback;src:url(/assets/fonts/{woff2}) format("woff2"),'
    'url(/assets/fonts/{woff}) format("woff")}}'
)
# Each an exact string found exactly once (see the module docstring for why).
PATCHES = [
    {
        "file": "govuk-frontend/govuk-frontend.min.css",
        "old": _FONT_FACE.format(
            weight=400, woff2="light-94a07e06a1-v2.woff2", woff="light-f591b13f7d-v2.woff"
        ),
        # A comment of its own for each, so that the patch can be undone exactly.
        "new": "/*GDS Transport 400 left out: scripts/refresh_web_assets.py*/",
    },
    {
        "file": "govuk-frontend/govuk-frontend.min.css",
        "old": _FONT_FACE.format(
            weight=700, woff2="bold-b542beb274-v2.woff2", woff="bold-affa96571d-v2.woff"
        ),
        "new": "/*GDS Transport 700 left out: scripts/refresh_web_assets.py*/",
    },
]


def patched(name: str, data: bytes) -> bytes:
    for patch in PATCHES:
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


def rehash_own_files() -> int:
    """`--own`: after editing init.js or app.css, record their new SHA-256 in the
    manifest, offline, leaving the packages' files as they are."""
    path = OUT / "MANIFEST.json"
    manifest = json.loads(path.read_text())
    for name in OWN_FILES:
        data = (OUT / name).read_bytes()
        manifest["files"][name] = {"package": None, "sha256": sha256(data)}
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--own"]:
        return rehash_own_files()
    lock = json.loads((LOCK_DIR / "package-lock.json").read_text())
    manifest: dict[str, object] = {"packages": {}, "files": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        staged = work / "out"
        staged.mkdir()
        for package, names in FILES.items():
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
                    data = patched(served, upstream)
                    target = staged / served
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    manifest["files"][served] = {  # type: ignore[index]
                        "package": package,
                        "from": source,
                        "sha256": sha256(data),
                        "upstream_sha256": sha256(upstream),
                    }
        for name in OWN_FILES:
            data = (OUT / name).read_bytes()
            (staged / name).write_bytes(data)
            manifest["files"][name] = {"package": None, "sha256": sha256(data)}  # type: ignore[index]
        manifest["patches"] = PATCHES
        (staged / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
        if OUT.exists():
            shutil.rmtree(OUT)
        shutil.copytree(staged, OUT)
    for path, entry in manifest["files"].items():  # type: ignore[attr-defined]
        print(f"{entry['sha256'][:16]}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

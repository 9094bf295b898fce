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

import json
import sys
from pathlib import Path

# The fetching, checking and manifest are the docs assets' (same lock format).
from refresh_docs_assets import sha256, vendor

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
    return vendor(LOCK_DIR, FILES, PATCHES, OUT, OWN_FILES)


if __name__ == "__main__":
    sys.exit(main())

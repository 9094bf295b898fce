"""Write the conformance vectors the app serves to openapi/, or check the files are current.

python scripts/write_conformance.py          # write (make conformance); commit the result
python scripts/write_conformance.py --check  # exit 1 if a committed file differs

openapi/conformance.json is GET /v1/conformance's answer and openapi/conformance.schema.json
GET /v1/conformance/schema's, both asked of the app itself (so the files are what a caller
gets) and written indented, so that a change to one example is a small diff.
tests/test_conformance.py fails when either differs from what the app serves.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from app.main import app  # noqa: E402

TARGETS = {
    ROOT / "openapi" / "conformance.json": "/v1/conformance",
    ROOT / "openapi" / "conformance.schema.json": "/v1/conformance/schema",
}


def render(path: str) -> str:
    with TestClient(app) as client:
        answer = client.get(path)
    answer.raise_for_status()
    return json.dumps(answer.json(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    stale = []
    for target, path in TARGETS.items():
        text = render(path)
        name = target.relative_to(ROOT)
        if "--check" in sys.argv:
            current = target.read_text(encoding="utf-8") if target.exists() else "null"
            if json.loads(current) != json.loads(text):
                stale.append(name)
            continue
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {name} (GET {path})")
    if stale:
        print(
            ", ".join(map(str, stale)) + " out of date: run `make conformance` and commit it.",
            file=sys.stderr,
        )
        return 1
    if "--check" in sys.argv:
        print("openapi/conformance.json and openapi/conformance.schema.json match the app.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the app's OpenAPI document to openapi/openapi.json, or check it is current.

python scripts/export_openapi.py          # regenerate
python scripts/export_openapi.py --check  # exit 1 if the committed file differs
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.main import app  # noqa: E402

TARGET = ROOT / "openapi" / "openapi.json"


def render() -> str:
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if json.loads(current or "null") != json.loads(text):
            print(f"{TARGET.relative_to(ROOT)} is out of date: run `make openapi` and commit it.")
            return 1
        print(f"{TARGET.relative_to(ROOT)} matches the app.")
        return 0
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the app's OpenAPI document to openapi/openapi.json, or check it is current.

python scripts/export_openapi.py          # regenerate
python scripts/export_openapi.py --check  # exit 1 if the committed file differs or is not valid

Both validate the document as OpenAPI 3.1 (openapi-spec-validator) first.
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


def invalid(document: dict) -> str | None:
    """Why the document is not valid OpenAPI 3.1, or None."""
    # A dev dependency: imported here so that render() needs only the app.
    from openapi_spec_validator import OpenAPIV31SpecValidator, validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(document, cls=OpenAPIV31SpecValidator)
    except OpenAPIValidationError as exc:
        return str(exc)
    # The validator does not follow every $ref (a request body's reference to
    # a schema that is not there passed it: issue 9), so each is looked up.
    dangling = [ref for ref in _refs(document) if not _resolves(document, ref)]
    return f"references that do not resolve: {sorted(set(dangling))}" if dangling else None


def _refs(node: object) -> list[str]:
    found, stack = [], [node]
    while stack:  # bounded: each node of the JSON tree is visited once
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                found.append(item["$ref"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _resolves(document: dict, ref: str) -> bool:
    if not ref.startswith("#/"):
        return False  # the document is self-contained
    node: object = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def main() -> int:
    text = render()
    problem = invalid(json.loads(text))
    if problem is not None:
        print(f"The app's OpenAPI document is not valid OpenAPI 3.1: {problem}")
        return 1
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

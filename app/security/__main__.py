"""Issue an API key: `python -m app.security new-key NAME`.

Prints the key once (give it to the case system) and the API_KEYS entry to
configure (its SHA-256 digest: the service never stores the key itself).
Or `python -m app.security digest` reads a key on standard input.
"""

from __future__ import annotations

import json
import secrets
import sys

from app.security.config import SecurityConfigError, parse_api_keys
from app.security.credentials import digest_of


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "new-key":
        name = argv[1]
        key = secrets.token_urlsafe(32)
        entry = {"name": name, "sha256": digest_of(key)}
        try:
            parse_api_keys(json.dumps([entry]))
        except SecurityConfigError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"key (give to the caller, once): {key}")
        print(f"API_KEYS entry: {json.dumps(entry)}")
        return 0
    if argv == ["digest"]:
        print(digest_of(sys.stdin.readline().rstrip("\r\n")))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

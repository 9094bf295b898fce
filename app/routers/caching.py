"""Conditional responses for reference data: ETag, Cache-Control, If-None-Match.

Reference data changes only with a deployment, so answers carry a strong ETag
(a digest of the body) and may be cached for an hour; a client that sends the
ETag back in If-None-Match gets 304 Not Modified and no body.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Request, Response
from pydantic import TypeAdapter

CACHE_CONTROL = "public, max-age=3600"

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag sent in If-None-Match is still current."}
}


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def reference_response(request: Request, payload: Any, annotation: Any) -> Response:
    """Serialise `payload` as `annotation` and answer 200 with an ETag, or 304."""
    body = TypeAdapter(annotation).dump_json(payload, by_alias=True)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)

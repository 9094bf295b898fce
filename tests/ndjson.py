"""NDJSON handed to the app the way a real server hands over a slow client's body."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

from app.main import app


def asgi_post(
    body: bytes,
    chunk: int,
    path: str = "/v1/overdue",
    content_type: bytes = b"application/x-ndjson",
    gone: bool = False,
) -> tuple[int, bytes]:
    """POST `body` straight to the app in pieces of `chunk` bytes, as a slow
    client sends it; the status and the answer. With `gone`, the client goes
    away as soon as it has sent the body."""
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"content-type", content_type), (b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "scheme": "http",
        "root_path": "",
    }
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if pieces:
            await asyncio.sleep(0)
            return {"type": "http.request", "body": pieces.pop(0), "more_body": bool(pieces)}
        if not gone:
            await asyncio.sleep(3600)  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(asyncio.wait_for(app(scope, receive, send), timeout=60))
    status: int = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

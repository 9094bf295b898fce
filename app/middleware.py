"""ASGI middleware: request logging without case data, and a body-size limit.

Both are plain ASGI (not BaseHTTPMiddleware) so that streamed NDJSON bodies
and responses pass through untouched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.errors import TooLarge
from app.problems import problem_for

log = logging.getLogger("app.requests")


class RequestLogMiddleware:
    """Logs method, path, status and duration: never bodies or query strings.

    Query strings are left out because a caller may put case data in them;
    bodies are children's case data and are never read here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            log.info(
                "%s %s %d %.1fms",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )


class BodySizeLimitMiddleware:
    """Answers 413 problem+json when a body exceeds the configured limit.

    The declared Content-Length is checked first; a chunked body is counted
    as it streams, and the request is cut off as soon as it passes the limit.
    `limit_for(scope)` lets the streamed NDJSON caseload have a larger limit.
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        too_large = TooLarge(
            f"The request body is larger than the limit of {limit} bytes for this endpoint."
        )
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > limit:
                    await problem_for(too_large)(scope, receive, send)
                    return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException, because FastAPI turns any other error
                    # raised while reading a body into a 400; this one it
                    # passes on to the problem handler as a 413.
                    raise HTTPException(413, too_large.detail)
            return message

        async def noting_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        except HTTPException as exc:
            if exc.status_code != 413 or response_started:
                raise
            await problem_for(too_large)(scope, receive, send)

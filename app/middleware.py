"""ASGI middleware: request logging without case data, and a body-size limit.

Both are plain ASGI (not BaseHTTPMiddleware) so that streamed NDJSON bodies
and responses pass through untouched.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TooLarge
from app.logs import request_id
from app.problems import problem_for

log = logging.getLogger("app.requests")


class RequestLogMiddleware:
    """Logs method, route, status, duration and request id: never bodies,
    query strings or the raw path.

    The route is the template that matched (`/v1/calendars/{calendar_id}`),
    not the path the caller sent: a path may carry case data in an id, and
    a raw path is where forged log lines (`%0A`) and control bytes come in.
    The request id is the caller's `Request-Id` (or `X-Request-Id`) when it
    is a plain token, otherwise a new one; it is sent back on the answer and
    set for every log line written while the request is handled.

    `observe(method, route, status, seconds)`, when given, receives the same
    labels as the log line (app/metrics.py counts them), so that the metrics
    and the log always agree.
    """

    def __init__(
        self, app: ASGIApp, observe: Callable[[str, str, int, float], None] | None = None
    ) -> None:
        self.app = app
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        rid = _request_id(scope)
        # Not reset afterwards: each request runs in its own task and context,
        # and the app's 500 handler, outside this middleware, logs after it.
        request_id.set(rid)
        header = (b"request-id", rid.encode())

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "(no route)"
            caller = scope.get("state", {}).get("caller")
            method = scope["method"] if scope["method"] in _METHODS else "(other method)"
            seconds = time.perf_counter() - started
            log.info(
                "%s %s %d %.1fms%s",
                method,
                template,
                status,
                seconds * 1000,
                f" caller={caller}" if caller else "",
            )
            if self.observe is not None:
                self.observe(method, template, status, seconds)


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name in (b"request-id", b"x-request-id"):
            text: str = value.decode("latin-1")
            if _REQUEST_ID.fullmatch(text):
                return text
    return uuid.uuid4().hex


class BodySizeLimitMiddleware:
    """Answers 413 problem+json when a body exceeds the configured limit.

    The declared Content-Length is checked first; a chunked body is counted
    as it streams, and the request is cut off as soon as it passes the limit.
    `limit_for(scope)` lets the streamed NDJSON caseload have a larger limit.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit_for: Callable[[Scope], int],
        answer_for: Callable[[Scope, TooLarge, int], ASGIApp] | None = None,
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        # The 413 itself: the problem+json answer, unless `answer_for` gives
        # another (an HTML page for the web pages' forms).
        self.answer_for = answer_for or (lambda _scope, error, _limit: problem_for(error))

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
                    await self.answer_for(scope, too_large, limit)(scope, receive, send)
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
            await self.answer_for(scope, too_large, limit)(scope, receive, send)

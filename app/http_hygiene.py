"""HTTP hygiene for a service in front of case systems.

* Every answer (problems, 404s, 304s, redirects, the NDJSON stream, the 500
  of a bug) carries `X-Content-Type-Options: nosniff`, `Referrer-Policy:
  no-referrer`, `X-Frame-Options: DENY` and a Content-Security-Policy:
  `default-src 'none'` for the API, and for the documentation pages exactly
  the scripts and styles they load (app/docs_pages.py). Case answers (`POST /v1/deadlines`,
  `POST /v1/overdue`) are always `Cache-Control: no-store`; any other answer
  keeps the Cache-Control its route set (reference data: an hour, with an
  ETag) and gets `no-store` when it set none.
* HEAD is answered wherever GET is: the request is run as a GET and the body
  dropped, so status and headers are the GET's (FastAPI's routes answer 405
  to HEAD, and adding HEAD to each would put every operation in the OpenAPI
  document twice).
* A body with a `Content-Encoding` other than `identity` is refused with 415
  before it is read: the service does not decompress, and a compressed body
  would get past the body-size limit. A JSON body sent with another
  Content-Type is 415 too, naming what is accepted; one sent with none is
  read as JSON (as `POST /v1/overdue` reads it).
* A path with a trailing slash that names a route without it is answered
  308 with a relative `Location` (path and query only): never the Host
  header, never a `//host` reference. Anything else is the 404 problem.

All plain ASGI (not BaseHTTPMiddleware), so streamed bodies pass untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from starlette._utils import get_route_path  # the path as routing sees it, less root_path
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.docs_pages import add_docs
from app.errors import UnsupportedMediaType
from app.middleware import BodySizeLimitMiddleware
from app.problems import problem_for

# The answers that carry case data: never stored by a browser or a proxy.
CASE_PATHS = frozenset(
    {"/v1/deadlines", "/v1/overdue", "/v1/deadlines.ics", "/v1/overdue.ndjson", "/v1/what-if"}
)

# The API answers JSON only: nothing may load, run, frame or submit from it.
API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", API_CSP.encode()),
)
NO_STORE = b"no-store"


# -- headers on every answer -------------------------------------------------------------


def secured(headers: Iterable[tuple[bytes, bytes]], case_answer: bool) -> list[tuple[bytes, bytes]]:
    """The answer's headers with the security headers it lacks, and its
    Cache-Control (`no-store` for a case answer whatever the route set)."""
    out = [
        (name, value)
        for name, value in headers
        if not (case_answer and name.lower() == b"cache-control")
    ]
    present = {name.lower() for name, _ in out}
    out.extend(header for header in _SECURITY_HEADERS if header[0] not in present)
    if b"cache-control" not in present:
        out.append((b"cache-control", NO_STORE))
    return out


class SecurityHeadersMiddleware:
    """Adds the security headers and Cache-Control to every HTTP answer.

    It wraps the whole application (outside Starlette's error middleware),
    so the 500 answer of a bug carries them too.
    """

    def __init__(self, app: ASGIApp, case_paths: frozenset[str] = CASE_PATHS) -> None:
        self.app = app
        self.case_paths = case_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        case_answer = get_route_path(scope) in self.case_paths

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = secured(message.get("headers", ()), case_answer)
            await send(message)

        await self.app(scope, receive, send_secured)


# -- Content-Encoding ---------------------------------------------------------------------


def _shown(value: bytes) -> str:
    """A caller's header value as the problem's detail may quote it: printable
    ASCII, at most 60 characters."""
    text = "".join(c if " " <= c <= "~" else "?" for c in value.decode("latin-1"))
    return text if len(text) <= 60 else text[:57] + "..."


# Methods whose requests carry a body even when no header says so (HTTP/2
# needs neither Content-Length nor Transfer-Encoding).
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def refused_coding(method: str, headers: Iterable[tuple[bytes, bytes]]) -> bytes | None:
    """The Content-Encoding of a request that has a body, unless it is identity."""
    codings: list[bytes] = []
    length: bytes | None = None
    chunked = False
    for name, value in headers:
        if name == b"content-encoding":
            codings.extend(c.strip().lower() for c in value.split(b","))
        elif name == b"content-length":
            length = value.strip()
        elif name == b"transfer-encoding":
            chunked = True
    # A declared length says; without one, a chunked body or a method that
    # carries one (over HTTP/2 neither header need be sent).
    has_body = chunked or (length != b"0" if length is not None else method in _BODY_METHODS)
    if has_body and any(c not in (b"", b"identity") for c in codings):
        return b", ".join(c for c in codings if c)
    return None


class ContentEncodingMiddleware:
    """415 for a request body with a Content-Encoding other than identity,
    before any of it is read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            coding = refused_coding(scope["method"], scope.get("headers", ()))
            if coding is not None:
                response = problem_for(
                    UnsupportedMediaType(
                        f"Content-Encoding {_shown(coding)!r} is not accepted: send the body "
                        "uncompressed (identity); the service does not decompress bodies."
                    )
                )
                # RFC 9110 15.5.16: say which codings would have been accepted.
                response.headers["Accept-Encoding"] = "identity"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


# -- Content-Type of a JSON body --------------------------------------------------------


def is_json(media_type: str) -> bool:
    """application/json or application/<anything>+json, as FastAPI parses."""
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def json_body_only(request: Request) -> None:
    """An app-wide dependency: 415 for a route with a JSON body model when the
    Content-Type says something else. Without a Content-Type the body is read
    as JSON (FastAPI(strict_content_type=False)), as POST /v1/overdue does.
    Routes that read their body themselves (POST /v1/overdue) check their own."""
    route = request.scope.get("route")
    if getattr(route, "body_field", None) is None:
        return
    value = request.headers.get("content-type", "")
    media_type = value.split(";")[0].strip().lower()
    if not media_type or is_json(media_type):
        return
    raise UnsupportedMediaType(
        f"Content-Type {_shown(media_type.encode('latin-1', 'replace'))!r} is not supported: "
        "send application/json."
    )


# -- HEAD ---------------------------------------------------------------------------------


class HeadAsGetMiddleware:
    """HEAD runs as GET and the body is dropped: the same status and headers
    (Content-Length included) and no body, for every route that answers GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        # A copy: the server reads the method from its own scope to know that
        # no body goes on the wire.
        inner = dict(scope)
        inner["method"] = "GET"

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(inner, receive, headers_only)
        finally:
            # The route that matched, for the request log and the metrics.
            for key in ("route", "endpoint", "path_params"):
                if key in inner:
                    scope[key] = inner[key]


# -- trailing slashes -----------------------------------------------------------------------

# Characters left as they are in the Location path; the rest is %-encoded.
_PATH_SAFE = "/:@!$&'()*+,;=~"
_QUERY_SAFE = "/?:@!$&'()*+,;=~%"


def slash_location(scope: Scope, routes: Sequence[Any]) -> str | None:
    """The relative Location for a path that ends in `/` and names a route
    without it, or None. Never starts with `//` (a reference to another host)."""
    if scope["type"] != "http":
        return None
    path = get_route_path(scope)
    if path == "/" or not path.endswith("/"):
        return None
    stripped = scope["path"].rstrip("/")
    if not stripped.startswith("/") or stripped.startswith(("//", "/\\")):
        return None
    candidate = {**scope, "path": stripped}
    if not any(route.matches(candidate)[0] != Match.NONE for route in routes):
        return None
    location = quote(stripped, safe=_PATH_SAFE)
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        location += "?" + quote(query, safe=_QUERY_SAFE)
    return location


def slash_redirect(routes: Sequence[Any], not_found: ASGIApp) -> ASGIApp:
    """The router's default (what answers when no route matches): 308 to the
    path without its trailing slash when that is a route, else `not_found`."""

    async def default(scope: Scope, receive: Receive, send: Send) -> None:
        location = slash_location(scope, routes)
        if location is None:
            await not_found(scope, receive, send)
            return
        await Response(status_code=308, headers={"Location": location})(scope, receive, send)

    return default


# -- putting it together ------------------------------------------------------------------


def install_http_hygiene(app: FastAPI) -> None:
    """Called by create_app() once every router, middleware and the security
    layers are in place. The middleware, outermost first:

        SecurityHeaders (outside Starlette's error middleware: the 500 too)
        RequestLog (and metrics), CORS, Security (who may call)
        ContentEncoding (415 before the body-size limit reads a byte)
        BodySizeLimit
        HeadAsGet (innermost: the log and the metrics see HEAD)
    """
    add_docs(app, app.title, app.openapi_url or "/openapi.json")
    router = app.router
    router.default = slash_redirect(router.routes, router.default)

    stack = app.user_middleware  # [0] is the outermost
    limit_class: object = BodySizeLimitMiddleware
    at = next((i for i, m in enumerate(stack) if m.cls is limit_class), len(stack))
    stack.insert(at, Middleware(ContentEncodingMiddleware))
    stack.append(Middleware(HeadAsGetMiddleware))

    build: Callable[[], ASGIApp] = app.build_middleware_stack

    def build_secured() -> ASGIApp:
        return SecurityHeadersMiddleware(build())

    app.build_middleware_stack = build_secured  # type: ignore[method-assign]

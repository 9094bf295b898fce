"""The ASGI middleware that decides who may call: authentication, then the rate limit.

Plain ASGI (not BaseHTTPMiddleware), so streamed NDJSON bodies pass through
untouched; it reads headers only, never a body, and logs nothing.
"""

from __future__ import annotations

from starlette._utils import get_route_path  # the path as routing sees it, less root_path
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.problems import problem_response
from app.security.config import SecurityConfig
from app.security.credentials import (
    AuthFailure,
    AuthUnavailable,
    Caller,
    TokenVerifier,
    check_api_key,
)
from app.security.ratelimit import RateLimiter, client_key

REALM = "children-timescales"

# Liveness, readiness, metrics and the documentation: public whatever the
# settings, and never rate limited.
ALWAYS_PUBLIC = frozenset(
    {
        "/healthz",
        "/readyz",
        "/metrics",
        "/docs",
        "/docs/oauth2-redirect",
        "/redoc",
        "/openapi.json",
        # The web pages' accessibility statement: whoever cannot get in must
        # still be able to read how to ask for help (app/web/pages.py).
        "/accessibility",
    }
)
# The Swagger UI and ReDoc files that /docs and /redoc load (app/docs_pages.py),
# and the stylesheet and scripts of the web pages (app/web/assets.py).
ALWAYS_PUBLIC_PREFIXES = ("/docs/static/", "/assets/")


def is_always_public(path: str) -> bool:
    return path in ALWAYS_PUBLIC or path.startswith(ALWAYS_PUBLIC_PREFIXES)


# Reference data: the GETs under these paths carry no case data. Anything
# not listed (a new endpoint) needs credentials until it is listed here.
REFERENCE_DATA_PREFIXES = (
    "/v1/status",
    "/v1/calendars",
    "/v1/authorities",
    "/v1/catalogue",
    "/v1/documents",
    "/v1/standards",
    "/v1/themes",
    "/v1/timescales",
    "/v1/requirements",
    # The worked examples as conformance vectors, and their schema (app/routers/conformance.py).
    "/v1/conformance",
    # The web pages of the same reference data (app/web/catalogue.py): the
    # search (exactly "/"), a standard, a document, a theme, a requirement.
    "/",
    "/standards",
    "/documents",
    "/themes",
    "/requirements",
    # The bank-holiday calendars' pages (app/web/calendars.py), as /v1/calendars.
    "/calendars",
)
READ_METHODS = frozenset({"GET", "HEAD"})


def is_reference_data(method: str, path: str) -> bool:
    return method.upper() in READ_METHODS and any(
        path == prefix or path.startswith(prefix + "/") for prefix in REFERENCE_DATA_PREFIXES
    )


def needs_credentials(config: SecurityConfig, method: str, path: str) -> bool:
    if not config.auth_required or is_always_public(path):
        return False
    return not (config.public_reference_data and is_reference_data(method, path))


class SecurityMiddleware:
    """Names the caller in `scope["state"]["caller"]`, refuses with 401/403
    when credentials are missing or wrong, and with 429 past the rate limit."""

    def __init__(
        self,
        app: ASGIApp,
        config: SecurityConfig,
        verifier: TokenVerifier | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.app = app
        self.config = config
        self.verifier = verifier
        if verifier is None and config.oauth is not None:
            self.verifier = TokenVerifier(config.oauth)
        self.limiter = limiter
        if limiter is None and config.rate_limit_per_minute > 0:
            self.limiter = RateLimiter(config.rate_limit_per_minute, config.rate_limit_max_callers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = get_route_path(scope)
        if is_always_public(path):
            await self.app(scope, receive, send)
            return

        outcome: Caller | AuthFailure | AuthUnavailable | None = None
        if self.config.credentials_configured:
            try:
                outcome = await self._authenticate(Headers(scope=scope))
            except (AuthFailure, AuthUnavailable) as exc:
                outcome = exc
        if isinstance(outcome, Caller):
            state = scope.get("state")
            if not isinstance(state, dict):
                state = scope["state"] = {}
            state["caller"] = outcome.name

        if self.limiter is not None:
            client = scope.get("client")
            key = (
                "caller:" + outcome.name
                if isinstance(outcome, Caller)
                else client_key(client[0] if client else None)
            )
            wait = self.limiter.take(key)
            if wait > 0:
                await self._too_many(wait)(scope, receive, send)
                return

        if isinstance(outcome, AuthFailure):
            await self._refused(outcome)(scope, receive, send)
            return
        if isinstance(outcome, AuthUnavailable):
            await self._unavailable(outcome)(scope, receive, send)
            return
        if outcome is None and needs_credentials(self.config, scope["method"], path):
            await self._refused(None)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _authenticate(self, headers: Headers) -> Caller | None:
        raw = {name: value for name, value in headers.raw}
        key = raw.get(b"x-api-key")
        authorization = raw.get(b"authorization")
        if key is not None and authorization is not None:
            raise AuthFailure("Send one credential: X-API-Key or Authorization, not both.")
        if key is not None:
            if not self.config.api_keys:
                raise AuthFailure("This service does not accept API keys: use a bearer token.")
            return check_api_key(key.strip(), self.config.api_keys)
        if authorization is None:
            return None
        scheme, _, token = authorization.strip().partition(b" ")
        if scheme.lower() != b"bearer":
            raise AuthFailure("The Authorization scheme is not accepted: use `Bearer <token>`.")
        if self.verifier is None:
            raise AuthFailure("This service does not accept bearer tokens: use X-API-Key.")
        try:
            text = token.strip().decode("ascii")
        except UnicodeDecodeError:
            raise AuthFailure(
                "The bearer token is not a well-formed JWT.", bearer_error="invalid_token"
            ) from None
        return await self.verifier.verify(text)

    @staticmethod
    def _refused(failure: AuthFailure | None) -> Response:
        challenge = f'Bearer realm="{REALM}"'
        if failure is None:
            status = 401
            detail = (
                "This endpoint needs credentials: an API key in the X-API-Key header or an "
                "OAuth 2.0 access token as `Authorization: Bearer <token>`."
            )
        else:
            status, detail = failure.status, failure.detail
            if failure.bearer_error:
                challenge += f', error="{failure.bearer_error}"'
                if failure.scope:
                    challenge += f', scope="{failure.scope}"'
                challenge += f', error_description="{detail}"'.replace("`", "'")
        if status == 403:
            response = problem_response(403, "forbidden", "Forbidden", detail)
        else:
            response = problem_response(401, "unauthorized", "Unauthorized", detail)
        response.headers["WWW-Authenticate"] = challenge
        return response

    @staticmethod
    def _too_many(wait: float) -> Response:
        seconds = max(1, int(wait + 0.999))
        response = problem_response(
            429,
            "too-many-requests",
            "Too many requests",
            f"This caller has passed its rate limit; try again in {seconds} s.",
        )
        response.headers["Retry-After"] = str(seconds)
        return response

    @staticmethod
    def _unavailable(exc: AuthUnavailable) -> Response:
        response = problem_response(
            503,
            "authentication-unavailable",
            "Authentication unavailable",
            "The token issuer's signing keys could not be fetched; try again shortly.",
        )
        response.headers["Retry-After"] = str(max(1, exc.retry_after))
        return response


class ProblemCORSMiddleware(CORSMiddleware):
    """Starlette's CORSMiddleware, whose refused preflight is problem+json too."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        problem = problem_response(
            400,
            "cors-refused",
            "CORS preflight refused",
            f"This cross-origin request is not allowed (refused: {refused}).",
        )
        for name, value in response.headers.items():
            if name.lower() not in ("content-type", "content-length"):
                problem.headers[name] = value
        return problem

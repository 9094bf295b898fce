"""Who may call it: API keys and OAuth 2.0 bearer tokens, CORS, rate limits.

`install_security(app, settings)` is called once by `create_app()`. It reads
the settings (a mistake stops start-up), puts CORS and the security
middleware just inside the request log (so refusals are logged, with the
caller's name where known), and adds the security schemes to the OpenAPI
document when credentials are configured. With the default settings it adds
nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.middleware import Middleware

from app.middleware import RequestLogMiddleware
from app.security.config import SecurityConfig, SecurityConfigError, security_config
from app.security.credentials import digest_of
from app.security.middleware import ProblemCORSMiddleware, SecurityMiddleware
from app.security.openapi import add_security
from app.settings import Settings

__all__ = ["SecurityConfig", "SecurityConfigError", "digest_of", "install_security"]

CORS_HEADERS = ["Authorization", "X-API-Key", "Content-Type", "Accept", "If-None-Match"]
CORS_EXPOSED = ["ETag", "Retry-After", "WWW-Authenticate", "Content-Disposition"]


def install_security(app: FastAPI, settings: Settings) -> SecurityConfig:
    config = security_config(settings)
    layers: list[Middleware] = []  # outermost first
    if config.cors_allow_origins:
        layers.append(
            Middleware(
                ProblemCORSMiddleware,
                allow_origins=list(config.cors_allow_origins),
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=CORS_HEADERS,
                expose_headers=CORS_EXPOSED,
                allow_credentials=False,
                max_age=600,
            )
        )
    if config.middleware_needed:
        layers.append(Middleware(SecurityMiddleware, config=config))
    # user_middleware[0] is the outermost. Just inside the request log, so
    # that a 401 or 429 is logged too and the log sees the caller's name.
    stack = app.user_middleware
    log_class: object = RequestLogMiddleware
    at = next((i + 1 for i, m in enumerate(stack) if m.cls is log_class), 0)
    stack[at:at] = layers

    inner: Callable[[], dict[str, Any]] = app.openapi
    done = False

    def openapi() -> dict[str, Any]:
        nonlocal done
        schema = inner()
        if not done:
            add_security(schema, config)
            done = True
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return config

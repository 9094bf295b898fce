"""Security schemes in the OpenAPI document, when credentials are configured.

With the default settings (no credentials, no rate limit) the document is
left exactly as it was, so the committed openapi/openapi.json still matches.
"""

from __future__ import annotations

from typing import Any

from app.problems import PROBLEM_MEDIA_TYPE
from app.security.config import SecurityConfig
from app.security.middleware import ALWAYS_PUBLIC, needs_credentials

API_KEY_SCHEME = "ApiKey"
BEARER_SCHEME = "BearerJWT"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def add_security(schema: dict[str, Any], config: SecurityConfig) -> dict[str, Any]:
    """Adds securitySchemes and, to each operation, its security and refusals."""
    if not config.middleware_needed:
        return schema
    schemes: dict[str, Any] = {}
    if config.api_keys:
        schemes[API_KEY_SCHEME] = {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "An API key issued to a case system; its name appears in the log.",
        }
    if config.oauth is not None:
        schemes[BEARER_SCHEME] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An OAuth 2.0 access token from " + ", ".join(config.oauth.issuers),
        }
    if schemes:
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {}).update(schemes)
    for path, item in schema.get("paths", {}).items():
        if path in ALWAYS_PUBLIC:
            continue
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            if schemes:
                required = needs_credentials(config, method, path)
                options: list[dict[str, list[str]]] = [{name: []} for name in schemes]
                operation["security"] = options if required else [{}, *options]
                responses.setdefault(
                    "401", _problem("Credentials missing (where needed) or not valid.")
                )
                if config.oauth is not None:
                    if config.oauth.required_scope:
                        responses.setdefault(
                            "403", _problem("The token lacks the required scope or app role.")
                        )
                    responses.setdefault(
                        "503", _problem("The token issuer's signing keys could not be fetched.")
                    )
            if config.rate_limit_per_minute > 0:
                too_many = _problem("Rate limit passed: see Retry-After.")
                too_many["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait.",
                        "schema": {"type": "integer"},
                    }
                }
                responses.setdefault("429", too_many)
    return schema

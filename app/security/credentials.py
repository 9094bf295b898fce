"""Checking the credentials a request carries: an API key or a bearer token.

Messages say what is wrong ("The token has expired.") and never quote the
key or token, nor anything else the caller sent.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.to_thread
import jwt
from jwt import PyJWK, PyJWKClient, PyJWKSet

from app.security.config import ApiKey, OAuthConfig

MAX_KEY_CHARS = 512
MAX_TOKEN_CHARS = 16 * 1024
JWKS_FETCH_TIMEOUT = 5.0  # seconds, in a worker thread, never on the event loop
JWKS_REFRESH_COOLDOWN = 30.0  # at most one refresh for an unknown kid in this time
JWKS_FAILURE_BACKOFF = 10.0  # after a failed fetch, answer 503 at once for this long
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._@:-]")


@dataclass(frozen=True, slots=True)
class Caller:
    name: str
    method: str  # "api-key" or "bearer"


class AuthFailure(Exception):
    """Credentials that were sent but are not good; `detail` is safe to show."""

    def __init__(
        self, detail: str, status: int = 401, bearer_error: str | None = None, scope: str = ""
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.bearer_error = bearer_error
        self.scope = scope


class AuthUnavailable(Exception):
    """The issuer's signing keys could not be had; the caller may retry."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("The token issuer's signing keys could not be fetched.")
        self.retry_after = retry_after


def digest_of(key: str) -> str:
    """The SHA-256 hex digest to put in API_KEYS for `key`."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def check_api_key(key: bytes, keys: tuple[ApiKey, ...]) -> Caller:
    """`key` is the X-API-Key header's bytes, hashed as they came."""
    if not key or len(key) > MAX_KEY_CHARS:
        raise AuthFailure("The API key in X-API-Key is not recognised.")
    digest = hashlib.sha256(key).digest()
    found: ApiKey | None = None
    for candidate in keys:  # every digest is compared, in constant time each
        if hmac.compare_digest(digest, candidate.sha256):
            found = candidate
    if found is None:
        raise AuthFailure("The API key in X-API-Key is not recognised.")
    return Caller(found.name, "api-key")


class TokenVerifier:
    """Validates JWT access tokens against the issuer's JWKS (PyJWT).

    The key set is fetched by `PyJWKClient` (cached for `jwks_cache_seconds`,
    at most one refresh per cooldown for a kid it does not know), always in a
    worker thread of its own limiter, so the event loop never waits on the
    network and a slow issuer cannot take the threads the endpoints use.
    """

    def __init__(self, config: OAuthConfig, clock: Any = time.monotonic) -> None:
        self.config = config
        self.client = PyJWKClient(
            config.jwks_url,
            cache_jwk_set=True,
            lifespan=config.jwks_cache_seconds,
            timeout=JWKS_FETCH_TIMEOUT,
            cooldown_duration=JWKS_REFRESH_COOLDOWN,
        )
        self.clock = clock
        self._failed_until = 0.0
        self._limiter: anyio.CapacityLimiter | None = None

    def _cached_key(self, kid: str) -> PyJWK | None:
        cache = self.client.jwk_set_cache
        jwk_set = cache.get() if cache is not None else None
        if not isinstance(jwk_set, PyJWKSet):
            return None
        for key in jwk_set.keys:
            if key.key_id == kid and key.public_key_use in ("sig", None):
                return key
        return None

    async def signing_key(self, kid: str) -> PyJWK:
        key = self._cached_key(kid)
        if key is not None:
            return key
        now = self.clock()
        if now < self._failed_until:
            raise AuthUnavailable(math.ceil(self._failed_until - now))
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(2)
        try:
            return await anyio.to_thread.run_sync(
                self.client.get_signing_key, kid, limiter=self._limiter
            )
        except jwt.PyJWKClientConnectionError:
            pass
        except (jwt.PyJWKClientError, jwt.PyJWKSetError):
            if self.client.jwk_set_cache is not None and self.client.jwk_set_cache.get():
                # The set was had and is good: it just has no such key.
                raise AuthFailure(
                    "The token's signing key (kid) is not among the issuer's published keys.",
                    bearer_error="invalid_token",
                ) from None
        self._failed_until = self.clock() + JWKS_FAILURE_BACKOFF
        raise AuthUnavailable(math.ceil(JWKS_FAILURE_BACKOFF))

    async def verify(self, token: str) -> Caller:
        def bad(detail: str) -> AuthFailure:
            return AuthFailure(detail, bearer_error="invalid_token")

        if len(token) > MAX_TOKEN_CHARS:
            raise bad("The bearer token is too long to be an access token.")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise bad("The bearer token is not a well-formed JWT.") from None
        algorithms = self.config.algorithms
        if header.get("alg") not in algorithms:
            raise bad("The token's algorithm is not accepted: only " + ", ".join(algorithms) + ".")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise bad("The token's header names no signing key (kid).")
        key = await self.signing_key(kid)
        issuer: str | list[str] = list(self.config.issuers)
        if len(self.config.issuers) == 1:
            issuer = self.config.issuers[0]
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=list(algorithms),
                audience=list(self.config.audiences),
                issuer=issuer,
                leeway=self.config.leeway_seconds,
                options={"require": ["exp", "iss", "aud"], "verify_signature": True},
            )
        except jwt.ExpiredSignatureError:
            raise bad("The token has expired.") from None
        except jwt.ImmatureSignatureError:
            raise bad("The token is not valid yet (nbf).") from None
        except jwt.InvalidAudienceError:
            raise bad("The token's audience is not accepted.") from None
        except jwt.InvalidIssuerError:
            raise bad("The token's issuer is not accepted.") from None
        except jwt.MissingRequiredClaimError as exc:
            raise bad(f"The token has no `{exc.claim}` claim.") from None
        except jwt.InvalidSignatureError:
            raise bad("The token's signature does not verify.") from None
        except jwt.InvalidAlgorithmError:
            raise bad("The token's algorithm does not match its signing key.") from None
        except jwt.PyJWTError:
            raise bad("The bearer token is not valid.") from None
        self._check_scope(claims)
        return Caller(self._name(claims), "bearer")

    def _check_scope(self, claims: dict[str, Any]) -> None:
        wanted = self.config.required_scope
        if not wanted:
            return
        scopes = claims.get("scp", "")
        roles = claims.get("roles", [])
        has = (isinstance(scopes, str) and wanted in scopes.split()) or (
            isinstance(roles, list) and wanted in roles
        )
        if not has:
            raise AuthFailure(
                f"The token carries neither the scope nor the app role `{wanted}`.",
                status=403,
                bearer_error="insufficient_scope",
                scope=wanted,
            )

    @staticmethod
    def _name(claims: dict[str, Any]) -> str:
        # The calling application: Entra v2 `azp`, v1 `appid`, RFC 9068
        # `client_id`; else the subject.
        for claim in ("azp", "appid", "client_id", "sub"):
            value = claims.get(claim)
            if isinstance(value, str) and value:
                return "oauth:" + _SAFE_NAME.sub("_", value)[:128]
        return "oauth:unknown"

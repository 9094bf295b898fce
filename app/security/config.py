"""Reading the security settings into a checked configuration.

Every mistake in the settings stops start-up with a message naming the
setting (never echoing a digest or a key), so that a service meant to be
locked is never started open by accident.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.settings import Settings

# Asymmetric algorithms only: "none" and the HMAC family (HS*), whose "key"
# would be the issuer's public key, are never accepted.
SUPPORTED_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}
)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_DIGEST = re.compile(r"[0-9a-fA-F]{64}")
_ENTRA_V2 = re.compile(r"https://login\.microsoftonline\.com/([^/]+)/v2\.0")
_ENTRA_V1 = re.compile(r"https://sts\.windows\.net/([^/]+)/")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class SecurityConfigError(ValueError):
    """A security setting that cannot be used; start-up stops with it."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    name: str
    sha256: bytes  # the raw 32-byte digest


@dataclass(frozen=True, slots=True)
class OAuthConfig:
    issuers: tuple[str, ...]
    audiences: tuple[str, ...]
    jwks_url: str
    algorithms: tuple[str, ...]
    required_scope: str
    leeway_seconds: int
    jwks_cache_seconds: int


@dataclass(frozen=True, slots=True)
class SecurityConfig:
    auth_required: bool
    api_keys: tuple[ApiKey, ...]
    oauth: OAuthConfig | None
    public_reference_data: bool
    cors_allow_origins: tuple[str, ...]
    rate_limit_per_minute: int
    rate_limit_max_callers: int

    @property
    def credentials_configured(self) -> bool:
        return bool(self.api_keys) or self.oauth is not None

    @property
    def middleware_needed(self) -> bool:
        return self.auth_required or self.credentials_configured or self.rate_limit_per_minute > 0


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def parse_api_keys(text: str) -> tuple[ApiKey, ...]:
    """API_KEYS: JSON `[{"name": ..., "sha256": ...}]` or `name:sha256,...`."""
    text = text.strip()
    if not text:
        return ()
    pairs: list[tuple[object, object]] = []
    if text.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SecurityConfigError(f"API_KEYS is not valid JSON (line {exc.lineno}).") from None
        if not isinstance(data, list):
            raise SecurityConfigError("API_KEYS must be a JSON list of {name, sha256} objects.")
        for i, entry in enumerate(data):
            if not isinstance(entry, dict) or set(entry) != {"name", "sha256"}:
                raise SecurityConfigError(
                    f"API_KEYS entry {i + 1} must be an object with exactly `name` and `sha256`."
                )
            pairs.append((entry["name"], entry["sha256"]))
    else:
        for i, item in enumerate(_split(text)):
            left, sep, right = item.partition(":")
            if not sep:
                raise SecurityConfigError(f"API_KEYS entry {i + 1} is not `name:sha256`.")
            pairs.append((left.strip(), right.strip()))
    keys: list[ApiKey] = []
    for i, (name_value, digest) in enumerate(pairs):
        name = str(name_value) if isinstance(name_value, str) else ""
        if not _NAME.fullmatch(name):
            raise SecurityConfigError(
                f"API_KEYS entry {i + 1}: the name must be 1-64 letters, digits, '.', '_' or '-'."
            )
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            raise SecurityConfigError(
                f"API_KEYS entry {i + 1} ({name}): sha256 must be 64 hexadecimal digits "
                "(the digest of the key, never the key itself)."
            )
        keys.append(ApiKey(name, bytes.fromhex(digest)))
    names = [k.name for k in keys]
    if len(set(names)) != len(names):
        raise SecurityConfigError("API_KEYS: each key needs its own name.")
    if len({k.sha256 for k in keys}) != len(keys):
        raise SecurityConfigError("API_KEYS: the same key digest is listed twice.")
    return tuple(keys)


def _jwks_url(issuers: tuple[str, ...], configured: str) -> str:
    url = configured.strip()
    if not url:
        for issuer in issuers:
            if m := _ENTRA_V2.fullmatch(issuer):
                url = f"https://login.microsoftonline.com/{m.group(1)}/discovery/v2.0/keys"
                break
            if m := _ENTRA_V1.fullmatch(issuer):
                url = f"https://login.microsoftonline.com/{m.group(1)}/discovery/keys"
                break
        else:
            raise SecurityConfigError(
                "OAUTH_JWKS_URL is needed: it can be derived only for a Microsoft Entra ID issuer."
            )
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        raise SecurityConfigError("OAUTH_JWKS_URL must be an https URL.")
    return url


def parse_oauth(settings: Settings) -> OAuthConfig | None:
    issuers = _split(settings.oauth_issuer)
    if not issuers:
        if settings.oauth_audience.strip() or settings.oauth_jwks_url.strip():
            raise SecurityConfigError("OAUTH_AUDIENCE and OAUTH_JWKS_URL need OAUTH_ISSUER.")
        return None
    audiences = _split(settings.oauth_audience)
    if not audiences:
        raise SecurityConfigError(
            "OAUTH_AUDIENCE is needed with OAUTH_ISSUER: the application ID URI or client id."
        )
    algorithms = tuple(a.upper() for a in _split(settings.oauth_algorithms))
    refused = [a for a in algorithms if a not in SUPPORTED_ALGORITHMS]
    if refused or not algorithms:
        raise SecurityConfigError(
            "OAUTH_ALGORITHMS may name only asymmetric algorithms: "
            + ", ".join(sorted(SUPPORTED_ALGORITHMS))
            + "."
        )
    return OAuthConfig(
        issuers=issuers,
        audiences=audiences,
        jwks_url=_jwks_url(issuers, settings.oauth_jwks_url),
        algorithms=algorithms,
        required_scope=settings.oauth_required_scope.strip(),
        leeway_seconds=settings.oauth_leeway_seconds,
        jwks_cache_seconds=settings.oauth_jwks_cache_seconds,
    )


def parse_origins(text: str) -> tuple[str, ...]:
    origins = []
    for origin in _split(text):
        parts = urlsplit(origin)
        if (
            parts.scheme not in ("https", "http")
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or parts.username
        ):
            raise SecurityConfigError(
                "CORS_ALLOW_ORIGINS lists origins, each scheme://host[:port] (no '*', no path)."
            )
        origins.append(origin.rstrip("/"))
    return tuple(origins)


def security_config(settings: Settings) -> SecurityConfig:
    config = SecurityConfig(
        auth_required=settings.auth_required,
        api_keys=parse_api_keys(settings.api_keys),
        oauth=parse_oauth(settings),
        public_reference_data=settings.public_reference_data,
        cors_allow_origins=parse_origins(settings.cors_allow_origins),
        rate_limit_per_minute=settings.rate_limit_per_minute,
        rate_limit_max_callers=settings.rate_limit_max_callers,
    )
    if config.auth_required and not config.credentials_configured:
        raise SecurityConfigError(
            "AUTH_REQUIRED is true but no credentials are configured: set API_KEYS and/or "
            "OAUTH_ISSUER with OAUTH_AUDIENCE."
        )
    return config

"""Rate limits (a bounded token bucket per caller), CORS from an allow-list,
and settings that stop start-up."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.security import SecurityConfigError, digest_of
from app.security.__main__ import main as security_cli
from app.security.config import parse_api_keys, security_config
from app.security.ratelimit import RateLimiter, client_key
from app.settings import Settings
from tests.test_security_support import API_KEYS, LIQUID_KEY, MOSAIC_KEY, build_app

PROBLEM = "application/problem+json"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- the token bucket -------------------------------------------------------------------


def test_bucket_allows_a_minutes_worth_then_says_when() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=6, max_callers=10, clock=clock)
    assert [limiter.take("a") for _ in range(6)] == [0.0] * 6
    wait = limiter.take("a")
    assert wait == pytest.approx(10.0)  # 6 a minute: one token each 10 s
    assert limiter.take("b") == 0.0  # another caller has its own bucket
    clock.now += 10.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0
    clock.now += 3600  # refills, but never past a minute's worth
    assert [limiter.take("a") for _ in range(7)].count(0.0) == 6


def test_bucket_table_is_bounded() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=5, max_callers=100, clock=clock)
    rng = random.Random(8)
    for _ in range(20000):
        limiter.take(client_key(f"10.{rng.randrange(256)}.{rng.randrange(256)}.1"))
    assert len(limiter) == 100


def test_bucket_evicts_the_least_recently_seen() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=1, max_callers=2, clock=clock)
    limiter.take("old")
    limiter.take("busy")
    assert limiter.take("busy") > 0
    limiter.take("new")  # evicts "old", not "busy"
    assert limiter.take("busy") > 0
    assert limiter.take("old") == 0.0  # forgotten: a full bucket again


def test_client_keys() -> None:
    assert client_key("192.0.2.7") == "ip:192.0.2.7"
    assert client_key("::ffff:192.0.2.7") == "ip:192.0.2.7"
    # one IPv6 client's /64 is one bucket, so it cannot rotate addresses
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9")
    assert client_key("2001:db8:1:2::1") == "ip:2001:db8:1:2::/64"
    assert client_key(None) == "ip:unknown"


# --- the rate limit in the app ----------------------------------------------------------


def test_rate_limit_429_with_retry_after() -> None:
    with TestClient(build_app(rate_limit_per_minute=3)) as client:
        for _ in range(3):
            assert client.get("/v1/calendars").status_code == 200
        response = client.get("/v1/calendars")
        assert response.status_code == 429
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"] == "urn:children-timescales:problem:too-many-requests"
        assert 1 <= int(response.headers["retry-after"]) <= 20
        # a case endpoint shares the caller's bucket; health and docs are never limited
        assert client.post("/v1/deadlines", json={}).status_code == 429
        for _ in range(5):
            assert client.get("/healthz").status_code == 200
            assert client.get("/openapi.json").status_code == 200


def test_rate_limit_per_caller_name() -> None:
    app = build_app(auth_required=True, api_keys=API_KEYS, rate_limit_per_minute=2)
    with TestClient(app) as client:
        mosaic = {"X-API-Key": MOSAIC_KEY}
        liquid = {"X-API-Key": LIQUID_KEY}
        assert client.post("/v1/deadlines", json={}, headers=mosaic).status_code == 422
        assert client.post("/v1/deadlines", json={}, headers=mosaic).status_code == 422
        assert client.post("/v1/deadlines", json={}, headers=mosaic).status_code == 429
        # another key, and anonymous callers (by IP), have buckets of their own
        assert client.post("/v1/deadlines", json={}, headers=liquid).status_code == 422
        assert client.get("/v1/calendars").status_code == 200
        # wrong keys are counted against the client's IP
        assert client.post("/v1/deadlines", headers={"X-API-Key": "x"}).status_code == 401
        assert client.post("/v1/deadlines", headers={"X-API-Key": "x"}).status_code == 429


def test_rate_limit_off_by_default() -> None:
    with TestClient(build_app()) as client:
        assert all(client.get("/v1/calendars").status_code == 200 for _ in range(80))


# --- CORS -------------------------------------------------------------------------------

ALLOWED = "https://casework.example.gov.uk"


def preflight(client: TestClient, origin: str, headers: str = "x-api-key,content-type") -> Any:
    return client.options(
        "/v1/deadlines",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )


def test_cors_preflight_allowed_and_refused() -> None:
    app = build_app(
        cors_allow_origins=f"{ALLOWED}, https://other.example.org",
        auth_required=True,
        api_keys=API_KEYS,
    )
    with TestClient(app) as client:
        ok = preflight(client, ALLOWED)
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == ALLOWED
        allowed_headers = ok.headers["access-control-allow-headers"].lower()
        assert "x-api-key" in allowed_headers and "authorization" in allowed_headers
        refused = preflight(client, "https://evil.example.com")
        assert refused.status_code == 400
        assert refused.headers["content-type"] == PROBLEM
        assert "origin" in refused.json()["detail"]
        assert "access-control-allow-origin" not in refused.headers
        # an allowed origin can read a refusal (401), so its page can say why
        denied = client.post("/v1/deadlines", json={}, headers={"Origin": ALLOWED})
        assert denied.status_code == 401
        assert denied.headers["access-control-allow-origin"] == ALLOWED
        assert "www-authenticate" in denied.headers["access-control-expose-headers"].lower()
        answered = client.get("/v1/calendars", headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in answered.headers


def test_no_cors_by_default() -> None:
    with TestClient(build_app()) as client:
        response = preflight(client, ALLOWED)
        assert "access-control-allow-origin" not in response.headers
        answered = client.get("/v1/calendars", headers={"Origin": ALLOWED})
        assert "access-control-allow-origin" not in answered.headers


# --- settings ---------------------------------------------------------------------------


def test_api_keys_in_either_form() -> None:
    pairs = f"mosaic-prod:{digest_of(MOSAIC_KEY)}, liquidlogic-prod:{digest_of(LIQUID_KEY)}"
    assert parse_api_keys(pairs) == parse_api_keys(API_KEYS)
    assert [k.name for k in parse_api_keys(pairs)] == ["mosaic-prod", "liquidlogic-prod"]
    assert parse_api_keys("") == ()


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"auth_required": True}, "no credentials are configured"),
        ({"api_keys": "mosaic-prod:" + MOSAIC_KEY}, "64 hexadecimal digits"),
        ({"api_keys": "[{"}, "not valid JSON"),
        ({"api_keys": '[{"name": "a b", "sha256": "' + "0" * 64 + '"}]'}, "the name"),
        ({"api_keys": f"a:{'0' * 64},a:{'1' * 64}"}, "own name"),
        ({"api_keys": f"a:{'0' * 64},b:{'0' * 64}"}, "twice"),
        ({"oauth_issuer": "https://idp.example/"}, "OAUTH_AUDIENCE"),
        ({"oauth_issuer": "https://idp.example/", "oauth_audience": "x"}, "OAUTH_JWKS_URL"),
        (
            {
                "oauth_issuer": "https://idp.example/",
                "oauth_audience": "x",
                "oauth_jwks_url": "http://idp.example/keys",
            },
            "https",
        ),
        (
            {
                "oauth_issuer": "https://login.microsoftonline.com/t/v2.0",
                "oauth_audience": "x",
                "oauth_algorithms": "RS256,HS256",
            },
            "asymmetric",
        ),
        (
            {
                "oauth_issuer": "https://login.microsoftonline.com/t/v2.0",
                "oauth_audience": "x",
                "oauth_algorithms": "none",
            },
            "asymmetric",
        ),
        ({"oauth_audience": "x"}, "need OAUTH_ISSUER"),
        ({"cors_allow_origins": "*"}, "CORS_ALLOW_ORIGINS"),
        ({"cors_allow_origins": "https://a.example/path"}, "CORS_ALLOW_ORIGINS"),
    ],
)
def test_bad_settings_stop_start_up(settings: dict[str, Any], says: str) -> None:
    with pytest.raises(SecurityConfigError, match=says) as caught:
        build_app(**settings)
    assert MOSAIC_KEY not in str(caught.value)


def test_entra_jwks_url_derived_from_the_issuer() -> None:
    v2 = security_config(
        Settings(oauth_issuer="https://login.microsoftonline.com/contoso/v2.0", oauth_audience="a")
    )
    assert v2.oauth is not None
    assert v2.oauth.jwks_url == "https://login.microsoftonline.com/contoso/discovery/v2.0/keys"
    assert v2.oauth.algorithms == ("RS256", "ES256")
    v1 = security_config(
        Settings(oauth_issuer="https://sts.windows.net/contoso/", oauth_audience="a")
    )
    assert v1.oauth is not None
    assert v1.oauth.jwks_url == "https://login.microsoftonline.com/contoso/discovery/keys"


def test_new_key_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert security_cli(["new-key", "eclipse-prod"]) == 0
    out = capsys.readouterr().out.splitlines()
    key = out[0].rsplit(" ", 1)[1]
    entry = json.loads(out[1].split(": ", 1)[1])
    assert entry == {"name": "eclipse-prod", "sha256": digest_of(key)}
    assert len(key) >= 40
    assert security_cli(["new-key", "bad name"]) == 2

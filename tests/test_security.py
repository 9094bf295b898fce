"""Who may call it: API keys, OAuth 2.0 bearer tokens (a JWKS on loopback),
public reference data and protected case endpoints, the OpenAPI schemes."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from app.security.credentials import JWKS_REFRESH_COOLDOWN
from app.security.middleware import SecurityMiddleware, is_reference_data
from tests.test_security_support import (
    API_KEYS,
    AUDIENCE,
    CLIENT_ID,
    EC_KEY,
    ISSUER,
    LIQUID_KEY,
    MOSAIC_KEY,
    OTHER_RSA_KEY,
    RSA_KEY,
    JwksServer,
    build_app,
    jwk,
    jwks_server,
    oauth_settings,
    token,
    unsigned_token,
)

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def jwks() -> Iterator[JwksServer]:
    with jwks_server() as server:
        yield server


class Spy:
    """Wraps the app as the request log does, and notes scope["state"]["caller"]."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.callers: list[object] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.callers.append(scope.get("state", {}).get("caller"))


@pytest.fixture(scope="module")
def secured(jwks: JwksServer) -> Iterator[tuple[TestClient, Spy]]:
    spy = Spy(build_app(**oauth_settings(jwks)))
    with TestClient(spy) as client:
        yield client, spy


@pytest.fixture
def client(secured: tuple[TestClient, Spy], jwks: JwksServer) -> TestClient:
    jwks.reset()
    return secured[0]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def assert_refused(response: httpx.Response, says: str, secret: str = "") -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["type"] == "urn:children-timescales:problem:unauthorized"
    assert says in body["detail"]
    if secret:
        assert secret not in response.text
        assert secret not in response.headers["www-authenticate"]


# --- what is public, what needs credentials ---------------------------------------------


def test_every_get_is_reference_data_and_every_post_is_not(client: TestClient) -> None:
    """A new endpoint must be placed on purpose: this fails until it is."""
    document = build_app().openapi()
    for path, item in document["paths"].items():
        for method in item:
            assert is_reference_data(method, path) == (method == "get"), (method, path)


@pytest.mark.parametrize("path", ["/healthz", "/docs", "/redoc", "/openapi.json"])
def test_always_public(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200
    assert client.get(path, headers={"X-API-Key": "wrong"}).status_code == 200


@pytest.mark.parametrize(
    "path", ["/v1/status", "/v1/calendars", "/v1/authorities", "/v1/timescales", "/v1/standards"]
)
def test_reference_data_public_by_default(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/v1/deadlines", "/v1/overdue"])
def test_case_endpoints_need_credentials(client: TestClient, path: str) -> None:
    response = client.post(path, json={})
    assert_refused(response, "needs credentials")
    assert response.headers["www-authenticate"] == 'Bearer realm="children-timescales"'


def test_reference_data_protected_when_not_public(jwks: JwksServer) -> None:
    with TestClient(build_app(**oauth_settings(jwks, public_reference_data=False))) as client:
        assert_refused(client.get("/v1/calendars"), "needs credentials")
        assert client.get("/v1/calendars", headers={"X-API-Key": MOSAIC_KEY}).status_code == 200
        assert client.get("/healthz").status_code == 200
        assert client.get("/openapi.json").status_code == 200


def test_unknown_path_needs_credentials_before_saying_404(client: TestClient) -> None:
    assert_refused(client.post("/v1/no-such-thing", json={}), "needs credentials")


def test_default_settings_check_nothing() -> None:
    with TestClient(build_app()) as client:
        response = client.post("/v1/deadlines", json={})
        assert response.status_code == 422  # on to validation: no auth asked for
        assert client.post("/v1/deadlines", json={}, headers=bearer("x")).status_code == 422


def test_auth_optional_when_not_required(jwks: JwksServer) -> None:
    """AUTH_REQUIRED false with keys configured: anonymous allowed, a key named,
    a wrong key still refused (a caller sending one wants to know)."""
    spy = Spy(build_app(**oauth_settings(jwks, auth_required=False)))
    with TestClient(spy) as client:
        assert client.post("/v1/deadlines", json={}).status_code == 422
        ok = client.post("/v1/deadlines", json={}, headers={"X-API-Key": MOSAIC_KEY})
        assert ok.status_code == 422
        assert_refused(client.post("/v1/deadlines", json={}, headers={"X-API-Key": "no"}), "API")
    assert spy.callers[:2] == [None, "mosaic-prod"]


# --- API keys ---------------------------------------------------------------------------


def test_api_key_valid_names_the_caller(secured: tuple[TestClient, Spy]) -> None:
    client, spy = secured
    for key, name in [(MOSAIC_KEY, "mosaic-prod"), (LIQUID_KEY, "liquidlogic-prod")]:
        response = client.post("/v1/deadlines", json={}, headers={"X-API-Key": key})
        assert response.status_code == 422  # past auth, to the body's validation
        assert spy.callers[-1] == name


def test_api_key_invalid(client: TestClient) -> None:
    wrong = "mosaic-secret-key-0123456789abcdefghiX"
    response = client.post("/v1/deadlines", json={}, headers={"X-API-Key": wrong})
    assert_refused(response, "API key in X-API-Key is not recognised", secret=wrong)


def test_api_key_empty_or_huge(client: TestClient) -> None:
    assert_refused(client.post("/v1/deadlines", headers={"X-API-Key": ""}), "not recognised")
    huge = "k" * 5000
    assert_refused(client.post("/v1/deadlines", headers={"X-API-Key": huge}), "not recognised")


def test_api_key_as_bearer_is_not_a_jwt(client: TestClient) -> None:
    """Keys go in X-API-Key; in Authorization: Bearer they are taken for a token."""
    response = client.post("/v1/deadlines", json={}, headers=bearer(MOSAIC_KEY))
    assert_refused(response, "not a well-formed JWT", secret=MOSAIC_KEY)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_both_credentials_refused(client: TestClient) -> None:
    headers = {"X-API-Key": MOSAIC_KEY, **bearer(token())}
    assert_refused(client.post("/v1/deadlines", json={}, headers=headers), "not both")


def test_basic_scheme_refused(client: TestClient) -> None:
    headers = {"Authorization": "Basic bW9zYWljOnNlY3JldA=="}
    assert_refused(client.post("/v1/deadlines", json={}, headers=headers), "use `Bearer")


def test_wrong_key_on_public_reference_data_is_refused(client: TestClient) -> None:
    assert_refused(client.get("/v1/calendars", headers={"X-API-Key": "nope"}), "not recognised")


def test_keys_are_compared_as_digests_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.security import credentials
    from app.security.config import parse_api_keys

    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(credentials.hmac, "compare_digest", spy)
    configured = parse_api_keys(API_KEYS)
    assert credentials.check_api_key(MOSAIC_KEY.encode(), configured).name == "mosaic-prod"
    # every configured digest is compared (no early exit), and never the key itself
    assert len(calls) == len(configured)
    assert all(a == hashlib.sha256(MOSAIC_KEY.encode()).digest() for a, _ in calls)


def test_credentials_never_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    secret_token = token(aud="someone-else")
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/deadlines", json={}, headers={"X-API-Key": MOSAIC_KEY})
        client.post("/v1/deadlines", json={}, headers={"X-API-Key": "guess-" + MOSAIC_KEY})
        client.post("/v1/deadlines", json={}, headers=bearer(secret_token))
    assert MOSAIC_KEY not in caplog.text
    assert secret_token.split(".")[1] not in caplog.text


# --- bearer tokens ----------------------------------------------------------------------


def test_valid_token(secured: tuple[TestClient, Spy], jwks: JwksServer) -> None:
    client, spy = secured
    jwks.reset()
    response = client.post("/v1/deadlines", json={}, headers=bearer(token()))
    assert response.status_code == 422
    assert spy.callers[-1] == "oauth:mosaic-client-app"


def test_valid_token_audience_is_client_id_or_app_id_uri(client: TestClient) -> None:
    for audience in (CLIENT_ID, AUDIENCE, [AUDIENCE, "x"]):
        response = client.post("/v1/deadlines", json={}, headers=bearer(token(aud=audience)))
        assert response.status_code == 422, audience


def test_valid_es256_token(client: TestClient) -> None:
    response = client.post("/v1/deadlines", json={}, headers=bearer(token(EC_KEY, "ec1", "ES256")))
    assert response.status_code == 422


def test_entra_v1_token_names_its_appid(secured: tuple[TestClient, Spy]) -> None:
    client, spy = secured
    headers = bearer(token(azp=None, appid="eclipse-app"))
    assert client.post("/v1/deadlines", json={}, headers=headers).status_code == 422
    assert spy.callers[-1] == "oauth:eclipse-app"


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"exp": int(time.time()) - 120}, "The token has expired."),
        ({"nbf": int(time.time()) + 600}, "not valid yet"),
        ({"aud": "api://someone-else"}, "audience is not accepted"),
        ({"aud": None}, "no `aud` claim"),
        ({"iss": "https://login.microsoftonline.com/another-tenant/v2.0"}, "issuer"),
        ({"iss": "https://sts.windows.net/7a1b2c3d-0000-4000-8000-000000000001/"}, "issuer"),
        ({"exp": None}, "no `exp` claim"),
    ],
)
def test_token_claims_checked(client: TestClient, claims: dict[str, Any], says: str) -> None:
    value = token(**claims)
    response = client.post("/v1/deadlines", json={}, headers=bearer(value))
    assert_refused(response, says, secret=value)
    challenge = response.headers["www-authenticate"]
    assert 'error="invalid_token"' in challenge and "error_description=" in challenge


def test_expired_within_leeway_accepted(client: TestClient) -> None:
    value = token(exp=int(time.time()) - 5)
    assert client.post("/v1/deadlines", json={}, headers=bearer(value)).status_code == 422


def test_bad_signature(client: TestClient) -> None:
    value = token(OTHER_RSA_KEY, kid="k1")  # signed by a key that is not k1
    assert_refused(client.post("/v1/deadlines", headers=bearer(value)), "signature", value)
    head, _, sig = token().split(".")
    tampered = f"{head}.{token(azp='admin').split('.')[1]}.{sig}"
    assert_refused(client.post("/v1/deadlines", headers=bearer(tampered)), "signature")


def test_alg_none_refused(client: TestClient) -> None:
    claims = {"iss": ISSUER, "aud": CLIENT_ID, "exp": int(time.time()) + 600}
    for alg in ("none", "None", "NONE"):
        value = unsigned_token({"alg": alg, "kid": "k1", "typ": "JWT"}, claims)
        response = client.post("/v1/deadlines", headers=bearer(value))
        assert_refused(response, "algorithm is not accepted")


def test_hs256_with_the_public_key_refused(client: TestClient, jwks: JwksServer) -> None:
    """The classic confusion: an HMAC "signed" with the issuer's public key."""
    from cryptography.hazmat.primitives import serialization

    public_pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = {"iss": ISSUER, "aud": CLIENT_ID, "exp": int(time.time()) + 600}
    unsigned = unsigned_token({"alg": "HS256", "kid": "k1"}, claims)
    signing_input = unsigned.rsplit(".", 1)[0].encode()
    signature = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    value = unsigned_token({"alg": "HS256", "kid": "k1"}, claims, signature)
    assert_refused(client.post("/v1/deadlines", headers=bearer(value)), "algorithm")


def test_algorithm_must_match_the_key(client: TestClient) -> None:
    """An ES256 token naming the RSA key k1 is refused (not verified as RS256)."""
    value = token(EC_KEY, kid="k1", alg="ES256")
    assert_refused(client.post("/v1/deadlines", headers=bearer(value)), "does not match")


@pytest.mark.parametrize("value", ["abc", "a.b.c", "Zm9v.YmFy.YmF6", "é.é.é"])
def test_garbage_tokens(client: TestClient, value: str) -> None:
    response = client.post("/v1/deadlines", headers={"Authorization": f"Bearer {value}".encode()})
    assert_refused(response, "not a well-formed JWT")


def test_token_without_kid(client: TestClient) -> None:
    value = token()
    import jwt as pyjwt

    no_kid = pyjwt.encode(
        pyjwt.decode(value, options={"verify_signature": False}), RSA_KEY, "RS256"
    )
    assert_refused(client.post("/v1/deadlines", headers=bearer(no_kid)), "no signing key (kid)")


def test_unknown_kid_refreshes_once_within_the_cooldown(jwks: JwksServer) -> None:
    jwks.reset()
    with TestClient(build_app(**oauth_settings(jwks))) as client:
        assert client.post("/v1/deadlines", json={}, headers=bearer(token())).status_code == 422
        assert jwks.hits == 1
        # A cached key: no fetch.
        assert client.post("/v1/deadlines", json={}, headers=bearer(token())).status_code == 422
        assert jwks.hits == 1
        # Unknown kids: the key set was fetched just now, so within the cooldown
        # not even one refresh; a flood of made-up kids never reaches the issuer.
        for i in range(20):
            value = token(kid=f"made-up-{i}")
            response = client.post("/v1/deadlines", headers=bearer(value))
            assert_refused(response, "not among the issuer's published keys")
        assert jwks.hits == 1


def test_unknown_kid_after_cooldown_refreshes_and_finds_a_rotated_key(jwks: JwksServer) -> None:
    jwks.reset()
    app = build_app(**oauth_settings(jwks))
    with TestClient(app) as client:
        assert client.post("/v1/deadlines", json={}, headers=bearer(token())).status_code == 422
        assert jwks.hits == 1
        verifier = _verifier(app)
        jwks.keys = [*jwks.keys, jwk(OTHER_RSA_KEY, "k2")]  # the issuer rotates
        rotated = bearer(token(OTHER_RSA_KEY, kid="k2"))
        # Pretend the cooldown has passed.
        verifier.client._last_successful_fetch = time.monotonic() - JWKS_REFRESH_COOLDOWN - 1
        assert client.post("/v1/deadlines", json={}, headers=rotated).status_code == 422
        assert jwks.hits == 2
        for i in range(5):  # and then the bound holds again
            client.post("/v1/deadlines", headers=bearer(token(kid=f"other-{i}")))
        assert jwks.hits == 2


def test_jwks_down_is_503_and_backs_off(jwks: JwksServer) -> None:
    jwks.reset()
    jwks.fail = True
    with TestClient(build_app(**oauth_settings(jwks))) as client:
        response = client.post("/v1/deadlines", json={}, headers=bearer(token()))
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM
        assert int(response.headers["retry-after"]) >= 1
        hits = jwks.hits
        assert client.post("/v1/deadlines", headers=bearer(token())).status_code == 503
        assert jwks.hits == hits  # backing off: not asked again at once
        # API keys still work while the issuer is away.
        ok = client.post("/v1/deadlines", json={}, headers={"X-API-Key": MOSAIC_KEY})
        assert ok.status_code == 422


def test_jwks_fetch_does_not_block_the_event_loop(jwks: JwksServer) -> None:
    """While a slow key fetch is under way, a public request is answered."""
    jwks.reset()
    jwks.delay = 0.8
    app = build_app(**oauth_settings(jwks))
    finished: list[str] = []

    async def run() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:

            async def slow() -> None:
                r = await client.post("/v1/deadlines", json={}, headers=bearer(token()))
                assert r.status_code == 422
                finished.append("token")

            async def quick() -> None:
                await asyncio.sleep(0.1)
                r = await client.get("/healthz")
                assert r.status_code == 200
                finished.append("healthz")

            await asyncio.gather(slow(), quick())

    asyncio.run(run())
    assert finished == ["healthz", "token"]


def test_required_scope_or_role(jwks: JwksServer) -> None:
    settings = oauth_settings(jwks, oauth_required_scope="Deadlines.Compute")
    with TestClient(build_app(**settings)) as client:
        # an app role (client credentials) or a delegated scope will do
        assert client.post("/v1/deadlines", json={}, headers=bearer(token())).status_code == 422
        delegated = token(roles=None, scp="User.Read Deadlines.Compute")
        assert client.post("/v1/deadlines", json={}, headers=bearer(delegated)).status_code == 422
        lacking = token(roles=["Other"], scp="User.Read")
        response = client.post("/v1/deadlines", json={}, headers=bearer(lacking))
        assert response.status_code == 403
        assert response.headers["content-type"] == PROBLEM
        assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
        assert "Deadlines.Compute" in response.json()["detail"]


def test_bearer_refused_when_only_keys_configured() -> None:
    with TestClient(build_app(auth_required=True, api_keys=API_KEYS)) as client:
        response = client.post("/v1/deadlines", json={}, headers=bearer(token()))
        assert_refused(response, "does not accept bearer tokens")


def _verifier(app: Any) -> Any:
    stack = app.middleware_stack
    while stack is not None:
        if isinstance(stack, SecurityMiddleware):
            return stack.verifier
        stack = getattr(stack, "app", None)
    raise AssertionError("no SecurityMiddleware in the stack")


def test_security_sits_inside_the_request_log(jwks: JwksServer) -> None:
    from app.middleware import RequestLogMiddleware

    app = build_app(**oauth_settings(jwks, cors_allow_origins="https://a.example"))
    names = [m.cls.__name__ for m in app.user_middleware]
    log = names.index(RequestLogMiddleware.__name__)
    assert names[log + 1 : log + 3] == ["ProblemCORSMiddleware", "SecurityMiddleware"]
    assert names.index("SecurityMiddleware") < names.index("BodySizeLimitMiddleware")


# --- OpenAPI ----------------------------------------------------------------------------


def test_openapi_unchanged_by_default() -> None:
    document = build_app().openapi()
    assert "securitySchemes" not in document.get("components", {})
    for item in document["paths"].values():
        for operation in item.values():
            assert "security" not in operation
            assert "401" not in operation["responses"]


def test_openapi_declares_the_schemes(jwks: JwksServer) -> None:
    document = build_app(**oauth_settings(jwks, rate_limit_per_minute=60)).openapi()
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": schemes["ApiKey"]["description"],
    }
    assert schemes["BearerJWT"]["type"] == "http"
    assert schemes["BearerJWT"]["scheme"] == "bearer"
    assert schemes["BearerJWT"]["bearerFormat"] == "JWT"
    post = document["paths"]["/v1/deadlines"]["post"]
    assert post["security"] == [{"ApiKey": []}, {"BearerJWT": []}]
    assert {"401", "429", "503"} <= set(post["responses"])
    get = document["paths"]["/v1/calendars"]["get"]
    assert get["security"] == [{}, {"ApiKey": []}, {"BearerJWT": []}]  # anonymous allowed

"""Shared pieces of the security tests: apps built with given settings, a
JWKS served on loopback, and tokens signed with keys made in the test."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest.mock import patch

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI

from app import main as main_module
from app.security import digest_of
from app.settings import Settings

TENANT = "7a1b2c3d-0000-4000-8000-000000000001"
ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
AUDIENCE = "api://children-timescales"
CLIENT_ID = "0f9e8d7c-1111-4222-8333-444455556666"

MOSAIC_KEY = "mosaic-secret-key-0123456789abcdefghij"
LIQUID_KEY = "liquidlogic-secret-key-9876543210zyxwv"
API_KEYS = json.dumps(
    [
        {"name": "mosaic-prod", "sha256": digest_of(MOSAIC_KEY)},
        {"name": "liquidlogic-prod", "sha256": digest_of(LIQUID_KEY)},
    ]
)

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def build_app(**overrides: Any) -> FastAPI:
    """The real app, built by create_app() with these settings."""
    settings = Settings(**overrides)
    with patch.object(main_module, "get_settings", lambda: settings):
        return main_module.create_app()


def jwk(private_key: Any, kid: str) -> dict[str, Any]:
    public = private_key.public_key()
    if isinstance(private_key, rsa.RSAPrivateKey):
        data = jwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True)
        data["alg"] = "RS256"
    else:
        data = jwt.algorithms.ECAlgorithm.to_jwk(public, as_dict=True)
        data["alg"] = "ES256"
    data.update(kid=kid, use="sig")
    return dict(data)


def token(key: Any = RSA_KEY, kid: str = "k1", alg: str = "RS256", **claims: Any) -> str:
    now = int(time.time())
    body: dict[str, Any] = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "iat": now,
        "nbf": now - 10,
        "exp": now + 600,
        "azp": "mosaic-client-app",
        "roles": ["Deadlines.Compute"],
    }
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(body, key, algorithm=alg, headers={"kid": kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(claims).encode())
    return f"{head}.{body}.{_b64(signature)}"


class JwksServer:
    """A JWKS endpoint on 127.0.0.1 in a thread, counting its fetches."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = [jwk(RSA_KEY, "k1"), jwk(EC_KEY, "ec1")]
        self.hits = 0
        self.fail = False
        self.delay = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits += 1
                if server.delay:
                    time.sleep(server.delay)
                if server.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                body = json.dumps({"keys": server.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/discovery/v2.0/keys"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def reset(self) -> None:
        self.keys = [jwk(RSA_KEY, "k1"), jwk(EC_KEY, "ec1")]
        self.hits = 0
        self.fail = False
        self.delay = 0.0


@contextmanager
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def oauth_settings(server: JwksServer, **more: Any) -> dict[str, Any]:
    return {
        "auth_required": True,
        "api_keys": API_KEYS,
        "oauth_issuer": ISSUER,
        "oauth_audience": f"{AUDIENCE},{CLIENT_ID}",
        "oauth_jwks_url": server.url,
        **more,
    }

"""HTTP hygiene (app/http_hygiene.py): security headers and Cache-Control on
every answer, the documentation pages' CSP, HEAD, 415 for a compressed body or
a JSON body of another type, and a trailing-slash redirect that never names a host.

Paths a test client would tidy up (`//evil.example/`) are sent to the ASGI
app directly, exactly as a server hands them over.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.http_hygiene import API_CSP, install_http_hygiene, slash_location
from app.main import app
from app.problems import install as install_problem_handlers
from app.routers.caching import CACHE_CONTROL
from tests.security_headers import SECURITY_HEADERS

CASE = {
    "authority": "gloucestershire",
    "as_of": "2026-11-23",
    "child": {"date_of_birth": "2019-04-01"},
    "events": [
        {"type": "referral_received", "date": "2026-10-01", "ref": "R1"},
        {"type": "strategy_discussion_held", "date": "2026-10-05"},
    ],
}
CASELOAD = {
    "authority": "gloucestershire",
    "as_of": "2026-11-23",
    "cases": [{"case_id": "C-1", **{"events": CASE["events"]}}],
}
PROBLEM_TYPE = "urn:children-timescales:problem:"


def asgi(
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    query: bytes = b"",
    body_may_be_read: bool = True,
) -> tuple[int, dict[str, str], bytes]:
    """One request straight into the ASGI app: status, headers (names lower
    case, repeated ones joined with ", ") and body."""

    async def run() -> tuple[int, dict[str, str], bytes]:
        messages: list[dict[str, Any]] = []
        done = asyncio.Event()
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not body_may_be_read:
                raise AssertionError("the request body was read")
            if sent:
                await done.wait()
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query,
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": {},
        }
        await app(scope, receive, send)
        start = next(m for m in messages if m["type"] == "http.response.start")
        found: dict[str, str] = {}
        for name, value in start["headers"]:
            key = name.decode().lower()
            found[key] = found[key] + ", " + value.decode() if key in found else value.decode()
        content = b"".join(
            m.get("body", b"") for m in messages if m["type"] == "http.response.body"
        )
        return start["status"], found, content

    return asyncio.run(run())


def assert_secured(headers: Any, csp: str | None = API_CSP) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    if csp is not None:
        assert headers["content-security-policy"] == csp
    assert "server" not in headers


# -- security headers and Cache-Control ------------------------------------------------


def test_case_answers_are_no_store_and_secured(client: TestClient) -> None:
    answers = {
        "deadlines 200": client.post("/v1/deadlines", json=CASE),
        "deadlines 422": client.post("/v1/deadlines", json={**CASE, "authority": "nowhere"}),
        "deadlines 415": client.post(
            "/v1/deadlines", content=json.dumps(CASE), headers={"Content-Type": "text/plain"}
        ),
        "overdue 200": client.post("/v1/overdue", json=CASELOAD),
        "overdue ndjson": client.post(
            "/v1/overdue",
            content=json.dumps({"authority": "gloucestershire", "as_of": "2026-11-23"})
            + "\n"
            + json.dumps(CASELOAD["cases"][0])
            + "\n",
            headers={"Content-Type": "application/x-ndjson"},
        ),
        "overdue 422": client.post("/v1/overdue", json={"cases": []}),
    }
    statuses = {name: r.status_code for name, r in answers.items()}
    assert statuses == {
        "deadlines 200": 200,
        "deadlines 422": 422,
        "deadlines 415": 415,
        "overdue 200": 200,
        "overdue ndjson": 200,
        "overdue 422": 422,
    }
    assert answers["overdue ndjson"].headers["content-type"].startswith("application/x-ndjson")
    for name, r in answers.items():
        assert r.headers["cache-control"] == "no-store", name
        assert_secured(r.headers)


def test_reference_answers_keep_their_cache_control_and_etag(client: TestClient) -> None:
    first = client.get("/v1/authorities")
    assert first.status_code == 200
    assert first.headers["cache-control"] == CACHE_CONTROL
    assert_secured(first.headers)
    again = client.get("/v1/authorities", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["cache-control"] == CACHE_CONTROL
    assert again.headers["etag"] == first.headers["etag"]
    assert_secured(again.headers)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/nothing-here", 404),
        ("GET", "/v1/authorities/nowhere", 404),
        ("DELETE", "/v1/authorities", 405),
        ("GET", "/v1/authorities/", 308),
        ("GET", "/openapi.json", 200),
        ("GET", "/healthz", 200),
        ("GET", "/metrics", 200),
        ("GET", "/v1/calendars/england-and-wales/add-working-days", 422),
    ],
)
def test_every_other_answer_is_secured_and_no_store_unless_its_route_says(
    client: TestClient, method: str, path: str, status: int
) -> None:
    r = client.request(method, path, follow_redirects=False)
    assert r.status_code == status
    assert_secured(r.headers)
    assert r.headers["cache-control"] == "no-store"


def test_a_too_large_body_is_secured(client: TestClient) -> None:
    r = client.post(
        "/v1/deadlines",
        content=b"{" + b" " * (5 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert_secured(r.headers)
    assert r.headers["cache-control"] == "no-store"


def test_the_500_of_a_bug_is_secured_too() -> None:
    # Starlette's error middleware answers a bug's 500 outside all the user
    # middleware: the security headers must be put on outside it.
    bare = FastAPI()
    install_problem_handlers(bare)

    @bare.get("/v1/deadlines")
    def broken() -> None:
        raise RuntimeError("a bug")

    install_http_hygiene(bare)
    with TestClient(bare, raise_server_exceptions=False) as c:
        r = c.get("/v1/deadlines")
    assert r.status_code == 500
    assert r.json()["type"] == PROBLEM_TYPE + "internal-error"
    assert_secured(r.headers)
    assert r.headers["cache-control"] == "no-store"


# -- the documentation pages' CSP --------------------------------------------------------


def parse_csp(value: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = sources
    return directives


def allows(csp: dict[str, list[str]], directive: str, url: str) -> bool:
    sources = csp.get(directive, csp["default-src"])
    if url in sources:
        return True
    # A path on this service (never `//host`, a reference to another host).
    if "'self'" in sources and url.startswith("/") and not url.startswith("//"):
        return True
    return any(s.endswith(":") and url.startswith(s) for s in sources if not s.startswith("'"))


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


TAG = re.compile(r"<(script|link|img|iframe|object|embed|style|base|form)\b([^>]*)>", re.I)
ATTR = re.compile(r'([a-z-]+)\s*=\s*"([^"]*)"', re.I)


def check_page(html: str, csp: dict[str, list[str]]) -> list[str]:
    """Everything the page loads or runs that its CSP would block."""
    blocked = []
    for tag, raw in TAG.findall(html):
        attrs = dict((k.lower(), v) for k, v in ATTR.findall(raw))
        tag = tag.lower()
        if tag == "script" and "src" in attrs:
            if not allows(csp, "script-src", attrs["src"]):
                blocked.append(f"script {attrs['src']}")
        elif tag == "link":
            rel = attrs.get("rel", "")
            directive = "style-src" if rel == "stylesheet" else "img-src" if "icon" in rel else None
            if directive is None or not allows(csp, directive, attrs["href"]):
                blocked.append(f"link {rel} {attrs.get('href')}")
        elif tag not in ("script", "style"):
            blocked.append(f"unexpected <{tag}>")
    for text in re.findall(r"<script>(.*?)</script>", html, re.S):
        if sha256_source(text) not in csp.get("script-src", []):
            blocked.append("an inline script")
    for text in re.findall(r"<style>(.*?)</style>", html, re.S):
        sources = csp.get("style-src", csp["default-src"])
        if "'unsafe-inline'" not in sources and sha256_source(text) not in sources:
            blocked.append("an inline style")
    return blocked


def assert_strict(csp: dict[str, list[str]]) -> None:
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'none'"] and "object-src" not in csp
    for name, sources in csp.items():
        # No wildcard, no whole scheme (https:), no eval anywhere; no inline scripts.
        assert not {"*", "https:", "http:", "'unsafe-eval'"} & set(sources), name
    assert "'unsafe-inline'" not in csp.get("script-src", [])
    for name, sources in csp.items():
        # Nothing from another host: the pages load the service's own files (issue 9).
        for source in sources:
            assert source.startswith("'") or source in ("data:", "blob:"), (name, source)


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_docs_pages_load_only_what_their_csp_allows(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert_secured(r.headers, csp=None)
    csp = parse_csp(r.headers["content-security-policy"])
    assert_strict(csp)
    assert check_page(r.text, csp) == []
    # The HEAD answer carries the same policy.
    assert (
        client.head(path).headers["content-security-policy"] == r.headers["content-security-policy"]
    )


def test_the_swagger_page_csp_is_self_and_its_start_up_script(client: TestClient) -> None:
    r = client.get("/docs")
    csp = parse_csp(r.headers["content-security-policy"])
    [inline] = re.findall(r"<script>(.*?)</script>", r.text, re.S)
    assert csp["script-src"] == ["'self'", sha256_source(inline)]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    # The document is fetched from this service ('self'), by a relative URL.
    assert "url: '/openapi.json'" in inline and csp["connect-src"] == ["'self'"]
    assert "fastapi.tiangolo.com" not in r.text and "fonts.googleapis.com" not in r.text


def page_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/docs",
            [
                "/docs/static/swagger-ui-dist/swagger-ui.css?v=",
                "data:,",
                "/docs/static/swagger-ui-dist/swagger-ui-bundle.js?v=",
            ],
        ),
        ("/redoc", ["data:,", "/docs/static/redoc/redoc.standalone.js?v="]),
    ],
)
def test_the_docs_pages_load_their_files_from_the_service(
    client: TestClient, path: str, expected: list[str]
) -> None:
    urls = page_urls(client.get(path).text)
    assert [re.sub(r"\?v=[0-9a-f]{12}$", "?v=", u) for u in urls] == expected
    for url in urls:
        if url.startswith("/"):
            r = client.get(url)
            assert r.status_code == 200 and len(r.content) > 1000
            assert_secured(r.headers)
            # The page names the file by its digest: a new file is a new URL.
            digest = hashlib.sha256(r.content).hexdigest()
            assert url.endswith("?v=" + digest[:12])
            assert r.headers["etag"] == f'"{digest[:32]}"'
            assert r.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_a_docs_file_answers_304_head_and_revalidates_without_its_digest(
    client: TestClient,
) -> None:
    url = page_urls(client.get("/redoc").text)[-1]
    full = client.get(url)
    assert full.headers["content-type"] == "text/javascript; charset=utf-8"
    again = client.get(url, headers={"If-None-Match": full.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == full.headers["etag"]
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(full.content))
    # Without the page's ?v= (or with an old one) the browser must revalidate.
    for bare in (url.split("?")[0], url.split("?")[0] + "?v=000000000000"):
        r = client.get(bare)
        assert r.status_code == 200 and r.headers["cache-control"] == "no-cache"
        assert r.content == full.content


@pytest.mark.parametrize(
    "path",
    [
        "/docs/static/redoc/nope.js",
        "/docs/static/swagger-ui-dist/MANIFEST.json",
        "/docs/static/MANIFEST.json",
        "/docs/static/redoc/..%2F..%2Fdocs_pages.py",
        "/docs/static/redoc/%2e%2e",
    ],
)
def test_only_the_listed_docs_files_are_served(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == PROBLEM_TYPE + "not-found"


def test_the_check_finds_what_a_csp_would_block() -> None:
    # The page check above would fail for a page that loads something else.
    csp = parse_csp("default-src 'none'; script-src 'self' https://cdn.jsdelivr.net/npm/a.js")
    page = (
        '<script src="https://cdn.jsdelivr.net/npm/a.js"></script><script src="/a.js"></script>'
        '<script src="https://evil.example/b.js"></script><script>alert(1)</script>'
        '<script src="//evil.example/c.js"></script>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css"><img src="x.png">'
    )
    assert check_page(page, csp) == [
        "script https://evil.example/b.js",
        "script //evil.example/c.js",
        "link stylesheet https://fonts.googleapis.com/css",
        "unexpected <img>",
        "an inline script",
    ]


# -- HEAD --------------------------------------------------------------------------------


def get_examples(client: TestClient) -> dict[str, str]:
    """A URL that answers 200 for every GET path of the OpenAPI document."""
    first_id = {
        "authority_id": client.get("/v1/authorities").json()[0]["id"],
        "document_id": client.get("/v1/documents").json()[0]["id"],
        "standard_id": client.get("/v1/standards").json()["items"][0]["id"],
        "theme_id": client.get("/v1/themes").json()[0]["id"],
        "rule_id": client.get("/v1/timescales").json()[0]["id"],
        "code": client.get("/v1/timescales").json()[0]["requirement"],
        "calendar_id": "england-and-wales",
    }
    queries = {"date": "2026-11-23", "days": "5", "start": "2026-11-02", "end": "2026-11-23"}
    urls = {}
    for path, item in client.get("/openapi.json").json()["paths"].items():
        if "get" not in item:
            continue
        url = path
        for name, value in first_id.items():
            url = url.replace("{" + name + "}", value)
        assert "{" not in url, f"no example for {path}"
        required = [
            p["name"]
            for p in item["get"].get("parameters", [])
            if p["in"] == "query" and p.get("required")
        ]
        if required:
            url += "?" + "&".join(f"{name}={queries[name]}" for name in required)
        urls[path] = url
    return urls


def test_head_answers_like_get_for_every_get_path(client: TestClient) -> None:
    urls = get_examples(client)
    assert len(urls) >= 18  # every GET operation of the document
    for path, url in urls.items():
        got = client.get(url)
        head = client.head(url)
        assert got.status_code == 200, (path, got.text)
        assert head.status_code == 200, path
        assert head.content == b"", path
        for name in ("content-type", "content-length", "etag", "cache-control"):
            assert head.headers.get(name) == got.headers.get(name), (path, name)
        assert_secured(head.headers)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/healthz", 200),
        ("/openapi.json", 200),
        ("/metrics", 200),
        ("/v1/authorities/nowhere", 404),
        ("/v1/nothing-here", 404),
    ],
)
def test_head_outside_the_document_and_for_errors(
    client: TestClient, path: str, status: int
) -> None:
    got, head = client.get(path), client.head(path)
    assert (got.status_code, head.status_code) == (status, status)
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_head_where_get_is_not_allowed_is_405_naming_post(client: TestClient) -> None:
    r = client.head("/v1/deadlines")
    assert r.status_code == 405 and r.headers["allow"] == "POST" and r.content == b""


def test_head_is_logged_as_head_with_its_route(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="app.requests"):
        status, _, body = asgi("HEAD", "/v1/calendars/england-and-wales")
    assert (status, body) == (200, b"")
    assert any(
        r.getMessage().startswith("HEAD /v1/calendars/{calendar_id} 200 ") for r in caplog.records
    )


# -- 415 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonx"],
)
def test_a_json_body_of_another_type_is_415_naming_what_is_accepted(
    client: TestClient, content_type: str
) -> None:
    r = client.post(
        "/v1/deadlines", content=json.dumps(CASE), headers={"Content-Type": content_type}
    )
    assert r.status_code == 415 and r.headers["content-type"] == "application/problem+json"
    assert r.json() == {
        "type": PROBLEM_TYPE + "unsupported-media-type",
        "title": "Unsupported media type",
        "status": 415,
        "detail": f"Content-Type '{content_type}' is not supported: send application/json.",
    }


def test_overdue_keeps_its_own_415(client: TestClient) -> None:
    r = client.post(
        "/v1/overdue", content=json.dumps(CASELOAD), headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 415
    assert r.json()["type"] == PROBLEM_TYPE + "unsupported-media-type"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Content-Type": ""},
        {"Content-Type": "application/json; charset=utf-8"},
        {"Content-Type": "Application/JSON"},
        {"Content-Type": "application/merge-patch+json"},
    ],
)
def test_json_with_no_content_type_or_a_json_one_is_read(
    client: TestClient, headers: dict[str, str]
) -> None:
    expected = client.post("/v1/deadlines", json=CASE).json()
    r = client.post("/v1/deadlines", content=json.dumps(CASE), headers=headers)
    assert r.status_code == 200 and r.json() == expected


def test_no_content_type_and_not_json_is_the_usual_422(client: TestClient) -> None:
    r = client.post("/v1/deadlines", content=b"not json")
    assert r.status_code == 422
    assert r.json()["errors"][0]["type"] == "json_invalid"


@pytest.mark.parametrize("path", ["/v1/deadlines", "/v1/overdue"])
@pytest.mark.parametrize("coding", ["gzip", "br", "deflate", "identity, gzip", "GZIP", "x-made-up"])
def test_a_compressed_body_is_415_before_any_of_it_is_read(path: str, coding: str) -> None:
    status, headers, body = asgi(
        "POST",
        path,
        {
            "Content-Type": "application/json",
            "Content-Encoding": coding,
            # Beyond the body-size limit: the refusal comes first, unread.
            "Content-Length": str(100 * 1024 * 1024),
        },
        body_may_be_read=False,
    )
    assert status == 415 and headers["accept-encoding"] == "identity"
    problem = json.loads(body)
    shown = ", ".join(c.strip().lower() for c in coding.split(",") if c.strip())
    assert problem == {
        "type": PROBLEM_TYPE + "unsupported-media-type",
        "title": "Unsupported media type",
        "status": 415,
        "detail": f"Content-Encoding '{shown}' is not accepted: send the body uncompressed "
        "(identity); the service does not decompress bodies.",
    }
    assert headers["cache-control"] == "no-store"
    assert_secured(headers)


def test_a_chunked_compressed_body_is_refused_too() -> None:
    status, _, _ = asgi(
        "POST",
        "/v1/overdue",
        {
            "Content-Type": "application/x-ndjson",
            "Content-Encoding": "gzip",
            "Transfer-Encoding": "chunked",
        },
        body_may_be_read=False,
    )
    assert status == 415


def test_identity_or_no_body_is_accepted(client: TestClient) -> None:
    r = client.post("/v1/deadlines", json=CASE, headers={"Content-Encoding": "identity"})
    assert r.status_code == 200
    # A header with no body to apply to refuses nothing.
    assert client.get("/v1/authorities", headers={"Content-Encoding": "gzip"}).status_code == 200
    status, _, body = asgi(
        "POST", "/v1/deadlines", {"Content-Encoding": "gzip", "Content-Length": "0"}
    )
    assert status == 422 and json.loads(body)["type"] == PROBLEM_TYPE + "invalid-input"


def test_a_refused_coding_is_quoted_printable_and_short() -> None:
    status, _, body = asgi(
        "POST",
        "/v1/deadlines",
        {"Content-Type": "application/json", "Content-Encoding": "gzip\x7f" + "z" * 200},
        body=b"{}",
        body_may_be_read=False,
    )
    detail = json.loads(body)["detail"]
    assert (
        status == 415 and "gzip?zzz" in detail and "z" * 61 not in detail and "\x7f" not in detail
    )


# -- trailing slashes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query", "location"),
    [
        ("/v1/authorities/", b"", "/v1/authorities"),
        ("/v1/authorities//", b"", "/v1/authorities"),
        ("/v1/calendars/england-and-wales/", b"", "/v1/calendars/england-and-wales"),
        (
            "/v1/calendars/england-and-wales/working-day/",
            b"date=2026-11-23&x=%0d%0a",
            "/v1/calendars/england-and-wales/working-day?date=2026-11-23&x=%0d%0a",
        ),
        ("/v1/deadlines/", b"", "/v1/deadlines"),
    ],
)
def test_a_trailing_slash_is_308_to_a_relative_location(
    path: str, query: bytes, location: str
) -> None:
    status, headers, body = asgi(
        "GET", path, {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}, query=query
    )
    assert (status, headers["location"], body) == (308, location, b"")
    assert "evil.example" not in json.dumps(headers)
    assert_secured(headers)


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "//evil.example//",
        "/\\evil.example/",
        "//v1/authorities/",
        "/nothing/",
        # ("/" itself is the start page of the web pages since issue 12.)
    ],
)
def test_a_slash_path_that_is_no_route_or_names_a_host_is_404(path: str) -> None:
    status, headers, body = asgi("GET", path, {"Host": "evil.example"})
    assert status == 404 and "location" not in headers
    assert json.loads(body)["type"] == PROBLEM_TYPE + "not-found"


def test_a_location_never_starts_with_two_slashes() -> None:
    scope = {"type": "http", "path": "//evil.example/", "root_path": "", "method": "GET"}

    class Everything:
        # A route that matches any path: only the // rule stops the redirect.
        def matches(self, scope: Any) -> tuple[Any, dict[str, Any]]:
            from starlette.routing import Match

            return Match.FULL, {}

    assert slash_location(scope, [Everything()]) is None
    assert slash_location({**scope, "path": "/a/"}, [Everything()]) == "/a"
    assert slash_location({**scope, "path": "/a b/"}, [Everything()]) == "/a%20b"

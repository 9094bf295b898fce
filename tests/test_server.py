"""The production server (`python -m app.server`) against real sockets on loopback.

Slow clients are made with raw sockets and small limits given through the
environment (HEADER_TIMEOUT, BODY_GRACE_SECONDS...); the checks are about what
the server does (408, 503, a closed connection, an answer), never how fast.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from app.server import FD_RESERVE, GuardedH11Protocol, connection_limit
from app.settings import Settings
from tests.security_headers import SECURITY_HEADERS
from tests.serving import served as served_on

HEADER_TIMEOUT = 1.0
BODY_GRACE = 0.6
BODY_MIN_RATE = 2000
MARKER = "Zebedee-Quinn-2019-04-01"  # stands for case data: must never reach the log

CASE = {
    "authority": "gloucestershire",
    "as_of": "2026-11-23",
    "child": {"date_of_birth": "2019-04-01"},
    "events": [
        {"type": "referral_received", "date": "2026-10-01", "ref": "R1"},
        {"type": "referral_decision_made", "date": "2026-10-02"},
        {"type": "strategy_discussion_held", "date": "2026-10-05"},
    ],
}


class Served:
    def __init__(self, url: str, log: Path) -> None:
        self.url = url
        self.port = urlsplit(url).port
        self.log = log

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return sock


@contextmanager
def started(tmp: Path, workers: int = 1, **env: str) -> Iterator[Served]:
    """The server with this module's small limits for slow clients, and `env`."""
    log = tmp / "server.log"
    limits = {
        "LOG_LEVEL": "INFO",
        "HEADER_TIMEOUT": str(HEADER_TIMEOUT),
        "BODY_GRACE_SECONDS": str(BODY_GRACE),
        "BODY_MIN_RATE": str(BODY_MIN_RATE),
    }
    with served_on(log, env={**limits, **env}, workers=workers) as url:
        yield Served(url, log)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with started(tmp_path_factory.mktemp("server")) as info:
        yield info


def is_closed(sock: socket.socket, timeout: float = 10.0) -> tuple[bool, bytes]:
    """Whether the server closed the connection within `timeout`, and what it sent."""
    sock.settimeout(timeout)
    chunks = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True, b"".join(chunks)
            chunks.append(chunk)
    except TimeoutError:
        return False, b"".join(chunks)
    except ConnectionResetError:
        return True, b"".join(chunks)


def read_all(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """Everything until the server closes the connection; fails if it has not by `timeout`."""
    closed, answer = is_closed(sock, timeout)
    assert closed, f"the server had not closed the connection after {timeout}s"
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


# -- TCP_NODELAY -------------------------------------------------------------------------


async def _nodelay_of(protocol_class: type[H11Protocol]) -> int:
    """TCP_NODELAY on a connection accepted from a listening socket made the
    way uvicorn makes it for several workers (protocol number 0)."""

    async def app(scope: object, receive: object, send: object) -> None:  # pragma: no cover
        raise AssertionError("no request is sent")

    config = Config(app=app, log_config=None)
    config.load()
    state = ServerState()
    listener = socket.socket(socket.AF_INET)  # proto 0, as uvicorn's bind_socket
    listener.bind(("127.0.0.1", 0))
    loop = asyncio.get_running_loop()
    made: list[H11Protocol] = []

    def factory() -> H11Protocol:
        protocol = protocol_class(config=config, server_state=state, app_state={})
        made.append(protocol)
        return protocol

    server = await loop.create_server(factory, sock=listener)
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", listener.getsockname()[1])
        for _ in range(100):
            if made and made[0].transport is not None:
                break
            await asyncio.sleep(0.01)
        sock = made[0].transport.get_extra_info("socket")
        value = int(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()
        return value
    finally:
        server.close()
        for protocol in made:
            if isinstance(protocol, GuardedH11Protocol):
                protocol.cancel_head_timer()


def test_accepted_connections_get_tcp_nodelay() -> None:
    # The premise: uvicorn's own protocol leaves Nagle on for such a socket...
    assert asyncio.run(_nodelay_of(H11Protocol)) == 0
    # ...and the server's protocol turns it off.
    assert asyncio.run(_nodelay_of(GuardedH11Protocol)) != 0


# -- request heads -----------------------------------------------------------------------


def test_slow_and_silent_heads_are_closed_while_others_are_served(served: Served) -> None:
    silent = [served.connect() for _ in range(20)]
    partial = [served.connect() for _ in range(20)]
    for sock in partial:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
    try:
        # While they are open, an ordinary request is answered.
        assert httpx.get(served.url + "/healthz", timeout=5).status_code == 200
        for sock in partial:
            closed, answer = is_closed(sock)
            assert closed
            assert status_of(answer) == 408
            assert b"application/problem+json" in answer
        for sock in silent:
            closed, answer = is_closed(sock)
            assert closed
            assert answer == b""  # nothing was asked: closed without an answer
        assert httpx.get(served.url + "/healthz", timeout=5).status_code == 200
    finally:
        for sock in silent + partial:
            sock.close()


def trickle(sock: socket.socket, data: bytes, sent: int, pause: float, within: float) -> int:
    """Send `data` from `sent` on a byte at a time, `pause` apart, for at most
    `within` seconds or until the server closes; returns how many bytes went."""
    deadline = time.monotonic() + within
    try:
        while sent < len(data) and time.monotonic() < deadline:
            sock.sendall(data[sent : sent + 1])
            sent += 1
            time.sleep(pause)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return sent


def test_a_head_sent_a_byte_at_a_time_is_cut_off(served: Served) -> None:
    head = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
    with served.connect() as sock:
        sent = trickle(sock, head, 0, 0.02, HEADER_TIMEOUT * 5)
        assert sent < len(head), "the whole head was accepted at a byte every 20 ms"
        closed, answer = is_closed(sock)
        assert closed and status_of(answer) == 408


def test_the_next_head_on_a_kept_alive_connection_is_timed_too(served: Served) -> None:
    with served.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        sock.settimeout(5)
        first = b""
        while b'{"status":"ok"}' not in first:
            first += sock.recv(65536)
        assert status_of(first) == 200
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: loc")
        closed, answer = is_closed(sock)
        assert closed and status_of(answer) == 408


# -- request bodies ----------------------------------------------------------------------


def _post_head(path: str, length: int, content_type: str = "application/json") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def test_a_body_at_a_trickle_is_cut_off_with_408_and_not_logged(served: Served) -> None:
    body = json.dumps({**CASE, "child": {"date_of_birth": "2019-04-01", "name": MARKER}}).encode()
    with served.connect() as sock:
        sock.sendall(_post_head("/v1/deadlines", len(body)))
        sock.sendall(body[:40])
        sent = trickle(sock, body, 40, 0.05, (BODY_GRACE + HEADER_TIMEOUT) * 5)
        assert sent < len(body), "the whole body was accepted at 20 bytes a second"
        closed, answer = is_closed(sock)
        assert closed and status_of(answer) == 408
    # The same connection's body, and the marker in it, are not in the log.
    time.sleep(0.2)
    assert MARKER not in served.log.read_text()
    assert httpx.post(served.url + "/v1/deadlines", json=CASE, timeout=10).status_code == 200


def test_a_body_in_chunks_at_a_fair_rate_is_read(served: Served) -> None:
    """NDJSON sent in pieces with pauses, above the minimum rate on average: answered."""
    header = json.dumps({"authority": "gloucestershire", "as_of": "2026-11-23"})
    case = {"case_id": "c1", "child": CASE["child"], "events": CASE["events"]}
    lines = [header] + [json.dumps({**case, "case_id": f"c{i}"}) for i in range(60)]
    body = ("\n".join(lines) + "\n").encode()
    chunk = max(1, int(BODY_MIN_RATE * 0.1 * 4))  # four times the minimum rate
    assert len(body) // chunk * 0.1 > BODY_GRACE  # the body takes longer than the grace

    def pieces() -> Iterator[bytes]:
        for i in range(0, len(body), chunk):
            yield body[i : i + chunk]
            time.sleep(0.1)

    response = httpx.post(
        served.url + "/v1/overdue",
        content=pieces(),
        headers={"Content-Type": "application/x-ndjson"},
        timeout=20,
    )
    assert response.status_code == 200
    last = response.text.rstrip().split("\n")[-1]
    assert json.loads(last)["summary"]["cases"] == 60


# -- the connection limit ----------------------------------------------------------------


def test_connections_beyond_the_limit_get_503_and_others_are_served_after(
    tmp_path: Path,
) -> None:
    idle: list[socket.socket] = []
    with started(tmp_path, MAX_CONNECTIONS="5", HEADER_TIMEOUT="30") as served:
        try:
            idle = [served.connect() for _ in range(5)]
            time.sleep(0.3)  # let the server accept them
            with served.connect() as extra:
                extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                answer = read_all(extra)
            assert status_of(answer) == 503
            assert b"retry-after: 1" in answer.lower()
            for sock in idle:
                sock.close()
            idle = []
            time.sleep(0.3)
            assert httpx.get(served.url + "/healthz", timeout=5).status_code == 200
        finally:
            for sock in idle:
                sock.close()


def test_the_connection_limit_fits_the_descriptor_limit() -> None:
    settings = Settings(max_connections=1000)
    assert connection_limit(settings, 256) == 256 - FD_RESERVE
    assert connection_limit(settings, 1_048_576) == 1000
    assert connection_limit(settings, 10) == 1


# -- what the server adds and leaves out -------------------------------------------------


def test_no_server_header_and_no_access_log(served: Served) -> None:
    response = httpx.get(served.url + "/healthz", params={"dob": MARKER}, timeout=5)
    assert response.status_code == 200
    assert "server" not in response.headers
    assert "date" in response.headers
    time.sleep(0.2)
    text = served.log.read_text()
    assert "GET /healthz 200" in text  # the app's own request line
    assert MARKER not in text  # uvicorn's access log would print the query string


# -- HTTP hygiene and metrics over the wire ---------------------------------------------------


def raw_answer(served: Served, request: bytes) -> tuple[bytes, bytes]:
    """The head and body of the answer to one raw request (Connection: close)."""
    with served.connect() as sock:
        sock.sendall(request)
        answer = read_all(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    return head, body


def test_security_headers_and_head_over_the_wire(served: Served) -> None:
    got = httpx.get(served.url + "/v1/authorities", timeout=5)
    assert got.status_code == 200
    csp = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    for name, value in {**SECURITY_HEADERS, "content-security-policy": csp}.items():
        assert got.headers[name] == value, name
    head, body = raw_answer(
        served, b"HEAD /v1/authorities HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert head.startswith(b"HTTP/1.1 200 ") and body == b""
    assert f"content-length: {len(got.content)}".encode() in head.lower()
    assert b"server:" not in head.lower() and b"date:" in head.lower()


def test_a_trailing_slash_over_the_wire_never_names_the_host(served: Served) -> None:
    head, body = raw_answer(
        served,
        b"GET /v1/authorities/?a=1 HTTP/1.1\r\nHost: evil.example\r\n"
        b"X-Forwarded-Host: evil.example\r\nConnection: close\r\n\r\n",
    )
    assert head.startswith(b"HTTP/1.1 308 ") and body == b""
    assert b"\r\nlocation: /v1/authorities?a=1" in head.lower()
    assert b"evil" not in head
    head, _ = raw_answer(
        served, b"GET //evil.example/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    )
    assert head.startswith(b"HTTP/1.1 404 ") and b"location" not in head.lower()


def metric(text: str, name: str, **labels: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name and s.labels == labels
    )


def test_two_workers_answer_metrics_for_the_whole_server(tmp_path: Path) -> None:
    with started(tmp_path, workers=2) as info:
        # A new connection each, so both workers (one listening socket) take some.
        for _ in range(40):
            assert httpx.get(info.url + "/v1/themes", timeout=5).status_code == 200
        labels = {"method": "GET", "route": "/v1/themes", "status": "200"}
        seen = []
        for _ in range(6):
            text = httpx.get(info.url + "/metrics", timeout=5).text
            seen.append(metric(text, "http_requests_total", **labels))
        # Whichever worker answers the scrape, it counts all 40.
        assert seen == [40.0] * 6
        log = info.log.read_text()
        line = next(x for x in log.splitlines() if "prometheus multiprocess mode" in x)
        directory = Path(line.split(" added up in ")[1].split(" (")[0])
        # Both workers counted some (one file each): the sums above are of two processes.
        assert len(list(directory.glob("counter_*.db"))) == 2
    # The directory was the server's own: gone when it stops.
    assert not directory.exists()

"""The production server: `python -m app.server` (make run, the container).

uvicorn, configured from app/settings.py, with its h11 protocol extended by
what a server facing the network needs and uvicorn 0.54 does not do:

* TCP_NODELAY on every accepted connection. With `--workers 2` uvicorn binds
  the listening socket itself with protocol number 0, asyncio then skips
  TCP_NODELAY on the accepted sockets, and every keep-alive answer waits for
  the client's delayed ACK (about 40 ms: 22 requests a second on one
  connection). One worker happened to be spared because asyncio binds there.
* A request-head timeout (HEADER_TIMEOUT): the request line and headers must
  arrive within it, counted from the connection's start or the end of the
  previous answer, else 408 and the connection is closed. uvicorn has none:
  a connection that sends nothing, or a header a byte at a time, is held
  for ever.
* A minimum body rate (BODY_MIN_RATE bytes a second on average, judged after
  BODY_GRACE_SECONDS), as Apache's mod_reqtimeout and Kestrel do, rather than
  a total time: a 256 MiB NDJSON caseload at a good rate must pass, a body at
  1 byte a second must not. Time when the server is not reading (the app is
  busy with what it has, or a client waits for 100-continue) is not counted.
* A connection limit per worker (MAX_CONNECTIONS), lowered at start-up to fit
  the file-descriptor limit (whose soft value is first raised to the hard
  one): a connection beyond it is answered 503 and closed, so that slow
  clients cannot use up the descriptors and make the port unreachable.

No `server` header, no access log (the app logs requests itself, without
query strings), and the logging configuration of app/logs.py.

With several workers, a directory for prometheus-client's multiprocess mode
(PROMETHEUS_MULTIPROC_DIR), made before the workers start: each writes its
counts there and /metrics, whichever worker answers, adds them all up.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib
import json
import logging
import logging.config
import os
import resource
import shutil
import socket
import tempfile
from functools import lru_cache
from typing import Any, ClassVar

import uvicorn
from uvicorn.config import LOGGING_CONFIG, Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from app.problems import PROBLEM_MEDIA_TYPE, problem_body
from app.settings import Settings, get_settings

log = logging.getLogger("app.server")

# Descriptors kept back from connections: data files, the database, the
# thread pool's wake-up pipes, the listening socket, refusals in progress.
FD_RESERVE = 128
# At most this many refused connections wait (up to a second) for their
# request so that the 503 is read; beyond it a refused connection is closed at once.
REFUSALS_IN_FLIGHT = 32
# The import string uvicorn is given (`http=`): workers import it afresh.
PROTOCOL = "app.server:GuardedH11Protocol"
# prometheus-client reads it when it is first imported (app/metrics.py), so
# it is set here, before any worker imports the app; not imported from
# app.metrics, which would import prometheus-client in this process first.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _canned(status: int, reason: str, type_: str, title: str, detail: str) -> bytes:
    body = json.dumps(problem_body(status, type_, title, detail)).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"content-type: {PROBLEM_MEDIA_TYPE}\r\n"
        f"content-length: {len(body)}\r\n"
        + ("retry-after: 1\r\n" if status == 503 else "")
        + "connection: close\r\n\r\n"
    )
    return head.encode() + body


HEAD_TIMEOUT_RESPONSE = _canned(
    408,
    "Request Timeout",
    "request-timeout",
    "Request timeout",
    "The request line and headers did not arrive in time.",
)
BODY_TIMEOUT_RESPONSE = _canned(
    408,
    "Request Timeout",
    "request-timeout",
    "Request timeout",
    "The request body arrived too slowly.",
)
BUSY_RESPONSE = _canned(
    503,
    "Service Unavailable",
    "service-unavailable",
    "Service unavailable",
    "The server has as many connections as it accepts; try again shortly.",
)


def raise_fd_limit() -> int:
    """Raises this process's soft descriptor limit to the hard one (children
    inherit it) and returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):  # pragma: no cover - a platform that refuses
            pass
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def connection_limit(settings: Settings, fd_limit: int) -> int:
    """MAX_CONNECTIONS, or fewer if the descriptor limit cannot hold them."""
    return max(1, min(settings.max_connections, fd_limit - FD_RESERVE))


@lru_cache(maxsize=1)
def _limits() -> tuple[float, int, float, int]:
    settings = get_settings()
    fd_limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if fd_limit == resource.RLIM_INFINITY:
        fd_limit = 1 << 20
    return (
        settings.header_timeout,
        settings.body_min_rate,
        settings.body_grace_seconds,
        connection_limit(settings, fd_limit),
    )


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with TCP_NODELAY, a request-head timeout, a
    minimum body rate and a connection limit (see the module's docstring)."""

    # Refused connections of this worker still waiting for their request.
    refusing: ClassVar[int] = 0

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        (
            self.header_timeout,
            self.body_min_rate,
            self.body_grace,
            self.max_connections,
        ) = _limits()
        self.refused = False
        self.refusal_timer: asyncio.TimerHandle | None = None
        self.received = 0  # bytes received on this connection
        # Waiting for a request head: the timer, the cycle current when it
        # was armed (a new cycle means the head came) and the bytes by then.
        self.head_timer: asyncio.TimerHandle | None = None
        self.head_cycle: object = None
        self.head_received = 0
        # Reading a body: the timer, its cycle, bytes at its start, the time
        # spent waiting for the client and when that was last added up.
        self.body_timer: asyncio.TimerHandle | None = None
        self.body_cycle: object = None
        self.body_start = 0
        self.body_waited = 0.0
        self.body_checked = 0.0

    # -- connections ---------------------------------------------------------------------

    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # the peer may have gone already
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if len(self.connections) >= self.max_connections:
            self.refuse(transport)
            return
        super().connection_made(transport)
        self.arm_head_timer()

    def refuse(self, transport: asyncio.Transport) -> None:
        """Beyond the limit: 503 once the request has been read (so the client
        reads the answer rather than a reset), or at once when many wait."""
        self.refused = True
        self.transport = transport
        log.warning("Connection refused: %d connections open", len(self.connections))
        if GuardedH11Protocol.refusing >= REFUSALS_IN_FLIGHT:
            transport.abort()
            return
        GuardedH11Protocol.refusing += 1
        self.refusal_timer = self.loop.call_later(1.0, self.answer_refusal)

    def answer_refusal(self) -> None:
        if self.refusal_timer is not None:
            self.refusal_timer.cancel()
            self.refusal_timer = None
            GuardedH11Protocol.refusing -= 1
        if not self.transport.is_closing():
            self.transport.write(BUSY_RESPONSE)
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.refused:
            self.answer_refusal()
            return
        self.cancel_head_timer()
        self.cancel_body_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refused:
            self.answer_refusal()
            return
        self.received += len(data)
        super().data_received(data)
        self.note_progress()

    def on_response_complete(self) -> None:
        # Armed before uvicorn looks at pipelined data, which may start the
        # next request at once (note_progress then cancels it).
        if not self.transport.is_closing():
            self.arm_head_timer()
        super().on_response_complete()
        self.note_progress()

    def note_progress(self) -> None:
        """After the parser has run: a new request means its head is complete;
        a body complete after its answer means the next head is awaited."""
        cycle = self.cycle
        if self.head_timer is not None and cycle is not None and cycle is not self.head_cycle:
            self.cancel_head_timer()
            if cycle.more_body:
                self.start_body_watch()
        if self.body_timer is not None and (
            cycle is None or cycle is not self.body_cycle or not cycle.more_body
        ):
            self.cancel_body_timer()
            if (
                cycle is not None
                and cycle.response_complete
                and self.head_timer is None
                and not self.transport.is_closing()
            ):
                self.arm_head_timer()

    # -- the request head ----------------------------------------------------------------

    def arm_head_timer(self) -> None:
        self.cancel_head_timer()
        self.head_cycle = self.cycle
        self.head_received = self.received
        self.head_timer = self.loop.call_later(self.header_timeout, self.head_timed_out)

    def cancel_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def head_timed_out(self) -> None:
        self.head_timer = None
        if self.transport.is_closing() or self.cycle is not self.head_cycle:
            return
        if self.body_timer is not None:
            return  # the previous request's body is still coming: its rate rules
        if self.received > self.head_received:
            # Part of a head came: tell the client why before closing.
            log.info("Request head not complete in %ss: 408, closed", self.header_timeout)
            self.transport.write(HEAD_TIMEOUT_RESPONSE)
        self.transport.close()

    # -- the request body ----------------------------------------------------------------

    def start_body_watch(self) -> None:
        self.cancel_body_timer()
        self.body_cycle = self.cycle
        self.body_start = self.received
        self.body_waited = 0.0
        self.body_checked = self.loop.time()
        self.body_timer = self.loop.call_later(self.body_tick(), self.check_body)

    def body_tick(self) -> float:
        return min(1.0, self.body_grace / 4)

    def cancel_body_timer(self) -> None:
        if self.body_timer is not None:
            self.body_timer.cancel()
            self.body_timer = None

    def check_body(self) -> None:
        self.body_timer = None
        cycle = self.cycle
        if self.transport.is_closing() or cycle is None or cycle is not self.body_cycle:
            return
        if not cycle.more_body:
            return  # the whole body has come
        now = self.loop.time()
        # Only time spent waiting on the client counts: not while reading is
        # paused because the app has not yet taken what came, nor while the
        # client waits for the 100-continue the app has not asked for.
        if self.transport.is_reading() and not cycle.waiting_for_100_continue:
            self.body_waited += now - self.body_checked
        self.body_checked = now
        received = self.received - self.body_start
        if self.body_waited >= self.body_grace and received < self.body_min_rate * (
            self.body_waited
        ):
            log.info(
                "Request body slower than %d bytes/s: %s, connection closed",
                self.body_min_rate,
                "closed" if cycle.response_started else "408",
            )
            if not cycle.response_started:
                self.transport.write(BODY_TIMEOUT_RESPONSE)
            self.transport.close()
            return
        self.body_timer = self.loop.call_later(self.body_tick(), self.check_body)


def metrics_dir(settings: Settings) -> str | None:
    """With WORKERS > 1: the multiprocess directory, set in the environment the
    workers inherit. A fresh temporary one (removed at exit) unless the
    operator named one, whose counts files of an earlier run are removed
    (they would be added to this run's). One worker: none, counts in memory."""
    if settings.workers <= 1:
        return None
    directory = os.environ.get(MULTIPROC_ENV)
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))
    else:
        directory = tempfile.mkdtemp(prefix="prometheus-multiproc-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        os.environ[MULTIPROC_ENV] = directory
    return directory


def log_config(settings: Settings) -> dict[str, Any]:
    """app/logs.py's configuration (exception messages withheld, request ids);
    uvicorn's own while that module is absent."""
    try:
        logs = importlib.import_module("app.logs")
    except ModuleNotFoundError:  # HOOK: app/logs.py not there yet
        return LOGGING_CONFIG
    make = getattr(logs, "logging_config", None)
    if make is None:  # HOOK: app/logs.py without logging_config()
        return LOGGING_CONFIG
    config: dict[str, Any] = make(
        level=settings.log_level, json_logs=getattr(settings, "log_format", "text") == "json"
    )
    return config


def main() -> None:
    settings = get_settings()
    fd_limit = raise_fd_limit()
    limit = connection_limit(settings, fd_limit)
    config = log_config(settings)
    logging.config.dictConfig(config)
    directory = metrics_dir(settings)
    if directory is not None:
        log.info(
            "Metrics of the %d workers are added up in %s (prometheus multiprocess mode)",
            settings.workers,
            directory,
        )
    if limit < settings.max_connections:
        log.warning(
            "MAX_CONNECTIONS %d lowered to %d a worker to fit the file-descriptor limit of %d",
            settings.max_connections,
            limit,
            fd_limit,
        )
    log.info(
        "Serving on %s:%d with %d worker(s); head timeout %ss, body at least %d bytes/s "
        "after %ss, %d connections a worker",
        settings.host,
        settings.port,
        settings.workers,
        settings.header_timeout,
        settings.body_min_rate,
        settings.body_grace_seconds,
        limit,
    )
    uvicorn.run(
        "app.main:app",
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        http=PROTOCOL,
        loop="asyncio",
        log_config=config,
        log_level=settings.log_level.lower(),
        access_log=False,
        server_header=False,
        date_header=True,
        backlog=settings.backlog,
        timeout_keep_alive=settings.keep_alive_timeout,
    )


if __name__ == "__main__":
    main()

"""Real servers on loopback for the tests: a free port, waiting for start-up, stopping."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(server: subprocess.Popen[bytes], url: str, log: Path | None = None) -> None:
    """Until GET /healthz answers 200; fails with the server's output if it never does."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited:\n" + (log.read_text() if log else ""))
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start:\n" + (log.read_text() if log else ""))


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def served(log: Path, *, env: Mapping[str, str] | None = None, workers: int = 1) -> Iterator[str]:
    """`python -m app.server` with `workers` workers on a free loopback port, the
    variables in `env` added to this environment and its output in `log`: yields
    its base URL once it answers, and stops it afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        **(env or {}),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(workers),
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.server"],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=out,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, url, log)
        yield url
    finally:
        stop(server)

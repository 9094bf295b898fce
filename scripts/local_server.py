"""Start, wait for and stop a server on loopback: the benchmarks' one way to do it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def uvicorn_command(host: str, port: int, workers: int = 1) -> list[str]:
    """Plain uvicorn, as releases before `python -m app.server` were served."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def wait_until_up(server: subprocess.Popen[bytes], url: str, timeout: float = 60) -> None:
    """Until GET /healthz answers 200; the server is killed if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def stop(server: subprocess.Popen[bytes], timeout: float = 20) -> None:
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()

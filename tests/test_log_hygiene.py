"""No case data in any log line: exception messages, paths, control characters.

The service is run for real (uvicorn in a subprocess, with the process-wide
logging configuration of app/logs.py) and made to fail with case data in the
exception's message, both before the answer starts (the app's 500 handler) and
after it has started (uvicorn's own "Exception in ASGI application"). Every
line either process writes is then searched.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from app.logs import JsonFormatter, RequestIdFilter, SafeFormatter, escape, request_id
from tests.serving import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
SECRET_BIRTH = "2012-04-02"
SECRET_REF = "MOSAIC-PERSON-998877"

SERVER = textwrap.dedent(
    f"""
    import uvicorn
    from fastapi.responses import StreamingResponse
    from app.logs import logging_config
    from app.main import create_app

    app = create_app()

    @app.get("/v1/boom")
    def boom():
        raise ValueError("case {SECRET_REF}, child born {SECRET_BIRTH}")

    @app.get("/v1/boom-late")
    def boom_late():
        def rows():
            yield b"first row\\n"
            raise KeyError("{SECRET_REF} {SECRET_BIRTH}")
        return StreamingResponse(rows())

    uvicorn.run(app, host="127.0.0.1", port=int(__import__("sys").argv[1]),
                log_config=logging_config("DEBUG"), access_log=False)
    """
)


def test_a_failing_server_logs_no_case_data(tmp_path):
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(script), str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, base)
        assert httpx.get(base + "/v1/boom").status_code == 500
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(base + "/v1/boom-late")
        # A forged log line and raw control bytes in the path.
        httpx.get(base + "/v1/calendars/x%0AFORGED 200 0.1ms%1B[31m%00")
        httpx.get(base + f"/v1/catalogue/items/{SECRET_REF}")
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    text = out.decode("utf-8", "replace")
    lines = text.splitlines()
    assert "ValueError (message withheld)" in text  # the failure was logged...
    assert "KeyError (message withheld)" in text
    assert "in boom\n" in text + "\n" or "in boom" in text  # ...with where it happened
    assert SECRET_BIRTH not in text and SECRET_REF not in text  # ...and nothing of the case
    assert not any(line.startswith("FORGED") for line in lines)
    assert "\x1b" not in text and "\x00" not in text
    requests = [line for line in lines if " app.requests " in line]
    assert requests and all("[" in line and "] " in line for line in requests)


def _record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    record = logging.LogRecord("app.test", logging.ERROR, __file__, 1, message, args, exc_info)
    RequestIdFilter().filter(record)
    return record


def _raised(exc: BaseException) -> BaseException:
    try:
        try:
            raise LookupError(f"ref {SECRET_REF}")
        except LookupError as cause:
            raise exc from cause
    except BaseException as caught:
        return caught


@pytest.mark.parametrize("formatter", [SafeFormatter("%(message)s"), JsonFormatter()])
def test_exception_messages_are_withheld_with_their_causes(formatter):
    exc = _raised(ValueError(f"child born {SECRET_BIRTH}"))
    text = formatter.format(_record("unhandled", exc=exc))
    assert "ValueError (message withheld)" in text and "LookupError (message withheld)" in text
    assert "test_log_hygiene.py" in text  # the stack of code locations stays
    assert SECRET_BIRTH not in text and SECRET_REF not in text


def test_control_characters_are_escaped():
    assert escape("a\nb\r\x1b[31m\x00\x7f") == "a\\nb\\r\\x1b[31m\\x00\\x7f"
    line = SafeFormatter("%(message)s").format(_record("GET %s", "/x\nFORGED"))
    assert "\n" not in line and line == "GET /x\\nFORGED"
    assert json.loads(JsonFormatter().format(_record("x\ny")))["message"] == "x\ny"


def test_every_line_carries_the_request_id(client):
    r = client.get("/v1/calendars", headers={"Request-Id": "job-42.a"})
    assert r.headers["request-id"] == "job-42.a"
    made = client.get("/v1/calendars", headers={"Request-Id": "no spaces\tor tabs"})
    assert (
        made.headers["request-id"] != "no spaces\tor tabs" and len(made.headers["request-id"]) == 32
    )
    token = request_id.set("abc")
    try:
        record = _record("inside a request")
    finally:
        request_id.reset(token)
    assert record.request_id == "abc"
    assert json.loads(JsonFormatter().format(record))["request_id"] == "abc"
    assert _record("outside").request_id == "-"

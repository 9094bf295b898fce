"""examples/overdue-job.sh, the README's scheduled job, against a real server.

It must fail loudly: a server that is down, an HTTP error (a misspelt
authority), an answer cut off or not adding up are exit 1 with a message and no
list; cases that cannot be computed are listed and exit 2; a whole answer is
exit 0 with the list in the file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.serving import free_port, served

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
JOB = EXAMPLES / "overdue-job.sh"
CASES = EXAMPLES / "cases.ndjson"
REQUEST = EXAMPLES / "request.json"
CASE_IDS = [json.loads(line)["case_id"] for line in CASES.read_text().splitlines()]

pytestmark = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("bash") is None,
    reason="the job needs bash and curl",
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("server") / "server.log") as url:
        yield url


def run_job(
    cwd: Path, url: str, request: Path = REQUEST, cases: Path = CASES, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(JOB), str(request), str(cases), "overdue.ndjson"],
        cwd=cwd,
        env={**os.environ, "OVERDUE_URL": url, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def answer_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def kind(line: dict) -> str:
    for key in ("summary", "problem", "not_evaluated", "rule"):
        if key in line:
            return key
    return "row"


def test_the_sample_files_are_what_the_readme_says():
    assert json.loads(REQUEST.read_text()) == {
        "authority": "gloucestershire",
        "as_of": "2026-11-23",
        "due_within_working_days": 5,
    }
    assert CASE_IDS == ["EX-001", "EX-002", "EX-003", "EX-004", "EX-005"]


def test_a_whole_answer_is_written_and_its_summary_checked(tmp_path, service):
    done = run_job(tmp_path, service)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = answer_lines(tmp_path / "overdue.ndjson")
    rows = [line for line in lines if kind(line) == "row"]
    not_evaluated = [line for line in lines if kind(line) == "not_evaluated"]
    summary = lines[-1]["summary"]
    assert [kind(line) for line in lines].count("summary") == 1 and kind(lines[-1]) == "summary"
    assert summary["cases"] == 5 and summary["problems"] == 0
    assert summary["deadlines"] == len(rows) > 0
    assert {row["case_id"] for row in rows} == set(CASE_IDS)
    unassessed = sum(len(line["not_evaluated"]) for line in not_evaluated)
    assert summary["not_evaluated"] == unassessed > 0
    said = done.stdout.splitlines()
    assert said[0] == f"overdue-job: 5 cases, {len(rows)} deadlines overdue or due soon"
    assert said[1].startswith(
        f"overdue-job: {unassessed} rules not evaluated for {len(not_evaluated)} cases ("
    )
    assert said[2] == "overdue-job: the list is in overdue.ndjson"
    assert not (tmp_path / "overdue.ndjson.part").exists()


def test_a_server_that_is_down_is_exit_1_and_no_list(tmp_path):
    (tmp_path / "overdue.ndjson").write_text("yesterday's list\n")
    done = run_job(tmp_path, f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 1
    assert "overdue-job: cannot reach http://127.0.0.1:" in done.stderr
    assert "(curl exit 7; its message is above)" in done.stderr
    assert not (tmp_path / "overdue.ndjson").exists()


def test_a_misspelt_authority_is_exit_1_with_the_services_reason(tmp_path, service):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"authority": "glocestershire", "as_of": "2026-11-23"}))
    done = run_job(tmp_path, service, request=request)
    assert done.returncode == 1
    assert (
        "overdue-job: the service answered HTTP 422: Invalid input - "
        "Unknown authority 'glocestershire'." in done.stderr
    )
    assert not (tmp_path / "overdue.ndjson").exists()


BAD_CASE = {"case_id": "EX-BAD", "child": {"date_of_birth": "2019-02-30"}, "events": []}


@pytest.mark.parametrize(("problem_exit", "code"), [(None, 2), ("0", 0)])
def test_a_case_that_cannot_be_computed_is_listed(tmp_path, service, problem_exit, code):
    cases = tmp_path / "cases.ndjson"
    cases.write_text(CASES.read_text() + json.dumps(BAD_CASE) + "\n")
    env = {} if problem_exit is None else {"OVERDUE_PROBLEM_EXIT": problem_exit}
    done = run_job(tmp_path, service, cases=cases, **env)
    assert done.returncode == code
    said = done.stderr.splitlines()
    assert said[0] == "overdue-job: not answered (1 of 6 cases):"
    assert said[1].startswith("  case EX-BAD (request line 7): 422 Invalid input - ")
    assert said[2] == "overdue-job: the other cases' list is in overdue.ndjson"
    lines = answer_lines(tmp_path / "overdue.ndjson")
    assert [line["case_id"] for line in lines if kind(line) == "problem"] == ["EX-BAD"]
    assert lines[-1]["summary"]["cases"] == 6


# -- answers a real service should never send, from a stand-in on loopback ------------------

ROW = {"case_id": "EX-001", "rule_id": "england.assessment", "due": "2026-11-03"}
SUMMARY = {"summary": {"cases": 5, "deadlines": 2, "not_evaluated": 0, "problems": 0}}


def _ndjson(*lines: dict) -> bytes:
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


@pytest.fixture
def stand_in() -> Iterator[tuple[str, dict]]:
    """A server that reads the request and answers 200 with `answer["body"]`,
    then closes (no Content-Length: the end of the answer is the close, as when
    a proxy or a worker drops the connection part-way)."""
    answer: dict = {"body": b"", "length": None}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            if answer["length"] is not None:
                self.send_header("Content-Length", str(answer["length"]))
            self.end_headers()
            self.wfile.write(answer["body"])

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", answer
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_ndjson(ROW, ROW), "the answer has no summary line: it was cut off"),
        (_ndjson(ROW, ROW) + b'{"case_id": "EX-0', "answer line 3 is not JSON: the answer was cut"),
        (_ndjson(ROW, SUMMARY), "the summary does not match the answer: deadlines 2 (arrived: 1)"),
        (_ndjson(ROW, ROW, SUMMARY, ROW), "answer line 4 comes after the summary line"),
        (b"", "the answer has no summary line"),
    ],
    ids=["cut-after-a-row", "cut-mid-line", "rows-missing", "after-summary", "empty"],
)
def test_an_answer_cut_off_or_not_adding_up_is_exit_1(tmp_path, stand_in, body, message):
    url, answer = stand_in
    answer["body"] = body
    done = run_job(tmp_path, url)
    assert done.returncode == 1, done.stdout
    assert f"overdue-job: {message}" in done.stderr
    assert done.stderr.splitlines()[-1] == "overdue-job: no list written"
    assert not (tmp_path / "overdue.ndjson").exists()
    assert not (tmp_path / "overdue.ndjson.part").exists()


def test_the_readme_shows_what_the_job_prints_on_the_samples(tmp_path, service):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split(
        "cd examples && ./overdue-job.sh request.json cases.ndjson overdue.ndjson\n"
    )
    assert len(shown) == 2, "the README's sample run is missing"
    said = [line.removeprefix("# ") for line in shown[1].split("```")[0].splitlines()]
    done = run_job(tmp_path, service)
    assert done.stdout.splitlines() == said
    # The essential lines the README quotes are the script's.
    script = JOB.read_text(encoding="utf-8")
    for line in ("set -euo pipefail", "curl -sS --fail-with-body", "--data-binary @-"):
        assert line in script and line in readme


def test_an_answer_shorter_than_its_content_length_is_exit_1(tmp_path, stand_in):
    url, answer = stand_in
    answer["body"] = _ndjson(ROW, ROW, SUMMARY)
    answer["length"] = len(answer["body"]) + 1000
    done = run_job(tmp_path, url)
    assert done.returncode == 1, done.stdout
    assert f"overdue-job: no whole answer from {url} (curl exit 18;" in done.stderr
    assert not (tmp_path / "overdue.ndjson").exists()

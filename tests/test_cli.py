"""The `timescales` command (app/cli.py): the overdue list from a small SSD
folder and an Annex A workbook, to CSV, XLSX and NDJSON; the summary on
stderr; exit codes 0, 1 and 2; no progress bar when stderr is not a terminal;
--url against a real server giving the same rows as in-process; and the
due-date audit. Expected rows are counted by hand in the comments."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from app.cli import ServiceRefused, cli, via_service
from app.reference import reference_data
from app.sources.ssd import read_ssd
from tests.serving import ROOT, served
from tests.test_sources_annex_a import LIST7

runner = CliRunner()

# -- a small SSD, as CSV exports ---------------------------------------------------

AS_OF = "2022-10-14"  # a Friday

# P2 before P1 in ssd_person, so that "oldest first" is the command's doing.
# P1: referral Thu 1 Sep 2022, strategy discussion (s47 start) Fri 9 Sep, the
# enquiry ended 28 Sep recommending a conference; none held. P2: referral 20
# Sep, strategy discussion Fri 23 Sep, enquiry open. ssd_initial_cp_conference
# and ssd_cin_assessments are exported but empty (no conference, no assessment
# completed yet); the contact of P404, who is not in ssd_person, cannot be used.
SSD: dict[str, list[list[str]]] = {
    "ssd_person": [
        ["pers_person_id", "pers_dob", "pers_expected_dob"],
        ["P2", "2012-06-10", ""],
        ["P1", "2015-03-01", ""],
    ],
    "ssd_cin_episodes": [
        [
            "cine_referral_id",
            "cine_person_id",
            "cine_referral_date",
            "cine_close_date",
            "cine_referral_team",
            "cine_referral_worker_id",
        ],
        ["R1", "P1", "2022-09-01", "", "Team East", "W7"],
        ["R2", "P2", "2022-09-20", "", "", ""],
    ],
    "ssd_s47_enquiry": [
        [
            "s47e_s47_enquiry_id",
            "s47e_referral_id",
            "s47e_s47_start_date",
            "s47e_s47_end_date",
            "s47e_s47_nfa",
            "s47e_s47_outcome_json",
        ],
        [
            "S1",
            "R1",
            "2022-09-09",
            "2022-09-28",
            "N",
            '{"NFA_FLAG": "N", "CP_CONFERENCE_FLAG": "Y"}',
        ],
        ["S2", "R2", "2022-09-23", "", "", ""],
    ],
    "ssd_initial_cp_conference": [
        [
            "icpc_icpc_id",
            "icpc_s47_enquiry_id",
            "icpc_person_id",
            "icpc_cp_plan_id",
            "icpc_referral_id",
            "icpc_icpc_transfer_in",
            "icpc_icpc_target_date",
            "icpc_icpc_date",
            "icpc_icpc_team",
            "icpc_icpc_worker_id",
        ],
    ],
    "ssd_cin_assessments": [
        [
            "cina_assessment_id",
            "cina_person_id",
            "cina_referral_id",
            "cina_assessment_start_date",
            "cina_assessment_auth_date",
        ],
    ],
    "ssd_contacts": [
        ["cont_contact_id", "cont_person_id", "cont_contact_date"],
        ["K1", "P404", "2022-08-01"],
    ],
}

# Counted by hand, England and Wales, with Mon 19 Sep 2022 a bank holiday (the
# State Funeral of Queen Elizabeth II):
# - P1's ICPC, 15 working days from Fri 9 Sep: 12-16 Sep (5), 19 skipped,
#   20-23 (9), 26-30 (14), Mon 3 Oct (15). Not held by Fri 14 Oct: overdue by
#   4-7 Oct (4) and 10-14 Oct (5) = 9 working days.
# - P2's ICPC, 15 working days from Fri 23 Sep: 26-30 Sep (5), 3-7 Oct (10),
#   10-14 Oct (15): Fri 14 Oct, due today.
# - P1's assessment, 45 working days from Thu 1 Sep: 2 Sep (1), 5-9 (6), 12-16
#   (11), 19 skipped, 20-23 (15), 26-30 (20), 3-7 Oct (25), 10-14 (30), 17-21
#   (35), 24-28 (40), 31 Oct-4 Nov (45): Fri 4 Nov, 15 working days after 14 Oct
#   (17-21, 24-28 Oct, 31 Oct-4 Nov), so listed with --due-within 15, not 14.
#   P2's, from 20 Sep, falls in late November: not listed.
ICPC_ROWS = [
    ("P1", "england.icpc", "2022-10-03", "overdue", "9", "Team East", "W7"),
    ("P2", "england.icpc", "2022-10-14", "due_today", "0", "", ""),
]
ASSESSMENT_ROW = ("P1", "england.assessment", "2022-11-04", "upcoming", "0", "Team East", "W7")


def write_ssd(folder: Path, tables: dict[str, list[list[str]]] = SSD) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    return folder


@pytest.fixture
def ssd(tmp_path: Path) -> Path:
    return write_ssd(tmp_path / "ssd")


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def deadlines(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    """The deadline rows (not the not_evaluated and problem rows after them), as tuples."""
    return [
        (
            r["child_id"],
            r["rule_id"],
            r["due"],
            r["status"],
            r["working_days_overdue"],
            r["team"],
            r["worker"],
        )
        for r in rows
        if r["status"] in ("overdue", "due_today", "upcoming")
    ]


def overdue(*args: str) -> object:
    return runner.invoke(cli, ["overdue", *args])


def test_overdue_from_an_ssd_folder_is_csv_on_stdout_oldest_first_with_a_summary(ssd):
    result = overdue("--ssd", str(ssd), "--authority", "england", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    rows = table(result.stdout)
    assert deadlines(rows) == ICPC_ROWS
    # the deadlines first, then the rules that set none, then the unread row
    assert [r["status"] for r in rows][:2] == ["overdue", "due_today"]
    assert rows[-1]["status"] == "source_problem"
    assert "ssd_contacts, row 1" in rows[-1]["note"]
    summary = result.stderr
    assert "Cases read: 2" in summary
    assert "Rows the reader could not use: 1" in summary
    assert "Cases with problems: 0" in summary
    assert f"Rows written: {len(rows)} to stdout (2 deadlines" in summary
    # counts only: no child's id, team or worker in the log
    for word in ("P1", "P2", "P404", "Team East", "W7"):
        assert word not in summary


def test_due_within_lists_what_falls_due_in_the_next_n_working_days(ssd):
    base = ["--ssd", str(ssd), "--authority", "england", "--as-of", AS_OF]
    within_15 = overdue(*base, "--due-within", "15")
    within_14 = overdue(*base, "--due-within", "14")
    assert deadlines(table(within_15.stdout)) == [*ICPC_ROWS, ASSESSMENT_ROW]
    assert deadlines(table(within_14.stdout)) == ICPC_ROWS


def test_the_same_rows_in_csv_xlsx_and_ndjson(ssd, tmp_path):
    base = ["--ssd", str(ssd), "--authority", "england", "--as-of", AS_OF]
    for suffix in ("csv", "xlsx", "ndjson"):
        result = overdue(*base, "--out", str(tmp_path / f"list.{suffix}"))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        assert f"to {tmp_path / f'list.{suffix}'}" in result.stderr
    from_csv = table((tmp_path / "list.csv").read_text(encoding="utf-8"))
    from_ndjson = [
        {k: "" if v is None else str(v) for k, v in json.loads(line).items()}
        for line in (tmp_path / "list.ndjson").read_text().splitlines()
    ]
    sheet = load_workbook(tmp_path / "list.xlsx", read_only=True)["Overdue"]
    head, *body = list(sheet.iter_rows(values_only=True))
    from_xlsx = [
        {
            str(k): ""
            if v is None
            else v.date().isoformat()
            if isinstance(v, dt.datetime)
            else str(v)
            for k, v in zip(head, [*row, *[None] * (len(head) - len(row))], strict=True)
        }
        for row in body
    ]
    assert deadlines(from_csv) == ICPC_ROWS
    assert from_ndjson == from_csv
    assert from_xlsx == from_csv


def test_problems_file_names_table_row_and_field(ssd, tmp_path):
    problems = tmp_path / "problems.csv"
    result = overdue(
        "--ssd", str(ssd), "--authority", "england", "--as-of", AS_OF, "--problems", str(problems)
    )
    assert result.exit_code == 0, result.stderr
    (row,) = table(problems.read_text(encoding="utf-8"))
    assert (row["kind"], row["table"], row["row"], row["field"]) == (
        "source_problem",
        "ssd_contacts",
        "1",
        "cont_person_id",
    )
    assert "P404" in row["message"]
    assert f"Problems written: 1 to {problems}" in result.stderr


# -- Annex A -----------------------------------------------------------------------


def annex_a(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_overdue_from_an_annex_a_workbook(tmp_path):
    d = dt.datetime
    book = annex_a(
        tmp_path / "annex_a.xlsx",
        {
            "List 7": [
                LIST7,
                [
                    "C1",
                    d(2015, 3, 1),
                    d(2026, 9, 1),
                    d(2026, 11, 2),
                    "a) Yes",
                    d(2026, 10, 1),
                    None,
                    "North",
                    "Worker 1",
                ],
                [
                    "C2",
                    d(2016, 4, 1),
                    d(2026, 9, 1),
                    d(2026, 10, 26),
                    "a) Yes",
                    d(2026, 10, 1),
                    None,
                    None,
                    None,
                ],
                ["C3", d(2016, 4, 1), "not a date", None, None, None, None, None, None],
            ]
        },
    )
    problems = tmp_path / "problems.csv"
    result = overdue(
        "--annex-a", str(book),
        "--authority", "redcar-and-cleveland",
        "--as-of", "2026-11-20",
        "--problems", str(problems),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # Redcar and Cleveland visit a child on a plan every 10 working days (no
    # bank holiday in Oct-Nov 2026). C2's last visit Mon 26 Oct: 27-30 Oct (4),
    # 2-6 Nov (9), Mon 9 Nov (10); overdue on Fri 20 Nov by 10-13 (4) and 16-20
    # (5) = 9. C1's Mon 2 Nov: 3-6 (4), 9-13 (9), Mon 16 Nov (10); overdue by
    # 17-20 Nov = 4. Oldest first: C2 before C1.
    assert deadlines(table(result.stdout)) == [
        ("C2", "redcar-and-cleveland.cp_visit", "2026-11-09", "overdue", "9", "", ""),
        ("C1", "redcar-and-cleveland.cp_visit", "2026-11-16", "overdue", "4", "North", "Worker 1"),
    ]
    found = {(r["table"], r["row"], r["field"]) for r in table(problems.read_text())}
    assert ("List 7", "4", "Child Protection Plan Start Date") in found
    assert ("List 1", "", "") in found  # no sheet for List 1: a problem, never silent
    assert "Cases read: 3" in result.stderr


# -- exit codes --------------------------------------------------------------------


def test_nothing_read_exits_1_with_the_readers_problems(tmp_path):
    missing = overdue("--ssd", str(tmp_path / "nowhere"), "--authority", "england")
    assert missing.exit_code == 1
    assert "nothing read" in missing.stderr and missing.stdout == ""

    no_lists = annex_a(tmp_path / "notes.xlsx", {"Notes": [["nothing here"]]})
    result = overdue("--annex-a", str(no_lists), "--authority", "england", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "no cases read" in result.stderr
    assert "no sheet for List 7" in result.stderr

    no_person = write_ssd(tmp_path / "no_person", {"ssd_contacts": SSD["ssd_contacts"]})
    problems = tmp_path / "problems.csv"
    result = overdue(
        "--ssd", str(no_person), "--authority", "england", "--as-of", AS_OF,
        "--problems", str(problems),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "ssd_person" in result.stderr
    # what could not be read is still written out, in full
    assert "ssd_person" in {r["table"] for r in table(problems.read_text(encoding="utf-8"))}

    not_a_workbook = tmp_path / "list.xlsx"
    not_a_workbook.write_text("child_id\nC1\n")
    result = overdue("--annex-a", str(not_a_workbook), "--authority", "england")
    assert result.exit_code == 1 and "nothing read" in result.stderr

    # SQL Server's driver (pyodbc) is not a dependency: its absence is said in a line.
    result = overdue("--ssd", "mssql+pyodbc://u:p@host/db", "--authority", "england")
    assert result.exit_code == 1
    assert "driver for mssql+pyodbc is not installed" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--authority", "atlantis"], "--authority"),
        (["--authority", "england", "--as-of", "2022-13-01"], "--as-of"),
        (["--authority", "england", "--as-of", "14/10/2022"], "--as-of"),
        (["--authority", "england", "--as-of", "2011-12-31"], "--as-of"),
        (["--authority", "england", "--out", "list.txt"], "--out"),
        (["--authority", "england", "--problems", "problems.xlsx"], "--problems"),
    ],
)
def test_a_bad_option_is_one_line_naming_it_and_exit_2(ssd, args, option):
    result = overdue("--ssd", str(ssd), *args)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"timescales: {option}: ")
    assert result.stdout == ""


def test_one_source_exactly_and_typer_usage_errors_exit_2(ssd, tmp_path):
    both = overdue("--ssd", str(ssd), "--annex-a", str(tmp_path / "a.xlsx"), "--authority", "x")
    neither = overdue("--authority", "england")
    no_authority = overdue("--ssd", str(ssd))
    negative = overdue("--ssd", str(ssd), "--authority", "england", "--due-within", "-1")
    assert [r.exit_code for r in (both, neither, no_authority, negative)] == [2, 2, 2, 2]
    assert "--ssd/--annex-a" in both.stderr and "--ssd/--annex-a" in neither.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(ssd):
    result = overdue("--ssd", str(ssd), "--authority", "england", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "Computing" not in result.stderr
    assert "\x1b[" not in result.stderr  # no terminal control sequences at all
    assert "━" not in result.stderr


# -- the installed command ---------------------------------------------------------

COMMAND = ROOT / ".venv" / "bin" / "timescales"


@pytest.mark.skipif(not COMMAND.exists(), reason="the package is not installed in .venv")
def test_the_installed_command_runs(ssd, tmp_path):
    out = tmp_path / "overdue.csv"
    done = subprocess.run(
        [str(COMMAND), "overdue", "--ssd", str(ssd), "--authority", "england",
         "--as-of", AS_OF, "--out", str(out)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert deadlines(table(out.read_text(encoding="utf-8"))) == ICPC_ROWS
    assert "Cases read: 2" in done.stderr
    assert "\x1b[" not in done.stderr and "Computing" not in done.stderr  # piped: no bar
    usage = subprocess.run(
        [str(COMMAND), "overdue", "--ssd", str(ssd), "--authority", "atlantis"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert usage.returncode == 2
    assert usage.stderr.startswith("timescales: --authority: unknown authority 'atlantis'")


# -- --url: the same list from a running service -----------------------------------


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("cli-server") / "server.log") as url:
        yield url


def test_url_gives_the_same_rows_as_in_process(service, ssd, tmp_path):
    base = ["--ssd", str(ssd), "--authority", "england", "--as-of", AS_OF, "--due-within", "15"]
    here = overdue(*base, "--out", str(tmp_path / "here.ndjson"))
    there = overdue(*base, "--out", str(tmp_path / "there.ndjson"), "--url", service)
    assert here.exit_code == 0 and there.exit_code == 0, there.stderr
    here_rows = (tmp_path / "here.ndjson").read_text().splitlines()
    assert (tmp_path / "there.ndjson").read_text().splitlines() == here_rows
    assert len(here_rows) == 6  # 3 deadlines, 2 rules that set none, 1 unread row
    assert here.stderr == there.stderr.replace("there.ndjson", "here.ndjson")


def one_child_on_a_plan(tmp_path):
    """The overdue command's options for an Annex A workbook of one child on a plan
    (Redcar and Cleveland, 20 Nov 2026; last visit Mon 2 Nov)."""
    d = dt.datetime
    book = annex_a(
        tmp_path / "annex_a.xlsx",
        {"List 7": [LIST7, ["C1", d(2015, 3, 1), d(2026, 9, 1), d(2026, 11, 2), "a) Yes",
                            d(2026, 10, 1), None, "North", "Worker 1"]]},
    )  # fmt: skip
    return ["--annex-a", str(book), "--authority", "redcar-and-cleveland", "--as-of", "2026-11-20"]


def test_url_from_annex_a_sends_the_recorded_event_types(service, tmp_path):
    base = one_child_on_a_plan(tmp_path)
    here = overdue(*base)
    there = overdue(*base, "--url", service + "/")
    assert there.exit_code == 0, there.stderr
    assert there.stdout == here.stdout
    # Annex A records no core groups: not listed as missed, but as not recorded
    assert any(
        r["rule_id"] == "redcar-and-cleveland.core_group" and r["note"].startswith("not_recorded")
        for r in table(there.stdout)
    )


def test_rules_as_of_in_process_and_through_the_service(service, tmp_path):
    base = one_child_on_a_plan(tmp_path)
    # With the rules of 1 Oct 2023, before Redcar and Cleveland's standards (November
    # 2023), the local visit (overdue 16 Nov 2026, counted above) is not set, and says why.
    here = overdue(*base, "--rules-as-of", "2023-10-01")
    there = overdue(*base, "--rules-as-of", "2023-10-01", "--url", service + "/")
    assert here.exit_code == 0 and there.exit_code == 0, here.stderr + there.stderr
    assert there.stdout == here.stdout
    rows = [r for r in table(here.stdout) if r["rule_id"] == "redcar-and-cleveland.cp_visit"]
    assert [r["status"] for r in rows] == ["not_evaluated"]
    assert rows[0]["note"].startswith("not_in_force")
    bad = overdue(*base, "--rules-as-of", "1 Oct 2023")
    assert bad.exit_code == 2 and "--rules-as-of" in bad.stderr


def test_url_a_refused_request_prints_the_problem_and_exits_1(service, ssd):
    result = overdue(
        "--ssd", str(ssd), "--authority", "england", "--as-of", AS_OF, "--url", service + "/nowhere"
    )
    assert result.exit_code == 1
    assert "did not answer the list" in result.stderr
    assert "Not found" in result.stderr  # the problem's title
    assert result.stdout == ""


def test_url_a_service_that_cannot_be_reached_exits_1(ssd):
    result = overdue(
        "--ssd", str(ssd), "--authority", "england", "--url", "http://127.0.0.1:9", "--as-of", AS_OF
    )
    assert result.exit_code == 1
    assert "could not be reached" in result.stderr


def test_url_streams_the_request_body_and_sends_the_key(ssd):
    read = read_ssd(ssd, as_of=dt.date(2022, 10, 14))
    seen: dict[str, object] = {}

    class Refusing(httpx.BaseTransport):
        """Reads the body as a server does, a chunk at a time, then refuses it."""

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            seen["headers"] = dict(request.headers)
            # Not a body made in advance: chunks from the command's generator,
            # one line each
            seen["streamed"] = not isinstance(request.stream, httpx.ByteStream)
            seen["chunks"] = list(request.stream)
            return httpx.Response(
                422,
                json={"title": "Invalid input", "detail": "Unknown calendar."},
                headers={"Content-Type": "application/problem+json"},
            )

    with pytest.raises(ServiceRefused, match=r"Invalid input: Unknown calendar\."):
        via_service(
            read,
            reference_data(),
            url="http://service.test",
            api_key="secret-key",
            authority="england",
            as_of=dt.date(2022, 10, 14),
            due_within=3,
            transport=Refusing(),
        )
    headers = seen["headers"]
    assert isinstance(headers, dict)
    assert headers["x-api-key"] == "secret-key"
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    assert seen["streamed"] is True
    chunks = seen["chunks"]
    assert isinstance(chunks, list) and len(chunks) == 3  # the header line, then each case
    header, *cases = [json.loads(chunk) for chunk in chunks]
    assert read.event_types_recorded is not None  # the SSD says which tables it holds
    assert header == {
        "authority": "england",
        "as_of": "2022-10-14",
        "due_within_working_days": 3,
        "recorded_event_types": sorted(read.event_types_recorded),
    }
    assert [c["case_id"] for c in cases] == ["P2", "P1"]


def test_api_key_from_the_environment(ssd, monkeypatch):
    captured: dict[str, str] = {}

    def fake(read, data, **kwargs):  # what the command hands to via_service
        captured.update(api_key=kwargs["api_key"])
        raise ServiceRefused("stopped here")

    monkeypatch.setattr("app.cli.via_service", fake)
    result = runner.invoke(
        cli,
        ["overdue", "--ssd", str(ssd), "--authority", "england", "--url", "http://x.test"],
        env={"TIMESCALES_API_KEY": "from-env"},
    )
    assert result.exit_code == 1
    assert captured == {"api_key": "from-env"}
    assert "from-env" not in result.stderr  # the key is never printed


# -- the due-date audit ------------------------------------------------------------


def audit_ssd(folder: Path) -> Path:
    tables = {k: [list(r) for r in v] for k, v in SSD.items()}
    # P1's conference target recorded as Fri 30 Sep: 15 working days from Fri 9
    # Sep with Mon 19 Sep counted as a working day (12-16 (5), 19-23 (10), 26-30
    # (15)); statute skips the State Funeral holiday, giving Mon 3 Oct (above).
    # P2's recorded Fri 14 Oct is the statutory date (above): it matches.
    tables["ssd_initial_cp_conference"] += [
        ["I1", "S1", "", "", "", "N", "2022-09-30", "2022-10-05", "", ""],
        ["I2", "S2", "", "", "", "N", "2022-10-14", "2022-10-13", "", ""],
    ]
    return write_ssd(folder, tables)


def test_audit_due_dates_lists_the_mismatch_and_why(tmp_path):
    ssd = audit_ssd(tmp_path / "ssd")
    out = tmp_path / "audit.csv"
    result = runner.invoke(
        cli, ["audit-due-dates", "--ssd", str(ssd), "--as-of", AS_OF, "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    (row,) = table(out.read_text(encoding="utf-8"))
    assert {k: v for k, v in row.items() if k != "reason"} == {
        "child_id": "P1",
        "table": "ssd_initial_cp_conference",
        "row": "1",
        "field": "icpc_icpc_target_date",
        "recorded_due": "2022-09-30",
        "statutory_due": "2022-10-03",
        "rule_id": "england.icpc",
        "counted_from": "strategy_discussion_held",
        "counted_from_date": "2022-09-09",
        "days_skipped": "2022-09-19 Bank Holiday for the State Funeral of Queen Elizabeth II",
    }
    assert row["reason"].startswith("a bank holiday is not counted as one")
    assert "Recorded due dates checked: 2" in result.stderr
    assert "Matching the statutory date: 1" in result.stderr
    assert "a bank holiday not counted as one: 1" in result.stderr
    assert "P1" not in result.stderr

    xlsx = tmp_path / "audit.xlsx"
    again = runner.invoke(
        cli, ["audit-due-dates", "--ssd", str(ssd), "--as-of", AS_OF, "--out", str(xlsx)]
    )
    assert again.exit_code == 0, again.stderr
    head, first = list(load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))
    assert head[4:6] == ("recorded_due", "statutory_due")
    assert first[0] == "P1" and first[5] == dt.datetime(2022, 10, 3)


def test_audit_due_dates_usage_and_nothing_read(tmp_path):
    assert runner.invoke(cli, ["audit-due-dates"]).exit_code == 2
    bad_out = runner.invoke(cli, ["audit-due-dates", "--ssd", str(tmp_path), "--out", "a.ndjson"])
    assert bad_out.exit_code == 2 and "--out" in bad_out.stderr
    missing = runner.invoke(cli, ["audit-due-dates", "--ssd", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1


def test_help_names_both_commands():
    result = runner.invoke(cli, ["--help"], env={**os.environ, "COLUMNS": "120"})
    assert result.exit_code == 0
    assert "overdue" in result.stdout and "audit-due-dates" in result.stdout


def test_a_progress_bar_when_stderr_is_a_terminal(ssd, monkeypatch):
    from app.cli import in_process

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    read = read_ssd(ssd, as_of=dt.date(2022, 10, 14))
    listed = in_process(
        read, reference_data(), authority="england", as_of=dt.date(2022, 10, 14), due_within=0
    )
    assert len(listed.rows) == 5  # 2 deadlines, 2 rules that set none, 1 unread row
    assert "Computing" in terminal.getvalue()

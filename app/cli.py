"""The `timescales` command: the overdue list and the due-date audit from a
council's own data (an SSD database or CSV folder, an Annex A workbook),
without code.

`timescales overdue` reads the cases (app/sources/), computes the list
in-process (app.jobs.overdue) or posts the cases as NDJSON to a running
service (`--url`), and writes the rows as CSV, XLSX or NDJSON
(app.jobs.output). `timescales audit-due-dates` sets the due dates an SSD
records beside the statutory ones (app.jobs.audit).

What goes to stderr is counts and the command's own messages, never case
data: the output file is the analyst's own, the terminal's scrollback and a
scheduler's log are not. Exit codes: 0 when cases were read, 1 when nothing
could be read (or the service refused the request), 2 for a usage error.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn

import typer

from app.calendars.supported_range import SUPPORTED
from app.domain.deadlines import today_in_london
from app.domain.rules import BASELINE, Rule
from app.jobs.output import FORMATS, write, write_csv
from app.jobs.overdue import (
    NOT_EVALUATED,
    PROBLEM,
    SOURCE_PROBLEM,
    OverdueRow,
    oldest_first,
    overdue_list,
    problem_row,
    report_rows,
    source_problem_note,
)
from app.reference import ReferenceData, reference_data
from app.sources.base import SourceProblem, SourceRead

cli = typer.Typer(
    name="timescales",
    help="Statutory timescales from a council's own data: the overdue list and the "
    "due-date audit, from the Standard Safeguarding Dataset (SSD) or Ofsted's Annex A.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # a traceback's locals would show case data
)

# Reader problems printed when nothing could be read: enough to see what is
# wrong (a missing table, a workbook without lists), never the whole file.
MAX_PROBLEMS_SHOWN = 20
# How long the service may take between bytes (it answers once the whole
# caseload is read, so the last batch's computing is the longest wait).
SERVICE_TIMEOUT = 300.0
NDJSON = "application/x-ndjson"


def say(text: str) -> None:
    """A line of the command's own on stderr (counts and messages, no case data)."""
    print(text, file=sys.stderr)


def usage_error(option: str, message: str) -> NoReturn:
    """A bad option value: one line naming the option, exit 2 (as Typer's own)."""
    say(f"timescales: {option}: {message}")
    raise typer.Exit(2)


def day_of(option: str, text: str | None) -> dt.date:
    """A date option (YYYY-MM-DD, within the calendars); today in London if none."""
    if text is None:
        return today_in_london()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        usage_error(option, f"{text!r} is not a date: write YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        usage_error(option, f"{text!r} is not a date: write YYYY-MM-DD")
    if day not in SUPPORTED:
        usage_error(option, f"{text} is outside the supported dates, {SUPPORTED}")
    return day


def authority_of(data: ReferenceData, authority: str) -> str:
    known = [BASELINE, *data.catalogue.authorities]
    if authority not in known:
        usage_error("--authority", f"unknown authority {authority!r}; one of: {', '.join(known)}")
    return authority


def output_of(option: str, path: Path | None, formats: Sequence[str]) -> Path | None:
    if path is not None and path.suffix.lower().lstrip(".") not in formats:
        usage_error(option, f"{path.name}: write " + ", ".join(f".{f}" for f in formats))
    return path


# -- reading -----------------------------------------------------------------------


def read_source(
    ssd: str | None, annex_a: Path | None, *, as_of: dt.date, timeframe_years: int
) -> SourceRead:
    """What the one source given holds, or exit 1 (the reason) when it cannot
    be opened at all."""
    from openpyxl.utils.exceptions import InvalidFileException
    from sqlalchemy.exc import SQLAlchemyError

    if annex_a is not None:
        from app.sources.annex_a import read_annex_a

        try:
            return read_annex_a(annex_a, as_of=as_of)
        except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
            # A missing file, a file that is not a workbook (openpyxl's KeyError:
            # a zip without a workbook's parts).
            say(f"timescales: nothing read from {annex_a}: {_first_line(exc)}")
            raise typer.Exit(1) from None
    from app.sources.ssd import read_ssd

    assert ssd is not None
    try:
        return read_ssd(ssd, as_of=as_of, timeframe_years=timeframe_years)
    except OSError as exc:  # not a folder, an unreadable file
        say(f"timescales: nothing read: {_first_line(exc)}")
        raise typer.Exit(1) from None
    except SQLAlchemyError as exc:
        # A bad URL, a database that cannot be reached, a driver not installed.
        say(f"timescales: nothing read from the database: {type(exc).__name__}: "
            f"{_first_line(exc)}")  # fmt: skip
        raise typer.Exit(1) from None


def no_cases(read: SourceRead) -> NoReturn:
    """Exit 1, with the reader's problems (a missing table or sheet, most often)."""
    say("timescales: no cases read.")
    for p in read.problems[:MAX_PROBLEMS_SHOWN]:
        say(f"  {source_problem_note(p)}")
    if len(read.problems) > MAX_PROBLEMS_SHOWN:
        say(f"  ... and {len(read.problems) - MAX_PROBLEMS_SHOWN} more")
    raise typer.Exit(1)


def _first_line(exc: BaseException) -> str:
    # A driver's message can run to the SQL sent and a documentation link:
    # the first line says what failed.
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# -- progress ----------------------------------------------------------------------


@contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """A callback told how many cases are done: a rich progress bar on stderr
    when stderr is a terminal, nothing otherwise (a pipe, a log file)."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=total)
        yield lambda n: bar.update(task, completed=n)


# -- the overdue list --------------------------------------------------------------


@dataclass
class Listed:
    """What a run of `overdue` produced, for the output and the summary."""

    rows: list[OverdueRow]  # every line of the file (report_rows' order)
    refused: Sequence[tuple[str | None, str, str]]  # (case_id, where in the case, why)


def in_process(
    read: SourceRead,
    data: ReferenceData,
    *,
    authority: str,
    as_of: dt.date,
    due_within: int,
    rules_as_of: dt.date | None = None,
) -> Listed:
    with progress_bar(len(read.cases), "Computing") as advance:
        listing = overdue_list(
            read,
            data,
            authority=authority,
            as_of=as_of,
            due_within_working_days=due_within,
            progress=advance,
            rules_as_of=rules_as_of,
        )
    refused = [
        (p.case_id, _loc(p.errors[0].loc) if p.errors else "", p.detail) for p in listing.problems
    ]
    return Listed(report_rows(listing, read), refused)


def _loc(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


class ServiceRefused(Exception):
    """The service did not answer the list: its problem's title and detail."""


def header_line(
    read: SourceRead,
    *,
    authority: str,
    as_of: dt.date,
    due_within: int,
    rules_as_of: dt.date | None = None,
) -> dict[str, Any]:
    """The first line of the NDJSON request: the request without its cases."""
    header: dict[str, Any] = {
        "authority": authority,
        "as_of": as_of.isoformat(),
        "due_within_working_days": due_within,
    }
    if rules_as_of is not None:
        header["rules_as_of"] = rules_as_of.isoformat()
    if read.event_types_recorded is not None:
        header["recorded_event_types"] = sorted(read.event_types_recorded)
    return header


def request_lines(
    read: SourceRead, header: dict[str, Any], advance: Callable[[int], None]
) -> Iterator[bytes]:
    """The request body, a line at a time: the body streams to the service as
    it is made, so a caseload is never held as one request."""
    yield (json.dumps(header) + "\n").encode()
    for n, case in enumerate(read.cases, 1):  # bounded: the cases read
        yield (json.dumps(case.as_json()) + "\n").encode()
        advance(n)


def via_service(
    read: SourceRead,
    data: ReferenceData,
    *,
    url: str,
    api_key: str | None,
    authority: str,
    as_of: dt.date,
    due_within: int,
    transport: Any = None,
    rules_as_of: dt.date | None = None,
) -> Listed:
    """The list as a running service computes it (POST /v1/overdue.ndjson),
    turned into the same rows as in-process: team and worker from the cases
    read, the requirement's title from the answer's rule lines."""
    import httpx

    headers = {"Content-Type": NDJSON, "Accept": NDJSON}
    if api_key:
        headers["X-API-Key"] = api_key
    header = header_line(
        read, authority=authority, as_of=as_of, due_within=due_within, rules_as_of=rules_as_of
    )
    endpoint = url.rstrip("/") + "/v1/overdue.ndjson"
    with (
        progress_bar(len(read.cases), "Sending") as advance,
        httpx.Client(
            timeout=httpx.Timeout(SERVICE_TIMEOUT, connect=15.0), transport=transport
        ) as client,
        client.stream(
            "POST", endpoint, content=request_lines(read, header, advance), headers=headers
        ) as response,
    ):
        if response.status_code != 200:
            response.read()
            raise ServiceRefused(_refusal(response.status_code, response.text))
        return answer_rows(response.iter_lines(), read, data)


def _refusal(status: int, body: str) -> str:
    try:
        problem = json.loads(body)
        return f"{problem['title']}: {problem['detail']}"
    except (ValueError, KeyError, TypeError):
        return f"HTTP {status}"


def answer_rows(lines: Iterator[str], read: SourceRead, data: ReferenceData) -> Listed:
    """The NDJSON answer's lines as the rows of the file, in report_rows' order:
    the deadlines oldest first, then each rule that set none, each case the
    service refused, each row of the data that could not be read."""
    who = {c.case_id: (c.team, c.worker) for c in read.cases}
    rules: dict[str, Rule] = {r.id: r for _, r in data.rulebook.all_rules()}
    requirements = data.rulebook.vocabulary.requirements
    titles: dict[str, str] = {}
    deadlines: list[OverdueRow] = []
    unset: list[OverdueRow] = []
    refused: list[tuple[str | None, str, str]] = []
    summary: dict[str, Any] | None = None
    for text in lines:  # bounded: the answer's lines
        if not text.strip():
            continue
        line = json.loads(text)
        if "rule" in line:
            titles[line["rule"]["rule_id"]] = line["rule"]["title"]
        elif "summary" in line:
            summary = line["summary"]
        elif "problem" in line:
            problem = line["problem"]
            errors = problem.get("errors") or []
            where = _loc(errors[0]["loc"]) if errors else ""
            refused.append((line.get("case_id"), where, problem["detail"]))
        elif "not_evaluated" in line:
            team, worker = who.get(line["case_id"], (None, None))
            for n in line["not_evaluated"]:
                rule = rules.get(n["rule_id"])
                requirement = requirements.get(n["requirement"])
                unset.append(
                    OverdueRow(
                        case_id=line["case_id"],
                        requirement=n["requirement"],
                        title=str(requirement["title"]) if requirement else None,
                        due=None,
                        status=NOT_EVALUATED,
                        working_days_overdue=None,
                        basis=rule.basis if rule else None,
                        rule_id=n["rule_id"],
                        anchor_type=None,
                        anchor_date=None,
                        team=team,
                        worker=worker,
                        note=f"{n['reason']}: {n['detail']}",
                    )
                )
        else:
            team, worker = who.get(line["case_id"], (None, None))
            anchor = line["anchor"]
            deadlines.append(
                OverdueRow(
                    case_id=line["case_id"],
                    requirement=line["requirement"],
                    title=titles.get(line["rule_id"]),
                    due=dt.date.fromisoformat(line["due"]),
                    status=line["status"],
                    working_days_overdue=line["working_days_overdue"],
                    basis=line["basis"],
                    rule_id=line["rule_id"],
                    anchor_type=anchor["type"],
                    anchor_date=dt.date.fromisoformat(anchor["date"]),
                    team=team,
                    worker=worker,
                )
            )
    if summary is None:
        raise ServiceRefused("the answer ended before its summary line: the list is incomplete")
    if summary.get("cases") != len(read.cases):
        raise ServiceRefused(
            f"the service answered {summary.get('cases')} cases of {len(read.cases)} sent"
        )
    deadlines.sort(key=oldest_first)
    rows = [
        *deadlines,
        *unset,
        *(problem_row(case_id, PROBLEM, why) for case_id, _, why in refused),
        *(problem_row(p.case_id, SOURCE_PROBLEM, source_problem_note(p)) for p in read.problems),
    ]
    return Listed(rows, refused)


PROBLEM_HEADINGS = ["kind", "child_id", "table", "row", "record", "field", "message"]


def write_problems(
    path: Path, source: Sequence[SourceProblem], refused: Sequence[tuple[str | None, str, str]]
) -> int:
    """Every row the reader could not use (kind source_problem: the table or
    sheet, row and field) and every case the engine refused (kind problem:
    the field of the case, as the API locates it), as CSV."""
    rows: list[list[Any]] = [
        [SOURCE_PROBLEM, p.case_id, p.source, p.row, p.record, p.field, p.message] for p in source
    ]
    rows.extend([PROBLEM, case_id, None, None, None, where, why] for case_id, where, why in refused)
    with path.open("w", encoding="utf-8", newline="") as out:
        _write_table(out, PROBLEM_HEADINGS, rows)
    return len(rows)


def _cell(value: Any) -> str:
    text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
    # As app.jobs.output: a cell Excel would run as a formula is quoted.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_table(out: IO[str], headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([_cell(v) for v in row] for row in rows)


SsdOption = Annotated[
    str | None,
    typer.Option(
        "--ssd",
        metavar="URL|DIR",
        help="The SSD: a SQLAlchemy database URL (sqlite:///ssd.db, "
        "postgresql+psycopg://...) or a folder of CSV exports named after the tables.",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="The day the list is for (default: today in Europe/London).",
        show_default=False,
    ),
]


@cli.command()
def overdue(
    authority: Annotated[
        str,
        typer.Option(
            "--authority", help="The council (its catalogue id, e.g. gloucestershire) or england."
        ),
    ],
    ssd: SsdOption = None,
    annex_a: Annotated[
        Path | None,
        typer.Option("--annex-a", metavar="WORKBOOK.xlsx", help="An Annex A workbook."),
    ] = None,
    as_of: AsOfOption = None,
    due_within: Annotated[
        int,
        typer.Option(
            "--due-within",
            min=0,
            max=260,
            metavar="N",
            help="Also list what falls due in the next N working days.",
        ),
    ] = 0,
    rules_as_of: Annotated[
        str | None,
        typer.Option(
            "--rules-as-of",
            metavar="YYYY-MM-DD",
            help="Apply the rules as they stood on this day to every deadline (default: each "
            "deadline under the rule in force on the day it is counted from).",
            show_default=False,
        ),
    ] = None,
    timeframe_years: Annotated[
        int,
        typer.Option(
            "--timeframe-years",
            min=1,
            metavar="N",
            help="The SSD extract's ssd_timeframe_years: deadlines due before it are not judged.",
        ),
    ] = 6,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="FILE",
            help="Where to write the list: .csv, .xlsx or .ndjson. (default: CSV on stdout)",
            show_default=False,
        ),
    ] = None,
    problems: Annotated[
        Path | None,
        typer.Option(
            "--problems",
            metavar="FILE.csv",
            help="Every row the reader could not use and every case the engine refused.",
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="https://SERVICE",
            help="Post the cases to a running service instead of computing here.",
        ),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            envvar="TIMESCALES_API_KEY",
            metavar="KEY",
            help="The service's API key (X-API-Key).",
            show_envvar=True,
        ),
    ] = None,
) -> None:
    """The overdue list: every deadline overdue, due today or due within N
    working days, oldest first, with the child's team and worker."""
    if (ssd is None) == (annex_a is None):
        usage_error("--ssd/--annex-a", "give one source: --ssd URL|DIR or --annex-a workbook.xlsx")
    output_of("--out", out, FORMATS)
    output_of("--problems", problems, ("csv",))
    day = day_of("--as-of", as_of)
    rules_day = day_of("--rules-as-of", rules_as_of) if rules_as_of is not None else None
    data = reference_data()
    authority_of(data, authority)

    read = read_source(ssd, annex_a, as_of=day, timeframe_years=timeframe_years)
    if not read.cases:
        if problems is not None:  # what could not be read, in full, for the analyst
            write_problems(problems, read.problems, ())
            say(f"Problems written: {len(read.problems)} to {problems}")
        no_cases(read)
    if url is None:
        listed = in_process(
            read,
            data,
            authority=authority,
            as_of=day,
            due_within=due_within,
            rules_as_of=rules_day,
        )
    else:
        import httpx

        try:
            listed = via_service(
                read,
                data,
                url=url,
                api_key=api_key,
                authority=authority,
                as_of=day,
                due_within=due_within,
                rules_as_of=rules_day,
            )
        except ServiceRefused as exc:
            say(f"timescales: the service at {url} did not answer the list: {exc}")
            raise typer.Exit(1) from None
        except httpx.HTTPError as exc:
            say(f"timescales: the service at {url} could not be reached: {_first_line(exc)}")
            raise typer.Exit(1) from None

    if out is None:
        written = write_csv(listed.rows, sys.stdout)
        sys.stdout.flush()
        where = "stdout"
    else:
        written = write(listed.rows, out)
        where = str(out)
    if problems is not None:
        write_problems(problems, read.problems, listed.refused)

    kinds = Counter(r.status for r in listed.rows)
    deadlines = written - kinds[NOT_EVALUATED] - kinds[PROBLEM] - kinds[SOURCE_PROBLEM]
    say(f"Cases read: {len(read.cases)}")
    say(f"Rows the reader could not use: {len(read.problems)}")
    say(f"Cases with problems: {len(listed.refused)}")
    say(
        f"Rows written: {written} to {where} ({deadlines} deadlines, "
        f"{kinds[NOT_EVALUATED]} rules that set none, {kinds[PROBLEM]} cases not computed, "
        f"{kinds[SOURCE_PROBLEM]} rows of the data not read)"
    )
    if problems is not None:
        say(f"Problems written: {len(read.problems) + len(listed.refused)} to {problems}")


# -- the due-date audit ------------------------------------------------------------

AUDIT_HEADINGS = [
    "child_id",
    "table",
    "row",
    "field",
    "recorded_due",
    "statutory_due",
    "rule_id",
    "counted_from",
    "counted_from_date",
    "days_skipped",
    "reason",
]

# The summary counts mismatches by kind of reason (the reasons themselves
# name the case's dates, which stay out of the log): how each begins.
REASON_KINDS = (
    ("a bank holiday is not counted as one", "a bank holiday not counted as one"),
    ("a day that is not a bank holiday was skipped", "a day that is not a bank holiday skipped"),
    ("months counted as", "months counted as days"),
    ("counted from the", "counted from the wrong event"),
    ("differs by", "cause not identified"),
)


def reason_kind(statutory: dt.date | None, reason: str) -> str:
    if statutory is None:
        return "not checked"
    for start, kind in REASON_KINDS:  # bounded: the kinds above
        if reason.startswith(start):
            return kind
    return "other"


@cli.command("audit-due-dates")
def audit_due_dates_command(
    ssd: Annotated[
        str,
        typer.Option(
            "--ssd",
            metavar="URL|DIR",
            help="The SSD: a SQLAlchemy database URL or a folder of CSV exports.",
        ),
    ],
    as_of: AsOfOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="FILE",
            help="Where to write the findings: .csv or .xlsx. (default: CSV on stdout)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The due dates the SSD records (icpc_icpc_target_date, cppr_cp_review_due,
    clar_cla_review_due_date) beside the statutory ones: every mismatch, with
    both dates, the rule, the days skipped and why they differ."""
    from app.jobs.audit import audit_due_dates

    output_of("--out", out, ("csv", "xlsx"))
    day = day_of("--as-of", as_of)
    data = reference_data()
    read = read_source(ssd, None, as_of=day, timeframe_years=6)
    if not read.cases:
        no_cases(read)
    audit = audit_due_dates(read, data, as_of=day)
    rows = [
        [
            f.case_id,
            f.source,
            f.row,
            f.field,
            f.recorded,
            f.statutory,
            f.rule_id,
            f.counted_from,
            f.counted_from_date,
            "; ".join(f"{d.isoformat()} {name}" for d, name in f.skipped),
            f.reason,
        ]
        for f in audit.findings
    ]
    if out is None:
        _write_table(sys.stdout, AUDIT_HEADINGS, rows)
        sys.stdout.flush()
        where = "stdout"
    elif out.suffix.lower() == ".xlsx":
        _write_xlsx(out, "Due-date audit", AUDIT_HEADINGS, rows)
        where = str(out)
    else:
        with out.open("w", encoding="utf-8", newline="") as f:
            _write_table(f, AUDIT_HEADINGS, rows)
        where = str(out)
    kinds = Counter(reason_kind(f.statutory, f.reason) for f in audit.findings)
    say(f"Cases read: {len(read.cases)}")
    say(f"Recorded due dates checked: {audit.checked}")
    say(f"Matching the statutory date: {audit.matching}")
    say(f"Findings written: {len(rows)} to {where}")
    for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        say(f"  {kind}: {n}")


def _write_xlsx(
    path: Path, title: str, headings: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(list(headings))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_cell(value) if isinstance(value, str) else value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


def main() -> None:
    """The console script's entry point (pyproject.toml, [project.scripts])."""
    cli()

"""The deadline calculator page: /calculator (GET: the form; POST: the answer, same URL).

A team manager or integration tester enters one child's case three ways: in a
form (the council, calendar, as_of, date of birth, closed days, and events
from the vocabulary, with an "add another event" button that works without
JavaScript), as the JSON body of POST /v1/deadlines, or as an Ofsted Annex A
workbook (one child of it). Each way becomes the same request, a
`DeadlinesRequest`, answered by what POST /v1/deadlines calls (`assess_request`
on the app's reference data, `deadline_json`, `not_evaluated_json`): this page
computes no date itself. The answer is a table, the timeline picture
(app/web/timeline.py) with its text equivalent, each deadline's explanation,
and what was not evaluated; POST /calculator/download gives the same answer as
iCalendar, CSV or JSON, from the request the page carries in a hidden field.

Problems with the input come back as the API's problems do (each located by
field, events by index) and are shown as a GOV.UK error summary whose links
go to the form field each names.

Nothing of a case is kept: no session, no file (an uploaded workbook is read
from memory), nothing logged (the request log has the path and status only).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import Message
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from app.calendars import CALENDAR_IDS, CALENDAR_NAMES
from app.datafiles import load_yaml
from app.deps import ReferenceDep
from app.domain.deadlines import CaseAssessment, Context, today_in_london
from app.domain.rules import Rulebook
from app.domain.vocabulary import EVENTS_FILE, Vocabulary
from app.errors import ServiceError
from app.jobs.output import csv_text
from app.jobs.overdue import not_evaluated_row, row_of
from app.problems import problem_of
from app.reference import ReferenceData
from app.routers import deadlines as api
from app.routers import workbook
from app.routers.caseload import parse_value
from app.routers.deadline_models import (
    DeadlinesRequest,
    OverdueHeader,
)
from app.routers.json_body import parse_json
from app.sources.base import SourceRead
from app.web.templating import render
from app.web.timeline import (
    STATUS_WORDS,
    TimelineEntry,
    date_words,
    timeline_entries,
    timeline_svg,
)

router = APIRouter(include_in_schema=False)

PATH = "/calculator"
DOWNLOAD_PATH = "/calculator/download"
DEFAULT_ROWS = 5  # event rows of a new form
MAX_ROWS = 100  # rows the form offers; a longer history is pasted as JSON
MAX_FIELDS = 4000  # form fields read from one request (MAX_ROWS rows of ~10, and the rest)
MAX_PARTS = 64  # parts of an upload form (its dozen fields and the workbook)
SOURCES = ("form", "json", "annex_a")
FORMATS = {
    "ics": ("text/calendar", "deadlines.ics"),
    "csv": ("text/csv; charset=utf-8", "deadlines.csv"),
    "json": ("application/json", "deadlines.json"),
}
# GOV.UK tag colours for each status: words first, colour as well.
STATUS_TAGS = {
    "met": "govuk-tag--green",
    "met_late": "govuk-tag--orange",
    "overdue": "govuk-tag--red",
    "due_today": "govuk-tag--yellow",
    "upcoming": "govuk-tag--blue",
}
BOOL_CHOICES = (("", "Not given"), ("yes", "Yes"), ("no", "No"))
# "Event 3 (ref 'x'): ..." as the domain names an event (app.domain.cases.describe_event):
# on the form, events are numbered by their row, from 1.
_EVENT_PREFIX = re.compile(r"^Event \d+(?: \(ref '.*?'\))?: ")
_DATE_SPLIT = re.compile(r"[\s,;]+")


# -- reading the posted form -------------------------------------------------------------------


@dataclass
class Upload:
    filename: str
    content: bytes


@dataclass
class Posted:
    """A posted form: each field's values in order, and any files."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str) -> str:
        values = self.fields.get(name)
        return values[0].strip() if values else ""

    def raw(self, name: str) -> str:
        values = self.fields.get(name)
        return values[0] if values else ""


class FormUnreadable(ValueError):
    """The body is not the form the page posts."""


def read_posted(content_type: str, raw: bytes) -> Posted:
    """A urlencoded or multipart form (the page's own), read from the bytes held
    in memory: nothing of an upload is written anywhere."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded" or not media_type:
        try:
            pairs = urllib.parse.parse_qsl(
                raw.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS
            )
        except (UnicodeDecodeError, ValueError):
            raise FormUnreadable("The form could not be read.") from None
        posted = Posted()
        for name, value in pairs:
            posted.fields.setdefault(name, []).append(value)
        return posted
    if media_type == "multipart/form-data":
        return _multipart(content_type, raw)
    raise FormUnreadable("The form could not be read: send it from the page.")


def _multipart(content_type: str, raw: bytes) -> Posted:
    """multipart/form-data, parsed by the standard library's MIME parser (a form
    upload is a MIME multipart message), in memory: the body is within
    MAX_BODY_BYTES, and nothing of it is written to disk."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = email.message_from_bytes(head + raw, policy=email.policy.HTTP)
    if not message.is_multipart() or message.defects:
        raise FormUnreadable("The upload could not be read.")
    parts = message.get_payload()
    if not isinstance(parts, list) or len(parts) > MAX_PARTS:
        raise FormUnreadable("The upload has more parts than the page sends.")
    posted = Posted()
    for part in parts:
        if not isinstance(part, Message):
            raise FormUnreadable("The upload could not be read.")
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            if filename or content:
                posted.files[name] = Upload(filename, content)
            continue
        try:
            posted.fields.setdefault(name, []).append(content.decode("utf-8"))
        except UnicodeDecodeError:
            raise FormUnreadable("The form could not be read.") from None
    return posted


# -- the form ----------------------------------------------------------------------------------


@dataclass
class EventRow:
    """One row of the events table, as typed (kept as text to show again)."""

    type: str = ""
    date: str = ""
    scheduled: bool = False
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        return not (self.type or self.date or self.scheduled or any(self.attributes.values()))


@dataclass
class CaseForm:
    """The case as typed on the page: what the form shows again after a POST."""

    source: str = "form"
    authority: str = "england"
    calendar: str = ""
    as_of: str = ""
    date_of_birth: str = ""
    closed_days: str = ""
    history_from: str = ""
    rows: list[EventRow] = field(default_factory=lambda: [EventRow() for _ in range(DEFAULT_ROWS)])
    request_json: str = ""
    child: str = ""
    workbook_name: str = ""


def case_form(posted: Posted, vocabulary: Vocabulary) -> CaseForm:
    """The form as posted. Only the attributes the vocabulary declares are read."""
    source = posted.get("source")
    form = CaseForm(
        source=source if source in SOURCES else "form",
        authority=posted.get("authority") or "england",
        calendar=posted.get("calendar"),
        as_of=posted.get("as_of"),
        date_of_birth=posted.get("date_of_birth"),
        closed_days=posted.get("closed_days"),
        history_from=posted.get("history_from"),
        rows=[],
        request_json=posted.raw("request_json"),
        child=posted.get("child"),
    )
    declared = sorted({name for by in vocabulary.attributes.values() for name in by})
    count = _row_count(posted.get("event_rows"))
    for i in range(count):
        form.rows.append(
            EventRow(
                type=posted.get(f"event-{i}-type"),
                date=posted.get(f"event-{i}-date"),
                scheduled=posted.get(f"event-{i}-scheduled") == "yes",
                attributes={
                    name: posted.get(f"event-{i}-{name}")
                    for name in declared
                    if posted.get(f"event-{i}-{name}")
                },
            )
        )
    return form


def _row_count(text: str) -> int:
    if text.isdigit() and len(text) <= 3:
        return max(1, min(int(text), MAX_ROWS))
    return DEFAULT_ROWS


def add_row(form: CaseForm) -> bool:
    """One more event row ("add another event"); False when the form has MAX_ROWS."""
    if len(form.rows) >= MAX_ROWS:
        return False
    form.rows.append(EventRow())
    return True


@dataclass(frozen=True)
class FieldProblem:
    """One problem, for the error summary: the field's id on the page, and what is wrong."""

    field: str
    message: str


def _dates(text: str) -> list[str]:
    return [d for d in _DATE_SPLIT.split(text) if d]


def form_body(form: CaseForm, vocabulary: Vocabulary) -> tuple[dict[str, Any], list[int]]:
    """The request the form stands for (the body of POST /v1/deadlines, as JSON
    values), and the form row of each of its events. Blank rows are left out."""
    body: dict[str, Any] = {"authority": form.authority}
    if form.as_of:
        body["as_of"] = form.as_of
    if form.calendar:
        body["calendar"] = form.calendar
    if form.date_of_birth:
        body["child"] = {"date_of_birth": form.date_of_birth}
    if form.closed_days:
        body["closed_days"] = _dates(form.closed_days)
    if form.history_from:
        body["history_from"] = form.history_from
    events: list[dict[str, Any]] = []
    rows: list[int] = []
    for i, row in enumerate(form.rows):
        if row.blank:
            continue
        event: dict[str, Any] = {"type": row.type, "date": row.date}
        if row.scheduled:
            event["scheduled"] = True
        kinds = vocabulary.attribute_kinds
        attributes: dict[str, Any] = {}
        for name, text in row.attributes.items():
            if kinds.get(name) == "bool":
                attributes[name] = text == "yes"
            else:
                attributes[name] = text
        if attributes:
            event["attributes"] = attributes
        events.append(event)
        rows.append(i)
    body["events"] = events
    return body, rows


def form_problems(form: CaseForm, vocabulary: Vocabulary) -> list[FieldProblem]:
    """What the form itself can tell before the request is checked: a row
    with no type or no date, an attribute typed for an event type that has none
    such (the API would accept it and read it nowhere, so it would be lost)."""
    problems = []
    for i, row in enumerate(form.rows):
        if row.blank:
            continue
        n = i + 1
        if not row.type:
            problems.append(FieldProblem(f"event-{i}-type", f"Event {n}: choose the event type"))
        if not row.date:
            problems.append(
                FieldProblem(
                    f"event-{i}-date", f"Event {n}: enter the date, for example 2022-09-05"
                )
            )
        allowed = vocabulary.attributes.get(row.type, {})
        for name in row.attributes:
            if row.type and name not in allowed:
                words = name.replace("_", " ")
                problems.append(
                    FieldProblem(
                        f"event-{i}-{name}",
                        f"Event {n}: {words} is not read for {row.type.replace('_', ' ')} "
                        "events: clear it, or choose the event type it belongs to",
                    )
                )
    return problems


# Where a problem's location ("body", ...) is on the page, by the way the case was given.
_FIELDS = {
    "authority": "authority",
    "calendar": "calendar",
    "as_of": "as-of",
    "child": "date-of-birth",
    "closed_days": "closed-days",
    "history_from": "history-from",
}


def field_of(loc: Sequence[str | int], source: str, rows: Sequence[int]) -> str:
    """The page's field for a problem located at `loc` in the request."""
    if source == "json":
        return "request-json"
    path = list(loc[1:]) if loc and loc[0] in ("body", "query") else list(loc)
    prefix = "workbook-" if source == "annex_a" else ""
    if not path:
        return "workbook" if source == "annex_a" else "authority"
    head = str(path[0])
    if head == "events":
        if source == "annex_a":
            return "workbook"
        if len(path) > 1 and isinstance(path[1], int) and 0 <= path[1] < len(rows):
            row = rows[path[1]]
            part = str(path[2]) if len(path) > 2 else "type"
            if part == "attributes" and len(path) > 3:
                part = str(path[3])
            elif part not in ("type", "date", "scheduled"):
                part = "type"
            return f"event-{row}-{part}"
        return "event-0-type"
    if head in _FIELDS:
        if source == "annex_a" and head in ("child", "history_from"):
            return "workbook"
        return prefix + _FIELDS[head]
    return "workbook" if source == "annex_a" else "authority"


def _message(msg: str, loc: Sequence[str | int], source: str, rows: Sequence[int]) -> str:
    """The problem's words, with an event named by its form row (from 1) on the form."""
    event = loc[2] if len(loc) > 2 and loc[1] == "events" else None
    if source == "form" and isinstance(event, int) and 0 <= event < len(rows):
        return f"Event {rows[event] + 1}: " + _EVENT_PREFIX.sub("", msg)
    if source == "json":
        where = ".".join(str(p) for p in loc[1:]) if list(loc[:1]) == ["body"] else ""
        return f"{where}: {msg}" if where and not msg.startswith(where) else msg
    return msg


def problems_of(
    exc: ServiceError | RequestValidationError, source: str, rows: Sequence[int] = ()
) -> list[FieldProblem]:
    """A problem of the API (its errors, each located) as the page's field problems."""
    problem = problem_of(exc)
    errors = problem.get("errors") or []
    if not errors:
        where = "request-json" if source == "json" else field_of((), source, rows)
        return [FieldProblem(where, str(problem["detail"]))]
    return [
        FieldProblem(
            field_of(e["loc"], source, rows), _message(str(e["msg"]), e["loc"], source, rows)
        )
        for e in errors
    ]


# -- the answer --------------------------------------------------------------------------------


@dataclass
class Answer:
    """The answer of POST /v1/deadlines for the request, and what the page shows of it."""

    request: dict[str, Any]  # the request, as the body of POST /v1/deadlines
    payload: dict[str, Any]  # the answer, as POST /v1/deadlines gives it
    authority_name: str
    entries: list[TimelineEntry]
    ctx: Context
    found: CaseAssessment
    rulebook: Rulebook
    case_label: str = "case"
    source_problems: list[str] = field(default_factory=list)

    # Each representation is made when asked for: a download needs one, the page
    # needs the picture alone.
    @property
    def svg(self) -> Markup:
        title = f"Timeline of the deadlines of the {self.case_label}"
        return Markup(timeline_svg(self.payload, title))

    @property
    def icalendar(self) -> bytes:
        return api.icalendar_of(self.ctx, self.found.deadlines)

    @property
    def csv(self) -> str:
        """The CSV of app/jobs/output.py (the overdue list's columns): every deadline,
        then a row for each rule that set none, the reason in `note`."""
        titles = self.rulebook.vocabulary.requirements
        label = self.case_label
        rows = [row_of(label, d, titles) for d in self.found.deadlines]
        rows.extend(not_evaluated_row(label, n, titles) for n in self.found.not_evaluated)
        return csv_text(rows)

    @property
    def request_text(self) -> str:
        return json.dumps(self.request, indent=2, ensure_ascii=False)

    @property
    def json_text(self) -> str:
        return json.dumps(self.payload, indent=2, ensure_ascii=False)


def compute(data: ReferenceData, body: dict[str, Any], case_label: str = "case") -> Answer:
    """The request answered by what POST /v1/deadlines calls; problems raised
    located in the body, as the API's are."""
    request = parse_value(DeadlinesRequest, body, ("body",))
    ctx, answer = api.assess_request(data, request)
    payload = api.deadlines_json(data, request, ctx, answer)
    names = {a.id: a.name for a in data.catalogue.authorities.values()}
    return Answer(
        request=body,
        payload=payload,
        authority_name=names.get(ctx.ruleset, "England (the statutory baseline)"),
        entries=timeline_entries(payload),
        ctx=ctx,
        found=answer,
        rulebook=data.rulebook,
        case_label=case_label,
    )


def workbook_body(form: CaseForm, read: SourceRead, child: str) -> tuple[dict[str, Any], list[str]]:
    """The request for one child of an Annex A workbook, and the workbook's
    problems with that child's rows (in words)."""
    case = next(c for c in read.cases if c.case_id == child)
    body: dict[str, Any] = {"authority": form.authority}
    if form.as_of:
        body["as_of"] = form.as_of
    if form.calendar:
        body["calendar"] = form.calendar
    if form.closed_days:
        body["closed_days"] = _dates(form.closed_days)
    if read.event_types_recorded is not None:
        body["recorded_event_types"] = sorted(read.event_types_recorded)
    shaped = case.as_json()
    shaped.pop("case_id")
    body.update(shaped)
    problems = [workbook._problem_text(p) for p in read.problems if p.case_id in (None, child)]
    return body, problems


# -- the page ----------------------------------------------------------------------------------


@dataclass
class Page:
    form: CaseForm
    problems: list[FieldProblem] = field(default_factory=list)
    answer: Answer | None = None
    children: list[str] = field(default_factory=list)  # an uploaded workbook's, to choose from
    note: str = ""  # a line above the form ("the form has the most rows it can have")

    @property
    def field_problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for p in self.problems:
            found.setdefault(p.field, p.message)
        return found


@lru_cache(maxsize=1)
def _groups_of_bundled_types() -> dict[str, str]:
    """Each bundled event type's group (app/data/events.yaml), read once."""
    events: Any = load_yaml(EVENTS_FILE)
    return {e["type"]: e.get("group", "Other") for e in events["event_types"]}


def _event_groups(vocabulary: Vocabulary) -> list[tuple[str, list[tuple[str, str]]]]:
    """The event types for the select, in the vocabulary file's groups (its
    order); a type the file does not group (another rulebook's) under "Other"."""
    group_of = _groups_of_bundled_types()
    groups: dict[str, list[tuple[str, str]]] = {}
    for event_type, description in vocabulary.descriptions.items():
        if event_type in vocabulary.event_types:
            groups.setdefault(group_of.get(event_type, "Other"), []).append(
                (event_type, description)
            )
    return list(groups.items())


def _context(data: ReferenceData, page: Page) -> dict[str, Any]:
    vocabulary = data.rulebook.vocabulary
    authorities = [("england", "England (the statutory baseline only)")] + [
        (a.id, a.name) for a in data.catalogue.authorities.values()
    ]
    attributes = [
        (
            event_type,
            [
                (name, kind, vocabulary.attribute_descriptions.get(name, ""))
                for name, kind in by.items()
            ],
        )
        for event_type, by in vocabulary.attributes.items()
        if by
    ]
    return {
        "page": page,
        "form": page.form,
        "errors": page.field_problems,
        "answer": page.answer,
        "authorities": authorities,
        "calendars": [(c, CALENDAR_NAMES[c]) for c in CALENDAR_IDS],
        "event_groups": _event_groups(vocabulary),
        "attributes": attributes,
        "placement_choices": [("", "Not given")]
        + [(t, t.replace("_", " ")) for t in sorted(vocabulary.placement_types)],
        "child_choices": [(c, c) for c in page.children],
        "bool_choices": BOOL_CHOICES,
        "status_words": STATUS_WORDS,
        "status_tags": STATUS_TAGS,
        "day_words": _day_words,
        "max_rows": MAX_ROWS,
        "formats": FORMATS,
        "download_path": DOWNLOAD_PATH,
    }


def _day_words(text: str) -> str:
    """An ISO date of the answer ("2022-09-27") as GOV.UK writes it."""
    return date_words(dt.date.fromisoformat(text[:10]))


def answer_page(data: ReferenceData, posted: Posted) -> tuple[Page, int]:
    """What a POST to /calculator shows, and its status: 200 with the answer
    (or the form with one more row), 422 with the problems."""
    vocabulary = data.rulebook.vocabulary
    form = case_form(posted, vocabulary)
    if form.source == "form" and posted.get("action") == "add-event":
        if not add_row(form):
            return Page(
                form,
                note=f"The form has {MAX_ROWS} rows, the most it can have: "
                "paste a longer history as JSON instead.",
            ), 200
        return Page(form), 200
    if not form.rows:
        form.rows = [EventRow() for _ in range(DEFAULT_ROWS)]
    if form.source == "json":
        return _from_json(data, form)
    if form.source == "annex_a":
        return _from_workbook(data, form, posted.files.get("workbook"))
    problems = form_problems(form, vocabulary)
    if problems:
        return Page(form, problems), 422
    body, rows = form_body(form, vocabulary)
    try:
        return Page(form, answer=compute(data, body)), 200
    except (ServiceError, RequestValidationError) as exc:
        return Page(form, problems_of(exc, "form", rows)), 422


def _from_json(data: ReferenceData, form: CaseForm) -> tuple[Page, int]:
    text = form.request_json.strip()
    if not text:
        return Page(
            form,
            [FieldProblem("request-json", "Paste the body of a request to POST /v1/deadlines")],
        ), 422
    try:
        body = parse_json(text.encode("utf-8"))
        if not isinstance(body, dict):
            return Page(
                form,
                [
                    FieldProblem(
                        "request-json",
                        "The request must be a JSON object, as the body of POST /v1/deadlines is",
                    )
                ],
            ), 422
        return Page(form, answer=compute(data, body)), 200
    except (ServiceError, RequestValidationError) as exc:
        return Page(form, problems_of(exc, "json")), 422


def _from_workbook(data: ReferenceData, form: CaseForm, upload: Upload | None) -> tuple[Page, int]:
    if upload is None or not upload.content:
        return Page(
            form, [FieldProblem("workbook", "Choose an Annex A workbook (.xlsx) to upload")]
        ), 422
    form.workbook_name = upload.filename
    try:
        header = parse_value(
            OverdueHeader,
            {
                k: v
                for k, v in {
                    "authority": form.authority,
                    "as_of": form.as_of or None,
                    "calendar": form.calendar or None,
                    "closed_days": _dates(form.closed_days),
                }.items()
                if v is not None
            },
            ("body",),
        )
        read = workbook.read_workbook(upload.content, header.as_of or today_in_london())
    except (ServiceError, RequestValidationError) as exc:
        return Page(form, problems_of(exc, "annex_a")), 422
    children = sorted(c.case_id for c in read.cases)
    child = form.child if form.child in children else children[0] if len(children) == 1 else ""
    if not child:
        message = (
            f"The workbook holds {len(children)} children: choose one, then upload the "
            "workbook again (nothing you upload is kept)"
            if not form.child
            else f"The workbook holds no child with the ID {form.child!r}: choose one of its "
            f"{len(children)} children, then upload the workbook again"
        )
        return Page(form, [FieldProblem("workbook-child", message)], children=children), 422
    form.child = child
    body, source_problems = workbook_body(form, read, child)
    try:
        answer = compute(data, body, f"child {child}")
    except (ServiceError, RequestValidationError) as exc:
        return Page(form, problems_of(exc, "annex_a"), children=children), 422
    answer.source_problems = source_problems
    return Page(form, answer=answer, children=children), 200


async def _posted(request: Request) -> Posted:
    raw = await request.body()
    return read_posted(request.headers.get("content-type", ""), raw)


@router.get(PATH, response_class=HTMLResponse)
async def calculator_form(request: Request, data: ReferenceDep) -> HTMLResponse:
    """The form, empty: the statutory baseline, today, five event rows."""
    page = Page(CaseForm())
    return await run_in_threadpool(render, request, "calculator.html", _context(data, page))


@router.post(PATH, response_class=HTMLResponse)
async def calculator_answer(request: Request, data: ReferenceDep) -> HTMLResponse:
    """The answer (or the form again, with one more row or with its problems)."""
    try:
        posted = await _posted(request)
    except FormUnreadable as exc:
        page = Page(CaseForm(), [FieldProblem("authority", str(exc))])
        return render(request, "calculator.html", _context(data, page), status_code=400)
    page, status = await run_in_threadpool(answer_page, data, posted)
    return await run_in_threadpool(render, request, "calculator.html", _context(data, page), status)


@router.post(DOWNLOAD_PATH, response_model=None)
async def calculator_download(request: Request, data: ReferenceDep) -> Response:
    """The answer to the request the page carries (its hidden `request_json`),
    as an iCalendar, CSV or JSON file: computed again, never kept between requests."""
    try:
        posted = await _posted(request)
    except FormUnreadable as exc:
        page = Page(CaseForm(), [FieldProblem("authority", str(exc))])
        return render(request, "calculator.html", _context(data, page), status_code=400)
    chosen = posted.get("format")
    form = CaseForm(source="json", request_json=posted.raw("request_json"))
    label = posted.get("case_label") or "case"
    if chosen not in FORMATS:
        page = Page(form, [FieldProblem("request-json", "Choose iCalendar, CSV or JSON")])
        return render(request, "calculator.html", _context(data, page), status_code=422)

    def answer() -> tuple[Page, Answer | None]:
        text = form.request_json.strip()
        try:
            body = parse_json(text.encode("utf-8"))
            if not isinstance(body, dict):
                raise ValueError
            return Page(form), compute(data, body, label if len(label) <= 220 else "case")
        except (ServiceError, RequestValidationError) as exc:
            return Page(form, problems_of(exc, "json")), None
        except ValueError:
            return Page(
                form, [FieldProblem("request-json", "The request must be a JSON object")]
            ), None

    page, found = await run_in_threadpool(answer)
    if found is None:
        return render(request, "calculator.html", _context(data, page), status_code=422)
    media_type, filename = FORMATS[chosen]
    content: bytes | str
    if chosen == "ics":
        content = found.icalendar
    elif chosen == "csv":
        content = found.csv
    else:
        content = found.json_text
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            # The file is the case's: no cache between the browser and the service keeps it.
            "Cache-Control": "no-store",
        },
    )

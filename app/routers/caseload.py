"""A caseload assessed case by case, and the answers made of it (JSON, CSV),
shared by the overdue operations (app/routers/deadlines.py: a JSON or NDJSON
caseload; app/routers/workbook.py: an Annex A workbook), with the parsing
that locates a problem where it sits in the request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

import orjson
from fastapi import Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from app import metrics
from app.domain.deadlines import (
    CaseAssessment,
    Context,
    assess_case,
    context,
    overdue_horizon,
    overdue_only,
)
from app.domain.engine import Deadline, NotEvaluated
from app.domain.rules import Rulebook
from app.errors import ServiceError, located
from app.jobs.output import csv_text
from app.jobs.overdue import (
    PROBLEM,
    SOURCE_PROBLEM,
    not_evaluated_row,
    problem_row,
    row_of,
    source_problem_note,
)
from app.problems import problem_of
from app.reference import ReferenceData
from app.routers.deadline_models import (
    CaseIn,
    OverdueHeader,
    deadline_json,
    not_evaluated_json,
    overdue_row_json,
    provenance,
    rule_json,
)
from app.routers.json_body import parse_json
from app.sources.base import SourceProblem

CASE_ID_MAX = 200  # as CaseIn.case_id: a longer text is not echoed as an id
# Compact overdue rows with a `rules` section (default), or full deadlines.
Detail = Literal["compact", "full"]


class RequestValues(Protocol):
    """What every request that assesses cases says of them all (a deadlines
    body, an overdue list's or a what-if's header)."""

    @property
    def authority(self) -> str: ...
    @property
    def calendar(self) -> str | None: ...
    @property
    def closed_days(self) -> Sequence[dt.date]: ...
    @property
    def as_of(self) -> dt.date | None: ...
    @property
    def recorded_event_types(self) -> Sequence[str] | None: ...
    @property
    def rules_as_of(self) -> dt.date | None: ...


def request_context(data: ReferenceData, header: RequestValues) -> Context:
    """What the request's cases share, from its header (a body or an NDJSON
    request's first line); the caller locates its problems."""
    return context(
        data.rulebook,
        data.catalogue,
        data.bank_holidays.calendars,
        header.authority,
        header.calendar,
        header.closed_days,
        header.as_of,
        header.recorded_event_types,
        header.rules_as_of,
    )


def json_response(payload: Any) -> Response:
    # orjson: an answer for a caseload has tens of thousands of rows, and the
    # standard library's encoder was most of the time a request took.
    return Response(orjson.dumps(payload), media_type="application/json")


@dataclass
class Caseload:
    """A caseload assessed: its overdue rows, what set no deadline, its problems."""

    header: OverdueHeader
    ctx: Context
    cases: int
    found: list[tuple[str, Deadline]]  # (case_id, deadline), oldest first
    unassessed: list[tuple[str, NotEvaluated]]
    problems: list[dict[str, Any]]  # {case_id, index, problem}


def assess_caseload(
    data: ReferenceData,
    header: OverdueHeader,
    cases: list[Any],
    header_at: tuple[str | int, ...] = ("body",),
) -> Caseload:
    """Each case of a caseload (JSON values, not yet validated) on its own; its
    problems located at ("body", "cases", k), the header's at `header_at`
    (the query string, for a workbook)."""
    book = data.rulebook
    with located(*header_at):
        ctx = request_context(data, header)
    horizon = overdue_horizon(ctx, header.due_within_working_days)
    found: list[tuple[str, Deadline]] = []
    unassessed: list[tuple[str, NotEvaluated]] = []
    problems: list[dict[str, Any]] = []
    for case, answer in each_case(
        cases, "overdue", problems, lambda case, where: assess_listed(ctx, book, case, where)
    ):
        metrics.count_case("overdue", answer)
        found.extend((case.case_id, d) for d in overdue_only(answer.deadlines, horizon))
        unassessed.extend((case.case_id, n) for n in answer.not_evaluated)
    found.sort(key=lambda item: (item[1].due, item[0], item[1].rule.id))
    return Caseload(header, ctx, len(cases), found, unassessed, problems)


R = TypeVar("R")


def each_case(
    cases: list[Any],
    kind: str,
    problems: list[dict[str, Any]],
    work: Callable[[CaseIn, tuple[str | int, ...]], R],
) -> Iterator[tuple[CaseIn, R]]:
    """Each case of a JSON caseload (values not yet validated), read and worked
    on by itself, and its answer, one at a time; a case that cannot be read or
    computed is a problem row {case_id, index, problem} in `problems` instead
    (counted in the metrics under `kind`), located at ("body", "cases", k)."""
    for k, item in enumerate(cases):  # bounded: the cases posted
        case_id = readable_id(item.get("case_id")) if isinstance(item, dict) else None
        where: tuple[str | int, ...] = ("body", "cases", k)
        try:
            case = parse_value(CaseIn, item, where)
            case_id = case.case_id
            answer = work(case, where)
        except (ServiceError, RequestValidationError) as exc:
            metrics.count_case_problem(kind)
            problems.append({"case_id": case_id, "index": k, "problem": problem_of(exc)})
            continue
        yield case, answer


def caseload_json(data: ReferenceData, c: Caseload, detail: Detail) -> dict[str, Any]:
    """The JSON answer (OverdueResponse)."""
    book, ctx, found = data.rulebook, c.ctx, c.found
    payload: dict[str, Any] = {
        "authority": ctx.ruleset,
        "calendar": ctx.calendar.id,
        "as_of": ctx.as_of.isoformat(),
        "due_within_working_days": c.header.due_within_working_days,
        "cases": c.cases,
    }
    if detail == "full":
        payload["deadlines"] = [
            {"case_id": case_id, **deadline_json(d, book, ctx.calendar.id)} for case_id, d in found
        ]
    else:
        payload["deadlines"] = [overdue_row_json(d, case_id) for case_id, d in found]
        payload["rules"] = rules_of(found, book)
    payload |= {
        "not_evaluated": [
            {"case_id": case_id, **not_evaluated_json(n)} for case_id, n in c.unassessed
        ],
        "problems": c.problems,
        "provenance": provenance(data),
    }
    return payload


def csv_response(
    data: ReferenceData,
    c: Caseload,
    who: Mapping[str, tuple[str | None, str | None]] | None = None,
    source_problems: Sequence[SourceProblem] = (),
) -> Response:
    """The caseload as CSV (app/jobs/output.py's columns): the overdue rows,
    oldest first, then a row for each rule that set no deadline, each case
    that could not be computed and each unreadable row of a workbook, each
    with its reason in `note`, so that nothing is silently absent. `who`:
    each child's allocated team and worker (a workbook's)."""
    titles = data.rulebook.vocabulary.requirements
    who = who or {}
    rows = [row_of(case_id, d, titles, *who.get(case_id, (None, None))) for case_id, d in c.found]
    rows.extend(
        not_evaluated_row(case_id, n, titles, *who.get(case_id, (None, None)))
        for case_id, n in c.unassessed
    )
    rows.extend(problem_row(p["case_id"], PROBLEM, str(p["problem"]["detail"])) for p in c.problems)
    rows.extend(
        problem_row(p.case_id, SOURCE_PROBLEM, source_problem_note(p)) for p in source_problems
    )
    return Response(
        csv_text(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="overdue.csv"'},
    )


def rules_of(found: list[tuple[str, Deadline]], book: Rulebook) -> dict[str, Any]:
    """The rules the rows name, each once, in the order they are first named."""
    rules: dict[str, Any] = {}
    for _, d in found:
        if d.rule.id not in rules:
            rules[d.rule.id] = rule_json(d.rule, book)
    return rules


def assess_listed(
    ctx: Context,
    book: Rulebook,
    case: CaseIn,
    where: tuple[str | int, ...],
    *,
    open_only: bool = True,
    with_exceptions: bool = True,
) -> CaseAssessment:
    """One case of a caseload, for its overdue rows (open_only False: in
    full, as a what-if compares it); problems located where the case sits
    (("body", "cases", 3), or ("body", 7) for an NDJSON line)."""
    with located(*where):
        return assess_case(
            ctx,
            book,
            case.child.date_of_birth,
            case.events,
            f"case {case.case_id!r}",
            open_only=open_only,
            history_from=case.history_from,
            exceptions=case.exceptions if with_exceptions else (),
        )


def readable_id(value: Any) -> str | None:
    """A case_id to echo on a problem row: a text that could be an id, else None."""
    return value if isinstance(value, str) and 0 < len(value) <= CASE_ID_MAX else None


# -- helpers -----------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


def parse_line(model: type[M], raw: bytes, loc: tuple[str | int, ...]) -> M:
    """Validate JSON bytes against a model; errors point into the body. Parsed
    with the duplicate-key check (pydantic's own JSON reader keeps the last of
    two equal keys)."""
    return parse_value(model, parse_json(raw, loc, f"Line {loc[-1]}"), loc)


def parse_value(model: type[M], value: Any, loc: tuple[str | int, ...]) -> M:
    """Validate decoded JSON against a model; errors point into the body."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise located_errors(exc, loc) from None


def located_errors(exc: ValidationError, loc: tuple[str | int, ...]) -> RequestValidationError:
    errors = [
        {**e, "loc": (*loc, *e["loc"])} for e in exc.errors(include_input=False, include_url=False)
    ]
    return RequestValidationError(errors)

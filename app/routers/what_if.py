"""POST /v1/what-if: which deadlines of a caseload move, or change status, if
a bank holiday is removed or added, closed days are added, or the rules of
another day apply. Read as POST /v1/overdue reads a caseload (JSON, or NDJSON:
a header line then one case per line) and answered the same ways; the
comparison itself is app/domain/what_if.py. Stateless: nothing is kept."""

from __future__ import annotations

from typing import Any, Literal

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.deps import ReferenceDep
from app.domain.deadlines import Context
from app.domain.engine import Deadline, NotEvaluated
from app.domain.rules import Rulebook
from app.domain.what_if import (
    CalendarChange,
    DeadlineChange,
    NotEvaluatedChange,
    changed_context,
    compare,
    summarise,
)
from app.errors import UnsupportedMediaType, located
from app.problems import problem_responses
from app.reference import ReferenceData
from app.routers.caseload import (
    assess_listed,
    each_case,
    json_response,
    parse_line,
    request_context,
)
from app.routers.deadline_models import (
    CaseIn,
    CaseloadValues,
    CaseProblemOut,
    Provenance,
    RulesAsOf,
    Status,
    SupportedDate,
    provenance,
)
from app.routers.deadlines import (
    JSON,
    NDJSON,
    _case_lines,
    _header_line,
    _lines,
    _split_caseload,
    spooled_ndjson,
)
from app.routers.json_body import JSONBodyRoute, read_by_hand
from app.settings import get_settings

router = APIRouter(prefix="/v1", tags=["deadlines"], route_class=JSONBodyRoute)

_settings = get_settings()
MAX_HOLIDAYS_CHANGED = 50  # bank holidays removed, or added, in one change


class BankHolidayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: SupportedDate = Field(description="A weekday that is not already a bank holiday.")
    name: str = Field(min_length=1, max_length=100, examples=["Coronation of King Charles III"])


class ChangeIn(BaseModel):
    """What the what-if changes; at least one of these."""

    model_config = ConfigDict(extra="forbid")

    rules_as_of: RulesAsOf = None
    bank_holidays_removed: list[SupportedDate] = Field(
        default_factory=list,
        max_length=MAX_HOLIDAYS_CHANGED,
        description="Bank holidays of the request's calendar to count as working days.",
    )
    bank_holidays_added: list[BankHolidayIn] = Field(
        default_factory=list,
        max_length=MAX_HOLIDAYS_CHANGED,
        description="Weekdays to count as bank holidays (skipped by working-day counts).",
    )
    closed_days_added: list[SupportedDate] = Field(
        default_factory=list,
        max_length=_settings.max_closed_days,
        description="Days the council would also be closed, beside the request's closed_days.",
    )

    @model_validator(mode="after")
    def _something(self) -> ChangeIn:
        if not (
            self.rules_as_of
            or self.bank_holidays_removed
            or self.bank_holidays_added
            or self.closed_days_added
        ):
            raise ValueError(
                "Name at least one of rules_as_of, bank_holidays_removed, bank_holidays_added "
                "or closed_days_added."
            )
        return self

    def domain(self) -> CalendarChange:
        return CalendarChange(
            self.rules_as_of,
            tuple(self.bank_holidays_removed),
            tuple((h.date, h.name) for h in self.bank_holidays_added),
            tuple(self.closed_days_added),
        )


class WhatIfHeader(CaseloadValues):
    """The request without its cases (the first line of an NDJSON request):
    the overdue list's settings, which are the 'before' side, and the change."""

    change: ChangeIn


class WhatIfRequest(WhatIfHeader):
    cases: list[CaseIn] = Field(max_length=_settings.max_cases_per_request)


class SideOut(BaseModel):
    due: str = Field(description="A date, YYYY-MM-DD.")
    due_at: str | None
    status: Status
    working_days_overdue: int


class ChangeAnchorOut(BaseModel):
    type: str
    date: str = Field(description="A date, YYYY-MM-DD.")
    ref: str | None = Field(default=None, description="Left out when the event has no ref.")


class DeadlineChangeOut(BaseModel):
    case_id: str
    rule_id: str
    requirement: str
    basis: Literal["statutory", "local"]
    anchor: ChangeAnchorOut = Field(
        description="What the deadline is counted from: with rule_id and occurrence, what "
        "makes it the same deadline on both sides (a calendar change never moves an anchor)."
    )
    occurrence: int = Field(description="1 for the first deadline of a schedule, 2 for the next...")
    before: SideOut | None = Field(description="Null: the deadline appears with the change.")
    after: SideOut | None = Field(description="Null: the change sets this deadline no longer.")
    why: str = Field(
        description="In words, from the two explanations: the day no longer (or now) skipped, "
        "the rule or version no longer in force, and how the status followed the date.",
        examples=[
            "2022-09-19 (State Funeral of Queen Elizabeth II) is no longer skipped: "
            "due 2022-10-04 -> 2022-10-03"
        ],
    )


class NotEvaluatedSideOut(BaseModel):
    reason: str
    detail: str


class NotEvaluatedChangeOut(BaseModel):
    case_id: str
    rule_id: str
    requirement: str
    before: NotEvaluatedSideOut | None = Field(description="Null: evaluated before the change.")
    after: NotEvaluatedSideOut | None = Field(description="Null: evaluated with the change.")


class WhatIfSummaryOut(BaseModel):
    cases: int
    changes: int
    moved: int = Field(description="Changes whose due date moved.")
    status_changed: int
    appears: int
    no_longer_set: int
    not_evaluated_changes: int
    problems: int


class WhatIfResponse(BaseModel):
    authority: str
    as_of: str
    calendar: str
    rules_as_of: str | None = Field(description="The before side's (the request's).")
    change: ChangeIn = Field(description="The change, as sent.")
    cases: int = Field(description="Cases examined, including those with problems.")
    changes: list[DeadlineChangeOut] = Field(
        description="Case by case, in the order sent: every deadline whose due, due_at or "
        "status differs, or that is set on one side only. A deadline is matched on both "
        "sides by rule_id, anchor (type, date, ref) and occurrence."
    )
    not_evaluated_changes: list[NotEvaluatedChangeOut] = Field(
        description="Rules that became, or stopped being, not evaluated (or for another reason)."
    )
    problems: list[CaseProblemOut]
    summary: WhatIfSummaryOut
    provenance: Provenance


BODIES_READ_BY_HAND = (WhatIfRequest,)
_BODY = read_by_hand(
    "WhatIfRequest",
    "The caseload and the change. (Sent as NDJSON, Content-Type "
    "application/x-ndjson, the first line is the request without `cases` and every further "
    "line is one case; the answer is then NDJSON: one change per line, then a summary line.)",
)


@router.post(
    "/what-if",
    operation_id="what_if",
    openapi_extra={"requestBody": _BODY},
    response_model=WhatIfResponse,
    responses={**problem_responses(400, 413, 415, 422, 503)},
)
async def what_if(request: Request, data: ReferenceDep) -> Response:
    """Which deadlines of a caseload move, or change status, with another
    rules version or a bank holiday removed, added, or closed days added:
    each with its old and new date and why."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == NDJSON:
        return await _what_if_ndjson(request, data)
    if media_type not in (JSON, ""):
        raise UnsupportedMediaType(
            f"Content-Type {media_type!r} is not supported: send {JSON} or {NDJSON}."
        )
    raw = await request.body()
    return await run_in_threadpool(_what_if_json, data, raw)


def _contexts(data: ReferenceData, header: WhatIfHeader) -> tuple[Context, Context]:
    """The before side's context (the request's settings) and the after side's
    (with the change); the caller locates their problems."""
    ctx = request_context(data, header)
    return ctx, changed_context(ctx, header.change.domain())


def _case_changes(
    sides: tuple[Context, Context], book: Rulebook, case: CaseIn, where: tuple[str | int, ...]
) -> tuple[list[DeadlineChange], list[NotEvaluatedChange]]:
    """One case worked out in full on both sides, and compared. Its approved
    exceptions are checked against the case as it stands (one that names no
    deadline of it is the case's problem, as in an overdue list) but not
    carried to the changed side: they never change a deadline's due or status,
    and one naming a due date the change moves would name no deadline there."""
    before = assess_listed(sides[0], book, case, where, open_only=False)
    after = assess_listed(sides[1], book, case, where, open_only=False, with_exceptions=False)
    return compare(before, after, sides[0].as_of)


def _what_if_json(data: ReferenceData, raw: bytes) -> Response:
    header, cases = _split_caseload(raw, WhatIfHeader)
    with located("body"):
        sides = _contexts(data, header)
    book = data.rulebook
    changes: list[dict[str, Any]] = []
    unassessed: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    counts = _counts()
    for case, (found, moved) in each_case(
        cases, "what_if", problems, lambda case, where: _case_changes(sides, book, case, where)
    ):
        _add(counts, found, moved)
        changes.extend(change_json(case.case_id, c) for c in found)
        unassessed.extend(not_evaluated_change_json(case.case_id, n) for n in moved)
    ctx = sides[0]
    counts["cases"], counts["problems"] = len(cases), len(problems)
    return json_response(
        {
            "authority": ctx.ruleset,
            "as_of": ctx.as_of.isoformat(),
            "calendar": ctx.calendar.id,
            "rules_as_of": ctx.rules_as_of.isoformat() if ctx.rules_as_of else None,
            "change": header.change.model_dump(mode="json"),
            "cases": len(cases),
            "changes": changes,
            "not_evaluated_changes": unassessed,
            "problems": problems,
            "summary": counts,
            "provenance": provenance(data),
        }
    )


def _counts() -> dict[str, int]:
    return dict.fromkeys(WhatIfSummaryOut.model_fields, 0)


def _add(
    counts: dict[str, int], found: list[DeadlineChange], moved: list[NotEvaluatedChange]
) -> None:
    for name, n in summarise(found).items():
        counts[name] += n
    counts["not_evaluated_changes"] += len(moved)


async def _what_if_ndjson(request: Request, data: ReferenceData) -> Response:
    """As POST /v1/overdue reads NDJSON (app/routers/deadlines.py: the same line
    reader, problem lines and spooled answer): one change per line, a line of
    not-evaluated changes for a case that has some, a problem line for a case
    that cannot be computed, and the summary line last."""
    lines = _lines(request)
    number, first = await _header_line(lines)
    header = parse_line(WhatIfHeader, first, ("body", number))
    with located("body", number):
        sides = _contexts(data, header)
    book = data.rulebook
    limit = get_settings().max_cases_per_request
    counts = _counts()

    def rows_of(case: CaseIn, where: tuple[str | int, ...]) -> list[str]:
        found, moved = _case_changes(sides, book, case, where)
        _add(counts, found, moved)
        out = [orjson.dumps(change_json(case.case_id, c)).decode() for c in found]
        if moved:
            rows = [not_evaluated_change_json(case.case_id, n) for n in moved]
            for row in rows:
                del row["case_id"]
            out.append(
                orjson.dumps({"case_id": case.case_id, "not_evaluated_changes": rows}).decode()
            )
        return out

    def answer(batch: list[tuple[int, bytes, bool]]) -> bytes:
        out = _case_lines(batch, counts, limit, "what_if", rows_of)
        return ("\n".join(out) + "\n").encode() if out else b""

    return await spooled_ndjson(
        lines, answer, lambda: {"summary": counts, "provenance": provenance(data)}
    )


def _side(d: Deadline | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "due": d.due.isoformat(),
        "due_at": d.due_at.isoformat() if d.due_at else None,
        "status": d.status,
        "working_days_overdue": d.working_days_overdue,
    }


def change_json(case_id: str, c: DeadlineChange) -> dict[str, Any]:
    """One changed deadline (DeadlineChangeOut)."""
    _, anchor_type, anchor_date, ref, occurrence = c.key
    anchor: dict[str, Any] = {"type": anchor_type, "date": anchor_date.isoformat()}
    if ref is not None:
        anchor["ref"] = ref
    return {
        "case_id": case_id,
        "rule_id": c.rule.id,
        "requirement": c.rule.requirement,
        "basis": c.rule.basis,
        "anchor": anchor,
        "occurrence": occurrence,
        "before": _side(c.before),
        "after": _side(c.after),
        "why": c.why,
    }


def _note(n: NotEvaluated | None) -> dict[str, str] | None:
    return None if n is None else {"reason": n.reason, "detail": n.detail}


def not_evaluated_change_json(case_id: str, n: NotEvaluatedChange) -> dict[str, Any]:
    """A rule not evaluated on one side, or for another reason (NotEvaluatedChangeOut)."""
    return {
        "case_id": case_id,
        "rule_id": n.rule.id,
        "requirement": n.rule.requirement,
        "before": _note(n.before),
        "after": _note(n.after),
    }

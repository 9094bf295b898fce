"""app/jobs/overdue.py: the overdue list of cases read from council data, in-process."""

from __future__ import annotations

import datetime as dt

from app.jobs.overdue import overdue_list
from app.reference import reference_data
from app.sources.base import PostedEvent, SourceCase, SourceRead

D = dt.date.fromisoformat


def _cp_case(case_id: str, visit: str, team: str | None = "North") -> SourceCase:
    return SourceCase(
        case_id=case_id,
        history_from=D(visit),
        events=[
            PostedEvent("cp_plan_started", D("2026-09-01"), ref="plan"),
            PostedEvent("statutory_visit", D(visit), ref="visit"),
            PostedEvent("rcpc_held", D("2026-10-01"), ref="review"),
        ],
        team=team,
        worker="A Worker" if team else None,
    )


def test_rows_oldest_first_with_team_and_worker_and_nothing_unrecorded():
    read = SourceRead(
        cases=[_cp_case("B", "2026-11-02"), _cp_case("A", "2026-10-26", team=None)],
        problems=[],
        event_types_recorded=frozenset({"cp_plan_started", "statutory_visit", "rcpc_held"}),
    )
    seen: list[int] = []
    answer = overdue_list(
        read,
        reference_data(),
        authority="redcar-and-cleveland",
        as_of=D("2026-11-20"),
        progress=seen.append,
    )
    # Counted by hand (England and Wales, no bank holiday in Oct-Nov 2026): a visit
    # on Mon 26 Oct + 10 working days = 27-30 Oct (4), 2-6 Nov (9), Mon 9 Nov (10);
    # on Mon 2 Nov: 3-6 (4), 9-13 (9), Mon 16 Nov (10). Neither met by 20 Nov:
    # overdue by 9 (10-13, 16-20 Nov) and 4 (17-20 Nov) working days.
    assert [
        (r.case_id, r.rule_id, r.due, r.working_days_overdue, r.team, r.worker) for r in answer.rows
    ] == [
        ("A", "redcar-and-cleveland.cp_visit", D("2026-11-09"), 9, None, None),
        ("B", "redcar-and-cleveland.cp_visit", D("2026-11-16"), 4, "North", "A Worker"),
    ]
    assert seen == [1, 2]
    assert answer.cases == 2 and answer.problems == []
    assert {n.reason for _, n in answer.not_evaluated} >= {"not_recorded"}


def test_a_case_the_engine_refuses_is_a_problem_row_and_the_rest_are_answered():
    bad = SourceCase(
        case_id="C",
        events=[PostedEvent("statutory_visit", D("2026-12-01"))],  # after as_of, not booked
    )
    read = SourceRead(cases=[bad, _cp_case("B", "2026-11-02")], problems=[])
    answer = overdue_list(
        read, reference_data(), authority="redcar-and-cleveland", as_of=D("2026-11-20")
    )
    assert [p.case_id for p in answer.problems] == ["C"]
    assert answer.problems[0].status == 422
    assert answer.problems[0].errors[0].loc == ("events", 0, "date")
    assert "B" in {r.case_id for r in answer.rows}


def test_a_file_of_the_list_leaves_nothing_out():
    from app.jobs.overdue import report_rows
    from app.sources.base import SourceProblem

    bad = SourceCase(case_id="C", events=[PostedEvent("statutory_visit", D("2026-12-01"))])
    unread = SourceProblem("List 7", 12, "Date of the Last Statutory Visit", "not a date", "D")
    read = SourceRead(cases=[_cp_case("B", "2026-11-02"), bad], problems=[unread])
    listing = overdue_list(
        read, reference_data(), authority="redcar-and-cleveland", as_of=D("2026-11-20")
    )
    rows = report_rows(listing, read)
    statuses = [r.status for r in rows]
    # The deadlines first, oldest first; then what set none, and why.
    first_other = statuses.index("not_evaluated")
    assert set(statuses[:first_other]) <= {"overdue", "due_today", "upcoming"}
    assert len(rows) == len(listing.rows) + len(listing.not_evaluated) + 1 + 1
    problem = next(r for r in rows if r.status == "problem")
    assert problem.case_id == "C" and "after as_of" in (problem.note or "")
    source = next(r for r in rows if r.status == "source_problem")
    assert source.case_id == "D"
    assert source.note == "List 7, row 12, Date of the Last Statutory Visit: not a date"
    assert all(r.note for r in rows[first_other:])

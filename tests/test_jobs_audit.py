"""app/jobs/audit.py: the SSD's recorded due dates against the statutory ones.

Every expected date below is counted by hand from the England and Wales bank
holidays (GOV.UK), written out in the comment beside it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.jobs.audit import audit_due_dates, count_working_days
from app.reference import reference_data
from app.sources.base import PostedEvent, RecordedDue, SourceCase, SourceRead

D = dt.date.fromisoformat
ICPC = "ssd_initial_cp_conference"


def _icpc_due(case_id: str, recorded: str, ref: str = "I1", row: int = 1) -> RecordedDue:
    return RecordedDue(case_id, ICPC, row, "icpc_icpc_target_date", D(recorded), f"{ICPC}:{ref}")


def _review_due(case_id: str, row: int, recorded: str, ref: str) -> RecordedDue:
    review = "ssd_cp_reviews"
    return RecordedDue(case_id, review, row, "cppr_cp_review_due", D(recorded), f"{review}:{ref}")


def _s47_case(case_id: str, strategy: str, icpc: str | None, **attributes: bool) -> SourceCase:
    events = [PostedEvent("strategy_discussion_held", D(strategy), "ssd_s47_enquiry:S1")]
    if icpc is not None:
        events.append(PostedEvent("icpc_held", D(icpc), f"{ICPC}:I1", attributes=attributes))
    return SourceCase(case_id, events=events)


def _audit(cases: list[SourceCase], dues: list[RecordedDue], as_of: str):  # type: ignore[no-untyped-def]
    read = SourceRead(cases=cases, problems=[], recorded_due=dues)
    return audit_due_dates(read, reference_data(), as_of=D(as_of))


def test_a_missing_state_funeral_holiday_is_named_with_the_skipped_day():
    # Strategy discussion Fri 9 Sep 2022. Statute: Mon 12-Fri 16 (5), Mon 19 Sep
    # the State Funeral skipped, Tue 20-Fri 23 (9), Mon 26-Fri 30 (14), Mon 3 Oct (15).
    # A system without 19 Sep: 12-16 (5), 19-23 (10), 26-30 (15) = Fri 30 Sep.
    audit = _audit(
        [_s47_case("C1", "2022-09-09", "2022-09-29")], [_icpc_due("C1", "2022-09-30")], "2022-11-01"
    )
    assert (audit.checked, audit.matching) == (1, 0)
    (f,) = audit.findings
    assert (f.recorded, f.statutory, f.rule_id) == (
        D("2022-09-30"),
        D("2022-10-03"),
        "england.icpc",
    )
    assert (f.counted_from, f.counted_from_date) == ("strategy_discussion_held", D("2022-09-09"))
    assert [d for d, _ in f.skipped] == [D("2022-09-19")]
    assert "State Funeral" in f.skipped[0][1]
    assert f.reason.startswith("a bank holiday is not counted as one (missing 2022-09-19")
    assert "Mon 19 Sep 2022 as a working day gives Fri 30 Sep 2022" in f.reason
    assert (f.source, f.row, f.field, f.ref) == (ICPC, 1, "icpc_icpc_target_date", f"{ICPC}:I1")


def test_the_statutory_date_recorded_is_counted_as_matching_and_not_listed():
    audit = _audit(
        [_s47_case("C1", "2022-09-09", "2022-09-29")], [_icpc_due("C1", "2022-10-03")], "2022-11-01"
    )
    assert (audit.checked, audit.matching, audit.findings) == (1, 1, [])


def test_a_christmas_closure_is_a_day_that_is_not_a_bank_holiday_skipped():
    # Strategy discussion Thu 15 Dec 2022. Bank holidays Mon 26 Dec, Tue 27 Dec
    # (Christmas Day substitute), Mon 2 Jan 2023. Statute: Fri 16 (1), 19-23 (6),
    # 28-30 (9), Tue 3-Fri 6 Jan (13), Mon 9 (14), Tue 10 Jan (15).
    # With the closure Wed 28-Fri 30 Dec shut too: 16 (1), 19-23 (6), 3-6 Jan (10),
    # 9-12 (14), Fri 13 Jan (15).
    audit = _audit(
        [_s47_case("C2", "2022-12-15", "2023-01-09")], [_icpc_due("C2", "2023-01-13")], "2023-02-01"
    )
    (f,) = audit.findings
    assert (f.statutory, f.recorded) == (D("2023-01-10"), D("2023-01-13"))
    assert [d for d, _ in f.skipped] == [D("2022-12-26"), D("2022-12-27"), D("2023-01-02")]
    assert f.reason.startswith("a day that is not a bank holiday was skipped")
    assert "Wed 28 Dec 2022, Thu 29 Dec 2022, Fri 30 Dec 2022 closed" in f.reason


def test_the_icpc_counted_from_the_conference_is_named():
    # Strategy discussion Mon 3 Oct 2022, no bank holiday near: 4-7 (4), 10-14 (9),
    # 17-21 (14), Mon 24 Oct (15). The conference Thu 20 Oct; 15 working days from
    # it: Fri 21 (1), 24-28 (6), 31 Oct-4 Nov (11), 7-10 Nov (15) = Thu 10 Nov.
    audit = _audit(
        [_s47_case("C3", "2022-10-03", "2022-10-20")], [_icpc_due("C3", "2022-11-10")], "2022-12-01"
    )
    (f,) = audit.findings
    assert (f.statutory, f.recorded) == (D("2022-10-24"), D("2022-11-10"))
    assert f.reason.startswith("counted from the icpc_held of Thu 20 Oct 2022, not the")
    assert "strategy_discussion_held of Mon 3 Oct 2022" in f.reason


def test_a_difference_no_hypothesis_explains_says_so_with_the_working_days():
    # Statute Mon 24 Oct 2022 (above); recorded Wed 26 Oct: Tue 25 (1), Wed 26 (2).
    audit = _audit(
        [_s47_case("C4", "2022-10-03", "2022-10-20")], [_icpc_due("C4", "2022-10-26")], "2022-12-01"
    )
    (f,) = audit.findings
    assert f.reason.startswith(
        "differs by 2 working days (later than statute); cause not identified"
    )


def test_three_and_six_months_counted_as_91_and_183_days():
    # ICPC Mon 1 Aug 2022: first review 3 months on, Tue 1 Nov 2022; 91 days on:
    # to 31 Aug is 30, to 30 Sep 60, to 31 Oct 91 = Mon 31 Oct.
    # Review held Wed 28 Dec 2022: next 6 months on, Wed 28 Jun 2023; 183 days on:
    # to 31 Dec 3, 31 Jan 34, 28 Feb 62, 31 Mar 93, 30 Apr 123, 31 May 154, 29 Jun 183.
    case = SourceCase(
        "C5",
        events=[
            PostedEvent("strategy_discussion_held", D("2022-07-12"), "ssd_s47_enquiry:S1"),
            PostedEvent("icpc_held", D("2022-08-01"), f"{ICPC}:I1"),
            PostedEvent("cp_plan_started", D("2022-08-01"), "ssd_cp_plans:P1"),
            PostedEvent("rcpc_held", D("2022-12-28"), "ssd_cp_reviews:R1"),
        ],
    )
    dues = [
        _review_due("C5", 1, "2022-10-31", "R1"),
        _review_due("C5", 2, "2023-06-29", "R2"),
    ]
    audit = _audit([case], dues, "2023-03-01")
    first, second = audit.findings
    assert (first.statutory, first.rule_id, first.counted_from) == (
        D("2022-11-01"),
        "england.rcpc",
        "icpc_held",
    )
    assert first.reason.startswith("months counted as 91 days: Mon 1 Aug 2022 plus 91")
    # The second review is not held yet: paired with the one rcpc deadline open.
    assert (second.statutory, second.counted_from_date) == (D("2023-06-28"), D("2022-12-28"))
    assert second.reason.startswith("months counted as 183 days")
    assert "paired with the rcpc deadline still open" in second.reason


def test_every_2026_bank_holiday_missing_moves_the_first_cla_review():
    # Became looked after Wed 1 Apr 2026; Good Friday 3 Apr, Easter Monday 6 Apr.
    # Statute (20 working days): Thu 2 (1), 7-10 (5), 13-17 (10), 20-24 (15),
    # 27-30 (19), Fri 1 May (20). Without both holidays: 2-3 (2), 6-10 (7),
    # 13-17 (12), 20-24 (17), 27-29 (20) = Wed 29 Apr.
    case = SourceCase(
        "C6", events=[PostedEvent("became_looked_after", D("2026-04-01"), "ssd_cla_episodes:P1")]
    )
    due = RecordedDue(
        "C6",
        "ssd_cla_reviews",
        3,
        "clar_cla_review_due_date",
        D("2026-04-29"),
        "ssd_cla_reviews:R1",
    )
    (f,) = _audit([case], [due], "2026-04-10").findings
    assert (f.statutory, f.rule_id) == (D("2026-05-01"), "england.cla_review")
    assert [d for d, _ in f.skipped] == [D("2026-04-03"), D("2026-04-06")]
    assert f.reason.startswith(
        "a bank holiday is not counted as one (missing 2026-04-03 Good Friday"
    )
    assert "2026-04-06 Easter Monday" in f.reason


def test_a_transferred_in_conference_and_an_unknown_child_are_listed_unchecked():
    transferred = _s47_case("C7", "2022-10-03", "2022-10-20", transfer_in=True)
    audit = _audit(
        [transferred],
        [_icpc_due("C7", "2022-10-24"), _icpc_due("NOBODY", "2022-10-24")],
        "2022-12-01",
    )
    assert (audit.checked, audit.matching) == (2, 0)
    by_case = {f.case_id: f for f in audit.findings}
    assert by_case["C7"].statutory is None and "transferred in" in by_case["C7"].reason
    assert by_case["NOBODY"].statutory is None
    assert by_case["NOBODY"].reason == "the child is not among the cases read"


def test_a_record_no_deadline_pairs_with_is_unchecked_not_guessed():
    # The enquiry ended without a conference (no icpc_required): no icpc deadline
    # is left, yet the system recorded a target date.
    case = SourceCase(
        "C8",
        events=[
            PostedEvent("strategy_discussion_held", D("2022-10-03"), "ssd_s47_enquiry:S1"),
            PostedEvent(
                "s47_completed",
                D("2022-10-07"),
                "ssd_s47_enquiry:S1",
                attributes={"icpc_required": False},
            ),
        ],
    )
    (f,) = _audit([case], [_icpc_due("C8", "2022-10-24")], "2022-10-12").findings
    assert f.statutory is None and f.rule_id is None
    assert f.reason == (
        "ssd_initial_cp_conference:I1 has no date held and no icpc deadline is open, "
        "so the statutory date it is for is not known"
    )


def test_the_independent_count():
    # Fri 9 Sep 2022 + 1 working day = Mon 12 Sep; with Mon 12 as a holiday, Tue 13.
    assert count_working_days(D("2022-09-09"), 1, []) == D("2022-09-12")
    assert count_working_days(D("2022-09-09"), 1, [D("2022-09-12")]) == D("2022-09-13")
    with pytest.raises(ValueError):
        count_working_days(D("2022-09-09"), 1000, [])

"""The synthetic SSD (scripts/synthetic_ssd.py) through real databases.

Loaded into SQLite and, when TEST_POSTGRES_URL names a PostgreSQL database
this test may overwrite (.ci/run starts one), into PostgreSQL; both must read
equal to the CSV folder. Then the overdue list and the due-date audit of named
children, each expected row counted by hand from the generator's fixed dates
(its docstring), England and Wales bank holidays.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from pathlib import Path

import pytest

from app.jobs.audit import audit_due_dates
from app.jobs.overdue import overdue_list
from app.reference import reference_data
from app.sources.ssd import read_ssd

ROOT = Path(__file__).resolve().parents[1]
D = dt.date.fromisoformat
AS_OF = D("2026-11-23")  # the generator's extract day, a Monday
POSTGRES = os.environ.get("TEST_POSTGRES_URL")


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "synthetic_ssd", ROOT / "scripts/synthetic_ssd.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic_ssd"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tables():  # type: ignore[no-untyped-def]
    return _generator().synthetic_ssd(120, seed=7)


@pytest.fixture(scope="module")
def csv_read(tables, tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("ssd")
    _generator().write_csv(folder, tables)
    return read_ssd(folder, as_of=AS_OF)


def test_sqlite_reads_equal_to_the_csv_folder(tables, csv_read, tmp_path):
    url = f"sqlite:///{tmp_path / 'ssd.sqlite'}"
    _generator().write_database(url, tables)
    assert read_ssd(url, as_of=AS_OF) == csv_read
    assert len(csv_read.cases) == 120 and csv_read.problems == []


@pytest.mark.skipif(
    not POSTGRES,
    reason="TEST_POSTGRES_URL not set: no PostgreSQL server (.ci/run starts one)",
)
def test_postgresql_reads_equal_to_the_csv_folder(tables, csv_read):
    pytest.importorskip("psycopg", reason="the postgres extra (psycopg) is not installed")
    assert POSTGRES is not None
    _generator().write_database(POSTGRES, tables)
    assert read_ssd(POSTGRES, as_of=AS_OF) == csv_read


def test_the_generator_is_deterministic(tables):
    assert _generator().synthetic_ssd(120, seed=7) == tables
    assert _generator().synthetic_ssd(120, seed=8) != tables


def test_the_overdue_rows_of_named_children(csv_read):
    listing = overdue_list(csv_read, reference_data(), authority="england", as_of=AS_OF)
    named = {"C0001", "C0002", "C0003", "C0004", "C0005", "C0006"}
    got = [
        (r.case_id, r.rule_id, r.due, r.status, r.working_days_overdue, r.team)
        for r in listing.rows
        if r.case_id in named
    ]
    # By hand (no bank holiday between 31 Aug and 25 Dec 2026):
    # C0006: pathway plan last reviewed Mon 2 Mar 2026, next within 6 months: Wed 2 Sep.
    #   Working days after it to Mon 23 Nov: Sep 3-4 (2), 7-30 (20), Oct (42),
    #   Nov 2-20 (57), 23 (58).
    # C0004: placed in foster care (U4) Mon 2 Nov 2026, visit within 1 week: Mon 9 Nov;
    #   no visit: 10-13 (4), 16-20 (9), 23 (10).
    # C0003: strategy discussion Mon 26 Oct 2026, conference within 15 working days:
    #   27-30 Oct (4), 2-6 Nov (9), 9-13 (14), Mon 16 Nov (15); not held: 17-20 (4), 23 (5).
    # C0001, C0002: their episodes closed (2023, 30 Jun 2026): nothing open.
    # C0005: missing 10-12 Nov 2026: the return interview is no SSD event (below).
    assert got == [
        ("C0006", "england.pathway_plan_review", D("2026-09-02"), "overdue", 58, "Leaving Care"),
        ("C0004", "england.cla_visit", D("2026-11-09"), "overdue", 10, None),
        ("C0003", "england.icpc", D("2026-11-16"), "overdue", 5, "Team North"),
    ]
    # C0004's first review: 20 working days from Mon 2 Nov: 3-6 (4), 9-13 (9),
    # 16-20 (14), 23-27 (19), Mon 30 Nov (20): not yet due, so not a row.
    assert ("C0005", "england.return_home_interview", "not_recorded") in [
        (case_id, n.rule.id, n.reason) for case_id, n in listing.not_evaluated
    ]


def test_the_audit_finds_the_deliberate_errors(csv_read):
    audit = audit_due_dates(csv_read, reference_data(), as_of=AS_OF)
    found = {
        (f.case_id, f.field, f.recorded): (f.statutory, f.reason.split(":")[0].split(" (")[0])
        for f in audit.findings
        if f.case_id <= "C0010"
    }
    # The generator's fixed children (its docstring), each counted by hand in
    # tests/test_jobs_audit.py or here:
    # C0009's first review: ICPC Mon 1 Aug 2022 + 3 months = Tue 1 Nov; + 91 days = Mon 31 Oct.
    # Its second: held Thu 27 Oct 2022 + 6 months = Thu 27 Apr 2023; + 183 days = Fri 28 Apr.
    # C0010's second review: first held Thu 28 Jul 2022 + 3 months = Fri 28 Oct;
    # + 91 days (Jul 3, Aug 34, Sep 64, Oct 27 = 91) = Thu 27 Oct.
    assert found == {
        ("C0001", "icpc_icpc_target_date", D("2022-09-30")): (
            D("2022-10-03"),
            "a bank holiday is not counted as one",
        ),
        ("C0002", "clar_cla_review_due_date", D("2026-04-29")): (
            D("2026-05-01"),
            "a bank holiday is not counted as one",
        ),
        ("C0007", "icpc_icpc_target_date", D("2023-01-13")): (
            D("2023-01-10"),
            "a day that is not a bank holiday was skipped",
        ),
        ("C0008", "icpc_icpc_target_date", D("2022-11-10")): (
            D("2022-10-24"),
            "counted from the icpc_held of Thu 20 Oct 2022, not the strategy_discussion_held "
            "of Mon 3 Oct 2022",
        ),
        ("C0009", "cppr_cp_review_due", D("2022-10-31")): (
            D("2022-11-01"),
            "months counted as 91 days",
        ),
        ("C0009", "cppr_cp_review_due", D("2023-04-28")): (
            D("2023-04-27"),
            "months counted as 183 days",
        ),
        ("C0010", "clar_cla_review_due_date", D("2022-10-27")): (
            D("2022-10-28"),
            "months counted as 91 days",
        ),
    }
    assert audit.checked > audit.matching + len(found)  # the random children's errors too

"""The SSD reader (app/sources/ssd.py): the same small SSD as CSV files and as
an SQLite database reads the same; tables keyed on referral, plan or period of
care find their child; every row it cannot use is a problem naming table, row
and field; history_from is the extract's window.

Every expected value here is read off the rows below, by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.jobs.overdue import overdue_list
from app.reference import reference_data
from app.sources.base import SourceProblem
from app.sources.ssd import BadDate, history_window, parse_ssd_date, read_ssd

AS_OF = dt.date(2022, 10, 14)

# A small SSD: P1 on a CP journey (referral -> s47 -> ICPC -> plan -> visits),
# P2 looked after (two episodes of one period of care, two placements), P3 with
# an unreadable date of birth. Text as a CSV export holds it.
SSD: dict[str, list[dict[str, str]]] = {
    "ssd_person": [
        {"pers_person_id": "P1", "pers_dob": "2015-03-01", "pers_expected_dob": ""},
        {"pers_person_id": "P2", "pers_dob": "02/05/2010", "pers_expected_dob": ""},
        {"pers_person_id": "P3", "pers_dob": "sometime", "pers_expected_dob": ""},
    ],
    "ssd_cin_episodes": [
        {
            "cine_referral_id": "R1",
            "cine_person_id": "P1",
            "cine_referral_date": "2022-09-01 00:00:00.000",
            "cine_close_date": "",
            "cine_referral_team": "Team East",
            "cine_referral_worker_id": "W7",
        },
        {
            "cine_referral_id": "R2",
            "cine_person_id": "P2",
            "cine_referral_date": "2022-01-10",
            "cine_close_date": "",
            "cine_referral_team": "",
            "cine_referral_worker_id": "",
        },
    ],
    # Keyed on the referral only (no s47e_person_id column, as in older extracts).
    "ssd_s47_enquiry": [
        {
            "s47e_s47_enquiry_id": "S1",
            "s47e_referral_id": "R1",
            "s47e_s47_start_date": "2022-09-09",
            "s47e_s47_end_date": "2022-09-28",
            "s47e_s47_nfa": "N",
            "s47e_s47_outcome_json": '{"NFA_FLAG": "N", "CP_CONFERENCE_FLAG": "Y"}',
        }
    ],
    "ssd_initial_cp_conference": [
        {
            "icpc_icpc_id": "I1",
            "icpc_s47_enquiry_id": "S1",
            "icpc_person_id": "",
            "icpc_cp_plan_id": "C1",
            "icpc_referral_id": "",
            "icpc_icpc_transfer_in": "N",
            "icpc_icpc_target_date": "2022-09-30",
            "icpc_icpc_date": "30/09/2022",
            "icpc_icpc_team": "",
            "icpc_icpc_worker_id": "",
        }
    ],
    "ssd_cp_plans": [
        {
            "cppl_cp_plan_id": "C1",
            "cppl_referral_id": "",
            "cppl_icpc_id": "I1",
            "cppl_person_id": "",
            "cppl_cp_plan_start_date": "2022-09-30",
            "cppl_cp_plan_end_date": "",
        }
    ],
    "ssd_cp_visits": [
        {
            "cppv_cp_visit_id": "V1",
            "cppv_person_id": "",
            "cppv_cp_plan_id": "C1",
            "cppv_cp_visit_date": "2022-10-05",
            "cppv_cp_visit_seen": "Y",
            "cppv_cp_visit_seen_alone": "Y",
        },
        {
            "cppv_cp_visit_id": "V2",
            "cppv_person_id": "",
            "cppv_cp_plan_id": "C9",
            "cppv_cp_visit_date": "2022-10-06",
            "cppv_cp_visit_seen": "Y",
            "cppv_cp_visit_seen_alone": "N",
        },
        {
            "cppv_cp_visit_id": "V3",
            "cppv_person_id": "",
            "cppv_cp_plan_id": "C1",
            "cppv_cp_visit_date": "2022-10-07",
            "cppv_cp_visit_seen": "N",
            "cppv_cp_visit_seen_alone": "",
        },
    ],
    "ssd_cla_episodes": [
        {
            "clae_cla_episode_id": "E1",
            "clae_person_id": "P2",
            "clae_cla_episode_ceased_date": "2022-06-01",
            "clae_cla_episode_ceased_reason": "X1",
            "clae_cla_id": "CLA1",
            "clae_entered_care_date": "2022-03-01",
        },
        {
            "clae_cla_episode_id": "E2",
            "clae_person_id": "P2",
            "clae_cla_episode_ceased_date": "",
            "clae_cla_episode_ceased_reason": "",
            "clae_cla_id": "CLA1",
            "clae_entered_care_date": "2022-03-01",
        },
    ],
    # Keyed on the period of care (clap_person_id is optional and absent here).
    "ssd_cla_placement": [
        {
            "clap_cla_placement_id": "PL1",
            "clap_cla_id": "CLA1",
            "clap_cla_placement_start_date": "2022-03-01",
            "clap_cla_placement_type": "U4",
            "clap_cla_placement_end_date": "2022-06-01",
        },
        {
            "clap_cla_placement_id": "PL2",
            "clap_cla_id": "CLA1",
            "clap_cla_placement_start_date": "2022-06-01",
            "clap_cla_placement_type": "Q9",
            "clap_cla_placement_end_date": "",
        },
        {
            "clap_cla_placement_id": "PL3",
            "clap_cla_id": "CLA1",
            "clap_cla_placement_start_date": "31/02/2022",
            "clap_cla_placement_type": "U4",
            "clap_cla_placement_end_date": "",
        },
    ],
    "ssd_cla_reviews": [
        {
            "clar_cla_review_id": "CR1",
            "clar_cla_id": "CLA1",
            "clar_cla_review_due_date": "2022-03-29",
            "clar_cla_review_date": "2022-03-28",
            "clar_cla_review_cancelled": "N",
        }
    ],
    "ssd_contacts": [
        {"cont_contact_id": "K1", "cont_person_id": "P404", "cont_contact_date": "2022-08-01"}
    ],
}


def write_csv(folder: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


def write_sqlite(path: Path, tables: dict[str, list[dict[str, str]]]) -> str:
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    for name, rows in tables.items():
        # Date columns as DATE holding real dates where the text is ISO, as a
        # database holds them; other text as written.
        table = sa.Table(name, meta, *(sa.Column(c, sa.String) for c in rows[0]))
        meta.create_all(engine, tables=[table])
        with engine.begin() as conn:
            conn.execute(sa.insert(table), [{k: (v or None) for k, v in r.items()} for r in rows])
    engine.dispose()
    return url


def by_type(case) -> dict[str, list[tuple[str, str | None, dict]]]:
    out: dict[str, list[tuple[str, str | None, dict]]] = {}
    for e in sorted(case.events, key=lambda e: (e.date, e.ref or "")):
        out.setdefault(e.type, []).append((e.date.isoformat(), e.ref, e.attributes))
    return out


@pytest.fixture
def csv_read(tmp_path):
    return read_ssd(write_csv(tmp_path / "csv", SSD), as_of=AS_OF)


def test_csv_and_sqlite_read_the_same(tmp_path, csv_read):
    url = write_sqlite(tmp_path / "ssd.sqlite", SSD)
    db_read = read_ssd(url, as_of=AS_OF)
    assert db_read == csv_read
    assert csv_read.rows["ssd_cp_visits"] == 3


def test_events_dates_of_birth_and_attributes(csv_read):
    cases = {c.case_id: c for c in csv_read.cases}
    assert list(cases) == ["P1", "P2", "P3"]
    p1, p2 = cases["P1"], cases["P2"]
    assert p1.date_of_birth == dt.date(2015, 3, 1)
    assert p2.date_of_birth == dt.date(2010, 5, 2)  # 02/05/2010 is 2 May
    assert cases["P3"].date_of_birth is None
    assert by_type(p1) == {
        "referral_received": [("2022-09-01", "ssd_cin_episodes:R1", {})],
        "strategy_discussion_held": [("2022-09-09", "ssd_s47_enquiry:S1", {})],
        "s47_completed": [("2022-09-28", "ssd_s47_enquiry:S1", {"icpc_required": True})],
        "icpc_held": [("2022-09-30", "ssd_initial_cp_conference:I1", {"transfer_in": False})],
        "cp_plan_started": [("2022-09-30", "ssd_cp_plans:C1", {})],
        # V3 (child not seen) is left out and counted; V2's plan is unknown
        "statutory_visit": [("2022-10-05", "ssd_cp_visits:V1", {"seen_alone": True})],
    }
    assert (p1.team, p1.worker) == ("Team East", "W7")
    assert by_type(p2) == {
        "referral_received": [("2022-01-10", "ssd_cin_episodes:R2", {})],
        # one period of care, repeated on both episodes: one event
        "became_looked_after": [("2022-03-01", "ssd_cla_episodes:CLA1", {})],
        "placement_started": [
            ("2022-03-01", "ssd_cla_placement:PL1", {"placement_type": "foster"}),
            ("2022-06-01", "ssd_cla_placement:PL2", {}),  # Q9 is no SSDA903 code
        ],
        "placement_ended": [("2022-06-01", "ssd_cla_placement:PL1", {})],
        "cla_review_held": [("2022-03-28", "ssd_cla_reviews:CR1", {})],
        # E1 ceased with X1 (a new episode the same day): not ceased_looked_after
    }
    assert csv_read.not_posted == {
        "ssd_cp_visits.cppv_cp_visit_date: the child was not seen, so the visit is not a "
        "statutory visit": 1,
        "ssd_cla_episodes.clae_cla_episode_ceased_date: X1: the episode ceased and a new one "
        "began the same day; the child is still looked after": 1,
    }


def test_history_from_is_the_extract_window(csv_read):
    # six years before 14 October 2022
    assert {c.history_from for c in csv_read.cases} == {dt.date(2016, 10, 14)}
    assert history_window(dt.date(2016, 6, 1), 6) == dt.date(2012, 1, 1)  # not before the calendars
    assert history_window(dt.date(2024, 2, 29), 2) == dt.date(2022, 2, 28)
    with pytest.raises(ValueError):
        history_window(AS_OF, 0)


def test_every_unusable_row_is_a_problem(csv_read):
    found = {(p.source, p.row, p.field, p.case_id, p.record) for p in csv_read.problems}
    assert found == {
        ("ssd_person", 3, "pers_dob", "P3", "pers_person_id P3"),
        ("ssd_cp_visits", 2, "cppv_cp_plan_id", None, "cppv_cp_visit_id V2"),
        ("ssd_cla_placement", 2, "clap_cla_placement_type", "P2", "clap_cla_placement_id PL2"),
        (
            "ssd_cla_placement",
            3,
            "clap_cla_placement_start_date",
            "P2",
            "clap_cla_placement_id PL3",
        ),
        ("ssd_contacts", 1, "cont_person_id", None, "cont_contact_id K1"),
    }
    messages = {p.source + str(p.row): p.message for p in csv_read.problems}
    assert "C9 is not in ssd_cp_plans" in messages["ssd_cp_visits2"]
    assert "P404 is not in ssd_person" in messages["ssd_contacts1"]
    assert "'Q9' is not an SSDA903 placement code" in messages["ssd_cla_placement2"]


def test_recorded_due_dates_for_the_audit(csv_read):
    assert [
        (r.case_id, r.source, r.row, r.field, r.recorded, r.ref) for r in csv_read.recorded_due
    ] == [
        (
            "P1",
            "ssd_initial_cp_conference",
            1,
            "icpc_icpc_target_date",
            dt.date(2022, 9, 30),
            "ssd_initial_cp_conference:I1",
        ),
        (
            "P2",
            "ssd_cla_reviews",
            1,
            "clar_cla_review_due_date",
            dt.date(2022, 3, 29),
            "ssd_cla_reviews:CR1",
        ),
    ]


def test_a_missing_person_table_or_column_is_a_problem_of_the_table(tmp_path):
    no_person = {k: v for k, v in SSD.items() if k != "ssd_person"}
    read = read_ssd(write_csv(tmp_path / "a", no_person), as_of=AS_OF)
    assert read.cases == []
    assert read.problems == [
        SourceProblem("ssd_person", None, None, "table ssd_person is missing: no child can be read")
    ]
    no_date = dict(SSD)
    no_date["ssd_cp_visits"] = [
        {k: v for k, v in r.items() if k != "cppv_cp_visit_date"} for r in SSD["ssd_cp_visits"]
    ]
    read = read_ssd(write_csv(tmp_path / "b", no_date), as_of=AS_OF)
    assert [(p.source, p.row, p.field) for p in read.problems if p.row is None] == [
        ("ssd_cp_visits", None, "cppv_cp_visit_date")
    ]
    assert "ssd_cp_visits" not in read.rows
    # an optional table not exported is no problem
    assert "ssd_missing" not in read.rows


def test_dates_as_the_ssd_holds_them():
    assert parse_ssd_date("2022-09-19") == dt.date(2022, 9, 19)
    assert parse_ssd_date("2022-09-19T23:30:00.1234567") == dt.date(2022, 9, 19)
    # 23:30 UTC on 19 September is 00:30 on the 20th in London (BST)
    assert parse_ssd_date("2022-09-19T23:30:00Z") == dt.date(2022, 9, 20)
    assert parse_ssd_date("19/09/2022") == dt.date(2022, 9, 19)
    assert parse_ssd_date(dt.datetime(2022, 9, 19, 8, 0)) == dt.date(2022, 9, 19)
    assert parse_ssd_date(dt.date(2022, 9, 19)) == dt.date(2022, 9, 19)
    assert parse_ssd_date("") is None and parse_ssd_date(None) is None
    for bad in ("31/02/2022", "2022-13-01", "19.09.2022", "soon"):
        with pytest.raises(BadDate):
            parse_ssd_date(bad)
    # An offset that pushes year 1 or 9999 past the calendar (was an OverflowError):
    # the date as written, outside the supported range, refused as such downstream.
    assert parse_ssd_date("0001-01-01T00:00:00+01:00") == dt.date(1, 1, 1)
    assert parse_ssd_date("9999-12-31 23:59:59-01:00") == dt.date(9999, 12, 31)
    far = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert parse_ssd_date(far) == dt.date(1, 1, 1)


def test_read_then_posted_the_icpc_is_due_after_the_state_funeral(csv_read):
    from app.main import app

    p1 = next(c for c in csv_read.cases if c.case_id == "P1")
    body = p1.as_json()
    body.pop("case_id")  # POST /v1/deadlines takes one case, without an id
    body.update({"authority": "england", "as_of": AS_OF.isoformat()})
    with TestClient(app) as client:
        answer = client.post("/v1/deadlines", json=body)
    assert answer.status_code == 200, answer.text
    icpc = [d for d in answer.json()["deadlines"] if d["requirement"] == "icpc"]
    # Strategy discussion Friday 9 September 2022, 15 working days, England and Wales:
    # Mon 12 (1), Tue 13 (2), Wed 14 (3), Thu 15 (4), Fri 16 (5), Mon 19 the
    # Queen's state funeral (bank holiday, not counted), Tue 20 (6), Wed 21 (7),
    # Thu 22 (8), Fri 23 (9), Mon 26 (10), Tue 27 (11), Wed 28 (12), Thu 29 (13),
    # Fri 30 (14), Mon 3 October (15). The SSD's own target (30 September) is the
    # date a holiday list without 19 September gives.
    assert [(d["due"], d["status"]) for d in icpc] == [("2022-10-03", "met")]


def test_a_care_leavers_history_starts_at_their_latest_dates(tmp_path):
    # ssd_care_leavers holds only the latest contact and pathway plan review:
    # the contacts before them are not in the data, so history_from is the
    # earlier of the two (the window's start stays for everyone else).
    tables = dict(SSD)
    tables["ssd_care_leavers"] = [
        {
            "clea_table_id": "L1",
            "clea_person_id": "P2",
            "clea_care_leaver_latest_contact": "2022-09-20",
            "clea_pathway_plan_review_date": "2022-04-11",
            "clea_care_leaver_allocated_team": "Leaving Care",
            "clea_care_leaver_worker_id": "PA3",
        }
    ]
    read = read_ssd(write_csv(tmp_path / "c", tables), as_of=AS_OF, timeframe_years=3)
    history = {c.case_id: c.history_from for c in read.cases}
    assert history == {
        "P1": dt.date(2019, 10, 14),  # three years before 14 October 2022
        "P2": dt.date(2022, 4, 11),
        "P3": dt.date(2019, 10, 14),
    }
    p2 = next(c for c in read.cases if c.case_id == "P2")
    assert (p2.team, p2.worker) == ("Leaving Care", "PA3")
    assert [(e.type, e.date) for e in p2.events if e.ref and e.ref.startswith("ssd_care")] == [
        ("care_leaver_contact", dt.date(2022, 9, 20)),
        ("pathway_plan_reviewed", dt.date(2022, 4, 11)),
    ]


def test_the_mapping_file_refuses_an_event_type_the_vocabulary_lacks(tmp_path):
    from app.datafiles import DataFileError
    from app.sources.ssd import SSD_FILE, ssd_mapping

    text = SSD_FILE.read_text(encoding="utf-8")
    assert "type: contact_received}" in text
    wrong = tmp_path / "ssd.yaml"
    wrong.write_text(text.replace("type: contact_received}", "type: contact_logged}"))
    with pytest.raises(DataFileError, match="unknown event type 'contact_logged'"):
        ssd_mapping(wrong)
    unlinked = tmp_path / "unlinked.yaml"
    unlinked.write_text(text.replace("via: cla}", "via: adoption_case}", 1))
    with pytest.raises(DataFileError, match="no earlier table provides"):
        ssd_mapping(unlinked)


def test_the_event_types_recorded_are_those_of_the_tables_read(csv_read):
    # The tables of SSD above, and what ssd.yaml makes of each (read off the file):
    # referrals, contacts, s47, ICPC, CP plans and visits, CLA episodes,
    # placements and reviews. No assessment, CIN plan, health, care leaver,
    # missing or permanence table was extracted, and no SSD table holds a core group.
    assert csv_read.event_types_recorded == {
        "referral_received",
        "case_closed",
        "contact_received",
        "strategy_discussion_held",
        "s47_completed",
        "icpc_held",
        "cp_plan_started",
        "cp_plan_ended",
        "statutory_visit",
        "became_looked_after",
        "ceased_looked_after",
        "placement_started",
        "placement_ended",
        "cla_review_held",
    }


def test_a_rule_met_only_by_an_event_the_ssd_lacks_is_not_recorded_not_due(csv_read):
    # P1's ICPC Fri 30 Sep 2022: the first core group 10 working days on, 3-7 Oct
    # (5), 10-14 Oct (10) = Fri 14 Oct, the as_of: due today, were core groups
    # something the SSD could show.
    every_type = overdue_list(
        replace(csv_read, event_types_recorded=None),
        reference_data(),
        authority="england",
        as_of=AS_OF,
    )
    assert ("P1", "england.first_core_group", dt.date(2022, 10, 14), "due_today") in [
        (r.case_id, r.rule_id, r.due, r.status) for r in every_type.rows
    ]
    listing = overdue_list(csv_read, reference_data(), authority="england", as_of=AS_OF)
    assert "england.first_core_group" not in {r.rule_id for r in listing.rows}
    assert ("P1", "england.first_core_group", "not_recorded") in [
        (case_id, n.rule.id, n.reason) for case_id, n in listing.not_evaluated
    ]

"""How fast app/sources/ssd.py reads an SSD, and in how much memory.

Writes a synthetic SSD of N children (default 10,000) as CSV files in a
temporary folder (and, with --sqlite, the same as an SQLite database; with --postgres URL,
loaded into that PostgreSQL database, its SSD tables replaced), reads it with
read_ssd and prints rows and children per second and the peak of Python's
allocations while reading (tracemalloc), and the process's peak resident
memory. Synthetic rows only: no real child. --generator synthetic uses
scripts/synthetic_ssd.py (every journey, the audit's errors) instead of the
simpler tables below. --annex-a reads instead an Annex A workbook of N
children made by scripts/synthetic_annex_a.py, with read_annex_a.

    .venv/bin/python scripts/bench_sources.py [--children 10000] [--sqlite]
        [--postgres postgresql+psycopg://...] [--generator synthetic]
    .venv/bin/python scripts/bench_sources.py --annex-a [--children 10000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.sources.ssd import read_ssd

AS_OF = dt.date(2026, 11, 23)
PLACEMENTS = ["U4", "U6", "K2", "R1", "P1", "A5", "H5"]


def _day(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def synthetic_ssd(children: int, seed: int = 11) -> dict[str, list[list[str]]]:
    """Tables as header + rows: a referral for every child, then a CP journey,
    a period of care or a child in need plan, with visits and reviews."""
    rng = random.Random(seed)
    t: dict[str, list[list[str]]] = {
        "ssd_person": [["pers_person_id", "pers_dob"]],
        "ssd_cin_episodes": [
            [
                "cine_referral_id",
                "cine_person_id",
                "cine_referral_date",
                "cine_close_date",
                "cine_referral_team",
                "cine_referral_worker_id",
            ]
        ],
        "ssd_s47_enquiry": [
            [
                "s47e_s47_enquiry_id",
                "s47e_referral_id",
                "s47e_s47_start_date",
                "s47e_s47_end_date",
                "s47e_s47_nfa",
                "s47e_s47_outcome_json",
            ]
        ],
        "ssd_initial_cp_conference": [
            [
                "icpc_icpc_id",
                "icpc_s47_enquiry_id",
                "icpc_referral_id",
                "icpc_cp_plan_id",
                "icpc_icpc_transfer_in",
                "icpc_icpc_target_date",
                "icpc_icpc_date",
                "icpc_icpc_team",
                "icpc_icpc_worker_id",
            ]
        ],
        "ssd_cp_plans": [
            [
                "cppl_cp_plan_id",
                "cppl_referral_id",
                "cppl_icpc_id",
                "cppl_cp_plan_start_date",
                "cppl_cp_plan_end_date",
            ]
        ],
        "ssd_cp_visits": [
            [
                "cppv_cp_visit_id",
                "cppv_cp_plan_id",
                "cppv_cp_visit_date",
                "cppv_cp_visit_seen",
                "cppv_cp_visit_seen_alone",
            ]
        ],
        "ssd_cp_reviews": [
            ["cppr_cp_review_id", "cppr_cp_plan_id", "cppr_cp_review_due", "cppr_cp_review_date"]
        ],
        "ssd_cla_episodes": [
            [
                "clae_cla_episode_id",
                "clae_person_id",
                "clae_cla_episode_ceased_date",
                "clae_cla_episode_ceased_reason",
                "clae_cla_id",
                "clae_entered_care_date",
            ]
        ],
        "ssd_cla_placement": [
            [
                "clap_cla_placement_id",
                "clap_cla_id",
                "clap_cla_placement_start_date",
                "clap_cla_placement_type",
                "clap_cla_placement_end_date",
            ]
        ],
        "ssd_cla_reviews": [
            [
                "clar_cla_review_id",
                "clar_cla_id",
                "clar_cla_review_due_date",
                "clar_cla_review_date",
                "clar_cla_review_cancelled",
            ]
        ],
        "ssd_cla_visits": [
            [
                "clav_cla_visit_id",
                "clav_person_id",
                "clav_cla_visit_date",
                "clav_cla_visit_seen",
                "clav_cla_visit_seen_alone",
            ]
        ],
        "ssd_cin_visits": [
            [
                "cinv_cin_visit_id",
                "cinv_person_id",
                "cinv_cin_visit_date",
                "cinv_cin_visit_seen",
                "cinv_cin_visit_seen_alone",
            ]
        ],
    }
    iso = dt.date.isoformat
    for i in range(children):
        p = f"P{i}"
        t["ssd_person"].append([p, iso(_day(rng, dt.date(2006, 1, 1), 6000))])
        referral = _day(rng, dt.date(2021, 1, 1), 1800)
        t["ssd_cin_episodes"].append([f"R{i}", p, iso(referral), "", f"Team {i % 9}", f"W{i % 97}"])
        journey = i % 3
        if journey == 0:  # child protection
            sd = referral + dt.timedelta(days=rng.randrange(1, 20))
            icpc = sd + dt.timedelta(days=rng.randrange(14, 25))
            t["ssd_s47_enquiry"].append(
                [f"S{i}", f"R{i}", iso(sd), iso(icpc), "N", '{"CP_CONFERENCE_FLAG": "Y"}']
            )
            t["ssd_initial_cp_conference"].append(
                [
                    f"I{i}",
                    f"S{i}",
                    f"R{i}",
                    f"C{i}",
                    "N",
                    iso(sd + dt.timedelta(days=21)),
                    iso(icpc),
                    "",
                    "",
                ]
            )
            t["ssd_cp_plans"].append([f"C{i}", f"R{i}", f"I{i}", iso(icpc), ""])
            day = icpc
            for v in range(12):
                day += dt.timedelta(days=rng.randrange(7, 15))
                if day > AS_OF:
                    break
                t["ssd_cp_visits"].append([f"V{i}-{v}", f"C{i}", iso(day), "Y", "Y"])
            t["ssd_cp_reviews"].append(
                [
                    f"CR{i}",
                    f"C{i}",
                    iso(icpc + dt.timedelta(days=91)),
                    iso(min(icpc + dt.timedelta(days=88), AS_OF)),
                ]
            )
        elif journey == 1:  # looked after
            start = referral + dt.timedelta(days=rng.randrange(1, 60))
            t["ssd_cla_episodes"].append([f"E{i}", p, "", "", f"CLA{i}", iso(min(start, AS_OF))])
            t["ssd_cla_placement"].append(
                [f"PL{i}", f"CLA{i}", iso(min(start, AS_OF)), rng.choice(PLACEMENTS), ""]
            )
            day = start
            for r in range(6):
                day += dt.timedelta(days=rng.randrange(20, 180))
                if day > AS_OF:
                    break
                t["ssd_cla_reviews"].append([f"LR{i}-{r}", f"CLA{i}", iso(day), iso(day), "N"])
                t["ssd_cla_visits"].append([f"LV{i}-{r}", p, iso(day), "Y", "N"])
        else:  # child in need
            day = referral
            for v in range(10):
                day += dt.timedelta(days=rng.randrange(10, 40))
                if day > AS_OF:
                    break
                t["ssd_cin_visits"].append([f"NV{i}-{v}", p, iso(day), "Y", ""])
    return t


def write_csv(folder: Path, tables: dict[str, list[list[str]]]) -> None:
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)


def write_sqlite(path: Path, tables: dict[str, list[list[str]]]) -> str:
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    for name, (header, *rows) in tables.items():
        table = sa.Table(name, meta, *(sa.Column(c, sa.String) for c in header))
        meta.create_all(engine, tables=[table])
        with engine.begin() as conn:
            conn.execute(sa.insert(table), [dict(zip(header, r, strict=True)) for r in rows])
    engine.dispose()
    return url


def write_postgres(url: str, tables: dict[str, list[list[str]]]) -> str:
    """The tables in a PostgreSQL database, replacing those of the same names."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    made = [
        sa.Table(name, meta, *(sa.Column(c, sa.String) for c in rows[0]))
        for name, rows in tables.items()
    ]
    meta.drop_all(engine, tables=made)
    meta.create_all(engine, tables=made)
    with engine.begin() as conn:
        for table in made:
            header, *rows = tables[table.name]
            if rows:
                conn.execute(sa.insert(table), [dict(zip(header, r, strict=True)) for r in rows])
    engine.dispose()
    return url


def measure(label: str, source: str | Path, rows: int) -> None:
    """Time one read as it runs, then trace a second read's allocations
    (tracemalloc slows Python several times, so it is not timed)."""
    started = time.perf_counter()
    read = read_ssd(source, as_of=AS_OF)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    read_ssd(source, as_of=AS_OF)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    events = sum(len(c.events) for c in read.cases)
    print(
        f"{label}: {len(read.cases)} children, {rows} rows, {events} events, "
        f"{len(read.problems)} problems in {seconds:.2f} s: {rows / seconds:,.0f} rows/s, "
        f"{len(read.cases) / seconds:,.0f} children/s; peak traced memory of a read "
        f"{peak / 2**20:.1f} MiB"
    )


def measure_annex_a(children: int, folder: Path) -> None:
    """An Annex A workbook of `children` children, timed and traced as measure()."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import synthetic_annex_a

    from app.sources.annex_a import read_annex_a

    lists = synthetic_annex_a.synthetic_annex_a(children)
    rows = sum(len(r) for r in lists.values())
    path = folder / "annex-a.xlsx"
    synthetic_annex_a.write_workbook(path, lists)
    del lists
    started = time.perf_counter()
    read = read_annex_a(path, as_of=AS_OF)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    read_annex_a(path, as_of=AS_OF)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    events = sum(len(c.events) for c in read.cases)
    print(
        f"Annex A ({path.stat().st_size / 2**20:.1f} MiB): {len(read.cases)} children, "
        f"{rows} rows, {events} events, {len(read.problems)} problems in {seconds:.2f} s: "
        f"{rows / seconds:,.0f} rows/s, {len(read.cases) / seconds:,.0f} children/s; "
        f"peak traced memory of a read {peak / 2**20:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--sqlite", action="store_true", help="also read the same as SQLite")
    parser.add_argument("--postgres", help="also load and read it in this PostgreSQL database")
    parser.add_argument("--generator", choices=["simple", "synthetic"], default="simple")
    parser.add_argument(
        "--annex-a", action="store_true", help="read an Annex A workbook instead of an SSD"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.annex_a:
            measure_annex_a(args.children, folder)
        elif args.generator == "synthetic":
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            import synthetic_ssd

            generated = synthetic_ssd.synthetic_ssd(args.children)
            rows = sum(len(r) for r in generated.values())
            synthetic_ssd.write_csv(folder, generated)
            measure("CSV", folder, rows)
            if args.sqlite:
                url = f"sqlite:///{folder / 'ssd.sqlite'}"
                synthetic_ssd.write_database(url, generated)
                measure("SQLite", url, rows)
            if args.postgres:
                synthetic_ssd.write_database(args.postgres, generated)
                measure("PostgreSQL", args.postgres, rows)
        else:
            tables = synthetic_ssd(args.children)
            rows = sum(len(r) - 1 for r in tables.values())
            write_csv(folder, tables)
            measure("CSV", folder, rows)
            if args.sqlite:
                measure("SQLite", write_sqlite(folder / "ssd.sqlite", tables), rows)
            if args.postgres:
                measure("PostgreSQL", write_postgres(args.postgres, tables), rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run (tables generated and held too): {peak:.0f} MiB")


if __name__ == "__main__":
    main()

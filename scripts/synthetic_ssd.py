"""A synthetic Standard Safeguarding Dataset (SSD): no real child, made up from the field list.

Writes the SSD tables app/sources/ssd.py reads (their columns are those
app/data/council_data/ssd.yaml names) as a folder of CSV files, an SQLite
file and/or a PostgreSQL database, for N children (default 300) across child
protection, child in need, looked-after, care-leaver and missing journeys.
The same --seed gives the same rows.

The systems' own due dates (icpc_icpc_target_date, cppr_cp_review_due,
clar_cla_review_due_date) are computed the ways SSD extracts compute them
(docs: council-data.md), so that the due-date audit has something to find:

* most children: the statutory way (GOV.UK bank holidays);
* "eclipse" children: a hard-coded holiday list that lacks 2022-09-19 and every
  2026 bank holiday and has the council's Christmas closure (the weekdays of
  27-31 December that are not bank holidays) baked in;
* "conference" children: the ICPC target counted from the conference, not the
  strategy discussion;
* "mosaic" children: 3 and 6 months counted as 91 and 183 days.

And at fixed children, with fixed dates (tests/test_sources_ssd_database.py
and tests/test_jobs_audit.py count them by hand; see KNOWN below):

  C0001 ICPC target without the State Funeral (Fri 9 Sep 2022 -> Fri 30 Sep, not Mon 3 Oct)
  C0002 first CLA review without Easter 2026 (Wed 1 Apr 2026 -> Wed 29 Apr, not Fri 1 May)
  C0003 CP: strategy discussion Mon 26 Oct 2026, no conference yet (ICPC overdue)
  C0004 looked after from Mon 2 Nov 2026 in foster care, not visited (visit overdue)
  C0005 missing 10-12 Nov 2026 (return interview: not recorded in an SSD)
  C0006 care leaver, pathway plan last reviewed Mon 2 Mar 2026 (review overdue)
  C0007 ICPC target with a Christmas closure (Thu 15 Dec 2022 -> Fri 13 Jan 2023, not Tue 10 Jan)
  C0008 ICPC target from the conference (Thu 20 Oct 2022 -> Thu 10 Nov 2022, not Mon 24 Oct)
  C0009 CP reviews as 91 and 183 days (Mon 31 Oct 2022, not Tue 1 Nov;
        Fri 28 Apr 2023, not Thu 27 Apr)
  C0010 second CLA review as 91 days (Thu 27 Oct 2022, not Fri 28 Oct)

    .venv/bin/python scripts/synthetic_ssd.py --csv examples/ssd --children 50
    .venv/bin/python scripts/synthetic_ssd.py --sqlite /tmp/ssd.sqlite --postgres URL
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.engine import add_months
from app.reference import reference_data
from app.sources.ssd import ssd_mapping

AS_OF = dt.date(2026, 11, 23)  # the extract's day (a Monday)
D = dt.date.fromisoformat
KNOWN = 10  # C0001-C0010 are the fixed children above
PLACEMENTS = ["U4", "U6", "K2", "R1", "U1", "A5", "H5"]
SYSTEMS = ["statutory", "statutory", "statutory", "eclipse", "conference", "mosaic"]
Row = dict[str, Any]
Tables = dict[str, list[Row]]


def columns() -> dict[str, list[str]]:
    """Each table's columns: every column the reader's mapping names."""
    return {spec.table: spec.columns() for spec in ssd_mapping().tables}


def statutory_holidays() -> frozenset[dt.date]:
    calendar = reference_data().bank_holidays.calendars["england-and-wales"]
    return frozenset(calendar.holidays)


def eclipse_holidays(true: frozenset[dt.date]) -> frozenset[dt.date]:
    """The hard-coded list: no 2022-09-19, no 2026 holiday, Christmas closures in."""
    kept = {d for d in true if d != dt.date(2022, 9, 19) and d.year != 2026}
    closure = {
        dt.date(year, 12, day)
        for year in range(2016, 2026)
        for day in range(27, 32)
        if dt.date(year, 12, day).weekday() < 5
    }
    return frozenset(kept | closure)


def weekday(day: dt.date) -> dt.date:
    """The day, or the Monday after it when it is a Saturday or Sunday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def add_working_days(start: dt.date, n: int, holidays: frozenset[dt.date]) -> dt.date:
    day, counted = start, 0
    for _ in range(10 * n + 30):  # bounded: n working days are fewer calendar days
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
            if counted == n:
                return day
    raise ValueError(f"no {n} working days after {start}")


class Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tables: Tables = {name: [] for name in columns()}
        self.true = statutory_holidays()
        self.eclipse = eclipse_holidays(self.true)
        self.n = 0  # ids of rows, unique across tables

    def add(self, table: str, **values: Any) -> str:
        self.n += 1
        key = columns()[table][0]
        row_id = f"{key.split('_')[0].upper()}-{self.n}"  # "CINE-12"
        values.setdefault(key, row_id)
        self.tables[table].append(values)
        return str(values[key])

    def person(self, child: str, dob: dt.date) -> None:
        self.add("ssd_person", pers_person_id=child, pers_dob=dob)

    def referral(
        self, child: str, day: dt.date, closed: dt.date | None = None, team: str = "Team 1"
    ) -> str:
        return self.add(
            "ssd_cin_episodes",
            cine_person_id=child,
            cine_referral_date=day,
            cine_close_date=closed,
            cine_referral_team=team,
            cine_referral_worker_id=f"W{self.n % 37}",
        )

    # -- the journeys ----------------------------------------------------------

    def cp(
        self,
        child: str,
        referral: str,
        strategy: dt.date,
        icpc: dt.date | None,
        target: dt.date,
        reviews: Iterable[tuple[dt.date | None, dt.date]] = (),
        ended: dt.date | None = None,
        visits: Iterable[dt.date] = (),
    ) -> None:
        """A section 47 enquiry, its conference and (if held) a plan with its
        visits and reviews ((held, recorded due) each)."""
        s47 = self.add(
            "ssd_s47_enquiry",
            s47e_referral_id=referral,
            s47e_s47_start_date=strategy,
            s47e_s47_end_date=icpc,
            s47e_s47_nfa="N",
            s47e_s47_outcome_json='{"CP_CONFERENCE_FLAG": "Y"}' if icpc else None,
        )
        plan = f"CPPL{self.n}" if icpc else None
        self.add(
            "ssd_initial_cp_conference",
            icpc_referral_id=referral,
            icpc_s47_enquiry_id=s47,
            icpc_cp_plan_id=plan,
            icpc_icpc_date=icpc,
            icpc_icpc_transfer_in="N",
            icpc_icpc_target_date=target,
        )
        if plan is None or icpc is None:
            return
        self.add(
            "ssd_cp_plans",
            cppl_cp_plan_id=plan,
            cppl_referral_id=referral,
            cppl_cp_plan_start_date=icpc,
            cppl_cp_plan_end_date=ended,
        )
        for day in visits:
            self.add(
                "ssd_cp_visits",
                cppv_cp_plan_id=plan,
                cppv_cp_visit_date=day,
                cppv_cp_visit_seen="Y",
                cppv_cp_visit_seen_alone=self.rng.choice("YN"),
            )
        for held, due in reviews:
            self.add(
                "ssd_cp_reviews",
                cppr_cp_plan_id=plan,
                cppr_cp_review_date=held,
                cppr_cp_review_due=due,
            )

    def looked_after(
        self,
        child: str,
        entered: dt.date,
        code: str,
        reviews: Iterable[tuple[dt.date | None, dt.date]] = (),
        ceased: dt.date | None = None,
        visits: Iterable[dt.date] = (),
    ) -> str:
        cla = f"CLA{self.n + 1}"
        self.add(
            "ssd_cla_episodes",
            clae_person_id=child,
            clae_cla_id=cla,
            clae_entered_care_date=entered,
            clae_cla_episode_ceased_date=ceased,
            clae_cla_episode_ceased_reason="E11" if ceased else None,
        )
        self.add(
            "ssd_cla_placement",
            clap_cla_id=cla,
            clap_cla_placement_start_date=entered,
            clap_cla_placement_type=code,
            clap_cla_placement_end_date=ceased,
        )
        for held, due in reviews:
            self.add(
                "ssd_cla_reviews",
                clar_cla_id=cla,
                clar_cla_review_date=held,
                clar_cla_review_cancelled="N",
                clar_cla_review_due_date=due,
            )
        for day in visits:
            self.add(
                "ssd_cla_visits",
                clav_person_id=child,
                clav_cla_id=cla,
                clav_cla_visit_date=day,
                clav_cla_visit_seen="Y",
                clav_cla_visit_seen_alone=self.rng.choice("YN"),
            )
        return cla

    # -- the fixed children (module docstring) ----------------------------------

    def known(self) -> None:
        self.person("C0001", D("2014-06-01"))
        r = self.referral("C0001", D("2022-09-05"), closed=D("2023-03-31"))
        self.cp(
            "C0001", r, D("2022-09-09"), D("2022-09-29"), D("2022-09-30"), ended=D("2023-03-31")
        )

        self.person("C0002", D("2012-02-10"))
        self.looked_after(
            "C0002",
            D("2026-04-01"),
            "U4",
            reviews=[(D("2026-04-28"), D("2026-04-29"))],
            ceased=D("2026-06-30"),
            visits=[D("2026-04-07")],
        )

        self.person("C0003", D("2019-01-15"))
        r = self.referral("C0003", D("2026-10-23"), team="Team North")
        # 15 working days from Mon 26 Oct 2026: Mon 16 Nov, as the system says.
        self.cp("C0003", r, D("2026-10-26"), None, D("2026-11-16"))

        self.person("C0004", D("2018-05-20"))
        self.looked_after("C0004", D("2026-11-02"), "U4")

        self.person("C0005", D("2011-07-07"))
        self.add(
            "ssd_missing",
            miss_person_id="C0005",
            miss_missing_episode_start_date=D("2026-11-10"),
            miss_missing_episode_end_date=D("2026-11-12"),
        )

        self.person("C0006", D("2006-03-03"))
        self.add(
            "ssd_care_leavers",
            clea_person_id="C0006",
            clea_care_leaver_latest_contact=D("2026-10-01"),
            clea_pathway_plan_review_date=D("2026-03-02"),
            clea_care_leaver_allocated_team="Leaving Care",
            clea_care_leaver_worker_id="PA7",
        )

        self.person("C0007", D("2015-09-09"))
        r = self.referral("C0007", D("2022-12-12"), closed=D("2023-02-28"))
        self.cp(
            "C0007", r, D("2022-12-15"), D("2023-01-09"), D("2023-01-13"), ended=D("2023-02-28")
        )

        self.person("C0008", D("2016-10-10"))
        r = self.referral("C0008", D("2022-09-30"), closed=D("2023-01-31"))
        self.cp(
            "C0008", r, D("2022-10-03"), D("2022-10-20"), D("2022-11-10"), ended=D("2023-01-31")
        )

        self.person("C0009", D("2013-04-04"))
        r = self.referral("C0009", D("2022-07-08"), closed=D("2023-06-01"))
        self.cp(
            "C0009",
            r,
            D("2022-07-12"),
            D("2022-08-01"),
            D("2022-08-02"),  # 15 working days from Tue 12 Jul 2022: Tue 2 Aug, right
            reviews=[(D("2022-10-27"), D("2022-10-31")), (D("2023-04-20"), D("2023-04-28"))],
            ended=D("2023-06-01"),
        )

        self.person("C0010", D("2010-12-12"))
        self.looked_after(
            "C0010",
            D("2022-07-04"),
            "U6",
            reviews=[(D("2022-07-28"), D("2022-08-01")), (D("2022-10-20"), D("2022-10-27"))],
            ceased=D("2022-12-01"),
        )

    # -- everyone else, at random --------------------------------------------------

    def random_child(self, i: int) -> None:
        rng = self.rng
        child = f"C{i:04d}"
        journey = i % 5
        system = SYSTEMS[i % len(SYSTEMS)]
        holidays = self.eclipse if system == "eclipse" else self.true
        born = D("2005-01-01") + dt.timedelta(days=rng.randrange(7000))
        if journey == 3:  # a care leaver: 18 to 21
            born = AS_OF - dt.timedelta(days=365 * 18 + rng.randrange(3 * 365))
        self.person(child, born)
        # Started at least 60 days before the extract, so that each journey's
        # first steps are in it; on a weekday, as a referral is.
        first = D("2021-01-04")
        start = weekday(first + dt.timedelta(days=rng.randrange((AS_OF - first).days - 60)))
        team = f"Team {i % 6}"
        if journey == 0:  # child protection
            referral_closed = None
            strategy = weekday(start + dt.timedelta(days=rng.randrange(1, 10)))
            icpc: dt.date | None = weekday(strategy + dt.timedelta(days=rng.randrange(10, 24)))
            if icpc is not None and icpc > AS_OF:
                icpc = None
            target = add_working_days(strategy, 15, holidays)
            if system == "conference" and icpc is not None:
                target = add_working_days(icpc, 15, self.true)
            reviews: list[tuple[dt.date | None, dt.date]] = []
            visits: list[dt.date] = []
            ended = None
            if icpc is not None:
                last, months = icpc, 3
                for _ in range(12):  # bounded: a plan's reviews
                    due = (
                        last + dt.timedelta(days=91 if months == 3 else 183)
                        if system == "mosaic"
                        else add_months(last, months)
                    )
                    held: dt.date | None = weekday(due - dt.timedelta(days=rng.randrange(2, 12)))
                    if held is not None and held > AS_OF:
                        held = None
                    reviews.append((held, due))
                    if held is None:
                        break
                    last, months = held, 6
                    if rng.random() < 0.3:
                        ended = held
                        referral_closed = held
                        break
                day = icpc
                for _ in range(60):  # bounded: a plan's visits
                    day += dt.timedelta(days=rng.randrange(5, 12))
                    if day > min(AS_OF, ended or AS_OF):
                        break
                    visits.append(day)
            r = self.referral(child, start, referral_closed, team)
            self.cp(child, r, strategy, icpc, target, reviews, ended, visits)
        elif journey == 1:  # child in need
            r = self.referral(child, start, None, team)
            begun = start + dt.timedelta(days=rng.randrange(1, 5))
            done = begun + dt.timedelta(days=rng.randrange(10, 60))
            self.add(
                "ssd_cin_assessments",
                cina_person_id=child,
                cina_referral_id=r,
                cina_assessment_start_date=begun,
                cina_assessment_auth_date=done if done <= AS_OF else None,
            )
            if done <= AS_OF:
                self.add(
                    "ssd_cin_plans",
                    cinp_person_id=child,
                    cinp_referral_id=r,
                    cinp_cin_plan_start_date=done,
                    cinp_cin_plan_team=team,
                    cinp_cin_plan_worker_id=f"W{i % 37}",
                )
                day = done
                for _ in range(40):  # bounded: the plan's visits
                    day += dt.timedelta(days=rng.randrange(10, 40))
                    if day > AS_OF:
                        break
                    self.add(
                        "ssd_cin_visits",
                        cinv_person_id=child,
                        cinv_cin_visit_date=day,
                        cinv_cin_visit_seen=rng.choice(["Y", "Y", "Y", "N"]),
                        cinv_cin_visit_seen_alone=rng.choice("YN"),
                    )
        elif journey == 2:  # looked after
            self.referral(child, start, None, team)
            entered = min(start + dt.timedelta(days=rng.randrange(1, 40)), AS_OF)
            la_reviews: list[tuple[dt.date | None, dt.date]] = []
            due = add_working_days(entered, 20, holidays)
            for k in range(12):  # bounded: a period's reviews
                held_la: dt.date | None = weekday(due - dt.timedelta(days=rng.randrange(2, 8)))
                if held_la is not None and held_la > AS_OF:
                    held_la = None
                la_reviews.append((held_la, due))
                if held_la is None:
                    break
                months = 3 if k == 0 else 6
                due = (
                    held_la + dt.timedelta(days=91 if months == 3 else 183)
                    if system == "mosaic"
                    else add_months(held_la, months)
                )
            la_visits = []
            day = entered
            for _ in range(80):  # bounded: the period's visits
                day += dt.timedelta(days=rng.randrange(5, 40))
                if day > AS_OF:
                    break
                la_visits.append(day)
            self.looked_after(child, entered, rng.choice(PLACEMENTS), la_reviews, None, la_visits)
            checked = entered + dt.timedelta(days=rng.randrange(10, 30))
            if checked <= AS_OF:
                self.add(
                    "ssd_cla_health",
                    clah_person_id=child,
                    clah_health_check_date=checked,
                    clah_health_check_type=rng.choice(["Health Assessment", "Dental Check"]),
                )
        elif journey == 3:  # care leaver
            contact = AS_OF - dt.timedelta(days=rng.randrange(1, 200))
            review = AS_OF - dt.timedelta(days=rng.randrange(1, 300))
            self.add(
                "ssd_care_leavers",
                clea_person_id=child,
                clea_care_leaver_latest_contact=contact,
                clea_pathway_plan_review_date=review,
                clea_care_leaver_allocated_team="Leaving Care",
                clea_care_leaver_worker_id=f"PA{i % 11}",
            )
        else:  # missing from home
            self.referral(child, start, None, team)
            away = start
            for _ in range(rng.randrange(1, 4)):  # bounded: 1-3 episodes
                away += dt.timedelta(days=rng.randrange(5, 90))
                back = away + dt.timedelta(days=rng.randrange(0, 4))
                if back > AS_OF:
                    break
                self.add(
                    "ssd_missing",
                    miss_person_id=child,
                    miss_missing_episode_start_date=away,
                    miss_missing_episode_end_date=back,
                )
                self.add("ssd_contacts", cont_person_id=child, cont_contact_date=away)
                away = back


def synthetic_ssd(children: int = 300, seed: int = 2026) -> Tables:
    """The tables, each a list of rows (column -> value; a missing column is empty)."""
    if children < KNOWN:
        raise ValueError(f"at least {KNOWN} children: C0001-C{KNOWN:04d} are fixed")
    build = Builder(seed)
    build.known()
    for i in range(KNOWN + 1, children + 1):  # bounded: the children asked for
        build.random_child(i)
    return build.tables


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(folder: Path, tables: Tables) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    names = columns()
    for table, rows in tables.items():
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(names[table])
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in names[table]])


def _is_date(column: str) -> bool:
    return column.endswith(("_date", "_dob", "_due", "_latest_contact"))


def write_database(url: str, tables: Tables) -> None:
    """The tables in a database (SQLite, PostgreSQL...), replacing any of the
    same names; dates as DATE columns, the rest as text."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    names = columns()
    made = [
        sa.Table(t, meta, *(sa.Column(c, sa.Date if _is_date(c) else sa.Text) for c in names[t]))
        for t in tables
    ]
    try:
        meta.drop_all(engine, tables=made)
        meta.create_all(engine, tables=made)
        with engine.begin() as conn:
            for table in made:
                rows = [{c: row.get(c) for c in names[table.name]} for row in tables[table.name]]
                if rows:
                    conn.execute(sa.insert(table), rows)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--csv", type=Path, help="a folder to write the CSV files into")
    parser.add_argument("--sqlite", type=Path, help="an SQLite file to write")
    parser.add_argument("--postgres", help="a PostgreSQL SQLAlchemy URL to load (tables replaced)")
    args = parser.parse_args()
    if not (args.csv or args.sqlite or args.postgres):
        parser.error("say where: --csv DIR, --sqlite FILE and/or --postgres URL")
    tables = synthetic_ssd(args.children, args.seed)
    rows = sum(len(r) for r in tables.values())
    if args.csv:
        write_csv(args.csv, tables)
        print(f"{args.csv}: {args.children} children, {rows} rows", file=sys.stderr)
    if args.sqlite:
        args.sqlite.unlink(missing_ok=True)
        write_database(f"sqlite:///{args.sqlite}", tables)
        print(f"{args.sqlite}: {args.children} children, {rows} rows", file=sys.stderr)
    if args.postgres:
        write_database(args.postgres, tables)
        print(f"PostgreSQL: {args.children} children, {rows} rows", file=sys.stderr)


if __name__ == "__main__":
    main()

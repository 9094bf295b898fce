"""The Standard Safeguarding Dataset (SSD) read as cases, without code.

`read_ssd` takes a database (a SQLAlchemy URL: SQLite, PostgreSQL, SQL Server
through its ODBC driver where one is installed) or a folder of CSV exports
named after the tables (ssd_person.csv, ssd_cp_plans.csv, ...), and gives back
one case per child of ssd_person in the API's shape, with every row or value
it could not use as a `SourceProblem`.

What is read, and as what, is data: app/data/council_data/ssd.yaml names, for
each table of the public SSD specification, how its rows find their child
(directly, or through a referral, plan or period of care), which date fields
are which events, the attributes, and the system's own due dates kept for the
due-date audit. Rows are streamed (a database cursor with `yield_per`, a CSV
file line by line), so memory grows with the children and their events, never
with a table's size; only the ids that link tables (referral -> child, ...)
are kept.

The time frame: an SSD extract holds `ssd_timeframe_years` (six by default) of
history before its day. Each case's `history_from` is `as_of` less that many
years, but never before 2012-01-01, the first day of the supported calendars
(app/calendars/bank_holidays.py, FIRST_YEAR): deadlines that fell due before it
are not judged, so a child's visits of seven years ago, which the extract does
not hold, are not reported as missed. A child with a row of ssd_care_leavers,
which holds only the latest contact and pathway plan review, has history_from
no earlier than the earlier of those dates: the contacts before it are not in
the data either.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.calendars.date_patterns import BIRTH_FIRST_YEAR
from app.calendars.supported_range import FIRST_YEAR, LAST_YEAR
from app.datafiles import DATA_DIR, DataFileError, describe, load_yaml
from app.domain.vocabulary import vocabulary
from app.sources.base import PostedEvent, RecordedDue, SourceCase, SourceProblem, SourceRead
from app.sources.placements import placement_type

SSD_FILE = DATA_DIR / "council_data" / "ssd.yaml"
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
LONDON = ZoneInfo("Europe/London")
# Rows fetched from a database at a time: enough to keep round trips few,
# few enough that a table of millions is never held.
FETCH_ROWS = 2000


# -- the mapping file -------------------------------------------------------


def _fold(text: str) -> str:
    """A code or flag as compared: upper case, no spaces ("Dental check" -> "DENTALCHECK")."""
    return "".join(text.split()).upper()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonLink(_Strict):
    column: str
    via: str | None = None  # a kind of record an earlier table provides
    optional: bool = False


class Provides(_Strict):
    kind: str
    column: str


class AttributeFrom(_Strict):
    column: str
    json_key: str | None = None
    values: dict[str, bool | None] | None = None


class AttributeSpec(_Strict):
    kind: Literal["flag", "placement_code"]
    from_: list[AttributeFrom] = Field(alias="from", min_length=1)


class When(_Strict):
    column: str
    skip: list[str] = []
    post: list[str] | None = None
    reason: str

    @model_validator(mode="after")
    def _folded(self) -> When:
        for value in [*self.skip, *(self.post or [])]:
            if value != _fold(value):
                raise ValueError(f"value {value!r} must be written as {_fold(value)!r}")
        return self


class EventSpec(_Strict):
    field: str
    type: str
    when: When | None = None
    ref_column: str | None = None
    attributes: dict[str, AttributeSpec] = {}


class TableSpec(_Strict):
    table: str
    spec: str
    key: str
    required: bool = False
    date_of_birth: str | None = None
    person: list[PersonLink] = []
    provides: list[Provides] = []
    events: list[EventSpec] = []
    recorded_due: list[str] = []
    team: str | None = None
    worker: str | None = None
    latest_only: bool = False

    def columns(self) -> list[str]:
        """Every column the mapping reads, once each, the key first."""
        names = [self.key, *(p.column for p in self.person), *(p.column for p in self.provides)]
        if self.date_of_birth:
            names.append(self.date_of_birth)
        for event in self.events:
            names.append(event.field)
            if event.when:
                names.append(event.when.column)
            if event.ref_column:
                names.append(event.ref_column)
            names.extend(src.column for a in event.attributes.values() for src in a.from_)
        names.extend(self.recorded_due)
        names.extend(c for c in (self.team, self.worker) if c)
        return list(dict.fromkeys(names))

    def optional_columns(self) -> frozenset[str]:
        return frozenset(p.column for p in self.person if p.optional)


class NotMapped(_Strict):
    table: str
    field: str
    reason: str


class SsdSource(_Strict):
    repository: str
    commit: str
    field_list: str


class SsdMapping(_Strict):
    source: SsdSource
    flag_values: dict[str, bool]
    extra_attributes: list[str] = []
    tables: list[TableSpec]
    not_mapped: list[NotMapped] = []

    @model_validator(mode="after")
    def _consistent(self) -> SsdMapping:
        known = vocabulary()
        attributes = {**known.attribute_kinds, **dict.fromkeys(self.extra_attributes, "bool")}
        if not self.tables or self.tables[0].date_of_birth is None:
            raise ValueError("the first table must be the person table, with date_of_birth")
        provided: set[str] = set()
        mapped: set[tuple[str, str]] = set()
        for spec in self.tables:
            if spec.date_of_birth is None and not spec.person:
                raise ValueError(f"{spec.table}: no way to find the row's child (person)")
            for link in spec.person:
                if link.via is not None and link.via not in provided:
                    raise ValueError(
                        f"{spec.table}: person via {link.via!r}, which no earlier table provides"
                    )
            provided.update(p.kind for p in spec.provides)
            for event in spec.events:
                if event.type not in known.event_types:
                    raise ValueError(
                        f"{spec.table}.{event.field}: unknown event type {event.type!r}"
                    )
                for name, attribute in event.attributes.items():
                    kind = attributes.get(name)
                    wanted = "placement_type" if attribute.kind == "placement_code" else "bool"
                    if kind != wanted:
                        raise ValueError(
                            f"{spec.table}.{event.field}: attribute {name!r} is not a {wanted} "
                            "attribute of app/data/events.yaml (nor in extra_attributes)"
                        )
                mapped.add((spec.table, event.field))
        for entry in self.not_mapped:
            if (entry.table, entry.field) in mapped:
                raise ValueError(f"{entry.table}.{entry.field} is both mapped and not_mapped")
        for value in self.flag_values:
            if value != _fold(value):
                raise ValueError(f"flag value {value!r} must be written as {_fold(value)!r}")
        return self


@lru_cache(maxsize=4)
def ssd_mapping(path: Path = SSD_FILE) -> SsdMapping:
    """The SSD mapping, checked: an unknown event type or attribute, or a link
    to a kind of record no earlier table provides, stops the load (DataFileError)."""
    raw = load_yaml(path)
    try:
        return SsdMapping.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(describe(path, raw, exc, "tables", "table")) from None


# -- values -------------------------------------------------------------------


class BadDate(ValueError):
    """A cell that should hold a date and holds something else."""


_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?"
)
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _text(value: Any) -> str:
    # The hottest function of a read: the common cases first, by exact class.
    if value.__class__ is str:
        return str(value).strip()
    return "" if value is None else str(value)


def parse_ssd_date(value: Any) -> dt.date | None:
    """An SSD date cell: a database DATE or DATETIME, or text in ISO form
    (2022-09-09, 2022-09-09 14:30:00.000) or as dd/mm/yyyy; None when empty.
    A date-time with an offset is taken in Europe/London. Raises BadDate."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _london_date(value) if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        if m := _ISO.fullmatch(text):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            if m[7] is None:
                return day
            zone: dt.tzinfo = dt.UTC
            if m[7] != "Z":
                sign = -1 if m[7][0] == "-" else 1
                digits = m[7][1:].replace(":", "")
                zone = dt.timezone(
                    sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                )
            at = dt.datetime(
                day.year, day.month, day.day, int(m[4]), int(m[5]), int(m[6] or 0), tzinfo=zone
            )
            return _london_date(at)
        if m := _UK.fullmatch(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass  # 31/02/2022, hour 25: not a date, as below
    raise BadDate(f"{text[:40]!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _london_date(at: dt.datetime) -> dt.date:
    """An aware date-time's date in Europe/London; its date as written when its
    offset pushes it past year 1 or 9999 (0001-01-01T00:00:00+01:00), which is
    outside the supported range and refused as such, never a crash."""
    try:
        return at.astimezone(LONDON).date()
    except OverflowError:
        return at.date()


def history_window(as_of: dt.date, timeframe_years: int) -> dt.date:
    """Where an SSD extract's history begins: as_of less its time frame, not
    before the first day of the supported calendars."""
    if timeframe_years < 1:
        raise ValueError(f"timeframe_years must be at least 1, not {timeframe_years}")
    if not FIRST_DAY <= as_of <= LAST_DAY:
        raise ValueError(f"as_of {as_of} must be between {FIRST_DAY} and {LAST_DAY}")
    return max(as_of - relativedelta(years=timeframe_years), FIRST_DAY)


# -- where the tables are ----------------------------------------------------------


class _Tables(Protocol):
    def columns(self, table: str) -> list[str] | None:
        """The table's columns as the source names them; None: there is no such table."""

    def rows(self, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
        """The table's rows, the given columns in that order, one at a time."""

    def close(self) -> None: ...


class _CsvFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, table: str) -> Path:
        return self.folder / f"{table}.csv"

    def columns(self, table: str) -> list[str] | None:
        path = self._path(table)
        if not path.is_file():
            return None
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [name.strip() for name in next(csv.reader(f), [])]

    def rows(self, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
        with self._path(table).open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = [name.strip() for name in next(reader, [])]
            at = [header.index(c) for c in columns]
            for line in reader:
                if not line:
                    continue  # a blank line is no row
                width = len(line)
                # An export tool's NULL is an empty cell.
                yield tuple("" if i >= width or line[i] == "NULL" else line[i] for i in at)

    def close(self) -> None:
        pass  # each table's file is closed when its rows are read


class _Database:
    def __init__(self, url: str) -> None:
        try:
            self.engine = sa.create_engine(url)
        except ImportError as exc:
            # The URL names a driver that is not installed (pyodbc for SQL
            # Server is not a dependency): say which, as SQLAlchemy says of an
            # unknown dialect, rather than fail with a traceback.
            driver = sa.engine.make_url(url).drivername
            raise sa.exc.NoSuchModuleError(
                f"the database driver for {driver} is not installed (no module {exc.name!r}); "
                "for SQL Server, install pyodbc and Microsoft's ODBC driver"
            ) from None
        self.inspector = sa.inspect(self.engine)

    def columns(self, table: str) -> list[str] | None:
        if not self.inspector.has_table(table):
            return None
        return [str(c["name"]) for c in self.inspector.get_columns(table)]

    def rows(self, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
        # A lightweight table of just the columns read: no reflection, no types,
        # so each value comes as the driver gives it (parse_ssd_date reads both).
        query = sa.select(sa.table(table, *(sa.column(c) for c in columns)))
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=FETCH_ROWS).execute(
                query
            )
            for row in result:
                yield tuple(row)

    def close(self) -> None:
        self.engine.dispose()


def _open(source: str | Path) -> _Tables:
    if isinstance(source, str) and "://" in source:
        return _Database(source)
    folder = Path(source)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of SSD CSV files nor a database URL")
    return _CsvFolder(folder)


# -- reading ------------------------------------------------------------------


class _Reader:
    def __init__(self, mapping: SsdMapping, as_of: dt.date, window: dt.date) -> None:
        self.mapping = mapping
        self.as_of = as_of
        self.window = window
        self.flags = mapping.flag_values
        self.cases: dict[str, SourceCase] = {}
        self.links: dict[str, dict[str, str]] = {}
        self.provider = {p.kind: spec.table for spec in mapping.tables for p in spec.provides}
        self.seen: dict[str, set[tuple[Any, ...]]] = {}
        self.problems: list[SourceProblem] = []
        self.rows: dict[str, int] = {}
        self.recorded: list[RecordedDue] = []
        self.not_posted: Counter[str] = Counter()
        self.allocated: dict[str, tuple[dt.date, str | None, str | None]] = {}
        self.latest_from: dict[str, dt.date] = {}

    def problem(
        self,
        spec: TableSpec,
        row: int | None,
        column: str | None,
        message: str,
        case_id: str | None = None,
        record: str | None = None,
    ) -> None:
        self.problems.append(SourceProblem(spec.table, row, column, message, case_id, record))

    def read_table(self, tables: _Tables, spec: TableSpec) -> None:
        present = tables.columns(spec.table)
        if present is None:
            if spec.required:
                self.problem(
                    spec, None, None, f"table {spec.table} is missing: no child can be read"
                )
            return  # an optional table not extracted holds no events
        actual = {name.lower(): name for name in present}
        optional = spec.optional_columns()
        wanted = [c for c in spec.columns() if c.lower() in actual or c not in optional]
        missing = [c for c in wanted if c.lower() not in actual]
        if missing:
            for column in missing:
                self.problem(spec, None, column, f"column {column} is missing: table not read")
            return
        count = 0
        for count, values in enumerate(
            tables.rows(spec.table, [actual[c.lower()] for c in wanted]), start=1
        ):
            self.read_row(spec, count, dict(zip(wanted, values, strict=True)))
        self.rows[spec.table] = count

    def read_row(self, spec: TableSpec, n: int, row: dict[str, Any]) -> None:
        key = _text(row.get(spec.key))
        record = f"{spec.key} {key}" if key else None
        if spec.date_of_birth is not None:
            self.read_person(spec, n, row, key)
            return
        person, column, why = self.person_of(spec, row)
        if person is None:
            self.problem(spec, n, column, why, None, record)
            return
        for provided in spec.provides:
            value = _text(row.get(provided.column))
            if value:
                known = self.links.setdefault(provided.kind, {}).setdefault(value, person)
                if known != person:
                    self.problem(
                        spec,
                        n,
                        provided.column,
                        f"{provided.kind} {value} is also the record of child {known}; "
                        "kept as theirs",
                        person,
                        record,
                    )
        case = self.cases[person]
        dates: list[dt.date] = []
        for event in spec.events:
            day = self.event_date(spec, n, row, event.field, person, record)
            if day is None:
                continue
            if event.when is not None and not self.wanted(spec, n, row, event, person, record):
                continue
            if not FIRST_DAY <= day <= self.as_of:
                self.problem(
                    spec,
                    n,
                    event.field,
                    f"{day} is outside {FIRST_DAY} to as_of ({self.as_of}): not posted",
                    person,
                    record,
                )
                continue
            attributes: dict[str, Any] = {}
            for name, attribute in event.attributes.items():
                said = self.attribute(spec, n, row, attribute, person, record)
                if said is not None:
                    attributes[name] = said
            ref_value = _text(row.get(event.ref_column)) if event.ref_column else key
            ref = f"{spec.table}:{ref_value}" if ref_value else None
            seen_key = (event.type, day, ref, tuple(sorted(attributes.items())))
            seen = self.seen.setdefault(person, set())
            if seen_key not in seen:  # an episode row repeating its period's start
                seen.add(seen_key)
                case.events.append(PostedEvent(event.type, day, ref, attributes=attributes))
            dates.append(day)
        for column in spec.recorded_due:
            due = self.event_date(spec, n, row, column, person, record)
            if due is not None:
                ref = f"{spec.table}:{key}" if key else None
                self.recorded.append(RecordedDue(person, spec.table, n, column, due, ref))
        if dates and (spec.team or spec.worker):
            team = _text(row.get(spec.team)) if spec.team else ""
            worker = _text(row.get(spec.worker)) if spec.worker else ""
            latest = max(dates)
            held = self.allocated.get(person)
            if (team or worker) and (held is None or held[0] <= latest):
                self.allocated[person] = (latest, team or None, worker or None)
        if dates and spec.latest_only:
            earliest = min(dates)
            self.latest_from[person] = min(self.latest_from.get(person, earliest), earliest)

    def read_person(self, spec: TableSpec, n: int, row: dict[str, Any], key: str) -> None:
        if not key:
            self.problem(spec, n, spec.key, "no person id: row not read")
            return
        record = f"{spec.key} {key}"
        if key in self.cases:
            self.problem(
                spec, n, spec.key, f"person {key} appears twice: the first row kept", key, record
            )
            return
        case = self.cases[key] = SourceCase(case_id=key)
        assert spec.date_of_birth is not None
        born = self.event_date(spec, n, row, spec.date_of_birth, key, record)
        if born is None:
            return
        if dt.date(BIRTH_FIRST_YEAR, 1, 1) <= born <= self.as_of:
            case.date_of_birth = born
        else:
            self.problem(
                spec,
                n,
                spec.date_of_birth,
                f"date of birth {born} is outside {BIRTH_FIRST_YEAR}-01-01 to as_of "
                f"({self.as_of}): not posted",
                key,
                record,
            )

    def person_of(self, spec: TableSpec, row: dict[str, Any]) -> tuple[str | None, str | None, str]:
        """The row's child, or None with the column and why not."""
        failed: tuple[str, str] | None = None
        for link in spec.person:
            value = _text(row.get(link.column))
            if not value:
                continue
            if link.via is None:
                if value in self.cases:
                    return value, None, ""
                return None, link.column, f"person {value} is not in ssd_person: row not read"
            person = self.links.get(link.via, {}).get(value)
            if person is not None:
                return person, None, ""
            if failed is None:
                failed = (
                    link.column,
                    f"{link.via} {value} is not in {self.provider[link.via]}: "
                    "the row's child is not known, row not read",
                )
        if failed is not None:
            return None, failed[0], failed[1]
        columns = ", ".join(link.column for link in spec.person)
        return None, spec.person[0].column, f"no child id ({columns} all empty): row not read"

    def event_date(
        self,
        spec: TableSpec,
        n: int,
        row: dict[str, Any],
        column: str,
        person: str,
        record: str | None,
    ) -> dt.date | None:
        try:
            return parse_ssd_date(row.get(column))
        except BadDate as exc:
            self.problem(spec, n, column, f"{exc}: not posted", person, record)
            return None

    def wanted(
        self,
        spec: TableSpec,
        n: int,
        row: dict[str, Any],
        event: EventSpec,
        person: str,
        record: str | None,
    ) -> bool:
        when = event.when
        assert when is not None
        text = _text(row.get(when.column))
        value = _fold(text)
        if value in when.skip:
            self.not_posted[f"{spec.table}.{event.field}: {when.reason}"] += 1
            return False
        if when.post is not None and value not in when.post:
            shown = repr(text[:40]) if text else "empty"
            self.problem(
                spec,
                n,
                when.column,
                f"{shown} is not a value read ({when.reason}): {event.field} not posted",
                person,
                record,
            )
            return False
        return True

    def attribute(
        self,
        spec: TableSpec,
        n: int,
        row: dict[str, Any],
        attribute: AttributeSpec,
        person: str,
        record: str | None,
    ) -> str | bool | None:
        for source in attribute.from_:
            text = _text(row.get(source.column))
            if not text:
                continue
            if source.json_key is not None:
                try:
                    outcome = json.loads(text)
                except ValueError:
                    outcome = None
                if not isinstance(outcome, dict):
                    self.problem(
                        spec, n, source.column, "not a JSON object: not read", person, record
                    )
                    continue
                text = _text(outcome.get(source.json_key))
                if not text:
                    continue
            if attribute.kind == "placement_code":
                kind = placement_type(text)
                if kind is None:
                    self.problem(
                        spec,
                        n,
                        source.column,
                        f"{text[:40]!r} is not an SSDA903 placement code: posted without "
                        "placement_type",
                        person,
                        record,
                    )
                return kind
            values = source.values if source.values is not None else self.flags
            folded = _fold(text)
            if folded not in values:
                self.problem(
                    spec,
                    n,
                    source.column,
                    f"{text[:40]!r} is not a Y/N flag: not read",
                    person,
                    record,
                )
                return None
            flag = values[folded]
            if flag is not None:
                return flag
        return None

    def result(self) -> SourceRead:
        for person, case in self.cases.items():
            case.history_from = max(self.window, self.latest_from.get(person, self.window))
            held = self.allocated.get(person)
            if held is not None:
                case.team, case.worker = held[1], held[2]
        return SourceRead(
            cases=list(self.cases.values()),
            problems=self.problems,
            rows=dict(self.rows),
            recorded_due=self.recorded,
            not_posted=dict(self.not_posted),
            event_types_recorded=self.recorded_types(),
        )

    def recorded_types(self) -> frozenset[str]:
        """The event types the tables read can hold: what the mapping makes of
        them. A table the extract lacks holds none of its types, so its rules
        (a CP visit without ssd_cp_visits) are not recorded, not overdue; nor
        are those of events no SSD table holds (a case note, a core group)."""
        return frozenset(
            event.type
            for spec in self.mapping.tables
            if spec.table in self.rows
            for event in spec.events
        )


def read_ssd(source: str | Path, *, as_of: dt.date, timeframe_years: int = 6) -> SourceRead:
    """Every child of an SSD database (SQLAlchemy URL) or CSV folder, as cases.

    `timeframe_years` is the extract's `ssd_timeframe_years`: each case's
    history_from is as_of less that many years (not before 2012-01-01), so
    that deadlines older than what the extract holds are not judged.
    """
    mapping = ssd_mapping()
    window = history_window(as_of, timeframe_years)
    tables = _open(source)
    try:
        reader = _Reader(mapping, as_of, window)
        for spec in mapping.tables:
            reader.read_table(tables, spec)
            if spec.required and spec.table not in reader.rows:
                break  # without its children nothing else can be placed
        return reader.result()
    finally:
        tables.close()

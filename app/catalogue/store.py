"""The catalogue database: built from the validated data at start-up, then read-only.

By default an embedded in-memory SQLite database (one per process), searched
with FTS5. `DATABASE_URL` may name a SQLite file or a PostgreSQL database
instead; PostgreSQL is searched with its own full-text search.

A file or a server may be shared by several worker processes (and pods), so
building it is safe with several at once: the database records the version of
the data it holds (table `catalogue_version`), and a process that finds the
current version already there uses it as it is. Otherwise:

* a SQLite file is built under an exclusive lock on `<file>.lock`, into a
  temporary file beside it that then replaces the file in one rename, so a
  reader only ever opens a whole database; the file is then opened read-only;
* PostgreSQL is rebuilt in one transaction holding an advisory lock, so a
  second process waits, then finds the version and leaves it alone, and
  readers see the old tables or the new ones, never a half-built catalogue.

Any database error while answering a request is the server's fault, not the
caller's: it raises Unavailable (503 with Retry-After). The one thing a caller
can get wrong, FTS5 search syntax, is told apart before the database is asked,
by parsing the query against an empty table of the same shape in memory.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event, func, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool, QueuePool
from sqlmodel import Session, SQLModel, col, create_engine, select

from app.catalogue.data import Catalogue
from app.catalogue.models import AuthorityRow, DocumentRow, ItemRow, ItemThemeRow, ThemeRow
from app.errors import FieldError, InvalidInput, NotFound, Unavailable

log = logging.getLogger("app.catalogue")

MARK_START, MARK_END = "<mark>", "</mark>"
Row = TypeVar("Row", AuthorityRow, DocumentRow, ItemRow, ThemeRow)

SEARCH_HELP = (
    'Search with words, "quoted phrases", AND, OR, NOT, and prefix* (SQLite FTS5 query syntax).'
)
# Bump when the tables or the way they are filled change: a database built by
# older code is then rebuilt even though the data files are the same.
SCHEMA_VERSION = "2"
# pg_advisory_xact_lock key for building the catalogue ("cata" in ASCII).
ADVISORY_LOCK_KEY = 0x63617461
# How long a process waits for another to finish building a SQLite file.
FILE_LOCK_SECONDS = 120.0
FILE_LOCK_POLL_SECONDS = 0.05
# PostgreSQL: seconds to connect, milliseconds for one statement of a request.
PG_CONNECT_TIMEOUT_SECONDS = 5
PG_STATEMENT_TIMEOUT_MS = 10_000
# Seconds a caller is asked to wait after a database fault.
RETRY_AFTER_SECONDS = 5
# The full-text index of a SQLite catalogue; the same shape, empty, in
# memory, tells a query FTS5 cannot parse from a database fault.
FTS5_TABLE = (
    "CREATE VIRTUAL TABLE item_search USING fts5("
    "item_id UNINDEXED, title, text, section, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
TABLES = ("authority", "document", "theme", "item", "item_theme")
UNAVAILABLE = "The catalogue database cannot be read just now; try again shortly."


@dataclass(frozen=True)
class Filters:
    authority: str | None = None
    document: str | None = None
    theme: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Hit:
    item: ItemRow
    score: float | None  # search relevance, higher is better; None without a query
    snippet: str | None  # the text around the match, matches wrapped in <mark>


def embedded_url() -> str:
    # A named in-memory database with a shared cache, so every pooled
    # connection (one per worker thread) sees the same data; the name is
    # unique so that two apps in one process do not share one database.
    return f"sqlite+pysqlite:///file:catalogue-{uuid.uuid4().hex}?mode=memory&cache=shared&uri=true"


def stored_version(catalogue: Catalogue) -> str:
    """What `catalogue_version` holds once this code has loaded this data."""
    return f"{SCHEMA_VERSION}:{catalogue.version}"


class CatalogueStore:
    def __init__(self, engine: Engine, catalogue: Catalogue, keep_alive: bool = False) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.dialect = engine.dialect.name
        # Keeps an in-memory SQLite database alive for the life of the store.
        self._keeper = engine.connect() if keep_alive else None

    @property
    def version(self) -> str:
        """The catalogue data's version: part of every cached answer's key."""
        return self.catalogue.version

    @classmethod
    def build(cls, catalogue: Catalogue, url: str | None = None) -> CatalogueStore:
        parsed = make_url(url or embedded_url())
        if parsed.get_backend_name() != "sqlite":
            engine = _server_engine(parsed)
            _build_shared(engine, catalogue)
            return cls(engine, catalogue)
        path = _sqlite_file(parsed)
        if path is None:  # in memory: this process's own, nobody else builds it
            engine = _sqlite_engine(parsed)
            store = cls(engine, catalogue, keep_alive=True)
            with Session(engine) as session:
                _populate(session, catalogue)
                session.commit()
            return store
        _build_file(path, catalogue)
        return cls(_sqlite_engine(parsed, read_only=path), catalogue)

    # -- reading -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _session(self) -> Iterator[Session]:
        """A session whose database errors are the server's fault: 503, never 4xx."""
        try:
            with Session(self.engine) as session:
                yield session
        except SQLAlchemyError as exc:
            # The type only: a message could quote the statement's parameters.
            log.warning("Catalogue database error: %s", type(exc).__name__)
            raise Unavailable(UNAVAILABLE, retry_after=RETRY_AFTER_SECONDS) from exc

    def ping(self) -> str:
        """The version of the data the database holds (a trivial query); 503 if unreadable."""
        with self._session() as session:
            found = session.execute(text("SELECT version FROM catalogue_version")).scalar()
        return str(found)

    def _get(self, model: type[Row], key: str, what: str, listing: str) -> Row:
        with self._session() as session:
            row = session.get(model, key)
        if row is None:
            raise NotFound(f"No {what} with id {key!r}; see GET {listing}.")
        return row

    def authorities(self) -> list[AuthorityRow]:
        with self._session() as session:
            return list(session.exec(select(AuthorityRow).order_by(AuthorityRow.id)))

    def authority(self, authority_id: str) -> AuthorityRow:
        return self._get(AuthorityRow, authority_id, "authority", "/v1/authorities")

    def documents(self, authority_id: str | None = None) -> list[DocumentRow]:
        query = select(DocumentRow).order_by(DocumentRow.authority_id, DocumentRow.id)
        if authority_id:
            query = query.where(DocumentRow.authority_id == authority_id)
        with self._session() as session:
            return list(session.exec(query))

    def document(self, document_id: str) -> DocumentRow:
        return self._get(DocumentRow, document_id, "document", "/v1/documents")

    def document_items(self, document_id: str) -> list[ItemRow]:
        query = (
            select(ItemRow)
            .where(ItemRow.document_id == document_id)
            .order_by(col(ItemRow.position))
        )
        with self._session() as session:
            return list(session.exec(query))

    def item(self, item_id: str) -> ItemRow:
        return self._get(ItemRow, item_id, "standard", "/v1/standards")

    def items(self, ids: Sequence[str]) -> list[ItemRow]:
        if not ids:
            return []
        with self._session() as session:
            rows = {r.id: r for r in session.exec(select(ItemRow).where(col(ItemRow.id).in_(ids)))}
        return [rows[i] for i in ids if i in rows]

    def children(self, item_id: str) -> list[ItemRow]:
        query = select(ItemRow).where(ItemRow.parent_id == item_id).order_by(col(ItemRow.position))
        with self._session() as session:
            return list(session.exec(query))

    def themes_of(self, item_ids: Sequence[str]) -> dict[str, list[str]]:
        """Theme ids of each item, in the theme taxonomy's order."""
        out: dict[str, list[str]] = defaultdict(list)
        if not item_ids:
            return out
        query = (
            select(ItemThemeRow.item_id, ItemThemeRow.theme_id)
            .join(ThemeRow, col(ThemeRow.id) == col(ItemThemeRow.theme_id))
            .where(col(ItemThemeRow.item_id).in_(item_ids))
            .order_by(col(ThemeRow.position))
        )
        with self._session() as session:
            for item_id, theme_id in session.exec(query):
                out[item_id].append(theme_id)
        return out

    def themes(self) -> list[tuple[ThemeRow, dict[str, int]]]:
        """Each theme with its item count per authority."""
        query = (
            select(ItemThemeRow.theme_id, ItemRow.authority_id, func.count())
            .join(ItemRow, col(ItemRow.id) == col(ItemThemeRow.item_id))
            .group_by(ItemThemeRow.theme_id, ItemRow.authority_id)
        )
        with self._session() as session:
            counts: dict[str, dict[str, int]] = defaultdict(dict)
            for theme_id, authority_id, n in session.exec(query):
                counts[theme_id][authority_id] = n
            themes = list(session.exec(select(ThemeRow).order_by(col(ThemeRow.position))))
        return [(t, dict(sorted(counts[t.id].items()))) for t in themes]

    def theme(self, theme_id: str) -> ThemeRow:
        return self._get(ThemeRow, theme_id, "theme", "/v1/themes")

    def search(
        self, filters: Filters, q: str | None, limit: int, offset: int
    ) -> tuple[int, list[Hit]]:
        """Items matching the filters (and the query), with the total before paging."""
        if q is not None and q.strip():
            return self._full_text(filters, q, limit, offset)
        query = _filtered(select(ItemRow), filters).order_by(col(ItemRow.catalogue_order))
        count = _filtered(select(func.count()).select_from(ItemRow), filters)
        with self._session() as session:
            total = session.exec(count).one()
            rows = list(session.exec(query.offset(offset).limit(limit)))
        return total, [Hit(r, None, None) for r in rows]

    def _full_text(
        self, filters: Filters, q: str, limit: int, offset: int
    ) -> tuple[int, list[Hit]]:
        where, params = _filter_sql(filters)
        params.update({"q": q, "limit": limit, "offset": offset})
        if self.dialect == "sqlite":
            # bm25 is lower-is-better; weights favour titles, then text, then the section.
            matches = (
                "FROM item_search JOIN item ON item.id = item_search.item_id "
                f"WHERE item_search MATCH :q {where}"
            )
            rows_sql = (
                "SELECT item.id, -bm25(item_search, 0.0, 4.0, 1.0, 0.5) AS score, "
                f"snippet(item_search, 2, '{MARK_START}', '{MARK_END}', '…', 24) AS snippet "
                f"{matches} ORDER BY score DESC, item.catalogue_order LIMIT :limit OFFSET :offset"
            )
        else:
            document = (
                "to_tsvector('english', coalesce(item.title, '') || ' ' || item.text "
                "|| ' ' || item.section)"
            )
            matches = (
                "FROM item, websearch_to_tsquery('english', :q) AS query "
                f"WHERE {document} @@ query {where}"
            )
            rows_sql = (
                f"SELECT item.id, ts_rank({document}, query) AS score, "
                "ts_headline('english', item.text, query, "
                f"'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=12') "
                "AS snippet "
                f"{matches} ORDER BY score DESC, item.catalogue_order LIMIT :limit OFFSET :offset"
            )
        # The caller's query is refused (422) only for what is wrong with the
        # query itself; anything the database does wrong after that is a 503.
        if "\x00" in q or (self.dialect == "sqlite" and not fts5_parses(q)):
            raise InvalidInput(
                "The search query could not be understood. " + SEARCH_HELP,
                [FieldError(("query", "q"), "Not a valid search query. " + SEARCH_HELP)],
            )
        with self._session() as session:
            total = session.execute(text(f"SELECT count(*) {matches}"), params).scalar_one()
            found = session.execute(text(rows_sql), params).all()
        rows = {r.id: r for r in self.items([f[0] for f in found])}
        return total, [Hit(rows[i], round(float(score), 4), snippet) for i, score, snippet in found]


def _filtered(query: Any, filters: Filters) -> Any:
    if filters.authority:
        query = query.where(ItemRow.authority_id == filters.authority)
    if filters.document:
        query = query.where(ItemRow.document_id == filters.document)
    if filters.kind:
        query = query.where(ItemRow.kind == filters.kind)
    if filters.theme:
        themed = select(ItemThemeRow.item_id).where(ItemThemeRow.theme_id == filters.theme)
        query = query.where(col(ItemRow.id).in_(themed))
    return query


def _filter_sql(filters: Filters) -> tuple[str, dict[str, Any]]:
    clauses, params = [], {}
    for name in ("authority", "document", "kind"):
        value = getattr(filters, name)
        if value:
            column = {"authority": "authority_id", "document": "document_id", "kind": "kind"}[name]
            clauses.append(f"AND item.{column} = :{name}")
            params[name] = value
    if filters.theme:
        clauses.append("AND item.id IN (SELECT item_id FROM item_theme WHERE theme_id = :theme)")
        params["theme"] = filters.theme
    return " ".join(clauses), params


# -- the FTS5 syntax check -----------------------------------------------------------------

_fts5_lock = threading.Lock()
_fts5_check: sqlite3.Connection | None = None


def fts5_parses(q: str) -> bool:
    """Whether FTS5 can parse `q` as a query of the catalogue's index.

    Asked of an empty table of the same columns and tokenizer in a private
    in-memory database, so the answer is about the query alone: it cannot be
    a locked, missing or unreachable catalogue database.
    """
    global _fts5_check
    with _fts5_lock:  # one small connection for all threads; a check takes microseconds
        if _fts5_check is None:
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            connection.execute(FTS5_TABLE)
            _fts5_check = connection
        try:
            _fts5_check.execute(
                "SELECT count(*) FROM item_search WHERE item_search MATCH ?", (q,)
            ).fetchone()
        except sqlite3.Error:
            return False
    return True


# -- building ------------------------------------------------------------------------------


def _populate(session: Session, c: Catalogue) -> None:
    """(Re)create the tables in the session's transaction and fill them from the data."""
    connection = session.connection()
    dialect = connection.dialect.name
    tables = [SQLModel.metadata.tables[name] for name in TABLES]
    session.execute(text("DROP TABLE IF EXISTS catalogue_version"))
    if dialect == "sqlite":
        session.execute(text("DROP TABLE IF EXISTS item_search"))
    SQLModel.metadata.drop_all(connection, tables=tables)
    SQLModel.metadata.create_all(connection, tables=tables)
    session.add_all(AuthorityRow(**a.model_dump()) for a in c.authorities.values())
    session.add_all(
        DocumentRow(authority_id=c.document_authority[d.id], **d.model_dump())
        for d in c.documents.values()
    )
    session.add_all(ThemeRow(position=i, **t.model_dump()) for i, t in enumerate(c.themes.values()))
    session.flush()
    # An item's columns are its fields, less the two kept in other tables
    # (themes) or derived (children).
    session.add_all(
        ItemRow(
            **{k: v for k, v in asdict(item).items() if k not in ("themes", "children")},
            catalogue_order=order,
        )
        for order, item in enumerate(c.items.values())
    )
    session.flush()
    session.add_all(
        ItemThemeRow(item_id=item.id, theme_id=theme)
        for item in c.items.values()
        for theme in item.themes
    )
    session.flush()
    if dialect == "sqlite":
        session.execute(text(FTS5_TABLE))
        session.execute(
            text(
                "INSERT INTO item_search (item_id, title, text, section) "
                "SELECT id, coalesce(title, ''), text, section FROM item"
            )
        )
    # Written last, in the same transaction: present means complete.
    session.execute(text("CREATE TABLE catalogue_version (version VARCHAR(80) NOT NULL)"))
    session.execute(
        text("INSERT INTO catalogue_version (version) VALUES (:v)"), {"v": stored_version(c)}
    )


def _version_in(connection: Connection) -> str | None:
    if not inspect(connection).has_table("catalogue_version"):
        return None
    found = connection.execute(text("SELECT version FROM catalogue_version")).scalar()
    return None if found is None else str(found)


def _server_engine(url: URL) -> Engine:
    # Pre-ping: a pooled connection the server has dropped (a restart, a
    # failover) is replaced rather than failing a request.
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        # Bounded waits: a server that does not answer fails the request
        # (503) instead of holding one of the thread pool's threads for ever.
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_SECONDS
        if "options" not in url.query:
            connect_args["options"] = f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}"
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _build_shared(engine: Engine, c: Catalogue) -> None:
    """PostgreSQL (or another server): one process rebuilds, the others find it done."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Loading, or waiting for another process to load, may take longer
            # than a request's statement timeout.
            connection.execute(text("SET LOCAL statement_timeout = 0"))
            # Held to the end of the transaction: a second process starting
            # at the same time waits here, then finds the version below.
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
        if _version_in(connection) == stored_version(c):
            log.info("Catalogue %s already loaded in the database", c.version)
            return
        with Session(connection) as session:
            _populate(session, c)
            session.flush()
    log.info("Catalogue %s loaded into the database", c.version)


def _sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        return None
    if database.startswith("file:"):
        # A URI filename: the form embedded_url() uses, for a memory database
        # (handled above); a file named this way is not supported.
        raise ValueError("DATABASE_URL: name a SQLite file by its path, not a file: URI")
    return Path(database).resolve()


def _sqlite_engine(url: URL, read_only: Path | None = None) -> Engine:
    # One pool for all worker threads (up to 40 in FastAPI's thread pool);
    # SQLite's own locking keeps them apart. QueuePool, not the per-thread
    # pool SQLAlchemy would pick for a memory database, because the keeper
    # connection of a memory database must never be recycled.
    options: dict[str, Any] = {
        "connect_args": {"check_same_thread": False},
        "poolclass": QueuePool,
        "pool_size": 8,
        "max_overflow": 32,
    }
    if read_only is not None:
        # Read-only and never created: if the file goes away, a new
        # connection fails (503) instead of creating an empty database.
        uri = read_only.as_uri() + "?mode=ro"
        options["creator"] = lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _sqlite_read_uncommitted)
    return engine


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if need be), waiting a bounded time."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + FILE_LOCK_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{path} stayed locked for {FILE_LOCK_SECONDS:g} s"
                    ) from None
                time.sleep(FILE_LOCK_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # releases the lock


def _file_version(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)) as db:
            row = db.execute("SELECT version FROM catalogue_version").fetchone()
    except sqlite3.Error:
        return None  # not a catalogue, or an older one without the table: rebuild
    return None if row is None else str(row[0])


def _build_file(path: Path, c: Catalogue) -> None:
    """A SQLite file: built once per data version, under a lock, replaced whole."""
    # The version row is written in the same transaction as the data, and the
    # file is only ever replaced whole: a file that has it is complete, and is
    # used without the lock (so a read-only directory holding a built file works).
    if _file_version(path) == stored_version(c):
        log.info("Catalogue %s already loaded in %s", c.version, path.name)
        return
    with _file_lock(path.with_name(path.name + ".lock")):
        if _file_version(path) == stored_version(c):
            log.info("Catalogue %s already loaded in %s", c.version, path.name)
            return
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.building")
        try:
            engine = create_engine(f"sqlite+pysqlite:///{temporary}", poolclass=NullPool)
            try:
                with Session(engine) as session:
                    _populate(session, c)
                    session.commit()
            finally:
                engine.dispose()
            # The file at `path` is only ever replaced whole, never written in
            # place, so a journal beside it is left from something else and
            # must not be replayed onto the new file.
            for stale in ("-journal", "-wal", "-shm"):
                path.with_name(path.name + stale).unlink(missing_ok=True)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    log.info("Catalogue %s loaded into %s", c.version, path.name)


def _sqlite_read_uncommitted(dbapi_connection: Any, _: Any) -> None:
    # Shared-cache connections would otherwise take table locks on every
    # read; the catalogue is written once at start-up and then only read.
    dbapi_connection.execute("PRAGMA read_uncommitted = 1")

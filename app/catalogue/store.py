"""The catalogue database: built from the validated data at start-up, then read-only.

By default an embedded in-memory SQLite database (one per process), searched
with FTS5. `DATABASE_URL` may name a SQLite file or a PostgreSQL database
instead; PostgreSQL is searched with its own full-text search.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, event, func, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, SQLModel, col, create_engine, select

from app.catalogue.data import Catalogue
from app.catalogue.models import AuthorityRow, DocumentRow, ItemRow, ItemThemeRow, ThemeRow
from app.domain.errors import FieldError, InvalidInput, NotFound

MARK_START, MARK_END = "<mark>", "</mark>"
Row = TypeVar("Row", AuthorityRow, DocumentRow, ItemRow, ThemeRow)

SEARCH_HELP = (
    'Search with words, "quoted phrases", AND, OR, NOT, and prefix* (SQLite FTS5 query syntax).'
)


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


class CatalogueStore:
    def __init__(self, engine: Engine, catalogue: Catalogue) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.dialect = engine.dialect.name
        # Keeps an in-memory SQLite database alive for the life of the store.
        self._keeper = engine.connect() if self.dialect == "sqlite" else None

    @classmethod
    def build(cls, catalogue: Catalogue, url: str | None = None) -> CatalogueStore:
        url = url or embedded_url()
        if url.startswith("sqlite"):
            # One pool for all worker threads (up to 40 in FastAPI's thread
            # pool); SQLite's own locking keeps them apart. QueuePool, not the
            # per-thread pool SQLAlchemy would pick for a memory database,
            # because the keeper connection below must never be recycled.
            engine = create_engine(
                url,
                connect_args={"check_same_thread": False},
                poolclass=QueuePool,
                pool_size=8,
                max_overflow=32,
            )
        else:
            engine = create_engine(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_read_uncommitted)
        store = cls(engine, catalogue)
        store._load()
        return store

    # -- loading -----------------------------------------------------------------------

    def _load(self) -> None:
        c = self.catalogue
        tables = [
            SQLModel.metadata.tables[name]
            for name in ("authority", "document", "theme", "item", "item_theme")
        ]
        with Session(self.engine) as session:
            if self.dialect == "sqlite":
                session.exec(text("DROP TABLE IF EXISTS item_search"))  # type: ignore[call-overload]
            SQLModel.metadata.drop_all(self.engine, tables=tables)
            SQLModel.metadata.create_all(self.engine, tables=tables)
            session.add_all(AuthorityRow(**a.model_dump()) for a in c.authorities.values())
            session.add_all(
                DocumentRow(authority_id=c.document_authority[d.id], **d.model_dump())
                for d in c.documents.values()
            )
            session.add_all(
                ThemeRow(position=i, **t.model_dump()) for i, t in enumerate(c.themes.values())
            )
            session.flush()
            # An item's columns are its fields, less the two kept in other
            # tables (themes) or derived (children).
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
            if self.dialect == "sqlite":
                session.exec(  # type: ignore[call-overload]
                    text(
                        "CREATE VIRTUAL TABLE item_search USING fts5("
                        "item_id UNINDEXED, title, text, section, "
                        "tokenize = 'porter unicode61 remove_diacritics 2')"
                    )
                )
                session.exec(  # type: ignore[call-overload]
                    text(
                        "INSERT INTO item_search (item_id, title, text, section) "
                        "SELECT id, coalesce(title, ''), text, section FROM item"
                    )
                )
            session.commit()

    # -- reading -----------------------------------------------------------------------

    def _get(self, model: type[Row], key: str, what: str, listing: str) -> Row:
        with Session(self.engine) as session:
            row = session.get(model, key)
        if row is None:
            raise NotFound(f"No {what} with id {key!r}; see GET {listing}.")
        return row

    def authorities(self) -> list[AuthorityRow]:
        with Session(self.engine) as session:
            return list(session.exec(select(AuthorityRow).order_by(AuthorityRow.id)))

    def authority(self, authority_id: str) -> AuthorityRow:
        return self._get(AuthorityRow, authority_id, "authority", "/v1/authorities")

    def documents(self, authority_id: str | None = None) -> list[DocumentRow]:
        query = select(DocumentRow).order_by(DocumentRow.authority_id, DocumentRow.id)
        if authority_id:
            query = query.where(DocumentRow.authority_id == authority_id)
        with Session(self.engine) as session:
            return list(session.exec(query))

    def document(self, document_id: str) -> DocumentRow:
        return self._get(DocumentRow, document_id, "document", "/v1/documents")

    def document_items(self, document_id: str) -> list[ItemRow]:
        query = (
            select(ItemRow)
            .where(ItemRow.document_id == document_id)
            .order_by(col(ItemRow.position))
        )
        with Session(self.engine) as session:
            return list(session.exec(query))

    def item(self, item_id: str) -> ItemRow:
        return self._get(ItemRow, item_id, "standard", "/v1/standards")

    def items(self, ids: Sequence[str]) -> list[ItemRow]:
        if not ids:
            return []
        with Session(self.engine) as session:
            rows = {r.id: r for r in session.exec(select(ItemRow).where(col(ItemRow.id).in_(ids)))}
        return [rows[i] for i in ids if i in rows]

    def children(self, item_id: str) -> list[ItemRow]:
        query = select(ItemRow).where(ItemRow.parent_id == item_id).order_by(col(ItemRow.position))
        with Session(self.engine) as session:
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
        with Session(self.engine) as session:
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
        with Session(self.engine) as session:
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
        with Session(self.engine) as session:
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
        try:
            with Session(self.engine) as session:
                total = session.execute(text(f"SELECT count(*) {matches}"), params).scalar_one()
                found = session.execute(text(rows_sql), params).all()
        except DBAPIError as exc:
            # The only caller-supplied text in these statements is the query,
            # bound as a parameter: a failure here is the query's syntax.
            raise InvalidInput(
                "The search query could not be understood. " + SEARCH_HELP,
                [FieldError(("query", "q"), "Not a valid search query. " + SEARCH_HELP)],
            ) from exc
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


def _sqlite_read_uncommitted(dbapi_connection: Any, _: Any) -> None:
    # Shared-cache connections would otherwise take table locks on every
    # read; the catalogue is written once at start-up and then only read.
    dbapi_connection.execute("PRAGMA read_uncommitted = 1")

"""The practice standards catalogue: authorities, documents, standards, themes."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from app.catalogue.data import KINDS, catalogue
from app.catalogue.models import DocumentRow, ItemRow
from app.catalogue.store import SEARCH_HELP, CatalogueStore, Filters, Hit
from app.deps import CatalogueDep, StoreDep
from app.problems import problem_responses
from app.routers.caching import NOT_MODIFIED, reference
from app.routers.params import DIGITS_ONLY, check_known, listed, member_of

router = APIRouter(prefix="/v1", tags=["catalogue"])


# Filters admit only the catalogue's own values: the schema lists the bundled
# catalogue's (enum), and the handlers check the app's own (check_known), so an
# unknown value is a 422 that names them.
_bundled = catalogue()
AuthorityFilter = Annotated[str | None, listed(_bundled.authorities, "Only this council's items.")]
DocumentFilter = Annotated[str | None, listed(_bundled.documents, "Only this document's items.")]
ThemeFilter = Annotated[str | None, listed(_bundled.themes, "Only items of this theme.")]
KindFilter = Annotated[str | None, member_of(KINDS), listed(KINDS, "Only items of this kind.")]
# Ids in paths are checked against the data by the store: unknown is a 404.
IdPath = Annotated[str, Path(max_length=120, pattern=r"^[a-z0-9][a-z0-9.-]*$")]


REFERENCE = {**NOT_MODIFIED, **problem_responses(422)}
REFERENCE_BY_ID = {**NOT_MODIFIED, **problem_responses(404, 422)}


# -- response models -------------------------------------------------------------------------


class DocumentSummary(BaseModel):
    id: str
    title: str
    published: str = Field(
        description="Publication (or approval) date as printed: YYYY-MM or YYYY-MM-DD."
    )


class Authority(BaseModel):
    id: str = Field(examples=["gloucestershire"])
    name: str
    gss_code: str = Field(description="ONS GSS code of the local authority.")
    default_calendar: str
    item_count: int
    documents: list[DocumentSummary]


class Document(BaseModel):
    id: str
    authority: str
    title: str
    published: str
    review: str | None = Field(description="Review date or frequency as printed, if stated.")
    seed_file: str = Field(description="The plain-text source the catalogue was copied from.")
    item_count: int
    kinds: dict[str, int] = Field(description="Number of items of each kind.")


class ItemCore(BaseModel):
    id: str
    kind: str
    number: str | None = Field(description="The number as printed, if the item is numbered.")
    title: str | None
    text: str = Field(description="Verbatim text; one line per paragraph or bullet.")
    section: str = Field(description="The section heading of the source it sits under.")
    themes: list[str]
    fields: dict[str, str] | None = Field(
        description="For table rows: the verbatim cells (e.g. frequency, responsibility)."
    )


class TreeItem(ItemCore):
    children: list[TreeItem]


class DocumentTree(Document):
    items: list[TreeItem] = Field(description="The document's items as a tree, in document order.")


class Standard(ItemCore):
    authority: str
    document: str
    parent: str | None
    position: int = Field(description="Order within the document, from 0.")
    score: float | None = Field(description="Search relevance (higher is better) when q is given.")
    snippet: str | None = Field(
        description="When q is given: the text around the match, matches in <mark>...</mark>."
    )


class Page(BaseModel):
    total: int = Field(description="Matching items before paging.")
    limit: int
    offset: int
    items: list[Standard]


class ItemSummary(BaseModel):
    id: str
    kind: str
    number: str | None
    title: str | None


class Source(BaseModel):
    document: str
    document_title: str
    seed_file: str
    section: str


class StandardDetail(Standard):
    parent_item: ItemSummary | None
    children: list[ItemSummary]
    source: Source


class Theme(BaseModel):
    id: str
    name: str
    description: str
    item_count: int
    by_authority: dict[str, int] = Field(description="Items of the theme per authority.")


class AuthorityItems(BaseModel):
    authority: str
    name: str
    items: list[Standard]


class ThemeDetail(Theme):
    authorities: list[AuthorityItems] = Field(
        description="The theme's items grouped by authority, for side-by-side comparison."
    )


# -- shaping ---------------------------------------------------------------------------------


def _core(row: ItemRow, themes: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "number": row.number,
        "title": row.title,
        "text": row.text,
        "section": row.section,
        "themes": themes.get(row.id, []),
        "fields": row.fields,
    }


def _standard(hit: Hit, themes: dict[str, list[str]]) -> Standard:
    row = hit.item
    return Standard(
        **_core(row, themes),
        authority=row.authority_id,
        document=row.document_id,
        parent=row.parent_id,
        position=row.position,
        score=hit.score,
        snippet=hit.snippet,
    )


def _standards(store: CatalogueStore, hits: list[Hit]) -> list[Standard]:
    themes = store.themes_of([h.item.id for h in hits])
    return [_standard(h, themes) for h in hits]


def _document(row: DocumentRow, items: list[ItemRow]) -> dict[str, Any]:
    return {
        "id": row.id,
        "authority": row.authority_id,
        "title": row.title,
        "published": row.published,
        "review": row.review,
        "seed_file": row.seed_file,
        "item_count": len(items),
        "kinds": dict(sorted(Counter(i.kind for i in items).items())),
    }


def _summary(row: ItemRow) -> ItemSummary:
    return ItemSummary(id=row.id, kind=row.kind, number=row.number, title=row.title)


# -- endpoints -------------------------------------------------------------------------------
# Each answer is computed once per catalogue version and query, off the event
# loop, and then served from memory (app/routers/caching.py). Its key holds the
# catalogue's version and every parameter the answer depends on.


@router.get(
    "/authorities",
    operation_id="list_authorities",
    response_model=list[Authority],
    responses=NOT_MODIFIED,
)
async def list_authorities(request: Request, store: StoreDep) -> Response:
    """The councils whose practice standards are catalogued."""
    return await reference(
        request,
        ("authorities", store.version),
        list[Authority],
        lambda: [_authority(store, a.id) for a in store.authorities()],
    )


@router.get(
    "/authorities/{authority_id}",
    operation_id="get_authority",
    response_model=Authority,
    responses=REFERENCE_BY_ID,
)
async def get_authority(request: Request, store: StoreDep, authority_id: IdPath) -> Response:
    """One council and its documents."""
    return await reference(
        request,
        ("authority", store.version, authority_id),
        Authority,
        lambda: _authority(store, authority_id),
    )


def _authority(store: CatalogueStore, authority_id: str) -> Authority:
    row = store.authority(authority_id)
    documents = store.documents(authority_id)
    return Authority(
        id=row.id,
        name=row.name,
        gss_code=row.gss_code,
        default_calendar=row.default_calendar,
        item_count=sum(len(store.document_items(d.id)) for d in documents),
        documents=[
            DocumentSummary(id=d.id, title=d.title, published=d.published) for d in documents
        ],
    )


@router.get(
    "/documents", operation_id="list_documents", response_model=list[Document], responses=REFERENCE
)
async def list_documents(
    request: Request,
    store: StoreDep,
    cat: CatalogueDep,
    authority: AuthorityFilter = None,
) -> Response:
    """The practice-standards documents in the catalogue."""
    check_known("authority", authority, cat.authorities)

    def produce() -> list[Document]:
        rows = store.documents(authority)
        return [Document(**_document(d, store.document_items(d.id))) for d in rows]

    return await reference(
        request, ("documents", store.version, authority), list[Document], produce, per_query=True
    )


@router.get(
    "/documents/{document_id}",
    operation_id="get_document",
    response_model=DocumentTree,
    responses=REFERENCE_BY_ID,
)
async def get_document(request: Request, store: StoreDep, document_id: IdPath) -> Response:
    """A whole document: every item, verbatim, as a tree in document order."""

    def produce() -> DocumentTree:
        row = store.document(document_id)
        items = store.document_items(row.id)
        themes = store.themes_of([i.id for i in items])
        nodes = {i.id: TreeItem(**_core(i, themes), children=[]) for i in items}
        roots: list[TreeItem] = []
        for i in items:  # items come in document order, parents before children
            (nodes[i.parent_id].children if i.parent_id else roots).append(nodes[i.id])
        return DocumentTree(**_document(row, items), items=roots)

    return await reference(request, ("document", store.version, document_id), DocumentTree, produce)


@router.get("/standards", operation_id="list_standards", response_model=Page, responses=REFERENCE)
async def list_standards(
    request: Request,
    store: StoreDep,
    cat: CatalogueDep,
    authority: AuthorityFilter = None,
    document: DocumentFilter = None,
    theme: ThemeFilter = None,
    kind: KindFilter = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description=SEARCH_HELP + " Results are ranked, with highlighted snippets.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200), DIGITS_ONLY] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000), DIGITS_ONLY] = 0,
) -> Response:
    """Standards, statements and every other item, filtered, searched and paged."""
    check_known("authority", authority, cat.authorities)
    check_known("document", document, cat.documents)
    check_known("theme", theme, cat.themes)
    filters = Filters(authority=authority, document=document, theme=theme, kind=kind)
    # A blank q is no search at all (the store treats it so): one key for both.
    query = q if q is not None and q.strip() else None

    def produce() -> Page:
        total, hits = store.search(filters, query, limit, offset)
        return Page(total=total, limit=limit, offset=offset, items=_standards(store, hits))

    return await reference(
        request,
        ("standards", store.version, filters, query, limit, offset),
        Page,
        produce,
        per_query=True,
    )


@router.get(
    "/standards/{standard_id}",
    operation_id="get_standard",
    response_model=StandardDetail,
    responses=REFERENCE_BY_ID,
)
async def get_standard(
    request: Request,
    store: StoreDep,
    standard_id: IdPath,
) -> Response:
    """One item with its parent, children and source."""

    def produce() -> StandardDetail:
        row = store.item(standard_id)
        themes = store.themes_of([row.id])
        document = store.document(row.document_id)
        parent = store.item(row.parent_id) if row.parent_id else None
        return StandardDetail(
            **_standard(Hit(row, None, None), themes).model_dump(),
            parent_item=_summary(parent) if parent else None,
            children=[_summary(c) for c in store.children(row.id)],
            source=Source(
                document=document.id,
                document_title=document.title,
                seed_file=document.seed_file,
                section=row.section,
            ),
        )

    return await reference(
        request, ("standard", store.version, standard_id), StandardDetail, produce
    )


@router.get(
    "/themes", operation_id="list_themes", response_model=list[Theme], responses=NOT_MODIFIED
)
async def list_themes(request: Request, store: StoreDep) -> Response:
    """The cross-authority themes, with how many items each council has in each."""

    def produce() -> list[Theme]:
        return [
            Theme(
                id=t.id,
                name=t.name,
                description=t.description,
                item_count=sum(counts.values()),
                by_authority=counts,
            )
            for t, counts in store.themes()
        ]

    return await reference(request, ("themes", store.version), list[Theme], produce)


@router.get(
    "/themes/{theme_id}",
    operation_id="get_theme",
    response_model=ThemeDetail,
    responses=REFERENCE_BY_ID,
)
async def get_theme(request: Request, store: StoreDep, theme_id: IdPath) -> Response:
    """One theme's items grouped by council, to compare what each says."""

    def produce() -> ThemeDetail:
        theme = store.theme(theme_id)
        total, hits = store.search(Filters(theme=theme.id), None, limit=10_000, offset=0)
        standards = _standards(store, hits)
        names = {a.id: a.name for a in store.authorities()}
        grouped: dict[str, list[Standard]] = {}
        for s in standards:
            grouped.setdefault(s.authority, []).append(s)
        return ThemeDetail(
            id=theme.id,
            name=theme.name,
            description=theme.description,
            item_count=total,
            by_authority={a: len(items) for a, items in grouped.items()},
            authorities=[
                AuthorityItems(authority=a, name=names[a], items=items)
                for a, items in grouped.items()
            ],
        )

    return await reference(request, ("theme", store.version, theme_id), ThemeDetail, produce)

"""The catalogue's pages: search across the councils' standards, one standard, a
council's document as its tree, a theme across the councils, and a requirement
compared across the statutory baseline and every council.

Each reads what the API's handlers read (app/routers/catalogue.py and
timescales.py): the catalogue store and the rulebook, through the same
dependencies. Nothing here counts a date. An unknown id is the HTML "page not
found" page, not a problem: these are pages for people.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from app.catalogue.data import KINDS
from app.catalogue.models import ItemRow
from app.catalogue.store import MARK_END, MARK_START, SEARCH_HELP, Filters, Hit
from app.deps import CatalogueDep, RulesDep, StoreDep
from app.domain.plans import Count
from app.domain.rules import BASELINE, Rule
from app.errors import InvalidInput, NotFound
from app.web.templating import not_found, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
MAX_QUERY = 200  # as GET /v1/standards allows
# The store pages up to offset 100,000, as GET /v1/standards does.
MAX_PAGE = 100_000 // PAGE_SIZE
KIND_NAMES = {kind: kind.replace("_", " ") for kind in KINDS}


def highlighted(snippet: str) -> Markup:
    """A search snippet, every character escaped, and then only the store's own
    highlight markers turned back into <mark> elements."""
    escaped = str(escape(snippet))
    return Markup(
        escaped.replace(str(escape(MARK_START)), "<mark>").replace(str(escape(MARK_END)), "</mark>")
    )


def _label(row: ItemRow) -> str:
    """How a person names an item: its number and title, or its kind."""
    parts = [p for p in (row.number, row.title) if p]
    return " ".join(parts) if parts else KIND_NAMES.get(row.kind, row.kind).capitalize()


# -- search ---------------------------------------------------------------------------


@dataclass
class SearchError:
    field: str  # the id of the form field at fault
    message: str


@dataclass
class PageLink:
    number: int | None  # None: the ellipsis
    href: str = ""
    current: bool = False


@dataclass
class Pagination:
    previous: str | None
    next: str | None
    pages: list[PageLink] = field(default_factory=list)


def _pagination(params: dict[str, str], page: int, pages: int) -> Pagination | None:
    """GOV.UK pagination: the first, last and neighbouring pages, ellipses between."""
    if pages <= 1:
        return None

    def href(n: int) -> str:
        return "?" + urlencode({**params, "page": str(n)})

    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    links: list[PageLink] = []
    for n in shown:
        if links and links[-1].number is not None and n - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(n, href(n), n == page))
    return Pagination(
        href(page - 1) if page > 1 else None, href(page + 1) if page < pages else None, links
    )


@router.get("/", response_class=HTMLResponse)
def search(request: Request, store: StoreDep, cat: CatalogueDep, book: RulesDep) -> HTMLResponse:
    """The start page: search and filter every council's standards."""
    given = request.query_params
    q = given.get("q", "").strip()
    chosen = {name: given.get(name, "") for name in ("authority", "document", "theme", "kind")}
    errors: list[SearchError] = []
    if len(q) > MAX_QUERY:
        errors.append(SearchError("q", f"Search for {MAX_QUERY} characters or fewer"))
    known: dict[str, Mapping[str, object]] = {
        "authority": cat.authorities,
        "document": cat.documents,
        "theme": cat.themes,
        "kind": KIND_NAMES,
    }
    for name, value in chosen.items():
        if value and value not in known[name]:
            errors.append(SearchError(name, f"Choose a {name} from the list"))
    page_text = given.get("page", "1")
    page = int(page_text) if page_text.isdigit() and page_text.isascii() else 0
    if not 1 <= page <= MAX_PAGE:
        errors.append(SearchError("page", f"Choose a page from 1 to {MAX_PAGE}"))
        page = 1

    searched = bool(q or any(chosen.values()))
    total, hits = 0, list[Hit]()
    if searched and not errors:
        filters = Filters(**{k: v or None for k, v in chosen.items()})
        try:
            total, hits = store.search(filters, q or None, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        except InvalidInput:
            errors.append(SearchError("q", "Check your search: " + SEARCH_HELP))
    params = {k: v for k, v in {"q": q, **chosen}.items() if v}
    results = [
        {
            "id": h.item.id,
            "label": _label(h.item),
            "authority": cat.authorities[h.item.authority_id].name,
            "document": cat.documents[h.item.document_id].title,
            "section": h.item.section,
            "kind": KIND_NAMES.get(h.item.kind, h.item.kind),
            "snippet": highlighted(h.snippet) if h.snippet else None,
            "text": h.item.text,
        }
        for h in hits
    ]
    pages = math.ceil(total / PAGE_SIZE)
    documents = [
        (d, cat.authorities[cat.document_authority[d.id]].name) for d in cat.documents.values()
    ]
    return render(
        request,
        "search.html",
        {
            "q": q,
            "chosen": chosen,
            "errors": errors,
            "searched": searched,
            "total": total,
            "page": page,
            "first": (page - 1) * PAGE_SIZE + 1,
            "last": min(page * PAGE_SIZE, total),
            "results": results,
            "pagination": _pagination(params, page, min(pages, MAX_PAGE)),
            "authority_options": [
                (a.id, a.name) for a in sorted(cat.authorities.values(), key=lambda a: a.name)
            ],
            "theme_options": [(t.id, t.name) for t in cat.themes.values()],
            "documents": documents,
            "documents_options": [(d.id, f"{d.title} ({council})") for d, council in documents],
            "themes": list(cat.themes.values()),
            "kinds": KIND_NAMES,
            "requirements": book.vocabulary.requirements,
            "help": SEARCH_HELP,
        },
        status_code=400 if errors else 200,
    )


# -- one standard ------------------------------------------------------------------------


@router.get("/standards/{standard_id}", response_class=HTMLResponse)
def standard(
    request: Request, store: StoreDep, cat: CatalogueDep, standard_id: str
) -> HTMLResponse:
    """One item verbatim, where it sits in its document, and how to cite it."""
    try:
        row = store.item(standard_id)
    except NotFound:
        return not_found(request, "standard with the id " + repr(standard_id))
    parent = store.item(row.parent_id) if row.parent_id else None
    children = store.children(row.id)
    document = store.document(row.document_id)
    # The path from the document down to the item: its ancestors, outermost first.
    ancestors: list[ItemRow] = []
    at = parent
    for _ in range(len(cat.items)):  # bounded by the catalogue's size
        if at is None:
            break
        ancestors.insert(0, at)
        at = store.item(at.parent_id) if at.parent_id else None
    theme_ids = store.themes_of([row.id]).get(row.id, [])
    return render(
        request,
        "standard.html",
        {
            "item": row,
            "label": _label(row),
            "kind": KIND_NAMES.get(row.kind, row.kind),
            "authority": cat.authorities[row.authority_id],
            "document": document,
            "ancestors": [(a, _label(a)) for a in ancestors],
            "children": [(c, _label(c)) for c in children],
            "themes": [cat.themes[t] for t in theme_ids],
            "cite_url": str(request.url_for("standard", standard_id=row.id)),
        },
    )


# -- a document as its tree -----------------------------------------------------------------


@dataclass
class Node:
    item: ItemRow
    label: str
    kind: str
    themes: list[str]
    children: list[Node] = field(default_factory=list)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(
    request: Request, store: StoreDep, cat: CatalogueDep, document_id: str
) -> HTMLResponse:
    """A council's document, every item verbatim, as its tree."""
    try:
        row = store.document(document_id)
    except NotFound:
        return not_found(request, "document with the id " + repr(document_id))
    items = store.document_items(row.id)
    themes = store.themes_of([i.id for i in items])
    nodes = {
        i.id: Node(i, _label(i), KIND_NAMES.get(i.kind, i.kind), themes.get(i.id, []))
        for i in items
    }
    roots: list[Node] = []
    for i in items:  # in document order, parents before children (as GET /v1/documents/{id})
        (nodes[i.parent_id].children if i.parent_id else roots).append(nodes[i.id])
    return render(
        request,
        "document.html",
        {
            "document": row,
            "authority": cat.authorities[row.authority_id],
            "roots": roots,
            "count": len(items),
            "theme_names": {t.id: t.name for t in cat.themes.values()},
        },
    )


# -- a theme across the councils --------------------------------------------------------------


@router.get("/themes/{theme_id}", response_class=HTMLResponse)
def theme(request: Request, store: StoreDep, cat: CatalogueDep, theme_id: str) -> HTMLResponse:
    """One theme's items, a section per council, to compare what each says."""
    try:
        row = store.theme(theme_id)
    except NotFound:
        return not_found(request, "theme with the id " + repr(theme_id))
    # Every item of the theme, as GET /v1/themes/{id} reads them.
    total, hits = store.search(Filters(theme=row.id), None, limit=10_000, offset=0)
    grouped: dict[str, list[ItemRow]] = {}
    for h in hits:
        grouped.setdefault(h.item.authority_id, []).append(h.item)
    councils = [
        {
            "authority": cat.authorities[a],
            "items": [(i, _label(i), cat.documents[i.document_id].title) for i in items],
        }
        for a, items in sorted(grouped.items(), key=lambda kv: cat.authorities[kv[0]].name)
    ]
    without = sorted(
        (a for a in cat.authorities.values() if a.id not in grouped), key=lambda a: a.name
    )
    return render(
        request,
        "theme.html",
        {"theme": row, "total": total, "councils": councils, "without": without},
    )


# -- a requirement across the statutory baseline and the councils -------------------------------


def _due_words(rule: Rule) -> str | None:
    """The rule's first deadline as its data states it ("15 working days after
    strategy_discussion"): words for the offset, not a date."""
    due = rule.due
    if due is None or rule.anchor is None:
        return None
    anchor = rule.anchor
    if anchor.event:
        start = anchor.event.replace("_", " ")
    elif anchor.birthday is not None:
        start = f"the child's {anchor.birthday}th birthday"
    elif anchor.episode_start:
        start = "the start of the episode"
    else:
        start = "the child becoming eligible"
    amount = Count(due.amount, due.unit).describe()
    if due.amount == 0:
        return f"{amount} of {start}"
    return f"{amount} {due.direction} {start}"


def _then_words(rule: Rule) -> list[str]:
    return [
        f"then every {Count(s.every.amount, s.every.unit).describe()}"
        + (f", {s.times} times" if s.times else "")
        for s in rule.then
    ]


@router.get("/requirements/{code}", response_class=HTMLResponse)
def requirement(request: Request, book: RulesDep, cat: CatalogueDep, code: str) -> HTMLResponse:
    """One requirement: the statutory baseline and each council's own timescale,
    side by side, each with its quote and citation (GET /v1/requirements/{code})."""
    if code not in book.vocabulary.requirements:
        return not_found(request, "requirement with the code " + repr(code))
    info = book.vocabulary.requirements[code]
    columns = []
    for ruleset in (BASELINE, *cat.authorities):
        name = (
            book.rulesets[ruleset].name
            if ruleset in book.rulesets
            else cat.authorities[ruleset].name
        )
        rules = book.rulesets[ruleset].rules if ruleset in book.rulesets else ()
        columns.append(
            {
                "ruleset": ruleset,
                "name": name,
                "statutory": ruleset == BASELINE,
                "rules": [
                    {"rule": r, "due": _due_words(r), "then": _then_words(r)}
                    for r in rules
                    if r.requirement == code
                ],
            }
        )
    baseline, councils = columns[0], sorted(columns[1:], key=lambda c: str(c["name"]))
    return render(
        request,
        "requirement.html",
        {
            "code": code,
            "title": info["title"],
            "subject": info["subject"],
            "baseline": baseline,
            "councils": councils,
        },
    )

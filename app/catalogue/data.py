"""Load and validate the catalogue data files (app/data/catalogue/*.yaml).

Each file is one council document: its authority, the document, the page
furniture of its seed, and its items in document order. Validation runs at
start-up; anything wrong stops the service with a message that names the file
and the item, because a catalogue that silently drops or garbles a standard is
worse than no catalogue.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.catalogue.verbatim import missing_lines, normalised_seed
from app.datafiles import DATA_DIR, describe, load_yaml

CATALOGUE_DIR = DATA_DIR / "catalogue"
SEEDS_DIR = DATA_DIR / "seeds"
THEMES_FILE = DATA_DIR / "themes.yaml"

# The kinds of item the five documents set out. A closed set: a new kind is a
# deliberate change to the API, not something a data file can introduce.
Kind = Literal[
    "standard",  # a headline practice standard
    "standard_detail",  # Sunderland's "Practice Standards in Detail" (10, beside the list of 11)
    "statement",  # a numbered statement or a bullet point under a standard
    "aim",  # Gloucestershire: the aims of a standard
    "outcome",  # Gloucestershire: the outcomes of a standard
    "key_timescale",  # Gloucestershire: "Key timescales"
    "practice_guide",  # Sunderland: practice guides 1-9
    "guide_point",  # a point of a practice guide
    "principle",  # general principles; practice-model principles
    "qa_activity",  # West Sussex: a row of the QA activity table
    "audit_stage",  # West Sussex: audit stages 1-3
    "grading",  # West Sussex: a row of the grading scale
    "rubric",  # West Sussex: "What good looks like", one grade of one area
    "iro_principle",  # West Sussex: IRO footprint principles
    "pillar",  # Redcar & Cleveland: the five pillars of practice
    "measure",  # Redcar & Cleveland: a measure of practice and its responsibility
    "section",  # a heading or introduction that groups items
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
ID_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"


class CatalogueDataError(Exception):
    """A data file is broken; the message names the file and the item."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThemeData(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)


class AuthorityData(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    gss_code: str = Field(pattern=r"^E\d{8}$")
    default_calendar: Literal["england-and-wales", "scotland", "northern-ireland"]


class DocumentData(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    published: str = Field(pattern=r"^\d{4}-\d{2}(-\d{2})?$", description="YYYY-MM or YYYY-MM-DD")
    review: str | None = None
    seed_file: str = Field(min_length=1)


class ItemData(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: Kind
    number: str | None = None
    title: str | None = None
    text: str = Field(min_length=1)
    parent: str | None = None
    section: str = Field(min_length=1)
    themes: tuple[str, ...] = Field(min_length=1)
    fields: dict[str, str] | None = None


class CatalogueFileData(_Strict):
    authority: AuthorityData
    document: DocumentData
    page_furniture: tuple[str, ...] = ()
    items: tuple[ItemData, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Item:
    id: str
    authority_id: str
    document_id: str
    kind: str
    number: str | None
    title: str | None
    text: str
    parent_id: str | None
    position: int  # order within its document, from 0
    section: str
    themes: tuple[str, ...]
    fields: dict[str, str] | None
    children: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Catalogue:
    authorities: dict[str, AuthorityData]
    documents: dict[str, DocumentData]
    document_authority: dict[str, str]
    themes: dict[str, ThemeData]
    items: dict[str, Item]  # in document order, documents in file-name order
    version: str  # digest of the data files: changes whenever the catalogue does
    page_furniture: dict[str, tuple[str, ...]]  # by document id


def load_themes(path: Path = THEMES_FILE) -> dict[str, ThemeData]:
    raw = load_yaml(path, CatalogueDataError)
    try:
        themes = [ThemeData.model_validate(t) for t in raw]
    except (ValidationError, TypeError) as exc:
        raise CatalogueDataError(f"{path.name}: {exc}") from exc
    duplicates = [t for t, n in Counter(t.id for t in themes).items() if n > 1]
    if duplicates:
        raise CatalogueDataError(f"{path.name}: duplicate theme ids {duplicates}")
    return {t.id: t for t in themes}


def load(
    directory: Path = CATALOGUE_DIR,
    themes_path: Path = THEMES_FILE,
    seeds: Path = SEEDS_DIR,
    check_verbatim: bool = True,
) -> Catalogue:
    themes = load_themes(themes_path)
    authorities: dict[str, AuthorityData] = {}
    documents: dict[str, DocumentData] = {}
    document_authority: dict[str, str] = {}
    items: dict[str, Item] = {}
    furniture: dict[str, tuple[str, ...]] = {}
    digest = hashlib.sha256(themes_path.read_bytes())
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise CatalogueDataError(f"{directory}: no catalogue files")
    for path in paths:
        digest.update(path.read_bytes())
        raw = load_yaml(path, CatalogueDataError)
        try:
            data = CatalogueFileData.model_validate(raw)
        except ValidationError as exc:
            raise CatalogueDataError(describe(path, raw, exc, "items", "item")) from exc
        _check_file(path, data, themes, items, documents, seeds, check_verbatim)
        authority, document = data.authority, data.document
        if authority.id in authorities and authorities[authority.id] != authority:
            raise CatalogueDataError(f"{path.name}: authority {authority.id} differs between files")
        authorities[authority.id] = authority
        documents[document.id] = document
        document_authority[document.id] = authority.id
        furniture[document.id] = data.page_furniture
        for position, d in enumerate(data.items):
            items[d.id] = Item(
                id=d.id,
                authority_id=authority.id,
                document_id=document.id,
                kind=d.kind,
                number=d.number,
                title=d.title,
                text=d.text,
                parent_id=d.parent,
                position=position,
                section=d.section,
                themes=d.themes,
                fields=d.fields,
            )
            if d.parent:
                items[d.parent].children.append(d.id)
    return Catalogue(
        authorities=dict(sorted(authorities.items())),
        documents=documents,
        document_authority=document_authority,
        themes=themes,
        items=items,
        version=digest.hexdigest()[:16],
        page_furniture=furniture,
    )


def _check_file(
    path: Path,
    data: CatalogueFileData,
    themes: dict[str, ThemeData],
    seen: dict[str, Item],
    documents: dict[str, DocumentData],
    seeds: Path,
    check_verbatim: bool,
) -> None:
    def fail(item_id: str, problem: str) -> CatalogueDataError:
        return CatalogueDataError(f"{path.name}: item {item_id}: {problem}")

    if data.document.id in documents:
        raise CatalogueDataError(f"{path.name}: document id {data.document.id} is used twice")
    seed_path = seeds / data.document.seed_file
    if not seed_path.is_file():
        raise CatalogueDataError(f"{path.name}: seed file {data.document.seed_file} not found")
    seed = normalised_seed(seed_path, data.page_furniture) if check_verbatim else ""
    in_file: set[str] = set()
    for item in data.items:
        if item.id in seen or item.id in in_file:
            raise fail(item.id, "duplicate id")
        if not item.id.startswith(data.authority.id + "-"):
            raise fail(item.id, f"id must start with '{data.authority.id}-'")
        if item.parent is not None and item.parent not in in_file:
            raise fail(item.id, f"parent {item.parent} is not an earlier item of this document")
        unknown = [t for t in item.themes if t not in themes]
        if unknown:
            raise fail(item.id, f"unknown themes {unknown}; themes are listed in themes.yaml")
        if check_verbatim:
            texts = [item.text, item.title or "", *(item.fields or {}).values()]
            for text in texts:
                missing = missing_lines(text, seed)
                if missing:
                    raise fail(item.id, f"text not verbatim in {seed_path.name}: {missing[0]!r}")
        in_file.add(item.id)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue, loaded and validated once per process."""
    return load()

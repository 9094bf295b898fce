"""What a handler needs of the application, as FastAPI dependencies.

`create_app()` (app/main.py) loads the reference data once and keeps it on
`app.state.reference` (an `app.reference.ReferenceData`), and the catalogue's
store built from it on `app.state.catalogue_store`; a handler asks for its part by type,
through the `Annotated` aliases below, instead of calling a module-level
loader, so that an application built on other data answers from that data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.calendars import BankHolidayData
from app.catalogue.data import Catalogue
from app.catalogue.store import CatalogueStore
from app.domain.rules import Rulebook
from app.reference import ReferenceData


def reference_of(request: Request) -> ReferenceData:
    """The reference data of the application serving `request`."""
    found: ReferenceData = request.app.state.reference
    return found


async def get_reference(request: Request) -> ReferenceData:
    """All of it, for the handlers that use several parts (the deadlines)."""
    return reference_of(request)


# Async, so that FastAPI calls them on the event loop rather than sending each
# (a dictionary read) to the thread pool.
async def get_catalogue(request: Request) -> Catalogue:
    return reference_of(request).catalogue


async def get_rulebook(request: Request) -> Rulebook:
    return reference_of(request).rulebook


async def get_bank_holidays(request: Request) -> BankHolidayData:
    return reference_of(request).bank_holidays


async def get_store(request: Request) -> CatalogueStore:
    """The catalogue's store. Tests may swap `app.state.catalogue_store` for
    another (tests/test_store_workers.py), so it is read from there."""
    store: CatalogueStore = request.app.state.catalogue_store
    return store


ReferenceDep = Annotated[ReferenceData, Depends(get_reference)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
RulesDep = Annotated[Rulebook, Depends(get_rulebook)]
CalendarsDep = Annotated[BankHolidayData, Depends(get_bank_holidays)]
StoreDep = Annotated[CatalogueStore, Depends(get_store)]

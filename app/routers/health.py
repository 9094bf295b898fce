"""Liveness, readiness and status."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from app import __version__
from app.calendars import BankHolidayData
from app.catalogue.data import Catalogue
from app.catalogue.store import CatalogueStore, stored_version
from app.deps import CalendarsDep, CatalogueDep, RulesDep
from app.domain.rules import Rulebook
from app.errors import Unavailable
from app.routers.caching import NOT_MODIFIED, reference

router = APIRouter()

# Longer than this and the store counts as unreachable (the probe itself
# gives up after 2 s in deploy/base/deployment.yaml).
READY_CHECK_SECONDS = 1.5
NOT_READY_RETRY_AFTER = 5


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """Liveness: the process is up and answering."""
    return {"status": "ok"}


class Readiness:
    """At most one store check in flight per app, however many probes come.

    The check runs in the thread pool; a probe that gives up on a slow check
    leaves it running (a thread cannot be cancelled), and later probes wait
    on that same check instead of taking another thread each.
    """

    def __init__(self) -> None:
        self._check: asyncio.Future[str] | None = None

    async def stored_version(self, store: CatalogueStore) -> str:
        check = self._check
        # A new check when none is running on this loop (a finished one, or
        # one left on another loop, as a second TestClient makes).
        if check is None or check.done() or check.get_loop() is not asyncio.get_running_loop():
            check = self._check = asyncio.ensure_future(run_in_threadpool(store.ping))
            # Its failure is reported by the probes that await it; one that
            # finishes after they gave up must not be logged as unretrieved.
            check.add_done_callback(lambda f: f.cancelled() or f.exception())
        return await asyncio.wait_for(asyncio.shield(check), READY_CHECK_SECONDS)


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> dict[str, str]:
    """Readiness: reference data loaded and the catalogue store answering with it.

    200 `{"status": "ready", ...}`, or a 503 problem with Retry-After, so a
    load balancer stops sending requests here until it is ready again.
    """
    store: CatalogueStore | None = getattr(request.app.state, "catalogue_store", None)
    # create_app() loads the app's reference data before it serves anything;
    # an app without it (built some other way) is not ready.
    loaded = getattr(request.app.state, "reference", None) is not None
    if store is None or not loaded:
        raise Unavailable("Reference data is not loaded yet.", retry_after=NOT_READY_RETRY_AFTER)
    state: Readiness = request.app.state.readiness
    try:
        found = await state.stored_version(store)
    except TimeoutError:
        raise Unavailable(
            "The catalogue database did not answer in time.", retry_after=NOT_READY_RETRY_AFTER
        ) from None
    if found != stored_version(store.catalogue):
        raise Unavailable(
            "The catalogue database holds another version of the data.",
            retry_after=NOT_READY_RETRY_AFTER,
        )
    return {"status": "ready", "catalogue": store.version, "store": store.dialect}


class YearRange(BaseModel):
    first: int
    last: int


class BankHolidayDataStatus(BaseModel):
    source: str
    last_updated: str = Field(description="When the bundled GOV.UK data was last refreshed.")
    sha256: str = Field(description="Digest of the bundled GOV.UK file, to tell versions apart.")
    published_years: YearRange = Field(description="Years covered by GOV.UK's published data.")
    projected_years: YearRange = Field(
        description="Years covered by rule-based projection; answers touching them are provisional."
    )


class CatalogueStatus(BaseModel):
    version: str = Field(description="Digest of the catalogue data files; changes with any edit.")
    documents: int
    items: int


class RulesStatus(BaseModel):
    version: str = Field(description="Digest of the rules files; changes with any edit.")
    rulesets: dict[str, int] = Field(description="Rules per ruleset (england and each authority).")
    computable: int = Field(description="Rules computed from case events.")


class Status(BaseModel):
    version: str
    catalogue: CatalogueStatus
    rules: RulesStatus
    bank_holidays: BankHolidayDataStatus


@router.get(
    "/v1/status",
    tags=["status"],
    operation_id="get_status",
    response_model=Status,
    responses=NOT_MODIFIED,
)
async def status(request: Request, data: CalendarsDep, c: CatalogueDep, book: RulesDep) -> Response:
    """Service version and the versions of its reference data."""
    return await reference(
        request,
        ("status", __version__, c.version, book.version, data.sha256),
        Status,
        lambda: _status(data, c, book),
    )


def _status(data: BankHolidayData, c: Catalogue, book: Rulebook) -> Status:
    return Status(
        version=__version__,
        catalogue=CatalogueStatus(
            version=c.version, documents=len(c.documents), items=len(c.items)
        ),
        rules=RulesStatus(
            version=book.version,
            rulesets={name: len(f.rules) for name, f in book.rulesets.items()},
            computable=sum(r.computable for _, r in book.all_rules()),
        ),
        bank_holidays=BankHolidayDataStatus(
            source=data.source,
            last_updated=data.last_updated,
            sha256=data.sha256,
            published_years=YearRange(first=data.published_years[0], last=data.published_years[1]),
            projected_years=YearRange(first=data.projected_years[0], last=data.projected_years[1]),
        ),
    )

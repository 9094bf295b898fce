"""Liveness and status."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app import __version__
from app.calendars import bank_holiday_data
from app.catalogue.data import catalogue
from app.domain.rules import rulebook

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, str]:
    """Liveness: the process is up and answering."""
    return {"status": "ok"}


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


@router.get("/v1/status", tags=["status"], operation_id="get_status")
def status() -> Status:
    """Service version and the versions of its reference data."""
    data = bank_holiday_data()
    c = catalogue()
    book = rulebook()
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

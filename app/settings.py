"""Settings with safe defaults: importing the app needs no environment variables."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    # Largest request body accepted, in bytes; larger bodies get 413.
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    # Largest body for the NDJSON caseload endpoint, which reads line by line.
    max_ndjson_body_bytes: int = Field(default=256 * 1024 * 1024, ge=1024)
    # Catalogue database. Unset: an embedded in-memory SQLite database built
    # at start-up from the data files. Or a SQLite file URL, or a PostgreSQL
    # URL (postgresql+psycopg://...; install the `postgres` extra).
    database_url: str | None = None
    # Bounds on one deadline request, so a runaway caller gets a 413/422 and
    # not an exhausted worker.
    max_events_per_case: int = Field(default=2000, ge=1)
    max_cases_per_request: int = Field(default=20000, ge=1)
    max_closed_days: int = Field(default=366, ge=0)
    log_level: str = "INFO"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

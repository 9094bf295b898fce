"""Settings with safe defaults: importing the app needs no environment variables."""

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    # Largest request body accepted, in bytes; larger bodies get 413.
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    # Largest body for the NDJSON caseload endpoint, which reads line by line.
    max_ndjson_body_bytes: int = Field(default=256 * 1024 * 1024, ge=1024)
    # Largest an Annex A workbook posted to /v1/overdue may unpack to (an xlsx
    # file is a zip of XML): past it a 413, so that a small body cannot expand
    # into gigabytes (a zip bomb). A workbook's own body is within MAX_BODY_BYTES.
    max_workbook_unpacked_bytes: int = Field(default=256 * 1024 * 1024, ge=1024)
    # Who to contact about the pages, as the accessibility statement says it
    # (the council running the service: "the digital service desk, 01234 567890
    # or help@council.example"). Unset: the statement says "the council that runs
    # this service, through its usual IT or digital service desk".
    service_contact: str | None = Field(default=None, max_length=300)
    # Largest NDJSON answer, spooled in TMPDIR until the request is read; past
    # it a 422 budget-exceeded. Keep WORKERS times this under the space of
    # TMPDIR (the 1 GiB emptyDir or tmpfs of deploy/ and compose.yaml).
    max_ndjson_answer_bytes: int = Field(default=384 * 1024 * 1024, ge=1024)
    # Catalogue database. Unset: an embedded in-memory SQLite database built
    # at start-up from the data files. Or a SQLite file URL, or a PostgreSQL
    # URL (postgresql+psycopg://...; install the `postgres` extra).
    database_url: str | None = None
    # Bounds on one deadline request, so a runaway caller gets a 413/422 and
    # not an exhausted worker.
    max_events_per_case: int = Field(default=2000, ge=1)
    # What one case may cost the engine (README "Speed"): more deadlines than
    # this is a 422 budget-exceeded for the case; more seconds than this
    # (parsing and the engine, per case, not per request) a 503 with Retry-After.
    max_deadlines_per_case: int = Field(default=10000, ge=1)
    case_time_budget_seconds: float = Field(default=2.0, gt=0, le=600)
    max_cases_per_request: int = Field(default=20000, ge=1)
    max_closed_days: int = Field(default=366, ge=0)
    # The server (`python -m app.server`, app/server.py; README "Server, timeouts
    # and load"). WORKERS processes share one listening socket.
    host: str = "0.0.0.0"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    # Seconds for a request's line and headers to arrive, from the connection's
    # start or the end of the previous answer; then 408 and the connection closes.
    header_timeout: float = Field(default=10.0, gt=0)
    # A request body must arrive at BODY_MIN_RATE bytes a second on average,
    # measured after the first BODY_GRACE_SECONDS (time the server is not
    # reading, because the app is busy with what it has, does not count).
    body_min_rate: int = Field(default=500, ge=1)
    body_grace_seconds: float = Field(default=10.0, gt=0)
    # Open connections per worker; more are answered 503 and closed. Lowered at
    # start-up to fit the file-descriptor limit.
    max_connections: int = Field(default=1000, ge=1)
    keep_alive_timeout: int = Field(default=5, ge=1)
    backlog: int = Field(default=2048, ge=1)
    log_level: str = "INFO"
    # "text" lines for a terminal, or "json" (one object a line) for a log collector.
    log_format: Literal["text", "json"] = "text"
    # Who may call it (app/security/, README "Who may call it"). Off by default
    # for local use; the production settings turn AUTH_REQUIRED on.
    auth_required: bool = False
    # API keys, as SHA-256 digests only: JSON [{"name": "mosaic-prod", "sha256": "<hex>"}]
    # or "name:sha256,name:sha256". The name is the caller in the request log.
    api_keys: str = ""
    # OAuth 2.0 bearer tokens (JWT). Issuer(s) and audience(s) comma-separated;
    # the JWKS URL is derived for a Microsoft Entra ID issuer when unset.
    oauth_issuer: str = ""
    oauth_audience: str = ""
    oauth_jwks_url: str = ""
    # A scope (`scp`) or app role (`roles`) every token must carry; empty: none.
    oauth_required_scope: str = ""
    oauth_algorithms: str = "RS256,ES256"
    oauth_leeway_seconds: int = Field(default=60, ge=0, le=300)
    oauth_jwks_cache_seconds: int = Field(default=3600, ge=60)
    # Reference-data GETs stay public while the case endpoints need credentials.
    public_reference_data: bool = True
    # Origins (scheme://host[:port], comma-separated) that browsers may call from.
    cors_allow_origins: str = ""
    # Requests a minute per caller (per client IP when anonymous), per worker; 0: off.
    rate_limit_per_minute: int = Field(default=0, ge=0)
    rate_limit_max_callers: int = Field(default=10000, ge=1)
    # GET /metrics (app/metrics.py): Prometheus counts, public like the probes;
    # false: not served at all (404).
    metrics_enabled: bool = True


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

"""The application: `app.main:app`, built by `create_app()`.

`create_app(data, settings)` builds an application on the reference data it is
given (by default the bundled data, `app.reference.reference_data()`) and keeps
it on `app.state.reference`; handlers reach it through app/deps.py. The data is
loaded when the app is built rather than in a lifespan, so that a broken data
file stops start-up (building the app fails, naming the file and the item)
and a `TestClient(app)` used without a `with` block answers from the
same data. Importing `app.main` needs no environment variables.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import Scope

from app import __version__
from app.catalogue.store import CatalogueStore
from app.http_hygiene import install_http_hygiene, json_body_only
from app.logs import configure as configure_logging
from app.metrics import add_metrics_route, observe_request
from app.middleware import BodySizeLimitMiddleware, RequestLogMiddleware
from app.openapi_examples import add_examples
from app.problems import install as install_problem_handlers
from app.problems import problem_responses
from app.reference import ReferenceData, reference_data
from app.routers import (
    caching,
    calendars,
    conformance,
    deadline_formats,
    deadlines,
    health,
    timescales,
    what_if,
)
from app.routers import catalogue as catalogue_router
from app.security import install_security
from app.settings import Settings, get_settings
from app.web import routes as web
from app.web import templating as web_templating

DESCRIPTION = """
Practice standards and statutory timescales for children's social care in England,
with working-day arithmetic on the UK bank-holiday calendars.

Every failure is an RFC 9457 `application/problem+json` answer; validation problems
carry an `errors` list naming the offending field. No case data is stored or logged.
"""


def create_app(data: ReferenceData | None = None, settings: Settings | None = None) -> FastAPI:
    """The application on `data` (by default the bundled reference data) and
    `settings` (by default the environment's)."""
    settings = settings or get_settings()
    # The same configuration as the server's (app/logs.py), so that the app
    # run any other way (tests, plain uvicorn) logs no case data either.
    configure_logging(settings.log_level, settings.log_format == "json")
    app = FastAPI(
        title="Children's social care timescales",
        version=__version__,
        description=DESCRIPTION,
        # Any request may meet the body-size limit or a bug; both are problems.
        responses=problem_responses(413, 500),
        # app/http_hygiene.py: its own /docs and /redoc (each with its CSP), a
        # trailing-slash redirect that never names a host, 415 for a JSON body
        # sent as another type (none: read as JSON).
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
        strict_content_type=False,
        dependencies=[Depends(json_body_only)],
    )
    # Load and validate all reference data now, so that a broken data file
    # stops start-up (with a message naming the file and the item) instead of
    # failing a caller later.
    reference = data or reference_data()
    app.state.reference = reference  # app/deps.py
    app.state.catalogue_store = CatalogueStore.build(reference.catalogue, settings.database_url)
    install_problem_handlers(app)
    # Reference answers kept in memory per data version; one readiness check at a time.
    caching.install(app)
    app.state.readiness = health.Readiness()
    app.include_router(health.router)
    app.include_router(calendars.router)
    app.include_router(catalogue_router.router)
    app.include_router(timescales.router)
    # The worked examples as conformance vectors, and their JSON Schema.
    app.include_router(conformance.router)
    app.include_router(deadlines.router)
    app.include_router(what_if.router)
    # The iCalendar and NDJSON answers as operations of their own (one media type each).
    app.include_router(deadline_formats.router)
    # The service's own web pages (app/web/) and the files they load, under /assets/.
    app.include_router(web.router)
    app.add_middleware(
        BodySizeLimitMiddleware,
        limit_for=lambda scope: body_limit(
            scope, settings.max_body_bytes, settings.max_ndjson_body_bytes
        ),
        answer_for=web_templating.too_large,
    )
    app.add_middleware(
        RequestLogMiddleware, observe=observe_request if settings.metrics_enabled else None
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    # Who may call it (app/security/): auth, CORS, rate limit; none by default.
    install_security(app, settings)
    if settings.metrics_enabled:
        add_metrics_route(app)
    # Security headers, HEAD, Content-Encoding, trailing slashes: last, around all the rest.
    install_http_hygiene(app)
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the schemas of bodies that an operation reads
    itself (the JSON caseload of POST /v1/overdue, which may also come as
    NDJSON) added to its components, so that every reference resolves."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (*deadlines.BODIES_READ_BY_HAND, *what_if.BODIES_READ_BY_HAND):
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in found.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault(model.__name__, found)
    add_examples(schema)  # a worked example on every operation (app/openapi_examples.py)
    app.openapi_schema = schema
    return schema


def body_limit(scope: Scope, default: int, ndjson: int) -> int:
    """A streamed NDJSON caseload is read line by line, so it may be larger:
    any body of POST /v1/overdue.ndjson (it reads nothing else), and one of
    POST /v1/overdue or POST /v1/what-if that says it is NDJSON."""
    if scope["path"] == deadline_formats.NDJSON_PATH:
        return ndjson
    headers = dict(scope.get("headers", []))
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if scope["path"] in ("/v1/overdue", "/v1/what-if") and content_type == b"application/x-ndjson":
        return ndjson
    return default


app = create_app()

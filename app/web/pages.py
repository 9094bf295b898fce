"""The pages about the service itself: the accessibility statement."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.settings import get_settings
from app.web.templating import render

router = APIRouter(include_in_schema=False)

# The statement's facts, kept beside the page that states them. Update the
# dates when the pages are tested again (tests/test_web_pages.py runs the checks).
STATEMENT_PREPARED = "3 December 2026"
LAST_TESTED = "3 December 2026"
# Each a failure of WCAG 2.2 AA found in testing, in words a user would use,
# with the success criterion it fails. None found so far.
KNOWN_ISSUES: tuple[tuple[str, str], ...] = ()


@router.get("/accessibility", response_class=HTMLResponse)
async def accessibility(request: Request) -> HTMLResponse:
    return render(
        request,
        "accessibility.html",
        {
            "prepared": STATEMENT_PREPARED,
            "tested": LAST_TESTED,
            "known_issues": KNOWN_ISSUES,
            "contact": get_settings().service_contact,
        },
    )

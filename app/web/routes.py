"""Every route of the pages, in one router for create_app() to include."""

from __future__ import annotations

from fastapi import APIRouter

from app.web import assets, calculator, calendars, catalogue, pages

router = APIRouter(include_in_schema=False)
router.include_router(assets.router)
router.include_router(pages.router)
router.include_router(catalogue.router)
router.include_router(calculator.router)
router.include_router(calendars.router)

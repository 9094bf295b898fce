"""The web pages (issue 12) in a real headless browser, offline.

The real server (`python -m app.server`, tests/serving.py) on loopback and the OS's
Chromium driven by Playwright (tests/browser.py: every request to another host
refused and recorded; skipped without Chromium, failed instead in CI). What is
checked is what a person does and sees: searching for a phrase of a council's
standard and following the result, a theme compared across the councils, the
deadline calculator filled in and submitted (by keyboard alone too), the skip link,
and axe-core's WCAG 2.2 AA rules on every page, with a full-page screenshot of each
under tests/artifacts/ (and the top of each as a JPEG under docs/screenshots/ with
UPDATE_SCREENSHOTS=1, for the README).

The child protection case across the state funeral, counted by hand on the England
and Wales calendar: strategy discussion Monday 5 September 2022; the initial
conference is due within 15 working days (Working Together 2023): 6-9 Sep (4),
12-16 (9), Mon 19 Sep is the Bank Holiday for the State Funeral of Queen Elizabeth
II (skipped), 20-23 (13), 26 (14), Tue 27 Sep (15). As of Mon 3 Oct 2022 it is
overdue by 28, 29, 30 Sep (3) and 3 Oct (4) = 4 working days.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    assert_offline_and_quiet,
    axe_report,
    chromium,
    open_page,
    run_axe,
)
from tests.serving import served

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# A fixed width, so that the committed screenshots are the same from run to run.
VIEWPORT = {"width": 1024, "height": 768}
# The README's copies: enough of a page to show it, each file well under 300 KB.
SCREENSHOT_HEIGHT = 1600
SCREENSHOT_QUALITY = 60

# app/data/seeds/003_3d55759f10c19348.txt (Gloucestershire's practice framework),
# "Key timescales", the bullet "Children in care".
SEED = ROOT / "app" / "data" / "seeds" / "003_3d55759f10c19348.txt"
SEED_PHRASE = "Visits to children in foster homes will be undertaken jointly"
GLOUCESTERSHIRE_ITEM = "gloucestershire-timescale-seeing-5"
GLOUCESTERSHIRE = "Gloucestershire County Council"
# app/data/seeds/README.md: the five councils whose standards are catalogued.
COUNCILS = [
    "Gloucestershire County Council",
    "Redcar & Cleveland Borough Council",
    "South Gloucestershire Council",
    "Together for Children, Sunderland",
    "West Sussex County Council",
]

ICPC = "Initial child protection conference"
ICPC_SENTENCE = (
    "Initial child protection conference: due Tuesday 27 September 2022 (2022-09-27), "
    "overdue by 4 working days; counted from strategy discussion held on 5 September 2022."
)

# Every page, by the name of its screenshot: a GET path, or "calculator-answer",
# which is the calculator form filled in and posted in the browser.
PAGES = {
    "start": "/",
    "search-results": "/?q=visits",
    "standard": f"/standards/{GLOUCESTERSHIRE_ITEM}",
    "document": "/documents/redcar-and-cleveland-practice-standards-2023",
    "theme": "/themes/visits",
    "requirement": "/requirements/icpc",
    "calculator": "/calculator",
    "calculator-answer": "/calculator",
    "calendar": "/calendars/england-and-wales?year=2022",
    "accessibility": "/accessibility",
}


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("web-server") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def words(text: str) -> str:
    return " ".join(text.split())


def fill_child_protection_case(page: Any) -> None:
    """The case by the form's labels, as a person with a screen reader finds them
    (in the form of events: the workbook's form has a council and a date too)."""
    form = page.locator("form", has=page.locator("input[name='source'][value='form']"))
    form.get_by_label("Council", exact=True).select_option("england")
    form.get_by_label("Judge the deadlines as of").fill("2022-10-03")
    form.get_by_label("Event 1 type").select_option("strategy_discussion_held")
    form.get_by_label("Event 1 date").fill("2022-09-05")


def tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Press Tab until the element `selector` has the focus (at most `limit` times)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


def focused(page: Any) -> dict[str, str]:
    found: dict[str, str] = page.evaluate(
        """() => ({id: document.activeElement.id, tag: document.activeElement.tagName,
                   text: document.activeElement.innerText || ''})"""
    )
    return found


def assert_the_icpc_is_due_on_27_september(page: Any) -> None:
    row = page.locator("#deadlines tbody tr", has_text=ICPC)
    assert row.count() == 1
    assert row.locator("time").first.get_attribute("datetime") == "2022-09-27"
    assert "Tuesday 27 September 2022" in row.inner_text()
    # The timeline's text equivalent, in words.
    sentences = [words(s) for s in page.locator("#timeline-text li").all_inner_texts()]
    assert ICPC_SENTENCE in sentences
    # The picture's mark for it is the same day.
    assert page.locator('svg [data-due="2022-09-27"][data-status="overdue"]').count() >= 1


def test_a_seed_phrase_finds_the_councils_item_and_its_page(browser: Any, origin: str) -> None:
    assert SEED_PHRASE in SEED.read_text(encoding="utf-8")
    page, visit = open_page(browser, origin, "/", viewport=VIEWPORT)
    page.get_by_label("Search the standards").fill(SEED_PHRASE)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q="))
    results = page.locator("li.app-council")
    assert results.count() >= 1
    first = results.first
    assert GLOUCESTERSHIRE in first.inner_text()
    # The matched words are highlighted in the snippet.
    assert "foster" in " ".join(first.locator("mark").all_inner_texts()).lower()
    link = first.locator("h3 a")
    assert link.get_attribute("href") == f"/standards/{GLOUCESTERSHIRE_ITEM}"
    link.click()
    page.wait_for_url(f"**/standards/{GLOUCESTERSHIRE_ITEM}")
    assert page.locator(".govuk-caption-l").inner_text() == GLOUCESTERSHIRE
    assert SEED_PHRASE in words(page.locator(".app-verbatim").inner_text())
    assert GLOUCESTERSHIRE_ITEM in page.locator("main").inner_text()
    assert_offline_and_quiet(page, visit)


def test_a_theme_shows_a_section_for_every_council(browser: Any, origin: str) -> None:
    page, visit = open_page(browser, origin, "/", viewport=VIEWPORT)
    page.get_by_role("link", name="Visits", exact=True).click()
    page.wait_for_url("**/themes/visits")
    headings = page.locator("section.app-council h2").all_inner_texts()
    assert [h.strip() for h in headings] == COUNCILS
    for council in COUNCILS:
        section = page.get_by_role("region", name=council)
        assert section.is_visible()
        # Each council's section quotes at least one of its items, linked to its page.
        assert section.locator("a[href^='/standards/']").count() >= 1
    assert_offline_and_quiet(page, visit)


def test_the_calculator_dates_the_icpc_across_the_state_funeral(browser: Any, origin: str) -> None:
    page, visit = open_page(browser, origin, "/calculator", viewport=VIEWPORT)
    fill_child_protection_case(page)
    page.get_by_role("button", name="Calculate deadlines").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#deadlines")
    assert_the_icpc_is_due_on_27_september(page)
    # Why: the explanation names the day skipped and its reason.
    explanation = page.locator("details.govuk-details", has_text=ICPC).first
    explanation.locator("summary").click()
    assert "Bank Holiday for the State Funeral of Queen Elizabeth II" in explanation.inner_text()
    assert_offline_and_quiet(page, visit)


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_the_main_content(
    browser: Any, origin: str
) -> None:
    page, visit = open_page(browser, origin, "/", viewport=VIEWPORT)
    page.keyboard.press("Tab")
    first = focused(page)
    assert (first["tag"], first["text"].strip()) == ("A", "Skip to main content")
    assert page.locator(".govuk-skip-link").is_visible()  # shown when it has the focus
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"
    # The next Tab goes on from the main content: the search box, not the header.
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q"
    assert_offline_and_quiet(page, visit)


def test_the_calculator_is_filled_and_submitted_by_keyboard_alone(
    browser: Any, origin: str
) -> None:
    page, visit = open_page(browser, origin, "/calculator", viewport=VIEWPORT)
    # A closed select takes type-ahead: the first option whose text starts so.
    tab_to(page, "#authority")
    page.keyboard.type("England")
    tab_to(page, "#as-of")
    page.keyboard.type("2022-10-03")
    tab_to(page, "#event-0-type")
    page.keyboard.type("strategy discussion held")
    tab_to(page, "#event-0-date")
    page.keyboard.type("2022-09-05")
    values = page.evaluate(
        """() => ['authority', 'as-of', 'event-0-type', 'event-0-date']
                 .map(id => document.getElementById(id).value)"""
    )
    assert values == ["england", "2022-10-03", "strategy_discussion_held", "2022-09-05"]
    tab_to(page, "button[value='calculate']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_the_icpc_is_due_on_27_september(page)
    assert_offline_and_quiet(page, visit)


def screenshot(page: Any, name: str) -> None:
    """The whole page under tests/artifacts/; with UPDATE_SCREENSHOTS=1 also the
    README's copy under docs/screenshots/: its first SCREENSHOT_HEIGHT pixels as a
    JPEG, so that a long page (a document's whole tree) stays a small file."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_HEIGHT)
        page.screenshot(
            path=str(SCREENSHOTS / f"{name}.jpg"),
            type="jpeg",
            quality=SCREENSHOT_QUALITY,
            full_page=True,
            clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height},
        )


@pytest.mark.parametrize("name", PAGES)
def test_every_page_passes_axe_wcag_2_2_aa(browser: Any, origin: str, name: str) -> None:
    page, visit = open_page(browser, origin, PAGES[name], viewport=VIEWPORT)
    if name == "calculator-answer":
        fill_child_protection_case(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Calculate deadlines").click()
        assert_the_icpc_is_due_on_27_september(page)
    result = run_axe(page, origin)
    screenshot(page, name)
    assert result["violations"] == [], f"{name}:\n" + axe_report(result["violations"])
    assert result["passes"] > 0
    assert_offline_and_quiet(page, visit)


def test_an_answer_with_an_unverified_text_s_warning_passes_axe(browser: Any, origin: str) -> None:
    # A 2016 placement's visits are under CPPCR reg 28 as amended by SI 2015/495 (U):
    # the answer carries GOV.UK's warning text for each.
    request = {
        "authority": "england",
        "as_of": "2016-06-03",
        "events": [
            {"type": "became_looked_after", "date": "2016-03-07"},
            {
                "type": "placement_started",
                "date": "2016-03-07",
                "attributes": {"placement_type": "foster"},
            },
            {"type": "statutory_visit", "date": "2016-03-11"},
        ],
    }
    page, visit = open_page(browser, origin, "/calculator", viewport=VIEWPORT)
    page.get_by_label("The body of a request to POST /v1/deadlines").fill(json.dumps(request))
    with page.expect_navigation():
        page.get_by_role("button", name="Calculate from the request").click()
    page.locator("details", has_text="england.cla_visit").first.locator("summary").click()
    assert page.locator(".govuk-warning-text", has_text="Text not verified").count() >= 1
    result = run_axe(page, origin)
    assert result["violations"] == [], axe_report(result["violations"])
    assert_offline_and_quiet(page, visit)


def test_axe_reports_a_violation_where_there_is_one(browser: Any, origin: str) -> None:
    """The check above can fail: an image without a text alternative, added to a
    page, is found and named (wcag2a, "image-alt")."""
    page, visit = open_page(browser, origin, "/accessibility", viewport=VIEWPORT)
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:,';
            document.getElementById('main-content').appendChild(img);
        }"""
    )
    result = run_axe(page, origin)
    assert [v["id"] for v in result["violations"]] == ["image-alt"]
    assert "image-alt (critical)" in axe_report(result["violations"])
    assert_offline_and_quiet(page, visit)

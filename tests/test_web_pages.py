"""The catalogue's web pages and the accessibility statement (issue 12), through
the app: each page answers text/html with the right content, escapes what it
is given, has the pages' CSP and no inline script, answers HEAD, and an
unknown id is an HTML page-not-found (the API keeps problem+json).

Expected text is copied from the sources by hand: the seeds under
app/data/seeds/ and the rules under app/data/rules/."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.web.templating import PAGE_CSP

# app/data/seeds/004_ece26cb6e7cc60b1.txt (Redcar and Cleveland's practice
# standards), the row "Children subject to a Child Protection Plan".
SEED_PHRASE = "visiting should be at the least once every 10 working days"
REDCAR_ITEM = "redcar-and-cleveland-measure-1-7"
# app/data/rules/england.yaml, england.icpc's citation (Working Together 2023).
ICPC_QUOTE_START = "within 15 working days of the Strategy Discussion"

PAGES = [
    "/",
    "/?q=visits",
    f"/standards/{REDCAR_ITEM}",
    "/documents/redcar-and-cleveland-practice-standards-2023",
    "/themes/visits",
    "/requirements/icpc",
    "/accessibility",
]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


class _Page(HTMLParser):
    """Scripts, marks, ids and the text of a page, as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []  # text of scripts without src, and of <style>
        self.handlers: list[str] = []  # on* attributes
        self.marks: list[str] = []
        self.ids: list[str] = []
        self._in: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "script":
            self.scripts.append(a)
            self._in = "script" if not a.get("src") else None
        elif tag == "style" or "style" in a:
            self.inline.append(tag)
        elif tag == "mark":
            self._in = "mark"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "mark"):
            self._in = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in == "script" and data.strip():
            self.inline.append(data)
        elif self._in == "mark":
            self.marks.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def words(html: str) -> str:
    return " ".join(" ".join(parse(html).text).split())


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_html_with_the_pages_csp_and_no_inline_script(
    client: TestClient, path: str
) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-security-policy"] == PAGE_CSP
    assert "script-src 'self';" in PAGE_CSP and "'unsafe-inline'" not in PAGE_CSP
    page = parse(r.text)
    assert page.inline == [] and page.handlers == []
    # The one script: the service's start-up module, from /assets/, versioned.
    assert [s["src"] for s in page.scripts] == [
        s["src"] for s in page.scripts if s["src"] and s["src"].startswith("/assets/init.js?v=")
    ]
    assert len(page.scripts) == 1 and page.scripts[0]["type"] == "module"
    # The GOV.UK template: skip link to the main content, the service name, the footer.
    assert 'href="#main-content"' in r.text and "main-content" in page.ids
    assert "Children&#39;s social care timescales" in r.text
    text = words(r.text)
    assert "Accessibility statement" in text
    assert (
        "Case data you enter is used only to answer your request: it is never stored or logged."
        in text
    )
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"


@pytest.mark.parametrize("path", PAGES)
def test_head_answers_as_get_without_a_body(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-security-policy"] == PAGE_CSP


def test_a_seed_phrase_finds_the_councils_item_first_with_highlights(client: TestClient) -> None:
    r = client.get("/", params={"q": f'"{SEED_PHRASE}"'})
    assert r.status_code == 200
    text = words(r.text)
    assert "1 result" in text
    first = r.text.index("/standards/")
    assert r.text[first : first + len(f"/standards/{REDCAR_ITEM}")] == f"/standards/{REDCAR_ITEM}"
    assert "Redcar & Cleveland Borough Council" in text
    # FTS5 marks each matched word of the phrase.
    marks = parse(r.text).marks
    assert " ".join(marks).lower() == SEED_PHRASE


def test_filters_narrow_the_search_to_one_council(client: TestClient) -> None:
    everyone = words(client.get("/", params={"q": "visit"}).text)
    redcar = client.get("/", params={"q": "visit", "authority": "redcar-and-cleveland"})
    assert redcar.status_code == 200
    hrefs = [h for h in redcar.text.split('href="/standards/')[1:]]
    assert hrefs and all(h.startswith("redcar-and-cleveland-") for h in hrefs)
    assert "Gloucestershire County Council" in everyone


def test_pages_of_results_link_to_each_other(client: TestClient) -> None:
    r = client.get("/", params={"theme": "visits"})
    page = parse(r.text)
    assert 'aria-label="Pagination"' in r.text
    assert 'href="?theme=visits&amp;page=2"' in r.text and 'rel="next"' in r.text
    second = client.get("/", params={"theme": "visits", "page": "2"})
    assert "Showing 21 to 40" in words(second.text)
    assert 'rel="prev"' in second.text
    assert page.marks == []  # no query, no highlights


def test_what_the_query_says_is_shown_escaped(client: TestClient) -> None:
    attack = '"<script>alert(1)</script>"'
    r = client.get("/", params={"q": attack})
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text or "&#34;&lt;script&gt;" in r.text
    assert parse(r.text).inline == []
    # One FTS5 cannot parse: the error summary, and the query escaped in the box.
    bad = client.get("/", params={"q": '"<script>'})
    assert bad.status_code == 400
    assert "There is a problem" in words(bad.text)
    assert "<script>" not in bad.text and parse(bad.text).inline == []


def test_a_filter_that_is_not_in_the_list_is_an_error_on_the_page(client: TestClient) -> None:
    r = client.get("/", params={"authority": "<b>nowhere</b>", "page": "x"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    text = words(r.text)
    assert "Choose a authority from the list" in text and "Choose a page from 1 to 5000" in text
    assert "<b>nowhere" not in r.text


def test_the_snippet_marks_only_the_stores_highlights() -> None:
    from app.web.catalogue import highlighted

    assert str(highlighted("a <mark>visit</mark> <b>x</b> & <mark")) == (
        "a <mark>visit</mark> &lt;b&gt;x&lt;/b&gt; &amp; &lt;mark"
    )


def test_a_standard_shows_its_text_place_themes_and_how_to_cite_it(client: TestClient) -> None:
    r = client.get(f"/standards/{REDCAR_ITEM}")
    text = words(r.text)
    # The row's first sentence, verbatim from the seed.
    assert (
        "Children and young people should be seen within 48 hours of a Child Protection Plan "
        "being agreed." in text
    )
    assert SEED_PHRASE in text
    assert "Redcar & Cleveland Borough Council" in text
    assert 'href="/documents/redcar-and-cleveland-practice-standards-2023#' + REDCAR_ITEM in r.text
    assert 'href="/themes/visits"' in r.text
    assert f"http://testserver/standards/{REDCAR_ITEM}" in text and REDCAR_ITEM in text


def test_a_document_is_its_tree_with_each_items_id_and_link(client: TestClient) -> None:
    r = client.get("/documents/redcar-and-cleveland-practice-standards-2023")
    page = parse(r.text)
    assert REDCAR_ITEM in page.ids
    assert f'href="/standards/{REDCAR_ITEM}"' in r.text
    assert r.text.count('class="app-tree"') > 1  # nested: items have children
    assert SEED_PHRASE in words(r.text)


def test_a_theme_shows_every_council_that_has_items_of_it(client: TestClient) -> None:
    r = client.get("/themes/visits")
    # A section per council, its name the heading: every catalogued council has
    # items about visits (the seeds' visiting standards).
    found = re.findall(r'<h2 class="govuk-heading-m" id="[a-z-]+-heading">([^<]+)</h2>', r.text)
    headings = [unescape(h) for h in found]
    assert headings == [
        "Gloucestershire County Council",
        "Redcar & Cleveland Borough Council",
        "South Gloucestershire Council",
        "Together for Children, Sunderland",
        "West Sussex County Council",
    ]
    assert SEED_PHRASE in words(r.text)


def test_a_requirement_shows_the_statutory_quote_and_each_council(client: TestClient) -> None:
    r = client.get("/requirements/icpc")
    text = words(r.text)
    assert ICPC_QUOTE_START in text
    assert "(statutory)" in text and "15 working days after strategy discussion" in text
    # Every council has a column; one without its own rule says it gets the statutory one.
    for ruleset in (
        "england",
        "gloucestershire",
        "together-for-children-sunderland",
        "west-sussex",
    ):
        assert f'id="{ruleset}"' in r.text
    assert "No local timescale of its own: its cases get the statutory one." in text


def test_the_requirement_page_quotes_what_the_api_answers(client: TestClient) -> None:
    api = client.get("/v1/requirements/icpc").json()
    text = words(client.get("/requirements/icpc").text)
    for column in api["rulesets"]:
        for timescale in column["timescales"]:
            assert " ".join(timescale["citation"]["quote"].split()) in text
            assert timescale["id"] in text


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/standards/no-such-item", "There is no standard with the id 'no-such-item'."),
        ("/documents/no-such-document", "There is no document with the id 'no-such-document'."),
        ("/themes/no-such-theme", "There is no theme with the id 'no-such-theme'."),
        ("/requirements/no_such_code", "There is no requirement with the code 'no_such_code'."),
        ("/standards/%3Cscript%3E", "There is no standard with the id '<script>'."),
    ],
)
def test_an_unknown_id_is_an_html_page_not_found(client: TestClient, path: str, says: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-security-policy"] == PAGE_CSP
    assert "Page not found" in words(r.text) and says in words(r.text)
    assert "<script>" not in r.text
    assert client.head(path).status_code == 404


def test_the_api_keeps_problem_json_for_an_unknown_id(client: TestClient) -> None:
    r = client.get("/v1/standards/no-such-item")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"


def test_the_accessibility_statement_has_the_model_statements_parts(client: TestClient) -> None:
    text = words(client.get("/accessibility").text)
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ):
        assert heading in text, heading
    assert "Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert (
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility "
        "Regulations 2018" in text
    )
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "axe-core (version 4.14.1" in text and "by keyboard alone" in text
    assert "contact the council that runs this service" in text


def test_the_reference_pages_are_public_like_the_reference_api() -> None:
    from tests.test_security_support import API_KEYS, build_app

    with TestClient(build_app(auth_required=True, api_keys=API_KEYS)) as c:
        for path in PAGES:
            assert c.get(path).status_code == 200, path
    closed = build_app(auth_required=True, api_keys=API_KEYS, public_reference_data=False)
    with TestClient(closed) as c:
        assert c.get("/themes/visits").status_code == 401
        assert c.get("/accessibility").status_code == 200


def test_the_accessibility_statement_names_the_contact_the_council_sets(monkeypatch):
    from app.settings import get_settings

    monkeypatch.setenv("SERVICE_CONTACT", "the digital service desk, help@council.example")
    get_settings.cache_clear()
    try:
        html = TestClient(create_app()).get("/accessibility").text
    finally:
        monkeypatch.delenv("SERVICE_CONTACT")
        get_settings.cache_clear()
    assert "contact the digital service desk, help@council.example. Say which page" in html
    default = TestClient(create_app()).get("/accessibility").text
    assert "contact the council that runs this service for you" in default


def test_a_requirement_shows_when_each_rule_is_in_force_and_its_later_versions(
    client: TestClient,
) -> None:
    text = words(client.get("/requirements/cla_visit").text)
    # Gloucestershire's standards: "Produced – June 2024", read as from 1 June 2024.
    assert "In force From 1 June 2024: a deadline counted from an earlier day" in text
    # CPPCR reg 28: the version of SI 2015/495, whose text was not verified.
    assert "From 1 April 2015 as amended by SI 2015/495 (in force 1 April 2015) (text not" in text
    api = client.get("/v1/timescales/england.cla_visit").json()
    assert [(v["valid_from"], v["verification"]) for v in api["versions"]] == [
        (None, "V-P"),
        ("2015-04-01", "U"),
    ]

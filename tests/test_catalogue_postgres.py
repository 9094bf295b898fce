"""The catalogue on PostgreSQL instead of the embedded SQLite database.

Runs when TEST_POSTGRES_URL names a database it may overwrite, e.g.
TEST_POSTGRES_URL=postgresql+psycopg://ts:ts@localhost/catalogue make test
(and the `postgres` extra is installed). CI has no PostgreSQL server, so
there it is skipped; the same queries run against SQLite in every build.
"""

import contextlib
import os

import pytest

from app.catalogue.data import catalogue
from app.catalogue.store import CatalogueStore, Filters
from app.domain.errors import InvalidInput

URL = os.environ.get("TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="TEST_POSTGRES_URL not set")


@pytest.fixture(scope="module")
def store():
    return CatalogueStore.build(catalogue(), URL)


def test_same_rows_as_the_data(store):
    total, _ = store.search(Filters(), None, 1, 0)
    assert total == len(catalogue().items)
    assert store.authorities()[0].id == "gloucestershire"


def test_filters_and_order(store):
    total, hits = store.search(Filters(authority="gloucestershire", kind="statement"), None, 3, 0)
    assert total == 114
    assert [h.item.number for h in hits] == ["1.1", "1.2", "1.3"]


def test_full_text_search_ranks_and_highlights(store):
    total, hits = store.search(Filters(), "supervision", 5, 0)
    assert total > 20
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert any("<mark>" in (h.snippet or "") for h in hits)


def test_phrase_search(store):
    total, hits = store.search(Filters(theme="voice-of-the-child"), '"seen alone"', 10, 0)
    assert total >= 1
    assert all("seen alone" in h.item.text.lower() or "seen" in h.item.text.lower() for h in hits)


def test_themes(store):
    themes = store.themes()
    assert len(themes) == 14
    assert store.themes_of(["gloucestershire-statement-8.6"])["gloucestershire-statement-8.6"]


def test_websearch_syntax_never_500s(store):
    # websearch_to_tsquery accepts any text; nothing here may raise anything
    # but InvalidInput.
    for q in ['"unterminated', "a OR", "-", "title:", "\\"]:
        with contextlib.suppress(InvalidInput):
            store.search(Filters(), q, 5, 0)

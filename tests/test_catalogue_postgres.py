"""The catalogue on PostgreSQL instead of the embedded SQLite database.

Runs when TEST_POSTGRES_URL names a database it may overwrite, e.g.
TEST_POSTGRES_URL=postgresql+psycopg://ts:ts@localhost/catalogue make test
(and the `postgres` extra is installed). CI has no PostgreSQL server, so
there it is skipped; the same queries run against SQLite in every build.
"""

import contextlib
import os
import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

from app.catalogue.data import catalogue
from app.catalogue.store import CatalogueStore, Filters, stored_version
from app.errors import InvalidInput, Unavailable
from tests.stores import built_at_once

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


def _item_table_oid(store):
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT 'item'::regclass::oid")).scalar_one()


def test_a_database_holding_this_version_is_used_as_it_is(store):
    again = CatalogueStore.build(catalogue(), URL)
    assert _item_table_oid(again) == _item_table_oid(store)  # not dropped and recreated
    assert again.ping() == stored_version(catalogue())


@contextlib.contextmanager
def scratch_database():
    """A database of its own on the same server, dropped afterwards."""
    name = f"catalogue_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(URL).set(database=name).render_as_string(hide_password=False), admin, name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def test_processes_starting_at_once_build_it_once_and_all_answer():
    with scratch_database() as (url, _, _):
        outputs = built_at_once(url)
        assert len(set(outputs)) == 1
        assert int(outputs[0].split()[0]) > 20


def test_a_database_that_goes_away_is_unavailable_not_invalid_input():
    with scratch_database() as (url, admin, name):
        store = CatalogueStore.build(catalogue(), url)
        assert store.search(Filters(), "supervision", 1, 0)[0] > 20
        store.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        for call in (
            lambda: store.search(Filters(), "supervision", 5, 0),
            lambda: store.search(Filters(authority="west-sussex"), None, 5, 0),
            lambda: store.authorities(),
            store.ping,
        ):
            with pytest.raises(Unavailable) as caught:
                call()
            assert caught.value.retry_after == 5


def test_a_request_statement_cannot_hold_a_thread_for_ever(store):
    with store.engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "10s"

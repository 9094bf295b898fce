"""The catalogue store with several workers, a database that goes away, and /readyz.

A SQLite file shared by worker processes is built once per data version and
replaced whole; any database fault during a request is a 503 with Retry-After
(never a 4xx, which would blame the caller); /readyz tells a load balancer
whether this process can answer.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.catalogue.data import catalogue
from app.catalogue.store import CatalogueStore, Filters, stored_version
from app.main import app
from app.routers import health
from app.routers.caching import AnswerCache, ReferenceCaches
from tests.serving import served
from tests.stores import built_at_once

SEARCHES = [
    {"q": "supervision", "limit": 5},
    {"q": '"seen alone"', "theme": "voice-of-the-child"},
    {"authority": "gloucestershire", "kind": "key_timescale", "limit": 3},
]


def version_in(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return str(db.execute("SELECT version FROM catalogue_version").fetchone()[0])


# -- building a SQLite file ----------------------------------------------------------------


def test_a_file_is_built_once_and_then_used_as_it_is(tmp_path):
    path = tmp_path / "catalogue.db"
    first = CatalogueStore.build(catalogue(), f"sqlite:///{path}")
    inode = path.stat().st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.db", "catalogue.db.lock"]
    (tmp_path / "catalogue.db.lock").unlink()
    second = CatalogueStore.build(catalogue(), f"sqlite:///{path}")
    assert path.stat().st_ino == inode  # not rebuilt: the same file
    # ...and not locked either: a built file may sit in a read-only directory.
    assert [p.name for p in tmp_path.iterdir()] == ["catalogue.db"]
    assert version_in(path) == stored_version(catalogue())
    assert second.search(Filters(), None, 1, 0)[0] == len(catalogue().items)
    assert first.ping() == second.ping() == stored_version(catalogue())


@pytest.mark.parametrize("old", ["another version", None])
def test_a_file_of_another_version_or_not_a_catalogue_is_replaced(tmp_path, old):
    path = tmp_path / "catalogue.db"
    with sqlite3.connect(path) as db:
        if old is None:
            db.execute("CREATE TABLE unrelated (x)")
        else:
            db.execute("CREATE TABLE catalogue_version (version TEXT)")
            db.execute("INSERT INTO catalogue_version VALUES (?)", (old,))
    store = CatalogueStore.build(catalogue(), f"sqlite:///{path}")
    assert version_in(path) == stored_version(catalogue())
    total, hits = store.search(Filters(authority="gloucestershire", kind="statement"), None, 3, 0)
    assert (total, [h.item.number for h in hits]) == (114, ["1.1", "1.2", "1.3"])


def test_processes_building_one_file_at_once_all_get_the_whole_catalogue(tmp_path):
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    outputs = built_at_once(url)
    expected = CatalogueStore.build(catalogue()).search(Filters(), "supervision", 3, 0)
    assert outputs == [" ".join([str(expected[0]), *[h.item.id for h in expected[1]]])] * 4
    assert not list(tmp_path.glob("*.building"))


# -- two real workers on one file ----------------------------------------------------------


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("workers")
    log = tmp / "server.log"
    environment = {"LOG_LEVEL": "INFO", "DATABASE_URL": f"sqlite:///{tmp / 'catalogue.db'}"}
    with served(log, env=environment, workers=2) as url:
        # Both workers have started (each says so once), or the test fails here.
        deadline = time.monotonic() + 60
        while log.read_text().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield url, log


def test_two_workers_on_one_sqlite_file_start_cleanly(two_workers):
    _, log = two_workers
    text = log.read_text()
    assert "Traceback" not in text
    assert "died" not in text and "Error" not in text
    # One worker built the file, the other found it built and used it.
    assert text.count("loaded into catalogue.db") == 1
    assert text.count("already loaded in catalogue.db") == 1


def test_two_workers_answer_searches_200_with_the_same_answers(two_workers):
    url, _ = two_workers
    for params in SEARCHES:
        # A new connection each time, so that both workers get some.
        answers = [httpx.get(url + "/v1/standards", params=params, timeout=10) for _ in range(8)]
        assert [a.status_code for a in answers] == [200] * 8
        assert len({a.content for a in answers}) == 1
        assert answers[0].json()["total"] >= 1
    ready = [httpx.get(url + "/readyz", timeout=10) for _ in range(6)]
    assert [r.status_code for r in ready] == [200] * 6


# -- a database that goes away -------------------------------------------------------------


@pytest.fixture
def file_store(tmp_path) -> Iterator[tuple[CatalogueStore, Path]]:
    """The app's store replaced, for one test, by one on a file; fresh caches."""
    path = tmp_path / "catalogue.db"
    store = CatalogueStore.build(catalogue(), f"sqlite:///{path}")
    saved = (app.state.catalogue_store, app.state.reference_caches, app.state.readiness)
    app.state.catalogue_store = store
    app.state.reference_caches = ReferenceCaches(
        data=AnswerCache(64, 1 << 20), queries=AnswerCache(64, 1 << 20)
    )
    app.state.readiness = health.Readiness()
    try:
        yield store, path
    finally:
        app.state.catalogue_store, app.state.reference_caches, app.state.readiness = saved
        store.engine.dispose()


def unavailable(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    body: dict[str, object] = response.json()
    assert body["type"] == "urn:children-timescales:problem:service-unavailable"
    assert body["status"] == 503
    return body


def test_a_database_that_goes_away_is_503_with_retry_after_never_4xx(client, file_store):
    store, path = file_store
    assert client.get("/v1/standards", params={"q": "visit"}).status_code == 200
    store.engine.dispose()  # close the pooled connections, which would still read it
    path.unlink()
    for params in [{"q": "supervision"}, {"q": "plan", "authority": "west-sussex"}, {"limit": 7}]:
        body = unavailable(client.get("/v1/standards", params=params))
        assert body["detail"] == (
            "The catalogue database cannot be read just now; try again shortly."
        )
    unavailable(client.get("/v1/standards/gloucestershire-statement-8.6"))
    unavailable(client.get("/v1/authorities"))
    unavailable(client.get("/readyz"))
    assert not path.exists()  # opened read-only: no empty database made in its place
    # What the caller got wrong is still theirs to fix: 422, not 503.
    bad = client.get("/v1/standards", params={"q": '"unterminated'})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "q"]
    # An answer computed before the fault is still the right answer.
    assert client.get("/v1/standards", params={"q": "visit"}).status_code == 200


def test_a_store_whose_tables_went_missing_is_503(client, file_store):
    store, path = file_store
    store.engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE item_search")
    unavailable(client.get("/v1/standards", params={"q": "supervision"}))
    assert client.get("/v1/standards", params={"kind": "pillar"}).json()["total"] == 5


@pytest.mark.parametrize("q", ['"unterminated', "title:", "AND", "*", "NEAR(", "a OR", "\x00"])
def test_search_syntax_is_told_apart_from_the_database(client, q):
    if q != "\x00" and app.state.catalogue_store.dialect != "sqlite":
        pytest.skip("PostgreSQL's web-search syntax accepts any text but NUL")
    body = client.get("/v1/standards", params={"q": q}).json()
    assert body["status"] == 422
    assert body["errors"][0]["loc"] == ["query", "q"]


# -- /readyz -------------------------------------------------------------------------------


def test_ready_when_the_data_is_loaded_and_the_store_answers(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    store = "sqlite" if not os.environ.get("DATABASE_URL") else app.state.catalogue_store.dialect
    assert r.json() == {"status": "ready", "catalogue": catalogue().version, "store": store}


def test_readyz_is_outside_the_schema_like_healthz(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/readyz" not in paths and "/healthz" not in paths


def test_not_ready_when_the_store_holds_another_version(client, file_store):
    _, path = file_store
    with sqlite3.connect(path) as db:
        db.execute("UPDATE catalogue_version SET version = 'older'")
    body = unavailable(client.get("/readyz"))
    assert body["detail"] == "The catalogue database holds another version of the data."


def test_not_ready_before_the_data_is_loaded(client, monkeypatch):
    monkeypatch.delattr(app.state, "catalogue_store")
    body = unavailable(client.get("/readyz"))
    assert body["detail"] == "Reference data is not loaded yet."


def test_a_hung_store_is_not_ready_and_takes_one_thread_however_many_probes(
    client, file_store, monkeypatch
):
    store, _ = file_store
    release = threading.Event()
    calls: list[int] = []

    def hung() -> str:
        calls.append(1)
        release.wait(30)
        return stored_version(catalogue())

    monkeypatch.setattr(store, "ping", hung)
    monkeypatch.setattr(health, "READY_CHECK_SECONDS", 0.2)
    try:
        for _ in range(3):
            body = unavailable(client.get("/readyz"))
            assert body["detail"] == "The catalogue database did not answer in time."
        assert calls == [1]
    finally:
        release.set()

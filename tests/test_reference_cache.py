"""Reference-data answers: computed once per data version and query, bounded, off the loop."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Iterator

import pytest

from app.errors import NotFound
from app.main import app
from app.routers.caching import Answer, AnswerCache, ReferenceCaches, encode


def answer(text: str) -> Answer:
    return Answer(text.encode(), f'"{text}"')


# -- the cache itself ----------------------------------------------------------------------


def test_least_recently_used_answer_goes_first_when_entries_run_out():
    cache = AnswerCache(max_entries=3, max_bytes=1_000)
    for key in "abc":
        cache.get_or_compute(key, lambda k=key: answer(k))
    assert cache.get("a") == answer("a")  # a is now the most recently used
    cache.get_or_compute("d", lambda: answer("d"))
    assert len(cache) == 3
    assert cache.get("b") is None
    assert [cache.get(k) for k in "acd"] == [answer("a"), answer("c"), answer("d")]


def test_bytes_are_bounded_and_an_answer_too_large_is_served_not_kept():
    cache = AnswerCache(max_entries=100, max_bytes=10)
    for key in ("k1", "k2", "k3"):
        cache.get_or_compute(key, lambda k=key: Answer(b"1234", f'"{k}"'))
    assert len(cache) == 2
    assert cache.size == 8
    assert cache.get("k1") is None
    big = cache.get_or_compute("big", lambda: Answer(b"x" * 11, '"big"'))
    assert big.body == b"x" * 11
    assert cache.get("big") is None
    assert cache.size == 8


def test_many_queries_never_hold_more_than_the_bound():
    cache = AnswerCache(max_entries=8, max_bytes=1_000_000)
    for i in range(500):
        cache.get_or_compute(("standards", f"q{i}"), lambda i=i: answer(f"a{i}"))
    assert len(cache) == 8
    assert cache.computed == 500
    assert cache.get(("standards", "q499")) == answer("a499")
    assert cache.get(("standards", "q491")) is None


def test_concurrent_requests_for_one_answer_compute_it_once():
    cache = AnswerCache(max_entries=10, max_bytes=1_000)
    calls: list[int] = []
    release = threading.Event()

    def compute() -> Answer:
        calls.append(1)
        release.wait(10)
        return answer("once")

    results: list[Answer] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_compute("k", compute)))
        for _ in range(16)
    ]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(10)
    assert calls == [1]
    assert results == [answer("once")] * 16


def test_errors_are_not_cached():
    cache = AnswerCache(max_entries=10, max_bytes=1_000)
    calls: list[int] = []

    def missing() -> Answer:
        calls.append(1)
        raise NotFound("no such thing")

    for _ in range(2):
        with pytest.raises(NotFound):
            cache.get_or_compute("k", missing)
    assert calls == [1, 1]
    assert len(cache) == 0


def test_the_etag_is_a_digest_of_the_body():
    first = encode([{"id": "a"}], list[dict[str, str]])
    assert first.body == b'[{"id":"a"}]'
    assert first.etag == '"' + hashlib.sha256(first.body).hexdigest()[:32] + '"'
    assert encode([{"id": "b"}], list[dict[str, str]]).etag != first.etag


# -- through the API -----------------------------------------------------------------------


@pytest.fixture
def small_caches() -> Iterator[ReferenceCaches]:
    """Fresh, small caches for one test, so that what is computed can be counted."""
    saved = app.state.reference_caches
    app.state.reference_caches = ReferenceCaches(
        data=AnswerCache(max_entries=64, max_bytes=8 * 1024 * 1024),
        queries=AnswerCache(max_entries=4, max_bytes=8 * 1024 * 1024),
    )
    try:
        yield app.state.reference_caches
    finally:
        app.state.reference_caches = saved


def test_an_answer_is_computed_once_and_then_served_from_memory(client, small_caches):
    first = client.get("/v1/authorities")
    second = client.get("/v1/authorities")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert small_caches.data.computed == 1
    assert small_caches.data.hits == 1
    assert [a["id"] for a in second.json()][:2] == ["gloucestershire", "redcar-and-cleveland"]


def test_answers_are_computed_off_the_event_loop(client, small_caches, monkeypatch):
    store = app.state.catalogue_store
    seen: list[bool] = []
    original = store.authorities

    def recording():
        try:
            asyncio.get_running_loop()
            seen.append(True)  # called on the event loop's thread
        except RuntimeError:
            seen.append(False)  # a worker thread: no loop runs here
        return original()

    monkeypatch.setattr(store, "authorities", recording)
    assert client.get("/v1/authorities").status_code == 200
    assert client.get("/v1/themes/visits").status_code == 200
    assert seen and not any(seen)


def test_search_answers_stay_within_the_query_bound(client, small_caches):
    words = ["visit", "plan", "review", "child", "family", "supervision", "record", "voice"]
    for word in words:
        assert client.get("/v1/standards", params={"q": word, "limit": 5}).status_code == 200
    assert len(small_caches.queries) == 4
    assert small_caches.queries.computed == len(words)
    assert len(small_caches.data) == 0  # search cannot evict the data answers


def test_the_key_is_the_normalised_query(client, small_caches):
    plain = client.get("/v1/standards", params={"authority": "west-sussex"})
    spelled_out = client.get(
        "/v1/standards", params={"limit": 50, "offset": 0, "authority": "west-sussex", "q": " "}
    )
    assert plain.content == spelled_out.content
    assert small_caches.queries.computed == 1
    year = client.get("/v1/calendars/scotland/holidays", params={"start": "2027-01-01"})
    explicit = client.get(
        "/v1/calendars/scotland/holidays", params={"start": "2027-01-01", "end": "2027-12-31"}
    )
    assert year.json() == explicit.json()
    assert year.json()[0] == {"date": "2027-01-01", "name": "New Year’s Day", "source": "published"}
    assert small_caches.queries.computed == 2


def test_a_404_is_not_kept(client, small_caches):
    for _ in range(2):
        assert client.get("/v1/standards/no-such-item").status_code == 404
    assert len(small_caches.data) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/v1/status",
        "/v1/calendars",
        "/v1/calendars/england-and-wales",
        "/v1/calendars/england-and-wales/holidays?start=2026-01-01&end=2026-12-31",
        "/v1/timescales?authority=gloucestershire",
        "/v1/requirements/cin_visit",
        "/v1/standards?q=supervision&limit=3",
        "/v1/documents?authority=west-sussex",
    ],
)
def test_every_reference_answer_has_an_etag_and_honours_if_none_match(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["cache-control"] == "public, max-age=3600"
    again = client.get(path, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == r.headers["etag"]
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200

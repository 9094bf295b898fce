"""Reference-data answers: computed once per data version and query, served from memory.

Reference data changes only with a deployment, so each answer is serialised
and hashed once, kept in memory with its strong ETag (a digest of the body),
and may be cached by clients for an hour; a client that sends the ETag back
in If-None-Match gets 304 Not Modified and no body.

Every key starts with the version of the data it was computed from, so an
answer can never outlive its data. Two caches, each a least-recently-used
map bounded by a number of entries *and* a number of bytes:

* `data`: answers of endpoints without query parameters (lists, one item
  by id), whose keys are drawn from the data itself;
* `queries`: answers that depend on the query string (filters, search,
  paging, date ranges), whose keys a caller chooses. However many queries
  come, this cache holds at most its bound and drops the least recently
  used, and search traffic cannot evict the answers in `data`.

A hit is a dictionary look-up on the event loop. A miss is computed in the
thread pool (database reads, pydantic, JSON, SHA-256 never run on the loop),
once: requests for the same key that arrive meanwhile wait for that
computation instead of repeating it. Errors (404, 422, 503) are never cached.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter

CACHE_CONTROL = "public, max-age=3600"

# Bounds per worker process. Every answer without a query string (each
# authority, document, standard, theme, timescale, requirement and calendar,
# and the lists: 1,275 answers) takes 3.0 MiB (measured), so `data` holds
# them all with room to spare.
DATA_MAX_ENTRIES = 4096
DATA_MAX_BYTES = 16 * 1024 * 1024
# Query answers: a page of 200 standards is about 100 KB, every timescale
# rule 250 KB, one calendar's holidays over the whole 2012-2060 range 27 KB;
# the byte bound is the one that binds (at most 32 MiB a worker).
QUERY_MAX_ENTRIES = 1024
QUERY_MAX_BYTES = 32 * 1024 * 1024
# How long a request waits for another request's computation of the same
# answer before computing it itself (a computation takes well under a second).
FLIGHT_WAIT_SECONDS = 10.0

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag sent in If-None-Match is still current."}
}


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes
    etag: str


class _Flight:
    """One computation in progress, which later requests for its key wait on."""

    __slots__ = ("answer", "done")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.answer: Answer | None = None


class AnswerCache:
    """A thread-safe LRU map of answers, bounded by entries and by bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Answer] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._bytes = 0
        # Held only for dictionary operations, never while computing, so
        # taking it on the event loop costs microseconds.
        self._lock = threading.Lock()
        self.hits = 0
        self.computed = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes of the bodies held."""
        return self._bytes

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            return self._hit(key)

    def _hit(self, key: Hashable) -> Answer | None:
        """The entry, counted and made most recent; the caller holds the lock."""
        answer = self._entries.get(key)
        if answer is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return answer

    def get_or_compute(self, key: Hashable, compute: Callable[[], Answer]) -> Answer:
        """The cached answer, or `compute()`'s, computed once for concurrent callers."""
        with self._lock:
            answer = self._hit(key)
            if answer is not None:
                return answer
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leader:
            if flight.done.wait(FLIGHT_WAIT_SECONDS) and flight.answer is not None:
                return flight.answer
            # The computation failed (its error is not cached: this request
            # meets it afresh) or is slow: compute, without caching.
            return compute()
        try:
            answer = compute()
            flight.answer = answer
            with self._lock:
                self.computed += 1
                self._put(key, answer)
            return answer
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()

    def _put(self, key: Hashable, answer: Answer) -> None:
        size = len(answer.body)
        if size > self.max_bytes:
            return  # served, not kept: it would push out everything else
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._entries[key] = answer
        self._bytes += size
        # Bounded: each pass removes one entry, and the new one fits alone.
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= len(dropped.body)


@dataclass(frozen=True)
class ReferenceCaches:
    data: AnswerCache
    queries: AnswerCache


def install(app: FastAPI) -> None:
    """Give the app its own caches (a second app in one process starts empty)."""
    app.state.reference_caches = ReferenceCaches(
        data=AnswerCache(DATA_MAX_ENTRIES, DATA_MAX_BYTES),
        queries=AnswerCache(QUERY_MAX_ENTRIES, QUERY_MAX_BYTES),
    )


@lru_cache(maxsize=64)
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def encode(payload: Any, annotation: Any) -> Answer:
    """Serialise `payload` as `annotation`; the ETag is a digest of the bytes."""
    body = _adapter(annotation).dump_json(payload, by_alias=True)
    return Answer(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def respond(request: Request, answer: Answer) -> Response:
    """200 with the body and its ETag, or 304 when If-None-Match holds the ETag."""
    headers = {"ETag": answer.etag, "Cache-Control": CACHE_CONTROL}
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and _matches(if_none_match, answer.etag):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type="application/json", headers=headers)


async def reference(
    request: Request,
    key: tuple[Hashable, ...],
    annotation: Any,
    produce: Callable[[], Any],
    *,
    per_query: bool = False,
) -> Response:
    """Answer a reference-data GET from memory, computing it in the thread pool once.

    `key` must hold the version of the data and every (validated, normalised)
    parameter the answer depends on; `produce()` builds the payload, typed as
    `annotation`, and may raise a ServiceError (404, 422, 503: not cached).
    `per_query`: the key holds query-string values, so it goes in the
    `queries` cache.
    """
    caches: ReferenceCaches = request.app.state.reference_caches
    cache = caches.queries if per_query else caches.data
    answer = cache.get(key)
    if answer is None:
        answer = await run_in_threadpool(
            cache.get_or_compute, key, lambda: encode(produce(), annotation)
        )
    return respond(request, answer)

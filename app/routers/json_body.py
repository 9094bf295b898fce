"""Reading JSON bodies so that nothing the caller sent is dropped silently.

JSON parsers keep the last of two equal keys in an object and drop the first
without a word: `{"cases": [...], "cases": []}` would be read as no cases, a
repeated `events` as the second list alone. `parse_json` refuses any key given
twice in the same object, anywhere in the document, with a 400 problem naming
the key and where it is (`["body", "cases", 3, "events"]` for a second `events`
in the fourth case).

It also refuses what the service's other JSON reader (pydantic's) refuses and
Python's `json` module would let through: NaN and Infinity, numbers too large
for a float, lone surrogates (`"\\ud800"`, which no encoder can write back), and
nesting deep enough to exhaust the parser.

`JSONBodyRoute` makes FastAPI's own body parsing go through `parse_json`, once:
FastAPI's documented pattern of a custom `APIRoute` and `Request` class.

Cost, measured on 3,000 synthetic cases (19 events each) on a 2-core 2 GHz
machine: reading a case line with the careful reader (json, with a Python
hook on every object) takes 46 us, against 9 us for orjson, which cannot see
a repeated key. JSON written compactly (orjson's, JavaScript's, most
encoders') is read by orjson and written back: the same bytes mean the same
value with each key once, in 13 us (`_compact_value`); anything else, Python's
`json.dumps` with its spaces among it, is read by the careful reader.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from app.errors import FieldError, MalformedRequest

Loc = tuple[str | int, ...]

# A \uD800-\uDFFF escape: a surrogate, which is only valid as the half of a pair.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
# A surrogate left in a decoded text: the json module joins escaped pairs into
# one character, so any that remains is half a pair, which no encoder can write.
_LONE = re.compile(r"[\ud800-\udfff]")
KEY_SHOWN = 80  # characters of a duplicate key quoted back in the problem


class _NotJSON(ValueError):
    """Text that JSON allows but this service does not read (NaN, 1e999)."""


class _Duplicate(dict[str, Any]):
    """An object that had a key twice: the key, kept to be reported."""

    key: str


# Set by the decoder's hook when it marks an object, so that only a body with
# a repeated key is walked; per thread, as bodies are parsed in the thread pool.
_seen = threading.local()


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Called by the json module for every object, innermost first. The usual
    # case, no key twice, costs one dict and one comparison of lengths.
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    marked = _Duplicate(obj)
    for key, _ in pairs:  # bounded by the object's keys; the first repeated one is named
        if key in seen:
            marked.key = key
            break
        seen.add(key)
    _seen.duplicate = True
    return marked


def _constant(name: str) -> Any:
    raise _NotJSON(f"{name} is not a number JSON can carry")


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NotJSON("a number too large")
    return value


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float)


def invalid_json(loc: Loc, what: str = "The body") -> RequestValidationError:
    """The 422 for text that cannot be read as JSON, as pydantic reports it
    (json_invalid): a 422 like any other field that is not valid, where a key
    given twice is a 400 because the text is JSON but its meaning is not known."""
    return RequestValidationError(
        [
            {
                "loc": loc,
                "msg": f"{what} is not valid JSON: UTF-8 JSON (RFC 8259) without NaN, "
                "Infinity, numbers too large for a float or unpaired surrogates",
                "type": "json_invalid",
            }
        ]
    )


def parse_json(raw: bytes, loc: Loc = ("body",), what: str = "The body") -> Any:
    """The JSON value of `raw`; a MalformedRequest (400) for a key given twice
    in one object, a RequestValidationError (422, json_invalid) for text that
    is not JSON. `loc` is where `raw` sits in the request (("body", 7) for
    line 7 of an NDJSON body)."""
    value = _compact_value(raw)
    if value is not _NOT_COMPACT:
        return value
    return _careful_value(raw, loc, what)


def _careful_value(raw: bytes, loc: Loc = ("body",), what: str = "The body") -> Any:
    """parse_json's reader for any text: Python's json, with a hook on every object."""
    try:
        text = raw.decode("utf-8")  # strict: encoded surrogates are refused here
        _seen.duplicate = False
        value = _DECODER.decode(text)
    except (ValueError, RecursionError):  # JSONDecodeError, _NotJSON, bad UTF-8, deep nesting
        raise invalid_json(loc, what) from None
    if _SURROGATE_ESCAPE.search(raw) and _has_lone_surrogate(value):
        raise invalid_json(loc, what)
    found = _find_duplicate(value) if _seen.duplicate else None
    if found is not None:
        path, key = found
        shown = key if len(key) <= KEY_SHOWN else key[:KEY_SHOWN] + "..."
        where = ".".join(str(p) for p in (*loc, *path))
        # loc names the key itself, as a validation error names a field.
        raise MalformedRequest(
            f"The key {shown!r} is given more than once in the object at {where}: "
            "a JSON reader would silently keep only one of them. Send each key once.",
            [
                FieldError(
                    (*loc, *path, shown), f"Key {shown!r} given more than once", "duplicate_key"
                )
            ],
        )
    return value


_NOT_COMPACT = object()


def _compact_value(raw: bytes) -> Any:
    """The value of `raw` when it is written compactly, keys in order, as
    orjson, JavaScript's JSON.stringify and most encoders write JSON: read by
    orjson and written back byte for byte. Else _NOT_COMPACT, for the careful
    reader above, which then says what is wrong (if anything is).

    The same bytes back mean the same value the careful reader gives, with
    nothing it would refuse: a key given twice would be written back once (and
    the text shorter); NaN, Infinity, a number too large for a float, a lone
    surrogate or invalid UTF-8 are not read by orjson; an integer too large
    for 64 bits, an escaped character or a space is written back otherwise;
    nesting beyond 255 levels orjson does not write. A fast path: the careful
    reader costs five times as much (its hook is Python, for every object).
    """
    try:
        value = orjson.loads(raw)
        if orjson.dumps(value) == raw:
            return value
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    return _NOT_COMPACT


def _find_duplicate(value: Any) -> tuple[Loc, str] | None:
    """Where the first object with a repeated key is, and the key; None if none.

    Called only when the decoder marked an object: a walk of every request
    would cost as much again as parsing it."""
    stack: list[tuple[Loc, Any]] = [((), value)]
    while stack:  # bounded: each node of the value is pushed once
        path, node = stack.pop()
        if isinstance(node, _Duplicate):
            return path, node.key
        if isinstance(node, dict):
            items = list(node.items())
            stack.extend(((*path, k), v) for k, v in reversed(items))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
    return None


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:  # bounded: each node of the value is pushed once
        node = stack.pop()
        if isinstance(node, str):
            if _LONE.search(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


# -- FastAPI's body parsing --------------------------------------------------------------------

LARGE_BODY = 64 * 1024  # bytes from which a body is parsed in the thread pool, off the event loop


class _ParsedJSONRequest(Request):
    """A request whose JSON body `parse_json` has read already: FastAPI's own
    `await request.json()` gets that value and does not parse it again."""

    parsed: Any = None

    async def json(self) -> Any:
        return self.parsed


def _reads_json(content_type: str | None, strict: bool) -> bool:
    """Whether FastAPI would read this body as JSON (its own test, in
    fastapi.routing: application/json or +json; no Content-Type only when the
    route does not insist on one)."""
    if not content_type:
        return not strict
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


class JSONBodyRoute(APIRoute):
    """A route whose JSON body is parsed once, by `parse_json`, before FastAPI
    validates it: a key given twice is a 400 naming the key, where FastAPI's
    `json.loads` would keep the last one.

    FastAPI turns any exception raised while it reads a body into a bare 400,
    so the body is read and checked here, outside that, and handed on in a
    request that already holds it (FastAPI's "custom Request and APIRoute
    class" pattern)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler  # no body, or one the operation reads itself
        strict = getattr(self.strict_content_type, "value", self.strict_content_type)

        async def checked(request: Request) -> Response:
            if not _reads_json(request.headers.get("content-type"), bool(strict)):
                return await handler(request)
            parsed = _ParsedJSONRequest(request.scope, request.receive)
            raw = await parsed.body()
            if raw:
                if len(raw) >= LARGE_BODY:
                    parsed.parsed = await run_in_threadpool(parse_json, raw)
                else:
                    parsed.parsed = parse_json(raw)
            return await handler(parsed)

        return checked


# -- a key read from text that is not (all) JSON -------------------------------------------------

# One JSON token: a string, a punctuation mark, or a bare word (number, true...).
_TOKEN = re.compile(rb'\s*(?:("(?:[^"\\\r\n]|\\.)*")|([{}\[\]:,])|([^\s{}\[\]:,"]+))')


def top_level_text(raw: bytes, key: str) -> str | None:
    """The text value of `key` in the object that `raw` starts with, read token
    by token so that it works on a line cut short or broken further on: the
    `case_id` of an NDJSON line that is too long or not valid JSON. None when
    the line does not start with an object, when the key is not found at its
    top level in `raw`, is given twice there, or its value is not a text."""
    stack: list[bytes] = []
    want_key = False  # the next text at the top level is a key
    current: str | None = None  # the top-level key whose value comes next
    found: str | None = None
    pos = 0
    while pos < len(raw):  # bounded: every turn consumes at least one byte
        match = _TOKEN.match(raw, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        text, mark, bare = match.groups()
        top = stack == [b"{"]
        if mark in (b"{", b"["):
            if not stack and mark != b"{":
                return None
            if top:
                current = None  # the value is an object or a list, not a text
            stack.append(mark)
            want_key = stack == [b"{"]
        elif mark in (b"}", b"]"):
            if not stack:
                break
            stack.pop()
            if not stack:
                break  # the end of the line's object
        elif mark == b",":
            want_key = top
        elif text is not None:
            if not stack:
                return None
            if top and want_key:
                current, want_key = _text(text), False
            elif top and current is not None:
                if current == key:
                    if found is not None:
                        return None  # given twice: which one was meant is not known
                    found = _text(text)
                current = None
        elif bare is not None:
            if not stack:
                return None
            if top:
                current = None
    return found


def _text(token: bytes) -> str | None:
    try:
        value = json.loads(token.decode("utf-8"))
    except ValueError:
        return None
    return value if isinstance(value, str) and not _LONE.search(value) else None


def read_by_hand(schema: str, description: str) -> dict[str, Any]:
    """The OpenAPI requestBody of an operation that reads its JSON body itself
    (so that FastAPI declares none): the model `schema` in components, required."""
    return {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        "description": description,
    }

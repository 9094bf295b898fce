"""Nothing a caller sends is lost silently: duplicate keys, over-long NDJSON
lines, loosely typed values, and the NDJSON answer spooled rather than held."""

import json
import tempfile

import orjson
import pytest
from fastapi.exceptions import RequestValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import MalformedRequest
from app.routers import deadlines, json_body
from app.routers.json_body import parse_json
from tests.ndjson import asgi_post

MALFORMED = "urn:children-timescales:problem:malformed-request"
INVALID = "urn:children-timescales:problem:invalid-input"
NDJSON = {"Content-Type": "application/x-ndjson"}
HEADER = '{"authority": "gloucestershire", "as_of": "2026-11-23"}'
EVENT = '{"type": "strategy_discussion_held", "date": "2026-10-01"}'


def good(case_id):
    return f'{{"case_id": "{case_id}", "events": [{EVENT}]}}'


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def rows_of(text):
    return [json.loads(line) for line in text.splitlines()]


def ndjson(client, lines):
    r = client.post("/v1/overdue", content="\n".join(lines) + "\n", headers=NDJSON)
    assert r.status_code == 200, r.text
    return rows_of(r.text)


# -- duplicate keys ----------------------------------------------------------------------------

DEADLINES_BODY = (
    '{"authority": "gloucestershire", "as_of": "2026-11-23", "child": {CHILD}, '
    '"events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}, {EVENT1}]{MORE}}'
)
CHILD = '{"date_of_birth": "2012-04-02"}'
EVENT1 = '{"type": "placement_started", "date": "2026-10-02", "attributes": {ATTRS}}'
ATTRS = '{"placement_type": "foster", "emergency": false}'


def deadlines_body(child=CHILD, event1=EVENT1, attrs=ATTRS, more=""):
    event1 = event1.replace("{ATTRS}", attrs)
    return (
        DEADLINES_BODY.replace("{CHILD}", child).replace("{EVENT1}", event1).replace("{MORE}", more)
    )


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (deadlines_body(more=', "events": []'), ["body", "events"]),
        (deadlines_body(more=', "as_of": "2026-01-01"'), ["body", "as_of"]),
        (
            deadlines_body(child='{"date_of_birth": "2012-04-02", "date_of_birth": "2010-01-01"}'),
            ["body", "child", "date_of_birth"],
        ),
        (
            deadlines_body(
                event1='{"type": "icpc_held", "date": "2026-10-02", "date": "2026-10-03"}'
            ),
            ["body", "events", 1, "date"],
        ),
        (
            deadlines_body(
                attrs='{"placement_type": "foster", "emergency": true, "emergency": false}'
            ),
            ["body", "events", 1, "attributes", "emergency"],
        ),
    ],
    ids=["top-level", "top-level-scalar", "child", "event", "attributes"],
)
def test_a_duplicate_key_in_a_deadlines_body_is_a_400_naming_it(client, body, loc):
    json.loads(body)  # the body is JSON: only the repeated key is wrong
    r = client.post("/v1/deadlines", content=body, headers={"Content-Type": "application/json"})
    answer = problem(r, 400)
    assert answer["type"] == MALFORMED
    assert answer["errors"] == [
        {"loc": loc, "msg": f"Key '{loc[-1]}' given more than once", "type": "duplicate_key"}
    ]
    assert f"'{loc[-1]}'" in answer["detail"]


def test_the_same_body_without_the_duplicate_is_answered(client):
    r = client.post(
        "/v1/deadlines", content=deadlines_body(), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["deadlines"]


def overdue_body(cases, more=""):
    return (
        '{"authority": "gloucestershire", "as_of": "2026-11-23", "cases": ['
        + ", ".join(cases)
        + "]"
        + more
        + "}"
    )


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (overdue_body([good("A")], ', "cases": []'), ["body", "cases"]),
        (
            overdue_body([good("A"), f'{{"case_id": "B", "events": [{EVENT}], "events": []}}']),
            ["body", "cases", 1, "events"],
        ),
        (
            overdue_body(
                [
                    good("A"),
                    good("B"),
                    f'{{"case_id": "C", "child": {{"date_of_birth": "2012-04-02", '
                    f'"date_of_birth": "2012-04-03"}}, "events": [{EVENT}]}}',
                ]
            ),
            ["body", "cases", 2, "child", "date_of_birth"],
        ),
        (
            overdue_body(
                [
                    '{"case_id": "A", "events": [{"type": "icpc_held", "type": "s47_started",'
                    ' "date": "2026-10-01"}]}'
                ]
            ),
            ["body", "cases", 0, "events", 0, "type"],
        ),
        (
            overdue_body(
                [
                    '{"case_id": "A", "events": [' + EVENT + ', {"type": "s47_completed", '
                    '"date": "2026-10-02", "attributes": {"icpc_required": true, '
                    '"icpc_required": false}}]}'
                ]
            ),
            ["body", "cases", 0, "events", 1, "attributes", "icpc_required"],
        ),
        (overdue_body([good("A")], ', "authority": "england"'), ["body", "authority"]),
    ],
    ids=["cases", "in-a-case", "child", "event", "attributes", "header"],
)
def test_a_duplicate_key_in_a_json_caseload_is_a_400_for_the_request(client, body, loc):
    json.loads(body)
    r = client.post("/v1/overdue", content=body, headers={"Content-Type": "application/json"})
    answer = problem(r, 400)
    assert answer["type"] == MALFORMED
    assert [e["loc"] for e in answer["errors"]] == [loc]


def test_a_duplicate_key_in_the_ndjson_header_is_a_400_for_the_request(client):
    header = '{"authority": "gloucestershire", "as_of": "2026-11-23", "as_of": "2026-01-01"}'
    r = client.post("/v1/overdue", content=f"{header}\n{good('A')}\n", headers=NDJSON)
    answer = problem(r, 400)
    assert answer["type"] == MALFORMED
    assert [e["loc"] for e in answer["errors"]] == [["body", 1, "as_of"]]


@pytest.mark.parametrize(
    ("line", "case_id", "loc"),
    [
        (f'{{"case_id": "D", "events": [{EVENT}], "events": []}}', "D", ["events"]),
        (
            f'{{"case_id": "D", "child": {{"date_of_birth": "2012-04-02", '
            f'"date_of_birth": "2012-04-03"}}, "events": [{EVENT}]}}',
            "D",
            ["child", "date_of_birth"],
        ),
        (
            f'{{"case_id": "D", "events": [{EVENT}, {{"type": "icpc_held", '
            '"date": "2026-10-02", "ref": "R1", "ref": "R2"}]}',
            "D",
            ["events", 1, "ref"],
        ),
        (
            '{"case_id": "D", "events": [{"type": "statutory_visit", "date": "2026-10-02", '
            '"attributes": {"seen_alone": true, "seen_alone": false}}]}',
            "D",
            ["events", 0, "attributes", "seen_alone"],
        ),
        # Which of two ids was meant is not known: none is given.
        (f'{{"case_id": "D", "case_id": "E", "events": [{EVENT}]}}', None, ["case_id"]),
    ],
    ids=["events", "child", "event", "attributes", "case_id"],
)
def test_a_duplicate_key_in_an_ndjson_case_is_a_problem_line_and_the_rest_are_answered(
    client, line, case_id, loc
):
    rows = ndjson(client, [HEADER, good("A"), line, good("B")])
    alone = ndjson(client, [HEADER, good("A"), good("B")])
    bad = [row for row in rows if "problem" in row]
    assert len(bad) == 1
    assert (bad[0]["case_id"], bad[0]["line"]) == (case_id, 3)
    assert bad[0]["problem"]["status"] == 400
    assert bad[0]["problem"]["type"] == MALFORMED
    assert [e["loc"] for e in bad[0]["problem"]["errors"]] == [["body", 3, *loc]]
    # the other cases are answered exactly as without the bad line
    assert [row for row in rows if "problem" not in row and "summary" not in row] == alone[:-1]
    assert rows[-1]["summary"] == {**alone[-1]["summary"], "cases": 3, "problems": 1}


# -- NDJSON lines: too long, or not valid ------------------------------------------------------


@pytest.fixture
def short_lines(monkeypatch):
    """A line limit small enough to test with many chunk sizes quickly."""
    monkeypatch.setattr(deadlines, "MAX_LINE", 300)
    monkeypatch.setattr(deadlines, "LINE_HEAD", 100)


def long_case(case_id, size):
    events = ", ".join([EVENT] * (size // len(EVENT) + 1))
    line = f'{{"case_id": "{case_id}", "events": [{events}]}}'
    assert len(line) > size
    return line


@pytest.mark.parametrize("chunk", [1, 7, 64, 299, 301, 10_000])
def test_an_over_long_ndjson_line_is_a_problem_line_for_its_case(short_lines, chunk):
    lines = [HEADER, good("A"), long_case("LONG", 1000), good("B"), long_case("TAIL", 400)]
    status, body = asgi_post(("\n".join(lines) + "\n").encode(), chunk)
    assert status == 200
    rows = rows_of(body.decode())
    status, body = asgi_post(("\n".join([HEADER, good("A"), good("B")]) + "\n").encode(), chunk)
    alone = rows_of(body.decode())
    bad = [row for row in rows if "problem" in row]
    assert [(row["case_id"], row["line"]) for row in bad] == [("LONG", 3), ("TAIL", 5)]
    assert [row["problem"]["errors"][0]["loc"] for row in bad] == [["body", 3], ["body", 5]]
    assert {row["problem"]["errors"][0]["type"] for row in bad} == {"too_long"}
    assert [row for row in rows if "problem" not in row and "summary" not in row] == alone[:-1]
    assert rows[-1]["summary"] == {**alone[-1]["summary"], "cases": 4, "problems": 2}


def test_an_over_long_last_line_without_a_newline_and_an_id_out_of_reach(short_lines):
    # The id comes after the events, beyond the start that is kept: not known.
    events = ", ".join([EVENT] * 10)
    last = f'{{"events": [{events}], "case_id": "LATE"}}'
    status, body = asgi_post(("\n".join([HEADER, good("A"), last])).encode(), 50)
    assert status == 200
    rows = rows_of(body.decode())
    bad = [row for row in rows if "problem" in row]
    assert [(row["case_id"], row["line"]) for row in bad] == [(None, 3)]
    assert rows[-1]["summary"]["cases"] == 2


def test_a_line_just_at_the_limit_is_read(short_lines):
    line = good("A")
    line = line[:-1] + " " * (300 - len(line)) + "}"
    assert len(line) == 300
    status, body = asgi_post(f"{HEADER}\n{line}\n".encode(), 64)
    assert status == 200
    assert rows_of(body.decode())[-1]["summary"]["problems"] == 0


def test_an_over_long_line_at_the_real_limit(client):
    line = long_case("BIG", deadlines.MAX_LINE)
    rows = ndjson(client, [HEADER, line, good("A")])
    bad = [row for row in rows if "problem" in row]
    assert [(row["case_id"], row["line"]) for row in bad] == [("BIG", 2)]
    assert rows[-1]["summary"]["cases"] == 2 and rows[-1]["summary"]["problems"] == 1
    assert any(row.get("case_id") == "A" and "rule_id" in row for row in rows)


def test_an_over_long_header_line_is_an_error_for_the_request(short_lines):
    header = HEADER[:-1] + ', "closed_days": [' + ", ".join(['"2026-12-29"'] * 30) + "]}"
    status, body = asgi_post(f"{header}\n{good('A')}\n".encode(), 64)
    assert status == 422
    assert json.loads(body)["errors"][0]["loc"] == ["body", 1]


@pytest.mark.parametrize(
    ("line", "case_id", "type_"),
    [
        ('{"case_id": "J", "events": [}', "J", "json_invalid"),
        ('{"case_id": "J", "events": [' + EVENT, "J", "json_invalid"),
        ('{"events": [], "child": {"case_id": "X"}, "case_id": "J" oops}', "J", "json_invalid"),
        ('{"case_id": "S", "events": "none"}', "S", "list_type"),
        ('{"case_id": "S", "events": [{"type": "icpc_held"}]}', "S", "missing"),
        ('{"case_id": "V", "events": [{"type": "icpc_held", "date": "2026-13-45"}]}', "V", None),
        ('{"case_id": "N", "events": [{"type": "icpc_held", "date": NaN}]}', "N", "json_invalid"),
        ("not json at all", None, "json_invalid"),
        ('["case_id", "J"]', None, "model_type"),
        ('{"case_id": 7, "events": []}', None, "string_type"),
        ('{"case_id": "' + "x" * 201 + '", "events": []}', None, "string_too_long"),
    ],
)
def test_an_invalid_line_carries_its_case_id_when_it_can_be_read(client, line, case_id, type_):
    rows = ndjson(client, [HEADER, good("A"), line, good("B")])
    bad = [row for row in rows if "problem" in row]
    assert [(row["case_id"], row["line"]) for row in bad] == [(case_id, 3)]
    errors = bad[0]["problem"]["errors"]
    assert errors[0]["loc"][:2] == ["body", 3]
    if type_ is not None:
        assert errors[0]["type"] == type_
    assert rows[-1]["summary"]["cases"] == 3 and rows[-1]["summary"]["problems"] == 1


@pytest.mark.parametrize(
    "body",
    [
        '{"authority": "england", "as_of": "2026-11-23", "events": [], "x": NaN}',
        '{"authority": "england", "as_of": "2026-11-23", "events": [], "x": 1e999}',
        '{"authority": "england", "as_of": "2026-11-23", "events": [{"type": "icpc_held", '
        '"date": "2026-11-20", "ref": "\\ud800"}]}',
        "[" * 100_000 + "]" * 100_000,
        '{"authority": "england", "events": []',
    ],
    ids=["nan", "infinity", "lone-surrogate", "deep", "truncated"],
)
def test_json_that_cannot_be_read_faithfully_is_refused_not_crashed(client, body):
    for path in ("/v1/deadlines", "/v1/overdue"):
        r = client.post(path, content=body, headers={"Content-Type": "application/json"})
        answer = problem(r, 422)
        assert answer["type"] == INVALID
        assert [(e["loc"], e["type"]) for e in answer["errors"]] == [(["body"], "json_invalid")]
        assert answer["errors"][0]["msg"].startswith("The body is not valid JSON")


def test_an_escaped_surrogate_pair_is_read(client):
    body = (
        '{"authority": "england", "as_of": "2026-11-23", "events": [{"type": "icpc_held", '
        '"date": "2026-11-20", "ref": "\\ud83d\\ude00"}]}'
    )
    r = client.post("/v1/deadlines", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text


# -- compact JSON: read by orjson and written back (app/routers/json_body.py) ------------------


def compact(text):
    """The same JSON without the spaces (as JavaScript and orjson write it):
    the fast reader's input. The bodies here have no ", " or ": " in a value."""
    return text.replace(", ", ",").replace(": ", ":")


def refusal(raw):
    """What parse_json refuses `raw` with: (the exception's type, its errors)."""
    with pytest.raises((MalformedRequest, RequestValidationError)) as caught:
        parse_json(raw.encode())
    exc = caught.value
    errors = exc.errors() if isinstance(exc, RequestValidationError) else exc.errors
    return type(exc), errors


@pytest.mark.parametrize(
    "body",
    [
        deadlines_body(more=', "events": []'),
        deadlines_body(event1='{"type": "icpc_held", "date": "2026-10-02", "date": "2026-10-03"}'),
        deadlines_body(attrs='{"placement_type": "foster", "emergency": true, "emergency": false}'),
        overdue_body([good("A"), f'{{"case_id": "B", "events": [{EVENT}], "events": []}}']),
        '{"authority": "england", "as_of": "2026-11-23", "events": [], "x": NaN}',
        '{"authority": "england", "as_of": "2026-11-23", "events": [], "x": 1e999}',
        '{"authority": "england", "events": [{"type": "icpc_held", "ref": "\\ud800"}]}',
        "[" * 100_000 + "]" * 100_000,
        '{"authority": "england", "events": []',
    ],
    ids=[
        "duplicate-top",
        "duplicate-event",
        "duplicate-attribute",
        "duplicate-case",
        "nan",
        "infinity",
        "lone-surrogate",
        "deep",
        "truncated",
    ],
)
def test_compact_json_is_refused_for_what_the_spaced_is(body):
    assert compact(body) != body or body.startswith("[")
    assert refusal(compact(body)) == refusal(body)


@pytest.mark.parametrize(
    "raw",
    [
        '{"n":123456789012345678901234567890}',  # orjson would read a float
        '{"n":18446744073709551615,"m":-9223372036854775808}',
        '{"x":1.0,"y":1e5,"z":-0,"w":0.1}',
        r'{"t":"caf\u00e9","u":"café","v":"a\\\"b","e":"\ud83d\ude00"}',
        '{"a":{"b":[1,{"c":null}]},"d":[]}',
        "[" * 300 + "]" * 300,  # deeper than orjson writes (255): the careful reader's
    ],
)
def test_compact_json_is_read_as_the_careful_reader_reads_it(raw):
    value = parse_json(raw.encode())
    expected = json.loads(raw)
    assert value == expected
    assert json.dumps(value) == json.dumps(expected)  # the same types: 1 is not 1.0


def test_the_synthetic_caseload_written_compactly_is_read_whole():
    from scripts.synthetic_caseload import generate

    for case in generate(50):
        raw = orjson.dumps(case)
        assert parse_json(raw) == case == json.loads(raw)


def test_a_duplicate_key_in_a_compact_ndjson_case_is_a_problem_line(client):
    line = compact(f'{{"case_id": "D", "events": [{EVENT}], "events": []}}')
    rows = ndjson(client, [compact(HEADER), compact(good("A")), line])
    bad = [row for row in rows if "problem" in row]
    assert [row["case_id"] for row in bad] == ["D"]
    assert bad[0]["problem"]["errors"][0]["loc"] == ["body", 3, "events"]


# Any JSON value: the careful reader and the fast one must agree on every text.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.booleans())
def test_any_json_is_read_as_the_careful_reader_reads_it(value, spaced):
    # Compact (the fast path's) or spaced (the careful reader's), the value and
    # its types are those of the careful reader.
    separators = (", ", ": ") if spaced else (",", ":")
    raw = json.dumps(value, separators=separators, ensure_ascii=False).encode()
    read = parse_json(raw)
    assert json.dumps(read) == json.dumps(json_body._careful_value(raw))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), JSON_VALUES, min_size=1, max_size=4), st.data())
def test_any_key_given_twice_is_refused_compact_or_not(value, data):
    # An object written with one of its keys twice, anywhere in a compact text.
    key = data.draw(st.sampled_from(sorted(value)))

    def compact_json(v):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)

    pairs = [f"{compact_json(k)}:{compact_json(v)}" for k, v in value.items()]
    pairs.append(f"{compact_json(key)}:null")
    raw = ("[{" + ",".join(pairs) + "}]").encode()
    with pytest.raises(MalformedRequest):
        parse_json(raw)


# -- strict values -----------------------------------------------------------------------------

ADD = "/v1/calendars/england-and-wales/add-working-days?date=2026-01-05&days="


@pytest.mark.parametrize(
    "days", ["1_000", "+5", "%205", "5%20", "5.0", "5e0", "0x5", "%D9%A5", "", "true", "--5"]
)
def test_an_integer_query_parameter_is_plain_digits(client, days):
    answer = problem(client.get(ADD + days), 422)
    assert [e["loc"] for e in answer["errors"]] == [["query", "days"]]


@pytest.mark.parametrize(("days", "value"), [("5", 5), ("-5", -5), ("0", 0), ("007", 7)])
def test_plain_digits_are_read(client, days, value):
    r = client.get(ADD + days)
    assert r.status_code == 200, r.text
    assert r.json()["days"] == value


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("limit=1_0", "limit"),
        ("limit=+10", "limit"),
        ("offset=0.0", "offset"),
        ("offset=1e1", "offset"),
    ],
)
def test_paging_parameters_are_plain_digits(client, query, name):
    answer = problem(client.get("/v1/standards?" + query), 422)
    assert [e["loc"] for e in answer["errors"]] == [["query", name]]


def test_paging_in_digits_is_read(client):
    r = client.get("/v1/standards?limit=2&offset=1")
    assert r.status_code == 200, r.text
    assert (r.json()["limit"], r.json()["offset"], len(r.json()["items"])) == (1 + 1, 1, 2)


@pytest.mark.parametrize(
    "date",
    ["2026-01-05T00:00:00", "1767571200", "20260105", "2026-1-5", "%D9%A2026-01-05", "2026-02-30"],
)
def test_a_date_query_parameter_is_yyyy_mm_dd(client, date):
    answer = problem(client.get(f"/v1/calendars/england-and-wales/working-day?date={date}"), 422)
    assert [e["loc"] for e in answer["errors"]] == [["query", "date"]]


def test_the_openapi_types_of_strict_query_parameters_are_unchanged(client):
    schema = client.get("/openapi.json").json()
    days = next(
        p
        for p in schema["paths"]["/v1/calendars/{calendar_id}/add-working-days"]["get"][
            "parameters"
        ]
        if p["name"] == "days"
    )
    assert (days["schema"]["type"], days["schema"]["minimum"], days["schema"]["maximum"]) == (
        "integer",
        -15000,
        15000,
    )
    params = schema["paths"]["/v1/standards"]["get"]["parameters"]
    limit = next(p for p in params if p["name"] == "limit")
    assert (limit["schema"]["type"], limit["schema"]["minimum"]) == ("integer", 1)


CASE = {
    "authority": "gloucestershire",
    "as_of": "2026-11-23",
    "events": [{"type": "strategy_discussion_held", "date": "2026-10-01"}],
}


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"events": [{**CASE["events"][0], "scheduled": 0}]}, ["body", "events", 0, "scheduled"]),
        ({"events": [{**CASE["events"][0], "scheduled": 1}]}, ["body", "events", 0, "scheduled"]),
        (
            {"events": [{**CASE["events"][0], "scheduled": "yes"}]},
            ["body", "events", 0, "scheduled"],
        ),
        (
            {"events": [{**CASE["events"][0], "scheduled": "true"}]},
            ["body", "events", 0, "scheduled"],
        ),
        (
            {
                "events": [
                    {
                        "type": "placement_started",
                        "date": "2026-10-01",
                        "attributes": {"placement_type": "foster", "emergency": "yes"},
                    }
                ]
            },
            ["body", "events", 0, "attributes", "emergency"],
        ),
        ({"child": {"date_of_birth": 1333324800}}, ["body", "child", "date_of_birth"]),
        ({"child": {"date_of_birth": "1333324800"}}, ["body", "child", "date_of_birth"]),
        ({"child": {"date_of_birth": "2012-04-02T00:00:00"}}, ["body", "child", "date_of_birth"]),
        ({"as_of": "1795392000"}, ["body", "as_of"]),
        ({"as_of": "2026-11-23T00:00"}, ["body", "as_of"]),
        ({"history_from": "1767571200"}, ["body", "history_from"]),
        ({"history_from": 20260105}, ["body", "history_from"]),
        ({"closed_days": ["1767571200"]}, ["body", "closed_days", 0]),
        ({"closed_days": ["2026-12-29T00:00:00Z"]}, ["body", "closed_days", 0]),
    ],
)
def test_body_booleans_and_dates_are_strict(client, change, loc):
    answer = problem(client.post("/v1/deadlines", json={**CASE, **change}), 422)
    assert loc in [e["loc"] for e in answer["errors"]]


@pytest.mark.parametrize("value", ["5", True, 5.5, "5.0"])
def test_due_within_working_days_is_a_whole_number(client, value):
    header = {"authority": "gloucestershire", "as_of": "2026-11-23"}
    header["due_within_working_days"] = value
    body = problem(
        client.post("/v1/overdue", json={**header, "cases": []}),
        422,
    )
    assert [e["loc"] for e in body["errors"]] == [["body", "due_within_working_days"]]
    r = client.post("/v1/overdue", content=json.dumps(header) + "\n", headers=NDJSON)
    assert [e["loc"] for e in problem(r, 422)["errors"]] == [["body", 1, "due_within_working_days"]]


# -- the NDJSON answer, spooled ----------------------------------------------------------------


@pytest.fixture
def spools(monkeypatch, tmp_path):
    """Every spool the overdue endpoint makes, in a directory of the test's own."""
    made = []
    original = deadlines._new_spool

    def recording():
        spool = original()
        made.append(spool)
        return spool

    monkeypatch.setattr(deadlines, "_new_spool", recording)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return made


def caseload(n):
    return (
        "\n".join(
            [HEADER, *(good(f"C{k}") if k % 7 else f'{{"case_id": "P{k}"}}' for k in range(n))]
        )
        + "\n"
    ).encode()


def test_a_spooled_answer_is_byte_for_byte_the_one_held_in_memory(
    client, spools, monkeypatch, tmp_path
):
    body = caseload(600)
    in_memory = client.post("/v1/overdue", content=body, headers=NDJSON)
    assert in_memory.status_code == 200
    assert len(in_memory.content) < deadlines.SPOOL_IN_MEMORY
    monkeypatch.setattr(deadlines, "SPOOL_IN_MEMORY", 4096)
    monkeypatch.setattr(deadlines, "ANSWER_CHUNK", 1000)
    on_disk = client.post("/v1/overdue", content=body, headers=NDJSON)
    assert on_disk.status_code == 200
    assert on_disk.content == in_memory.content
    summary = json.loads(on_disk.content.splitlines()[-1])["summary"]
    assert (summary["cases"], summary["problems"]) == (600, 86)
    held, spilled = spools
    assert not held._rolled and spilled._rolled  # the second went to a file
    assert held.closed and spilled.closed
    assert list(tmp_path.iterdir()) == []  # and nothing is left on disk


def test_the_spool_is_removed_when_the_client_goes_away(spools, monkeypatch, tmp_path):
    monkeypatch.setattr(deadlines, "SPOOL_IN_MEMORY", 4096)
    monkeypatch.setattr(deadlines, "ANSWER_CHUNK", 100)
    asgi_post(caseload(300), 4096, gone=True)
    [spool] = spools
    assert spool._rolled and spool.closed
    assert list(tmp_path.iterdir()) == []


def test_the_spool_is_removed_when_the_request_is_refused_midway(
    client, spools, monkeypatch, tmp_path
):
    monkeypatch.setattr(deadlines, "SPOOL_IN_MEMORY", 4096)
    monkeypatch.setattr(deadlines, "BATCH", 10)
    calls = []
    original = deadlines._spool_batch

    def fails_on_the_third(*args):
        # Two batches spooled (past 4096 bytes: on disk), then a fault.
        calls.append(1)
        if len(calls) == 3:
            raise deadlines.Unavailable("full")
        original(*args)

    monkeypatch.setattr(deadlines, "_spool_batch", fails_on_the_third)
    r = client.post("/v1/overdue", content=caseload(300), headers=NDJSON)
    assert problem(r, 503)["type"] == "urn:children-timescales:problem:service-unavailable"
    [spool] = spools
    assert spool._rolled and spool.closed
    assert list(tmp_path.iterdir()) == []


def test_a_full_temporary_directory_is_a_503_not_a_500(client, spools, monkeypatch):
    class Full:
        closed = False

        def tell(self):
            return 0

        def write(self, data):
            raise OSError(28, "No space left on device")

        def close(self):
            self.closed = True

    monkeypatch.setattr(deadlines, "_new_spool", lambda: spools.append(Full()) or spools[-1])
    r = client.post("/v1/overdue", content=caseload(20), headers=NDJSON)
    answer = problem(r, 503)
    assert r.headers["retry-after"] == "30"
    assert "temporary storage" in answer["detail"]
    assert spools[-1].closed


def test_an_answer_over_its_budget_is_a_422_and_its_spool_removed(spools, client, monkeypatch):
    settings = deadlines.get_settings().model_copy(update={"max_ndjson_answer_bytes": 50_000})
    monkeypatch.setattr(deadlines, "get_settings", lambda: settings)
    monkeypatch.setattr(deadlines, "BATCH", 10)
    r = client.post("/v1/overdue", content=caseload(300), headers=NDJSON)
    answer = problem(r, 422)
    assert answer["type"] == "urn:children-timescales:problem:budget-exceeded"
    assert "MAX_NDJSON_ANSWER_BYTES" in answer["detail"]
    [spool] = spools
    assert spool.closed
    # within the budget, the same caseload is answered
    settings = settings.model_copy(update={"max_ndjson_answer_bytes": 10_000_000})
    monkeypatch.setattr(deadlines, "get_settings", lambda: settings)
    assert client.post("/v1/overdue", content=caseload(300), headers=NDJSON).status_code == 200

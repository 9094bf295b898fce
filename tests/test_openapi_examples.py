"""Every operation of the OpenAPI document carries a request and a response
example; each example request is accepted by the app and answers the response
shown. The deadline examples are the README's worked example. And the event
vocabulary is documented in the schema, value by value."""

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.domain.vocabulary import vocabulary
from app.main import app
from app.openapi_examples import TEXT_MEDIA, examples

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENT = app.openapi()
OPERATIONS = {
    op["operationId"]: (method, path, op)
    for path, ops in DOCUMENT["paths"].items()
    for method, op in ops.items()
}


def _readme_block(marker: str) -> Any:
    found = re.search(rf"<!-- {marker} -->\n```json\n(.*?)\n```", README, re.DOTALL)
    assert found, f"README example {marker} is missing"
    return json.loads(found.group(1))


def test_every_operation_has_an_example_and_every_example_an_operation():
    assert set(OPERATIONS) == set(examples())


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_the_document_carries_the_examples(operation_id):
    _, _, op = OPERATIONS[operation_id]
    example = examples()[operation_id]
    body_type, answer_type = TEXT_MEDIA.get(operation_id, ("application/json",) * 2)
    names = {p["name"] for p in op.get("parameters", [])}
    given = example.get("parameters") or {}
    # Every path parameter has an example; no example names a parameter there is not.
    assert set(given) <= names
    assert {p["name"] for p in op.get("parameters", []) if p["in"] == "path"} <= set(given)
    for parameter in op.get("parameters", []):
        if parameter["name"] in given:
            assert parameter["example"] == given[parameter["name"]]
    if "requestBody" in op:
        shown = op["requestBody"]["content"][body_type]["examples"]["worked"]["value"]
        assert shown == example["body"]
    else:
        assert "body" not in example and (given or not names)
    answer = op["responses"]["200"]["content"][answer_type]["examples"]["worked"]
    assert answer["value"] == example["response"] and answer["description"]


def _drop(value: Any, path: str) -> None:
    """Remove a dotted path (a volatile value) from an answer or an example."""
    *parents, last = path.split(".")
    for key in parents:
        value = value[key]
    value.pop(last)


def _matches(shown: Any, answer: Any, shortened: set[str], at: str = "") -> bool:
    """The answer is what is shown; a list at a shortened path starts with what is shown."""
    if isinstance(shown, dict):
        return (
            isinstance(answer, dict)
            and shown.keys() == answer.keys()
            and all(
                _matches(shown[k], answer[k], shortened, f"{at}.{k}" if at else k) for k in shown
            )
        )
    if isinstance(shown, list):
        if not isinstance(answer, list):
            return False
        item_path = f"{at}.*" if at else "*"
        if at in shortened:
            assert shown, f"a shortened list shows at least one entry: {at or 'the answer'}"
            answer = answer[: len(shown)]
        return len(shown) == len(answer) and all(
            _matches(s, a, shortened, item_path) for s, a in zip(shown, answer, strict=True)
        )
    return shown == answer and type(shown) is type(answer)


def _send(client, operation_id: str):
    method, path, op = OPERATIONS[operation_id]
    example = examples()[operation_id]
    given = dict(example.get("parameters") or {})
    for parameter in op.get("parameters", []):
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(given.pop(parameter["name"])))
    body_type, _ = TEXT_MEDIA.get(operation_id, ("application/json",) * 2)
    if "body" not in example:
        return client.request(method.upper(), path, params=given)
    if body_type == "application/json":
        return client.request(method.upper(), path, params=given, json=example["body"])
    return client.request(
        method.upper(),
        path,
        params=given,
        content=example["body"],
        headers={"Content-Type": body_type},
    )


JSON_OPERATIONS = sorted(set(OPERATIONS) - set(TEXT_MEDIA))


@pytest.mark.parametrize("operation_id", JSON_OPERATIONS)
def test_each_example_request_answers_the_example_response(client, operation_id):
    example = examples()[operation_id]
    r = _send(client, operation_id)
    assert r.status_code == 200, r.text
    answer, shown = r.json(), copy.deepcopy(example["response"])
    for path in example.get("volatile", []):  # versions: left out, by name
        _drop(answer, path)
        _drop(shown, path)
    assert _matches(shown, answer, set(example.get("shortened", []))), json.dumps(answer)[:2000]


def test_the_ndjson_example_answers_the_example_lines(client):
    r = _send(client, "list_overdue_ndjson")
    assert r.status_code == 200, r.text
    answer = [json.loads(line) for line in r.text.splitlines()]
    shown = [
        json.loads(line) for line in examples()["list_overdue_ndjson"]["response"].splitlines()
    ]
    for lines in (answer, shown):
        lines[-1].pop("provenance")  # the one volatile value
    assert answer == shown


def test_the_icalendar_example_is_the_start_of_the_answer(client):
    r = _send(client, "compute_deadlines_icalendar")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")

    def lines(text: str) -> list[str]:
        # DTSTAMP is the time of the answer: the one volatile line.
        return [line for line in text.split("\r\n") if not line.startswith("DTSTAMP:")]

    shown, answer = lines(examples()["compute_deadlines_icalendar"]["response"]), lines(r.text)
    # Shown: the calendar's head and its first event, then the calendar's end.
    assert shown[-2:] == ["END:VCALENDAR", ""] and answer[-2:] == ["END:VCALENDAR", ""]
    assert answer[: len(shown) - 2] == shown[:-2]
    assert "DTSTART;VALUE=DATE:20261123" in shown  # the README's s47 enquiry, due 23 November


def test_the_deadline_examples_are_the_readme_worked_example():
    request = _readme_block("example:deadlines-request")
    response = _readme_block("example:deadlines-response")
    assert examples()["compute_deadlines"]["body"] == request
    assert examples()["compute_deadlines"]["response"] == response
    assert examples()["compute_deadlines_icalendar"]["body"] == request
    # The counts the README states by hand.
    assert response["deadlines"][0]["due"] == "2026-11-23"  # ICPC: 15 working days from 2 Nov
    assert response["next_due"]["due"] == "2026-11-23"
    # The overdue list is the same case as a caseload of one: its row is the README's
    # next_due, and the rule's words are the README's.
    overdue = examples()["list_overdue"]
    case = overdue["body"]["cases"][0]
    assert case["events"] == request["events"] and case["child"] == request["child"]
    assert {k: v for k, v in overdue["body"].items() if k != "cases"} == {
        k: v for k, v in request.items() if k not in ("events", "child")
    }
    (row,) = overdue["response"]["deadlines"]
    nxt = response["next_due"]
    assert (row["rule_id"], row["due"], row["status"]) == (
        nxt["rule_id"],
        "2026-11-23",
        "due_today",
    )
    rule = overdue["response"]["rules"][row["rule_id"]]
    assert rule["citation"] == nxt["citation"]
    assert rule["interpretation"] == nxt["explanation"]["interpretation"]


def test_the_calendar_examples_are_the_counts_made_by_hand():
    def answer(op):
        return examples()[op]["response"]

    # README "Working days": 5 Sept 2022 + 15 working days, past the State Funeral.
    assert answer("add_working_days")["result"] == "2022-09-27"
    assert answer("working_days_between")["working_days"] == 15  # 3-6, 9-13, 16-20, 23 Nov
    assert [h["date"] for h in answer("list_holidays")] == ["2026-12-25", "2026-12-28"]
    assert answer("get_working_day")["next_working_day"] == "2026-12-29"


def test_the_examples_file_has_a_note_for_each():
    raw = yaml.safe_load((ROOT / "app/data/openapi_examples.yaml").read_text(encoding="utf-8"))
    assert all(e.get("checked") for e in raw.values())


# -- event types in the schema ---------------------------------------------------------------


def _event_schema() -> dict[str, Any]:
    return DOCUMENT["components"]["schemas"]["EventIn"]["properties"]


def test_every_event_type_has_a_description_in_the_schema():
    kinds = _event_schema()["type"]
    types = sorted(vocabulary().event_types)
    assert kinds["enum"] == types
    described = kinds["x-enumDescriptions"]
    assert sorted(described) == types
    assert all(isinstance(text, str) and len(text) > 10 for text in described.values())
    # The same, as a list in the description that every renderer shows.
    for event_type, text in described.items():
        assert f"- `{event_type}`: {text}" in kinds["description"]


def test_the_attributes_are_documented_per_event_type():
    attributes = _event_schema()["attributes"]
    text = attributes["description"]
    for event_type, names in vocabulary().attributes.items():
        for name in names:
            assert f"`{name}`" in text.split(f"- `{event_type}`: ", 1)[1].split("\n", 1)[0]
            assert attributes["properties"][name]["description"]
    assert "`icpc_required` (true or false)" in text
    assert "`location` (a text of at most 200 characters)" in text

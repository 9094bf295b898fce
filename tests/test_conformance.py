"""The published conformance vectors (issue 14): GET /v1/conformance, its JSON Schema, and
the committed file openapi/conformance.json, which this suite runs.

Every vector of the committed file is posted to POST /v1/deadlines and its answer checked
exactly as tests/test_worked_examples.py checks the YAML cases (tests/worked_compare.py),
so a vendor checking their system against the file checks it against the same counts the
service passes. The expected dates are the examples' hand counts; nothing here computes one.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from app.conformance import (
    STATUSES,
    ConformanceDataError,
    build,
    load_examples,
)
from app.domain.engine import REASONS
from app.reference import rulebook
from tests.worked_compare import Row, compare_worked

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "openapi" / "conformance.json"
PUBLISHED_SCHEMA = ROOT / "openapi" / "conformance.schema.json"
EXAMPLES_DIR = ROOT / "app" / "data" / "rules" / "examples"
DOCUMENT = json.loads(PUBLISHED.read_text(encoding="utf-8"))
SCHEMA = json.loads((ROOT / "app" / "data" / "conformance.schema.json").read_text("utf-8"))
VECTORS = DOCUMENT["vectors"]
BOOK = rulebook()
REGENERATE = "run `make conformance` and commit openapi/conformance.json and its schema"


def _yaml_cases() -> list[tuple[str, dict]]:
    """Every case of the examples files, read as plain YAML (not through the builder)."""
    return [
        (path.stem, case)
        for path in sorted(EXAMPLES_DIR.glob("*.yaml"))
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    ]


def check_vector(client, vector: dict) -> None:
    """Post the vector's request as it is and hold the answer to its expected deadlines."""
    answer = client.post("/v1/deadlines", json=vector["request"])
    assert answer.status_code == 200, f"{vector['id']}: {answer.status_code} {answer.text}"
    body = answer.json()
    expected = vector["expected"]
    compare_worked(
        vector["id"],
        vector["why"],
        {
            rule_id: [
                Row(r["due"], r["status"], r["working_days_overdue"], r["inferred"]) for r in rows
            ]
            for rule_id, rows in expected["deadlines"].items()
        },
        expected["first_deadline_only"],
        expected["not_evaluated"],
        [
            (
                d["rule_id"],
                Row(
                    d["due"],
                    d["status"],
                    d["working_days_overdue"],
                    d["explanation"]["anchor"]["inferred"],
                ),
            )
            for d in body["deadlines"]
        ],
        {n["rule_id"]: n["reason"] for n in body["not_evaluated"]},
        BOOK.rule_ids,
    )


# -- the suite runs the published file -------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_every_published_vector_holds(client, vector):
    check_vector(client, vector)


def test_a_vector_that_expects_no_deadline_fails(client):
    vector = copy.deepcopy(VECTORS[0])
    vector["expected"]["deadlines"] = {rule: [] for rule in vector["expected"]["deadlines"]}
    with pytest.raises(AssertionError, match="must expect a deadline"):
        check_vector(client, vector)


def test_a_vector_with_a_wrong_date_fails(client):
    # the first vector's first rule with a deadline, its first due date a day out
    vector = copy.deepcopy(VECTORS[0])
    rule_id, rows = next((k, v) for k, v in vector["expected"]["deadlines"].items() if v)
    rows[0]["due"] = rows[0]["due"][:8] + f"{int(rows[0]['due'][8:]) % 28 + 1:02d}"
    with pytest.raises(AssertionError, match=rule_id.replace(".", r"\.")):
        check_vector(client, vector)


def test_a_vector_with_a_wrong_not_evaluated_reason_fails(client):
    vector = copy.deepcopy(next(v for v in VECTORS if v["expected"]["not_evaluated"]))
    rule_id, reason = next(iter(vector["expected"]["not_evaluated"].items()))
    vector["expected"]["not_evaluated"][rule_id] = (
        "not_computable" if reason != "not_computable" else None
    )
    with pytest.raises(AssertionError, match="not_evaluated"):
        check_vector(client, vector)


# -- the committed file is what the app serves -----------------------------------------------


def test_the_committed_file_is_what_the_app_serves(client):
    assert client.get("/v1/conformance").json() == DOCUMENT, REGENERATE


def test_the_committed_schema_is_what_the_app_serves(client):
    served = client.get("/v1/conformance/schema").json()
    assert served == SCHEMA
    assert json.loads(PUBLISHED_SCHEMA.read_text(encoding="utf-8")) == served, REGENERATE


def test_no_case_is_lost_and_none_is_added():
    cases = _yaml_cases()
    assert len(VECTORS) == len(cases) > 0
    assert [v["id"] for v in VECTORS] == [f"{ruleset}/{c['name']}" for ruleset, c in cases]


def test_the_vectors_say_what_the_examples_say():
    # Nothing is recomputed: each row, written back in the examples' own notation
    # ([due, status, late?, 'inferred'?]), is the row of the file; the request is the case's.
    for (ruleset, case), vector in zip(_yaml_cases(), VECTORS, strict=True):
        rows = {
            rule_id: [
                [r["due"], r["status"]]
                + ([r["working_days_overdue"]] if r["working_days_overdue"] is not None else [])
                + (["inferred"] if r["inferred"] else [])
                for r in written
            ]
            for rule_id, written in vector["expected"]["deadlines"].items()
        }
        assert rows == case["expect"], vector["id"]
        assert vector["ruleset"] == ruleset and vector["name"] == case["name"]
        assert vector["expected"]["not_evaluated"] == case.get("not_evaluated", {})
        assert vector["expected"]["first_deadline_only"] == case.get("first_deadline_only", False)
        assert vector["why"] == case["why"].strip()
        request = vector["request"]
        assert request["events"] == case["events"]
        assert (request["authority"], request["as_of"]) == (case["authority"], case["as_of"])
        assert request["closed_days"] == case.get("closed", [])
        assert request["history_from"] == case.get("history_from")
        assert request["calendar"] == case.get("calendar")
        # a case without `dob` was counted for the helpers' child born 2 Apr 2012
        assert request["child"]["date_of_birth"] == case.get("dob", "2012-04-02")


def test_every_rule_a_vector_names_comes_with_its_source():
    rules = dict((r.id, (ruleset, r)) for ruleset, r in BOOK.all_rules())
    for vector in VECTORS:
        named = set(vector["expected"]["deadlines"]) | set(vector["expected"]["not_evaluated"])
        assert set(vector["sources"]) == named, vector["id"]
        for rule_id, source in vector["sources"].items():
            ruleset, rule = rules[rule_id]
            assert source["ruleset"] == ruleset
            assert source["citation"]["quote"] == rule.citation.quote
            assert source["citation"]["verification"] == rule.citation.verification
            assert source["interpretation"] == rule.interpretation
            assert (source["requirement"], source["basis"]) == (rule.requirement, rule.basis)


def test_the_document_says_which_data_it_was_counted_with(client):
    status = client.get("/v1/status").json()
    assert DOCUMENT["format"] == "timescales-conformance" and DOCUMENT["format_version"] == 1
    assert DOCUMENT["rules_version"] == status["rules"]["version"]
    assert DOCUMENT["service_version"] == status["version"]
    assert "docs/contract.md" in DOCUMENT["counting"]["contract"]


# -- the schema --------------------------------------------------------------------------------


def test_the_schema_is_a_valid_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_the_document_validates_against_its_schema(client):
    validator = Draft202012Validator(SCHEMA)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(DOCUMENT)]
    assert errors == []
    served = client.get("/v1/conformance?ruleset=west-sussex").json()
    assert list(validator.iter_errors(served)) == []


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda v: v["expected"].update(deadlines={}), id="no-rule"),
        pytest.param(
            lambda v: v["expected"].update(deadlines={k: [] for k in v["expected"]["deadlines"]}),
            id="no-deadline",
        ),
        pytest.param(
            lambda v: next(r for r in v["expected"]["deadlines"].values() if r)[0].update(
                status="late"
            ),
            id="unknown-status",
        ),
        pytest.param(lambda v: v["request"].update(closed_days=["3 Apr 2026"]), id="bad-date"),
        pytest.param(lambda v: v.update(extra=1), id="unknown-field"),
    ],
)
def test_the_schema_rejects_a_broken_vector(spoil):
    document = copy.deepcopy(DOCUMENT)
    spoil(document["vectors"][0])
    with pytest.raises(ValidationError):
        Draft202012Validator(SCHEMA).validate(document)


VECTOR_SCHEMA = SCHEMA["properties"]["vectors"]["items"]
EXPECTED_SCHEMA = VECTOR_SCHEMA["properties"]["expected"]


def test_the_schema_lists_the_app_s_statuses_and_reasons():
    deadline = EXPECTED_SCHEMA["properties"]["deadlines"]["additionalProperties"]["items"]
    assert deadline["properties"]["status"]["enum"] == list(STATUSES)
    reasons = EXPECTED_SCHEMA["properties"]["not_evaluated"]["additionalProperties"]["enum"]
    assert reasons == [None, *REASONS]


def test_the_schema_is_self_contained_without_references():
    # It is also the example of GET /v1/conformance/schema in the OpenAPI document, where
    # a "$ref" would be read as a reference into that document (scripts/export_openapi.py).
    assert "$ref" not in json.dumps(SCHEMA)


def test_every_field_of_the_schema_is_described():
    # a vendor reads the schema: every property says what it is
    undescribed = []

    def walk(node, where):
        for name, prop in node.get("properties", {}).items():
            if "description" not in prop and name not in ("title", "document", "section"):
                undescribed.append(f"{where}.{name}")
            walk(prop, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                walk(node[key], f"{where}[]")

    walk(SCHEMA, "")
    assert undescribed == []


def test_the_openapi_document_gives_the_answer_s_model(client):
    document = client.get("/openapi.json").json()
    answer = document["paths"]["/v1/conformance"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ConformanceDocument"
    }
    assert "/v1/conformance/schema" in document["paths"]


# -- HTTP: caching, the filter, the download ---------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/conformance", "/v1/conformance/schema"])
def test_a_strong_etag_and_304(client, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag


def test_the_ruleset_filter_keeps_that_ruleset_s_vectors_only(client):
    counts: dict[str, int] = {}
    for ruleset, _ in _yaml_cases():
        counts[ruleset] = counts.get(ruleset, 0) + 1
    assert set(counts) == set(BOOK.rulesets)
    for ruleset, count in counts.items():
        answer = client.get("/v1/conformance", params={"ruleset": ruleset})
        assert answer.status_code == 200
        vectors = answer.json()["vectors"]
        assert len(vectors) == count and {v["ruleset"] for v in vectors} == {ruleset}
        assert vectors == [v for v in VECTORS if v["ruleset"] == ruleset]


def test_an_unknown_ruleset_is_a_422_naming_the_parameter(client):
    answer = client.get("/v1/conformance", params={"ruleset": "atlantis"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert [e["loc"] for e in answer.json()["errors"]] == [["query", "ruleset"]]
    assert "west-sussex" in answer.json()["errors"][0]["msg"]


def test_download_names_the_file_and_answers_the_same_body(client):
    plain = client.get("/v1/conformance")
    saved = client.get("/v1/conformance", params={"download": "1"})
    assert saved.headers["Content-Disposition"] == (
        'attachment; filename="timescales-conformance.json"'
    )
    assert saved.content == plain.content and saved.headers["ETag"] == plain.headers["ETag"]
    assert "Content-Disposition" not in plain.headers
    one = client.get("/v1/conformance", params={"download": "true", "ruleset": "west-sussex"})
    assert one.headers["Content-Disposition"] == (
        'attachment; filename="timescales-conformance-west-sussex.json"'
    )


# -- the builder -------------------------------------------------------------------------------


def _examples_dir(tmp_path: Path, case: dict) -> Path:
    (tmp_path / "england.yaml").write_text(
        yaml.safe_dump({"ruleset": "england", "cases": [case]}), encoding="utf-8"
    )
    return tmp_path


CASE = {
    "name": "one-referral",
    "authority": "england",
    "as_of": "2026-05-27",
    "events": [{"type": "referral_received", "date": "2026-04-02"}],
    # Thu 2 Apr + 1 WD: Fri 3 Good Friday, the weekend and Mon 6 Easter Monday skipped, so
    # Tue 7 Apr; no decision posted, so overdue on Wed 27 May (a two-item row: the count of
    # working days overdue is not checked)
    "expect": {"england.referral_decision": [["2026-04-07", "overdue"]]},
    "why": "Thu 2 Apr + 1 WD = Tue 7 Apr (Good Friday, Easter Monday skipped)",
}


def test_the_builder_publishes_a_case_as_written(tmp_path, client):
    from app.calendars import bank_holiday_data

    document = build(BOOK, bank_holiday_data(), load_examples(_examples_dir(tmp_path, CASE)))
    (vector,) = document.model_dump(mode="json")["vectors"]
    assert vector["expected"]["deadlines"] == {
        "england.referral_decision": [
            {
                "due": "2026-04-07",
                "status": "overdue",
                "working_days_overdue": None,
                "inferred": False,
            }
        ]
    }
    assert vector["request"]["child"] == {"date_of_birth": "2012-04-02"}
    check_vector(client, vector)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expect": {"england.referral_decision": []}}, "must expect a deadline"),
        ({"expect": {"england.nothing_like_it": [["2026-04-07", "met"]]}}, "no rule"),
        ({"expect": {"england.referral_decision": [["2026-04-07", "late"]]}}, "status"),
        ({"expect": {"england.referral_decision": [["2026-04-07", "met", 0, "x"]]}}, "inferred"),
        ({"not_evaluated": {"england.assessment": "forgotten"}}, "not_evaluated"),
    ],
)
def test_the_builder_refuses_a_case_it_cannot_publish(tmp_path, change, message):
    from app.calendars import bank_holiday_data

    examples = load_examples(_examples_dir(tmp_path, {**CASE, **change}))
    with pytest.raises(ConformanceDataError, match=message):
        build(BOOK, bank_holiday_data(), examples)

"""Property-based testing of the whole API against its own OpenAPI document.

schemathesis generates requests from openapi.json (valid ones and, in its
negative phase, invalid ones) and runs its default checks on every answer:
no 5xx, status codes, content types and headers that the schema declares,
bodies that match the declared schemas, invalid data rejected.
"""

import re

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from app.main import app

schema = schemathesis.openapi.from_asgi("/openapi.json", app)
# NDJSON bodies are text: send the generated string as it is.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")

# Rules that OpenAPI cannot express, because they relate two fields or need
# the domain to judge: a holiday range whose end is before its start; a count
# of working days that would run past 2060 from the given date; a search query
# of the right length that is not valid FTS5 syntax; an event dated after
# as_of that is not marked scheduled; a history_from after as_of; a date of
# birth after as_of; and the lines of an NDJSON body, whose schema is text (each line is JSON,
# which the description, not the schema, can say).
# Every other field is as strict in the schema as in the domain, so only these
# may turn a schema-valid request into a 422. A 404 for an id that does not
# exist is the right answer to a well-formed request.
CROSS_FIELD_LOCATIONS = [
    r"query\.end",
    r"query\.days",
    r"query\.q",
    r"body(\.cases\.\d+)?\.events\.\d+\.date",
    r"body(\.cases\.\d+)?\.child\.date_of_birth",
    r"body(\.cases\.\d+)?\.history_from",
    r"body\.\d+(\..+)?",
    # An approved exception must name a deadline of the case (and be approved by as_of).
    r"body(\.cases\.\d+)?\.exceptions\.\d+(\..+)?",
    # A what-if's change must change something: a removed day must be a bank holiday.
    r"body\.change(\..+)?",
]


def _cross_field(loc: list) -> bool:
    text = ".".join(str(p) for p in loc)
    return any(re.fullmatch(pattern, text) for pattern in CROSS_FIELD_LOCATIONS)


@schemathesis.check
def only_cross_field_rules_reject_valid_data(ctx, response, case):
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if 400 <= response.status_code < 500 and response.status_code != 404:
        body = response.json()
        errors = body.get("errors", [])
        assert (
            response.status_code == 422 and errors and all(_cross_field(e["loc"]) for e in errors)
        ), f"schema-valid request rejected: {body}"
    return None


@schemathesis.check
def a_bad_case_is_a_problem_row(ctx, response, case):
    """POST /v1/overdue and /v1/what-if: a case that is not valid (even one that is not an object)
    is a problem row of a 200 answer, never a failure of the whole list.
    (POST /v1/overdue.ndjson's body is text to the schema: there is no
    negative case to send it.)"""
    if case.operation.path not in ("/v1/overdue", "/v1/what-if"):
        return None
    if case.operation.method.upper() != "POST":
        return None
    if case.meta is None or case.meta.generation.mode.is_positive or response.status_code != 200:
        return None
    # Only a mutated body has a bad case in it: a negative case may mutate the
    # query alone (`?detail=`, or a parameter with no name, which is ignored).
    body = case.meta.components.get(ParameterLocation.BODY)
    if body is None or body.mode.is_positive:
        return None
    problems = response.json().get("problems", [])
    assert problems, "invalid data answered 200 without saying which case was wrong"
    return None


# The JSON caseload and the NDJSON one (its own operation since issue 9).
CASELOADS = ("/v1/overdue", "/v1/overdue.ndjson", "/v1/what-if")


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    # positive_data_acceptance is replaced, not dropped: it would also fail the
    # two cross-field rules above; the check above allows exactly those.
    excluded = [positive_data_acceptance]
    additional = [only_cross_field_rules_reject_valid_data, a_bad_case_is_a_problem_row]
    if case.operation.method.upper() == "POST" and case.operation.path in CASELOADS:
        # An invalid case in a caseload is a problem row, not a 4xx for the list.
        excluded.append(negative_data_rejection)
    case.call_and_validate(excluded_checks=excluded, additional_checks=additional)

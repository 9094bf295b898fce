"""Property-based testing of the whole API against its own OpenAPI document.

schemathesis generates requests from openapi.json (valid ones and, in its
negative phase, invalid ones) and runs its default checks on every answer:
no 5xx, status codes, content types and headers that the schema declares,
bodies that match the declared schemas, invalid data rejected.
"""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.main import app

schema = schemathesis.openapi.from_asgi("/openapi.json", app)

# Rules that OpenAPI cannot express: a holiday range whose end is before its
# start and a count of working days that would run past the supported range
# (2012-2060) from the given date (both span two fields), and a search query
# that is a string of the right length but not valid FTS5 syntax. Every other
# field is as strict in the schema as in the domain, so only these may turn
# a schema-valid request into a 422. A 404 for an id that does not exist is
# the right answer to a well-formed request.
CROSS_FIELD_LOCATIONS = {("query", "end"), ("query", "days"), ("query", "q")}


@schemathesis.check
def only_cross_field_rules_reject_valid_data(ctx, response, case):
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if 400 <= response.status_code < 500 and response.status_code != 404:
        body = response.json()
        locations = {tuple(e["loc"]) for e in body.get("errors", [])}
        assert response.status_code == 422 and locations and locations <= CROSS_FIELD_LOCATIONS, (
            f"schema-valid request rejected: {body}"
        )
    return None


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    # positive_data_acceptance is replaced, not dropped: it would also fail the
    # two cross-field rules above; the check above allows exactly those.
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance],
        additional_checks=[only_cross_field_rules_reject_valid_data],
    )

"""create_app() answers from the reference data it is given, not the bundled data."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient

from app.domain.rules import BASELINE
from app.main import create_app
from app.reference import reference_data


def test_an_app_built_on_other_rules_answers_from_them():
    bundled = reference_data()
    baseline_only = dataclasses.replace(
        bundled.rulebook,
        rulesets={BASELINE: bundled.rulebook.rulesets[BASELINE]},
        version="baseline-only",
    )
    data = dataclasses.replace(bundled, rulebook=baseline_only)
    with TestClient(create_app(data=data)) as c:
        status = c.get("/v1/status").json()
        timescales = c.get("/v1/timescales").json()
    assert status["rules"]["version"] == "baseline-only"
    assert list(status["rules"]["rulesets"]) == [BASELINE]
    assert {t["ruleset"] for t in timescales} == {BASELINE}
    assert len(timescales) == len(bundled.rulebook.rulesets[BASELINE].rules)
    # The bundled data is untouched: it still has every council's rules.
    assert len(bundled.rulebook.rulesets) > 1

"""Every computable rule of every ruleset has hand-checked worked examples.

The examples live in tables: the worked-example files under tests/worked/ (each
an `EXAMPLES` list of `Example` rows) and the older per-ruleset tables, which
export the rule ids they count as `COVERED_RULES`. A ruleset added as data
alone (a new council's file) fails here, naming the rules that lack examples,
until someone has counted its deadlines by hand.
"""

import importlib
from pathlib import Path

from tests import (
    test_rules_england,
    test_rules_gloucestershire,
    test_rules_redcar_and_cleveland,
    test_rules_sunderland_west_sussex,
)
from tests.engine_helpers import BOOK, covered_rules

WORKED = Path(__file__).parent / "worked"


def worked_tables():
    for path in sorted(WORKED.glob("test_*.py")):
        yield importlib.import_module(f"tests.worked.{path.stem}").EXAMPLES


def covered() -> set[str]:
    found = covered_rules(*worked_tables())
    for module in (
        test_rules_england,
        test_rules_gloucestershire,
        test_rules_redcar_and_cleveland,
        test_rules_sunderland_west_sussex,
    ):
        found |= module.COVERED_RULES
    return found


def test_every_computable_rule_of_every_ruleset_has_worked_examples():
    done = covered()
    missing = {
        ruleset: sorted(r.id for r in rules.rules if r.computable and r.id not in done)
        for ruleset, rules in BOOK.rulesets.items()
    }
    missing = {ruleset: ids for ruleset, ids in missing.items() if ids}
    assert not missing, "rules without hand-checked worked examples: " + "; ".join(
        f"{ruleset}: {', '.join(ids)}" for ruleset, ids in missing.items()
    )


def test_the_tables_name_only_rules_that_exist():
    assert covered() - BOOK.rule_ids == set()


def test_the_worked_example_files_are_found():
    assert len(list(worked_tables())) >= 3

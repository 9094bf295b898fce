"""Every computable rule of every ruleset has hand-checked worked examples.

The examples are data: one file per ruleset in app/data/rules/examples/, run by
tests/test_worked_examples.py. A ruleset added as data alone (a new council's rules
file) fails here, naming the rules that lack examples, until someone has counted its
deadlines by hand and written them in its examples file.
"""

from tests.engine_helpers import BOOK, EXAMPLES_DIR, covered_rules, worked_examples


def missing_examples(book, examples) -> dict[str, list[str]]:
    """ruleset -> its computable rules that no example expects a deadline from."""
    done = covered_rules(examples)
    missing = {
        ruleset: sorted(r.id for r in rules.rules if r.computable and r.id not in done)
        for ruleset, rules in book.rulesets.items()
    }
    return {ruleset: ids for ruleset, ids in missing.items() if ids}


def test_every_computable_rule_of_every_ruleset_has_worked_examples():
    missing = missing_examples(BOOK, worked_examples())
    assert not missing, "rules without hand-checked worked examples: " + "; ".join(
        f"{ruleset}: {', '.join(ids)}" for ruleset, ids in missing.items()
    )


def test_the_tables_name_only_rules_that_exist():
    assert covered_rules(worked_examples()) - BOOK.rule_ids == set()


def test_every_ruleset_has_an_examples_file_and_every_file_a_ruleset():
    assert {p.stem for p in EXAMPLES_DIR.glob("*.yaml")} == set(BOOK.rulesets)

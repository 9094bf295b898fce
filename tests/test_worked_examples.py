"""Every hand-checked worked example, one YAML file per ruleset (app/data/rules/examples/).

A case goes in, and the answer must hold exactly the deadlines the file expects: each was
counted by hand from the rule and its source words, and the case's `why` is the count.
Tests with logic beyond "case in, deadlines out" (properties, the API's shape, date-times)
stay in Python.
"""

import re
import sys
from pathlib import Path

import pytest

from tests.engine_helpers import EXAMPLES_DIR, check_worked, worked_examples

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from catalogue_counts import worked_counts  # noqa: E402

EXAMPLES = worked_examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[x.id for x in EXAMPLES])
def test_worked_example(example):
    check_worked(example.case)


def test_names_are_unique_within_each_file():
    ids = [x.id for x in EXAMPLES]
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_the_examples_are_found():
    assert EXAMPLES_DIR.is_dir() and len(EXAMPLES) > 0


def test_a_case_that_expects_no_deadline_fails():
    case = dict(EXAMPLES[0].case, expect={rule: [] for rule in EXAMPLES[0].case["expect"]})
    with pytest.raises(AssertionError, match="must expect a deadline"):
        check_worked(case)


def test_a_case_whose_deadline_does_not_come_back_fails():
    # the england.assessment rule needs a referral: with no events, no deadline at all comes
    # back, and the expected one is missing from the answer
    case = {
        "name": "no-referral",
        "authority": "england",
        "as_of": "2026-06-01",
        "events": [],
        "expect": {"england.assessment": [["2026-05-26", "met_late", 1]]},
        "why": "a deadline the answer cannot hold",
    }
    with pytest.raises(AssertionError, match=r"england\.assessment"):
        check_worked(case)


def test_a_wrong_expected_count_fails():
    x = next(
        x for x in EXAMPLES if any(len(r) == 3 for rows in x.case["expect"].values() for r in rows)
    )
    rule, rows = next((k, v) for k, v in x.case["expect"].items() if any(len(r) == 3 for r in v))
    i = next(i for i, r in enumerate(rows) if len(r) == 3)
    wrong = [*rows[:i], [rows[i][0], rows[i][1], rows[i][2] + 1], *rows[i + 1 :]]
    with pytest.raises(AssertionError, match=re.escape(rule)):
        check_worked(dict(x.case, expect=dict(x.case["expect"], **{rule: wrong})))


def test_the_readme_worked_counts_match_the_files():
    # scripts/catalogue_counts.py --write (make generated) writes them from the files
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"<!-- worked-counts -->(.*?)<!-- /worked-counts -->", readme)
    cases = len(EXAMPLES)
    rows = sum(len(rows) for x in EXAMPLES for rows in x.case["expect"].values())
    assert shown == [worked_counts()]
    assert shown[0].startswith(f"{cases} worked cases with {rows} expected deadlines (")

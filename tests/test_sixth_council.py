"""A council is a data file plus its examples: a sixth, fictional one proves it.

On a temporary copy of the data (catalogue, seeds, rules and their examples) a fictional
council, Riverford (tests/data/sixth_council/), is added as files alone: its catalogue file
and seed, its rules file, and its worked examples. The same loaders the service starts with
read the copy, and the same runner and coverage check that run the real councils' examples
(tests/test_worked_examples.py, tests/test_worked_coverage.py) run its examples: no Python
names it, and no list of authorities in the tests had to change.

create_app() does not yet take a data directory (the routers load the reference data of
app/data/ once per process), so this drives the engine, the catalogue and the README counts,
not the HTTP app.
"""

import shutil
import sys
from pathlib import Path

import pytest

import app.reference
from app.catalogue.data import CATALOGUE_DIR, SEEDS_DIR, THEMES_FILE
from app.catalogue.data import load as load_catalogue
from app.domain.episodes import episode_kinds
from app.domain.rules import RULES_DIR
from app.reference import load_rules
from tests.engine_helpers import check_worked, worked_examples
from tests.test_worked_coverage import missing_examples

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from catalogue_counts import counts_table

SIXTH = Path(__file__).parent / "data" / "sixth_council"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A copy of app/data's catalogue, seeds and rules, with the sixth council added."""
    shutil.copytree(CATALOGUE_DIR, tmp_path / "catalogue")
    shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    shutil.copy(SIXTH / "catalogue.yaml", tmp_path / "catalogue" / "riverford.yaml")
    shutil.copy(SIXTH / "seed.txt", tmp_path / "seeds" / "900_riverford.txt")
    shutil.copy(SIXTH / "rules.yaml", tmp_path / "rules" / "riverford.yaml")
    shutil.copy(SIXTH / "examples.yaml", tmp_path / "rules" / "examples" / "riverford.yaml")
    # The rules' quote check reads seeds from app.reference.SEEDS_DIR, not from a
    # directory it is given: point it at the copy (see the module docstring).
    monkeypatch.setattr(app.reference, "SEEDS_DIR", tmp_path / "seeds")
    return tmp_path


def load(data_dir: Path):
    cat = load_catalogue(data_dir / "catalogue", THEMES_FILE, data_dir / "seeds")
    book = load_rules(data_dir / "rules", cat=cat, kinds=episode_kinds())
    return cat, book


def test_the_sixth_council_loads_beside_the_five(data_dir):
    cat, book = load(data_dir)
    assert "riverford" in cat.authorities
    assert "riverford" in book.rulesets
    assert set(book.rulesets) - {"riverford"} == {p.stem for p in RULES_DIR.glob("*.yaml")}


def test_its_examples_run_with_everyone_else_s(data_dir):
    cat, book = load(data_dir)
    examples = worked_examples(data_dir / "rules" / "examples")
    mine = [x for x in examples if x.ruleset == "riverford"]
    assert [x.case["name"] for x in mine] == [
        "cin_initial_visit-seen-2-working-days-late",
        "cin_initial_visit-not-seen-overdue",
    ]
    for x in examples:  # bounded: the files' cases
        check_worked(x.case, book, cat)
    assert missing_examples(book, examples) == {}
    assert {p.stem for p in (data_dir / "rules" / "examples").glob("*.yaml")} == set(book.rulesets)


def test_without_its_examples_its_rules_are_named_as_uncounted(data_dir):
    (data_dir / "rules" / "examples" / "riverford.yaml").unlink()
    _, book = load(data_dir)
    examples = worked_examples(data_dir / "rules" / "examples")
    assert missing_examples(book, examples) == {"riverford": ["riverford.cin_initial_visit"]}


def test_a_wrong_hand_count_in_its_examples_fails(data_dir):
    cat, book = load(data_dir)
    case = next(
        x for x in worked_examples(data_dir / "rules" / "examples") if x.ruleset == "riverford"
    ).case
    wrong = dict(case, expect={"riverford.cin_initial_visit": [["2026-03-10", "met_late", 1]]})
    with pytest.raises(AssertionError, match=r"riverford\.cin_initial_visit"):
        check_worked(wrong, book, cat)


def test_the_readme_counts_table_takes_the_sixth_council_from_the_data(data_dir):
    cat, _ = load(data_dir)
    header, _, *rows = counts_table(cat).splitlines()
    assert header.split(" | ")[-2:] == ["riverford", "all |"]
    assert rows[-1].split(" | ")[-2] == "**2**"

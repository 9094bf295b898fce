"""A council is a data file plus its examples: a sixth, fictional one proves it.

On a temporary copy of the data (catalogue, seeds, rules and their examples) a fictional
council, Riverford (tests/data/sixth_council/), is added as files alone: its catalogue file
and seed, its rules file, and its worked examples. The same loaders the service starts with
read the copy, and the same runner and coverage check that run the real councils' examples
(tests/test_worked_examples.py, tests/test_worked_coverage.py) run its examples: no Python
names it, and no list of authorities in the tests had to change.

The HTTP app is built on the copy too (create_app(data=load_reference(copy))): it lists the
council, filters by it, and computes its deadlines, with nothing of the bundled app/data/.
"""

import shutil
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.catalogue.data import THEMES_FILE
from app.catalogue.data import load as load_catalogue
from app.datafiles import DATA_DIR
from app.domain.episodes import episode_kinds
from app.domain.rules import RULES_DIR
from app.main import create_app
from app.reference import load_reference, load_rules, reference_data
from tests.engine_helpers import check_worked, worked_examples
from tests.test_worked_coverage import missing_examples

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from catalogue_counts import counts_table

SIXTH = Path(__file__).parent / "data" / "sixth_council"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of app/data, with the sixth council added as files alone."""
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    shutil.copy(SIXTH / "catalogue.yaml", root / "catalogue" / "riverford.yaml")
    shutil.copy(SIXTH / "seed.txt", root / "seeds" / "900_riverford.txt")
    shutil.copy(SIXTH / "rules.yaml", root / "rules" / "riverford.yaml")
    shutil.copy(SIXTH / "examples.yaml", root / "rules" / "examples" / "riverford.yaml")
    return root


def load(data_dir: Path):
    cat = load_catalogue(data_dir / "catalogue", THEMES_FILE, data_dir / "seeds")
    book = load_rules(data_dir / "rules", cat=cat, kinds=episode_kinds(), seeds=data_dir / "seeds")
    return cat, book


@pytest.fixture
def client(data_dir):
    with TestClient(create_app(data=load_reference(data_dir))) as c:
        yield c


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


# -- the HTTP app on the copy --------------------------------------------------------------


def test_the_app_built_on_the_copy_lists_and_filters_by_the_sixth_council(client):
    assert "riverford" in [a["id"] for a in client.get("/v1/authorities").json()]
    # The filters admit the app's own authorities, not only the bundled data's.
    standards = client.get("/v1/standards", params={"authority": "riverford"})
    assert standards.status_code == 200, standards.text
    assert {s["id"] for s in standards.json()["items"]} >= {
        "riverford-seeing-children",
        "riverford-seen-within-5-working-days",
    }
    timescales = client.get("/v1/timescales", params={"authority": "riverford"})
    assert timescales.status_code == 200, timescales.text
    assert "riverford.cin_initial_visit" in [t["id"] for t in timescales.json()]
    unknown = client.get("/v1/standards", params={"authority": "nowhere"})
    assert unknown.status_code == 422
    assert "riverford" in unknown.json()["errors"][0]["msg"]


def test_the_app_built_on_the_copy_computes_the_sixth_council_s_deadlines(client, data_dir):
    # Counted by hand in tests/data/sixth_council/examples.yaml: Mon 2 Mar 2026 + 5
    # working days (3, 4, 5, 6 Mar, Mon 9 Mar) = Mon 9 Mar; seen Wed 11 Mar, 2 days late.
    r = client.post(
        "/v1/deadlines",
        json={
            "authority": "riverford",
            "as_of": "2026-03-16",
            "child": {"date_of_birth": "2012-04-02"},
            "events": [
                {"type": "referral_received", "date": "2026-03-02"},
                {"type": "statutory_visit", "date": "2026-03-11"},
            ],
        },
    )
    assert r.status_code == 200, r.text
    mine = [d for d in r.json()["deadlines"] if d["rule_id"] == "riverford.cin_initial_visit"]
    assert [(d["due"], d["status"]) for d in mine] == [("2026-03-09", "met_late")]
    # The provenance is the copy's: its rules differ from the bundled ones.
    version = r.json()["provenance"]["rules_version"]
    assert version == load_reference(data_dir).rulebook.version
    assert version != reference_data().rulebook.version


def test_the_app_built_on_the_copy_publishes_the_sixth_council_s_vectors(client, data_dir):
    # Its own worked examples (the copy's rules/examples/riverford.yaml), not the bundled ones.
    r = client.get("/v1/conformance", params={"ruleset": "riverford"})
    assert r.status_code == 200, r.text
    vectors = r.json()["vectors"]
    assert vectors and {v["ruleset"] for v in vectors} == {"riverford"}
    assert r.json()["rules_version"] == load_reference(data_dir).rulebook.version
    due = vectors[0]["expected"]["deadlines"]["riverford.cin_initial_visit"][0]["due"]
    assert due == "2026-03-09"

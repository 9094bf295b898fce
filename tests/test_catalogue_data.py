"""The catalogue data: verbatim, complete, and validated at start-up."""

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from app.catalogue.data import (
    CATALOGUE_DIR,
    SEEDS_DIR,
    THEMES_FILE,
    CatalogueDataError,
    catalogue,
    load,
)
from app.catalogue.verbatim import missing_lines, normalise, normalised_seed

CATALOGUE = catalogue()
FILES = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
    for p in sorted(CATALOGUE_DIR.glob("*.yaml"))
}


@pytest.mark.parametrize("authority", list(FILES))
def test_every_item_is_verbatim_in_its_seed(authority):
    data = FILES[authority]
    seed = normalised_seed(
        SEEDS_DIR / data["document"]["seed_file"], data.get("page_furniture", [])
    )
    problems = []
    for item in data["items"]:
        for text in [item["text"], item.get("title") or "", *(item.get("fields") or {}).values()]:
            problems += [(item["id"], line) for line in missing_lines(text, seed)]
    assert problems == []


def test_verbatim_means_verbatim():
    seed = normalise("Case records are updated within 3 working days and <b>urgent</b> incidents")
    assert missing_lines("Case records are updated within 3 working days", seed) == []
    assert missing_lines("Case records are updated within three working days", seed) != []
    assert missing_lines("Case records are updated within 3 working days.", seed) != []
    assert missing_lines("case records are updated within 3 working days", seed) != []


# Every numbered standard and statement printed in a seed, found by these
# patterns, must be an item of that document with the same number whose text
# (or title) starts with the same words. The patterns are read by hand from
# each seed's way of printing its numbers (an oracle, not something the data
# can say); a council's file not listed here is skipped by name, so a new
# council's data needs no edit of this test to load and pass the rest.
NUMBERED = {
    "south-gloucestershire": [
        r"^\s*(\d\.\d) (.+)$",
        r"Practice Standard (One|Two|Three|Four|Five|Six|Seven|Eight|Nine): ?(.+)$",
    ],
    "together-for-children-sunderland": [r"^(\d{1,2})\. (.+)$", r"^PRACTICE GUIDE (\d)$()"],
    "west-sussex": [r"^(\d)\. (.+)$"],
    "gloucestershire": [
        r"^- (\d{1,2}\.\d{1,2}) (.+)$",
        r"^(\d{1,2}\.\d{1,2}) (.+)$",
        r"^- (\d\d) (.+)$",
    ],
}
# A seed list numbered "1." that is not a list of standards: Sunderland's
# index of its practice guides, catalogued whole as one statement (the guides
# themselves are items, numbered in another order). Read by hand from the seed.
NOT_STANDARDS = {
    "together-for-children-sunderland": {
        "Direct Work & the Voice of the Child",
        "Strategy Meetings/Discussions",
        "Initial Child Protection Conferences",
        "Core Group Meetings",
        "Chronologies",
        "Case summaries",
        "Looked After Reviews",
        "Permanency Planning",
        "Supervision",
    },
}


def test_the_hand_read_tables_name_only_catalogued_files():
    """A council renamed or removed must not leave its checks silently unrun."""
    assert set(NUMBERED) | set(NOT_STANDARDS) <= set(FILES)


@pytest.mark.parametrize("authority", list(NOT_STANDARDS))
def test_a_numbered_list_that_is_not_standards_is_still_catalogued(authority):
    texts = [normalise(item["text"]) for item in FILES[authority]["items"]]
    assert [t for t in NOT_STANDARDS[authority] if not any(t in text for text in texts)] == []


@pytest.mark.parametrize("authority", list(FILES))
def test_every_numbered_standard_and_statement_is_catalogued(authority):
    if authority not in NUMBERED:
        pytest.skip(f"{authority}: no numbering of its seed is recorded in NUMBERED")
    data = FILES[authority]
    seed = (SEEDS_DIR / data["document"]["seed_file"]).read_text(encoding="utf-8")
    by_number = {}
    for item in data["items"]:
        if item.get("number"):
            by_number.setdefault(item["number"], []).append(
                normalise(f"{item.get('title') or ''} {item['text']}")
            )
    printed = Counter()
    missing = []
    for pattern in NUMBERED[authority]:
        for number, rest in re.findall(pattern, seed, flags=re.MULTILINE):
            rest = normalise(rest)
            if rest in NOT_STANDARDS.get(authority, ()):
                continue
            printed[number] += 1
            words = rest[:40]
            if not any(words in text for text in by_number.get(number, [])):
                missing.append((number, rest[:60]))
    assert missing == []
    assert sum(printed.values()) > 0


def test_both_statements_numbered_3_2_are_kept():
    numbers = [
        i.number
        for i in CATALOGUE.items.values()
        if i.document_id.startswith("south-gloucestershire")
    ]
    assert numbers.count("3.2") == 2


def test_sunderland_keeps_its_11_listed_and_10_detailed_standards():
    kinds = Counter(
        i.kind
        for i in CATALOGUE.items.values()
        if i.authority_id == "together-for-children-sunderland"
    )
    assert (kinds["standard"], kinds["standard_detail"], kinds["practice_guide"]) == (11, 10, 9)


def test_gloucestershire_statements_run_from_1_1_to_10_7():
    numbers = {
        i.number
        for i in CATALOGUE.items.values()
        if i.authority_id == "gloucestershire" and i.kind == "statement"
    }
    assert {"1.1", "4.21", "8.6", "10.7"} <= numbers


def test_page_furniture_is_not_catalogued():
    for item in CATALOGUE.items.values():
        assert "The process drives the practice; practice drives the outcome" not in item.text
        assert not item.text.rstrip().endswith("andPractice Standards")


def test_themes_span_authorities():
    themes = yaml.safe_load(THEMES_FILE.read_text(encoding="utf-8"))
    assert 10 <= len(themes) <= 16
    used = {t["id"]: set() for t in themes}
    for item in CATALOGUE.items.values():
        assert item.themes, item.id
        for theme in item.themes:
            used[theme].add(item.authority_id)
    assert all(len(authorities) >= 2 for authorities in used.values()), used


# -- start-up validation ---------------------------------------------------------------


# The file the start-up checks break: the first catalogue file, whichever
# council that is; the mutations need only a file of six or more items.
SAMPLE = min(FILES)
ID = FILES[SAMPLE]["authority"]["id"]
FILE, IDS = re.escape(f"{SAMPLE}.yaml"), re.escape(ID)


def broken_copy(tmp_path: Path, authority: str, mutate) -> Path:
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory)
    path = directory / f"{authority}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["items"].append(dict(d["items"][3])),
            f"{FILE}: item {IDS}-.*: duplicate id",
        ),
        (
            lambda d: d["items"][5].update(parent=f"{ID}-nowhere"),
            f"item {IDS}-.*: parent {IDS}-nowhere",
        ),
        (
            lambda d: d["items"][5].update(themes=["astrology"]),
            f"item {IDS}-.*: unknown themes \\['astrology'\\]",
        ),
        (
            lambda d: d["items"][5].pop("text"),
            f"{FILE}: item {IDS}-.*, text: Field required",
        ),
        (
            lambda d: d["items"][5].update(kind="poem"),
            f"{FILE}: item {IDS}-.*, kind",
        ),
        (
            lambda d: d["items"][5].update(text="We will see children every day."),
            f"item {IDS}-.*: text not verbatim",
        ),
        (
            lambda d: d["document"].update(seed_file="missing.txt"),
            f"{FILE}: seed file missing.txt not found",
        ),
    ],
)
def test_a_broken_data_file_stops_start_up_naming_the_file_and_item(tmp_path, mutate, message):
    directory = broken_copy(tmp_path, SAMPLE, mutate)
    with pytest.raises(CatalogueDataError, match=message):
        load(directory)


def test_a_key_written_twice_stops_start_up_naming_the_file_and_line(tmp_path):
    """Plain YAML keeps the last of two equal keys; the catalogue refuses the file."""
    directory = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, directory)
    path = directory / f"{SAMPLE}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0] == "authority:\n" and lines[1] == f"  id: {ID}\n"
    assert lines[2].startswith("  name: ")
    # A second name as line 2 pushes the id to line 3 and the first name to 4.
    lines.insert(1, "  name: A second name\n")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CatalogueDataError) as caught:
        load(directory)
    assert str(caught.value) == (
        f"{SAMPLE}.yaml: line 4, column 3: duplicate key 'name' (first on line 2)"
    )


def test_the_shipped_data_loads():
    assert len(load().items) == len(CATALOGUE.items) > 900


def test_every_redcar_practice_standard_bullet_is_catalogued():
    """Redcar & Cleveland's standards are unnumbered bullets under each pillar."""
    data = FILES["redcar-and-cleveland"]
    seed = (SEEDS_DIR / data["document"]["seed_file"]).read_text(encoding="utf-8")
    texts = normalise(" ".join(i["text"] for i in data["items"]))
    bullets = []
    for block in re.findall(
        r"^## Practice Standards$(.*?)^## Measures of Practice", seed, re.MULTILINE | re.DOTALL
    ):
        bullets += [normalise(b) for b in re.findall(r"^- (.+)$", block, re.MULTILINE)]
    assert len(bullets) > 80
    assert [b for b in bullets if b not in texts] == []

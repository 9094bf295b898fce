"""The rules loader refuses every broken rules file, naming the file and the rule.

Each test copies the real rules into a temporary folder, breaks one thing in
one file, and checks that loading stops with a message that says where. So
each check of app/domain/rules.py (and of the episodes file) is needed by a
test: delete one and its test fails.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from app.calendars import bank_holiday_data
from app.catalogue.data import catalogue
from app.domain.cases import PlainEvent
from app.domain.deadlines import assess_case, context
from app.domain.episodes import EPISODES_FILE, EpisodesDataError, load_kinds
from app.domain.rules import RULES_DIR, RulesDataError
from app.domain.vocabulary import EVENTS_FILE, load_vocabulary, vocabulary
from app.reference import load_rules as load
from app.reference import rulebook


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES_DIR, folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def refused(folder: Path) -> str:
    with pytest.raises(RulesDataError) as caught:
        load(folder)
    return str(caught.value)


def test_the_real_rules_load(rules_dir):
    assert load(rules_dir).rule_ids


def test_a_quote_not_in_its_seed(rules_dir):
    edit(
        rules_dir,
        "gloucestershire.yaml",
        "within 48 hours of conference and then last least",
        "within 48 hours of conference and then at least",
    )
    message = refused(rules_dir)
    assert "gloucestershire.yaml: rule gloucestershire.cp_visit" in message
    assert "quote not found word for word" in message


def test_a_statutory_quote_not_in_the_statutory_sources(rules_dir):
    edit(rules_dir, "england.yaml", "within 15 working days of the Strategy", "within 15 days of")
    message = refused(rules_dir)
    assert "england.yaml: rule england.icpc" in message and "quote not found" in message


def test_an_unknown_event_type(rules_dir):
    edit(
        rules_dir, "gloucestershire.yaml", "satisfied_by: [core_group_held]", "satisfied_by: [tea]"
    )
    message = refused(rules_dir)
    assert "gloucestershire.yaml: rule gloucestershire.first_core_group" in message
    assert "unknown event type 'tea'" in message


def test_an_unknown_requirement(rules_dir):
    edit(rules_dir, "gloucestershire.yaml", "requirement: cp_visit", "requirement: cp_visits")
    message = refused(rules_dir)
    assert "rule gloucestershire.cp_visit" in message
    assert "unknown requirement code 'cp_visits'" in message


def test_a_bad_unit(rules_dir):
    edit(
        rules_dir,
        "gloucestershire.yaml",
        "      amount: 48\n      unit: hours",
        "      amount: 48\n      unit: fortnights",
    )
    message = refused(rules_dir)
    assert "gloucestershire.yaml: rule gloucestershire." in message and "due.unit" in message


def test_a_catalogue_item_that_does_not_exist(rules_dir):
    edit(
        rules_dir,
        "gloucestershire.yaml",
        "catalogue_item: gloucestershire-timescale-seeing-4",
        "catalogue_item: gloucestershire-timescale-seeing-400",
    )
    message = refused(rules_dir)
    assert "rule gloucestershire.cp_visit" in message
    assert "catalogue item 'gloucestershire-timescale-seeing-400' does not exist" in message


def test_a_statutory_rule_outside_the_baseline(rules_dir):
    edit(
        rules_dir,
        "gloucestershire.yaml",
        "  - id: gloucestershire.cp_visit\n    requirement: cp_visit\n"
        "    title: Visit to a child subject of a child protection plan\n    basis: local",
        "  - id: gloucestershire.cp_visit\n    requirement: cp_visit\n"
        "    title: Visit to a child subject of a child protection plan\n    basis: statutory",
    )
    message = refused(rules_dir)
    assert "rule gloucestershire.cp_visit" in message
    assert "statutory rules belong to the england baseline" in message


def test_a_duplicate_rule_id(rules_dir):
    edit(
        rules_dir,
        "gloucestershire.yaml",
        "id: gloucestershire.cin_visit",
        "id: gloucestershire.cp_visit",
    )
    message = refused(rules_dir)
    assert "gloucestershire.yaml: duplicate rule ids ['gloucestershire.cp_visit']" in message


def test_an_id_of_another_ruleset(rules_dir):
    edit(rules_dir, "gloucestershire.yaml", "id: gloucestershire.cin_visit", "id: redcar.cin_visit")
    message = refused(rules_dir)
    assert "rule redcar.cin_visit: id must start with 'gloucestershire.'" in message


def test_a_duplicate_key_names_the_file_and_line(rules_dir):
    edit(
        rules_dir,
        "gloucestershire.yaml",
        "    requirement: cp_visit\n",
        "    requirement: cp_visit\n    requirement: cin_visit\n",
    )
    message = refused(rules_dir)
    assert message.startswith("gloucestershire.yaml: line ")
    assert "duplicate key 'requirement'" in message


def test_a_yaml_syntax_error_names_the_file_and_line(rules_dir):
    edit(
        rules_dir, "gloucestershire.yaml", "satisfied_by: [core_group_held]", "satisfied_by: [core"
    )
    message = refused(rules_dir)
    assert message.startswith("gloucestershire.yaml: line ")


def test_a_number_neither_quoted_nor_explained(rules_dir):
    # 48 hours becomes 36 hours: the quote says 48 and the interpretation does not say 36.
    edit(
        rules_dir,
        "gloucestershire.yaml",
        "      amount: 48\n      unit: hours",
        "      amount: 36\n      unit: hours",
    )
    message = refused(rules_dir)
    assert "gloucestershire.yaml: rule gloucestershire." in message
    assert "36 hours appears neither in the quote nor in the interpretation" in message


def test_an_unknown_episode(rules_dir):
    edit(rules_dir, "gloucestershire.yaml", "episode: cp_plan", "episode: holiday")
    message = refused(rules_dir)
    assert "gloucestershire.yaml: rule gloucestershire." in message
    assert "unknown episode 'holiday'" in message


def test_an_unknown_placement_type(rules_dir):
    edit(
        rules_dir,
        "england.yaml",
        "placement_types: [foster, residential, other]",
        "placement_types: [igloo]",
    )
    message = refused(rules_dir)
    assert "england.yaml: rule england.cla_visit" in message
    assert "unknown placement type 'igloo'" in message


def test_an_opening_anchor_that_does_not_open_its_episode(rules_dir):
    edit(
        rules_dir,
        "england.yaml",
        "    anchor:\n      event: icpc_held\n      which: opening\n    due:\n      amount: 10",
        "    anchor:\n      event: rcpc_held\n      which: opening\n    due:\n      amount: 10",
    )
    message = refused(rules_dir)
    assert "england.yaml: rule england.first_core_group" in message
    assert "which: opening needs an event that opens a cp_plan episode" in message


def test_a_ruleset_that_is_not_a_catalogued_authority(rules_dir):
    (rules_dir / "atlantis.yaml").write_text(
        (rules_dir / "west-sussex.yaml")
        .read_text(encoding="utf-8")
        .replace("ruleset: west-sussex", "ruleset: atlantis"),
        encoding="utf-8",
    )
    assert "atlantis.yaml: ruleset 'atlantis' is not a catalogued authority" in refused(rules_dir)


def test_a_ruleset_named_unlike_its_file(rules_dir):
    edit(rules_dir, "west-sussex.yaml", "ruleset: west-sussex", "ruleset: gloucestershire")
    assert "west-sussex.yaml: ruleset 'gloucestershire' must match the file name" in refused(
        rules_dir
    )


def test_the_baseline_is_required(rules_dir):
    (rules_dir / "england.yaml").unlink()
    assert "the england baseline rules file is missing" in refused(rules_dir)


# -- the episodes file ------------------------------------------------------------------------


@pytest.fixture
def episodes_file(tmp_path: Path) -> Path:
    path = tmp_path / "episodes.yaml"
    shutil.copy(EPISODES_FILE, path)
    return path


def test_the_real_episodes_load(episodes_file):
    assert "cp_plan" in load_kinds(episodes_file, vocabulary().event_types)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "implied_by: [core_group_held, rcpc_held]",
            "implied_by: [tea]",
            "episode cp_plan: unknown event type 'tea'",
        ),
        ("part_of: looked_after", "part_of: holiday", "unknown episode kind 'holiday'"),
        (
            "    until_age: 25\n",
            "    until_age: 25\n    until_age: 26\n",
            "duplicate key 'until_age'",
        ),
    ],
)
def test_a_broken_episodes_file_names_the_kind(episodes_file, old, new, message):
    text = episodes_file.read_text(encoding="utf-8")
    assert old in text
    episodes_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises((EpisodesDataError, Exception)) as caught:
        load_kinds(episodes_file, vocabulary().event_types)
    assert message in str(caught.value)
    assert "episodes.yaml" in str(caught.value)


# -- the vocabulary -----------------------------------------------------------------------


def test_the_vocabulary_reads_the_requirements_file_it_is_given(tmp_path):
    path = tmp_path / "requirements.yaml"
    path.write_text(
        "requirements:\n  - {code: tea_made, title: Tea made, subject: practitioner}\n",
        encoding="utf-8",
    )
    vocab = load_vocabulary(EVENTS_FILE, path)
    assert vocab.requirements == {
        "tea_made": {"code": "tea_made", "title": "Tea made", "subject": "practitioner"}
    }
    assert "cp_visit" in load_vocabulary().requirements


def test_each_rulebook_answers_with_its_own_rules(rules_dir):
    # A ruleset's rule index is built once per rulebook (app/domain/deadlines.py):
    # a second rulebook with the same ruleset names must not be answered from
    # the first one's. Here Gloucestershire's child in need visit is 5 days
    # in the copy (the loader wants the number in the rule's own words: its
    # interpretation quotes "within 5 days of referral"), against the bundled
    # 10, for a referral on Monday 2 November 2026.
    edit(
        rules_dir,
        "gloucestershire.yaml",
        "    anchor:\n      event: referral_received\n      which: first\n    due:\n"
        "      amount: 10\n      unit: days",
        "    anchor:\n      event: referral_received\n      which: first\n    due:\n"
        "      amount: 5\n      unit: days",
    )
    edited = load(rules_dir)
    events = [PlainEvent("referral_received", "2026-11-02")]

    def cin_visit_due(book):
        ctx = context(
            book,
            catalogue(),
            bank_holiday_data().calendars,
            "gloucestershire",
            None,
            [],
            dt.date(2026, 11, 3),
        )
        answer = assess_case(ctx, book, None, events)
        (found,) = [d.due for d in answer.deadlines if d.rule.id == "gloucestershire.cin_visit"]
        return found

    bundled = rulebook()
    assert cin_visit_due(bundled) == dt.date(2026, 11, 12)  # 2 November + 10 days
    assert cin_visit_due(edited) == dt.date(2026, 11, 7)  # + 5 days
    assert cin_visit_due(bundled) == dt.date(2026, 11, 12)  # and the first is unchanged

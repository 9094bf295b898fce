"""Rules over time: a council's standards from their document's date, a statute's later
versions, and rules_as_of.

Every date below was counted by hand (the count is beside it); the worked examples
document-date-before/-after (redcar-and-cleveland.yaml) and cla-visit-2014/2016
(england.yaml) hold the same cases for the conformance file.
"""

from __future__ import annotations

import pytest

from tests.test_rules_loader import edit, load, refused, rules_dir  # noqa: F401 (fixture)

WARNING = "The amended text of reg 28 was not retrieved"


def post(client, **body):
    response = client.post("/v1/deadlines", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def of_rule(answer, rule_id):
    return [d for d in answer["deadlines"] if d["rule_id"] == rule_id]


def reasons(answer):
    return {n["rule_id"]: n for n in answer["not_evaluated"]}


def placement(start, visits, as_of, authority="england"):
    return {
        "authority": authority,
        "as_of": as_of,
        "child": {"date_of_birth": "2008-09-01"},
        "events": [
            {"type": "became_looked_after", "date": start},
            {
                "type": "placement_started",
                "date": start,
                "attributes": {"placement_type": "foster"},
            },
            *({"type": "statutory_visit", "date": v} for v in visits),
        ],
    }


# -- a council's standards: in force from the document's date ------------------------------


def referral(date):
    return {
        "authority": "redcar-and-cleveland",
        "as_of": "2024-01-12",
        "events": [
            {"type": "referral_received", "date": date},
            {"type": "assessment_completed", "date": "2024-01-10"},
        ],
    }


def test_before_the_document_date_only_the_statutory_rule_sets_a_deadline(client):
    # Redcar and Cleveland's standards: "November 2023", in force from 1 Nov 2023.
    # Referral Mon 30 Oct 2023 + 45 WD = Thu 4 Jan 2024 (Christmas, Boxing Day and
    # New Year's Day skipped); completed 10 Jan: 4 working days late.
    answer = post(client, **referral("2023-10-30"))
    (statutory,) = of_rule(answer, "england.assessment")
    assert (statutory["due"], statutory["status"], statutory["working_days_overdue"]) == (
        "2024-01-04",
        "met_late",
        4,
    )
    assert of_rule(answer, "redcar-and-cleveland.assessment") == []
    note = reasons(answer)["redcar-and-cleveland.assessment"]
    assert note["reason"] == "not_in_force"
    assert "2023-11-01" in note["detail"] and "referral_received on 2023-10-30" in note["detail"]


def test_after_the_document_date_both_rules_set_one_and_name_their_version(client):
    # A week later: Mon 6 Nov 2023 + 45 WD = Thu 11 Jan 2024, met on 10 Jan, for both.
    answer = post(client, **referral("2023-11-06"))
    (local,) = of_rule(answer, "redcar-and-cleveland.assessment")
    (statutory,) = of_rule(answer, "england.assessment")
    assert local["due"] == statutory["due"] == "2024-01-11"
    assert local["status"] == statutory["status"] == "met"
    assert local["explanation"]["version"] == {
        "label": "as cited",
        "valid_from": "2023-11-01",
        "valid_to": None,
        "verification": None,
        "warning": None,
    }
    assert statutory["explanation"]["version"]["valid_from"] is None
    assert "redcar-and-cleveland.assessment" not in reasons(answer)


# -- a statute's later version: CPPCR reg 28 from 1 April 2015 (text not verified) ----------


def test_a_2014_placement_is_under_reg_28_as_made(client):
    # Mon 3 Mar 2014 + 1 week = Mon 10 Mar (visited 7 Mar); + 6 weeks = 18 Apr (visited
    # 11 Apr); + 6 weeks = Fri 23 May, overdue on 30 May: 27, 28, 29, 30 (26 May spring
    # bank holiday) = 4.
    answer = post(client, **placement("2014-03-03", ["2014-03-07", "2014-04-11"], "2014-05-30"))
    visits = of_rule(answer, "england.cla_visit")
    assert [(d["due"], d["status"]) for d in visits] == [
        ("2014-03-10", "met"),
        ("2014-04-18", "met"),
        ("2014-05-23", "overdue"),
    ]
    for d in visits:
        version = d["explanation"]["version"]
        assert version["label"].startswith("as made")
        assert (version["valid_to"], version["verification"], version["warning"]) == (
            "2015-03-31",
            "V-P",
            None,
        )


def test_a_2016_placement_is_under_the_unverified_amendment_with_its_warning(client):
    # The same schedule two years on: Mon 7 Mar 2016 + 1 week = 14 Mar; 11 Mar + 6 weeks =
    # 22 Apr; 15 Apr + 6 weeks = Fri 27 May, overdue on 3 Jun (30 May bank holiday) = 4.
    answer = post(client, **placement("2016-03-07", ["2016-03-11", "2016-04-15"], "2016-06-03"))
    visits = of_rule(answer, "england.cla_visit")
    assert [(d["due"], d["status"], d["working_days_overdue"]) for d in visits] == [
        ("2016-03-14", "met", 0),
        ("2016-04-22", "met", 0),
        ("2016-05-27", "overdue", 4),
    ]
    for d in visits:
        version = d["explanation"]["version"]
        assert version["label"].startswith("as amended by SI 2015/495")
        assert (version["valid_from"], version["verification"]) == ("2015-04-01", "U")
        assert WARNING in version["warning"]


def test_a_schedule_across_the_amendment_takes_each_deadline_under_its_own_day(client):
    # Placement Mon 2 Feb 2015 + 1 week = 9 Feb (visited 6 Feb); 6 Feb + 6 weeks = Fri 20 Mar
    # (visited 13 Mar, before 1 April: as made); 13 Mar + 6 weeks = 24 Apr (visited 17 Apr);
    # 17 Apr + 6 weeks = Fri 29 May 2015, counted from a visit after 1 April: as amended.
    answer = post(
        client, **placement("2015-02-02", ["2015-02-06", "2015-03-13", "2015-04-17"], "2015-05-01")
    )
    visits = of_rule(answer, "england.cla_visit")
    assert [
        (d["due"], d["explanation"]["anchor"]["date"], d["explanation"]["version"]["verification"])
        for d in visits
    ] == [
        ("2015-02-09", "2015-02-02", "V-P"),
        ("2015-03-20", "2015-02-06", "V-P"),
        ("2015-04-24", "2015-03-13", "V-P"),
        ("2015-05-29", "2015-04-17", "U"),
    ]


def test_the_overdue_list_names_the_version_and_the_rules_section_lists_them(client):
    body = placement("2016-03-07", ["2016-03-11", "2016-04-15"], "2016-06-03")
    case = {"case_id": "C-1", "child": body["child"], "events": body["events"]}
    response = client.post(
        "/v1/overdue", json={"authority": "england", "as_of": "2016-06-03", "cases": [case]}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    (row,) = [r for r in answer["deadlines"] if r["rule_id"] == "england.cla_visit"]
    assert row["due"] == "2016-05-27"
    assert row["version"].startswith("as amended by SI 2015/495")
    versions = answer["rules"]["england.cla_visit"]["versions"]
    assert [(v["valid_from"], v["valid_to"], v["verification"]) for v in versions] == [
        (None, "2015-03-31", "V-P"),
        ("2015-04-01", None, "U"),
    ]
    assert [v["label"] for v in versions][1] == row["version"]


# -- rules_as_of: the rules of one day, for every deadline ---------------------------------


def test_rules_as_of_applies_one_day_s_rules_to_every_deadline(client):
    body = placement("2016-03-07", ["2016-03-11", "2016-04-15"], "2016-06-03")
    answer = post(client, **body, rules_as_of="2014-06-01")
    visits = of_rule(answer, "england.cla_visit")
    # The same dates (the versions share their numbers); the text named is the one of 2014.
    assert [d["due"] for d in visits] == ["2016-03-14", "2016-04-22", "2016-05-27"]
    assert {d["explanation"]["version"]["verification"] for d in visits} == {"V-P"}


def test_rules_as_of_before_a_council_s_document_leaves_only_the_statutory_rules(client):
    answer = post(client, **referral("2023-11-06"), rules_as_of="2023-10-31")
    assert of_rule(answer, "redcar-and-cleveland.assessment") == []
    note = reasons(answer)["redcar-and-cleveland.assessment"]
    assert note["reason"] == "not_in_force" and "rules_as_of (2023-10-31)" in note["detail"]
    assert [d["due"] for d in of_rule(answer, "england.assessment")] == ["2024-01-11"]


def test_rules_as_of_outside_the_supported_range_is_a_422_naming_it(client):
    response = client.post(
        "/v1/deadlines", json={**referral("2023-11-06"), "rules_as_of": "1999-01-01"}
    )
    assert response.status_code == 422
    assert ["body", "rules_as_of"] in [e["loc"][:2] for e in response.json()["errors"]]


# -- the loader refuses versions that cannot be right --------------------------------------


def test_a_council_ruleset_without_its_document_date_is_refused(rules_dir):  # noqa: F811
    text = (rules_dir / "west-sussex.yaml").read_text(encoding="utf-8")
    start, end = text.index("in_force:"), text.index("rules:")
    (rules_dir / "west-sussex.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    assert "west-sussex.yaml: a council's ruleset needs in_force" in refused(rules_dir)


def test_a_document_date_quote_not_in_the_seed_is_refused(rules_dir):  # noqa: F811
    edit(rules_dir, "west-sussex.yaml", "6 April 2020", "7 April 2020")
    assert "in_force: quote not found word for word" in refused(rules_dir)


def test_versions_out_of_order_are_refused(rules_dir):  # noqa: F811
    edit(
        rules_dir,
        "england.yaml",
        "    versions:\n      - valid_from: '2015-04-01'\n",
        "    versions:\n      - valid_from: '2015-04-01'\n        label: later\n"
        "        verification: V-P\n        note: a later text\n      - valid_from: '2014-04-01'\n",
    )
    assert "versions must be in order of valid_from" in refused(rules_dir)


LABEL = "    version_label: as made (SI 2010/959, in force 1 April 2011)\n"


@pytest.mark.parametrize(
    "dates, refusal",
    [
        ("    valid_from: '2016-01-01'\n", "version from 2015-04-01 is outside the rule's span"),
        (
            "    valid_from: '2016-01-01'\n    valid_to: '2015-01-01'\n",
            "valid_to 2015-01-01 is before valid_from 2016-01-01",
        ),
    ],
)
def test_a_span_that_cannot_hold_the_rule_or_its_versions_is_refused(rules_dir, dates, refusal):  # noqa: F811
    edit(rules_dir, "england.yaml", LABEL, LABEL + dates)
    assert refusal in refused(rules_dir)


def test_the_rules_load_with_their_dates(rules_dir):  # noqa: F811
    book = load(rules_dir)
    starts = {name: {r.valid_from for r in f.rules} for name, f in book.rulesets.items()}
    assert {name: {str(d) for d in days} for name, days in starts.items()} == {
        "england": {"None"},
        "gloucestershire": {"2024-06-01"},
        "redcar-and-cleveland": {"2023-11-01"},
        "together-for-children-sunderland": {"2019-09-01"},
        "west-sussex": {"2020-04-06"},
    }


@pytest.mark.parametrize(
    "rule_id",
    [
        "england.cla_visit",
        "england.cla_visit.connected_person_temporary",
        "england.cla_visit.with_parents",
        "england.cla_visit.placement_unknown",
    ],
)
def test_every_reg_28_rule_carries_the_2015_version(rules_dir, rule_id):  # noqa: F811
    rule = next(r for _, r in load(rules_dir).all_rules() if r.id == rule_id)
    assert [(str(v.valid_from), v.verification) for v in rule.versions] == [("2015-04-01", "U")]


# -- a change of numbers: a rule that supersedes another -----------------------------------


def succession(folder, new_from, old_to="2029-12-31", supersedes="england.cla_visit"):
    """england.yaml with england.cla_visit ending on old_to (None: no end) and a copy
    of it, england.cla_visit.from_2030, beginning on new_from and superseding it."""
    path = folder / "england.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: england.cla_visit\n")
    end = text.index("\n  - id:", start + 1) + 1
    block = text[start:end]
    copy = block[: block.index("    version_label:")] + block[block.index("    interpretation:") :]
    copy = copy.replace("id: england.cla_visit\n", "id: england.cla_visit.from_2030\n", 1)
    copy = copy.replace(
        "    basis: statutory\n",
        f"    basis: statutory\n    valid_from: '{new_from}'\n    supersedes: {supersedes}\n",
        1,
    )
    if old_to is not None:
        block = block.replace(
            "    basis: statutory\n", f"    basis: statutory\n    valid_to: '{old_to}'\n", 1
        )
    path.write_text(text[:start] + block + copy + text[end:], encoding="utf-8")


def test_a_rule_that_takes_over_the_day_after_the_one_it_supersedes_loads(rules_dir):  # noqa: F811
    succession(rules_dir, "2030-01-01")
    rules = {r.id: r for _, r in load(rules_dir).all_rules()}
    assert str(rules["england.cla_visit"].valid_to) == "2029-12-31"
    assert rules["england.cla_visit.from_2030"].supersedes == "england.cla_visit"


@pytest.mark.parametrize(
    "new_from, old_to, supersedes, refusal",
    [
        ("2029-12-01", "2029-12-31", "england.cla_visit", "overlaps england.cla_visit"),
        (
            "2030-02-01",
            "2029-12-31",
            "england.cla_visit",
            "leaves a gap after england.cla_visit: neither in force from 2030-01-01 to 2030-01-31",
        ),
        ("2030-01-01", None, "england.cla_visit", "it needs valid_from, and england.cla_visit"),
        ("2030-01-01", "2029-12-31", "england.no_such_rule", "which is not in this file"),
        ("2030-01-01", "2029-12-31", "england.icpc", "a rule of another requirement or basis"),
    ],
)
def test_a_succession_with_a_gap_or_an_overlap_is_refused(
    rules_dir,  # noqa: F811
    new_from,
    old_to,
    supersedes,
    refusal,
):
    succession(rules_dir, new_from, old_to, supersedes)
    assert refusal in refused(rules_dir)


def test_a_council_rule_s_version_from_before_its_document_is_refused(rules_dir):  # noqa: F811
    # West Sussex's framework is in force from 6 April 2020: a version of one of its
    # rules from 2019 could never apply.
    text = (rules_dir / "west-sussex.yaml").read_text(encoding="utf-8")
    first = text.index("    citation:")
    version = (
        "    versions:\n      - valid_from: '2019-01-01'\n        label: earlier\n"
        "        verification: V-P\n        note: an earlier text\n"
    )
    (rules_dir / "west-sussex.yaml").write_text(
        text[:first] + version + text[first:], encoding="utf-8"
    )
    assert "a version from before the ruleset is in force would never apply" in refused(rules_dir)

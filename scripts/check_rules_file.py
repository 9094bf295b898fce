"""Quick self-check for one rules file while it is being written.

    python scripts/check_rules_file.py app/data/rules/gloucestershire.yaml

Checks the shape described in app/data/rules/README.md, the vocabulary
(event types, requirement codes, units, episodes), and that each citation's
quote is verbatim in its source: the authority's seed for local rules,
app/data/sources/statutory-sources.md for statutory ones.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.catalogue.verbatim import missing_lines, normalise, normalised_seed  # noqa: E402

DATA = ROOT / "app/data"
EVENTS = {e["type"] for e in yaml.safe_load((DATA / "events.yaml").read_text())["event_types"]}
PLACEMENT_TYPES = set(yaml.safe_load((DATA / "events.yaml").read_text())["placement_types"])
REQUIREMENTS = {
    r["code"]: r for r in yaml.safe_load((DATA / "requirements.yaml").read_text())["requirements"]
}
UNITS = {"working_days", "days", "weeks", "months", "hours", "years"}
EPISODES = {
    "case_open",
    "assessment",
    "s47_enquiry",
    "cin_plan",
    "cp_plan",
    "looked_after",
    "placement",
    "care_leaver",
    "early_help",
    "private_fostering",
    "missing_episode",
    "adoption_placement",
}


def catalogue() -> tuple[dict[str, dict], dict[str, dict]]:
    items, files = {}, {}
    for path in (DATA / "catalogue").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files[data["authority"]["id"]] = data
        for item in data["items"]:
            items[item["id"]] = item
    return items, files


def check_offset(where: str, o: dict, problems: list[str]) -> None:
    if not isinstance(o, dict) or not isinstance(o.get("amount"), int) or o["amount"] <= 0:
        problems.append(f"{where}: amount must be a positive integer")
    if o.get("unit") not in UNITS:
        problems.append(f"{where}: unit must be one of {sorted(UNITS)}")


def main(path: str) -> int:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    ruleset = data["ruleset"]
    items, files = catalogue()
    if ruleset == "england":
        source = normalise((DATA / "sources/statutory-sources.md").read_text(encoding="utf-8"))
    else:
        doc = files[ruleset]
        source = normalised_seed(
            DATA / "seeds" / doc["document"]["seed_file"], doc.get("page_furniture", [])
        )
    problems: list[str] = []
    ids = Counter(r.get("id") for r in data["rules"])
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    for rule in data["rules"]:
        w = rule.get("id", "?")
        if not str(w).startswith(ruleset + "."):
            problems.append(f"{w}: id must start with '{ruleset}.'")
        for key in ("requirement", "title", "basis", "subject", "citation"):
            if not rule.get(key):
                problems.append(f"{w}: missing {key}")
        if rule.get("requirement") not in REQUIREMENTS:
            problems.append(f"{w}: unknown requirement {rule.get('requirement')}")
        if rule.get("basis") not in ("statutory", "local"):
            problems.append(f"{w}: basis must be statutory or local")
        if rule.get("subject") not in ("child", "practitioner", "organisation"):
            problems.append(f"{w}: bad subject")
        cit = rule.get("citation") or {}
        for key in ("document", "section", "quote"):
            if not cit.get(key):
                problems.append(f"{w}: citation.{key} missing")
        for line in missing_lines(cit.get("quote", ""), source):
            problems.append(f"{w}: quote not verbatim in source: {line!r}")
        if rule.get("basis") == "statutory" and cit.get("verification") not in ("V-P", "V-S", "U"):
            problems.append(f"{w}: statutory citation needs verification V-P, V-S or U")
        if rule.get("catalogue_item") and rule["catalogue_item"] not in items:
            problems.append(f"{w}: catalogue_item {rule['catalogue_item']} not found")
        if not rule.get("computable", True):
            if not rule.get("not_computable_reason"):
                problems.append(f"{w}: not computable needs not_computable_reason")
            continue
        during = rule.get("applies_during") or {}
        if during and during.get("episode") not in EPISODES:
            problems.append(f"{w}: unknown episode {during.get('episode')}")
        for pt in during.get("placement_types", []) or []:
            if pt not in PLACEMENT_TYPES:
                problems.append(f"{w}: unknown placement type {pt}")
        anchor = rule.get("anchor") or {}
        if "birthday" in anchor:
            if not isinstance(anchor["birthday"], int):
                problems.append(f"{w}: anchor.birthday must be an age in years")
        elif anchor.get("event") not in EVENTS:
            problems.append(f"{w}: unknown anchor event {anchor.get('event')}")
        elif anchor.get("which") not in ("each", "first", "latest"):
            problems.append(f"{w}: anchor.which must be each, first or latest")
        check_offset(f"{w}: due", rule.get("due") or {}, problems)
        if (rule.get("due") or {}).get("direction") not in ("after", "before"):
            problems.append(f"{w}: due.direction must be after or before")
        for ev in rule.get("satisfied_by") or []:
            if ev not in EVENTS:
                problems.append(f"{w}: unknown satisfied_by event {ev}")
        if not rule.get("satisfied_by"):
            problems.append(f"{w}: satisfied_by missing")
        for i, step in enumerate(rule.get("then") or []):
            check_offset(f"{w}: then[{i}].every", step.get("every") or {}, problems)
            if step.get("after_event") and step["after_event"] not in EVENTS:
                problems.append(f"{w}: then[{i}].after_event unknown")
            if step.get("within"):
                check_offset(f"{w}: then[{i}].within", step["within"], problems)
    for p in problems:
        print(p)
    print(f"{len(data['rules'])} rules, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

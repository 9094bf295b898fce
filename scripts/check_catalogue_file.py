"""Quick self-check for one catalogue data file while it is being written.

    python scripts/check_catalogue_file.py app/data/catalogue/gloucestershire.yaml

Checks the structure the loader expects and that every line of every item's
text (and every value in `fields`) appears verbatim in the seed after
conversion artefacts and the file's declared page furniture are removed.
The service's own start-up validation and the test suite make the same checks.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.catalogue.verbatim import missing_lines, normalised_seed  # noqa: E402

KINDS = {
    "standard",
    "statement",
    "aim",
    "outcome",
    "key_timescale",
    "practice_guide",
    "guide_point",
    "principle",
    "qa_activity",
    "audit_stage",
    "grading",
    "rubric",
    "iro_principle",
    "pillar",
    "measure",
    "section",
    "standard_detail",
}
THEMES = {t["id"] for t in yaml.safe_load((ROOT / "app/data/themes.yaml").read_text())}
ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


def main(path: str) -> int:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    problems: list[str] = []
    doc = data["document"]
    seed = normalised_seed(
        ROOT / "app/data/seeds" / doc["seed_file"], data.get("page_furniture", [])
    )
    ids = Counter(item["id"] for item in data["items"])
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    known = set(ids)
    for item in data["items"]:
        where = item.get("id", "?")
        for key in ("id", "kind", "text", "themes", "section"):
            if not item.get(key):
                problems.append(f"{where}: missing {key}")
        if not ID.match(str(item.get("id", ""))):
            problems.append(f"{where}: id must match {ID.pattern}")
        if not str(item.get("id", "")).startswith(data["authority"]["id"] + "-"):
            problems.append(f"{where}: id must start with the authority id")
        if item.get("kind") not in KINDS:
            problems.append(f"{where}: unknown kind {item.get('kind')}")
        if item.get("parent") and item["parent"] not in known:
            problems.append(f"{where}: parent {item['parent']} not found")
        for theme in item.get("themes", []):
            if theme not in THEMES:
                problems.append(f"{where}: unknown theme {theme}")
        texts = [item.get("text", ""), item.get("title") or ""]
        texts += [str(v) for v in (item.get("fields") or {}).values()]
        for text in texts:
            for line in missing_lines(text, seed):
                problems.append(f"{where}: not verbatim in seed: {line!r}")
    for p in problems:
        print(p)
    print(f"{len(data['items'])} items, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

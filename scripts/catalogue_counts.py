"""The README's generated counts: the catalogue's items per document and kind, and the
worked examples per ruleset.

    python scripts/catalogue_counts.py           # print the catalogue table
    python scripts/catalogue_counts.py --write   # rewrite both in README.md
    python scripts/catalogue_counts.py --check   # exit 1 if README.md differs

`make generated` runs --write and regenerates openapi/openapi.json.
tests/test_readme.py checks the README holds exactly the catalogue table, and
tests/test_worked_examples.py the worked-example counts, so the README cannot drift
from the data.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.catalogue.data import KINDS, Catalogue, catalogue
from app.datafiles import load_yaml

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLES_DIR = ROOT / "app" / "data" / "rules" / "examples"

# Column headings; a council not named here is headed by its id.
SHORT = {
    "south-gloucestershire": "South Glos",
    "together-for-children-sunderland": "Sunderland",
    "west-sussex": "West Sussex",
    "gloucestershire": "Gloucestershire",
    "redcar-and-cleveland": "Redcar & Cleveland",
}


def counts_table(c: Catalogue) -> str:
    documents = sorted(c.documents, key=lambda d: c.documents[d].seed_file)
    counts = Counter((i.document_id, i.kind) for i in c.items.values())
    names = [SHORT.get(c.document_authority[d], c.document_authority[d]) for d in documents]
    lines = [
        "| kind | " + " | ".join(names) + " | all |",
        "|---|" + "---:|" * (len(documents) + 1),
    ]
    for kind in KINDS:
        row = [counts[(d, kind)] for d in documents]
        if any(row):
            cells = " | ".join(str(n) if n else "" for n in row)
            lines.append(f"| {kind} | {cells} | {sum(row)} |")
    totals = [sum(counts[(d, k)] for k in KINDS) for d in documents]
    lines.append(
        "| **all** | " + " | ".join(f"**{n}**" for n in totals) + f" | **{sum(totals)}** |"
    )
    return "\n".join(lines)


def worked_counts(directory: Path = EXAMPLES_DIR) -> str:
    """One line: the worked cases and their expected deadlines, per ruleset file."""
    per_file = []
    cases = deadlines = 0
    for path in sorted(directory.glob("*.yaml")):
        found = load_yaml(path)["cases"]
        cases += len(found)
        deadlines += sum(len(rows) for case in found for rows in case["expect"].values())
        per_file.append(f"{path.stem} {len(found)}")
    return f"{cases} worked cases with {deadlines} expected deadlines ({', '.join(per_file)})"


def regenerated(text: str, c: Catalogue) -> str:
    """The README with both generated parts replaced by what the data says now."""
    table, n = re.subn(
        r"(<!-- catalogue-counts:start -->\n).*?(\n<!-- catalogue-counts:end -->)",
        lambda m: m.group(1) + counts_table(c) + m.group(2),
        text,
        flags=re.DOTALL,
    )
    worked, m = re.subn(
        r"(<!-- worked-counts -->).*?(<!-- /worked-counts -->)",
        lambda g: g.group(1) + worked_counts() + g.group(2),
        table,
    )
    if n != 1 or m != 1:
        raise SystemExit("README.md: the generated-counts markers are missing or repeated")
    return worked


if __name__ == "__main__":
    if sys.argv[1:] in (["--write"], ["--check"]):
        text = README.read_text(encoding="utf-8")
        new = regenerated(text, catalogue())
        if sys.argv[1] == "--check":
            if new != text:
                raise SystemExit("README.md: generated counts are stale: run make generated")
        elif new != text:
            README.write_text(new, encoding="utf-8")
            print("README.md: generated counts rewritten")
    elif sys.argv[1:]:
        raise SystemExit(__doc__)
    else:
        print(counts_table(catalogue()))

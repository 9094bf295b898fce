"""Print the README's table of catalogue items per document and kind.

    python scripts/catalogue_counts.py

tests/test_readme.py checks that the README holds exactly this table, so the
README cannot drift from the data.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.catalogue.data import KINDS, Catalogue, catalogue

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


if __name__ == "__main__":
    print(counts_table(catalogue()))

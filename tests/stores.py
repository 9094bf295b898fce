"""The catalogue store built by several processes at the same moment, as the
workers of one server (or several servers on one database) build it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BUILD_AND_SEARCH = """
import sys
from app.catalogue.data import catalogue
from app.catalogue.store import CatalogueStore, Filters
store = CatalogueStore.build(catalogue(), sys.argv[1])
total, hits = store.search(Filters(), "supervision", 3, 0)
print(total, *[h.item.id for h in hits])
"""


def built_at_once(url: str, processes: int = 4) -> list[str]:
    """Start `processes` processes together, each building the store at `url`
    and then searching it for "supervision": what each printed (the total and
    the first three ids). Fails with its error output if any of them failed."""
    started = [
        subprocess.Popen(
            [sys.executable, "-c", BUILD_AND_SEARCH, url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(processes)
    ]
    outputs = []
    for p in started:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        outputs.append(out.decode().strip())
    return outputs

"""Shared by the loaders of the reference-data files (catalogue and rules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError


def _name(raw: Any, key: str, index: int) -> str:
    entries = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
        return str(entries[index].get("id", f"#{index}"))
    return f"#{index}"


def describe(path: Path, raw: Any, exc: ValidationError, key: str, noun: str) -> str:
    """One line per problem, naming the file and the entry by its id.

    `key` is the file's list of entries ("items", "rules") and `noun` what
    one is called in a message ("item", "rule").
    """
    lines = []
    for e in exc.errors()[:10]:
        loc = list(e["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == key and isinstance(loc[1], int):
            rest = ".".join(str(p) for p in loc[2:])
            where = f"{noun} {_name(raw, key, loc[1])}" + (f", {rest}" if rest else "")
        lines.append(f"{path.name}: {where}: {e['msg']}")
    return "\n".join(lines)

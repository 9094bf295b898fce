"""Where the bundled reference data lives, and what its loaders share.

Every loader takes the paths it reads as parameters; their defaults are built
from DATA_DIR, the one place that says where the data shipped with the app is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

DATA_DIR = Path(__file__).resolve().parent / "data"


def _name(raw: Any, key: str, index: int) -> str:
    entries = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
        entry = entries[index]
        return str(entry.get("id", entry.get("kind", f"#{index}")))
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


class DataFileError(Exception):
    """A reference-data file cannot be read; the message names the file (and line)."""


class _UniqueKeyLoader(yaml.CSafeLoader):
    """PyYAML's C loader, refusing a key that appears twice in one mapping.

    Plain YAML keeps the last of two equal keys, so a rule with `due:` written
    twice would silently lose the first; here it stops start-up instead.
    """


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            first = seen[key].start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {first})", key_node.start_mark
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _unique_mapping,
)


def load_yaml(path: Path, error: type[Exception] = DataFileError) -> Any:
    """A YAML data file, strictly: a syntax error or a duplicate key names the file and line.

    The problem is raised as `error`, so that a loader's callers see the
    loader's own error class (CatalogueDataError, RulesDataError) for a file
    that cannot be read as well as for one that reads but is wrong.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{path.name}: cannot be read ({exc.strerror})") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = exc.problem or exc.context or "not valid YAML"
        raise error(f"{path.name}: {where}: {problem}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path.name}: not valid YAML ({type(exc).__name__})") from None

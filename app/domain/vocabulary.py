"""The event vocabulary and requirement codes (app/data/events.yaml, requirements.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.datafiles import DATA_DIR, load_yaml

EVENTS_FILE = DATA_DIR / "events.yaml"
REQUIREMENTS_FILE = DATA_DIR / "requirements.yaml"


@dataclass(frozen=True)
class Vocabulary:
    event_types: frozenset[str]
    placement_types: frozenset[str]
    requirements: dict[str, dict[str, str]]
    # event type -> attribute name -> "bool" | "placement_type" | "string"
    attributes: dict[str, dict[str, str]]
    # Every attribute a rule reads, with its kind: an event of any type that
    # carries one must give it that kind (the schema says so for all events).
    attribute_kinds: dict[str, str]
    # For the schema: what each event type and each attribute means.
    descriptions: dict[str, str]
    attribute_descriptions: dict[str, str]


def load_vocabulary(
    events_file: Path = EVENTS_FILE, requirements_file: Path = REQUIREMENTS_FILE
) -> Vocabulary:
    events: Any = load_yaml(events_file)
    requirements: Any = load_yaml(requirements_file)
    attributes = {e["type"]: dict(e.get("attributes", {})) for e in events["event_types"]}
    return Vocabulary(
        event_types=frozenset(e["type"] for e in events["event_types"]),
        placement_types=frozenset(events["placement_types"]),
        requirements={r["code"]: r for r in requirements["requirements"]},
        attributes=attributes,
        attribute_kinds={name: kind for by in attributes.values() for name, kind in by.items()},
        descriptions={e["type"]: e.get("description", "") for e in events["event_types"]},
        attribute_descriptions=dict(events.get("attribute_descriptions", {})),
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_vocabulary()

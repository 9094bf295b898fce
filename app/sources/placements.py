"""SSDA903 placement-type codes, and the service's placement type each is read as.

The codes, their descriptions and the reading of each are data
(app/data/council_data/ssda903_placement_types.yaml, copied from the public
Annex A schema, with the interpretations written there). Both council-data
readers use them: Annex A List 8's "Placement Type" and the SSD's
`clap_cla_placement_type`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from app.datafiles import DATA_DIR, DataFileError, describe, load_yaml
from app.domain.vocabulary import vocabulary

PLACEMENT_CODES_FILE = DATA_DIR / "council_data" / "ssda903_placement_types.yaml"


class PlacementCode(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str  # as the Annex A schema lists it: "c) U3: Foster placement - relative - not FFA"
    description: str
    placement_type: str

    @field_validator("placement_type")
    @classmethod
    def _known_placement_type(cls, value: str) -> str:
        known = vocabulary().placement_types
        if value not in known:
            raise ValueError(
                f"{value!r} is not a placement type of app/data/events.yaml "
                f"({', '.join(sorted(known))})"
            )
        return value


class PlacementSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    repository: str
    path: str
    commit: str
    where: str


class PlacementCodesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: PlacementSource
    codes: dict[str, PlacementCode]

    @field_validator("codes")
    @classmethod
    def _codes_are_folded(cls, value: dict[str, PlacementCode]) -> dict[str, PlacementCode]:
        for code in value:
            if code != _fold(code):
                raise ValueError(f"code {code!r} must be written as {_fold(code)!r}")
        return value


def _fold(text: str) -> str:
    """A code or label as compared: upper case, no spaces ("u 3 " -> "U3")."""
    return "".join(text.split()).upper()


@lru_cache(maxsize=1)
def placement_codes(path: Path = PLACEMENT_CODES_FILE) -> dict[str, PlacementCode]:
    """Every SSDA903 placement code, checked: a target placement type the
    vocabulary does not have stops the load (DataFileError naming the file)."""
    raw = load_yaml(path)
    try:
        parsed = PlacementCodesFile.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(describe(path, raw, exc, "codes", "code")) from None
    return dict(parsed.codes)


@lru_cache(maxsize=1)
def _by_text() -> dict[str, str]:
    """Folded code or label -> code. A council's cell may hold the bare code
    ("U3"), the schema's label ("c) U3: Foster placement - relative - not
    FFA"), or that label without its list letter ("U3: Foster placement ...")."""
    out: dict[str, str] = {}
    for code, entry in placement_codes().items():
        out[code] = code
        out[_fold(entry.label)] = code
        _, _, unlettered = entry.label.partition(") ")
        if unlettered:
            out[_fold(unlettered)] = code
    return out


def placement_code(text: str) -> str | None:
    """The SSDA903 code a cell's text names, or None when it names none."""
    return _by_text().get(_fold(text))


def placement_type(code: str) -> str | None:
    """The service's placement type for an SSDA903 code (or its schema label);
    case and spaces do not matter; None for a code the list does not have."""
    known = placement_code(code)
    return placement_codes()[known].placement_type if known is not None else None


def placement_description(code: str) -> str | None:
    """The schema's description of an SSDA903 code; None for an unknown code."""
    known = placement_code(code)
    return placement_codes()[known].description if known is not None else None

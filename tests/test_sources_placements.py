"""SSDA903 placement codes (app/sources/placements.py and its data file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.datafiles import DataFileError
from app.sources import placements
from app.sources.placements import (
    placement_code,
    placement_codes,
    placement_description,
    placement_type,
)

# The codes of the Annex A schema's List 8 "Placement Type" (R4 is not among them).
SCHEMA_CODES = {
    "U1", "U2", "U3", "U4", "U5", "U6", "A3", "A4", "A5", "A6", "P1", "P2", "P3",
    "H5", "K1", "K2", "R1", "R2", "R3", "R5", "S1", "Z1", "T0", "T1", "T2", "T3", "T4",
}  # fmt: skip


def test_every_schema_code_is_listed_and_no_other() -> None:
    assert set(placement_codes()) == SCHEMA_CODES


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("U1", "foster"),
        ("U3", "foster"),
        ("U6", "foster"),
        ("A3", "placed_for_adoption"),
        ("A6", "placed_for_adoption"),
        ("P1", "with_parents"),
        ("K1", "residential"),
        ("K2", "residential"),
        ("R1", "residential"),
        ("S1", "residential"),
        ("H5", "other"),
        ("R5", "other"),
        ("Z1", "other"),
        ("T0", "other"),
        ("T4", "other"),
    ],
)
def test_codes_read_as_the_service_placement_types(code: str, expected: str) -> None:
    assert placement_type(code) == expected


def test_case_and_spaces_do_not_matter() -> None:
    assert placement_type(" u4 ") == "foster"
    assert placement_type("p 1") == "with_parents"
    assert placement_code("k2\t") == "K2"


def test_the_schema_label_names_its_code() -> None:
    assert placement_code("c) U3: Foster placement - relative - not FFA") == "U3"
    assert placement_code("U3: Foster placement - relative - not FFA") == "U3"
    assert placement_type("p) K2: Children's Homes") == "residential"


def test_unknown_codes_are_none() -> None:
    assert placement_type("R4") is None  # not in the schema's list
    assert placement_type("X9") is None
    assert placement_type("") is None
    assert placement_description("Q1") is None


def test_descriptions_are_the_schema_words() -> None:
    assert placement_description("U3") == "Foster placement - relative - not FFA"
    assert placement_description("t4") == "Temporary placement - seven days or less"
    assert placement_description("K1") == "Secure Children's Homes"


def _write(tmp_path: Path, codes: str) -> Path:
    path = tmp_path / "codes.yaml"
    path.write_text(
        "source: {repository: r, path: p, commit: c, where: w}\ncodes:\n" + codes,
        encoding="utf-8",
    )
    return path


def test_an_unknown_target_placement_type_refuses_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "  U1: {label: 'a) U1: x', description: x, placement_type: kinship}\n")
    with pytest.raises(DataFileError, match="kinship"):
        placements.placement_codes.__wrapped__(path)


def test_a_code_not_written_folded_refuses_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "  u1: {label: 'a) U1: x', description: x, placement_type: foster}\n")
    with pytest.raises(DataFileError, match="U1"):
        placements.placement_codes.__wrapped__(path)

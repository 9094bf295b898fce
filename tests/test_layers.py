"""The layer contracts of app/ (pyproject.toml, [tool.importlinter]).

`make test` runs `lint-imports` in its lint step; these tests check that the
contracts hold when only pytest runs, that every module of the app is in a
layer (a new module cannot slip past them), and that the check fails when a
lower layer imports a higher one.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import app

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]


def _layers() -> list[str]:
    contract = next(c for c in _config()["contracts"] if c["type"] == "layers")
    return contract["layers"]


def _lint(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layer_contracts_hold():
    result = _lint(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_every_module_of_the_app_is_in_a_layer():
    in_layers = {name.strip() for layer in _layers() for name in layer.split("|")}
    modules = {f"app.{m.name}" for m in pkgutil.iter_modules(app.__path__)}
    assert in_layers == modules


def test_the_error_hierarchy_is_at_the_bottom():
    bottom = {name.strip() for name in _layers()[-1].split("|")}
    assert "app.errors" in bottom
    assert _layers()[-2:] == [
        "app.calendars",
        "app.errors | app.logs | app.settings | app.datafiles",
    ]


def test_a_lower_layer_importing_a_higher_one_is_refused(tmp_path):
    # The same contracts with calendars put above the domain: the domain's
    # imports of app.calendars are then an upward import, and the check fails.
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    swapped = text.replace('    "app.domain | app.catalogue",\n    "app.calendars",\n', "", 1)
    swapped = swapped.replace(
        '    "app.reference | app.sources",\n',
        '    "app.reference | app.sources",\n'
        '    "app.calendars",\n'
        '    "app.domain | app.catalogue",\n',
        1,
    )
    assert swapped != text
    config = tmp_path / "contracts.toml"
    config.write_text(swapped, encoding="utf-8")
    result = _lint(config)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert "app.domain" in result.stdout and "app.calendars" in result.stdout

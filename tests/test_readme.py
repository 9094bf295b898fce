"""The README's copy-paste examples and generated figures stay true."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "scripts"))

from catalogue_counts import counts_table  # noqa: E402

from app.catalogue.data import catalogue  # noqa: E402


def test_readme_opens_with_the_two_commands():
    head = README[:400]
    assert "make run" in head and "make test" in head


def test_catalogue_counts_table_matches_the_data():
    table = re.search(
        r"<!-- catalogue-counts:start -->\n(.*?)\n<!-- catalogue-counts:end -->", README, re.DOTALL
    )
    assert table, "the counts table markers are missing from the README"
    assert table.group(1).strip() == counts_table(catalogue())


GET_EXAMPLES = re.findall(r"^curl '(?:localhost:8000)?(/[^']+)'$", README, re.MULTILINE)


def test_there_are_examples():
    assert len(GET_EXAMPLES) >= 10


@pytest.mark.parametrize("path", GET_EXAMPLES)
def test_every_readme_get_example_answers_200(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text


def _block(marker: str) -> str:
    found = re.search(rf"<!-- {marker} -->\n```json\n(.*?)\n```", README, re.DOTALL)
    assert found, f"README example {marker} is missing"
    return found.group(1)


def test_the_readme_deadlines_example_is_what_the_service_answers(client):
    import json

    request = json.loads(_block("example:deadlines-request"))
    shown = json.loads(_block("example:deadlines-response"))
    answer = client.post("/v1/deadlines", json=request).json()
    # The README shortens the two lists to their first entries and says how long they are.
    said = " ".join(README.split())
    assert f"the answer has {len(answer['deadlines'])} deadlines" in said
    assert f"and {len(answer['not_evaluated'])} rules in `not_evaluated`" in said
    for key in ("deadlines", "not_evaluated"):
        assert shown[key] and answer[key][: len(shown[key])] == shown[key], key
        shown[key] = answer[key]
    assert answer == shown


def test_the_readme_maps_every_event_type():
    import yaml

    events = yaml.safe_load((ROOT / "app/data/events.yaml").read_text(encoding="utf-8"))[
        "event_types"
    ]
    missing = [e["type"] for e in events if f"| `{e['type']}` |" not in README]
    assert missing == []


# -- the one configuration table -----------------------------------------------------------

# Read from the environment outside app/settings.py: by the server
# (app/server.py, app/metrics.py) and by Python's tempfile.
OTHER_VARIABLES = {"PROMETHEUS_MULTIPROC_DIR", "TMPDIR"}


def _configuration_rows() -> dict[str, str]:
    section = README.split("\n## Configuration\n", 1)
    assert len(section) == 2, "the README has no Configuration section"
    body = section[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \| ([^|]*) \|", body, re.MULTILINE)
    names = [name for name, _ in rows]
    assert len(names) == len(set(names)), "a variable has two rows"
    return {name: default.strip() for name, default in rows}


def test_the_configuration_table_lists_exactly_the_settings():
    from app.settings import Settings

    fields = {name.upper() for name in Settings.model_fields}
    assert set(_configuration_rows()) == fields | OTHER_VARIABLES


def test_the_configuration_table_gives_each_settings_default():
    from app.settings import Settings

    rows = _configuration_rows()
    for name, field in Settings.model_fields.items():
        cell, default = rows[name.upper()], field.default
        if default is None or default == "":
            assert cell == "unset", name
            continue
        shown = re.match(r"`([^`]+)`", cell)
        assert shown, f"{name}: the default is not given in backquotes"
        if isinstance(default, bool):
            assert shown.group(1) == str(default).lower(), name
        elif isinstance(default, (int, float)):
            assert float(shown.group(1)) == default, name
        else:
            assert shown.group(1) == default, name


def test_the_readme_lists_no_other_settings_table():
    # One table: the other sections link to it rather than keep their own copy.
    assert README.count("| variable | default | meaning |") == 1
    assert "| setting | default | what |" not in README


def _layout_paths() -> list[str]:
    """The paths the first column of the README's Layout table names."""
    section = README.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    paths = []
    for line in section.splitlines():
        if line.startswith("| `"):
            first = line.split(" | ", 1)[0]
            paths += re.findall(r"`([^`]+)`", first)
    return paths


def test_the_layout_table_names_only_what_exists():
    missing = [p for p in _layout_paths() if not (ROOT / p.rstrip("/")).exists()]
    assert _layout_paths() and missing == []


def test_the_layout_table_names_every_module_and_package_of_the_app():
    named = {p.rstrip("/") for p in _layout_paths()}
    entries = {
        f"app/{p.name}"
        for p in (ROOT / "app").iterdir()
        if p.name not in ("__init__.py", "__pycache__")
        and (p.suffix == ".py" or (p.is_dir() and not p.name.endswith(".egg-info")))
    }
    assert sorted(entries - named) == []


def _analyst_commands() -> list[str]:
    section = README.split("\n## For analysts: the overdue list from your SSD or Annex A\n", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_analysts_commands_run_on_the_shipped_samples(tmp_path):
    import shlex
    import subprocess

    # As a reader pastes them, in a folder of their own: the samples and .venv
    # are where the README says, and the files the commands write land there.
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    commands = _analyst_commands()
    assert len(commands) == 3
    for command in commands:
        args = shlex.split(command)
        done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (command, done.stderr[-2000:])
        assert "Cases read:" in done.stderr
        out = tmp_path / args[args.index("--out") + 1]
        assert out.stat().st_size > 0, command


def test_the_audit_figures_the_readme_gives_are_the_sample_s(tmp_path):
    import subprocess

    found = re.search(
        r"On\s+the sample: (\d+) due dates checked, (\d+) matching, (\d+) findings", README
    )
    assert found, "the README gives the audit's figures on the sample"
    checked, matching, findings = found.groups()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/timescales"), "audit-due-dates", "--ssd", str(ROOT / "examples/ssd"),
         "--as-of", "2026-11-23", "--out", str(tmp_path / "audit.csv")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"Recorded due dates checked: {checked}\n" in done.stderr
    assert f"Matching the statutory date: {matching}\n" in done.stderr
    assert f"Findings written: {findings} " in done.stderr

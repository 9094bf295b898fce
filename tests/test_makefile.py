"""`make` says what it is doing and refuses a Python older than 3.11, even in an old .venv.

Each test runs the real Makefile in a scratch directory (`make -C tmp -f
Makefile`), so the project's own .venv is never touched; the interpreters are
shims that report a version and log what they were asked to do.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKEFILE = ROOT / "Makefile"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _shim(path: Path, version: str) -> Path:
    """A stand-in interpreter: `-c` prints the version, `-m pip ...` is logged."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = -c ]; then echo {version}; exit 0; fi\n'
        f'echo "$@" >> "{path}.log"\n',
        encoding="utf-8",
    )
    path.chmod(0o755)
    return path


def _make(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(tmp_path), "-f", str(MAKEFILE), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_old_python_is_refused_with_a_message(tmp_path):
    old = _shim(tmp_path / "bin" / "python3", "3.10")
    done = _make(tmp_path, "install", f"PYTHON={old}")
    assert done.returncode != 0
    assert f"make: this project needs Python 3.11 or later; {old} is Python 3.10." in done.stderr
    assert not (tmp_path / ".venv").exists()


def test_an_old_venv_and_an_old_python_are_refused_and_the_venv_left(tmp_path):
    venv_python = _shim(tmp_path / ".venv" / "bin" / "python", "3.9")
    old = _shim(tmp_path / "bin" / "python3", "3.10")
    done = _make(tmp_path, "test", f"PYTHON={old}")
    assert done.returncode != 0
    assert f"{old} is Python 3.10" in done.stderr
    assert "make: .venv (Python 3.9) is too old too, and was left as it is." in done.stderr
    assert venv_python.exists()
    assert not Path(f"{venv_python}.log").exists()  # nothing was installed with it


def test_a_missing_python_is_refused_with_a_message(tmp_path):
    done = _make(tmp_path, "run", f"PYTHON={tmp_path / 'no-such-python'}")
    assert done.returncode != 0
    assert "does not run. This project needs Python 3.11 or later" in done.stderr


def test_an_old_venv_is_made_again_with_a_recent_python(tmp_path):
    _shim(tmp_path / ".venv" / "bin" / "python", "3.10")
    (tmp_path / ".venv" / ".installed").touch()
    done = _make(tmp_path, "venv", f"PYTHON={sys.executable}")
    assert done.returncode == 0, done.stderr
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert done.stdout.splitlines() == [
        ".venv was made with Python 3.10, older than 3.11: removing it to make it again",
        f"creating .venv with {sys.executable} (Python {version})...",
    ]
    made = subprocess.run(
        [str(tmp_path / ".venv" / "bin" / "python"), "-c", "import sys; print(sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(made.stdout.strip()) == tmp_path / ".venv"
    assert not (tmp_path / ".venv" / ".installed").exists()  # so install runs again


def test_install_says_each_step_then_is_quiet_until_the_pins_change(tmp_path):
    venv_python = _shim(tmp_path / ".venv" / "bin" / "python", "3.12")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "constraints.txt").write_text("", encoding="utf-8")
    done = _make(tmp_path, "install")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "installing pip 26.3 into .venv...",
        "installing the pinned dependencies (constraints.txt) and the app into .venv "
        "(about a minute on a fresh machine)...",
        "installed: .venv is up to date with pyproject.toml and constraints.txt",
    ]
    # pip runs without --quiet, so its own progress shows.
    assert Path(f"{venv_python}.log").read_text(encoding="utf-8").splitlines() == [
        "-m pip install --upgrade --progress-bar on pip==26.3",
        "-m pip install --progress-bar on -c constraints.txt -e .[dev,postgres]",
    ]
    again = _make(tmp_path, "install")
    assert (again.returncode, again.stdout) == (0, "")

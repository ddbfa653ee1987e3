"""hoshin's wheel as pip builds it from a clean checkout, and installed where a test says.

The wheel is built from a copy of the sources (so no build/ folder of an earlier build can
add or hide a file), without build isolation: the setuptools of the virtual environment.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def build_wheel(source: Path, out: Path) -> Path:
    """hoshin's wheel in ``out``, built from a copy in ``source`` of pyproject.toml, setup.py,
    README.md and src/ as a clean checkout has them: without src/hoshin/web/vendor, which the
    build makes (setup.py) from node_modules (npm ci, by make setup; linked, so that no test
    downloads)."""
    if not (REPO / "node_modules" / "htmx.org").is_dir():
        pytest.fail("node_modules lacks htmx.org: run make setup")
    for name in ("pyproject.toml", "setup.py", "README.md", "package.json", "package-lock.json"):
        shutil.copy(REPO / name, source / name)
    (source / "node_modules").symlink_to(REPO / "node_modules")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "vendor")
    shutil.copytree(REPO / "src", source / "src", ignore=ignore)
    assert not (source / "src" / "hoshin" / "web" / "vendor").exists()
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    done = subprocess.run(
        [*build, "--quiet", "--wheel-dir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = out.glob("hoshin-*.whl")
    return built


def install_wheel(wheel: Path, target: Path) -> Path:
    """The wheel installed into ``target`` (its dependencies are the test's environment's);
    put ``target`` first on PYTHONPATH to run it rather than the editable checkout."""
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile"]
    subprocess.run([*install, "--target", str(target), str(wheel)], check=True, timeout=300)
    return target

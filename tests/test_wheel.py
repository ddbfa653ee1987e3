"""The wheel carries everything the pages need: a pip-installed hoshin has no node_modules.
(tests/web/test_installed_package.py signs in to a server run from the installed wheel.)"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from wheel_support import build_wheel, install_wheel

REPO = Path(__file__).resolve().parents[1]
WEB = REPO / "src" / "hoshin" / "web"
VENDOR = (
    "htmx.min.js",
    "echarts.min.js",
    "swagger-ui-bundle.js",
    "swagger-ui.css",
    "favicon-32x32.png",
)
# Run with the installed wheel first on the path: it serves its own files.
SERVE_FROM_THE_WHEEL = """
import sys
from pathlib import Path
from fastapi.testclient import TestClient
import hoshin
from hoshin.web.app import create_web
assert Path(hoshin.__file__).is_relative_to(sys.argv[1]), hoshin.__file__
client = TestClient(create_web(None, None))
for path in sys.argv[2:]:
    answer = client.get(path)
    print(path, answer.status_code, answer.headers.get("content-type"), len(answer.content))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """hoshin's wheel, built as pip builds it from a clean checkout."""
    return build_wheel(tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel"))


def test_the_wheel_holds_the_templates_static_and_vendor_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "static"):
        for path in (WEB / folder).iterdir():
            assert f"hoshin/web/{folder}/{path.name}" in names, path.name
    for name in VENDOR:
        assert f"hoshin/web/vendor/{name}" in names, name
    assert "hoshin/store/migrations/env.py" in names
    for name in ("catalogue.yaml", "catalogue.npz"):  # the metric catalogue, its vectors
        assert f"hoshin/service/assist/{name}" in names
    assert not [name for name in names if "node_modules" in name]


def test_the_installed_wheel_serves_its_front_end_files(wheel: Path, tmp_path: Path) -> None:
    target = install_wheel(wheel, tmp_path / "site")
    paths = [
        "/vendor/htmx.min.js",
        "/vendor/echarts.min.js",
        "/vendor/swagger-ui.css",
        "/static/swagger-init.js",
    ]
    done = subprocess.run(
        [sys.executable, "-c", SERVE_FROM_THE_WHEEL, str(target), *paths],
        # the wheel before the editable install of src/ on the path
        env={**os.environ, "PYTHONPATH": str(target)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers = {line.split(" ", 1)[0]: line.split(" ")[1:] for line in done.stdout.splitlines()}
    assert answers["/vendor/htmx.min.js"][:2] == ["200", "text/javascript;"]
    assert answers["/vendor/echarts.min.js"][:2] == ["200", "text/javascript;"]
    assert answers["/vendor/swagger-ui.css"][:2] == ["200", "text/css;"]
    assert answers["/static/swagger-init.js"][:2] == ["200", "text/javascript;"]

"""The build, with the front-end files the pages need inside the package.

htmx, Apache ECharts and Swagger UI come from the npm registry, as package-lock.json pins
them (`npm ci`), and are copied into src/hoshin/web/vendor (gitignored: third-party code is
not committed) before the package is built, so that `pip install .` of a clean checkout
gives pages that work. `make setup` copies them with `python setup.py vendor`, which runs
only that step. Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "hoshin" / "web" / "vendor"
FILES = (
    "htmx.org/dist/htmx.min.js",
    "echarts/dist/echarts.min.js",
    "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui.css",
    "swagger-ui-dist/favicon-32x32.png",
)


def vendor() -> None:
    """Copies the front-end files into the package, after `npm ci` when they are missing."""
    if not all((NODE_MODULES / name).is_file() for name in FILES):
        if shutil.which("npm") is None:
            sys.exit(
                "building hoshin needs npm (Node.js) for its front-end files: apt-get install npm"
            )
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    shutil.rmtree(VENDOR, ignore_errors=True)
    VENDOR.mkdir(parents=True)
    for name in FILES:
        shutil.copy(NODE_MODULES / name, VENDOR)


if __name__ == "__main__" and sys.argv[1:] == ["vendor"]:
    vendor()
else:
    from setuptools import setup
    from setuptools.command.build_py import build_py

    class BuildWithVendor(build_py):
        """build_py, with the front-end files copied in first."""

        def run(self) -> None:
            if not all((VENDOR / Path(name).name).is_file() for name in FILES):
                vendor()
            super().run()

    setup(cmdclass={"build_py": BuildWithVendor})

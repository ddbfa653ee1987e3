"""The layers import downwards only (ARCHITECTURE.md): the domain is pure."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "hoshin"
LAYERS = [
    "domain", "fields", "planfile", "store", "service", "runtime", "guard", "api", "web", "cli",
]  # fmt: skip
# What each layer may import from hoshin besides itself (and hoshin.errors). hoshin.fields is
# the field types every door shares (domain.text's rule as pydantic types); hoshin.guard is
# what every request passes before a route (the API alone runs its path check too).
ALLOWED = {
    "domain": set(),
    "fields": {"domain"},
    "planfile": {"domain", "fields"},
    "store": {"domain", "planfile"},
    "service": {"domain", "fields", "planfile", "store", "demo", "config"},
    # processes, threads, sessions, transactions and commits: the one home of each
    "runtime": {"domain", "fields", "store", "service", "config"},
    "guard": {"domain", "service"},
    "api": {"domain", "fields", "guard", "service", "runtime", "config"},
    "web": {"domain", "fields", "guard", "service", "runtime", "config"},
    "cli": {"domain", "fields", "service", "runtime", "config"},
}
# I/O, clocks and frameworks the pure engine must never touch.
IMPURE = {"os", "io", "pathlib", "sqlalchemy", "fastapi", "yaml", "json", "time", "random"}


def imports_of(path: Path) -> set[str]:
    """Every module name imported by a source file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def layer_files(layer: str) -> list[Path]:
    """The source files of a layer (a package or a single module)."""
    package = SRC / layer
    return sorted(package.rglob("*.py")) if package.is_dir() else [SRC / f"{layer}.py"]


@pytest.mark.parametrize("layer", [layer for layer in LAYERS if (SRC / layer).exists()])
def test_layer_imports_point_down(layer: str) -> None:
    for path in layer_files(layer):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] != "hoshin" or len(parts) < 2 or parts[1] in (layer, "errors"):
                continue
            assert parts[1] in ALLOWED[layer], f"{path.relative_to(SRC)} imports {name}"


def test_domain_is_pure() -> None:
    for path in layer_files("domain"):
        impure = {name for name in imports_of(path) if name.split(".")[0] in IMPURE}
        assert not impure, f"{path.relative_to(SRC)} imports {sorted(impure)}"


def test_domain_never_reads_the_clock() -> None:
    for path in layer_files("domain"):
        text = path.read_text(encoding="utf-8")
        for call in ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time("):
            assert call not in text, f"{path.relative_to(SRC)} calls {call}"


# The database libraries: only the store (queries, tables, migrations) and the runtime
# (engines, sessions, transactions) import them. Routes and pages name a session by the
# runtime's type (runtime.sessions.Session) and never query.
DATABASE = {"sqlalchemy", "alembic", "psycopg", "sqlite3"}


@pytest.mark.parametrize("layer", ["domain", "fields", "planfile", "guard", "api", "web", "cli"])
def test_only_the_store_and_the_runtime_import_the_database_libraries(layer: str) -> None:
    for path in layer_files(layer):
        found = {name for name in imports_of(path) if name.split(".")[0] in DATABASE}
        assert not found, f"{path.relative_to(SRC)} imports {sorted(found)}"


def test_domain_imports_nothing_outside_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"hoshin", "numpy"}  # NumPy, if the engine needs it
    for path in layer_files("domain"):
        outside = {name for name in imports_of(path) if name.split(".")[0] not in allowed}
        assert not outside, f"{path.relative_to(SRC)} imports {sorted(outside)}"

"""``hoshin`` imports only the module of a command that runs alone, and still lists every
command in ``hoshin --help``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer

from hoshin.cli import ALONE, MODULES, app

# What a command of ALONE must not load: PDF rendering, the database layer, the assistant.
HEAVY = ("weasyprint", "sqlalchemy", "alembic", "hoshin.service.assist.suggest")


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def test_each_module_of_alone_registers_exactly_its_commands() -> None:
    for module in set(ALONE.values()):
        code = (
            "import json, sys, typer\n"
            f"import hoshin.cli.{module}\n"
            "from hoshin.cli.app import app\n"
            "names = [typer.main.get_command_name(c.callback.__name__) if c.name is None "
            "else c.name for c in app.registered_commands]\n"
            "groups = [g.name for g in app.registered_groups]\n"
            f"print(json.dumps([names, groups, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
        )
        names, groups, heavy = json.loads(_run(code))
        assert sorted(names) == sorted(k for k, v in ALONE.items() if v == module)
        assert groups == []
        assert heavy == []


def test_the_app_has_every_module_s_commands() -> None:
    group = typer.main.get_command(app)
    assert {"check", "init", "demo", "import", "user", "report", "serve"} <= set(
        group.commands  # type: ignore[attr-defined]
    )
    assert all(f"hoshin.cli.{name}" in sys.modules for name in MODULES)


def test_check_runs_alone_from_the_script(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    subprocess.run(
        [sys.executable, "-m", "hoshin", "init", str(plan), "--today", "2026-06-15"], check=True
    )
    done = subprocess.run(
        [sys.executable, "-m", "hoshin", "check", str(plan), "--as-of", "2026-06-15",
         "--format", "json"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["as_of"] == "2026-06-15"


def test_a_command_that_runs_alone_keeps_its_exit_code_and_output(tmp_path: Path) -> None:
    """main ends the process itself after such a command: --strict's exit 1 (the small
    example has a warning: B1's critical path is late), a bad file's 2, and the whole report
    written before."""
    small = Path(__file__).parents[2] / "examples" / "small.yaml"
    strict = subprocess.run(
        [sys.executable, "-m", "hoshin", "check", str(small), "--as-of", "2026-06-15",
         "--strict"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert strict.returncode == 1, strict.stderr
    assert "Critical path of B1: 13 days late" in strict.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "hoshin", "check", str(tmp_path / "none.yaml")],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 2
    assert "cannot read the file" in missing.stderr

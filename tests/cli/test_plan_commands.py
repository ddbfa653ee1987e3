"""``hoshin init`` and ``hoshin demo``: they write a plan that ``hoshin check`` reads, refuse
to overwrite a file without ``--force`` and overwrite it with ``--force``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.demo.plan import demo_plan
from hoshin.planfile import dump_plan
from hoshin.planfile.starter import starter_text as dated_starter

runner = CliRunner()
TODAY = "2026-06-15"


def starter_text() -> str:
    """The starter plan of TODAY."""
    return dated_starter(date.fromisoformat(TODAY))


def demo_text() -> str:
    """The demo plan of TODAY as a plan file."""
    return dump_plan(demo_plan(date.fromisoformat(TODAY)))


# Each command with the options that make its file the same on any day, and that file.
COMMANDS: dict[str, tuple[list[str], Callable[[], str]]] = {
    "init": (["--today", TODAY], starter_text),
    "demo": (["--today", TODAY], demo_text),
}
by_command = pytest.mark.parametrize("command", list(COMMANDS))
MINE = "# my own plan, not to be lost\n"


def write(command: str, target: Path, *extra: str) -> tuple[int, str, str]:
    """Runs ``hoshin <command> <target>``; returns (exit code, stdout, stderr)."""
    options, _ = COMMANDS[command]
    result = runner.invoke(app, [command, str(target), *options, *extra])
    return result.exit_code, result.stdout, result.stderr


def expected_text(command: str) -> str:
    """What ``command`` writes."""
    _, text = COMMANDS[command]
    return text()


@by_command
def test_writes_the_plan_and_says_so(command: str, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    code, out, err = write(command, target)
    assert (code, err) == (0, "")
    assert out.startswith(f"wrote {target}")
    assert target.read_text(encoding="utf-8") == expected_text(command)


@by_command
def test_the_written_file_passes_check(command: str, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    assert write(command, target)[0] == 0
    result = runner.invoke(app, ["check", str(target), "--as-of", TODAY, "--format", "json"])
    assert result.exit_code == 0, result.output
    checked = json.loads(result.stdout)
    assert checked["as_of"] == TODAY
    assert checked["objectives"]  # the plan was read, not an empty report


@by_command
def test_refuses_to_overwrite_a_file_without_force(command: str, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text(MINE, encoding="utf-8")
    code, out, err = write(command, target)
    assert code == 2
    assert out == ""
    assert err == f"hoshin: {target} exists already; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == MINE


@by_command
def test_overwrites_a_file_with_force(command: str, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text(MINE, encoding="utf-8")
    code, out, err = write(command, target, "--force")
    assert (code, err) == (0, "")
    assert out.startswith(f"wrote {target}")
    assert target.read_text(encoding="utf-8") == expected_text(command)


@by_command
def test_force_writes_a_new_file_too(command: str, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    assert write(command, target, "--force")[0] == 0
    assert target.read_text(encoding="utf-8") == expected_text(command)


def test_demo_says_what_it_wrote(tmp_path: Path) -> None:
    plan = demo_plan(date.fromisoformat(TODAY))
    _, out, _ = write("demo", tmp_path / "demo.yaml")
    assert out == (
        f"wrote {tmp_path / 'demo.yaml'}: {plan.organization.name}, "
        f"{len(plan.objectives)} objectives, {len(plan.actions)} actions\n"
    )

"""The README describes every command, option, plan-file key and finding code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from pydantic import BaseModel
from sqlalchemy.orm import sessionmaker

from hoshin.api.app import create_app
from hoshin.cli import app
from hoshin.domain.findings import CODES
from hoshin.planfile import schema

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def commands() -> list[typer.models.CommandInfo]:
    """The registered commands of the ``hoshin`` app."""
    return list(app.registered_commands)


def test_first_screen_gives_make_run_and_make_test() -> None:
    first_screen = "\n".join(README.splitlines()[:20])
    assert "make run" in first_screen and "make test" in first_screen


@pytest.mark.parametrize("command", commands(), ids=lambda c: str(c.name or c.callback))
def test_every_command_is_documented_with_help(command: typer.models.CommandInfo) -> None:
    assert command.callback is not None and command.callback.__doc__, "a command needs help text"
    name = command.name or command.callback.__name__
    assert f"hoshin {name}" in README


def test_every_option_is_documented() -> None:
    for command in commands():
        assert command.callback is not None
        for parameter in (
            typer.main.get_command(app)
            .commands[  # type: ignore[attr-defined]
                command.name or command.callback.__name__
            ]
            .params
        ):
            if parameter.param_type_name == "option":
                assert parameter.help, f"{parameter.name} has no help"
                assert parameter.opts[0] in README, f"{parameter.opts[0]} is not in the README"


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_finding_code_is_in_the_readme(code: str) -> None:
    assert f"`{code}`" in README


def plan_keys() -> set[str]:
    """Every key of the plan file format, by alias where it has one."""
    keys: set[str] = set()
    models = [getattr(schema, name) for name in dir(schema)]
    for model in models:
        if isinstance(model, type) and issubclass(model, BaseModel) and model is not BaseModel:
            for name, field in model.model_fields.items():
                keys.add(field.alias or name)
    return keys


@pytest.mark.parametrize("key", sorted(plan_keys()))
def test_every_plan_file_key_is_in_the_readme(key: str) -> None:
    assert f"`{key}`" in README


def test_every_setting_is_in_the_readme() -> None:
    from hoshin.config import Settings

    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"
        assert f"`HOSHIN_{name.upper()}`" in README, f"HOSHIN_{name.upper()} is not in the README"


def api_paths() -> list[str]:
    """Every path of the REST API, without /api/v1 and with its parameters as {}."""
    paths = create_app(sessionmaker()).openapi()["paths"]
    return sorted(re.sub(r"\{[^}]*\}", "{}", path.removeprefix("/api/v1")) for path in paths)


@pytest.mark.parametrize("path", api_paths())
def test_every_api_path_is_in_the_readme(path: str) -> None:
    documented = re.sub(r"\{[^}]*\}", "{}", README)
    assert re.search(re.escape(path) + r"[`?\s]", documented), path

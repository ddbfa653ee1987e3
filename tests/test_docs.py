"""The README describes every command, option, plan-file key, setting and API path;
docs/rules.md every finding code; docs/operations.md every setting; and no document links
to a file, heading or module that is not there."""

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

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RULES = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
# The documents written for this repository (docs/security.md included), by path from ROOT.
DOCUMENTS = [
    "README.md",
    "BENCHMARKS.md",
    *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")),
]


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
def test_every_finding_code_is_in_the_rules(code: str) -> None:
    severity, _ = CODES[code]
    assert f"| `{code}` | {severity} |" in RULES, f"{code} ({severity}) is not in docs/rules.md"


def test_the_readme_links_the_rules_and_the_operators_guide() -> None:
    assert "](docs/rules.md)" in README and "](docs/operations.md)" in README


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


def test_every_setting_is_in_the_operators_guide() -> None:
    from hoshin.config import Settings

    for name in Settings.model_fields:
        setting = f"`HOSHIN_{name.upper()}`"
        assert f"| {setting} |" in OPERATIONS, f"{setting} is not in docs/operations.md's table"


def api_paths() -> list[str]:
    """Every path of the REST API, without /api/v1 and with its parameters as {}."""
    paths = create_app(sessionmaker()).openapi()["paths"]
    return sorted(re.sub(r"\{[^}]*\}", "{}", path.removeprefix("/api/v1")) for path in paths)


@pytest.mark.parametrize("path", api_paths())
def test_every_api_path_is_in_the_readme(path: str) -> None:
    documented = re.sub(r"\{[^}]*\}", "{}", README)
    assert re.search(re.escape(path) + r"[`?\s]", documented), path


def anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces
    as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(document: str) -> set[str]:
    """The anchors of every heading of ``document`` (outside code blocks)."""
    found: set[str] = set()
    in_code = False
    for line in document.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (heading := re.match(r"#+ (.*)", line)):
            found.add(anchor(heading.group(1)))
    return found


def links(path: str) -> list[str]:
    """The targets of the Markdown links and images in ``path`` that are not on the web."""
    text = (ROOT / path).read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [target for target in targets if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize(
    ("document", "target"),
    [(document, target) for document in DOCUMENTS for target in links(document)],
)
def test_every_link_leads_to_a_file_and_heading_that_exist(document: str, target: str) -> None:
    file, _, heading = target.partition("#")
    linked = (ROOT / document).parent / file if file else ROOT / document
    assert linked.is_file(), f"{document} links to {target}: no such file"
    if heading:
        assert heading in anchors(linked.read_text(encoding="utf-8")), (
            f"{document} links to {target}: no such heading"
        )


def test_anchors_are_made_as_github_makes_them() -> None:
    assert anchor("The JSON report (`--format json`)") == "the-json-report---format-json"
    assert anchors("# A b\n```\n# not a heading\n```\n## Behind a proxy") == {
        "a-b",
        "behind-a-proxy",
    }


@pytest.mark.parametrize("document", ["README.md", "docs/operations.md", "docs/rules.md"])
def test_every_module_a_document_names_exists(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    modules = set(re.findall(r"\bhoshin/[\w/]+\.py\b", text))
    missing = sorted(module for module in modules if not (ROOT / "src" / module).is_file())
    assert not missing, f"{document} names modules that are not in src/: {missing}"

"""Who may do what (service.policy): the table of roles and acts, written out by hand from
what the API, the pages and the services allowed before the rules had one home."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hoshin.errors import Forbidden
from hoshin.service import policy
from hoshin.service.policy import Act

# (role, act) -> (allowed to anything, allowed to what is theirs)
TABLE: list[tuple[str, Act, bool, bool]] = [
    ("admin", Act.READ, True, True),
    ("editor", Act.READ, True, True),
    ("contributor", Act.READ, True, True),
    ("viewer", Act.READ, True, True),
    # comment, propose an objective, see the forms of their own work
    ("admin", Act.CONTRIBUTE, True, True),
    ("editor", Act.CONTRIBUTE, True, True),
    ("contributor", Act.CONTRIBUTE, True, True),
    ("viewer", Act.CONTRIBUTE, False, False),
    # change an action or countermeasure, record an actual, reflect, review a unit
    ("admin", Act.WORK, True, True),
    ("editor", Act.WORK, True, True),
    ("contributor", Act.WORK, False, True),
    ("viewer", Act.WORK, False, False),
    # units, people, vision, objectives, metrics; create and delete actions
    ("admin", Act.EDIT_PLAN, True, True),
    ("editor", Act.EDIT_PLAN, True, True),
    ("contributor", Act.EDIT_PLAN, False, False),
    ("viewer", Act.EDIT_PLAN, False, False),
    ("admin", Act.MANAGE_MEMBERS, True, True),
    ("editor", Act.MANAGE_MEMBERS, False, False),
    ("contributor", Act.MANAGE_MEMBERS, False, False),
    ("viewer", Act.MANAGE_MEMBERS, False, False),
]


def test_the_table_covers_every_role_and_act() -> None:
    assert sorted((role, act) for role, act, _, _ in TABLE) == sorted(
        (role, act) for role in policy.ROLES for act in Act
    )


@pytest.mark.parametrize(("role", "act", "anything", "theirs"), TABLE)
def test_who_may_do_what(role: str, act: Act, anything: bool, theirs: bool) -> None:
    assert policy.may(role, act) is anything
    assert policy.may(role, act, theirs=False) is anything
    assert policy.may(role, act, theirs=True) is theirs


@pytest.mark.parametrize("act", list(Act))
def test_an_unknown_role_may_do_nothing(act: Act) -> None:
    assert not policy.may("owner", act, theirs=True)
    assert not policy.may("", act, theirs=True)


def test_theirs_is_asked_only_when_the_role_alone_is_not_enough() -> None:
    asked: list[str] = []

    def theirs() -> bool:
        asked.append("asked")
        return True

    assert policy.may("editor", Act.WORK, theirs=theirs)
    assert policy.may("viewer", Act.WORK, theirs=theirs) is False
    assert asked == []
    assert policy.may("contributor", Act.WORK, theirs=theirs)
    assert asked == ["asked"]


def test_require_refuses_with_the_messages_the_doors_gave() -> None:
    policy.require("contributor", Act.CONTRIBUTE, "comment")
    with pytest.raises(Forbidden) as refused:
        policy.require("viewer", Act.CONTRIBUTE, "comment")
    assert refused.value.message == "a viewer cannot comment"
    with pytest.raises(Forbidden) as refused:
        policy.require("contributor", Act.EDIT_PLAN, "do this", where="clinic")
    assert refused.value.message == "a contributor of clinic cannot do this"
    with pytest.raises(Forbidden, match="a contributor cannot record actuals of falls"):
        policy.require("contributor", Act.WORK, "record actuals of falls", theirs=lambda: False)


def test_the_roles_in_words() -> None:
    assert policy.role_list() == "admin, editor, contributor or viewer"
    assert policy.ROLES[0] == policy.ADMIN and policy.ROLES[-1] == policy.LEAST


SRC = Path(__file__).parents[2] / "src" / "hoshin"
POLICY = SRC / "service" / "policy.py"
MIGRATIONS = SRC / "store" / "migrations"  # the schema's history names what it stored
TAG = re.compile(r"\{[{%](.*?)[}%]\}", re.DOTALL)


def role_names(source: str) -> list[int]:
    """The lines where a string literal names a role (a tuple of roles, a comparison)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and node.value in policy.ROLES
    ]


def role_logic(template: str) -> list[str]:
    """The template's expressions that judge the asker's role other than through the
    policy's ``may`` (showing it, ``{{ here.role }}``, is no judgement)."""
    found = []
    for tag in TAG.finditer(template):
        inner = tag.group(1).strip()
        if inner != "here.role" and inner.count("here.role") > inner.count("may(here.role"):
            found.append(inner)
    return found


def test_the_checks_find_what_they_look_for() -> None:
    assert role_names('EDITORS = ("admin", "editor")\nok = role != "viewer"') == [1, 1, 2]
    assert role_names('"""An admin or an editor."""\nroles = ROLES') == []
    assert role_logic('{% if here.role in ("admin", "editor") %}x{% endif %}') == [
        'if here.role in ("admin", "editor")'
    ]
    assert role_logic("{{ here.role }} {% if may(here.role, Act.READ) %}{% endif %}") == []


def test_only_the_policy_names_the_roles() -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}"
        for path in sorted(SRC.rglob("*.py"))
        if path != POLICY and MIGRATIONS not in path.parents
        for line in role_names(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "roles and rules belong in service/policy.py"


def test_templates_judge_roles_through_the_policy() -> None:
    found = {
        path.name: role_logic(path.read_text(encoding="utf-8"))
        for path in sorted((SRC / "web" / "templates").rglob("*.html"))
    }
    assert {name: logic for name, logic in found.items() if logic} == {}

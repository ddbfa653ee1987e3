"""One vocabulary of fields (STYLE.md, habit 12): each field type takes the same values at
every door. For each type, a hand-written table of values is given to the plan file's
reader, the API's body models (and, for an id, the API's path) and the page forms: each
door must take or refuse each value as the table says, so a door that disagrees fails."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pydantic
import pytest
from pydantic import TypeAdapter
from sqlalchemy import String

from hoshin.api.action import ActionCreate
from hoshin.api.edits import Key
from hoshin.api.objective import ObjectiveCreate
from hoshin.domain.text import LONGEST, Kind
from hoshin.planfile.reader import PlanFileError, parse_plan
from hoshin.store.tables import metadata
from hoshin.web.forms import Reader, action_of, objective_of

OBJECTIVE = {"id": "B1", "title": "Fewer falls", "level": "breakthrough"}
ACTION = {"id": "a1", "title": "Train the night shift"}
INFINITY = math.inf

# (value, taken?) for each type. A form cannot tell an empty field from no value, so the
# tables hold no empty value of an optional field; an empty required one is refused by all.
IDS = [
    ("a", True), ("Z", True), ("0", True), ("9", True), ("A1", True), ("a1", True),
    ("z9.b_c-d", True), ("2026-goal", True), ("a.", True), ("a-", True), ("a_", True),
    ("x" * 64, True), ("x" * 65, False),
    # just outside the alphabet's edges: '/' and ':' around the digits, '@' and '[' around
    # the capitals, '`' and '{' around the small letters
    ("a/b", False), ("a:b", False), ("a@b", False), ("a[b", False), ("a`b", False),
    ("a{b", False),
    # not the first character: '.', '_', '-'; and '.' and '..', which URLs remove
    (".a", False), ("_a", False), ("-a", False), (".", False), ("..", False),
    ("a b", False), (" a", False), ("a ", False), ("a,b", False), ("a%2F", False),
    ("a?b", False), ("a#b", False), ("a\\b", False), ("é", False), ("\uff211", False),
    ("a\x00", False), ("a\x1b", False), ("a\x85", False), ("a\u2028b", False),
    ("", False),
]  # fmt: skip
PERIODS = [
    ("2026-01", True), ("2026-12", True), ("1900-01", True), ("2999-12", True),
    ("2026-13", False), ("2026-00", False), ("1899-12", False), ("3000-01", False),
    ("2026-1", False), ("26-01", False), ("2026/01", False), ("2026-01-31", False),
    ("June", False), ("2026-01 ", False), ("2026-0\x001", False),
    ("\uff12\uff10\uff12\uff16-01", False),  # full-width digits
]  # fmt: skip
TITLES = [
    ("Fewer falls", True), ("x" * 300, True), ("x" * 301, False),
    ("  x  ", True), (" " + "x" * 300 + " ", True),  # surrounding spaces are stripped
    ("Sécurité d'abord · 安全第一", True), ("a\tb", False), ("a\nb", False),
    ("a\x00b", False), ("a\x9bb", False), ("", False), ("   ", False),
]  # fmt: skip
DESCRIPTIONS = [
    ("Two lines,\n\tone indented", True), ("x" * 10_000, True), ("x" * 10_001, False),
    ("a\rb", True), ("a\x00b", False), ("a\x07b", False), ("a\x85b", False),
    ("  padded  ", True),
]  # fmt: skip
AMOUNTS = [
    (0.0, True), (0.25, True), (1.0, True), (2_500_000.0, True), (1e15, True),
    (-0.01, False), (-1.0, False), (INFINITY, False),
]  # fmt: skip


def plan_file(
    *objectives: dict[str, Any], action: dict[str, Any] | None = None, at: str = ""
) -> str | None:
    """The plan file's problems (those whose place starts with ``at``) with a plan of these
    objectives (and an action), or None."""
    plan: dict[str, Any] = {"hoshin": 1, "organization": {"name": "Acme"}}
    plan["objectives"] = list(objectives)
    if action is not None:
        plan["actions"] = [action]
    try:
        parse_plan(json.dumps(plan), "plan.json")
    except PlanFileError as error:
        found = [str(p) for p in error.problems if str(p).startswith(f"plan.json:1: {at}")]
        return "; ".join(found) or None
    return None


def api(model: type[pydantic.BaseModel], body: dict[str, Any]) -> str | None:
    """The API body model's first problem with ``body``, or None."""
    try:
        model.model_validate(body)
    except pydantic.ValidationError as error:
        return str(error.errors()[0]["msg"])
    return None


def form(
    parse: Callable[[Reader, str | None], object], fields: dict[str, str], name: str
) -> str | None:
    """The form's problem at field ``name`` when it parses ``fields``, or None."""
    read = Reader(fields)
    parse(read, None)
    return "; ".join(read.problems[name]) if name in read.problems else None


def typed(amount: float) -> str:
    """A number as someone types it."""
    return "inf" if math.isinf(amount) else repr(amount)


def agree(value: object, taken: bool, problems: dict[str, str | None]) -> None:
    """Every door takes ``value`` when ``taken``, and every door refuses it otherwise."""
    wrong = {door: problem for door, problem in problems.items() if (problem is None) != taken}
    assert not wrong, f"{value!r} should be {'taken' if taken else 'refused'}: {wrong}"


@pytest.mark.parametrize(("value", "taken"), IDS)
def test_an_id_is_taken_alike_by_every_door(value: str, taken: bool) -> None:
    linked = {**OBJECTIVE, "id": "B1", "level": "annual", "supports": [value]}
    parent = {**OBJECTIVE, "id": value}

    def on_path(key: str) -> str | None:
        try:
            TypeAdapter(Key).validate_python(key)
        except pydantic.ValidationError as error:
            return str(error.errors()[0]["msg"])
        return None

    agree(value, taken, {
        "plan file: id": plan_file(parent),
        "plan file: a link": plan_file(parent, linked, at="objectives[1].supports"),
        "API body: id": api(ObjectiveCreate, parent),
        "API body: a link": api(ObjectiveCreate, {**linked, "supports": {value: 1}}),
        "API path": on_path(value),
        "form: id": form(objective_of, {"id": value, "title": "T", "level": "annual"}, "id"),
        "form: a link": form(objective_of, {"id": "B1", "title": "T", "level": "annual",
                                            "supports-new-id": value}, "supports-new-id")
        if value else "(an empty row is no link)",
    })  # fmt: skip


@pytest.mark.parametrize(("value", "taken"), PERIODS)
def test_a_month_is_taken_alike_by_every_door(value: str, taken: bool) -> None:
    agree(value, taken, {
        "plan file": plan_file({**OBJECTIVE, "end": value}),
        "API body": api(ObjectiveCreate, {**OBJECTIVE, "end": value}),
        "form": form(objective_of, {"id": "B1", "title": "T", "level": "annual", "end": value},
                     "end"),
    })  # fmt: skip


@pytest.mark.parametrize(("value", "taken"), TITLES)
def test_a_title_is_taken_alike_by_every_door(value: str, taken: bool) -> None:
    agree(value, taken, {
        "plan file": plan_file({**OBJECTIVE, "title": value}),
        "API body": api(ObjectiveCreate, {**OBJECTIVE, "title": value}),
        "form": form(objective_of, {"id": "B1", "title": value, "level": "annual"}, "title"),
    })  # fmt: skip


@pytest.mark.parametrize(("value", "taken"), DESCRIPTIONS)
def test_a_description_is_taken_alike_by_every_door(value: str, taken: bool) -> None:
    agree(value, taken, {
        "plan file": plan_file({**OBJECTIVE, "description": value}),
        "API body": api(ObjectiveCreate, {**OBJECTIVE, "description": value}),
        "form": form(objective_of, {"id": "B1", "title": "T", "level": "annual",
                                    "description": value}, "description"),
    })  # fmt: skip


@pytest.mark.parametrize("field", ["budget", "fte"])
@pytest.mark.parametrize(("value", "taken"), AMOUNTS)
def test_money_and_fte_are_taken_alike_by_every_door(field: str, value: float, taken: bool) -> None:
    resources = {"resources": {field: value}}
    agree(value, taken, {
        "plan file": plan_file(OBJECTIVE, action={**ACTION, **resources}),
        "API body": api(ActionCreate, {**ACTION, **resources}),
        "form": form(action_of, {**ACTION, field: typed(value)}, field),
    })  # fmt: skip


def test_the_api_states_each_limit_in_its_schema() -> None:
    """Clients (and schemathesis) read the same limits from the OpenAPI schema."""
    fields = ObjectiveCreate.model_json_schema()["properties"]
    key = fields["id"]["anyOf"][0]  # or null: left out, the id is made from the title
    assert (key["maxLength"], key["minLength"]) == (LONGEST["id"], 1)
    assert key["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._-]*$"
    assert (fields["title"]["maxLength"], fields["title"]["minLength"]) == (300, 1)
    assert fields["description"]["anyOf"][0]["maxLength"] == 10_000
    assert fields["end"]["anyOf"][0]["pattern"] == r"^[0-9]{4}-(0[1-9]|1[0-2])$"
    resources = ActionCreate.model_json_schema()["$defs"]["Resources"]["properties"]
    assert resources["budget"]["anyOf"][0]["minimum"] == 0


# The columns that hold a plan's ids, and those that hold its titles and descriptions.
ID_COLUMNS = {"key", "parent", "child", "owner", "unit", "objective", "action", "required",
              "lead", "person", "metric"}  # fmt: skip
TEXT_COLUMNS: dict[str, Kind] = {
    "title": "line", "name": "line", "description": "description",
    "customer_benefit": "description", "vision_statement": "description",
    "vision_purpose": "description", "cause": "description",
}  # fmt: skip
NOT_IDS: dict[tuple[str, str], Kind] = {
    ("countermeasures", "action"): "description",
    ("metrics", "unit"): "line",
}


def test_the_store_holds_the_longest_value_of_each_field() -> None:
    """No column is shorter than its field's limit (an unbounded Text column is long enough)."""
    checked = 0
    for table in metadata.sorted_tables:
        for column in table.columns:
            kind = NOT_IDS.get((table.name, column.name)) or (
                "id" if column.name in ID_COLUMNS else TEXT_COLUMNS.get(column.name)
            )
            if kind is None or not isinstance(column.type, String):
                continue
            longest = column.type.length
            assert longest is None or longest >= LONGEST[kind], f"{table.name}.{column.name}"
            checked += 1
    assert checked > 40  # the plan's tables were found

"""The current position in a plan file: the situation, objectives' addresses, risks' level and
trigger read, write back the same, and refuse what is wrong at its line."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hoshin.domain.model import Risk, SituationItem
from hoshin.planfile import PlanFileError, dump_plan, parse_plan, plan_to_data

PLAN = """\
hoshin: 1
organization: {name: Acme}
situation:
  - {id: S1, kind: strength, text: Loyal dealers in 40 countries}
  - id: W1
    kind: weakness
    text: "Warranty claims of 24 per 1,000 pumps"
  - {id: T1, kind: threat, text: Cheap imports}
objectives:
  - id: B1
    title: Halve warranty claims
    level: breakthrough
    addresses: [W1, T1]
  - id: T1
    title: Teach the seal fitters
    level: annual
    supports: [B1]
actions:
  - id: a1
    title: Redesign the seal
    serves: [B1]
    risks:
      - risk: The supplier is late
        level: high
        trigger: No sample by March
        contingency: A second supplier
      - risk: Rain
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PlanFileError) as raised:
        parse_plan(text, "plan.yaml")
    return [str(problem) for problem in raised.value.problems]


def test_the_situation_addresses_and_risks_read_as_written() -> None:
    plan = parse_plan(PLAN, "plan.yaml")
    assert plan.situation == (
        SituationItem("S1", "strength", "Loyal dealers in 40 countries"),
        SituationItem("W1", "weakness", "Warranty claims of 24 per 1,000 pumps"),
        SituationItem("T1", "threat", "Cheap imports"),
    )
    # T1 is a threat and an objective: an item's id is its own
    assert [o.addresses for o in plan.objectives] == [("W1", "T1"), ()]
    assert plan.actions[0].risks == (
        Risk("The supplier is late", "A second supplier", "No sample by March", "high"),
        Risk("Rain"),
    )


def test_a_written_plan_reads_back_the_same_in_yaml_and_json() -> None:
    plan = parse_plan(PLAN, "plan.yaml")
    text = dump_plan(plan)
    assert parse_plan(text, "again.yaml") == plan
    as_json = json.dumps(plan_to_data(plan), default=date.isoformat)
    assert parse_plan(as_json, "again.json") == plan


def test_the_situation_is_written_after_the_vision_and_empty_fields_are_left_out() -> None:
    data = plan_to_data(parse_plan(PLAN, "plan.yaml"))
    assert list(data)[:3] == ["hoshin", "organization", "situation"]
    assert data["situation"][2] == {"id": "T1", "kind": "threat", "text": "Cheap imports"}
    assert data["objectives"][0]["addresses"] == ["W1", "T1"]
    assert "addresses" not in data["objectives"][1]
    assert data["actions"][0]["risks"] == [
        {"risk": "The supplier is late", "level": "high", "trigger": "No sample by March",
         "contingency": "A second supplier"},
        {"risk": "Rain"},
    ]  # fmt: skip


def test_a_plan_without_a_situation_writes_none() -> None:
    text = PLAN.split("situation:")[0] + "objectives: []\n"
    assert "situation" not in dump_plan(parse_plan(text, "plan.yaml"))


def test_an_unknown_item_in_addresses_is_refused_at_its_line() -> None:
    text = PLAN.replace("addresses: [W1, T1]", "addresses:\n      - W1\n      - W9")
    assert problems(text) == [
        "plan.yaml:15: objectives[0].addresses[1]: unknown situation item 'W9'"
    ]


def test_an_item_addressed_twice_and_a_repeated_item_id_are_refused() -> None:
    text = PLAN.replace("[W1, T1]", "[W1, W1]").replace("id: T1, kind", "id: S1, kind")
    assert problems(text) == [
        "plan.yaml:8: situation[2].id: duplicate id 'S1' (first used at situation/0)",
        "plan.yaml:13: objectives[0].addresses[1]: 'W1' is named more than once",
    ]


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("kind: threat", "kind: risk",
         "plan.yaml:8: situation[2].kind: must be 'strength', 'weakness', 'opportunity' or "
         "'threat', not 'risk'"),
        ("text: Cheap imports", "text: ''", "plan.yaml:8: situation[2].text: is empty"),
        ("text: Cheap imports", "text: " + "x" * 301,
         "plan.yaml:8: situation[2].text: is 301 characters long: at most 300"),
        ("{id: T1, kind: threat, text: Cheap imports}", "{id: T1, kind: threat}",
         "plan.yaml:8: situation[2].text: missing required key 'text'"),
        ("level: high", "level: severe",
         "plan.yaml:24: actions[0].risks[0].level: must be 'low', 'medium' or 'high', "
         "not 'severe'"),
        ("trigger: No sample by March", "trigger: [1]",
         "plan.yaml:25: actions[0].risks[0].trigger: expected text, got [1] (quote it)"),
    ],
)  # fmt: skip
def test_bad_values_are_refused_at_their_line(before: str, after: str, message: str) -> None:
    assert problems(PLAN.replace(before, after)) == [message]

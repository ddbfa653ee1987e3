"""Every kind of bad plan file is reported as FILE:LINE: message, never as a traceback."""

from __future__ import annotations

import pytest

from hoshin.planfile import PlanFileError, parse_plan

# Line numbers below count from 1 at "hoshin: 1".
BASE = """\
hoshin: 1
organization: {name: Acme}
vision: {statement: Be the best, horizon: 2031}
people:
  - {id: ana, name: Ana}
objectives:
  - id: B1
    title: Double revenue by 2030
    level: breakthrough
    owner: ana
    start: 2026-01
    end: 2030-12
    metrics:
      - id: revenue
        name: Revenue
        direction: increase
        baseline: 10
        baseline_period: 2025-12
        target: 20
        target_period: 2030-12
        actuals: {2026-01: 11}
  - id: A1
    title: Grow revenue 15% in 2026
    level: annual
    owner: ana
    supports: [B1]
actions:
  - id: x1
    title: Open a shop
    owner: ana
    serves: [A1]
    due: 2026-09-30
    duration_days: 30
"""


def problems(text: str, name: str = "plan.yaml") -> list[str]:
    """The reported problems of a plan text that must not load."""
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, name)
    return [str(problem) for problem in caught.value.problems]


def test_base_plan_is_valid() -> None:
    plan = parse_plan(BASE, "plan.yaml")
    assert [o.id for o in plan.objectives] == ["B1", "A1"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # duplicate id: the second A1... here the action takes the id of an objective (line 28)
        ("  - id: x1", "  - id: A1", "plan.yaml:28: actions[0].id: duplicate id 'A1'"),
        # unknown reference in a supports list: the line of the list (26)
        ("supports: [B1]", "supports: [B9]", "plan.yaml:26: objectives[1].supports.B9: unknown"),
        # unknown owner
        (
            "    owner: ana\n    serves",
            "    owner: bob\n    serves",
            "plan.yaml:30: actions[0].owner: unknown person 'bob'",
        ),
        # direction disagrees with the target: increase with a target below the baseline (line 19)
        (
            "target: 20",
            "target: 5",
            "plan.yaml:19: objectives[0].metrics[0].target: "
            "direction is increase but the target 5 is below the baseline 10",
        ),
        # a target equal to the baseline
        (
            "target: 20",
            "target: 10",
            "plan.yaml:19: objectives[0].metrics[0].target: the target equals the baseline (10)",
        ),
        # malformed month as an actuals key (line 21)
        (
            "{2026-01: 11}",
            "{2026-13: 11}",
            "plan.yaml:21: objectives[0].metrics[0].actuals.2026-13: '2026-13' is not a month",
        ),
        # malformed month as a value (line 11)
        (
            "start: 2026-01",
            "start: 2026-1",
            "plan.yaml:11: objectives[0].start: '2026-1' is not a month",
        ),
        # malformed date (line 32): not a date, so YAML reads it as text
        (
            "due: 2026-09-30",
            "due: 2026-09-31",
            "plan.yaml:32: actions[0].due: '2026-09-31' is not a date",
        ),
        # a month outside hoshin's calendar, years 1900-2999 (line 12)
        (
            "end: 2030-12",
            "end: 0000-01",
            "plan.yaml:12: objectives[0].end: '0000-01' is outside the calendar: "
            "hoshin plans the years 1900 to 2999",
        ),
        # ... as an actuals key (line 21)
        (
            "{2026-01: 11}",
            "{3026-01: 11}",
            "plan.yaml:21: objectives[0].metrics[0].actuals.3026-01: '3026-01' is outside",
        ),
        # a date outside the calendar (line 32): 9999-12-31 plus 30 days is no date
        (
            "due: 2026-09-30",
            "due: 9999-12-31",
            "plan.yaml:32: actions[0].due: 9999-12-31 is outside the calendar",
        ),
        # an action longer than a century (line 33)
        (
            "duration_days: 30",
            "duration_days: 100000",
            "plan.yaml:33: actions[0].duration_days: must be at most 36,500 days",
        ),
        # wrong type (line 17)
        (
            "baseline: 10",
            "baseline: ten",
            "plan.yaml:17: objectives[0].metrics[0].baseline: expected a number, got 'ten'",
        ),
        # unknown key, e.g. a typo (line 33)
        (
            "duration_days: 30",
            "duraton_days: 30",
            "plan.yaml:33: actions[0].duraton_days: unknown key 'duraton_days'",
        ),
        # compound trajectory with a non-positive baseline (line 17)
        (
            "baseline: 10",
            "baseline: 0\n        trajectory: compound",
            "plan.yaml:17: objectives[0].metrics[0].baseline: "
            "a compound trajectory needs a baseline and target above 0",
        ),
        # not a number at all: NaN would poison every roll-up above it
        (
            "baseline: 10",
            "baseline: .nan",
            "plan.yaml:17: objectives[0].metrics[0].baseline: Input should be a finite number",
        ),
        # a key given twice in one mapping (line 19)
        (
            "target: 20",
            "target: 20\n        target: 30",
            "plan.yaml:20: not valid YAML: key 'target' appears twice",
        ),
        # a wrong level
        (
            "level: annual",
            "level: yearly",
            "plan.yaml:24: objectives[1].level: "
            "must be 'breakthrough', 'annual', 'team' or 'individual', not 'yearly'",
        ),
        # a missing required key: the title of A1 (reported at the objective, line 22)
        (
            "    title: Grow revenue 15% in 2026\n",
            "",
            "plan.yaml:22: objectives[1].title: missing required key 'title'",
        ),
    ],
)
def test_bad_value_is_reported_at_its_line(old: str, new: str, expected: str) -> None:
    assert old in BASE
    found = problems(BASE.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_an_action_serving_an_objective_twice_names_it_once() -> None:
    found = problems(BASE.replace("serves: [A1]", "serves: [A1, B1, A1, A1]", 1))
    assert found == ["plan.yaml:31: actions[0].serves: lists 'A1' more than once"], found


def test_cycle_in_supports_is_an_error() -> None:
    text = BASE + ""
    text = text.replace(
        "    level: breakthrough\n", "    level: breakthrough\n    supports: [A1]\n"
    )
    found = problems(text)
    assert any("supports links form a cycle: B1 -> A1 -> B1" in p for p in found), found


def test_cycle_in_requires_is_an_error() -> None:
    text = (
        BASE
        + """\
  - id: x2
    title: Hire staff
    requires: [x3]
  - id: x3
    title: Train staff
    requires: [x2]
"""
    )
    found = problems(text)
    assert any(
        p.startswith("plan.yaml:36: actions[1].requires: requires links form a cycle")
        for p in found
    ), found


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = BASE.replace("baseline: 10", "baseline: ten").replace("due: 2026-09-30", "due: someday")
    found = problems(text)
    assert len(found) == 2
    assert found[0].startswith("plan.yaml:17:")
    assert found[1].startswith("plan.yaml:32:")


def test_yaml_syntax_error_names_the_line() -> None:
    found = problems(BASE.replace("  - {id: ana, name: Ana}", "  - {id: ana, name: Ana"))
    assert found[0].startswith("plan.yaml:6: not valid YAML")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("organization: {name: Acme}\n", "plan.yaml:1: missing 'hoshin: 1' (the format version)"),
        (
            "hoshin: 2\norganization: {name: Acme}\n",
            "plan.yaml:1: format version 2 is not supported",
        ),
        ("- just a list\n", "plan.yaml:1: a plan file is a mapping"),
        ("", "plan.yaml:1: a plan file is a mapping"),
    ],
)
def test_not_a_plan_at_all(text: str, expected: str) -> None:
    assert problems(text)[0].startswith(expected)


def test_no_and_yes_stay_text() -> None:
    """YAML 1.1 would read a unit called 'no' (Norway) as false; a plan file keeps it text."""
    plan = parse_plan(BASE.replace("people:\n", "units:\n  - {id: no, name: Norway}\npeople:\n"))
    assert plan.units[0].id == "no"


def test_json_plan_reports_lines_too() -> None:
    text = (
        '{"hoshin": 1,\n'
        ' "organization": {"name": "Acme"},\n'
        ' "people": [{"id": "ana", "name": "Ana"}],\n'
        ' "actions": [{"id": "x1", "title": "Go", "owner": "bob", "due": "2026-02-30"}]\n'
        "}\n"
    )
    found = problems(text, "plan.json")
    assert found == ["plan.json:4: actions[0].due: '2026-02-30' is not a date: write YYYY-MM-DD"]


def test_json_syntax_error_names_the_line() -> None:
    found = problems('{"hoshin": 1\n "organization": {"name": "Acme"}}\n', "plan.json")
    assert found == ["plan.json:2: Expecting ',' delimiter"]


def test_an_unknown_lead_of_a_unit_is_reported_at_its_line() -> None:
    # BASE with two units before the people (lines 4-7): Sales' lead is on its second line, 7
    units = "units:\n  - {id: ops, name: Operations, lead: ana}\n  - {id: sales, name: Sales,\n"
    text = BASE.replace("people:\n", units + "     parent: ops, lead: bob}\npeople:\n")
    assert problems(text) == ["plan.yaml:7: units[1].lead: unknown person 'bob'"]


def test_an_unknown_owner_of_a_metric_is_reported_at_its_line() -> None:
    # the metric revenue's owner goes after its name (line 15), on line 16
    text = BASE.replace("        name: Revenue\n", "        name: Revenue\n        owner: bob\n")
    assert problems(text) == ["plan.yaml:16: objectives[0].metrics[0].owner: unknown person 'bob'"]


def test_a_units_lead_and_a_metrics_owner_who_exist_are_read() -> None:
    text = BASE.replace(
        "people:\n", "units:\n  - {id: ops, name: Operations, lead: ana}\npeople:\n"
    )
    plan = parse_plan(
        text.replace("        name: Revenue\n", "        name: Revenue\n        owner: ana\n")
    )
    assert plan.units[0].lead == "ana"
    assert plan.metrics()[0].owner == "ana"

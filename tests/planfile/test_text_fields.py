"""domain.text's rule on every text field of a plan file: an id, a line or multi-line text,
each with its longest value and no control characters (tab and line breaks only in text)."""

from __future__ import annotations

import pytest

from hoshin.planfile import PlanFileError, parse_plan

# Line numbers below count from 1 at "hoshin: 1".
PLAN = """\
hoshin: 1
organization: {name: Acme}
vision:
  statement: "Be the best\\nfor our town"
  values: [Care]
units:
  - {id: ops, name: Operations}
people:
  - {id: ana, name: Ana, unit: ops, email: ana@acme.example}
objectives:
  - {id: B1, title: Grow, level: breakthrough, owner: ana}
  - {id: A1, title: Grow this year, level: annual, supports: [B1]}
  - {id: T1, title: Team part, level: team, supports: [A1]}
  - id: I1
    title: My part
    level: individual
    supports: [T1]
    description: "Two lines,\\n\\tone indented"
    metrics:
      - {id: m1, name: Calls, unit: calls, baseline: 1, baseline_period: 2025-12, target: 2,
          target_period: 2026-12}
actions:
  - id: x1
    title: Call
    owner: ana
    serves: [I1]
    risks: [{risk: Nobody answers, contingency: "Write\\nthen call again"}]
countermeasures:
  - {id: c1, metric: m1, period: 2026-03, cause: "Short\\r\\nstaffed", action: Hire}
"""


def problems(text: str, name: str = "plan.yaml") -> list[str]:
    """The reported problems of a plan text that must not load."""
    with pytest.raises(PlanFileError) as caught:
        parse_plan(text, name)
    return [str(problem) for problem in caught.value.problems]


def test_line_breaks_and_tabs_stay_in_multi_line_text() -> None:
    plan = parse_plan(PLAN)
    assert plan.vision.statement == "Be the best\nfor our town"
    assert plan.objectives[3].description == "Two lines,\n\tone indented"
    assert plan.actions[0].risks[0].contingency == "Write\nthen call again"
    assert plan.countermeasures[0].cause == "Short\r\nstaffed"


NUL = "contains the control character U+0000, which is not allowed"
BREAK = "contains the control character U+000A (a line break or tab), which is not allowed"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # the example: a YAML "\0" escape in a title
        ("title: My part", 'title: "My\\0part"', f"plan.yaml:15: objectives[3].title: {NUL}"),
        ("title: My part", "title: " + "x" * 400, "plan.yaml:15: objectives[3].title: "),
        ("id: I1", "id: " + "i" * 200, "plan.yaml:14: objectives[3].id: "),
        ("- id: x1", "- id: x/1", "plan.yaml:23: actions[0].id: contains '/', which an id"),
        ("- id: x1", "- id: ''", "plan.yaml:23: actions[0].id: is empty"),
        # a title is one line: a line break, a tab or a C1 control (NEL) is refused
        ("title: Call", 'title: "Call\\nnow"', f"plan.yaml:24: actions[0].title: {BREAK}"),
        ("title: Call", 'title: "Call\\tnow"', "plan.yaml:24: actions[0].title: contains the "),
        ("title: Call", 'title: "Call\\Nnow"', "plan.yaml:24: actions[0].title: contains the "),
        ("{name: Acme}", '{name: "Ac\\0me"}', f"plan.yaml:2: organization.name: {NUL}"),
        ("[Care]", '["Care\\nmore"]', f"plan.yaml:5: vision.values[0]: {BREAK}"),
        ("name: Operations", 'name: "Oper\\eations"', "plan.yaml:7: units[0].name: contains"),
        ("unit: ops, email", 'unit: "o\\0ps", email', f"plan.yaml:9: people[0].unit: {NUL}"),
        ("ana@acme.example", "a" * 320 + "@acme.example", "plan.yaml:9: people[0].email: is 333"),
        (
            "unit: calls",
            'unit: "calls\\a"',
            "plan.yaml:20: objectives[3].metrics[0].unit: contains",
        ),
        ("name: Calls", 'name: "Ca\\0lls"', f"plan.yaml:20: objectives[3].metrics[0].name: {NUL}"),
        (
            "supports: [B1]",
            'supports: ["B\\01"]',
            "plan.yaml:12: objectives[1].supports.'B\\x001': ",
        ),
        # serves, as supports, is read as a map of id to strength: the id names the place
        ("serves: [I1]", 'serves: ["I\\01"]', "plan.yaml:26: actions[0].serves.'I\\x001': "),
        (
            "risk: Nobody answers",
            'risk: "No\\0body answers"',
            f"plan.yaml:27: actions[0].risks[0].risk: {NUL}",
        ),
        ("action: Hire", 'action: "Hi\\0re"', f"plan.yaml:29: countermeasures[0].action: {NUL}"),
        # multi-line text keeps line breaks and tabs, but no other control character
        ("one indented", "one\\u0007 rings", "plan.yaml:18: objectives[3].description: contains"),
        ('"Be the best', '"Be the\\0 best', f"plan.yaml:4: vision.statement: {NUL}"),
        ("Be the best", "x" * 20_001, "plan.yaml:4: vision.statement: is 20,01"),
    ],
)
def test_text_breaking_the_rule_is_refused_at_its_line(old: str, new: str, expected: str) -> None:
    assert old in PLAN
    found = problems(PLAN.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_lengths_are_told_in_the_rules_words() -> None:
    found = problems(PLAN.replace("title: My part", "title: " + "x" * 400, 1))
    assert found == ["plan.yaml:15: objectives[3].title: is 400 characters long: at most 300"]
    found = problems(PLAN.replace("id: I1", "id: " + "i" * 200, 1))
    assert found[0] == "plan.yaml:14: objectives[3].id: is 200 characters long: at most 64"


def test_the_longest_values_are_taken() -> None:
    text = PLAN.replace("title: My part", "title: " + "x" * 300).replace(
        "id: x1", "id: " + "y" * 64
    )
    plan = parse_plan(text)
    assert len(plan.objectives[3].title) == 300 and len(plan.actions[0].id) == 64


def test_a_json_plan_is_held_to_the_same_rule() -> None:
    text = (
        '{"hoshin": 1,\n'
        ' "organization": {"name": "Acme"},\n'
        ' "objectives": [{"id": "B1", "level": "breakthrough",\n'
        '   "title": "a\\u0000b"}]\n'
        "}\n"
    )
    assert problems(text, "plan.json") == [f"plan.json:4: objectives[0].title: {NUL}"]

"""The strength of supports, serves and moves links in the plan file: today's syntax stays
valid (every link strong), the longer forms read and write back, and a wrong value is named
at its place."""

from __future__ import annotations

import pytest

from hoshin.planfile import PlanFileError, dump_plan, parse_plan

PLAN = """\
hoshin: 1
organization: {name: Acme}
objectives:
  - id: B1
    title: Grow
    level: breakthrough
    metrics: [{id: m1, name: Sales, direction: maintain, min: 1}]
  - {id: B2, title: Keep, level: breakthrough}
  - id: A1
    title: This year
    level: annual
    supports: {B1: {weight: 0.5, strength: medium}, B2: 2}
  - {id: A2, title: Also, level: annual, supports: {B1: {strength: weak}}}
  - {id: A3, title: Plain, level: annual, supports: [B1]}
actions:
  - {id: x1, title: Do, serves: {A1: weak, A2: strong}, moves: {m1: medium}}
  - {id: x2, title: Do too, serves: [A3], moves: [m1]}
"""


def test_each_form_reads_as_weights_and_the_links_that_are_not_strong() -> None:
    """A1: B1 weight 0.5 medium, B2 weight 2 strong; A2: B1 weight 1 weak; A3's list: B1
    weight 1 strong. x1 serves A1 weakly, A2 strongly and moves m1 medium; x2's lists are
    strong. The model keeps only the links that are not strong."""
    plan = parse_plan(PLAN, "plan.yaml")
    a1, a2, a3 = plan.objectives[2:]
    assert (a1.supports, a1.supports_strength) == ({"B1": 0.5, "B2": 2.0}, {"B1": "medium"})
    assert (a2.supports, a2.supports_strength) == ({"B1": 1.0}, {"B1": "weak"})
    assert (a3.supports, a3.supports_strength) == ({"B1": 1.0}, {})
    x1, x2 = plan.actions
    assert (x1.serves, x1.serves_strength) == (("A1", "A2"), {"A1": "weak"})
    assert (x1.moves, x1.moves_strength) == (("m1",), {"m1": "medium"})
    assert (x2.serves_strength, x2.moves_strength) == ({}, {})


def test_the_writer_writes_the_shortest_form_that_reads_back() -> None:
    """A strong link with weight 1 is a list item; a weight alone a number; a link that is
    not strong a {weight, strength} map, weight 1 left out; serves or moves with a link
    that is not strong a map of every id to its strength."""
    plan = parse_plan(PLAN, "plan.yaml")
    text = dump_plan(plan)
    assert "    B1: {weight: 0.5, strength: medium}\n    B2: 2\n" in text
    assert "    B1: {strength: weak}\n" in text
    assert "  supports:\n  - B1\n" in text
    assert "  serves:\n    A1: weak\n    A2: strong\n  moves:\n    m1: medium\n" in text
    assert "  serves:\n  - A3\n  moves:\n  - m1\n" in text
    assert parse_plan(text, "again.yaml") == plan


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "strength: weak}",
            "strength: mild}",
            "plan.yaml:13: objectives[3].supports.B1.strength: must be 'strong', 'medium' or "
            "'weak', not 'mild'",
        ),
        ("B2: 2}", "B2: lots}", "plan.yaml:12: objectives[2].supports.B2: expected a weight"),
        (
            "moves: {m1: medium}",
            "moves: {m1: 3}",
            "plan.yaml:16: actions[0].moves.m1: must be 'strong', 'medium' or 'weak', not 3",
        ),
        ("serves: [A3]", "serves: [A3, A3]", "plan.yaml:17: actions[1].serves: lists 'A3' more"),
        ("A1: weak", "A9: weak", "plan.yaml:16: actions[0].serves.A9: unknown objective 'A9'"),
    ],
)
def test_a_wrong_strength_is_named_at_its_place(old: str, new: str, expected: str) -> None:
    assert old in PLAN
    with pytest.raises(PlanFileError) as caught:
        parse_plan(PLAN.replace(old, new), "plan.yaml")
    found = [str(problem) for problem in caught.value.problems]
    assert any(problem.startswith(expected) for problem in found), found

"""The strength of links in the plan-editing forms, without a server: a choice per supports
row and per serves/moves link in, the model's strengths out; stored state back to the
choices a form shows."""

from __future__ import annotations

from hoshin.web.edit_values import action_values, objective_values
from hoshin.web.forms import Reader, action_of, label, objective_of


def test_a_supports_row_takes_its_strength_and_a_removed_row_none() -> None:
    """Row 0 (B1) medium; row 1 (B2) strong; row 2 (B3) weak but removed; the new row (B4)
    with no choice: strong. The model keeps only B1's."""
    read = Reader({
        "id": "A1", "title": "Grow", "level": "annual",
        "supports-0-id": "B1", "supports-0-strength": "medium",
        "supports-1-id": "B2", "supports-1-strength": "strong",
        "supports-2-id": "B3", "supports-2-strength": "weak", "supports-2-remove": "on",
        "supports-new-id": "B4",
    })  # fmt: skip
    objective = objective_of(read, None)
    assert read.problems == {}
    assert objective.supports == {"B1": 1.0, "B2": 1.0, "B4": 1.0}
    assert objective.supports_strength == {"B1": "medium"}


def test_a_strength_that_is_none_of_the_three_is_a_problem_at_its_field() -> None:
    read = Reader({"title": "Do", "serves": "A1", "serves-strength:A1": "mild"})
    action = action_of(read, "x1")
    assert read.problems == {"serves-strength:A1": ["must be one of strong, medium, weak"]}
    assert action.serves_strength == {}
    assert label("serves-strength:A1") == "serves A1, strength"


def test_an_action_takes_the_strength_of_each_link_it_lists() -> None:
    """serves A1 weak, A2 strong; moves m1 medium; a strength for A9, which it no longer
    serves, is not kept."""
    read = Reader({
        "title": "Do", "serves": "A1, A2", "moves": "m1", "serves-strength:A1": "weak",
        "serves-strength:A2": "strong", "moves-strength:m1": "medium",
        "serves-strength:A9": "weak",
    })  # fmt: skip
    action = action_of(read, "x1")
    assert read.problems == {}
    assert action.serves_strength == {"A1": "weak"}
    assert action.moves_strength == {"m1": "medium"}


def test_the_stored_strengths_are_the_forms_choices() -> None:
    objective = {"id": "T1", "supports": {"A1": 1.0, "A2": 2.0},
                 "supports_strength": {"A1": "medium", "A2": "strong"}}  # fmt: skip
    values = objective_values(objective)
    assert (values["supports-0-strength"], values["supports-1-strength"]) == ("medium", "strong")
    action = {"id": "x1", "serves": ["A1"], "moves": ["m1"],
              "serves_strength": {"A1": "weak"}, "moves_strength": {"m1": "strong"}}  # fmt: skip
    values = action_values(action)
    assert values["serves-strength:A1"] == "weak" and values["moves-strength:m1"] == "strong"

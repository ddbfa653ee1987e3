"""The one rule for text on every door: lengths by kind, and no control characters."""

from __future__ import annotations

import pytest

from hoshin.domain.text import LONGEST, control_character, nested_problems, text_problem


@pytest.mark.parametrize(
    ("value", "multi_line", "found"),
    [
        ("Cut readmissions", False, None),
        ("a\x00b", False, "U+0000"),  # NUL: PostgreSQL cannot store it
        ("a\tb", False, "U+0009"),  # a tab is a control character in one line
        ("a\tb", True, None),  # ... and allowed in a multi-line note
        ("first\r\nsecond", True, None),
        ("bell\x07", True, "U+0007"),
        ("vertical\x0btab", True, "U+000B"),
        ("del\x7f", True, "U+007F"),
        ("next line\x85", True, "U+0085"),  # C1: a terminal would obey it
        ("é € 中 🙂", False, None),  # printable Unicode stays
    ],
)
def test_control_characters_are_found_by_kind(
    value: str, multi_line: bool, found: str | None
) -> None:
    assert control_character(value, multi_line=multi_line) == found


def test_a_problem_says_the_length_or_the_character() -> None:
    """A line holds 300 characters: 301 is refused with both numbers; a text holds 20,000."""
    assert text_problem("x" * 300, "line") is None
    assert text_problem("x" * 301, "line") == "is 301 characters long: at most 300"
    assert text_problem("x" * 20_001, "text") == "is 20,001 characters long: at most 20,000"
    assert text_problem("a\nb", "line") == (
        "contains the control character U+000A (a line break or tab), which is not allowed"
    )
    assert text_problem("a\x00", "text") == (
        "contains the control character U+0000, which is not allowed"
    )
    assert LONGEST["id"] == 64 and LONGEST["email"] == 320
    assert LONGEST["description"] == 10_000


def test_nested_problems_name_each_place_and_survive_deep_nesting() -> None:
    """Each bad string is named by its path; 100,000 levels of lists are walked without
    recursion (a hostile JSON body)."""
    body = {"title": "ok", "attendees": ["Ann", "B\x00b"], "notes": "line 1\nline 2"}
    assert nested_problems(body, "body") == [
        ("body.attendees[1]", "contains the control character U+0000, which is not allowed")
    ]
    deep: object = "x\x01"
    for _ in range(100_000):
        deep = [deep]
    [(where, why)] = nested_problems(deep, "body")
    assert where == "body" + "[0]" * 100_000
    assert "U+0001" in why
    assert nested_problems({"a\x00": 1}, "body") == [
        ("body.a\x00", "the name contains the control character U+0000, which is not allowed")
    ]

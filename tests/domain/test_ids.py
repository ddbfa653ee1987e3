"""Ids made from titles: lower-case ASCII words joined by '-', unique with a suffix, and
always an id every door takes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hoshin.domain.ids import id_from_title, unique_id
from hoshin.domain.text import text_problem


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Réduire les défauts", "reduire-les-defauts"),  # accents dropped, words joined
        ("B1 Halve field failures", "b1-halve-field-failures"),
        ("  Cut   readmissions by 20% (2027)!  ", "cut-readmissions-by-20-2027"),
        ("Straße über Łódź", "strasse-uber-lodz"),  # ß and Ł are spelled out
        ("Œuvre", "oeuvre"),
        ("日本語", "objective"),  # nothing of it is ASCII: the fallback
        ("", "objective"),
    ],
)
def test_an_id_is_the_titles_words(title: str, expected: str) -> None:
    assert id_from_title(title, fallback="objective") == expected


def test_a_long_title_is_cut_at_a_word() -> None:
    """Ten words of 9 letters: 9 + 6 x 10 = 69 > 64, so six words (9 + 5 x 10 = 59) stay."""
    title = " ".join(["abcdefghi"] * 10)
    assert id_from_title(title) == "-".join(["abcdefghi"] * 6)
    assert id_from_title("x" * 100) == "x" * 64  # one word longer than an id: cut


def test_a_taken_id_gets_the_next_free_suffix() -> None:
    assert unique_id("reduce-defects", set()) == "reduce-defects"
    taken = {"reduce-defects", "reduce-defects-2"}
    assert unique_id("reduce-defects", taken) == "reduce-defects-3"
    # 64 characters taken: cut to 62 so that '-2' fits (62 + 2 = 64)
    assert unique_id("a" * 64, {"a" * 64}) == "a" * 62 + "-2"
    # a cut that ends at a '-' drops it: 61 x 'a' + '-bc' cut to 62 ends '-', kept as 61 x 'a'
    assert unique_id("a" * 61 + "-bc", {"a" * 61 + "-bc"}) == "a" * 61 + "-2"


@given(st.text(max_size=400), st.sets(st.text(max_size=70), max_size=20))
def test_every_id_made_is_a_valid_id(title: str, taken: set[str]) -> None:
    made = id_from_title(title)
    assert made and text_problem(made, "id") is None
    chosen = unique_id(made, taken | {made})
    assert chosen not in taken | {made}
    assert text_problem(chosen, "id") is None and len(chosen) <= 64

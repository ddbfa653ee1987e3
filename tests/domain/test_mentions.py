"""Mentions read from a comment's text, by hand: "@" and a plan id, as people write them."""

from __future__ import annotations

import pytest

from hoshin.domain.mentions import mentioned


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("@ana please look", [("ana",)]),
        ("cc @Ben.Ode and @ana", [("Ben.Ode",), ("ana",)]),
        # a full stop, comma or dash after the id ends the sentence: both are offered, the
        # id as written first (a plan id may end in a dot)
        ("thanks @ana.", [("ana.", "ana")]),
        ("@ana, @ben-", [("ana",), ("ben-", "ben")]),
        # each once, ignoring case, as first written
        ("@ana then @ANA", [("ana",)]),
        # an e-mail address, a doubled @ and an @ without an id mention nobody
        ("write to ana@riverside.example", []),
        ("@@ana and @ alone and @-x", []),
        # inside brackets and at the start of a line
        ("(@cara)\n@dan", [("cara",), ("dan",)]),
        # an id is at most 64 characters: a longer word is no one's id
        ("@" + "a" * 64, [("a" * 64,)]),
        ("@" + "a" * 65, []),
    ],
)
def test_mentions_are_plan_ids_after_an_at(text: str, found: list[tuple[str, ...]]) -> None:
    assert mentioned(text) == found

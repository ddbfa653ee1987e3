"""The assistant's address suggestions with the shipped model, on the demo pump maker: T2 (a
rival's 4-hour call-outs) and O2 (connected pumps) are the items none of its objectives
addresses; A4 (call-outs on site within 4 hours) and T12 (remote monitoring) answer them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hoshin.demo.plan import demo_plan
from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.situation import AddressSuggestion
from hoshin.domain.assist.words import objective_text
from hoshin.service.assist.addresses import suggest_addresses
from hoshin.service.assist.spaces import model_space

PLAN = demo_plan(date(2026, 6, 15))


def best(found: list[AddressSuggestion]) -> dict[str, str]:
    """Each item's first suggestion's objective."""
    first: dict[str, str] = {}
    for s in found:
        first.setdefault(s.item, s.objective)
    return first


def test_the_model_finds_the_objective_that_answers_each_item() -> None:
    found = suggest_addresses(PLAN)
    assert best(found) == {"O2": "T12", "T2": "A4"}
    assert [s.item for s in found] == ["O2"] * 3 + ["T2"] * 3  # top 3 each, items in order
    assert all(0.3 <= s.score <= 1 for s in found)


def test_a_given_space_that_lacks_the_items_is_completed() -> None:
    objectives = [objective_text(o) for o in PLAN.objectives]
    # the model's space of the objectives alone: the items' texts are embedded and joined
    assert best(suggest_addresses(PLAN, space=model_space(objectives))) == best(
        suggest_addresses(PLAN)
    )
    # the lexical space of the objectives alone: computed again with the items' texts
    lexical = suggest_addresses(PLAN, space=lexical_space(objectives), top=1)
    assert [s.item for s in lexical] == ["O2", "T2"]


def test_nothing_to_suggest_when_every_item_is_addressed() -> None:
    answered = replace(
        PLAN,
        objectives=tuple(
            replace(o, addresses=("O2", "T2")) if o.id == "A4" else o for o in PLAN.objectives
        ),
    )
    assert suggest_addresses(answered) == []

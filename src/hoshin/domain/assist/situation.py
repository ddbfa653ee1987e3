"""Which objectives may answer an item of the current position that none addresses yet:
each item against every objective, by meaning (the space's cosine) and by shared terms."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hoshin.domain.assist.space import Matrix, Space
from hoshin.domain.assist.words import objective_text, shared_terms, terms
from hoshin.domain.model import Plan, SituationItem

# The kinds an objective answers: a strength is built on, not answered.
ANSWERED = frozenset(("weakness", "threat", "opportunity"))
# How much the share of the item's terms an objective repeats adds to the cosine: a word
# in common ("warranty") is strong evidence in a short text, but the meaning leads.
TERMS_WEIGHT = 0.3
# Below this score a suggestion is noise: unrelated short texts sit near 0.1 in the model.
FLOOR = 0.3
# Candidates per item re-ranked with shared terms (the cosine alone picks them first).
SHORTLIST = 20


@dataclass(frozen=True, slots=True)
class AddressSuggestion:
    """An objective that may address a situation item, with a score in 0..1 and the terms
    the two texts share."""

    item: str
    objective: str
    title: str
    score: float
    terms: tuple[str, ...] = ()


def item_text(item: SituationItem) -> str:
    """The text that stands for a situation item in a space: its own words."""
    return item.text


def unaddressed(plan: Plan) -> list[SituationItem]:
    """The weaknesses, threats and opportunities no objective addresses, in plan order."""
    addressed = {key for objective in plan.objectives for key in objective.addresses}
    return [i for i in plan.situation if i.kind in ANSWERED and i.id not in addressed]


def suggest_addresses(plan: Plan, space: Space, *, top: int = 3) -> list[AddressSuggestion]:
    """For each unaddressed weakness, threat and opportunity, the ``top`` objectives most
    like it (best first), scored ``cosine + TERMS_WEIGHT x shared share`` clipped to 0..1,
    those under FLOOR left out. ``space`` must know each item's text and each objective's
    ``objective_text``."""
    items = unaddressed(plan)
    objectives = plan.objectives
    if not items or not objectives or top < 1:
        return []
    # The objectives' rows times the items' (a plan space also holds the metrics' texts,
    # three times as many at 50,000 people: not multiplied); one column per item.
    rows = np.fromiter(
        (space.rows[objective_text(o)] for o in objectives), dtype=np.intp, count=len(objectives)
    )
    cosines = (space.matrix[rows] @ space.stack([item_text(i) for i in items]).T).T
    suggestions: list[AddressSuggestion] = []
    for item, row in zip(items, cosines, strict=True):
        suggestions += _best(item, row, plan, top)
    return suggestions


def _best(item: SituationItem, cosines: Matrix, plan: Plan, top: int) -> list[AddressSuggestion]:
    """The ``top`` suggestions for one item from its cosine with each objective."""
    count = min(SHORTLIST, len(cosines))
    shortlist = np.argpartition(-cosines, count - 1)[:count]
    wanted = set(terms(item_text(item)))
    found: list[tuple[float, int, AddressSuggestion]] = []
    for at in shortlist:
        objective = plan.objectives[int(at)]
        shared = shared_terms(terms(objective_text(objective)), wanted)
        share = len(shared) / len(wanted) if wanted else 0.0
        score = min(1.0, max(0.0, float(cosines[at]) + TERMS_WEIGHT * share))
        if score >= FLOOR:
            suggestion = AddressSuggestion(
                item.id, objective.id, objective.title, score, tuple(shared)
            )
            found.append((-score, int(at), suggestion))
    found.sort(key=lambda entry: entry[:2])  # best first; among equals, plan order
    return [suggestion for *_, suggestion in found[:top]]

"""Which objectives may address the items of the current position that none addresses yet, in
the model's space (or a space given by the caller: a plan's cached one, or the lexical
fallback while it is being made)."""

from __future__ import annotations

from hoshin.domain.assist import situation
from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.situation import AddressSuggestion, item_text, unaddressed
from hoshin.domain.assist.space import Space, joined
from hoshin.domain.assist.words import objective_text
from hoshin.domain.model import Plan
from hoshin.service.assist.spaces import model_space


def suggest_addresses(
    plan: Plan, *, space: Space | None = None, top: int = 3
) -> list[AddressSuggestion]:
    """For each weakness, threat and opportunity no objective addresses, the ``top``
    objectives likeliest to (best first)."""
    items = unaddressed(plan)
    if not items or not plan.objectives:
        return []
    texts = [objective_text(o) for o in plan.objectives] + [item_text(i) for i in items]
    return situation.suggest_addresses(plan, _knowing(space, texts), top=top)


def _knowing(space: Space | None, texts: list[str]) -> Space:
    """A space that knows ``texts``: the given one (with the few it lacks embedded), else
    the model's."""
    if space is None:
        return model_space(texts)
    missing = [text for text in dict.fromkeys(texts) if text not in space]
    if not missing:
        return space
    if space.name == "lexical":  # TF-IDF weights depend on every text: compute them again
        return lexical_space(texts)
    return joined(space, model_space(missing))

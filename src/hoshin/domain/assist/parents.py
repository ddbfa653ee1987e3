"""Where does an objective belong: the objectives of the level above, ranked by how
plausibly it supports each (meaning, shared terms, a shared metric, the units), with why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hoshin.domain.assist.space import Space
from hoshin.domain.assist.words import objective_text, shared_terms, terms
from hoshin.domain.model import Level, Objective, Plan, Unit
from hoshin.errors import InvalidInput

LEVEL_ABOVE: Mapping[Level, Level] = {
    "annual": "breakthrough",
    "team": "annual",
    "individual": "team",
}

# The blend: meaning carries most of it; words, measures and the organisation chart break
# ties and lift the parent a reader would pick. Each weight is the most its signal adds.
MEANING = 0.55
TERMS = 0.15
METRIC = 0.15
UNIT = 0.15
# A metric name of the candidate "is" one of the parent's when their terms overlap this much
# (Dice coefficient: "Warranty claims" and "Warranty claims per 1,000 pumps" share 2 of 2+3).
SAME_METRIC = 0.5
# Below this cosine a similarity of meaning is not worth naming as a reason.
SIMILAR = 0.3
# The unit signal: the parent is the candidate's own unit's, its parent unit's (or further
# up), or owned by the lead of the candidate's unit.
SAME_UNIT, UNIT_ABOVE, LEAD = 1.0, 0.7, 0.7


@dataclass(frozen=True, slots=True)
class Candidate:
    """The objective that asks where it belongs; ``id`` when it is one of the plan's (it is
    then excluded from its own candidates and its current ``supports`` are ignored)."""

    title: str
    level: Level
    unit: str | None = None
    owner: str | None = None
    metric_names: tuple[str, ...] = ()
    id: str | None = None

    def text(self) -> str:
        """The text that stands for it: the same shape as ``words.objective_text``."""
        names = "; ".join(self.metric_names)
        return self.title if not names else f"{self.title}. {names}"


def candidate_of(objective: Objective) -> Candidate:
    """The candidate an objective of the plan is."""
    return Candidate(
        title=objective.title,
        level=objective.level,
        unit=objective.unit,
        owner=objective.owner,
        metric_names=tuple(m.name for m in objective.metrics),
        id=objective.id,
    )


@dataclass(frozen=True, slots=True)
class ParentSuggestion:
    """An objective the candidate may support: its id and title, a score in 0..1 (higher
    is better) and the reasons, each naming a signal that contributed."""

    objective: str
    title: str
    score: float
    reasons: tuple[str, ...]


def suggest_parents(
    plan: Plan, candidate: Candidate, space: Space, *, top: int = 3
) -> list[ParentSuggestion]:
    """The ``top`` objectives of the level above ``candidate``'s, best first; ``space`` must
    know the candidate's text and those objectives' texts."""
    above = LEVEL_ABOVE.get(candidate.level)
    if above is None:
        raise InvalidInput(
            f"a {candidate.level} objective supports nothing: there is no level above it"
        )
    parents = [o for o in plan.objectives if o.level == above and o.id != candidate.id]
    if not parents or top < 1:
        return []
    texts = [objective_text(o) for o in parents]
    cosines = space.stack(texts) @ space.vector(candidate.text())
    units = _Units(plan)
    mine = units.of(candidate.unit, candidate.owner)
    own_terms = terms(candidate.title)
    scored = []
    for parent, text, cosine in zip(parents, texts, cosines.tolist(), strict=True):
        score, reasons = _blend(
            parent, text, cosine, candidate, own_terms, mine, units, space.name == "lexical"
        )
        scored.append(ParentSuggestion(parent.id, parent.title, round(score, 4), reasons))
    scored.sort(key=lambda s: -s.score)  # stable: plan order between equal scores
    return scored[:top]


def _blend(
    parent: Objective,
    text: str,
    cosine: float,
    candidate: Candidate,
    own_terms: tuple[str, ...],
    mine: str | None,
    units: _Units,
    lexical: bool,
) -> tuple[float, tuple[str, ...]]:
    reasons: list[str] = []
    shared = shared_terms(own_terms, terms(text))
    if shared:
        reasons.append(f"shares the term{'s' if len(shared) > 1 else ''} {', '.join(shared)}")
    words = len(shared) / max(1, len(set(own_terms))) if shared else 0.0
    metric = _shared_metric(candidate.metric_names, parent)
    if metric is not None:
        reasons.append(f"shares the metric '{metric}'")
    unit, why = units.relation(mine, parent)
    if why:
        reasons.append(why)
    if cosine >= SIMILAR:
        kind = "wording" if lexical else "meaning"
        reasons.insert(0, f"similar in {kind} ({cosine:.2f})")
    score = (
        MEANING * max(0.0, cosine)
        + TERMS * words
        + METRIC * (1.0 if metric is not None else 0.0)
        + UNIT * unit
    )
    return min(1.0, score), tuple(reasons)


def _shared_metric(names: tuple[str, ...], parent: Objective) -> str | None:
    """The parent's metric name one of ``names`` measures the same as, if any."""
    for name in names:
        mine = set(terms(name))
        for metric in parent.metrics:
            theirs = set(terms(metric.name))
            if (
                mine
                and theirs
                and 2 * len(mine & theirs) / (len(mine) + len(theirs)) >= SAME_METRIC
            ):
                return metric.name
    return None


class _Units:
    """The organisation chart as the ranking reads it: units by id, people's units."""

    def __init__(self, plan: Plan) -> None:
        self.units: dict[str, Unit] = {u.id: u for u in plan.units}
        self.people = {p.id: p.unit for p in plan.people}

    def of(self, unit: str | None, owner: str | None) -> str | None:
        """An objective's unit: its own, else its owner's."""
        return unit if unit is not None else self.people.get(owner or "")

    def name(self, unit: str) -> str:
        """A unit's name (its id when the plan does not know it)."""
        known = self.units.get(unit)
        return known.name if known is not None else unit

    def relation(self, mine: str | None, parent: Objective) -> tuple[float, str | None]:
        """How the parent's unit stands to the candidate's: the signal and its reason."""
        if mine is None:
            return 0.0, None
        theirs = self.of(parent.unit, parent.owner)
        if theirs == mine:
            return SAME_UNIT, f"same unit ({self.name(mine)})"
        if theirs is not None and theirs in self.ancestors(mine):
            return UNIT_ABOVE, f"from the unit above ({self.name(theirs)})"
        lead = self.units[mine].lead if mine in self.units else None
        if lead is not None and parent.owner == lead:
            return LEAD, f"owned by the lead of {self.name(mine)}"
        return 0.0, None

    def ancestors(self, unit: str) -> list[str]:
        """The units above ``unit``, nearest first (a cycle stops the walk)."""
        seen: list[str] = []
        at = self.units.get(unit)
        while at is not None and at.parent is not None and at.parent not in seen:
            seen.append(at.parent)
            at = self.units.get(at.parent)
        return seen

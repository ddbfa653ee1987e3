"""Where does an objective belong: the objectives of the level above, ranked by how
plausibly it supports each (meaning, shared terms, a shared metric, the units), with why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from hoshin.domain.assist.space import Matrix, Space
from hoshin.domain.assist.words import objective_text, shared_terms, term_words, terms
from hoshin.domain.model import Level, Objective, Plan, Unit
from hoshin.errors import InvalidInput

LEVEL_ABOVE: Mapping[Level, Level] = {
    "annual": "breakthrough",
    "team": "annual",
    "individual": "team",
}

# The blend, tuned on the labelled plans of tests/assist (BENCHMARKS.md): meaning carries
# most of it; the parent's supporters, the words, the measures and the organisation chart
# lift the parent a reader would pick. Each weight is the most its signal adds; they sum to 1.
MEANING = 0.44  # cosine of the candidate's text and the parent's
SIBLINGS = 0.2  # best cosine of the candidate's text and the parent's other supporters'
TERMS = 0.12  # share of the candidate's title terms found in the parent's text
METRIC = 0.12  # a metric of the candidate measures what one of the parent's does
UNIT = 0.12  # the parent is its unit's (1), its unit above's (1/3) or its unit lead's (1/3)
# A metric name of the candidate "is" one of the parent's when their terms overlap this much
# (Dice coefficient: "Warranty claims" and "Warranty claims per 1,000 pumps" share 2 of 2+3).
SAME_METRIC = 0.5
# Below this cosine a similarity is not worth naming as a reason.
SIMILAR = 0.3
SAME_UNIT, UNIT_ABOVE, LEAD = 1.0, 1 / 3, 1 / 3
# Dates say when, not what: "by Dec 2026" makes no two objectives alike.
DATE_WORDS = frozenset(
    """jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june
    july august september october november december q1 q2 q3 q4 h1 h2 fy""".split()  # noqa: SIM905
)

# The terms of the parents' texts and metric names, read again at every keystroke of a form:
# remembered (a pure function's results; 65,536 texts, a few MB).
_terms = lru_cache(maxsize=65_536)(terms)


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


@dataclass(frozen=True, slots=True)
class Supporters:
    """The objectives of one level and what they support, as the ranking reads them: made
    once per plan and space (50,000 texts at 50,000 people), then asked at every keystroke."""

    level: Level
    parents: tuple[Objective, ...]  # the level above, in plan order
    texts: tuple[str, ...]  # the parents' texts
    ids: Mapping[str, int]  # each supporter the space knows -> its row in ``matrix``
    matrix: Matrix  # the supporters' vectors
    links: NDArray[np.int64]  # shape (2, links): a parent's index, a supporter's row


def supporters_of(plan: Plan, level: Level, space: Space) -> Supporters:
    """The supporters of ``level`` (a level with one above it) in ``space``; an objective
    whose text the space does not know is left out."""
    parents = tuple(o for o in plan.objectives if o.level == LEVEL_ABOVE[level])
    at = {parent.id: k for k, parent in enumerate(parents)}
    ids: dict[str, int] = {}
    rows: list[int] = []
    links: list[tuple[int, int]] = []
    for other in plan.objectives:
        if other.level != level or not other.supports:
            continue
        row = space.rows.get(objective_text(other))
        if row is None:
            continue
        links += [(at[key], len(rows)) for key in other.supports if key in at]
        ids[other.id] = len(rows)
        rows.append(row)
    return Supporters(
        level,
        parents,
        tuple(objective_text(o) for o in parents),
        ids,
        space.matrix[rows],
        np.array(links, dtype=np.int64).reshape(-1, 2).T,
    )


def suggest_parents(
    plan: Plan,
    candidate: Candidate,
    space: Space,
    *,
    top: int = 3,
    vector: Matrix | None = None,
    supporters: Supporters | None = None,
) -> list[ParentSuggestion]:
    """The ``top`` objectives of the level above ``candidate``'s, best first; ``space`` must
    know those objectives' texts, and the candidate's unless its ``vector`` is given (a title
    being typed: no copy of a large plan's space to add one text). ``supporters`` of the
    candidate's level in ``space``, when kept from an earlier ask, save reading them again."""
    if candidate.level not in LEVEL_ABOVE:
        raise InvalidInput(
            f"a {candidate.level} objective supports nothing: there is no level above it"
        )
    if supporters is None or supporters.level != candidate.level:
        supporters = supporters_of(plan, candidate.level, space)
    if not supporters.parents or top < 1:
        return []
    mine = space.vector(candidate.text()) if vector is None else vector
    cosines = (space.stack(list(supporters.texts)) @ mine).tolist()
    siblings = _siblings(supporters, candidate, mine)
    units = _Units(plan)
    ranking = _Ranking(candidate, units.of(candidate.unit, candidate.owner), units, space.name)
    scored = [
        ranking.suggestion(parent, text, cosine, sibling)
        for parent, text, cosine, sibling in zip(
            supporters.parents, supporters.texts, cosines, siblings, strict=True
        )
    ]
    scored.sort(key=lambda s: -s.score)  # stable: plan order between equal scores
    return scored[:top]


def _siblings(
    supporters: Supporters, candidate: Candidate, mine: Matrix
) -> list[tuple[float, str | None]]:
    """For each parent, the best (positive) cosine of the candidate with another objective
    that supports it, and that objective's id."""
    best: list[tuple[float, str | None]] = [(0.0, None)] * len(supporters.parents)
    if not supporters.links.shape[1]:
        return best
    cosines = supporters.matrix @ mine
    itself = supporters.ids.get(candidate.id or "")
    if itself is not None:  # its own supports are no evidence
        cosines[itself] = -1.0
    parent, supporter = supporters.links
    values = cosines[supporter]
    order = np.argsort(-values, kind="stable")
    firsts = np.unique(parent[order], return_index=True)[1]  # each parent's best link
    names = list(supporters.ids)
    for link in order[firsts].tolist():
        if values[link] > 0:
            best[parent[link]] = (float(values[link]), names[supporter[link]])
    return best


class _Ranking:
    """The candidate's side of the blend, read once; ``suggestion`` scores one parent."""

    def __init__(self, candidate: Candidate, unit: str | None, units: _Units, space: str) -> None:
        self.candidate = candidate
        self.terms = tuple(t for t in terms(candidate.title) if t not in DATE_WORDS)
        self.words = term_words(candidate.title)  # "failures" in a reason, not "failur"
        self.unit = unit
        self.units = units
        self.kind = "wording" if space == "lexical" else "meaning"

    def suggestion(
        self, parent: Objective, text: str, cosine: float, sibling: tuple[float, str | None]
    ) -> ParentSuggestion:
        """The parent scored, with a reason for each signal that contributed."""
        reasons: list[str] = []
        if cosine >= SIMILAR:
            reasons.append(f"similar in {self.kind} ({cosine:.2f})")
        like, neighbour = sibling
        if like >= SIMILAR and neighbour is not None:
            reasons.append(f"like {neighbour}, which supports it ({like:.2f})")
        shared = shared_terms(self.terms, _terms(text))
        if shared:
            named = ", ".join(self.words.get(term, term) for term in shared)
            reasons.append(f"shares the term{'s' if len(shared) > 1 else ''} {named}")
        metric = _shared_metric(self.candidate.metric_names, parent)
        if metric is not None:
            reasons.append(f"shares the metric '{metric}'")
        unit, why = self.units.relation(self.unit, parent)
        if why:
            reasons.append(why)
        score = (
            MEANING * max(0.0, cosine)
            + SIBLINGS * max(0.0, like)
            + TERMS * len(shared) / max(1, len(set(self.terms)))
            + METRIC * (metric is not None)
            + UNIT * unit
        )
        return ParentSuggestion(parent.id, parent.title, round(min(1.0, score), 4), tuple(reasons))


def _shared_metric(names: tuple[str, ...], parent: Objective) -> str | None:
    """The parent's metric name one of ``names`` measures the same as, if any."""
    for name in names:
        mine = set(terms(name))
        for metric in parent.metrics:
            theirs = set(_terms(metric.name))
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

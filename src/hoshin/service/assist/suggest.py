"""Parent suggestions and overlaps of a plan, in the model's space (or a space given by the
caller: a plan's cached model space, or the lexical fallback while it is being computed)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

from hoshin.domain.analysis import Analysis
from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.overlaps import Overlap, OverlapScan, scan_overlaps
from hoshin.domain.assist.parents import (
    LEVEL_ABOVE,
    Candidate,
    ParentSuggestion,
    Supporters,
    candidate_of,
    suggest_parents,
    supporters_of,
)
from hoshin.domain.assist.space import Space
from hoshin.domain.assist.words import objective_text, plan_texts
from hoshin.domain.findings.base import Finding, finding
from hoshin.domain.model import Level, Plan
from hoshin.errors import NotFound
from hoshin.service.assist.spaces import model_space


def parents(
    plan: Plan, objective_id: str, *, top: int = 3, space: Space | None = None
) -> list[ParentSuggestion]:
    """The ``top`` likeliest parents of the plan's objective ``objective_id`` (its current
    supports ignored); NotFound for an unknown id."""
    objective = next((o for o in plan.objectives if o.id == objective_id), None)
    if objective is None:
        raise NotFound(f"no objective {objective_id} in the plan")
    return parents_for(plan, candidate_of(objective), top=top, space=space)


def words_space(plan: Plan, level: Level, text: str) -> Space:
    """While the plan's model space is being made: the TF-IDF space of the objectives of the
    level above ``level`` and of ``text`` (what the ranking reads; a large plan's other texts
    are not)."""
    above = LEVEL_ABOVE.get(level)
    return lexical_space([*(objective_text(o) for o in plan.objectives if o.level == above), text])


def parents_for(
    plan: Plan, candidate: Candidate, *, top: int = 3, space: Space | None = None
) -> list[ParentSuggestion]:
    """The ``top`` likeliest parents of a candidate objective (perhaps not in the plan)."""
    text = candidate.text()
    above = LEVEL_ABOVE.get(candidate.level)
    ranked = [objective_text(o) for o in plan.objectives if o.level == above]
    if space is not None and all(t in space for t in ranked):
        kept = _supporters(plan, candidate, space)
        if text in space:
            return suggest_parents(plan, candidate, space, top=top, supporters=kept)
        if space.name != "lexical":  # a title being typed: embed it alone, copy nothing
            vector = model_space([text]).vector(text)
            return suggest_parents(plan, candidate, space, top=top, vector=vector, supporters=kept)
    # The candidate's own level holds the parents' supporters: their texts too.
    texts = [*ranked, *(objective_text(o) for o in plan.objectives if o.level == candidate.level)]
    # TF-IDF weights depend on every text: a lexical space is computed again with the new one
    lexical = space is not None and space.name == "lexical"
    known = lexical_space([*texts, text]) if lexical else model_space([*texts, text])
    return suggest_parents(plan, candidate, known, top=top)


# The supporters of a level as the ranking reads them, kept for the plan's (cached) model
# space: a form asks at every keystroke, and reading 50,000 supporters takes longer than the
# rest of the ranking. Two kept (a 50,000-person plan's individual level: 77 MB each), keyed
# by the objectives tuple and the space (held, so that their ids are not reused).
KEPT_SUPPORTERS = 2
_kept: OrderedDict[tuple[int, int, str], tuple[object, Space, Supporters]] = OrderedDict()
_kept_lock = threading.Lock()


def _supporters(plan: Plan, candidate: Candidate, space: Space) -> Supporters | None:
    """The supporters of the candidate's level in ``space``, kept or made (None for a
    lexical space: made for one ask, it is not worth keeping)."""
    if space.name == "lexical" or candidate.level not in LEVEL_ABOVE:
        return None
    key = (id(plan.objectives), id(space), candidate.level)
    with _kept_lock:
        held = _kept.get(key)
        if held is not None and held[0] is plan.objectives and held[1] is space:
            _kept.move_to_end(key)
            return held[2]
    made = supporters_of(plan, candidate.level, space)
    with _kept_lock:
        _kept[key] = (plan.objectives, space, made)
        while len(_kept) > KEPT_SUPPORTERS:
            _kept.popitem(last=False)
    return made


def overlaps(
    plan: Plan, *, space: Space | None = None, threshold: float | None = None
) -> list[Overlap]:
    """The best overlaps of ``plan`` (objectives and metrics), best first."""
    return list(overlap_scan(plan, space=space, threshold=threshold).overlaps)


def overlap_scan(
    plan: Plan, *, space: Space | None = None, threshold: float | None = None
) -> OverlapScan:
    """The best overlaps of ``plan`` and how many there are in all."""
    known = model_space(plan_texts(plan)) if space is None else space
    return scan_overlaps(plan, known, threshold=threshold)


def overlap_findings(found: list[Overlap]) -> list[Finding]:
    """The overlaps as the engine's findings (code ``overlap``, info), one per pair."""
    return [
        finding(
            "overlap",
            item.second,
            f"overlaps {item.first} '{item.first_title}' (similarity "
            f"{item.similarity:.2f}): {item.suggestion}",
        )
        for item in found
    ]


def with_overlaps(plan: Plan, analysis: Analysis, *, space: Space | None = None) -> Analysis:
    """The analysis with the plan's overlaps added to its findings (``check --assist``)."""
    found = overlap_findings(overlaps(plan, space=space))
    return replace(analysis, findings=[*analysis.findings, *found])

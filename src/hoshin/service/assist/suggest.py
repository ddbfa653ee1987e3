"""Parent suggestions and overlaps of a plan, in the model's space (or a space given by the
caller: a plan's cached model space, or the lexical fallback while it is being computed)."""

from __future__ import annotations

from dataclasses import replace

from hoshin.domain.analysis import Analysis
from hoshin.domain.assist.lexical import lexical_space
from hoshin.domain.assist.overlaps import Overlap, OverlapScan, scan_overlaps
from hoshin.domain.assist.parents import (
    LEVEL_ABOVE,
    Candidate,
    ParentSuggestion,
    candidate_of,
    suggest_parents,
)
from hoshin.domain.assist.space import Space, joined, space_of
from hoshin.domain.assist.words import objective_text, plan_texts
from hoshin.domain.findings.base import Finding, finding
from hoshin.domain.model import Plan
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


def parents_for(
    plan: Plan, candidate: Candidate, *, top: int = 3, space: Space | None = None
) -> list[ParentSuggestion]:
    """The ``top`` likeliest parents of a candidate objective (perhaps not in the plan)."""
    # The level above is ranked; the candidate's own level holds the parents' supporters.
    levels = (LEVEL_ABOVE.get(candidate.level), candidate.level)
    wanted = [objective_text(o) for o in plan.objectives if o.level in levels]
    return suggest_parents(plan, candidate, _knowing(space, wanted, candidate.text()), top=top)


def _knowing(space: Space | None, texts: list[str], text: str) -> Space:
    """A space that knows ``texts`` and ``text``: the given one, else the model's."""
    if space is None:
        return model_space([*texts, text])
    if text in space:
        return space
    if space.name == "lexical":  # TF-IDF weights depend on every text: compute them again
        return lexical_space([*texts, text])
    # Only the texts the ranking reads, so that a large plan's space is not copied.
    known = list(dict.fromkeys(texts))
    return joined(space_of(known, space.stack(known), space.name), model_space([text]))


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

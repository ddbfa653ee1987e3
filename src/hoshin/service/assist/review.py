"""The SMART review of a plan's objectives with the assistant's suggestions filled in: a
metric from the shipped catalogue for an unmeasured or vague objective, the likeliest
parent for one that does not trace up to a breakthrough, and, when asked and a chat model
is configured (HOSHIN_LLM_URL), a rewritten title."""

from __future__ import annotations

from dataclasses import replace

from hoshin.domain.analysis import Analysis
from hoshin.domain.assist.parents import ParentSuggestion
from hoshin.domain.assist.review import Measure, SmartReview, review_objectives
from hoshin.domain.assist.space import Space
from hoshin.domain.model import Objective, Plan
from hoshin.domain.text import text_problem
from hoshin.service.assist import catalogue, llm, suggest

# Titles looked up in the catalogue, and parents ranked, per review (about 5 ms each; a
# parent at 50,000 people up to 100 ms): a plan of thousands of unmeasured or unaligned
# objectives gets the general suggestion past these.
MOST_LOOKED_UP = 200
# Titles sent to the chat model per review (seconds each on a local model); one objective
# (``objective=``) is always sent.
MOST_REWRITTEN = 20
INSTRUCTION = (
    "You rewrite the title of one objective of a strategy plan so that it is SMART: "
    "specific, measurable, achievable, relevant and time-bound. You are given the title, "
    "what it fails and suggestions. Answer with the new title only: one line, at most 150 "
    "characters, in the title's language, no quotes, no explanation. Keep its intent; use "
    "the numbers given and write placeholders such as <target> for numbers you do not know."
)


def review(
    plan: Plan,
    analysis: Analysis,
    *,
    objective: str | None = None,
    rewrite: bool = False,
    space: Space | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[SmartReview]:
    """The SMART review of each objective of ``plan`` (of ``objective`` alone, when given:
    NotFound when the plan has none such; else of the objectives ``offset`` to ``offset +
    limit`` in plan order: a page costs its own suggestions only), suggestions filled from
    the catalogue and the ranked parents (in ``space``: the plan's cached space on the
    request path; without one the model's space of the texts ranked); with ``rewrite`` and
    a chat model configured, each failing title's rewrite (the first MOST_REWRITTEN)."""
    looked_up: dict[str, Measure | None] = {}

    def measure_for(title: str) -> Measure | None:
        if title not in looked_up:
            if len(looked_up) >= MOST_LOOKED_UP:
                return None
            looked_up[title] = catalogue.metric_for(title)
        return looked_up[title]

    ranked_parents = [0]

    def parent_for(child: Objective) -> ParentSuggestion | None:
        # Each ranking reads the plan's level: bounded like the look-ups, so that a plan with
        # thousands of unaligned objectives is not reviewed in quadratic time.
        if ranked_parents[0] >= MOST_LOOKED_UP:
            return None
        ranked_parents[0] += 1
        ranked = suggest.parents(plan, child.id, top=1, space=space)
        return ranked[0] if ranked else None

    only: str | list[str] | None = objective
    if objective is None and (offset or limit is not None):
        end = None if limit is None else offset + limit
        only = [o.id for o in plan.objectives[offset:end]]
    found = review_objectives(
        plan, analysis, only=only, measure_for=measure_for, parent_for=parent_for
    )
    if rewrite and llm.llm_configured():
        found = _rewritten(found, by_id={o.id: o for o in plan.objectives})
    return found


def _rewritten(found: list[SmartReview], *, by_id: dict[str, Objective]) -> list[SmartReview]:
    """The reviews with a rewrite of each failing title (the first MOST_REWRITTEN)."""
    asked = 0
    out = []
    for item in found:
        if item.failing and asked < MOST_REWRITTEN:
            asked += 1
            item = replace(item, rewrite=_rewrite(item, by_id[item.objective]))
        out.append(item)
    return out


def _rewrite(item: SmartReview, objective: Objective) -> str | None:
    """The chat model's title for a reviewed objective; None when it gives none."""
    lines = [f"Title: {item.title}", f"Level: {objective.level}"]
    if objective.end is not None:
        lines.append(f"Ends: {objective.end}")
    lines += [f"Metric: {metric.name}" for metric in objective.metrics]
    for failing in item.failing:
        lines.append(f"Not {failing.criterion.replace('_', '-')}: {failing.problem}")
        lines.append(f"Suggestion: {failing.suggestion}")
    answer = llm.rewrite("\n".join(lines), instruction=INSTRUCTION)
    # a title is one line: an answer that is no title is no rewrite
    if answer is None or answer == item.title or text_problem(answer, "line") is not None:
        return None
    return answer

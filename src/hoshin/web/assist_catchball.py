"""The assistant beside a catchball proposal: the SMART review of the objective on the
table and where it most plausibly belongs, so that a unit counter-proposing (or a leader
drafting) sees what the plan's rules and its neighbours say before answering.

A proposal is not in the plan yet, so it is reviewed in a small plan of its own: the
proposed objective and the chain of objectives it would support up to the breakthroughs
(what relevant, the review's "traces up to a breakthrough", reads), analysed as of the page's
day; a whole large plan is never analysed again for it."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from hoshin.domain.analysis import analyze
from hoshin.domain.assist.review import SmartReview
from hoshin.domain.model import Objective, Plan
from hoshin.domain.months import Month
from hoshin.service.analysis import Analysed
from hoshin.service.assist.review import review
from hoshin.service.catchball import ThreadRead
from hoshin.service.proposal import objective_of, proposal_of
from hoshin.web.assist_forms import Parents, suggested_parents

KEY = "proposal"  # the proposed objective's id in its small plan
CHAIN = 50  # objectives above it read at most (a plan's chains are a few levels deep)


@dataclass(frozen=True, slots=True)
class Advice:
    """The review of the proposal on the table and its likeliest parents; ``proposed`` is
    the rank (from 1) of the parent it names among them, or None when it is not one."""

    review: SmartReview
    parents: Parents
    proposed: int | None


def proposal_advice(
    found: Analysed, fields: Mapping[str, Any], *, unit: str, lead: str, org: Hashable
) -> Advice | None:
    """The assistant's advice on the proposal ``fields`` (a round's) for ``unit``; None when
    the fields are not a whole proposal."""
    try:
        proposal = proposal_of(dict(fields))
        start = Month.of_date(found.analysis.as_of)
        objective = objective_of(KEY, proposal, unit=unit, lead=lead, start=start)
    except (KeyError, TypeError, ValueError):
        return None
    small = _small_plan(found.plan, objective)
    reviewed = review(small, analyze(small, found.analysis.as_of), objective=KEY)[0]
    parents = suggested_parents(
        found, title=proposal.title, level=proposal.level, unit=unit, org=org
    )
    ranked = [s.objective for s in parents.suggestions]
    rank = ranked.index(proposal.parent) + 1 if proposal.parent in ranked else None
    return Advice(reviewed, parents, rank)


def _small_plan(plan: Plan, objective: Objective) -> Plan:
    """``objective`` and the objectives it supports, transitively (at most CHAIN), with the
    plan's organisation, vision, its unit and its owner."""
    by_id = {o.id: o for o in plan.objectives}
    chain: dict[str, Objective] = {}
    waiting = list(objective.supports)
    while waiting and len(chain) < CHAIN:
        key = waiting.pop()
        if key in by_id and key not in chain:
            chain[key] = by_id[key]
            waiting.extend(by_id[key].supports)
    return Plan(
        plan.organization, vision=plan.vision,
        units=tuple(u for u in plan.units if u.id == objective.unit),
        people=tuple(p for p in plan.people if p.id == objective.owner),
        objectives=(*chain.values(), objective),
    )  # fmt: skip


def thread_advice(found: Analysed, read: ThreadRead, org: Hashable) -> Advice | None:
    """The advice on the proposal an open thread has on the table (None once it is agreed
    or withdrawn)."""
    if read.thread.status != "open":
        return None
    thread = read.thread
    return proposal_advice(found, read.fields, unit=thread.unit, lead=thread.lead, org=org)

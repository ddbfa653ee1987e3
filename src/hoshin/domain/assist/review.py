"""The SMART review of objectives: which of specific, measurable, achievable, relevant and
time-bound each one fails, with the problem and a concrete suggestion.

The engine's findings are the rules (vague_title, unmeasured, unachievable_rate,
infeasible_schedule, orphan, no_deadline: one home each); this module adds only what the
engine lacks (a supports chain that stops below the breakthroughs, an end after the end of
what the objective supports or after the vision's horizon) and the suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol, get_args

from hoshin.domain.analysis import Analysis, paused_gc, reaching
from hoshin.domain.annual import fiscal_year, fiscal_year_of
from hoshin.domain.figures import number
from hoshin.domain.findings import Finding
from hoshin.domain.findings.alignment import vague_word
from hoshin.domain.model import LEVELS, Direction, Metric, Objective, Plan
from hoshin.domain.months import Month
from hoshin.domain.trajectory import end_value
from hoshin.errors import NotFound

Criterion = Literal["specific", "measurable", "achievable", "relevant", "time_bound"]
CRITERIA: tuple[Criterion, ...] = get_args(Criterion)
# The engine's findings the review reads: about an objective, or about one of its metrics.
OBJECTIVE_CODES: Mapping[str, Criterion] = {
    "vague_title": "specific",
    "unmeasured": "measurable",
    "infeasible_schedule": "achievable",
    "orphan": "relevant",
    "no_deadline": "time_bound",
}
METRIC_CODES: Mapping[str, Criterion] = {"unachievable_rate": "achievable"}
BREAKTHROUGH_YEARS = 3  # a breakthrough without a horizon: suggest this many fiscal years on
_VERBS: Mapping[Direction, str] = {"increase": "raise", "decrease": "cut", "maintain": "keep"}
_BETTER: Mapping[Direction, str] = {
    "increase": "higher is better",
    "decrease": "lower is better",
    "maintain": "kept within a band",
}


class Measure(Protocol):
    """A metric to suggest (an indicator of the catalogue: hoshin.domain.assist.catalogue)."""

    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def direction(self) -> Direction: ...


class Parent(Protocol):
    """An objective to link to (a ranked parent: hoshin.domain.assist.parents)."""

    @property
    def objective(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def reasons(self) -> tuple[str, ...]: ...


MeasureFor = Callable[[str], Measure | None]  # an objective's title -> a metric, or None
ParentFor = Callable[[Objective], Parent | None]


@dataclass(frozen=True, slots=True)
class Failing:
    """A criterion an objective fails: what is wrong and what to do. ``code`` is the
    engine's finding it comes from, or the review's own (unaligned, late_end, past_horizon)."""

    criterion: Criterion
    problem: str
    suggestion: str
    code: str = ""


@dataclass(frozen=True, slots=True)
class SmartReview:
    """One objective's review; ``rewrite`` is a chat model's title, when one was asked."""

    objective: str
    title: str
    failing: tuple[Failing, ...]
    rewrite: str | None = None

    @property
    def passes(self) -> tuple[Criterion, ...]:
        """The criteria it does not fail, in SMART order."""
        failed = {item.criterion for item in self.failing}
        return tuple(c for c in CRITERIA if c not in failed)


def review_record(review: SmartReview) -> dict[str, Any]:
    """The review as JSON values (the CLI's --format json and the API say the same)."""
    return {
        "objective": review.objective,
        "title": review.title,
        "passes": list(review.passes),
        "failing": [
            {
                "criterion": item.criterion,
                "code": item.code,
                "problem": item.problem,
                "suggestion": item.suggestion,
            }
            for item in review.failing
        ],
        "rewrite": review.rewrite,
    }


@dataclass(frozen=True, slots=True)
class _Context:
    plan: Plan
    analysis: Analysis
    by_id: Mapping[str, Objective]
    reaches: Mapping[str, bool]
    movers: Mapping[str, Sequence[str]]  # metric id -> ids of the open actions that move it
    measure_for: MeasureFor | None
    parent_for: ParentFor | None


def review_objectives(
    plan: Plan,
    analysis: Analysis,
    *,
    only: str | Sequence[str] | None = None,
    measure_for: MeasureFor | None = None,
    parent_for: ParentFor | None = None,
) -> list[SmartReview]:
    """The SMART review of each objective of ``plan``, in plan order (of ``only``, when
    given: an id, or ids in the order wanted; NotFound when the plan lacks one of them).
    ``measure_for`` names a metric for an unmeasured or vague title and ``parent_for`` an
    objective to link an unaligned one to; without them the suggestions say what to look
    for."""
    by_id = {o.id: o for o in plan.objectives}
    keys = None if only is None else (only,) if isinstance(only, str) else tuple(only)
    for key in keys or ():
        if key not in by_id:
            raise NotFound(f"no objective '{key}' in the plan")
    # The review of a large plan builds a few hundred thousand small acyclic values.
    with paused_gc():
        chosen = plan.objectives if keys is None else tuple(by_id[k] for k in dict.fromkeys(keys))
        found = _findings_by_objective(chosen, analysis.findings)
        wanted = {f.subject for items in found.values() for f in items if f.code in METRIC_CODES}
        movers: dict[str, list[str]] = {}
        for action in plan.actions if wanted else ():
            for metric in action.moves:
                if metric in wanted and not action.done:
                    movers.setdefault(metric, []).append(action.id)
        reaches = reaching(plan if keys is None else _above(plan, by_id, keys))
        ctx = _Context(plan, analysis, by_id, reaches, movers, measure_for, parent_for)
        return [_review(ctx, objective, found.get(objective.id, ())) for objective in chosen]


def _above(plan: Plan, by_id: Mapping[str, Objective], keys: Sequence[str]) -> Plan:
    """The plan cut to ``keys`` and the objectives their supports lead up to: where a few
    objectives' chains go is known without ordering the whole plan."""
    seen = set(keys)
    stack = list(seen)
    while stack:
        for parent in by_id[stack.pop()].supports:
            if parent in by_id and parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return replace(plan, objectives=tuple(o for o in plan.objectives if o.id in seen))


def _findings_by_objective(
    chosen: Sequence[Objective], findings: Sequence[Finding]
) -> dict[str, list[Finding]]:
    """The findings the review reads, by the objective they are about (a metric's are its
    objective's)."""
    keys = {o.id: o.id for o in chosen}
    keys.update((m.id, o.id) for o in chosen for m in o.metrics)
    found: dict[str, list[Finding]] = {}
    for item in findings:
        if item.code in OBJECTIVE_CODES or item.code in METRIC_CODES:
            key = keys.get(item.subject)
            if key is not None:
                found.setdefault(key, []).append(item)
    return found


def _review(ctx: _Context, objective: Objective, findings: Sequence[Finding]) -> SmartReview:
    failing = [_from_finding(ctx, objective, item) for item in findings]
    unaligned = _unaligned(ctx, objective)
    if unaligned is not None:
        failing.append(unaligned)
    late = _late_end(ctx, objective)
    if late is not None:
        failing.append(late)
    failing.sort(key=lambda item: CRITERIA.index(item.criterion))  # stable: findings' order
    return SmartReview(objective.id, objective.title, tuple(failing))


def _from_finding(ctx: _Context, objective: Objective, item: Finding) -> Failing:
    code = item.code
    if code == "vague_title":
        return _specific(ctx, objective)
    if code == "unmeasured":
        return _measurable(ctx, objective)
    if code == "unachievable_rate":
        return _unachievable(ctx, item)
    if code == "infeasible_schedule":
        return _infeasible(ctx, objective)
    if code == "orphan":
        return _orphan(ctx, objective)
    return _no_deadline(ctx, objective)


def _specific(ctx: _Context, objective: Objective) -> Failing:
    word = vague_word(objective.title) or "it"
    return Failing(
        "specific",
        f"it says '{word}' without a number, not what changes by how much",
        f"replace '{word}' with what changes by how much, e.g. "
        f"'{_measured_phrase(ctx, objective)}'",
        "vague_title",
    )


def _measured_phrase(ctx: _Context, objective: Objective) -> str:
    """How the title could say its change: from its first metric, else a catalogue one."""
    for metric in objective.metrics:
        return _metric_phrase(metric)
    deadline = _end_or_deadline(ctx, objective)
    measure = ctx.measure_for(objective.title) if ctx.measure_for is not None else None
    if measure is None:
        return f"raise or cut <what you count> from <now> to <target> by {deadline}"
    unit = f" {measure.unit}" if measure.unit else ""
    if measure.direction == "maintain":
        return f"keep {_inline(measure.name)} within <band>{unit} until {deadline}"
    verb = _VERBS[measure.direction]
    return f"{verb} {_inline(measure.name)} from <now> to <target>{unit} by {deadline}"


def _metric_phrase(metric: Metric) -> str:
    unit = f" {metric.unit}" if metric.unit else ""
    name = _inline(metric.name)
    if metric.direction == "maintain":
        low, high = number(metric.minimum), number(metric.maximum)
        if low and high:
            return f"keep {name} between {low} and {high}{unit}"
        return (
            f"keep {name} at or above {low}{unit}"
            if low
            else f"keep {name} at or below {high}{unit}"
        )
    baseline, target = number(metric.baseline), number(end_value(metric))
    verb = _VERBS[metric.direction]
    return f"{verb} {name} from {baseline} to {target}{unit} by {metric.target_period}"


def _inline(name: str) -> str:
    """A name inside a sentence: 'On-time delivery' -> 'on-time delivery'; 'OEE' stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _measurable(ctx: _Context, objective: Objective) -> Failing:
    measure = ctx.measure_for(objective.title) if ctx.measure_for is not None else None
    if measure is None:
        suggestion = (
            "add a metric: what you would count to know it is done, with a baseline "
            f"and a target by {_end_or_deadline(ctx, objective)}"
        )
    else:
        unit = f"in {measure.unit}, " if measure.unit else ""
        suggestion = (
            f"measure it with '{measure.name}' from the catalogue ({unit}"
            f"{_BETTER[measure.direction]}), with a baseline and a target"
        )
    return Failing(
        "measurable",
        "no metric, and no objective that supports it is measured",
        suggestion,
        "unmeasured",
    )


def _unachievable(ctx: _Context, item: Finding) -> Failing:
    movers = ctx.movers.get(item.subject, ())
    if movers:
        first = f"the actions moving it ({', '.join(movers)}) must change its pace"
    else:
        first = f"no open action moves {item.subject}: plan one that changes its pace"
    return Failing(
        "achievable",
        item.message,
        f"{first}, or set a target (or a later target period) that its last year supports",
        "unachievable_rate",
    )


def _infeasible(ctx: _Context, objective: Objective) -> Failing:
    schedule = ctx.analysis.schedules[objective.id]
    path = " -> ".join(schedule.critical)
    return Failing(
        "achievable",
        f"its actions cannot finish in time: {schedule.days_late} days late on the "
        f"critical path {path}",
        f"shorten, overlap or staff {path}, or give them later due dates",
        "infeasible_schedule",
    )


def _level_above(objective: Objective) -> str:
    return LEVELS[max(LEVELS.index(objective.level) - 1, 0)]


def _link_suggestion(ctx: _Context, objective: Objective, fallback: str) -> str:
    parent = ctx.parent_for(objective) if ctx.parent_for is not None else None
    if parent is None:
        return fallback
    why = f" ({'; '.join(parent.reasons)})" if parent.reasons else ""
    return f"link it to {parent.objective} '{parent.title}'{why}"


def _orphan(ctx: _Context, objective: Objective) -> Failing:
    above = _level_above(objective)
    return Failing(
        "relevant",
        "it supports no objective, so it does not trace up to a breakthrough objective",
        _link_suggestion(ctx, objective, f"link it to the {above} objective it serves"),
        "orphan",
    )


def _unaligned(ctx: _Context, objective: Objective) -> Failing | None:
    """An objective whose supports lead to no breakthrough (the engine flags only the
    objective where the chain stops: an orphan)."""
    if objective.level == "breakthrough" or not objective.supports:
        return None
    if ctx.reaches.get(objective.id, True):
        return None
    parents = ", ".join(objective.supports)
    return Failing(
        "relevant",
        f"it supports {parents}, which does not trace up to a breakthrough objective",
        _link_suggestion(
            ctx,
            objective,
            f"link {parents} up to the objective it serves, or link this one to a "
            f"{_level_above(objective)} objective that does",
        ),
        "unaligned",
    )


def _no_deadline(ctx: _Context, objective: Objective) -> Failing:
    month, why = _deadline(ctx, objective)
    return Failing(
        "time_bound",
        "it has no end month, so nothing can be planned back from its deadline",
        f"end it by {month} ({why})",
        "no_deadline",
    )


def _end_or_deadline(ctx: _Context, objective: Objective) -> Month:
    """Its end month, else the deadline the review suggests for it."""
    return objective.end if objective.end is not None else _deadline(ctx, objective)[0]


def _first_end(ctx: _Context, objective: Objective) -> tuple[Objective, Month] | None:
    """Of the objectives it supports, the one that ends first, and its end."""
    ends = [
        (parent, parent.end)
        for parent in (ctx.by_id.get(key) for key in objective.supports)
        if parent is not None and parent.end is not None
    ]
    return min(ends, key=lambda pair: pair[1]) if ends else None


def _deadline(ctx: _Context, objective: Objective) -> tuple[Month, str]:
    """The end month to suggest, and why: the end of what it supports, the fiscal year's
    end (an annual objective's, or when nothing it supports ends), or for a breakthrough
    the vision's horizon."""
    fiscal_start = ctx.plan.organization.fiscal_year_start
    day = ctx.analysis.as_of
    if objective.start is not None:
        day = max(day, objective.start.first_day())
    this_year = fiscal_year_of(day, fiscal_start)
    if objective.level == "breakthrough":
        horizon = ctx.plan.vision.horizon
        if horizon is not None:
            return Month.of(horizon, 12), "the vision's horizon"
        later = fiscal_year(this_year.year + BREAKTHROUGH_YEARS, fiscal_start)
        return later.last, f"the end of fiscal year {later.year}, {BREAKTHROUGH_YEARS} years on"
    first = _first_end(ctx, objective)
    if first is not None and (objective.level != "annual" or first[1] <= this_year.last):
        return first[1], f"the end of {first[0].id}, which it supports"
    return this_year.last, f"the end of fiscal year {this_year.year}"


def _late_end(ctx: _Context, objective: Objective) -> Failing | None:
    """An end after the end of what it supports, or after the vision's horizon."""
    end = objective.end
    if end is None:
        return None
    first = _first_end(ctx, objective)
    if first is not None and end > first[1]:
        parent, parent_end = first
        return Failing(
            "time_bound",
            f"it ends {end}, after the end of {parent.id} '{parent.title}' ({parent_end}), "
            "which it supports",
            f"end it by {parent_end}, or let it support an objective that runs as long",
            "late_end",
        )
    horizon = ctx.plan.vision.horizon
    if horizon is not None and end.year > horizon:
        return Failing(
            "time_bound",
            f"it ends {end}, after the vision's horizon ({horizon})",
            f"end it by {Month.of(horizon, 12)}, or move the vision's horizon",
            "past_horizon",
        )
    return None

"""The A3 report of an objective: one A3 landscape page in the Toyota layout.

Left half: the title block, 1 Background (what it supports, up to the breakthrough and the
vision), 2 Current condition (each metric's chart and this fiscal year's bowling chart),
3 Target. Right half: 4 Analysis and countermeasures, 5 Action plan (the backward
schedule), 6 Follow-up (the next review, the open risks). Every figure is the engine's
(hoshin.domain); this module only picks and orders them. An A3 is one sheet whatever the
objective's size: each list is cut at its cap and says how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from hoshin.domain.analysis import Analysis
from hoshin.domain.chart import metric_chart
from hoshin.domain.figures import decimals, figure
from hoshin.domain.model import Action, Countermeasure, Metric, Objective, Plan, Risk
from hoshin.domain.months import Month
from hoshin.domain.schedule import ActionDates
from hoshin.domain.status import bowling
from hoshin.domain.trajectory import course
from hoshin.errors import NotFound
from hoshin.service.analysis import Analysed
from hoshin.service.document import source
from hoshin.service.document.pdf import render_pdf
from hoshin.service.review import RecordedReview, find_recorded_review
from hoshin.store import organization as org_store
from hoshin.store.organization import OrganizationRow

# What one sheet holds (tests/service/test_a3.py prints a plan with more of each on 1 page).
METRICS_SHOWN = 6
CHAINS_SHOWN = 3  # paths up to the breakthrough
PATHS_COUNTED = 100  # paths walked at most: a tree of many links is counted to here
COUNTERMEASURES_SHOWN = 6
ACTIONS_SHOWN = 10
RISKS_SHOWN = 4
TEXT_SHOWN = 80  # characters of a cause, an effect, a risk or a contingency
TITLE_SHOWN = 60  # characters of an action's or a supported objective's title


class Link(NamedTuple):
    """A step up the chain: the objective supported, with the weight of the link."""

    objective: Objective
    weight: float


class Step(NamedTuple):
    """An action of the plan: its schedule, and the days it is late (0 when on time)."""

    action: Action
    owner: str
    dates: ActionDates
    critical: bool
    late_days: int


@dataclass(frozen=True, slots=True)
class Shown:
    """The first items of a list, and how many more there are."""

    items: list[Any]
    more: int


def a3_context(
    plan: Plan, analysis: Analysis, key: str, *, next_review: RecordedReview | None = None
) -> dict[str, Any]:
    """What the A3 of objective ``key`` shows (documents/a3.html); NotFound without it."""
    objectives = {o.id: o for o in plan.objectives}
    objective = objectives.get(key)
    if objective is None:
        raise NotFound(f"no objective '{key}'")
    people = {p.id: p.name for p in plan.people}
    units = {u.id: u.name for u in plan.units}
    month = Month.of_date(analysis.as_of)
    fiscal = plan.organization.fiscal_year_start
    actions = [a for a in plan.actions if key in a.serves]
    ids = {m.id for m in objective.metrics}
    measures = [c for c in plan.countermeasures if c.metric in ids]
    return {
        "organization": plan.organization.name,
        "as_of": analysis.as_of,
        "objective": objective,
        "owner": people.get(objective.owner or "", objective.owner or "\u2013"),
        "unit": units.get(objective.unit or "", objective.unit or "\u2013"),
        "result": analysis.objectives[key],
        "vision": plan.vision.statement,
        "chains": _cut(chains_up(objectives, objective), CHAINS_SHOWN),
        "metrics": _cut(
            [_metric(m, analysis, month, fiscal) for m in objective.metrics],
            METRICS_SHOWN,
        ),
        "chart_size": chart_size(min(len(objective.metrics), METRICS_SHOWN)),
        "countermeasures": _cut(_open_first(measures), COUNTERMEASURES_SHOWN),
        "metric_names": {m.id: m.name for m in objective.metrics},
        "schedule": analysis.schedules.get(key),
        "steps": _cut(action_steps(actions, analysis, key, people), ACTIONS_SHOWN),
        "next_review": review_words(next_review, objective, units, month),
        "risks": _cut(open_risks(actions), RISKS_SHOWN),
        "people": people,
        "clip": clip,
        "title_shown": TITLE_SHOWN,
    }  # fmt: skip


def a3_pdf(
    plan: Plan, analysis: Analysis, key: str, *, next_review: RecordedReview | None = None
) -> bytes:
    """The A3 report of objective ``key`` as a one-page PDF; NotFound without it."""
    return render_pdf("a3.html", a3_context(plan, analysis, key, next_review=next_review))


def organization_a3(session: Session, *, org: OrganizationRow, found: Analysed, key: str) -> bytes:
    """The A3 of an organisation's objective ``key``, with its unit's next recorded review."""
    hit = found.objective(key)  # no pass over the plan when the cache knows where it is
    objective = hit[0] if hit else next((o for o in found.plan.objectives if o.id == key), None)
    review = None
    if objective is not None and objective.unit is not None:
        review = next_recorded_review(
            session, org=org, unit=objective.unit, as_of=found.analysis.as_of
        )
    return a3_pdf(found.plan, found.analysis, key, next_review=review)


def stored_a3(session: Session, *, slug: str, key: str, as_of: date) -> bytes:
    """The A3 of objective ``key`` of the organisation ``slug`` (the CLI's ``--org``)."""
    org = org_store.get_organization(session, slug=slug)
    found = source.of_organization(session, slug=slug, as_of=as_of)
    return organization_a3(session, org=org, found=found, key=key)


def next_recorded_review(
    session: Session, *, org: OrganizationRow, unit: str, as_of: date
) -> RecordedReview | None:
    """The unit's review of this month or the next whose meeting is on or after ``as_of``."""
    month = Month.of_date(as_of)
    for period in (month, month + 1):
        review = find_recorded_review(session, org=org, unit=unit, period=period)
        meets = None if review is None else review.meeting_at
        if meets is not None and meets.date() >= as_of:
            return review
    return None


def review_words(
    review: RecordedReview | None, objective: Objective, units: dict[str, str], month: Month
) -> str:
    """The next review in words: the scheduled meeting, else the next month's review of the
    objective's unit (a plan file knows no meetings)."""
    unit = units.get(objective.unit or "", objective.unit or "")
    if review is not None and review.meeting_at is not None:
        at = review.meeting_at.strftime("%Y-%m-%d %H:%M UTC")
        return f"monthly review of {unit or review.unit}, {review.period}: {at}"
    if not unit:
        return f"monthly review, {month + 1}"
    return f"monthly review of {unit}, {month + 1}"


def chart_size(charts: int) -> tuple[int, int]:
    """Width and height (points) of each metric's chart: up to three take the half's width,
    one under the other (their bowling charts read at a fair size), lower as they are more;
    four to six go two a row."""
    if charts <= 3:
        return 540, (190, 190, 140, 105)[charts]
    return (270, 115) if charts == 4 else (270, 90)


def chains_up(objectives: dict[str, Objective], objective: Objective) -> list[list[Link]]:
    """Every path from ``objective`` up the supports links to an objective that supports
    nothing (a breakthrough), each step with its weight; a loop is cut where it closes."""
    paths: list[list[Link]] = []

    def climb(current: Objective, path: list[Link], seen: set[str]) -> None:
        ups = [(p, w) for p, w in current.supports.items() if p in objectives and p not in seen]
        if not ups:
            if path:
                paths.append(path)
            return
        for parent, weight in ups:
            if len(paths) >= PATHS_COUNTED:  # a wide tree: enough to say "and N more"
                return
            climb(objectives[parent], [*path, Link(objectives[parent], weight)], seen | {parent})

    climb(objective, [], {objective.id})
    return paths


def action_steps(
    actions: list[Action], analysis: Analysis, key: str, people: dict[str, str]
) -> list[Step]:
    """The actions serving ``key`` as the backward schedule has them, by latest start
    (unscheduled last); late days are the negative slack."""
    schedule = analysis.schedules.get(key)
    critical = set(schedule.critical) if schedule else set()
    steps = []
    for action in actions:
        dates = analysis.actions.get(action.id, ActionDates())
        slack = dates.slack_days
        owner = people.get(action.owner or "", action.owner or "\u2013")
        late = -slack if slack is not None and slack < 0 else 0
        steps.append(Step(action, owner, dates, action.id in critical, late))
    return sorted(
        steps, key=lambda s: (s.dates.latest_start is None, s.dates.latest_start or date.min)
    )


def open_risks(actions: list[Action]) -> list[tuple[Action, Risk]]:
    """The risks of the actions not done yet, with their contingencies."""
    return [(a, risk) for a in actions if not a.done for risk in a.risks]


def trajectory_words(metric: Metric) -> str:
    """How the metric gets from its baseline to its target, in words."""
    places = decimals(metric)
    path = course(metric)
    if path is None:
        low, high = figure(metric.minimum, places), figure(metric.maximum, places)
        return f"keep between {low} and {high}"
    start, end = figure(path.baseline, places), figure(path.target, places)
    said = f"from {start} in {path.start} to {end} by {path.end}"
    if metric.rate_per_year is not None:
        said = f"compound, {metric.rate_per_year:+.0%} a year, {said}"
    elif path.compound:
        said = f"compound, {said}"
    else:
        said = f"linear, {said}"
    if path.overrides:
        said += (
            f"; {len(path.overrides)} month{'s' if len(path.overrides) != 1 else ''} set by hand"
        )
    return said


def clip(text: str | None, most: int = TEXT_SHOWN) -> str:
    """``text`` cut to ``most`` characters with an ellipsis; an en dash for none."""
    if not text:
        return "\u2013"
    return text if len(text) <= most else text[: most - 1].rstrip() + "\u2026"


def _metric(metric: Metric, analysis: Analysis, month: Month, fiscal: int) -> dict[str, Any]:
    places = decimals(metric)
    cells = bowling(metric, month, fiscal)
    path = course(metric)
    return {
        "metric": metric,
        "result": analysis.metrics[metric.id],
        "places": places,
        "chart": metric_chart(metric, month),
        "bowling": cells,
        "caption": f"Bowling chart, fiscal year from {cells[0].period}",
        "target": None if path is None else path.target,
        "by": None if path is None else path.end,
        "year_end": cells[-1],
        "trajectory": trajectory_words(metric),
    }


def _open_first(measures: list[Countermeasure]) -> list[Countermeasure]:
    """Open countermeasures first (newest month first), then the closed ones."""
    return sorted(measures, key=lambda c: (c.status == "closed", -int(c.period)))


def _cut(items: list[Any], most: int) -> Shown:
    return Shown(items[:most], max(0, len(items) - most))

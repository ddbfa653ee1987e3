"""The guided start's forms as values: the typed fields in, the plan's entities out, each
problem noted at its field (pure: the services then check the plan's rules)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from hoshin.domain.annual import fiscal_year_of
from hoshin.domain.ids import id_from_title, unique_id
from hoshin.domain.model import Direction, Metric, Objective, Person, Plan, Unit
from hoshin.domain.months import Month
from hoshin.web.forms import TRAJECTORIES, Reader

COURSES: tuple[Direction, ...] = ("increase", "decrease")  # a breakthrough moves a number


@dataclass(frozen=True, slots=True)
class Measured:
    """A new objective and the metric that measures it."""

    objective: Objective
    metric: Metric


def taken_ids(plan: Plan) -> set[str]:
    """The ids the plan uses already (objectives and metrics share no id)."""
    return {o.id for o in plan.objectives} | {m.id for m in plan.metrics()}


def _trajectory_metric(read: Reader, key: str, *, now: Month, until: Month | None) -> Metric:
    """The metric of the form's fields: from ``baseline`` now to ``target`` by ``until``."""
    baseline, target = read.number("baseline"), read.number("target")
    for name, value in (("baseline", baseline), ("target", target)):
        if value is None and name not in read.problems:
            read.note(name, "required")
    direction = read.choice("direction", COURSES, "increase")
    return Metric(
        id=key, name=read.required("name", "line"), direction=direction,  # type: ignore[arg-type]
        unit=read.text("unit", "line"), baseline=baseline, baseline_period=now,
        target=target, target_period=until,
        trajectory=read.choice("trajectory", TRAJECTORIES, "linear"),  # type: ignore[arg-type]
    )  # fmt: skip


def breakthrough_of(read: Reader, *, today: date, taken: Collection[str]) -> Measured:
    """A breakthrough objective from this month to its target month, and its metric."""
    now = Month.of_date(today)
    title = read.required("title", "line")
    until = read.month("target_period")
    if until is None and "target_period" not in read.problems:
        read.note("target_period", "required")
    elif until is not None and until <= now:
        read.note("target_period", f"must lie after this month, {now}")
    key = unique_id(id_from_title(title, fallback="breakthrough"), taken)
    metric_key = unique_id(id_from_title(read.fields.get("name", ""), fallback="metric"),
                           {*taken, key})  # fmt: skip
    objective = Objective(key, title, "breakthrough", start=now, end=until)
    return Measured(objective, _trajectory_metric(read, metric_key, now=now, until=until))


def annual_of(read: Reader, *, today: date, fiscal_start: int, plan: Plan) -> Measured:
    """An annual objective supporting a breakthrough, from this month to the end of this
    fiscal year (or the month typed), and its metric."""
    now = Month.of_date(today)
    title = read.required("title", "line")
    parent = read.key("supports", required=True)
    until = read.month("target_period") or fiscal_year_of(today, fiscal_start).last
    if until <= now and "target_period" not in read.problems:
        read.note("target_period", f"must lie after this month, {now}")
    taken = taken_ids(plan)
    key = unique_id(id_from_title(title, fallback="annual"), taken)
    metric_key = unique_id(id_from_title(read.fields.get("name", ""), fallback="metric"),
                           {*taken, key})  # fmt: skip
    objective = Objective(
        key, title, "annual", start=now, end=until, supports={parent: 1.0} if parent else {}
    )
    return Measured(objective, _trajectory_metric(read, metric_key, now=now, until=until))


def unit_of_start(read: Reader, plan: Plan) -> Unit:
    """A unit named in the form (an id made from its name)."""
    name = read.required("unit_name", "line")
    return Unit(unique_id(id_from_title(name, fallback="unit"), {u.id for u in plan.units}), name)


def person_of_start(read: Reader, plan: Plan) -> Person:
    """A person named in the form, in a unit (an id made from their name)."""
    name = read.required("person_name", "line")
    key = unique_id(id_from_title(name, fallback="person"), {p.id for p in plan.people})
    unit = read.key("person_unit")
    return Person(key, name, unit=unit, email=read.text("person_email", "email"))


def preview_metric(read: Reader, *, today: date) -> Metric | None:
    """The metric the breakthrough form describes so far, for its targets before saving;
    None while a figure or the target month is missing or wrong."""
    now = Month.of_date(today)
    until = read.month("target_period")
    metric = _trajectory_metric(read, "preview", now=now, until=until)
    complete = until is not None and until > now and metric.baseline != metric.target
    wrong = {"baseline", "target", "target_period", "trajectory", "direction"} & set(read.problems)
    if not complete or wrong or (metric.trajectory == "compound" and not _positive(metric)):
        return None
    return metric


def _positive(metric: Metric) -> bool:
    """A compound course multiplies: its baseline and target have the same sign, not 0."""
    return (metric.baseline or 0) * (metric.target or 0) > 0

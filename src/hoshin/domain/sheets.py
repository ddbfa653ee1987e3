"""The plan as the tables of a workbook: each sheet's columns and rows.

This module is the one home of the workbook's layout: the writer (xlsx and csv) and the
reader (xlsx back into a plan) both go by ``SHEETS`` and ``PLAN_ITEMS``. A column carries
the plan-file field it is read back into, or none when the engine computes it (progress,
status, the schedule) or it repeats what another column holds (a person's name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from hoshin.domain.analysis import Analysis
from hoshin.domain.model import Action, Metric, Objective, Plan, Strength
from hoshin.domain.months import Month
from hoshin.domain.status import Status, month_status
from hoshin.domain.trajectory import course

# text: a title, an id; number: any number; whole: a whole number; share: a number shown as
# a percentage; month: YYYY-MM (a date cell, the first of the month); day: a date; boolean;
# links: ids with weights and strengths ("B1 (0.6), B2 (weak)"); strengths: ids with their
# strengths only (serves, moves); ids: "a1, a2"; status: the engine's red/amber/green as a
# word, the cell filled in its colour; item: of the kind of the Plan sheet's row's item.
Kind = Literal[
    "text", "number", "whole", "share", "month", "day", "boolean", "links", "strengths", "ids",
    "status", "item",
]  # fmt: skip
Value = str | int | float | bool | Month | date | None
Row = tuple[Value, ...]

# Excel's own limit of rows in a sheet, the header row included.
EXCEL_ROWS = 1_048_576
X_MATRIX = "X-matrix"  # drawn by planfile.xmatrix_sheet; never read back
FILLED: frozenset[str] = frozenset({"green", "amber", "red"})


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, the kind of its cells, the plan-file field it is read back into
    (None: computed, not read back) and, for a cell coloured by another column's status
    (the actual of a month), that column's header."""

    header: str
    kind: Kind
    field: str | None = None
    coloured_by: str | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet's name and columns."""

    name: str
    columns: tuple[Column, ...]
    # (column, status column) index pairs of the cells filled in a status's colour
    fills: tuple[tuple[int, int], ...] = field(init=False)

    def __post_init__(self) -> None:
        headers = [column.header for column in self.columns]
        pairs = [
            (at, at if column.kind == "status" else headers.index(column.coloured_by or ""))
            for at, column in enumerate(self.columns)
            if column.kind == "status" or column.coloured_by is not None
        ]
        object.__setattr__(self, "fills", tuple(pairs))

    @property
    def headers(self) -> tuple[str, ...]:
        """The header row."""
        return tuple(column.header for column in self.columns)

    def column(self, field_name: str) -> Column | None:
        """The column that carries the plan-file field ``field_name``, if any."""
        return next((c for c in self.columns if c.field == field_name), None)


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet and its rows (a generator for the long ones: the largest plan has millions
    of target rows), each a value per column."""

    sheet: Sheet
    rows: Iterable[Row]


def _c(header: str, kind: Kind = "text", field_name: str | None = None) -> Column:
    """An input column; its field is its header in snake case unless given."""
    return Column(header, kind, field_name or header.replace(" ", "_"))


def _computed(header: str, kind: Kind = "text", coloured_by: str | None = None) -> Column:
    return Column(header, kind, None, coloured_by)


OBJECTIVES = Sheet("Objectives", (
    _c("id"), _c("title"), _c("level"), _c("owner"), _computed("owner name"), _c("unit"),
    _computed("unit name"), _c("start", "month"), _c("end", "month"), _c("supports", "links"),
    _c("description"), _c("customer benefit"), _c("tolerance", "share"), _c("addresses", "ids"),
    _computed("progress", "share"), _computed("planned progress", "share"),
    _computed("status", "status"),
))  # fmt: skip
METRICS = Sheet("Metrics", (
    _c("id"), _c("objective"), _c("name"), _c("unit of measure", "text", "unit"), _c("direction"),
    _c("baseline", "number"), _c("baseline period", "month"), _c("target", "number"),
    _c("rate per year", "number"), _c("target period", "month"), _c("trajectory"),
    _c("tolerance", "share"), _c("weight", "number"), _c("frequency"), _c("min", "number"),
    _c("max", "number"), _c("owner"), _computed("current", "number"),
    _computed("planned", "number"), _computed("status", "status"),
))  # fmt: skip
TARGETS = Sheet("Targets", (
    _c("metric"), _c("month", "month"), _computed("plan", "number"),
    Column("actual", "number", "actuals", "status"), _computed("status", "status"),
    _c("target", "number", "targets"),
))  # fmt: skip
ACTIONS = Sheet("Actions", (
    _c("id"), _c("title"), _c("owner"), _computed("owner name"), _c("unit"),
    _c("serves", "strengths"), _c("moves", "strengths"), _c("start", "day"), _c("due", "day"),
    _c("duration days", "whole"), _c("requires", "ids"), _c("done", "boolean"),
    _c("progress", "number"), _c("budget", "number", "resources.budget"),
    _c("fte", "number", "resources.fte"), _computed("latest start", "day"),
    _computed("latest finish", "day"), _computed("slack days", "whole"),
    _computed("critical", "boolean"), _computed("late days", "whole"),
))  # fmt: skip
RISKS = Sheet("Risks", (_c("action"), _c("risk"), _c("level"), _c("trigger"), _c("contingency")))
COUNTERMEASURES = Sheet("Countermeasures", (
    _c("id"), _c("metric"), _c("month", "month", "period"), _c("cause"), _c("action"),
    _c("owner"), _c("due", "day"), _c("status"), _c("effect"),
))  # fmt: skip
SITUATION = Sheet("Situation", (_c("id"), _c("kind"), _c("text")))
PEOPLE = Sheet("People", (_c("id"), _c("name"), _c("unit"), _c("e-mail", "text", "email")))
UNITS = Sheet("Units", (_c("id"), _c("name"), _c("parent"), _c("lead")))
PLAN = Sheet("Plan", (_c("item"), _c("value", "item")))
SHEETS: tuple[Sheet, ...] = (
    OBJECTIVES, METRICS, TARGETS, ACTIONS, RISKS, COUNTERMEASURES, SITUATION, PEOPLE, UNITS,
    PLAN,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A row of the Plan sheet: its name, the plan-file path of its value (dotted; None for
    what is not read back), the kind of the value, and whether it may repeat (one row per
    value of the vision)."""

    name: str
    path: str | None
    kind: Kind
    repeated: bool = False


PLAN_ITEMS: tuple[PlanItem, ...] = (
    PlanItem("format version", "hoshin", "whole"),
    PlanItem("organisation", "organization.name", "text"),
    PlanItem("fiscal year start", "organization.fiscal_year_start", "whole"),
    PlanItem("vision statement", "vision.statement", "text"),
    PlanItem("purpose", "vision.purpose", "text"),
    PlanItem("horizon", "vision.horizon", "whole"),
    PlanItem("value", "vision.values", "text", repeated=True),
    PlanItem("as of", None, "day"),
)
FORMAT_VERSION = 1


def status_word(status: Status) -> str:
    """The status as the cell says it: 'no data' for no_data (as the pages say it)."""
    return status.replace("_", " ")


def weight_text(weight: float) -> str:
    """A link's weight as written in a links cell: 2 for 2.0, else Python's shortest form
    that reads back to the same number."""
    return str(int(weight)) if weight.is_integer() and abs(weight) < 1e15 else repr(weight)


def links_text(
    keys: Iterable[str],
    strengths: Mapping[str, Strength],
    weights: Mapping[str, float] | None = None,
) -> str | None:
    """``B1 (0.6), B2 (0.4, weak), B3``: each id with its weight and strength in brackets,
    weight 1 and strong left out; None for no links."""
    parts = []
    for key in keys:
        notes = []
        weight = None if weights is None else weights[key]
        if weight is not None and weight != 1.0:
            notes.append(weight_text(weight))
        strength = strengths.get(key, "strong")
        if strength != "strong":
            notes.append(strength)
        parts.append(f"{key} ({', '.join(notes)})" if notes else key)
    return ", ".join(parts) or None


@dataclass(frozen=True, slots=True)
class Link:
    """One link read from a links cell; None where the cell leaves the default."""

    key: str
    weight: float | None = None
    strength: Strength | None = None


_LINK = re.compile(r"\s*([^\s,()]+)\s*(?:\(([^()]*)\))?\s*(?:,|$)")
_STRENGTHS: dict[str, Strength] = {"strong": "strong", "medium": "medium", "weak": "weak"}


def parse_links(text: str, *, weighted: bool) -> list[Link]:
    """The links of a links cell; ValueError saying what is wrong. ``weighted``: a link may
    carry a weight (supports), else only a strength (serves, moves)."""
    links: list[Link] = []
    at = 0
    text = text.strip()
    while at < len(text):
        found = _LINK.match(text, at)
        if found is None or found.end() == at:
            raise ValueError(
                f"cannot read {text[at:][:40]!r}: write ids separated by commas, each with "
                "(weight, strength) if not 1 and strong, e.g. B1 (0.6), B2 (weak)"
            )
        links.append(_link(found.group(1), found.group(2), weighted))
        at = found.end()
    return links


def _link(key: str, notes: str | None, weighted: bool) -> Link:
    weight: float | None = None
    strength: Strength | None = None
    for note in (part.strip() for part in (notes or "").split(",")):
        if not note and notes is None:
            continue
        if note.lower() in _STRENGTHS and strength is None:
            strength = _STRENGTHS[note.lower()]
            continue
        if weighted and weight is None:
            try:
                weight = float(note)
                continue
            except ValueError:
                pass
        wanted = "a weight or strong, medium, weak" if weighted else "strong, medium or weak"
        raise ValueError(f"'{note}' after {key} is not {wanted}")
    return Link(key, weight, strength)


def ids_text(keys: Iterable[str]) -> str | None:
    """``a1, a2``; None for none."""
    return ", ".join(keys) or None


def parse_ids(text: str) -> list[str]:
    """The ids of an ids cell (separated by commas)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def plan_tables(plan: Plan, analysis: Analysis, *, as_of: date) -> list[Table]:
    """Every sheet's rows of ``plan`` and its ``analysis`` at ``as_of`` (but the X-matrix),
    in the workbook's order."""
    people = {person.id: person.name for person in plan.people}
    units = {unit.id: unit.name for unit in plan.units}
    return [
        Table(OBJECTIVES, _objective_rows(plan.objectives, analysis, people, units)),
        Table(METRICS, _metric_rows(plan.objectives, analysis)),
        Table(TARGETS, _target_rows(plan.metrics())),
        Table(ACTIONS, _action_rows(plan.actions, analysis, people)),
        Table(RISKS, [
            (a.id, r.risk, r.level, r.trigger, r.contingency)
            for a in plan.actions for r in a.risks
        ]),
        Table(COUNTERMEASURES, [
            (c.id, c.metric, c.period, c.cause, c.action, c.owner, c.due, c.status, c.effect)
            for c in plan.countermeasures
        ]),
        Table(SITUATION, [(i.id, i.kind, i.text) for i in plan.situation]),
        Table(PEOPLE, [(p.id, p.name, p.unit, p.email) for p in plan.people]),
        Table(UNITS, [(u.id, u.name, u.parent, u.lead) for u in plan.units]),
        Table(PLAN, list(_plan_rows(plan, as_of))),
    ]  # fmt: skip


def _objective_rows(
    objectives: Iterable[Objective],
    analysis: Analysis,
    people: Mapping[str, str],
    units: Mapping[str, str],
) -> Iterator[Row]:
    for o in objectives:
        result = analysis.objectives[o.id]
        supports = links_text(o.supports, o.supports_strength, o.supports)
        yield (
            o.id, o.title, o.level, o.owner, people.get(o.owner or ""), o.unit,
            units.get(o.unit or ""), o.start, o.end, supports, o.description,
            o.customer_benefit, o.tolerance, ids_text(o.addresses), result.progress,
            result.planned_progress,
            status_word(result.status),
        )  # fmt: skip


def _metric_rows(objectives: Iterable[Objective], analysis: Analysis) -> Iterator[Row]:
    for o in objectives:
        for m in o.metrics:
            result = analysis.metrics[m.id]
            yield (
                m.id, o.id, m.name, m.unit, m.direction, m.baseline, m.baseline_period,
                m.target, m.rate_per_year, m.target_period, m.trajectory, m.tolerance,
                m.weight, m.frequency, m.minimum, m.maximum, m.owner, result.current,
                result.planned, status_word(result.status),
            )  # fmt: skip


def target_months(metric: Metric) -> list[Month]:
    """The months of a metric's Targets rows: every month of its course (baseline period to
    target period), and every month with an actual or an explicit target, in order."""
    months: set[int] = set(metric.actuals) | set(metric.targets)
    if metric.direction != "maintain" and metric.baseline_period and metric.target_period:
        months.update(range(metric.baseline_period, metric.target_period + 1))
    return [Month(month) for month in sorted(months)]


def _target_rows(metrics: Iterable[Metric]) -> Iterator[Row]:
    """One row per metric and month: the engine's plan (trajectory.course) and the status of
    the month's actual (status.month_status), the numbers of the bowling chart."""
    for metric in metrics:
        path = course(metric)
        actuals, targets = metric.actuals, metric.targets
        for month in target_months(metric):
            actual = actuals.get(month)
            status = None if actual is None else month_status(metric, path, month, actual)
            yield (
                metric.id,
                month,
                None if path is None else path.planned(month),
                actual,
                None if status is None else status_word(status),
                targets.get(month),
            )


def _action_rows(
    actions: Iterable[Action], analysis: Analysis, people: Mapping[str, str]
) -> Iterator[Row]:
    critical = {key for schedule in analysis.schedules.values() for key in schedule.critical}
    as_of = analysis.as_of
    for a in actions:
        dates = analysis.actions[a.id]
        # late as the late_action finding says it: past due and not done
        late = (as_of - a.due).days if not a.done and a.due is not None and a.due < as_of else None
        yield (
            a.id, a.title, a.owner, people.get(a.owner or ""), a.unit,
            links_text(a.serves, a.serves_strength), links_text(a.moves, a.moves_strength),
            a.start, a.due, a.duration_days, ids_text(a.requires), a.done, a.progress,
            a.budget, a.fte, dates.latest_start, dates.latest_finish, dates.slack_days,
            a.id in critical, late,
        )  # fmt: skip


def _plan_rows(plan: Plan, as_of: date) -> Iterator[Row]:
    vision = plan.vision
    values: dict[str, Value] = {
        "format version": FORMAT_VERSION,
        "organisation": plan.organization.name,
        "fiscal year start": plan.organization.fiscal_year_start,
        "vision statement": vision.statement or None,
        "purpose": vision.purpose or None,
        "horizon": vision.horizon,
        "as of": as_of,
    }
    for item in PLAN_ITEMS:
        if item.repeated:
            yield from ((item.name, value) for value in vision.values)
        else:
            yield (item.name, values[item.name])

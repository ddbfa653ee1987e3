"""Writes a ``Plan`` as a plan file; reading it back gives the same plan."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from hoshin.domain.model import (
    DEFAULT_TOLERANCE,
    Action,
    Countermeasure,
    Metric,
    Objective,
    Plan,
    Risk,
)
from hoshin.domain.months import Month

Data = dict[str, Any]


class _Flow(dict[str, Any]):
    """A mapping written on one line: monthly actuals and targets read best as a row."""


class _Dumper(yaml.CSafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        """Never an alias: a date two actions share would be written &id001 and *id001."""
        return True


def _flow(dumper: _Dumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _number(dumper: _Dumper, value: float) -> yaml.Node:
    if value.is_integer() and abs(value) < 1e15:
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


# What the reader (yaml-rs: YAML 1.2, and digits grouped by '_') reads as a number when it
# is left plain ('08', '1e3', '_7', '-.5', '0x1f', '.inf'), and text with a line or
# paragraph separator, which only a double-quoted scalar keeps (as the escapes \L and \P).
# PyYAML itself quotes what YAML 1.1 would misread ('true', 'null', '2026-01-05').
_NUMBER_LIKE = re.compile(
    r"[-+]?(?:[0-9_]*\.?[0-9_]+(?:e[-+]?[0-9_]+)?|[0-9_]+\.|0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+"
    r"|\.?(?:inf|nan))",
    re.I,
)
_SEPARATOR = re.compile("[\x85\u2028\u2029]")


def _string(dumper: _Dumper, value: str) -> yaml.Node:
    quoted = _NUMBER_LIKE.fullmatch(value) or _SEPARATOR.search(value)
    style = '"' if quoted else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(float, _number)
_Dumper.add_representer(str, _string)


def dump_plan(plan: Plan) -> str:
    """The plan as YAML text, in the key order of the format."""
    return yaml.dump(
        plan_to_data(plan),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def plan_to_data(plan: Plan) -> Data:
    """The plan as plain data in the file format (months as text, dates as dates)."""
    data: Data = {"hoshin": 1, "organization": {"name": plan.organization.name}}
    if plan.organization.fiscal_year_start != 1:
        data["organization"]["fiscal_year_start"] = plan.organization.fiscal_year_start
    vision = plan.vision
    data["vision"] = _compact(
        {
            "statement": vision.statement or None,
            "purpose": vision.purpose or None,
            "horizon": vision.horizon,
            "values": list(vision.values) or None,
        }
    )
    data["situation"] = [{"id": i.id, "kind": i.kind, "text": i.text} for i in plan.situation]
    data["units"] = [
        _compact({"id": u.id, "name": u.name, "parent": u.parent, "lead": u.lead})
        for u in plan.units
    ]
    data["people"] = [
        _compact({"id": p.id, "name": p.name, "unit": p.unit, "email": p.email})
        for p in plan.people
    ]
    data["objectives"] = [_objective(o) for o in plan.objectives]
    data["actions"] = [_action(a) for a in plan.actions]
    data["countermeasures"] = [_countermeasure(c) for c in plan.countermeasures]
    return {key: value for key, value in data.items() if value not in ([], {})}


def _compact(data: Data) -> Data:
    """Leaves out keys whose value is None (the format's default)."""
    return {key: value for key, value in data.items() if value is not None}


def _months(values: Mapping[Month, float]) -> _Flow | None:
    return _Flow({str(m): values[m] for m in sorted(values)}) if values else None


def _supports(objective: Objective) -> list[str] | dict[str, Any] | None:
    """The shortest ``supports`` that reads back: a list when every link is strong with
    weight 1, else a map of id to the weight, or to ``{weight, strength}`` (weight 1 left out)
    for a link that is not strong."""
    if not objective.supports:
        return None
    strengths = objective.supports_strength
    if not strengths and set(objective.supports.values()) == {1.0}:
        return list(objective.supports)
    return {
        key: weight if key not in strengths
        else _Flow(_compact({"weight": _unless(weight, 1.0), "strength": strengths[key]}))
        for key, weight in objective.supports.items()
    }  # fmt: skip


def _links(keys: tuple[str, ...], strengths: Mapping[str, str]) -> list[str] | Data | None:
    """``serves`` or ``moves``: a list of ids when every link is strong, else a map of id to
    strength."""
    if not strengths:
        return list(keys) or None
    return {key: strengths.get(key, "strong") for key in keys}


def _objective(objective: Objective) -> Data:
    supports = _supports(objective)
    return _compact(
        {
            "id": objective.id,
            "title": objective.title,
            "level": objective.level,
            "owner": objective.owner,
            "unit": objective.unit,
            "start": _text(objective.start),
            "end": _text(objective.end),
            "supports": supports,
            "addresses": list(objective.addresses) or None,
            "customer_benefit": objective.customer_benefit,
            "description": objective.description,
            "tolerance": _unless(objective.tolerance, DEFAULT_TOLERANCE),
            "metrics": [_metric(m) for m in objective.metrics] or None,
        }
    )


def _metric(metric: Metric) -> Data:
    implied = "compound" if metric.rate_per_year is not None else "linear"
    return _compact(
        {
            "id": metric.id,
            "name": metric.name,
            "unit": metric.unit,
            "owner": metric.owner,
            "direction": metric.direction,
            "min": metric.minimum,
            "max": metric.maximum,
            "baseline": metric.baseline,
            "baseline_period": _text(metric.baseline_period),
            "target": metric.target,
            "rate_per_year": metric.rate_per_year,
            "target_period": _text(metric.target_period),
            "trajectory": _unless(metric.trajectory, implied),
            "tolerance": _unless(metric.tolerance, DEFAULT_TOLERANCE),
            "weight": _unless(metric.weight, 1.0),
            "frequency": _unless(metric.frequency, "monthly"),
            "targets": _months(metric.targets),
            "actuals": _months(metric.actuals),
        }
    )


def _action(action: Action) -> Data:
    resources = _compact({"budget": action.budget, "fte": action.fte})
    return _compact(
        {
            "id": action.id,
            "title": action.title,
            "owner": action.owner,
            "unit": action.unit,
            "serves": _links(action.serves, action.serves_strength),
            "moves": _links(action.moves, action.moves_strength),
            "start": action.start,
            "due": action.due,
            "duration_days": action.duration_days,
            "requires": list(action.requires) or None,
            "done": action.done or None,
            "progress": action.progress or None,
            "resources": resources or None,
            "risks": [_risk(r) for r in action.risks] or None,
        }
    )


def _risk(risk: Risk) -> Data:
    return _compact(
        {
            "risk": risk.risk,
            "level": risk.level,
            "trigger": risk.trigger,
            "contingency": risk.contingency,
        }
    )


def _countermeasure(measure: Countermeasure) -> Data:
    return _compact(
        {
            "id": measure.id,
            "metric": measure.metric,
            "period": str(measure.period),
            "cause": measure.cause,
            "action": measure.action,
            "owner": measure.owner,
            "due": measure.due,
            "status": measure.status,
            "effect": measure.effect,
        }
    )


def _text(month: Month | None) -> str | None:
    return None if month is None else str(month)


def _unless(value: Any, default: Any) -> Any:
    return None if value == default else value

"""The stored state of a plan entity (as the service returns it) as the text its form
shows, and what changed meanwhile (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hoshin.web.forms import Fields, strength_field


def shown(value: Any) -> str:
    """A stored value as a form shows it: '' for none, 45000 not 45000.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def values_of(state: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    """The form's text of an entity's stored state (as the service returns it)."""
    return {name: shown(state.get(name)) for name in names}


def vision_values(state: Mapping[str, Any]) -> dict[str, str]:
    """The vision form's text: the values one a line."""
    values = values_of(state, ("statement", "purpose", "horizon"))
    return {**values, "values": "\n".join(state.get("values") or [])}


def objective_values(state: Mapping[str, Any]) -> dict[str, str]:
    """The objective form's text, a row per ``supports`` link."""
    names = ("id", "title", "level", "owner", "unit", "start", "end", "tolerance",
             "customer_benefit", "description")  # fmt: skip
    values = values_of(state, names)
    strengths = state.get("supports_strength") or {}
    for row, (parent, weight) in enumerate((state.get("supports") or {}).items()):
        values[f"supports-{row}-id"] = parent
        values[f"supports-{row}-weight"] = shown(weight)
        values[f"supports-{row}-strength"] = strengths.get(parent, "strong")
    values.update({f"address:{key}": "on" for key in state.get("addresses") or []})
    return values


def metric_values(state: Mapping[str, Any]) -> dict[str, str]:
    """The metric form's text, the planned values of given months one a line."""
    names = ("id", "name", "unit", "direction", "baseline", "baseline_period", "target",
             "rate_per_year", "target_period", "trajectory", "tolerance", "weight", "frequency",
             "min", "max", "owner")  # fmt: skip
    targets = state.get("targets") or {}
    lines = "\n".join(f"{month}: {shown(value)}" for month, value in sorted(targets.items()))
    return {**values_of(state, names), "targets": lines}


def action_values(state: Mapping[str, Any]) -> dict[str, str]:
    """The action form's text: links as comma-separated ids, a row per risk."""
    names = ("id", "title", "owner", "unit", "start", "due", "duration_days", "done", "progress")
    values = values_of(state, names)
    for name in ("serves", "moves", "requires"):
        values[name] = ", ".join(state.get(name) or [])
    for name in ("serves", "moves"):
        for key, strength in (state.get(f"{name}_strength") or {}).items():
            values[strength_field(name, key)] = strength
    resources = state.get("resources") or {}
    values.update(budget=shown(resources.get("budget")), fte=shown(resources.get("fte")))
    for row, risk in enumerate(state.get("risks") or []):
        values[f"risks-{row}-risk"] = shown(risk.get("risk"))
        values[f"risks-{row}-contingency"] = shown(risk.get("contingency"))
        values[f"risks-{row}-level"] = shown(risk.get("level"))
        values[f"risks-{row}-trigger"] = shown(risk.get("trigger"))
    return values


def differences(typed: Fields, saved: Fields) -> list[tuple[str, str]]:
    """(field, saved value) of each field whose saved value is not what was typed."""
    names = dict.fromkeys([*saved, *typed])
    return [
        (name, saved.get(name, "")) for name in names
        if "-new-" not in name and name != "version"
        and saved.get(name, "").strip() != typed.get(name, "").strip()
    ]  # fmt: skip

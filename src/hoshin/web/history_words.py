"""How a changed field of an objective, a metric or a countermeasure reads in its history
(web.history): its name as people say it ("due date", "unit of measure") and its values in
words: people and units by name, a status as "in progress", a metric's figures at its
precision, a tolerance as a percentage, free text in quotes (a long one named only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from hoshin.domain.figures import decimals, figure, number
from hoshin.domain.model import Metric
from hoshin.web.names import Names

NOT_SAID = {"version", "updated_at", "position", "id", "objective"}  # bookkeeping, not news
LONGEST = 60  # a changed value longer than this is named, not quoted
STATUS = {"open": "open", "in_progress": "in progress", "closed": "closed"}
STRONG = "strong"

# A field's name as people say it, where it is not the field's own with spaces.
LABELS = {
    ("objective", "start"): "start month",
    ("objective", "end"): "end month",
    ("objective", "supports"): "supported objectives",
    ("metric", "unit"): "unit of measure",
    ("metric", "baseline_period"): "baseline month",
    ("metric", "target_period"): "target month",
    ("metric", "min"): "minimum",
    ("metric", "max"): "maximum",
    ("metric", "targets"): "monthly targets",
    ("countermeasure", "due"): "due date",
    ("countermeasure", "period"): "month",
}
PEOPLE = {
    ("objective", "owner"),
    ("countermeasure", "owner"),
    ("metric", "owner"),
    ("unit", "lead"),
}
UNITS = {("objective", "unit")}
TEXT = {"title", "customer_benefit", "description", "cause", "action", "effect", "name"}
FIGURES = {"baseline", "target", "min", "max"}  # in the metric's own precision
SHARES = {"tolerance", "rate_per_year"}  # fractions: 0.1 is 10%


@dataclass(frozen=True, slots=True)
class Words:
    """What the history names things with: the objective's metrics by id, and the plan's
    names of people and units."""

    metrics: Mapping[str, Metric]
    names: Names


class Change(NamedTuple):
    """A field that changed, as said: its values in words (None: it had none; both None
    when a value is too long to quote, and the field is only named)."""

    field: str
    label: str
    old: str | None
    new: str | None
    named: bool = False

    def sentence(self, subject: str) -> str:
        """The change alone: 'changed the owner of the objective A1 from X to Y'."""
        if self.named:
            return f"changed the {self.label} of {subject}"
        if self.old is None:
            return f"set the {self.label} of {subject} to {self.new}"
        if self.new is None:
            return f"cleared the {self.label} of {subject} (was {self.old})"
        return f"changed the {self.label} of {subject} from {self.old} to {self.new}"

    def clause(self) -> str:
        """The change among others: 'the owner from X to Y', 'the due date to 2026-12-15'."""
        if self.named:
            return f"the {self.label}"
        if self.old is None:
            return f"the {self.label} to {self.new}"
        return f"the {self.label} from {self.old} to {said(self.new)}"


def changes(
    entity: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    words: Words,
) -> list[Change]:
    """The fields that differ between ``before`` and ``after``, in their order, as said."""
    before, after = before or {}, after or {}
    key = str(after.get("id") or before.get("id") or "")
    metric = words.metrics.get(key) if entity == "metric" else None
    fields = dict.fromkeys([*before, *after])
    found = (_change(entity, field, before, after, words, metric) for field in fields)
    return [change for change in found if change is not None]


def _change(
    entity: str,
    field: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    words: Words,
    metric: Metric | None,
) -> Change | None:
    if field in NOT_SAID or field == "supports_strength":  # strengths: said with supports
        return None
    label = LABELS.get((entity, field), field.replace("_", " "))
    if field == "supports":
        old, new = _supports(before), _supports(after)
    else:
        raw = before.get(field), after.get(field)
        if raw[0] == raw[1]:
            return None
        if any(isinstance(v, Mapping | list) for v in raw):  # a metric's monthly targets
            return Change(field, label, None, None, named=True)
        old, new = (_value(entity, field, v, words, metric) for v in raw)
    if old == new:
        return None
    if any(v is not None and len(v) > LONGEST for v in (old, new)):
        return Change(field, label, None, None, named=True)
    return Change(field, label, old, new)


def _value(entity: str, field: str, value: Any, words: Words, metric: Metric | None) -> str | None:
    """One value in words; None for none (None, '' or an empty mapping)."""
    if value is None or value == "" or value == {}:
        return None
    if (entity, field) in PEOPLE:
        return words.names.person(str(value))
    if (entity, field) in UNITS:
        return words.names.unit(str(value))
    if field == "status":
        return STATUS.get(str(value), str(value))
    if entity == "countermeasure" and field == "metric":
        known = words.metrics.get(str(value))
        return known.name if known else str(value)
    if field in TEXT or (entity, field) == ("metric", "unit"):
        return f"\u201c{value}\u201d"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)  # a month, a day, a level, a direction: as they read
    if field in SHARES:
        return f"{number(value * 100)}%"
    if field in FIGURES and metric is not None:
        return figure(value, decimals(metric))
    return number(value)


def _supports(state: Mapping[str, Any]) -> str | None:
    """'B1 and B2 (weight 2, medium)': each objective supported, with its weight when not
    1 and its strength when not strong; None for none."""
    weights = state.get("supports") or {}
    strengths = state.get("supports_strength") or {}
    said_ = []
    for parent, weight in weights.items():
        notes = [f"weight {number(weight)}"] if weight != 1 else []
        strength = strengths.get(parent, STRONG)
        notes += [] if strength == STRONG else [str(strength)]
        said_.append(parent + (f" ({', '.join(notes)})" if notes else ""))
    return joined(said_) if said_ else None


def joined(parts: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def said(value: str | None) -> str:
    """A value in words, 'none' for none."""
    return "none" if value is None else value


def quoted(text: str) -> str:
    """Free text, cut to LONGEST characters with an ellipsis."""
    return text if len(text) <= LONGEST else text[: LONGEST - 1].rstrip() + "\u2026"

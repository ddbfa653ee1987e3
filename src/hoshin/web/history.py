"""An objective's history in words: "Margaret Okafor recorded 4.2 for Defects per million,
2026-11", from the audit events (hoshin.service.audit.objective_history).

Pure: the events and the plan's metrics in, sentences out; the page shows each with its
time (static/localtime.js turns the UTC time into the reader's).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from hoshin.domain.figures import decimals, figure
from hoshin.domain.model import Metric
from hoshin.service.audit import Happened

# What each kind of change did, as a verb; any other is said as it is stored.
VERBS = {"create": "added", "update": "changed", "delete": "removed", "import": "imported"}
NOT_SAID = {"version", "updated_at", "position", "id", "objective"}  # bookkeeping, not news
LONGEST = 60  # a changed value longer than this is named, not quoted


class Line(NamedTuple):
    """One change: its UTC time (``when``: its text for those without the page's script),
    what happened in words, and where from."""

    at: datetime
    when: str
    text: str
    origin: str | None


def lines(events: list[Happened], metrics: Mapping[str, Metric]) -> list[Line]:
    """The events as sentences, in their order; ``metrics`` by id name the metrics and give
    their figures the metric's precision."""
    return [_line(event, metrics) for event in events]


def _line(event: Happened, metrics: Mapping[str, Metric]) -> Line:
    at = event.at if event.at.tzinfo is not None else event.at.replace(tzinfo=UTC)
    at = at.astimezone(UTC)
    text = f"{event.who} {_what(event, metrics)}"
    return Line(at, at.strftime("%Y-%m-%d %H:%M UTC"), text, event.origin)


def _what(event: Happened, metrics: Mapping[str, Metric]) -> str:
    if event.entity == "actual":
        return _actual(event, metrics)
    if event.entity == "countermeasure":
        return _countermeasure(event, metrics)
    if event.entity == "metric":
        metric = metrics.get(event.key)
        name = f"metric {metric.name if metric else event.key}"
    else:
        name = f"{event.entity} {event.key}"
    verb = VERBS.get(event.change, event.change)
    changed = _changes(event.before, event.after) if event.change == "update" else ""
    return f"{verb} {name}{changed}"


def _actual(event: Happened, metrics: Mapping[str, Metric]) -> str:
    metric_id, _, period = event.key.partition("/")
    metric = metrics.get(metric_id)
    name = metric.name if metric else metric_id
    places = decimals(metric) if metric else 3

    def value(state: dict[str, Any] | None) -> str:
        figure_ = None if state is None else state.get("value")
        return figure(figure_, places) if isinstance(figure_, int | float) else "?"

    if event.change == "create":
        return f"recorded {value(event.after)} for {name}, {period}"
    if event.change == "update":
        return f"corrected {name}, {period}, from {value(event.before)} to {value(event.after)}"
    return f"{VERBS.get(event.change, event.change)} the actual of {name}, {period}"


def _countermeasure(event: Happened, metrics: Mapping[str, Metric]) -> str:
    state = event.after or event.before or {}
    metric = metrics.get(str(state.get("metric", "")))
    about = f" for {metric.name}, {state.get('period')}" if metric else ""
    if event.change == "create":
        action = state.get("action")
        said = f": {_quoted(action)}" if isinstance(action, str) and action else ""
        return f"opened countermeasure {event.key}{about}{said}"
    verb = VERBS.get(event.change, event.change)
    changed = _changes(event.before, event.after) if event.change == "update" else ""
    return f"{verb} countermeasure {event.key}{about}{changed}"


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """': status open → closed, owner' for the fields that differ (values when short)."""
    before, after = before or {}, after or {}
    fields = [
        field
        for field in dict.fromkeys([*before, *after])
        if field not in NOT_SAID and before.get(field) != after.get(field)
    ]
    if not fields:
        return ""
    return ": " + ", ".join(_change(field, before.get(field), after.get(field)) for field in fields)


def _change(field: str, old: Any, new: Any) -> str:
    name = field.replace("_", " ")
    if _short(old) and _short(new):
        return f"{name} {_said(old)} \u2192 {_said(new)}"
    return name


def _short(value: Any) -> bool:
    return (
        value is None
        or isinstance(value, bool | int | float)
        or (isinstance(value, str) and len(value) <= LONGEST)
    )


def _said(value: Any) -> str:
    return "none" if value is None or value == "" else str(value)


def _quoted(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1].rstrip() + "\u2026"

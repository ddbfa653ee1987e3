"""An objective's history in words: "Margaret Okafor recorded 4.2 for Defects per million,
2026-11" (and the check-in's note, when it has one), "Ana Lima changed the owner of the
objective A1 from Ingrid Larsen to Margaret Okafor", from the audit events
(hoshin.service.audit.objective_history).

Pure: the events, the plan's metrics and its names of people and units in, sentences out;
the page shows each with its time (static/localtime.js turns the UTC time into the
reader's). How each changed field reads is web.history_words'.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from hoshin.domain.figures import decimals, figure
from hoshin.domain.model import Metric
from hoshin.service.audit import Happened
from hoshin.web.history_words import STATUS, Change, Words, changes, joined, quoted, said

# What each kind of change did, as a verb; any other is said as it is stored.
VERBS = {"create": "added", "update": "changed", "delete": "removed", "import": "imported"}


class Line(NamedTuple):
    """One change: its UTC time (``when``: its text for those without the page's script),
    what happened in words, and where from."""

    at: datetime
    when: str
    text: str
    origin: str | None


def lines(events: list[Happened], words: Words) -> list[Line]:
    """The events as sentences, in their order; ``words`` names the metrics (whose figures
    show at the metric's precision), people and units."""
    return [_line(event, words) for event in events]


def _line(event: Happened, words: Words) -> Line:
    at = event.at if event.at.tzinfo is not None else event.at.replace(tzinfo=UTC)
    at = at.astimezone(UTC)
    text = f"{event.who} {_what(event, words)}"
    return Line(at, at.strftime("%Y-%m-%d %H:%M UTC"), text, event.origin)


def _what(event: Happened, words: Words) -> str:
    if event.entity == "actual":
        return _actual(event, words.metrics)
    if event.entity == "countermeasure":
        return _countermeasure(event, words)
    if event.entity == "metric":
        metric = words.metrics.get(event.key)
        subject = f"the metric {metric.name if metric else event.key}"
    else:
        subject = f"the {event.entity} {event.key}"
    if event.change == "update":
        return _changed(subject, changes(event.entity, event.before, event.after, words))
    return f"{VERBS.get(event.change, event.change)} {subject}"


def _actual(event: Happened, metrics: Mapping[str, Metric]) -> str:
    metric_id, _, period = event.key.partition("/")
    metric = metrics.get(metric_id)
    name = metric.name if metric else metric_id
    places = decimals(metric) if metric else 3

    def value(state: dict[str, Any] | None) -> str:
        figure_ = None if state is None else state.get("value")
        return figure(figure_, places) if isinstance(figure_, int | float) else "?"

    if event.change == "create":
        return f"recorded {value(event.after)} for {name}, {period}{_note(event.after)}"
    if event.change == "update":
        return (
            f"corrected {name}, {period}, from {value(event.before)} to {value(event.after)}"
            + _note(event.after)
        )
    return f"{VERBS.get(event.change, event.change)} the actual of {name}, {period}"


def _note(state: Mapping[str, Any] | None) -> str:
    """' — “Plant shut for a week”': the note a check-in was recorded with (a spreadsheet
    row's, kept in its audit event), cut as free text is; '' for none."""
    note = None if state is None else state.get("note")
    return f" \u2014 \u201c{quoted(note)}\u201d" if isinstance(note, str) and note else ""


def _countermeasure(event: Happened, words: Words) -> str:
    state = event.after or event.before or {}
    metric = words.metrics.get(str(state.get("metric", "")))
    about = f" for {metric.name}, {state.get('period')}" if metric else ""
    subject = f"the countermeasure {event.key}{about}"
    if event.change == "create":
        return _opened(subject, state, words)
    if event.change != "update":
        return f"{VERBS.get(event.change, event.change)} {subject}"
    before, after = event.before or {}, event.after or {}
    found = changes("countermeasure", before, after, words)
    if before.get("status") == after.get("status"):
        return _changed(subject, found)
    moved = f"moved {subject} from {_status(before)} to {_status(after)}"
    rest = [change for change in found if change.field != "status"]
    effect = after.get("effect")
    if after.get("status") == "closed" and effect:  # what closing it changed, said with it
        moved += f", effect: {quoted(str(effect))}"
        rest = [change for change in rest if change.field != "effect"]
    if rest:
        moved += ", and changed " + joined([change.clause() for change in rest])
    return moved


def _opened(subject: str, state: Mapping[str, Any], words: Words) -> str:
    """'opened the countermeasure ...: its action, owner Ingrid Larsen, due 2026-12-15';
    one made in progress or closed says so after."""
    action = state.get("action")
    told = [quoted(action)] if isinstance(action, str) and action else []
    if state.get("owner"):
        told.append(f"owner {words.names.person(str(state['owner']))}")
    if state.get("due"):
        told.append(f"due {state['due']}")
    status = str(state.get("status") or "open")
    text = ("opened " if status == "open" else "added ") + subject
    text += (": " + ", ".join(told)) if told else ""
    if status != "open":
        text += f"; already {STATUS.get(status, status)}"
    if status == "closed" and state.get("effect"):
        text += f", effect: {quoted(str(state['effect']))}"
    return text


def _status(state: Mapping[str, Any]) -> str:
    status = state.get("status")
    return said(None) if status is None else STATUS.get(str(status), str(status))


def _changed(subject: str, found: list[Change]) -> str:
    """'changed the owner of the objective A1 from Ingrid Larsen to Margaret Okafor' for
    one change; 'changed the objective A1: the owner from ..., the title from ... and the
    description' for several."""
    if not found:
        return f"changed {subject}"
    if len(found) == 1:
        return found[0].sentence(subject)
    return f"changed {subject}: " + joined([change.clause() for change in found])

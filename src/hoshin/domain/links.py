"""Where each objective and action is in a plan, and its links read backwards: what an
edit needs to find what it reaches without a pass over the whole plan.

``links_of`` builds them in one pass (a full analysis's moment, in the background);
``patched_links`` brings them up to date for the entities a change touched, copying the
maps (in C) and redoing only the entries those entities are in: milliseconds at 50,000
people, where any pass over the plan in Python is tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from hoshin.domain.model import Action, Objective, Plan

Supporters = Mapping[str, tuple[tuple[str, float], ...]]


class _Keyed(Protocol):
    @property
    def id(self) -> str: ...


K = TypeVar("K", bound=_Keyed)


@dataclass(frozen=True, slots=True)
class Links:
    """Places by id, and the supports, serves and requires links from the other end."""

    objective_at: Mapping[str, int]
    action_at: Mapping[str, int]
    supporters: Supporters  # objective -> (child, weight) of the objectives supporting it
    serving: Mapping[str, tuple[str, ...]]  # objective -> the actions serving it
    required_by: Mapping[str, tuple[str, ...]]  # action -> the actions requiring it


def links_of(plan: Plan) -> Links:
    """The links of ``plan``."""
    supporters: dict[str, list[tuple[str, float]]] = {}
    for objective in plan.objectives:
        for parent, weight in objective.supports.items():
            supporters.setdefault(parent, []).append((objective.id, weight))
    serving: dict[str, list[str]] = {}
    required_by: dict[str, list[str]] = {}
    for action in plan.actions:
        for objective_id in action.serves:
            serving.setdefault(objective_id, []).append(action.id)
        for needed in action.requires:
            required_by.setdefault(needed, []).append(action.id)
    return Links(
        objective_at={o.id: at for at, o in enumerate(plan.objectives)},
        action_at={a.id: at for at, a in enumerate(plan.actions)},
        supporters={key: tuple(value) for key, value in supporters.items()},
        serving={key: tuple(value) for key, value in serving.items()},
        required_by={key: tuple(value) for key, value in required_by.items()},
    )


def patched_items(
    items: tuple[K, ...], at: Mapping[str, int], changes: Mapping[str, K | None]
) -> tuple[tuple[K, ...], Mapping[str, int]]:
    """``items`` (objectives or actions, placed by ``at``) with ``changes`` (None: deleted;
    new ones at the end), and the places after."""
    if not changes:
        return items, at
    if any(value is None and key in at for key, value in changes.items()):  # places move
        kept: list[K] = []
        for item in items:
            now = changes.get(item.id, item) if item.id in changes else item
            if now is not None:
                kept.append(now)
        kept += [v for k, v in changes.items() if v is not None and k not in at]
        return tuple(kept), {item.id: place for place, item in enumerate(kept)}
    placed = list(items)
    places = dict(at) if any(key not in at for key in changes) else at
    for key, value in changes.items():
        if value is None:
            continue
        place = places.get(key)
        if place is None:
            places[key] = len(placed)  # type: ignore[index]  # a copy (just above)
            placed.append(value)
        else:
            placed[place] = value
    return tuple(placed), places


def patched_links(
    links: Links,
    old: Plan,
    objectives: Mapping[str, Objective | None],
    actions: Mapping[str, Action | None],
    places: tuple[Mapping[str, int], Mapping[str, int]],
) -> Links:
    """``links`` of ``old`` brought up to date for the changed ``objectives`` and
    ``actions`` (None: deleted), which are now at ``places`` (objectives', actions')."""
    supporters = dict(links.supporters)
    serving = dict(links.serving)
    required_by = dict(links.required_by)
    for key, now in objectives.items():
        at = links.objective_at.get(key)
        before = None if at is None else old.objectives[at]
        for parent in () if before is None else before.supports:
            supporters[parent] = tuple(x for x in supporters.get(parent, ()) if x[0] != key)
        for parent, weight in () if now is None else now.supports.items():
            supporters[parent] = (*supporters.get(parent, ()), (key, weight))
        if now is None:
            supporters.pop(key, None)
            serving.pop(key, None)
    for key, action in actions.items():
        at = links.action_at.get(key)
        before_action = None if at is None else old.actions[at]
        _relink(serving, key, _serves(before_action), _serves(action))
        _relink(required_by, key, _requires(before_action), _requires(action))
        if action is None:
            required_by.pop(key, None)
    return Links(places[0], places[1], supporters, serving, required_by)


def _serves(action: Action | None) -> tuple[str, ...]:
    return () if action is None else action.serves


def _requires(action: Action | None) -> tuple[str, ...]:
    return () if action is None else action.requires


def _relink(
    table: dict[str, tuple[str, ...]], key: str, before: Iterable[str], now: Iterable[str]
) -> None:
    """``key`` moved in ``table`` from the entries ``before`` to those ``now``."""
    for target in before:
        table[target] = tuple(k for k in table.get(target, ()) if k != key)
    for target in now:
        table[target] = (*table.get(target, ()), key)

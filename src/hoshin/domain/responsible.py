"""Who answers for what: a metric's owner (its own, else its objective's) and a unit's chain
of leads going up (its own lead, else the nearest ancestor's; then the leads above), the
people reminders and escalations are sent to (issue 15)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hoshin.domain.model import Metric, Objective, Unit


def metric_owner(metric: Metric, objective: Objective) -> str | None:
    """The person who enters the metric's actuals: its own owner, else its objective's."""
    return metric.owner if metric.owner is not None else objective.owner


def units_by_id(units: Iterable[Unit]) -> dict[str, Unit]:
    """The units keyed by id (the first of a repeated id, as the plan's rules report it)."""
    found: dict[str, Unit] = {}
    for unit in units:
        found.setdefault(unit.id, unit)
    return found


def unit_leads(units: Mapping[str, Unit] | Iterable[Unit], unit_id: str | None) -> tuple[str, ...]:
    """The leads who answer for ``unit_id``, going up: the unit's own lead (or, when it has
    none, the nearest ancestor's: the first level of escalation), then the next lead above
    (the second level), and so on to the top; units without a lead and a person already
    named are skipped. Empty for no unit or an unknown one.

    Pass ``units_by_id(plan.units)`` when asking for many units: a sequence is indexed anew
    on each call. A cycle of parents (which the plan's rules refuse) ends the chain."""
    index = units if isinstance(units, Mapping) else units_by_id(units)
    leads: list[str] = []
    seen: set[str] = set()
    key = unit_id
    while key is not None and key not in seen:
        unit = index.get(key)
        if unit is None:
            break
        seen.add(key)
        if unit.lead is not None and unit.lead not in leads:
            leads.append(unit.lead)
        key = unit.parent
    return tuple(leads)


def escalation_chains(units: Iterable[Unit]) -> dict[str, tuple[str, ...]]:
    """Every unit's ``unit_leads``, keyed by unit id: linear in the units (each chain is
    built on its parent's), for a pass over a whole plan."""
    index = units_by_id(units)
    chains: dict[str, tuple[str, ...]] = {}

    def chain(key: str) -> tuple[str, ...]:
        # Walk up to the first unit whose chain is known (or the top), then fill back down.
        path: list[str] = []
        on_path: set[str] = set()
        at: str | None = key
        while at is not None and at not in chains and at not in on_path and at in index:
            path.append(at)
            on_path.add(at)
            at = index[at].parent
        above: tuple[str, ...] = chains.get(at, ()) if at is not None else ()
        for unit_key in reversed(path):
            lead = index[unit_key].lead
            if lead is not None:  # the nearest place of a person who leads twice counts
                above = (lead, *(other for other in above if other != lead))
            chains[unit_key] = above
        return chains[key]

    for key in index:
        chain(key)
    return chains

"""Which metrics the check-in shows: the month, and the objectives' unit and owner chosen in
its filter (names shown, ids sent), or by default the asker's own; for those who may record
any metric (policy: Act.WORK anywhere), every metric of the organisation.

The groupings are made once per analysis (Analysed.derived), so a page of 50 rows out of
150,000 metrics costs a slice, not a pass over the plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from hoshin.domain.model import Metric, Objective, Plan
from hoshin.domain.months import Month
from hoshin.fields import period_of
from hoshin.service import policy
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.web.deps import Here

Owned = list[tuple[Objective, Metric]]
CHOICES = 200  # more units or owners than this: the filter takes an id typed, not a list


@dataclass(frozen=True, slots=True)
class Scope:
    """The check-in's filter: the month to record, a unit and an owner (None: any), and
    whether it shows every metric (no unit, no owner) or the asker's own (no filter given)."""

    month: Month
    due: Month  # the latest month that can be checked in: the one before the as-of month
    unit: str | None
    owner: str | None
    everyone: bool

    def query(self, here: Here, **more: str | int) -> str:
        """The filter as a query string (``?...``), with the page's day and ``more``."""
        pairs: dict[str, str | int] = {}
        if self.unit is not None:
            pairs["unit"] = self.unit
        if self.owner is not None or self.everyone:
            pairs["owner"] = self.owner or ""
        if self.month != self.due:
            pairs["month"] = str(self.month)
        if here.query():
            pairs["as_of"] = here.as_of.isoformat()
        pairs.update(more)
        return f"?{urlencode(pairs)}" if pairs else ""


def scope_of(here: Here, *, unit: str | None, owner: str | None, month: str | None) -> Scope:
    """The filter asked for. ``owner`` absent (None) is the default: the asker's own metrics
    when they are a person of the plan, else every metric for whoever may record any, else
    none; ``owner`` empty is anyone's. A month after the due one is the due one."""
    due = Month.of_date(here.as_of).minus(1)
    chosen = due if not month else min(period_of(month, "month"), due)
    unit = unit.strip() if unit and unit.strip() else None
    if owner is None and unit is None:
        if here.me.person is not None:
            return Scope(chosen, due, None, here.me.person, False)
        return Scope(chosen, due, None, None, policy.may(here.role, Act.WORK))
    owner = owner.strip() if owner and owner.strip() else None
    return Scope(chosen, due, unit, owner, unit is None and owner is None)


def chosen_metrics(found: Analysed, scope: Scope) -> Owned:
    """The metrics of the objectives the filter names, in plan order."""
    if scope.unit is not None:
        by_unit = found.derived("check-in/by-unit", lambda _: _group(found.plan, "unit"))
        rows = by_unit.get(scope.unit, [])
        return rows if scope.owner is None else [r for r in rows if r[0].owner == scope.owner]
    if scope.owner is not None:
        by_owner = found.derived("check-in/by-owner", lambda _: _group(found.plan, "owner"))
        return by_owner.get(scope.owner, [])
    if scope.everyone:
        return found.derived("check-in/all", lambda _: _all(found.plan))
    return []


@dataclass(frozen=True, slots=True)
class Choices:
    """What the filter offers: units and owners as (id, name), or None when there are more
    than CHOICES (then an id is typed); and every person's and unit's name by id."""

    units: list[tuple[str, str]] | None
    owners: list[tuple[str, str]] | None
    names: dict[str, str]
    unit_names: dict[str, str]


def choices(found: Analysed) -> Choices:
    """The units and the owners of measured objectives, by name (once per analysis)."""
    return found.derived("check-in/choices", lambda _: _choices(found.plan))


def _choices(plan: Plan) -> Choices:
    names = {p.id: p.name or p.id for p in plan.people}
    units = [(u.id, u.name or u.id) for u in plan.units]
    owners = {o.owner for o in plan.objectives if o.owner is not None and o.metrics}
    listed = sorted(((key, names.get(key, key)) for key in owners), key=lambda p: p[1].lower())
    return Choices(
        units if len(units) <= CHOICES else None,
        listed if len(listed) <= CHOICES else None,
        names,
        dict(units),
    )


def _group(plan: Plan, by: str) -> dict[str | None, Owned]:
    """Every objective's metrics, grouped by the objective's ``by`` (unit or owner)."""
    groups: dict[str | None, Owned] = defaultdict(list)
    for o in plan.objectives:
        groups[getattr(o, by)].extend((o, m) for m in o.metrics)
    return dict(groups)


def _all(plan: Plan) -> Owned:
    return [(o, m) for o in plan.objectives for m in o.metrics]

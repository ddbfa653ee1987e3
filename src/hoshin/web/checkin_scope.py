"""Which metrics the check-in shows: the month, and the objectives' unit and owner chosen in
its filter (pickers show names, send ids; a name typed without JavaScript is resolved as in
the plan's forms), or by default the asker's own; for those who may record any metric
(policy: Act.WORK anywhere), every metric of the organisation. Only the metrics whose actual
is due in the month (domain.cadence: a quarterly one in its fiscal quarter's last month).

The groupings and the names are made once per analysis (Analysed.derived), so a page of 50
rows out of 150,000 metrics costs a slice and lookups, not a pass over the plan nor a query
per row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from hoshin.domain.cadence import is_due, latest_due, next_due
from hoshin.domain.model import Metric, Objective, Plan
from hoshin.domain.months import Month
from hoshin.domain.responsible import metric_owner
from hoshin.fields import period_of
from hoshin.runtime.sessions import Session
from hoshin.service import policy
from hoshin.service.analysis import Analysed
from hoshin.service.policy import Act
from hoshin.web.deps import Here
from hoshin.web.forms import Form
from hoshin.web.references import Reference, resolve_names

Owned = list[tuple[Objective, Metric]]
OWNER_CHOICES = 100  # people offered as a countermeasure's owner: the objective's unit, bounded
FILTER = {"unit": Reference("units"), "owner": Reference("people")}


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


def resolved(
    session: Session, here: Here, *, unit: str | None, owner: str | None
) -> tuple[str | None, str | None, dict[str, str]]:
    """The filter's unit and owner as ids: each typed as an id or an exact name (as the
    plan's forms take them; a picker sends the id); the problem of a name several share,
    by field. None and empty stay as they are (the default, and "any")."""
    typed = {key: text for key, text in (("unit", unit), ("owner", owner)) if text}
    form = Form(dict(typed))
    resolve_names(session, here, form, FILTER)
    problems = {key: reasons[0] for key, reasons in form.problems.items()}
    if unit:
        unit = form.value("unit")
    if owner:
        owner = form.value("owner")
    return unit, owner, problems


def chosen_metrics(found: Analysed, scope: Scope) -> Owned:
    """The metrics of the objectives the filter names whose actual is due in the month, in
    plan order."""
    fiscal = found.plan.organization.fiscal_year_start
    return _chosen(found, scope, monthly_only=not is_due("quarterly", scope.month, fiscal))


@dataclass(frozen=True, slots=True)
class Resting:
    """The filter's quarterly metrics that are not due in the month chosen: how many, and
    the quarter ends before and after it (when their actuals are due)."""

    count: int
    before: Month
    after: Month


def resting(found: Analysed, scope: Scope, shown: int) -> Resting | None:
    """The quarterly metrics of the filter left out of the month (``shown`` were due), or
    None when every metric of the filter is due."""
    fiscal = found.plan.organization.fiscal_year_start
    if is_due("quarterly", scope.month, fiscal):
        return None
    count = len(_chosen(found, scope, monthly_only=False)) - shown
    if not count:
        return None
    before = latest_due("quarterly", scope.month, fiscal)
    return Resting(count, before, next_due("quarterly", scope.month, fiscal))


def _chosen(found: Analysed, scope: Scope, *, monthly_only: bool) -> Owned:
    """The metrics of the filter: every one, or the monthly ones only."""
    plan, only = found.plan, "/monthly" if monthly_only else ""
    if scope.unit is not None:
        by_unit = found.derived(
            f"check-in/by-unit{only}", lambda _: _group(plan, "unit", monthly_only)
        )
        rows = by_unit.get(scope.unit, [])
        if scope.owner is None:
            return rows
        return [(o, m) for o, m in rows if metric_owner(m, o) == scope.owner]
    if scope.owner is not None:
        by_owner = found.derived(
            f"check-in/by-owner{only}", lambda _: _group(plan, "owner", monthly_only)
        )
        return by_owner.get(scope.owner, [])
    if scope.everyone:
        return found.derived(f"check-in/all{only}", lambda _: _all(plan, monthly_only))
    return []


@dataclass(frozen=True, slots=True)
class Choices:
    """Every person's and unit's name by id (the pickers' labels and the rows' owners), and
    the first OWNER_CHOICES people of each unit in plan order, (id, name) (a red row's
    countermeasure owners)."""

    names: dict[str, str]
    unit_names: dict[str, str]
    unit_people: dict[str, list[tuple[str, str]]]


def choices(found: Analysed) -> Choices:
    """The people's and units' names and each unit's people (once per analysis: a page of
    rows of many units then asks the database nothing about them)."""
    return found.derived("check-in/choices", lambda _: plan_choices(found.plan))


def plan_choices(plan: Plan) -> Choices:
    """The plan's names and each unit's first OWNER_CHOICES people (one pass over it)."""
    names = {p.id: p.name or p.id for p in plan.people}
    unit_people: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for person in plan.people:
        if person.unit is not None and len(unit_people[person.unit]) < OWNER_CHOICES:
            unit_people[person.unit].append((person.id, names[person.id]))
    return Choices(names, {u.id: u.name or u.id for u in plan.units}, dict(unit_people))


def _metrics(objective: Objective, monthly_only: bool) -> list[tuple[Objective, Metric]]:
    return [
        (objective, m) for m in objective.metrics if not monthly_only or m.frequency == "monthly"
    ]


def _group(plan: Plan, by: str, monthly_only: bool) -> dict[str | None, Owned]:
    """Every objective's metrics (or monthly ones), grouped by the objective's unit (``by``
    "unit") or by the metric's owner ("owner": its own, else its objective's)."""
    groups: dict[str | None, Owned] = defaultdict(list)
    for o in plan.objectives:
        if by == "owner":
            for pair in _metrics(o, monthly_only):
                groups[metric_owner(pair[1], o)].append(pair)
        else:
            groups[getattr(o, by)].extend(_metrics(o, monthly_only))
    return dict(groups)


def _all(plan: Plan, monthly_only: bool) -> Owned:
    return [pair for o in plan.objectives for pair in _metrics(o, monthly_only)]

"""The reminder scheduler's pure core: what is due, to whom, as of a day (issue 15).

Each rule is a small function over records built once per pass (``Missing``, ``Red``,
``Deadline``): an actual due, its escalation, a red metric without a countermeasure, a
deadline coming or passed, and Monday's digest. Every notice goes to a person of the plan;
its key (domain.notices) makes a second pass of the same day tell nothing new.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple
from urllib.parse import quote

from hoshin.domain.analysis import Analysis, paused_gc
from hoshin.domain.awaiting import first_actual_due
from hoshin.domain.cadence import QUARTER, latest_due
from hoshin.domain.model import Frequency, Metric, Objective, Plan
from hoshin.domain.months import Month
from hoshin.domain.notices import Notice
from hoshin.domain.responsible import escalation_chains, metric_owner

ESCALATION_DAYS = 5  # the organisation's default
SOON_DAYS = 7  # a deadline this close is told ahead
LONGEST_LEAD = 27  # lead days beyond this would make a month due before it has begun
DIGEST_SHOWN = 20  # entries of one digest list; the rest are counted
_SAFE = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch  # a part of a path that needs no quoting
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def due_day(month: Month, lead_days: int) -> date:
    """The day ``month``'s actual is due: the day after it ends, ``lead_days`` earlier."""
    lead = max(0, min(lead_days, LONGEST_LEAD))
    return month.last_day() + timedelta(days=1 - lead)


def latest_due_month(frequency: Frequency, as_of: date, lead_days: int, fiscal: int) -> Month:
    """The latest month whose actual is due by ``as_of``: the current month once its due
    day has come, else the one before; for a quarterly metric its fiscal quarter's end."""
    current = Month.of_date(as_of)
    month = current if due_day(current, lead_days) <= as_of else current.minus(1)
    return latest_due(frequency, month, fiscal)


def iso_week(day: date) -> str:
    """The ISO week of ``day``, e.g. '2026-W49': the period of what repeats weekly."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _quoted(part: str) -> str:
    return part if _SAFE(part) else quote(part, safe="")


def month_name(month: Month) -> str:
    """'November 2026'."""
    return f"{MONTH_NAMES[month.number - 1]} {month.year}"


class Missing(NamedTuple):
    """A metric whose latest due actual is missing: its month and the day it was due."""

    objective: Objective
    metric: Metric
    owner: str | None
    unit: str | None  # the objective's unit, else its owner's
    month: Month
    due: date
    title: str  # "November 2026's actual of Defect rate (B1 Cut defects)"
    link: str  # the check-in of its month


class Red(NamedTuple):
    """A metric red in its latest month with an actual; ``answered`` if a countermeasure is."""

    objective: Objective
    metric: Metric
    owner: str | None
    unit: str | None
    month: Month
    answered: bool
    title: str  # "Defect rate (B1 Cut defects) is red in November 2026"
    link: str  # its objective's page


class Deadline(NamedTuple):
    """An open action or countermeasure due within SOON_DAYS, or overdue."""

    kind: str  # action, countermeasure
    item: str
    title: str
    owner: str
    unit: str | None
    due: date
    overdue: bool
    link: str


@dataclass(frozen=True, slots=True)
class Scope:
    """What every rule of one pass reads: the day, the settings and the plan's people."""

    slug: str
    as_of: date
    lead_days: int
    escalation_days: int
    fiscal: int
    names: Mapping[str, str]  # person id -> name: who may be told
    units: Mapping[str, str | None]  # person id -> their unit
    chains: Mapping[str, tuple[str, ...]]  # unit id -> its leads going up
    links: dict[tuple[Month, str | None], str] = field(default_factory=dict)

    def path(self, *parts: str) -> str:
        """A page of the organisation: '/orgs/{slug}/' and the parts, each quoted."""
        return "/".join((f"/orgs/{self.slug}", *(_quoted(part) for part in parts)))

    def check_in(self, month: Month, unit: str | None) -> str:
        """The check-in of ``month``, narrowed to ``unit`` when it is known (a pass asks
        for a few months and units many times: each link is made once)."""
        link = self.links.get((month, unit))
        if link is None:
            narrowed = "" if unit is None else f"&unit={_quoted(unit)}"
            link = self.links[month, unit] = f"/orgs/{self.slug}/check-in?month={month}{narrowed}"
        return link

    def leads(self, unit: str | None, owner: str | None) -> tuple[str, ...]:
        """The leads above ``owner`` for ``unit``, nearest first (an owner who leads the
        unit is not their own escalation)."""
        chain = self.chains.get(unit, ()) if unit is not None else ()
        return chain if owner not in chain else tuple(p for p in chain if p != owner)

    def told(self, people: Iterable[str | None]) -> list[str]:
        """``people`` once each, in order, keeping only those of the plan."""
        return [p for p in dict.fromkeys(people) if p is not None and p in self.names]


def scope_of(plan: Plan, *, as_of: date, slug: str, lead_days: int, escalation_days: int) -> Scope:
    """The scope of one pass over ``plan``: people, their units and every unit's leads."""
    return Scope(
        slug=slug, as_of=as_of, lead_days=lead_days, escalation_days=escalation_days,
        fiscal=plan.organization.fiscal_year_start,
        names={p.id: p.name for p in plan.people}, units={p.id: p.unit for p in plan.people},
        chains=escalation_chains(plan.units),
    )  # fmt: skip


def _unit_of(objective: Objective, owner: str | None, scope: Scope) -> str | None:
    """The unit a metric escalates in: its objective's, else its owner's."""
    if objective.unit is not None or owner is None:
        return objective.unit
    return scope.units.get(owner)


def running(objective: Objective, metric: Metric, month: Month, fiscal: int) -> bool:
    """Whether ``month``'s actual is asked of ``metric``: inside its objective's start..end
    and after its baseline month up to its target month, and not before its first actual is
    due (domain.awaiting)."""
    start, end = objective.start, objective.end
    if (start is not None and month < start) or (end is not None and month > end):
        return False
    baseline, target = metric.baseline_period, metric.target_period
    if (baseline is not None and month <= baseline) or (target is not None and month > target):
        return False
    first = first_actual_due(metric, start, fiscal_start=fiscal)
    return first is None or month >= first


def missing_actuals(plan: Plan, scope: Scope) -> list[Missing]:
    """Every running metric without an actual for its latest due month (for a quarterly
    metric: in none of the quarter's months), in plan order."""
    as_of, lead, fiscal = scope.as_of, scope.lead_days, scope.fiscal
    due_month = {f: latest_due_month(f, as_of, lead, fiscal) for f in ("monthly", "quarterly")}
    due_on = {f: due_day(m, lead) for f, m in due_month.items()}
    names = {m: month_name(m) for m in due_month.values()}
    found: list[Missing] = []
    for objective in plan.objectives:
        for metric in objective.metrics:
            frequency, actuals = metric.frequency, metric.actuals
            month = due_month[frequency]
            if month in actuals or (
                frequency == "quarterly"
                and any(month.minus(k) in actuals for k in range(1, QUARTER))
            ):
                continue
            if not running(objective, metric, month, fiscal):
                continue
            owner = metric_owner(metric, objective)
            unit = _unit_of(objective, owner, scope)
            title = f"{names[month]}'s actual of {metric.name} ({objective.id} {objective.title})"
            link = scope.check_in(month, objective.unit)
            found.append(Missing(objective, metric, owner, unit, month, due_on[frequency], title,
                                 link))  # fmt: skip
    return found


def red_metrics(plan: Plan, analysis: Analysis, scope: Scope) -> list[Red]:
    """Every metric red in its latest month with an actual (the analysis' status), in plan
    order, saying whether a countermeasure answers that month."""
    answered = {(c.metric, c.period) for c in plan.countermeasures}
    results = analysis.metrics
    pages: dict[str, str] = {}  # objective id -> its page
    found: list[Red] = []
    for objective in plan.objectives:
        for metric in objective.metrics:
            result = results.get(metric.id)
            if result is None or result.status != "red" or result.current_period is None:
                continue
            month = result.current_period
            owner = metric_owner(metric, objective)
            unit = _unit_of(objective, owner, scope)
            closed = (metric.id, month) in answered
            title = (
                f"{metric.name} ({objective.id} {objective.title}) is red in {month_name(month)}"
            )
            link = pages.get(objective.id)
            if link is None:
                link = pages[objective.id] = scope.path("objectives", objective.id)
            found.append(Red(objective, metric, owner, unit, month, closed, title, link))
    return found


def deadlines(plan: Plan, scope: Scope) -> list[Deadline]:
    """Open actions and countermeasures of a person of the plan, due within SOON_DAYS of
    ``as_of`` or overdue: actions first, each in plan order."""
    as_of, soon = scope.as_of, scope.as_of + timedelta(days=SOON_DAYS)
    found: list[Deadline] = []
    for action in plan.actions:
        due, owner = action.due, action.owner
        if action.done or due is None or due > soon or owner is None or owner not in scope.names:
            continue
        unit = action.unit if action.unit is not None else scope.units.get(owner)
        link = scope.path("objectives", action.serves[0]) if action.serves else ""
        title = f"Action {action.id} {action.title}"
        found.append(Deadline("action", action.id, title, owner, unit, due, due < as_of,
                              link or scope.path("my-work")))  # fmt: skip
    measures = plan.countermeasures
    metrics = {m.id: (o, m) for o in plan.objectives for m in o.metrics} if measures else {}
    for measure in measures:
        due, owner = measure.due, measure.owner
        if measure.status == "closed" or due is None or due > soon:
            continue
        if owner is None or owner not in scope.names:
            continue
        objective, metric = metrics.get(measure.metric, (None, None))
        name = measure.metric if metric is None else metric.name
        unit = objective.unit if objective is not None else None
        title = f"Countermeasure {measure.id} for {name} ({measure.period})"
        found.append(Deadline("countermeasure", measure.id, title, owner,
                              scope.units.get(owner) if unit is None else unit, due, due < as_of,
                              scope.path("countermeasures", measure.id)))  # fmt: skip
    return found


def actual_due(missing: Iterable[Missing], scope: Scope) -> Iterator[Notice]:
    """Rule 1: each missing actual, to its owner."""
    for item in missing:
        if item.owner is None or item.owner not in scope.names:
            continue
        quarter = " (for its quarter)" if item.metric.frequency == "quarterly" else ""
        yield Notice(
            "actual_due", item.owner, "metric", item.metric.id, str(item.month),
            f"{item.title} is due",
            body=f"It was due on {item.due.isoformat()}{quarter}: record it on the check-in.",
            link=item.link,
            data={"due": item.due.isoformat(), "objective": item.objective.id},
        )  # fmt: skip


def escalation_level(due: date, as_of: date, escalation_days: int) -> int:
    """0 before ``escalation_days`` late, 1 from then, 2 from twice as late; 0 when
    ``escalation_days`` is below 1 (escalation off)."""
    if escalation_days < 1:
        return 0
    late = (as_of - due).days
    return 2 if late >= 2 * escalation_days else 1 if late >= escalation_days else 0


def escalations(missing: Iterable[Missing], scope: Scope) -> Iterator[Notice]:
    """Rule 2: an actual still missing ``escalation_days`` after its due day, to the owner
    and the first lead above them; after twice as long (level 2) to the next lead up too.
    Only the level reached is told: a pass that missed level 1's day does not send both."""
    for item in missing:
        level = escalation_level(item.due, scope.as_of, scope.escalation_days)
        if not level:
            continue
        leads = scope.leads(item.unit, item.owner)[:level]
        people = scope.told((item.owner, *leads))
        if not people:
            continue
        late = (scope.as_of - item.due).days
        owner = scope.names.get(item.owner or "", item.owner or "nobody")
        title = f"Still missing: {item.title}, due {item.due.isoformat()}"
        body = f"Owner: {owner}. Missing {late} days after its due day; level {level}."
        data = {"due": item.due.isoformat(), "days_late": late, "level": level,
                "owner": item.owner, "leads": list(leads)}  # fmt: skip
        link = item.link
        for person in people:
            yield Notice("escalation", person, "metric", item.metric.id, str(item.month),
                         title, body, link, str(level), data)  # fmt: skip


def metric_red(reds: Iterable[Red], scope: Scope) -> Iterator[Notice]:
    """Rule 3: a metric red in its latest month with no countermeasure for that month, to
    its owner and the first lead above them."""
    for red in reds:
        if red.answered:
            continue
        people = scope.told((red.owner, *scope.leads(red.unit, red.owner)[:1]))
        body = f"No countermeasure answers {month_name(red.month)} yet."
        for person in people:
            yield Notice("metric_red", person, "metric", red.metric.id, str(red.month), red.title,
                         body, red.link, data={"objective": red.objective.id})  # fmt: skip


def deadline_notices(found: Iterable[Deadline], scope: Scope) -> Iterator[Notice]:
    """Rule 4: to its owner, an open item due within SOON_DAYS (once per due day) or
    overdue (once per ISO week of ``as_of``)."""
    week = iso_week(scope.as_of)
    for item in found:
        day = item.due.isoformat()
        if item.overdue:
            yield Notice("deadline", item.owner, item.kind, item.item, week,
                         f"{item.title} is overdue since {day}", link=item.link,
                         variant="overdue", data={"due": day})  # fmt: skip
        else:
            yield Notice("deadline", item.owner, item.kind, item.item, day,
                         f"{item.title} is due on {day}", link=item.link, variant="soon",
                         data={"due": day})  # fmt: skip


class _Lists:
    """One person's digest lists, each kept to DIGEST_SHOWN entries and counted."""

    __slots__ = ("late", "owe", "red", "totals")

    def __init__(self) -> None:
        self.owe: list[dict[str, str]] = []
        self.red: list[dict[str, str]] = []
        self.late: list[dict[str, str]] = []
        self.totals = {"owe": 0, "red": 0, "late": 0}

    def add(self, name: str, entry: dict[str, str]) -> None:
        self.totals[name] += 1
        shown: list[dict[str, str]] = getattr(self, name)
        if len(shown) < DIGEST_SHOWN:
            shown.append(entry)


def digests(
    missing: Iterable[Missing], reds: Iterable[Red], found: Iterable[Deadline], scope: Scope
) -> Iterator[Notice]:
    """Rule 5, on Mondays: to each person of the plan with something in them, what they owe
    (missing actuals of their metrics, their deadlines), their red metrics, and what is late
    in the units they lead and below (missing actuals and overdue items of others)."""
    if scope.as_of.weekday() != 0:
        return
    lists: defaultdict[str, _Lists] = defaultdict(_Lists)

    def late(owner: str | None, unit: str | None, entry: dict[str, str]) -> None:
        for lead in scope.chains.get(unit, ()) if unit is not None else ():
            if lead != owner:
                lists[lead].add("late", entry)

    for item in missing:
        entry = {"title": f"{item.title} is missing", "link": item.link}
        if item.owner is not None:
            lists[item.owner].add("owe", entry)
        late(item.owner, item.unit, entry)
    for deadline in found:
        when = "overdue since" if deadline.overdue else "due on"
        entry = {"title": f"{deadline.title} {when} {deadline.due.isoformat()}",
                 "link": deadline.link}  # fmt: skip
        lists[deadline.owner].add("owe", entry)
        if deadline.overdue:
            late(deadline.owner, deadline.unit, entry)
    for red in reds:
        if red.owner is not None:
            lists[red.owner].add("red", {"title": red.title, "link": red.link})
    week, link = iso_week(scope.as_of), scope.path("my-work")
    for person, mine in lists.items():
        if person not in scope.names:
            continue
        owe, red_count, late_count = mine.totals["owe"], mine.totals["red"], mine.totals["late"]
        title = f"Your week: {owe} to do, {red_count} red, {late_count} late in your units"
        data: dict[str, Any] = {"owe": mine.owe, "red": mine.red, "late": mine.late,
                                "totals": dict(mine.totals)}  # fmt: skip
        yield Notice("digest", person, "person", person, week, title, link=link, data=data)


def reminders(
    plan: Plan,
    analysis: Analysis,
    *,
    as_of: date,
    slug: str,
    lead_days: int = 0,
    escalation_days: int = ESCALATION_DAYS,
) -> list[Notice]:
    """Every notice the scheduler owes as of ``as_of``, once per key, sorted by key."""
    with paused_gc():  # the pass makes many small acyclic values beside a large plan
        return _reminders(plan, analysis, as_of, slug, lead_days, escalation_days)


def _reminders(
    plan: Plan, analysis: Analysis, as_of: date, slug: str, lead_days: int, escalation_days: int
) -> list[Notice]:
    scope = scope_of(plan, as_of=as_of, slug=slug, lead_days=lead_days,
                     escalation_days=escalation_days)  # fmt: skip
    missing = missing_actuals(plan, scope)
    reds = red_metrics(plan, analysis, scope)
    found = deadlines(plan, scope)
    notices: dict[str, Notice] = {}
    for rule in (
        actual_due(missing, scope),
        escalations(missing, scope),
        metric_red(reds, scope),
        deadline_notices(found, scope),
        digests(missing, reds, found, scope),
    ):
        for notice in rule:
            notices.setdefault(notice.key, notice)
    return [notices[key] for key in sorted(notices)]

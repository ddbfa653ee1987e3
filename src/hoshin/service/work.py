"""My work: what a person owes as of the analysis' day, from the engine's findings.

The lists of every person are made in one pass over the plan and its findings, once per
analysis (``Analysed.derived``), so a page for one person of 50,000 reads a dict.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from hoshin.domain.analysis import Analysis
from hoshin.domain.cadence import latest_due, next_due
from hoshin.domain.findings import Finding
from hoshin.domain.model import Action, Countermeasure, Metric, Objective, Person, Plan
from hoshin.domain.months import Month
from hoshin.domain.responsible import metric_owner
from hoshin.service.analysis import Analysed
from hoshin.service.asker import Asker
from hoshin.service.catchball import Thread, list_threads
from hoshin.store.organization import OrganizationRow

SHOWN = 100  # items of one list on the page; the rest are counted


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A metric whose actual is due: the finding that says so, and the months missing."""

    objective: Objective
    metric: Metric
    finding: Finding
    due: Month  # the last month due (domain.cadence): last month, or a quarter's last
    since: Month | None  # the first month due and missing when more than the last one is


@dataclass(frozen=True, slots=True)
class LateAction:
    """An action of theirs past its due date and not done."""

    action: Action
    finding: Finding


@dataclass(slots=True)
class Owed:
    """What one person owes."""

    check_ins: list[CheckIn] = field(default_factory=list)
    late_actions: list[LateAction] = field(default_factory=list)
    countermeasures: list[Countermeasure] = field(default_factory=list)


def owed_by_person(plan: Plan, analysis: Analysis) -> dict[str, Owed]:
    """Every person's check-ins due (``stale_metric``), late actions (``late_action``) and
    open countermeasures, in plan order."""
    owed: defaultdict[str, Owed] = defaultdict(Owed)
    stale = {f.subject: f for f in analysis.findings if f.code == "stale_metric"}
    late = {f.subject: f for f in analysis.findings if f.code == "late_action"}
    last = Month.of_date(analysis.as_of).minus(1)
    fiscal = plan.organization.fiscal_year_start
    for objective in plan.objectives:
        for metric in objective.metrics:
            owner = metric_owner(metric, objective)  # its own, else the objective's
            if owner is not None and metric.id in stale:
                due = latest_due(metric.frequency, last, fiscal)
                since = _since(metric, due, fiscal)
                check_in = CheckIn(objective, metric, stale[metric.id], due, since)
                owed[owner].check_ins.append(check_in)
    for action in plan.actions:
        if action.owner is not None and action.id in late:
            owed[action.owner].late_actions.append(LateAction(action, late[action.id]))
    for measure in plan.countermeasures:
        if measure.owner is not None and measure.status != "closed":  # open or in progress
            owed[measure.owner].countermeasures.append(measure)
    return dict(owed)


def _since(metric: Metric, due: Month, fiscal: int) -> Month | None:
    """The first month due without an actual, when months due before ``due`` are missing
    too (for a quarterly metric, the end of the first quarter missing)."""
    before = [month for month in metric.actuals if month < due]
    # the month after the last actual, else after the baseline's (which holds the baseline)
    last = max(before) if before else metric.baseline_period
    if last is None:
        return None
    first = last + 1
    first = next_due(metric.frequency, Month(first), fiscal)
    return None if first >= due else first


@dataclass(frozen=True, slots=True)
class MyWork:
    """What one asker's person owes, as their page lists it: their plan person (None if
    they have none), each list (at most SHOWN items) with its total, and the catchball
    threads waiting for their answer."""

    person: Person | None
    check_ins: list[CheckIn]
    check_ins_total: int
    late_actions: list[LateAction]
    late_total: int
    countermeasures: list[Countermeasure]
    countermeasures_total: int
    threads: list[Thread]
    threads_total: int


def my_work(session: Session, *, org: OrganizationRow, found: Analysed, asker: Asker) -> MyWork:
    """What ``asker``'s person owes as of the analysis."""
    person = asker.person
    owed = found.derived("my_work", lambda analysis: owed_by_person(found.plan, analysis))
    mine = owed.get(person or "", Owed())
    threads, waiting = list_threads(session, org=org, waiting_for=asker, limit=SHOWN)
    people = found.derived("people_by_id", lambda _: {p.id: p for p in found.plan.people})
    return MyWork(
        person=people.get(person or ""),
        check_ins=mine.check_ins[:SHOWN], check_ins_total=len(mine.check_ins),
        late_actions=mine.late_actions[:SHOWN], late_total=len(mine.late_actions),
        countermeasures=mine.countermeasures[:SHOWN],
        countermeasures_total=len(mine.countermeasures),
        threads=threads, threads_total=waiting,
    )  # fmt: skip

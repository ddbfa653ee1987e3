"""The analysis of an organisation, kept per process and brought up to date as it changes.

Every change to a plan bumps its organisation's ``plan_version`` in the same transaction
and records the version in its audit event, so every process sees at once that its copy
is stale, whichever process made the change, and can read what changed since as typed
change records (store.changes: an actual with its value, any other change by its key). New actuals
(check-ins, most of the changes) update the kept plan and analyses in place of loading and
analysing the whole plan again; any other change loads the plan afresh.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from hoshin.domain.analysis import Analysis, analyze
from hoshin.domain.incremental import (
    ActualChange,
    PlanIndex,
    index_plan,
    reanalyze,
    with_actuals,
)
from hoshin.domain.model import Objective, Plan
from hoshin.store.changes import changes_since
from hoshin.store.objective import objective_versions
from hoshin.store.organization import OrganizationRow, plan_version_of
from hoshin.store.plan_load import load_plan

T = TypeVar("T")
AS_OF_DAYS = 8  # analyses kept per organisation: today, and the days people look back to
# A large plan and its analyses are millions of long-lived objects that the cyclic garbage
# collector would walk again in every full collection: pauses of 0.5-2 s in the middle of
# page requests at 50,000 people (make bench-pages). Once such a plan is analysed they move
# to the permanent generation (gc.freeze), after a collection so that no garbage is frozen
# with them; they are plain values without cycles, freed by reference counting when a newer
# plan replaces them. A small plan (the tests) is not worth the collection.
FREEZE_SIZE = 20_000  # objectives and actions


@dataclass(frozen=True, slots=True)
class Analysed:
    """An organisation's plan and its analysis at one plan version and as-of date."""

    plan_version: int
    plan: Plan
    analysis: Analysis
    # The stored version of each objective at plan_version (an objective read needs no query)
    # and where each is in plan.objectives; empty when not known.
    objective_versions: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    objective_at: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def objective(self, key: str) -> tuple[Objective, int] | None:
        """The objective with this id and its stored version, or None without it."""
        at, version = self.objective_at.get(key), self.objective_versions.get(key)
        if at is None or version is None:
            return None
        return self.plan.objectives[at], version

    def derived(self, name: str, compute: Callable[[Analysis], T]) -> T:
        """``compute(analysis)``, computed once per analysis (e.g. a summary many read)."""
        if name not in self.memo:
            self.memo[name] = compute(self.analysis)
        value: T = self.memo[name]
        return value


@dataclass(frozen=True, slots=True)
class Kept:
    """One organisation's plan at one version, its index, and its analyses by as-of day."""

    version: int
    plan: Plan
    index: PlanIndex
    analyses: OrderedDict[date, Analysed]
    objective_versions: Mapping[str, int]  # actuals leave them as they are

    def analysed(self, analysis: Analysis) -> Analysed:
        """``analysis`` of this plan, with what an objective read needs."""
        return Analysed(
            self.version, self.plan, analysis, self.objective_versions, self.index.objective_at
        )


class AnalysisCache:
    """Analyses by organisation and as-of day, kept up to date with the stored plan.

    One thread at a time brings an organisation up to date (the others wait for its result
    instead of analysing the same plan at once); reading a current analysis takes one
    small query for the plan version.
    """

    def __init__(self, organizations: int = 16) -> None:
        self._size = organizations
        self._kept: OrderedDict[int, Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._updating: dict[int, threading.Lock] = {}

    def get(
        self, session: Session, *, org: OrganizationRow, as_of: date, fresh_row: bool = False
    ) -> Analysed:
        """The analysis of ``org`` at ``as_of`` for the plan as stored now.

        When another request has already brought the organisation further, its newer
        analysis is the answer: it is what a read a moment later would see. ``fresh_row``:
        ``org`` was read in this transaction, so its ``plan_version`` is current and needs
        no query (an API read, which loads the organisation with the asker's role first).
        """
        version = org.plan_version if fresh_row else plan_version_of(session, org_id=org.id)
        found = self._current(org.id, version, as_of)
        if found is not None:
            return found
        with self._lock:
            updating = self._updating.setdefault(org.id, threading.Lock())
        with updating:
            found = self._current(org.id, version, as_of)
            if found is not None:
                return found
            kept = self._up_to_date(session, org, version)
            analysed = kept.analysed(analyze(kept.plan, as_of))
            with self._lock:
                kept.analyses[as_of] = analysed
                while len(kept.analyses) > AS_OF_DAYS:
                    kept.analyses.popitem(last=False)
            if len(kept.plan.objectives) + len(kept.plan.actions) >= FREEZE_SIZE:
                gc.collect()
                gc.freeze()
            return analysed

    def current(self, org: OrganizationRow, as_of: date) -> Analysed | None:
        """The kept analysis of ``org`` at ``as_of`` if it is current for ``org``'s plan
        version, read this moment (no query); None when it must be brought up to date
        (``get``)."""
        return self._current(org.id, org.plan_version, as_of)

    def clear(self) -> None:
        """Forgets every analysis."""
        with self._lock:
            self._kept.clear()

    def _current(self, org_id: int, version: int, as_of: date) -> Analysed | None:
        with self._lock:
            kept = self._kept.get(org_id)
            if kept is None or kept.version < version:
                return None
            self._kept.move_to_end(org_id)
            analysed = kept.analyses.get(as_of)
            if analysed is not None:
                kept.analyses.move_to_end(as_of)
            return analysed

    def _up_to_date(self, session: Session, org: OrganizationRow, version: int) -> Kept:
        """The organisation's plan at ``version`` or later: the kept one, the kept one with
        the new actuals, or the stored plan loaded afresh."""
        with self._lock:
            kept = self._kept.get(org.id)
        if kept is not None and kept.version >= version:
            return kept
        changes = None if kept is None else _new_actuals(session, org.id, kept.version, version)
        if kept is not None and changes is not None:
            plan = with_actuals(kept.plan, kept.index, changes)
            metrics = {metric for metric, _, _ in changes}
            with self._lock:  # a reader may reorder them meanwhile
                known = list(kept.analyses.items())
            fresh = Kept(version, plan, kept.index, OrderedDict(), kept.objective_versions)
            for day, old in known:
                analysis = reanalyze(plan, kept.index, old.analysis, metrics)
                fresh.analyses[day] = fresh.analysed(analysis)
        else:
            plan = load_plan(session, org=org)
            versions = objective_versions(session, org_id=org.id)
            fresh = Kept(version, plan, index_plan(plan), OrderedDict(), versions)
        with self._lock:
            self._kept[org.id] = fresh
            self._kept.move_to_end(org.id)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return fresh


def _new_actuals(session: Session, org_id: int, after: int, upto: int) -> list[ActualChange] | None:
    """The actuals recorded since version ``after``, when every change since was one;
    None when any other change came between (or one left no version: an import)."""
    changes = changes_since(session, org_id=org_id, after=after, upto=upto)
    if {change.version for change in changes} != set(range(after + 1, upto + 1)):
        return None
    actuals = [change.actual for change in changes]
    if any(actual is None for actual in actuals):
        return None
    return [(a.metric, a.period, a.value) for a in actuals if a is not None]

"""The analysis of an organisation, kept per process and brought up to date as it changes.

Every change to a plan bumps its organisation's ``plan_version`` in the same transaction
and records the version in its audit event, so every process sees at once that its copy
is stale, whichever process made the change, and can read what changed since as typed
change records (store.changes: an actual with its value, any other change by its key).

New actuals (check-ins, most of the changes) update the kept plan and analyses in place
(domain.incremental). Any other change to objectives, metrics, actions, units, people,
countermeasures, the situation or the vision reads back only the entities it touched and
patches the kept plan (store.plan_parts, domain.patch): a small plan is then analysed in
full at once; a large one gets an interim analysis at once, marked stale, and its exact
analysis in the background. A change that names no entity (an import) loads the plan
afresh: in the background, for a large plan, answering from the previous one meanwhile.
"""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
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
from hoshin.domain.links import Links, links_of
from hoshin.domain.model import Objective, Plan
from hoshin.domain.overlay import overlaid
from hoshin.domain.patch import Edited, interim_analysis, patched
from hoshin.service.plan_changes import every_version, patchable, read_back
from hoshin.store.changes import PlanChange, changes_since
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
# Below this many objectives and actions a full analysis takes tens of milliseconds
# (BENCHMARKS.md), so a structural change is analysed in full at once; above it, an
# interim analysis answers at once and the exact one follows in the background.
INLINE_SIZE = 5_000
# Runs work with a session of its own, in the background (runtime.background).
Background = Callable[[Callable[[Session], None]], None]


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
    # The analysis is of an earlier plan, or interim after a change: the exact one of this
    # plan is being made in the background.
    stale: bool = field(default=False, compare=False)

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
    """One organisation's plan at one version, its index, and its analyses by as-of day.

    ``index`` is None while the plan's exact analyses are being made in the background
    (its ``analyses`` are then interim: see ``domain.patch``)."""

    version: int
    plan: Plan
    index: PlanIndex | None
    analyses: OrderedDict[date, Analysed]
    objective_versions: Mapping[str, int]
    links: Links  # where each objective and action is, and the links read backwards

    def analysed(self, analysis: Analysis, *, stale: bool = False) -> Analysed:
        """``analysis`` of this plan, with what an objective read needs."""
        return Analysed(
            self.version,
            self.plan,
            analysis,
            self.objective_versions,
            self.links.objective_at,
            stale=stale,
        )

    def size(self) -> int:
        """Objectives and actions: what an analysis of the plan costs, roughly."""
        return len(self.plan.objectives) + len(self.plan.actions)


class AnalysisCache:
    """Analyses by organisation and as-of day, kept up to date with the stored plan.

    One thread at a time brings an organisation up to date (the others wait for its result
    instead of analysing the same plan at once); reading a current analysis takes one
    small query for the plan version. With ``background`` (the server's), a change to a
    large plan is answered at once with an interim analysis (or, for a change that needs
    the plan loaded afresh, with the previous analysis), marked stale, while the exact one
    is made in the background; without it (commands, tests), every answer is exact.
    """

    def __init__(self, organizations: int = 16, *, background: Background | None = None) -> None:
        self._size = organizations
        self._kept: OrderedDict[int, Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._updating: dict[int, threading.Lock] = {}
        self._background = background
        self._rebuilding: set[int] = set()  # organisations with background work under way

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
            analysed = kept.analyses.get(as_of)
            if analysed is None:
                analysed = kept.analysed(analyze(kept.plan, as_of))
                self._keep(kept, as_of, analysed)
                _freeze(kept)
            if kept.version < version:  # the previous plan, while the new one loads
                return replace(analysed, stale=True)
            return analysed

    def current(self, org: OrganizationRow, as_of: date) -> Analysed | None:
        """The kept analysis of ``org`` at ``as_of`` if it is current for ``org``'s plan
        version, read this moment (no query); None when it must be brought up to date
        (``get``)."""
        return self._current(org.id, org.plan_version, as_of)

    def stale(self, org: OrganizationRow, as_of: date) -> bool:
        """Whether what ``get`` answers for ``org`` at ``as_of`` now is an interim analysis
        or one of an earlier plan, while the exact one is being made (no query). A kept
        analysis merely behind the stored plan is not: the next ``get`` brings it up to date."""
        with self._lock:
            kept = self._kept.get(org.id)
            if kept is None:
                return False
            if org.id in self._rebuilding and kept.version < org.plan_version:
                return True  # answered from the previous plan while the new one loads
            analysed = kept.analyses.get(as_of)
            return analysed is not None and analysed.stale

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

    def _keep(self, kept: Kept, as_of: date, analysed: Analysed) -> None:
        with self._lock:
            kept.analyses[as_of] = analysed
            while len(kept.analyses) > AS_OF_DAYS:
                kept.analyses.popitem(last=False)

    def _up_to_date(self, session: Session, org: OrganizationRow, version: int) -> Kept:
        """The organisation's plan at ``version`` or later: the kept one, the kept one with
        the changes since applied, or the stored plan loaded afresh (in the background for
        a large plan already kept, which is answered meanwhile)."""
        with self._lock:
            kept = self._kept.get(org.id)
            loading = org.id in self._rebuilding
        if kept is not None and kept.version >= version:
            return kept
        if kept is None:
            return self._install(org.id, _loaded(session, org, version))
        changes = changes_since(session, org_id=org.id, after=kept.version, upto=version)
        fresh = _actuals_applied(kept, version, changes)
        if fresh is None and patchable(kept.version, version, changes):
            fresh = self._patched(session, org, kept, version, changes)
        if fresh is not None:
            self._install(org.id, fresh)
            if fresh.index is None:  # interim: the exact analyses follow (once it is kept)
                self._in_background(org.id, lambda _: self._exact(org.id))
            return fresh
        if self._background is None or kept.size() < INLINE_SIZE:
            return self._install(org.id, _loaded(session, org, version))
        if not loading:
            self._in_background(org.id, lambda work: self._reload(work, org.id, org))
        return kept

    def _patched(
        self,
        session: Session,
        org: OrganizationRow,
        kept: Kept,
        version: int,
        changes: list[PlanChange],
    ) -> Kept:
        """The kept plan with the entities ``changes`` touched read back, and its analyses
        brought up to date: in full for a small plan, else an interim analysis now and the
        exact one in the background."""
        patch = read_back(session, org, kept.plan, changes)
        plan, links = patched(kept.plan, kept.links, patch)
        if links.objective_at is kept.links.objective_at:
            # A new plan structure, even with every objective in its place: the assistant
            # keeps a plan's model space by the identity of this map (runtime.assist_spaces),
            # and the texts (a title, a situation item) have changed.
            links = replace(links, objective_at=dict(links.objective_at))
        versions = overlaid(kept.objective_versions, dict(patch.objective_versions), patch.gone())
        with self._lock:  # a reader may reorder them meanwhile
            known = list(kept.analyses.items())
        if self._background is None or kept.size() < INLINE_SIZE:
            fresh = Kept(version, plan, index_plan(plan), OrderedDict(), versions, links)
            for day, _ in known:
                fresh.analyses[day] = fresh.analysed(analyze(plan, day))
            return fresh
        fresh = Kept(version, plan, None, OrderedDict(), versions, links)
        edited = Edited(kept.plan, kept.links, plan, links, patch)
        for day, old in known:
            fresh.analyses[day] = fresh.analysed(interim_analysis(old.analysis, edited), stale=True)
        return fresh

    def _exact(self, org_id: int) -> None:
        """Makes the exact analyses of the kept plan, for as long as a newer interim one
        was kept meanwhile."""
        while True:
            with self._lock:
                kept = self._kept.get(org_id)
            if kept is None or (kept.index is None and not kept.analyses):
                return
            if kept.index is not None and not any(a.stale for a in kept.analyses.values()):
                return
            fresh = Kept(
                kept.version,
                kept.plan,
                index_plan(kept.plan),
                OrderedDict(),
                kept.objective_versions,
                kept.links,
            )
            for day in list(kept.analyses):
                fresh.analyses[day] = fresh.analysed(analyze(kept.plan, day))
            with self._lock:
                if self._kept.get(org_id) is kept:
                    self._kept[org_id] = fresh
                    break
        _freeze(fresh)

    def _reload(self, session: Session, org_id: int, org: OrganizationRow) -> None:
        """Loads and analyses the stored plan afresh, for the days the kept one was read at."""
        with self._lock:
            kept = self._kept.get(org_id)
        days = [] if kept is None else list(kept.analyses)
        fresh = _loaded(session, org, plan_version_of(session, org_id=org_id))
        for day in days:
            fresh.analyses[day] = fresh.analysed(analyze(fresh.plan, day))
        with self._lock:
            now = self._kept.get(org_id)
            if now is None or now.version <= fresh.version:
                self._kept[org_id] = fresh
        _freeze(fresh)

    def _in_background(self, org_id: int, work: Callable[[Session], None]) -> None:
        """Runs ``work`` in the background unless work for the organisation is under way
        (which then goes on until the kept plan is exact)."""
        assert self._background is not None
        with self._lock:
            if org_id in self._rebuilding:
                return
            self._rebuilding.add(org_id)

        def run(session: Session) -> None:
            try:
                work(session)
                self._exact(org_id)
            finally:
                with self._lock:
                    self._rebuilding.discard(org_id)

        self._background(run)

    def _install(self, org_id: int, fresh: Kept) -> Kept:
        with self._lock:
            self._kept[org_id] = fresh
            self._kept.move_to_end(org_id)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return fresh


def _freeze(kept: Kept) -> None:
    """Moves a large plan and its analyses out of the cycle collector's reach (FREEZE_SIZE),
    and gives the memory its making freed back to the system."""
    if kept.size() >= FREEZE_SIZE:
        gc.collect()
        gc.freeze()
        _give_back()


def _give_back() -> None:
    """Returns the heap's free pages to the system (glibc's ``malloc_trim``; elsewhere
    nothing). Loading and analysing a large plan frees hundreds of thousands of temporary
    values that glibc otherwise keeps mapped: 40 MB of a worker at 50,000 people."""
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)


_LIBC = ctypes.CDLL(None) if sys.platform == "linux" else None


def _loaded(session: Session, org: OrganizationRow, version: int) -> Kept:
    """The stored plan, loaded afresh, at ``version``."""
    plan = load_plan(session, org=org)
    versions = objective_versions(session, org_id=org.id)
    return Kept(version, plan, index_plan(plan), OrderedDict(), versions, links_of(plan))


def _actuals_applied(kept: Kept, version: int, changes: list[PlanChange]) -> Kept | None:
    """The kept plan and its analyses with the new actuals of ``changes``, when every
    change since was one and the kept analyses are exact; else None."""
    actuals = _new_actuals(changes, kept.version, version)
    if actuals is None or kept.index is None:
        return None
    plan = with_actuals(kept.plan, kept.index, actuals)
    metrics = {metric for metric, _, _ in actuals}
    fresh = Kept(version, plan, kept.index, OrderedDict(), kept.objective_versions, kept.links)
    for day, old in list(kept.analyses.items()):
        fresh.analyses[day] = fresh.analysed(reanalyze(plan, kept.index, old.analysis, metrics))
    return fresh


def _new_actuals(changes: list[PlanChange], after: int, upto: int) -> list[ActualChange] | None:
    """The actuals recorded since version ``after``, when every change since was one;
    None when any other change came between (or one left no version: an import)."""
    if not every_version(after, upto, changes):
        return None
    actuals = [change.actual for change in changes]
    if any(actual is None for actual in actuals):
        return None
    return [(a.metric, a.period, a.value) for a in actuals if a is not None]

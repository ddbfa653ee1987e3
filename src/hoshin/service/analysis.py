"""The analysis of an organisation, kept per process and reused until its plan changes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from hoshin.domain.analysis import Analysis, analyze
from hoshin.domain.model import Plan
from hoshin.store.organization import OrganizationRow, plan_version_of
from hoshin.store.plan import load_plan


@dataclass(frozen=True, slots=True)
class Analysed:
    """An organisation's plan and its analysis at one plan version and as-of date."""

    plan_version: int
    plan: Plan
    analysis: Analysis


class AnalysisCache:
    """Analyses by (organisation, as-of date), valid while the plan version is unchanged.

    Every change to a plan bumps its organisation's ``plan_version`` in the same
    transaction, so every process sees at once that its copy is stale, whichever process
    made the change. Reading the version costs one small query per request.
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[int, date], Analysed] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, *, org: OrganizationRow, as_of: date) -> Analysed:
        """The analysis of ``org`` at ``as_of``, computed only when the plan has changed."""
        version = plan_version_of(session, org_id=org.id)
        key = (org.id, as_of)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit.plan_version == version:
                self._entries.move_to_end(key)
                return hit
        plan = load_plan(session, org=org)
        fresh = Analysed(version, plan, analyze(plan, as_of))
        with self._lock:
            self._entries[key] = fresh
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return fresh

    def clear(self) -> None:
        """Forgets every analysis."""
        with self._lock:
            self._entries.clear()

"""The overlap scan in the background (runtime.assist_scans): made once per plan structure,
space and threshold in the model's space; a small plan is scanned lexically meanwhile, a
large one waits for the model's."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import date

import numpy as np
import pytest

from hoshin.domain.analysis import analyze
from hoshin.domain.assist.overlaps import OverlapScan
from hoshin.domain.assist.space import Space
from hoshin.domain.model import Objective, Organization, Plan
from hoshin.runtime import assist_scans, assist_spaces
from hoshin.runtime.assist_scans import plan_overlaps
from hoshin.service.analysis import Analysed
from hoshin.service.assist import suggest
from hoshin.service.assist.embedding import embed

WAIT = 60.0  # seconds at most: the threads are waited for, never timed
# Two annual objectives of different owners that say the same thing, and a third.
TWINS = (
    Objective(id="o1", title="Halve warranty claims on pumps", level="annual", owner="p1"),
    Objective(id="o2", title="Halve pump warranty claims", level="annual", owner="p2"),
    Objective(id="o3", title="Open two clinics in the north", level="annual", owner="p2"),
)


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    assist_spaces.forget()
    assist_scans.forget()
    monkeypatch.setattr(assist_scans, "SCAN_WAIT", WAIT)
    yield
    assist_spaces.settled(WAIT)
    assist_spaces.forget()
    assist_scans.forget()


def _found() -> Analysed:
    plan = Plan(organization=Organization("Acme"), objectives=TWINS)
    index = {o.id: at for at, o in enumerate(plan.objectives)}
    return Analysed(1, plan, analyze(plan, date(2026, 6, 15)), {}, index)


def test_the_scan_is_made_once_per_plan_structure_and_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In the model's space o1 and o2 (owners p1 and p2) overlap, as the service says; the
    same structure asked again (a check-in) gets the same scan, another threshold its own."""
    scans: list[float | None] = []
    scanned = suggest.overlap_scan

    def counted(
        plan: Plan, *, space: Space | None = None, threshold: float | None = None
    ) -> OverlapScan:
        scans.append(threshold)
        return scanned(plan, space=space, threshold=threshold)

    monkeypatch.setattr(suggest, "overlap_scan", counted)
    found = _found()
    space = assist_spaces.wait_for_space(found, WAIT)
    assert space is not None
    scan, name = plan_overlaps(found)
    assert name == "model" and scan is not None
    assert scan == scanned(found.plan, space=space)
    assert {(o.first, o.second) for o in scan.overlaps} == {("o1", "o2")}
    again = Analysed(2, found.plan, found.analysis, {}, found.objective_at)
    assert plan_overlaps(again)[0] is scan
    assert plan_overlaps(found, threshold=0.99)[0] is not scan
    assert scans == [None, 0.99]  # one scan per threshold


def test_a_large_plan_waits_for_the_model_space(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above LEXICAL_TEXTS (here 2 of its 3 texts) no lexical scan is made: None, 'model';
    a plan within it is scanned lexically at once while the model is held."""
    let_go = threading.Event()

    def held(texts: Sequence[str]) -> np.ndarray:
        assert let_go.wait(WAIT)
        return embed(texts)

    monkeypatch.setattr(assist_spaces, "embed", held)
    monkeypatch.setattr(assist_scans, "LEXICAL_TEXTS", 2)
    found = _found()
    assert plan_overlaps(found) == (None, "model")
    monkeypatch.setattr(assist_scans, "LEXICAL_TEXTS", 3)
    scan, name = plan_overlaps(found)
    assert name == "lexical" and scan is not None
    let_go.set()

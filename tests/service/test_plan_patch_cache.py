"""After every kind of structural edit, the kept plan is the stored plan and the kept
analysis is the analysis of it: patched in place (store.plan_parts, domain.patch), never
loaded again; for a large plan, an interim analysis first, marked stale, then the exact one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from factories import add_member, make_organization
from hoshin.domain.analysis import analyze
from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Person,
    SituationItem,
    Unit,
    Vision,
)
from hoshin.domain.months import Month
from hoshin.domain.report import report
from hoshin.planfile import read_plan
from hoshin.service import action as actions
from hoshin.service import analysis as analysis_service
from hoshin.service import countermeasure as countermeasures
from hoshin.service import metric as metrics
from hoshin.service import objective as objectives
from hoshin.service import situation as situation
from hoshin.service import unit as units
from hoshin.service.account import Principal, get_user
from hoshin.service.analysis import AnalysisCache
from hoshin.service.asker import Asker, Who
from hoshin.service.checkin import record_actual
from hoshin.service.versioned import Change
from hoshin.store.organization import OrganizationRow
from hoshin.store.plan import replace_plan
from hoshin.store.plan_load import load_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
AS_OF = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
Edit = Callable[[Session, OrganizationRow, Asker], object]


def change(org: OrganizationRow, version: int | None = None) -> Change:
    return Change(org, Who("tests"), version)


def edits() -> list[tuple[str, Edit]]:
    """One edit of each kind the change log names, on examples/small.yaml (B1 <- A1 <- T1;
    a1, a2 serve A1 and T1; metrics falls, huddles, trained)."""
    b1 = read_plan(SMALL).objectives[0]
    new_metric = Metric("visits", "Visits", baseline=0, baseline_period=Month.of(2026, 1),
                        target=10, target_period=Month.of(2026, 12))  # fmt: skip
    return [
        ("rename an objective", lambda s, o, a: objectives.update_objective(
            s, change=change(o, 1), role="admin", objective=replace(b1, title="Fewer falls"))),
        ("a new objective under A1", lambda s, o, a: objectives.create_objective(
            s, change=change(o), role="admin",
            objective=Objective("T2", "Audit every fall", "team", owner="ben",
                                end=Month.of(2026, 11), supports={"A1": 2.0}))),
        ("T2 moves under B1", lambda s, o, a: objectives.update_objective(
            s, change=change(o, 1), role="admin",
            objective=Objective("T2", "Audit every fall", "team", owner="ben",
                                end=Month.of(2026, 12), supports={"B1": 1.0}))),
        ("a metric of T2", lambda s, o, a: metrics.create_metric(
            s, change=change(o), role="admin", objective="T2", metric=new_metric)),
        ("its target halved", lambda s, o, a: metrics.update_metric(
            s, change=change(o, 1), role="admin", metric=replace(new_metric, target=5))),
        ("an actual of it", lambda s, o, a: record_actual(
            s, org=o, role="admin", person=None, metric="visits", period=Month.of(2026, 5),
            value=4.0, if_match=None, who=Who("tests"), now=NOW)),
        ("a countermeasure", lambda s, o, a: countermeasures.create_countermeasure(
            s, change=change(o), asker=a,
            measure=Countermeasure("c9", "visits", Month.of(2026, 5), cause="Few beds"))),
        ("an action for T2", lambda s, o, a: actions.create_action(
            s, change=change(o), asker=a,
            action=Action("a9", "Book the auditors", owner="ben", serves=("T2",),
                          due=date(2026, 9, 30), duration_days=30))),
        ("it takes longer", lambda s, o, a: actions.update_action(
            s, change=change(o, 1), asker=a,
            action=Action("a9", "Book the auditors", owner="ben", serves=("T2",),
                          due=date(2026, 9, 30), duration_days=90))),
        ("a unit", lambda s, o, a: units.create_unit(
            s, change=change(o), role="admin", unit=Unit("ward-b", "Ward B", "clinic"))),
        ("a person renamed", lambda s, o, a: units.update_person(
            s, change=change(o, 1), role="admin", person=Person("ben", "Ben Odé", "ward-a"))),
        ("the vision", lambda s, o, a: units.update_vision(
            s, change=change(o, 1), role="admin",
            vision=Vision("Zero harm", "Safe, kind care", 2031, ("Safety first",)))),
        ("a weakness", lambda s, o, a: situation.create_item(
            s, change=change(o), role="admin",
            item=SituationItem("w-beds", "weakness", "Too few beds"))),
        ("the action deleted", lambda s, o, a: actions.delete_action(
            s, change=change(o, 2), asker=a, key="a9")),
        ("the countermeasure deleted", lambda s, o, a: countermeasures.delete_countermeasure(
            s, change=change(o, 1), asker=a, key="c9")),
        ("the metric deleted", lambda s, o, a: metrics.delete_metric(
            s, change=change(o, 2), role="admin", key="visits")),
        ("T2 deleted", lambda s, o, a: objectives.delete_objective(
            s, change=change(o, 2), role="admin", key="T2")),
    ]  # fmt: skip


def clinic(session: Session) -> tuple[OrganizationRow, Asker]:
    org = make_organization(session, slug="clinic", name="Clinic", plan=read_plan(SMALL))
    add_member(session, email="admin@x.example", role="admin", password="pw-a-good-long-one")
    session.commit()
    user = get_user(session, email="admin@x.example")
    return org, Asker(org, "admin", Principal(user.id, user.email, "", None), "tests")


def test_every_structural_edit_is_patched_into_the_kept_plan(session: Session) -> None:
    org, admin = clinic(session)
    cache = AnalysisCache()
    first = cache.get(session, org=org, as_of=AS_OF)
    for name, edit in edits():
        edit(session, org, admin)
        session.commit()
        kept = cache.get(session, org=org, as_of=AS_OF)
        stored = load_plan(session, org=org)
        assert kept.plan == stored, name
        assert report(kept.plan, kept.analysis) == report(stored, analyze(stored, AS_OF)), name
        assert not kept.stale
        for objective in stored.objectives:  # the objective read answers from the kept plan
            assert objectives.kept_detail(kept, key=objective.id) == objectives.detail(
                session, org=org, key=objective.id
            ), name
    # patched, never loaded again: the units were never touched by an objective's edit
    assert kept.plan.countermeasures == first.plan.countermeasures


def test_a_large_plan_answers_an_interim_analysis_then_the_exact_one(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a plan counted as large, an edit is answered at once, marked stale, with the
    edit's figures; the background work makes the exact analysis and clears the mark.
    T1's end moved to 2026-12 (the rename of test above keeps the figures): a1's deadline
    is A1's; a2 serves T1, whose deadline is now three months later."""
    monkeypatch.setattr(analysis_service, "INLINE_SIZE", 0)
    org, _ = clinic(session)
    queued: list[Callable[[Session], None]] = []
    cache = AnalysisCache(background=queued.append)
    before = cache.get(session, org=org, as_of=AS_OF)
    t1 = before.plan.objectives[2]
    objectives.update_objective(
        session, change=change(org, 1), role="admin", objective=replace(t1, end=Month.of(2026, 12))
    )
    session.commit()
    interim = cache.get(session, org=org, as_of=AS_OF)
    stored = load_plan(session, org=org)
    exact = analyze(stored, AS_OF)
    assert interim.stale and cache.stale(org, AS_OF)
    assert interim.plan == stored
    assert interim.analysis.actions == exact.actions
    assert interim.analysis.schedules == exact.schedules
    assert interim.plan.units is before.plan.units  # patched, not loaded again
    assert len(queued) == 1
    queued.pop()(session)
    done = cache.get(session, org=org, as_of=AS_OF)
    assert not done.stale and not cache.stale(org, AS_OF)
    assert done.analysis == exact


def test_an_import_into_a_large_plan_is_loaded_in_the_background(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import names no entity: the previous analysis answers, marked stale, until the
    plan is loaded again in the background."""
    monkeypatch.setattr(analysis_service, "INLINE_SIZE", 0)
    org, _ = clinic(session)
    queued: list[Callable[[Session], None]] = []
    cache = AnalysisCache(background=queued.append)
    before = cache.get(session, org=org, as_of=AS_OF)
    plan = read_plan(SMALL)
    renamed = replace(plan.objectives[0], title="Imported")
    replace_plan(session, org=org, plan=replace(plan, objectives=(renamed, *plan.objectives[1:])))
    session.commit()
    meanwhile = cache.get(session, org=org, as_of=AS_OF)
    assert meanwhile.stale and meanwhile.analysis is before.analysis
    queued.pop()(session)
    after = cache.get(session, org=org, as_of=AS_OF)
    assert not after.stale
    assert after.plan.objectives[0].title == "Imported"


def test_background_work_that_runs_at_once_still_leaves_the_exact_analysis(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread may run before the request that started it returns: the interim analysis
    is kept before the work starts, so the work finds it and replaces it."""
    monkeypatch.setattr(analysis_service, "INLINE_SIZE", 0)
    org, _ = clinic(session)
    cache = AnalysisCache(background=lambda work: work(session))
    b1 = cache.get(session, org=org, as_of=AS_OF).plan.objectives[0]
    objectives.update_objective(
        session, change=change(org, 1), role="admin", objective=replace(b1, title="Fewer falls")
    )
    session.commit()
    assert cache.get(session, org=org, as_of=AS_OF).stale  # the answer made before the work
    assert not cache.stale(org, AS_OF)
    done = cache.get(session, org=org, as_of=AS_OF)
    assert not done.stale and done.plan.objectives[0].title == "Fewer falls"


def test_an_analysis_not_yet_brought_up_to_date_is_not_stale(session: Session) -> None:
    """Stale means answered from an interim or earlier analysis while the exact one is
    made; a kept analysis behind the stored plan is brought up to date by the next read."""
    org, _ = clinic(session)
    cache = AnalysisCache(background=lambda work: None)
    b1 = cache.get(session, org=org, as_of=AS_OF).plan.objectives[0]
    objectives.update_objective(
        session, change=change(org, 1), role="admin", objective=replace(b1, title="Fewer falls")
    )
    session.commit()
    session.refresh(org)
    assert not cache.stale(org, AS_OF)

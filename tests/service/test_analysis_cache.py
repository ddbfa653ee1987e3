"""The cached analysis always equals a fresh analysis of the stored plan, after any changes."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import analyze
from hoshin.domain.months import Month
from hoshin.domain.report import report
from hoshin.errors import NotFound, PreconditionFailed
from hoshin.planfile import read_plan
from hoshin.service import objective as objective_service
from hoshin.service.analysis import AnalysisCache
from hoshin.service.asker import Who
from hoshin.service.checkin import get_actual, record_actual
from hoshin.service.objective import update_objective
from hoshin.service.versioned import Change
from hoshin.store.organization import create_organization
from hoshin.store.plan import replace_plan
from hoshin.store.plan_load import load_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
AS_OF = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def test_cache_matches_a_fresh_analysis_after_random_check_ins(session: Session) -> None:
    org = create_organization(session, slug="clinic", name="Clinic")
    replace_plan(session, org=org, plan=read_plan(SMALL))
    session.commit()
    cache = AnalysisCache()
    rng = random.Random(2026)
    months = [Month.of(2026, n) for n in range(1, 8)]
    for step in range(30):
        metric = rng.choice(["falls", "huddles", "trained"])
        period = rng.choice(months)
        value = round(rng.uniform(0, 100), 1)
        try:
            current = get_actual(session, org=org, metric=metric, period=period).version
        except NotFound:
            current = None
        stale = rng.random() < 0.2 and current is not None
        try:
            record_actual(
                session, org=org, role="editor", person=None, metric=metric, period=period,
                value=value, if_match=(current - 1 if stale and current else current),
                who=Who("test"), now=NOW,
            )  # fmt: skip
            session.commit()
        except PreconditionFailed:
            session.rollback()
        if step % 3 == 0:
            cached = cache.get(session, org=org, as_of=AS_OF)
            fresh_plan = load_plan(session, org=org)
            assert cached.plan == fresh_plan
            assert report(cached.plan, cached.analysis) == report(
                fresh_plan, analyze(fresh_plan, AS_OF)
            )


def test_a_cached_analysis_is_reused_until_the_plan_changes(session: Session) -> None:
    org = create_organization(session, slug="clinic", name="Clinic")
    replace_plan(session, org=org, plan=read_plan(SMALL))
    session.commit()
    cache = AnalysisCache()
    first = cache.get(session, org=org, as_of=AS_OF)
    assert cache.get(session, org=org, as_of=AS_OF).analysis is first.analysis
    record_actual(
        session, org=org, role="editor", person=None, metric="falls",
        period=Month.of(2026, 6), value=20.0, if_match=None, who=Who("test"), now=NOW,
    )  # fmt: skip
    session.commit()
    second = cache.get(session, org=org, as_of=AS_OF)
    assert second.analysis is not first.analysis
    assert second.plan_version == first.plan_version + 1


def test_new_actuals_update_the_kept_plan_other_changes_load_it_again(session: Session) -> None:
    # A check-in leaves its version in the audit trail: the cache brings the kept plan and
    # analysis up to date with it; an import leaves none, so the plan is loaded again.
    org = create_organization(session, slug="clinic", name="Clinic")
    replace_plan(session, org=org, plan=read_plan(SMALL))
    session.commit()
    cache = AnalysisCache()
    first = cache.get(session, org=org, as_of=AS_OF)
    for month, value in ((6, 25.0), (7, 30.0)):
        record_actual(
            session, org=org, role="editor", person=None, metric="trained",
            period=Month.of(2026, month), value=value, if_match=None, who=Who("test"), now=NOW,
        )  # fmt: skip
    session.commit()
    second = cache.get(session, org=org, as_of=AS_OF)
    assert second.plan_version == first.plan_version + 2
    trained = second.plan.objectives[2].metrics[0]
    assert trained.actuals[Month.of(2026, 6)] == 25.0
    assert second.plan.actions is first.plan.actions  # updated in place, not loaded again
    # T1: trained 25 in June = planned 25 (tests/domain/test_incremental.py): green
    assert second.analysis.objectives["T1"].status == "green"
    assert second.analysis == analyze(load_plan(session, org=org), AS_OF)
    replace_plan(session, org=org, plan=read_plan(SMALL))
    session.commit()
    third = cache.get(session, org=org, as_of=AS_OF)
    assert third.plan.actions is not first.plan.actions
    assert third.analysis.objectives["T1"].status == "red"


def test_an_objective_read_from_the_kept_plan_is_the_stored_one(session: Session) -> None:
    """The objective read answers from the cache's plan instead of three queries: for every
    objective of the demo plan (40) and of examples/small.yaml, the same JSON as the stored
    rows give, version included; after an edit, the new title at version 2."""
    for slug, plan in (("demo", demo_plan(AS_OF)), ("clinic", read_plan(SMALL))):
        org = create_organization(session, slug=slug, name=slug)
        replace_plan(session, org=org, plan=plan)
        session.commit()
        cache = AnalysisCache()
        analysed = cache.get(session, org=org, as_of=AS_OF)
        for objective in plan.objectives:
            kept = objective_service.kept_detail(analysed, key=objective.id)
            assert kept == objective_service.detail(session, org=org, key=objective.id)
    edited = replace(plan.objectives[0], title="Fewer falls, sooner")
    update_objective(session, change=Change(org, Who("test"), 1), role="editor", objective=edited)
    session.commit()
    kept = objective_service.kept_detail(cache.get(session, org=org, as_of=AS_OF), key="B1")
    assert kept == objective_service.detail(session, org=org, key="B1")
    assert (kept["title"], kept["version"]) == ("Fewer falls, sooner", 2)

"""The bulk import of a plan (store.plan.replace_plan): every field comes back, and an import
that fails part way leaves the previous plan as it was; on SQLite and PostgreSQL, with the
foreign keys checked row by row and (PostgreSQL, a large plan) checked after the load."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hoshin.domain.model import (
    Action,
    Countermeasure,
    Metric,
    Objective,
    Organization,
    Person,
    Plan,
    Risk,
    SituationItem,
    Unit,
    Vision,
)
from hoshin.domain.months import Month
from hoshin.store import plan as plan_store
from hoshin.store.metric import ActualRow
from hoshin.store.organization import OrganizationRow, create_organization
from hoshin.store.plan import plan_rows, replace_plan
from hoshin.store.plan_load import load_plan

JAN, FEB, MAR = Month.of(2026, 1), Month.of(2026, 2), Month.of(2026, 3)


@pytest.fixture(params=["row by row", "after the load"])
def checks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How the foreign keys are checked: after the load for every plan (PostgreSQL only;
    otherwise from 100,000 rows), or row by row as a small plan's are."""
    mode: str = request.param
    if mode == "after the load":
        monkeypatch.setattr(plan_store, "CHECKED_AFTER", 0)
    return mode


def full_plan() -> Plan:
    """A small plan with every field of every entity set, some to a value not the default."""
    revenue = Metric(
        "rev", "Revenue", direction="increase", baseline=10.0, baseline_period=JAN,
        target=20.0, rate_per_year=0.5, target_period=Month.of(2027, 12), trajectory="compound",
        targets={FEB: 11.5, MAR: 12.0}, tolerance=0.05, weight=2.0, frequency="quarterly",
        actuals={JAN: 10.25, FEB: 11, MAR: -3.5}, unit="M€", minimum=0.0, maximum=99.5,
        owner="ann",
    )  # fmt: skip
    defects = Metric("def", "Defects", direction="decrease", trajectory="linear")
    return Plan(
        organization=Organization("Ørsted & Co", fiscal_year_start=4),
        vision=Vision("Be the best", "Why we exist", 2031, ("care", "speed")),
        units=(Unit("hq", "Head office", lead="ann"), Unit("ops", "Operations", "hq", "bob")),
        people=(Person("ann", "Ann", "hq", "ann@example.com"), Person("bob", "Bob", "ops")),
        objectives=(
            Objective(
                "B1",
                "Grow",
                "breakthrough",
                owner="ann",
                unit="hq",
                start=JAN,
                end=Month.of(2028, 12),
                customer_benefit="cheaper",
                tolerance=0.2,
                description="the big one",
                addresses=("s1", "s2"),
            ),
            Objective(
                "A1",
                "Grow this year",
                "annual",
                owner="bob",
                unit="ops",
                supports={"B1": 0.75},
                supports_strength={"B1": "medium"},
                metrics=(revenue, defects),
            ),
        ),
        actions=(
            Action(
                "X1",
                "Hire",
                owner="bob",
                unit="ops",
                serves=("A1", "B1"),
                moves=("rev",),
                start=date(2026, 1, 5),
                due=date(2026, 3, 31),
                duration_days=40,
                done=True,
                progress=1.0,
                budget=1500.5,
                fte=0.5,
                risks=(Risk("no one applies", "agency", "no CV by May", "high"), Risk("too slow")),
                serves_strength={"B1": "weak"},
                moves_strength={"rev": "medium"},
            ),
            Action("X2", "Train", requires=("X1",), progress=0.25),
        ),
        countermeasures=(
            Countermeasure(
                "C1",
                "rev",
                MAR,
                cause="a lost client",
                action="call them",
                owner="ann",
                due=date(2026, 4, 30),
                status="closed",
                effect="back on plan",
            ),
        ),
        situation=(
            SituationItem("s1", "strength", "loyal clients"),
            SituationItem("s2", "threat", "a new rival"),
        ),
    )


def imported(session: Session, plan: Plan) -> OrganizationRow:
    """A new organisation holding ``plan``, committed."""
    org = create_organization(session, slug="acme", name="Acme")
    replace_plan(session, org=org, plan=plan)
    session.commit()
    return org


def test_every_field_comes_back_from_the_database(session: Session, checks: str) -> None:
    plan = full_plan()
    org = imported(session, plan)
    session.expire_all()
    loaded = load_plan(session, org=org)
    assert loaded == plan
    # the int 11 of February is stored as the real it is (REAL affinity, double precision)
    assert isinstance(loaded.objectives[1].metrics[0].actuals[FEB], float)


def test_importing_again_replaces_the_plan(session: Session, checks: str) -> None:
    org = imported(session, full_plan())
    smaller = replace(full_plan(), actions=(), countermeasures=())
    replace_plan(session, org=org, plan=smaller)
    replace_plan(session, org=org, plan=smaller)  # twice in one transaction
    session.commit()
    session.expire_all()
    assert load_plan(session, org=org) == smaller
    assert org.plan_version == 3


def test_an_imports_actuals_share_one_timestamp_in_utc(session: Session, checks: str) -> None:
    before = datetime.now(UTC)
    org = imported(session, full_plan())
    stamps = set(session.scalars(select(ActualRow.updated_at).where(ActualRow.org_id == org.id)))
    assert len(stamps) == 1
    (stamp,) = stamps
    assert stamp.tzinfo is not None and before <= stamp <= datetime.now(UTC)
    versions = set(session.scalars(select(ActualRow.version).where(ActualRow.org_id == org.id)))
    assert versions == {1}


def with_a_second_metric_rev(plan: Plan) -> Plan:
    """``plan`` with another metric of id "rev" (the unique key refuses it on insert)."""
    grow = plan.objectives[0]
    twin = Metric("rev", "Revenue again", actuals={JAN: 1.0})
    return replace(plan, objectives=(replace(grow, metrics=(twin,)), *plan.objectives[1:]))


def with_an_owner_who_is_nobody(plan: Plan) -> Plan:
    """``plan`` with an action owned by a person it does not have (a foreign key)."""
    return replace(plan, actions=(*plan.actions, Action("X3", "Ghost work", owner="ghost")))


@pytest.mark.parametrize(
    "broken", [with_a_second_metric_rev, with_an_owner_who_is_nobody], ids=["duplicate", "ghost"]
)
def test_a_failed_import_leaves_the_previous_plan_as_it_was(
    session: Session, checks: str, broken: object
) -> None:
    first = full_plan()
    org = imported(session, first)
    renamed = (first.units[0], Unit("ops", "Ops renamed", "hq"))
    second = replace(first, vision=Vision("Something else"), units=renamed)
    assert callable(broken)
    with pytest.raises(IntegrityError):
        replace_plan(session, org=org, plan=broken(second))
        session.commit()  # a deferred foreign key is checked here
    session.rollback()
    session.expire_all()
    assert load_plan(session, org=org) == first
    assert session.get(OrganizationRow, org.id).plan_version == 1  # type: ignore[union-attr]


def test_plan_rows_gives_column_dictionaries(session: Session) -> None:
    rows = dict(plan_rows(7, full_plan()))
    actuals = rows[ActualRow]
    assert actuals[0] == {"org_id": 7, "metric": "rev", "period": int(JAN), "value": 10.25}
    assert len(actuals) == 3

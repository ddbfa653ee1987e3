"""A plan in and out of the database: same entities, same analysis, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import analyze
from hoshin.domain.model import Plan
from hoshin.domain.report import report
from hoshin.planfile import read_plan
from hoshin.runtime.engine import make_engine
from hoshin.store.migrate import current_revision, head_revision, is_current, upgrade
from hoshin.store.organization import create_organization
from hoshin.store.plan import replace_plan
from hoshin.store.plan_load import load_plan
from hoshin.store.tables import MetricRow, ObjectiveRow, UnitRow, metadata

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
AS_OF = date(2026, 6, 15)


def plans() -> list[tuple[str, Plan]]:
    """Every example plan of the repository and the demo."""
    return [(p.name, read_plan(p)) for p in EXAMPLES] + [("demo", demo_plan(AS_OF))]


def test_migrations_build_the_whole_schema_from_an_empty_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    else:
        engine = request.getfixturevalue("engine")
        with engine.begin() as connection:  # make it empty again
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    assert current_revision(engine) is None
    upgrade(engine)
    assert is_current(engine) and current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)
    engine.dispose()


@pytest.mark.parametrize(("name", "plan"), plans(), ids=[name for name, _ in plans()])
def test_round_trip_gives_the_same_entities_and_analysis(
    session: Session, name: str, plan: Plan
) -> None:
    org = create_organization(session, slug="acme", name="Acme")
    replace_plan(session, org=org, plan=plan)
    session.commit()
    session.expire_all()
    loaded = load_plan(session, org=org)
    assert loaded == plan
    assert report(loaded, analyze(loaded, AS_OF)) == report(plan, analyze(plan, AS_OF))


def test_replacing_a_plan_leaves_nothing_of_the_old_one(session: Session) -> None:
    org = create_organization(session, slug="acme", name="Acme")
    replace_plan(session, org=org, plan=demo_plan(AS_OF))
    small = read_plan(EXAMPLES[0])
    replace_plan(session, org=org, plan=small)
    session.commit()
    assert load_plan(session, org=org) == small
    assert org.plan_version == 2


def test_two_organisations_keep_separate_plans_with_the_same_ids(session: Session) -> None:
    small = read_plan(EXAMPLES[0])
    first = create_organization(session, slug="one", name="One")
    second = create_organization(session, slug="two", name="Two")
    replace_plan(session, org=first, plan=small)
    replace_plan(session, org=second, plan=demo_plan(AS_OF))
    session.commit()
    assert load_plan(session, org=first) == small
    assert load_plan(session, org=second) == demo_plan(AS_OF)


def test_the_database_refuses_a_reference_to_an_unknown_person(
    session: Session, engine: Engine
) -> None:
    org = create_organization(session, slug="acme", name="Acme")
    session.commit()
    ghost = {"key": "B1", "title": "T", "level": "breakthrough", "owner": "ghost"}
    session.add(ObjectiveRow(org_id=org.id, tolerance=0.1, **ghost))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_a_units_lead_and_a_metrics_owner_are_stored(session: Session) -> None:
    plan = read_plan(EXAMPLES[0])
    person = plan.people[0].id
    objective = plan.objectives[0]
    owned = replace(objective, metrics=(replace(objective.metrics[0], owner=person),))
    units = (replace(plan.units[0], lead=person), *plan.units[1:])
    plan = replace(plan, units=units, objectives=(owned, *plan.objectives[1:]))
    org = create_organization(session, slug="acme", name="Acme")
    replace_plan(session, org=org, plan=plan)
    session.commit()
    session.expire_all()
    loaded = load_plan(session, org=org)
    assert (loaded.units[0].lead, loaded.objectives[0].metrics[0].owner) == (person, person)
    assert loaded == plan


@pytest.mark.parametrize(
    ("row", "values"),
    [(UnitRow, {"key": "u1", "name": "U", "lead": "ghost"}),
     (MetricRow, {"key": "m1", "objective": "B1", "name": "M", "direction": "increase",
                  "trajectory": "linear", "tolerance": 0.1, "weight": 1.0,
                  "frequency": "monthly", "owner": "ghost"})],
    ids=["lead", "metric owner"],
)  # fmt: skip
def test_the_database_refuses_a_lead_or_a_metric_owner_who_is_nobody(
    session: Session, row: type[Any], values: dict[str, Any]
) -> None:
    org = create_organization(session, slug="acme", name="Acme")
    session.add(ObjectiveRow(org_id=org.id, key="B1", title="T", level="breakthrough",
                             tolerance=0.1))  # fmt: skip
    session.commit()
    session.add(row(org_id=org.id, **values))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()

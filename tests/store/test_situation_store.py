"""The situation in the database, on SQLite and PostgreSQL: items and addresses kept in plan
order, an addressed item held by its objectives, a deleted objective's addresses gone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hoshin.domain.model import Objective
from hoshin.planfile import read_plan
from hoshin.store.objective import ObjectiveRow
from hoshin.store.organization import create_organization
from hoshin.store.plan import replace_plan
from hoshin.store.plan_load import load_plan
from hoshin.store.situation import SituationItemRow, addressing, situation_items

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"


def stored(session: Session) -> int:
    """examples/small.yaml as organisation acme; its id."""
    org = create_organization(session, slug="acme", name="Acme")
    replace_plan(session, org=org, plan=read_plan(SMALL))
    session.commit()
    return org.id


def test_items_and_the_objectives_that_address_them_are_read_in_plan_order(
    session: Session,
) -> None:
    org_id = stored(session)
    keys = [row.key for row in situation_items(session, org_id=org_id)]
    assert keys == ["s-nurses", "w-falls", "o-alarms", "t-inspection"]
    # T1 addresses w-falls and t-inspection
    assert addressing(session, org_id=org_id) == {"w-falls": ["T1"], "t-inspection": ["T1"]}


def test_the_database_refuses_to_delete_an_item_an_objective_addresses(
    session: Session,
) -> None:
    org_id = stored(session)
    session.execute(
        delete(SituationItemRow).where(
            SituationItemRow.org_id == org_id, SituationItemRow.key == "w-falls"
        )
    )
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_a_deleted_objective_takes_its_addresses_with_it(session: Session) -> None:
    plan = read_plan(SMALL)
    extra = Objective("T2", "Fit bed-exit alarms", "team", addresses=("o-alarms", "w-falls"))
    org = create_organization(session, slug="acme", name="Acme")
    replace_plan(session, org=org, plan=replace(plan, objectives=(*plan.objectives, extra)))
    session.commit()
    assert addressing(session, org_id=org.id)["o-alarms"] == ["T2"]
    session.execute(
        delete(ObjectiveRow).where(ObjectiveRow.org_id == org.id, ObjectiveRow.key == "T2")
    )
    session.commit()
    assert addressing(session, org_id=org.id) == {"w-falls": ["T1"], "t-inspection": ["T1"]}
    assert load_plan(session, org=org) == plan

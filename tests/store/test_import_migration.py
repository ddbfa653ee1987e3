"""Migrations 0011 and 0012, up and down on SQLite and PostgreSQL: the actuals lose their own
index of org_id (their unique key starts with it); units are indexed by lead and parent."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from hoshin.store.migrate import alembic_config, current_revision, upgrade


def indexes(engine: Engine, table: str) -> set[str]:
    """The names of the indexes of ``table`` (its unique keys' aside)."""
    return {str(index["name"]) for index in inspect(engine).get_indexes(table)}


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_0011_drops_the_actuals_index_of_org_id_and_0010_has_it(engine: Engine) -> None:
    assert "ix_actuals_org_id" not in indexes(engine, "actuals")
    downgrade(engine, "0010")
    assert current_revision(engine) == "0010"
    assert "ix_actuals_org_id" in indexes(engine, "actuals")
    upgrade(engine, "0011")
    assert current_revision(engine) == "0011"
    assert "ix_actuals_org_id" not in indexes(engine, "actuals")


def test_0012_indexes_units_by_lead_and_parent_and_0011_does_not(engine: Engine) -> None:
    by_lead_and_parent = {"ix_units_org_id_lead", "ix_units_org_id_parent"}
    assert indexes(engine, "units") >= by_lead_and_parent
    downgrade(engine, "0011")
    assert not indexes(engine, "units") & by_lead_and_parent
    upgrade(engine, "0012")
    assert indexes(engine, "units") >= by_lead_and_parent

"""Migration 0011: the actuals lose their own index of org_id (their unique key starts with
it) and get it back on the way down; on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from hoshin.store.migrate import alembic_config, current_revision, upgrade


def actuals_indexes(engine: Engine) -> set[str]:
    """The names of the indexes of the actuals table (its unique key's aside)."""
    return {str(index["name"]) for index in inspect(engine).get_indexes("actuals")}


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_0011_drops_the_actuals_index_of_org_id_and_0010_has_it(engine: Engine) -> None:
    assert "ix_actuals_org_id" not in actuals_indexes(engine)
    downgrade(engine, "0010")
    assert current_revision(engine) == "0010"
    assert "ix_actuals_org_id" in actuals_indexes(engine)
    upgrade(engine, "0011")
    assert current_revision(engine) == "0011"
    assert "ix_actuals_org_id" not in actuals_indexes(engine)

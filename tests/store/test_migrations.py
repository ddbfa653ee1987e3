"""The migrations build exactly the schema the tables declare (STYLE: migrations are code)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from hoshin.store.tables import metadata


def test_migrated_schema_matches_the_tables(engine: Engine) -> None:
    """A database migrated from empty (the fixtures do so) differs in nothing from the models:
    a table, column, index or foreign key added to a model without a migration fails here."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []

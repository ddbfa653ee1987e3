"""Alembic environment: runs the migrations on the connection or URL hoshin passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from hoshin.store import tables

target_metadata = tables.metadata


def run(connection: Connection) -> None:
    """Runs the migrations on one connection, in one transaction."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    # Alembic's own command line (a developer's autogenerate): a plain engine will do.
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        run(connection)
    engine.dispose()

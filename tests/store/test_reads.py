"""A request that reads runs outside a transaction on PostgreSQL (runtime.engine.reads): no BEGIN
and no COMMIT round trips; one that may write keeps its transaction; SQLite's keep theirs."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from hoshin.runtime.engine import session_factory
from hoshin.runtime.sessions import new_request_session


def _in_a_transaction(engine: Engine, session: Session) -> bool:
    """Whether the database holds a transaction open for ``session`` after a statement."""
    if engine.dialect.name == "sqlite":
        session.execute(text("SELECT 1"))
        return bool(session.connection().connection.dbapi_connection.in_transaction)  # type: ignore[union-attr]
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with engine.connect() as other:  # what the server says of that connection
        state = other.execute(
            text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        ).scalar_one()
    return bool(state == "idle in transaction")


def test_a_read_runs_outside_a_transaction_on_postgresql_only(engine: Engine) -> None:
    sessions = session_factory(engine)
    with new_request_session(sessions, "GET") as read:
        assert _in_a_transaction(engine, read) is (engine.dialect.name == "sqlite")
    with new_request_session(sessions, "PUT") as change:
        assert _in_a_transaction(engine, change) is True
    with sessions() as plain:  # the pool gave the reader's connection back as it was
        assert _in_a_transaction(engine, plain) is True

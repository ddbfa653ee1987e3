"""Engines and sessions: SQLite (WAL, foreign keys on) or PostgreSQL through psycopg 3."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_MS = 5000
WRITES = "hoshin_writes"  # execution option: this transaction will write


# Connections a process keeps: a server process lets 8 requests in at once (api.admission),
# plus one that notes a token's use. With SQLAlchemy's default of 5, the connections past the
# fifth were opened and closed again for every request under load: a new PostgreSQL backend
# each time, and answers up to 2 s late.
POOL_SIZE = 10
POOL_OVERFLOW = 5


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, enforced foreign keys, a busy timeout, and
    transactions that take the write lock first when they will write."""
    pooled = url.startswith(("sqlite:///", "postgresql")) and url != "sqlite:///:memory:"
    if pooled and "poolclass" not in options:  # a database in memory has a pool of one
        options = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW, **options}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def begin_writing(session: Session) -> None:
    """Starts ``session``'s transaction as one that will write (call it before any query).

    SQLite begins a transaction as a reader; one that read and then writes while another
    connection has committed since cannot wait for the lock and fails at once ("database is
    locked"). Beginning with the write lock (BEGIN IMMEDIATE) makes it wait its turn
    instead (up to the busy timeout). PostgreSQL needs nothing: its rows lock one by one.
    """
    session.connection(execution_options={WRITES: True})


def _sqlite_begin(connection: Connection) -> None:
    # pysqlite's own BEGIN is off (isolation_level None, below): this one decides the mode.
    writes = connection.get_execution_options().get(WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN instead
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that the boundary (a request, a command) commits; objects stay readable after."""
    return sessionmaker(engine, expire_on_commit=False)

"""Engines and sessions: SQLite (WAL, foreign keys on) or PostgreSQL through psycopg 3."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from hoshin.runtime.turns import turn_of

SQLITE_BUSY_MS = 5000
WRITES = "hoshin_writes"  # execution option: this transaction will write
WRITING_BIND = "hoshin_writing_bind"  # in a session's info: its engine with WRITES set
READING_BIND = "hoshin_reading_bind"  # in a session's info: its engine for reads, if any
TURN = "hoshin_turn"  # in a pooled SQLite connection's info: the writers' turn it holds


# Connections a process keeps: a server process lets 8 requests in at once (runtime.admission),
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
        event.listen(engine.pool, "checkin", _end_transaction)
        event.listen(engine.pool, "checkin", _give_back_turn)
        event.listen(engine.pool, "invalidate", _give_back_turn)
        return engine
    # No pre-ping: it was a round trip before every request's first statement (one of four
    # for a read, BENCHMARKS.md). A connection lost meanwhile fails its statement instead,
    # SQLAlchemy replaces the pool's connections, and the request boundary retries a read
    # once (runtime.one_thread) or answers 503 (runtime.sessions.DATABASE_ERROR).
    return create_engine(url, **options)


def begin_writing(session: Session) -> None:
    """Starts ``session``'s transaction as one that will write (call it before any query).

    SQLite begins a transaction as a reader; one that read and then writes while another
    connection has committed since cannot wait for the lock and fails at once ("database is
    locked"). Beginning with the write lock (BEGIN IMMEDIATE), after the writers' turn
    (runtime.turns), makes it wait its turn instead. PostgreSQL needs nothing: its rows lock
    one by one.
    """
    session.connection(execution_options={WRITES: True})


def writes(session: Session) -> None:
    """Marks ``session`` as one whose transactions write: each begins as begin_writing's
    does, at its first statement (call it before any query)."""
    # The engine with the option is made once, by session_factory: every request that may
    # write asks for it, and making one copies the engine's options.
    bind = session.info.get(WRITING_BIND) or session.get_bind().execution_options(**{WRITES: True})
    session.bind = bind


def reads(session: Session) -> None:
    """Marks ``session`` as one that only reads: on PostgreSQL its statements run outside a
    transaction (autocommit), so that BEGIN and COMMIT are not round trips of their own.
    Under PostgreSQL's READ COMMITTED each statement sees what was committed when it began,
    in a transaction or not, so a reader sees the same. SQLite's readers keep theirs (WAL:
    a reader's transaction is its snapshot, and costs no round trip)."""
    bind = session.info.get(READING_BIND)
    if bind is not None:
        session.bind = bind


def read_first(session: Session) -> None:
    """Begins ``session``'s transaction as a reader even if it is marked as writing: what it
    reads until end_reading runs beside the writers, outside their turn. A transaction
    that has begun already goes on as it is."""
    if not session.in_transaction():
        session.connection(execution_options={WRITES: False})


def end_reading(session: Session) -> None:
    """Ends the reader transaction of read_first on SQLite: the next statement begins the
    writing one. On PostgreSQL the one transaction goes on (nothing waits for a turn)."""
    if session.get_bind().dialect.name == "sqlite":
        session.commit()


def _sqlite_begin(connection: Connection) -> None:
    # pysqlite's own BEGIN is off (isolation_level None, below): this one decides the mode.
    if not connection.get_execution_options().get(WRITES, False):
        connection.exec_driver_sql("BEGIN")
        return
    turn = turn_of(connection.engine)
    turn.take(SQLITE_BUSY_MS / 1000)
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        turn.give_back()
        raise
    connection.info[TURN] = turn  # given back when the connection returns to the pool


def _end_transaction(dbapi_connection: Any, _record: Any) -> None:
    # A COMMIT that SQLite refused (a deferred foreign key: a metric deleted meanwhile)
    # leaves its transaction open, and SQLAlchemy, which saw the COMMIT fail, resets the
    # connection without rolling it back; the next BEGIN on it would fail ("cannot start a
    # transaction within a transaction"). So it is rolled back here, before anyone reuses it.
    if dbapi_connection is not None and dbapi_connection.in_transaction:
        dbapi_connection.rollback()


def _give_back_turn(_dbapi_connection: Any, record: Any, *_: Any) -> None:
    # The pool takes a connection back after its transaction's COMMIT or ROLLBACK: only
    # then may the next writer begin (the engine's "commit" event comes before the COMMIT).
    turn = record.info.pop(TURN, None) if record is not None else None
    if turn is not None:
        turn.give_back()


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
    writing = engine.execution_options(**{WRITES: True})
    info: dict[str, Any] = {WRITING_BIND: writing}
    if engine.dialect.name == "postgresql":
        info[READING_BIND] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return sessionmaker(engine, expire_on_commit=False, info=info)

"""Opening the database for a command or a server process: engine, sessions, schema check."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session as Session  # what routes and pages are handed
from sqlalchemy.orm import sessionmaker

from hoshin.errors import Busy, Conflict, HoshinError
from hoshin.runtime.engine import (
    WRITES,
    begin_writing,
    end_reading,
    make_engine,
    read_first,
    reads,
    session_factory,
    writes,
)
from hoshin.store.migrate import current_revision, head_revision, upgrade

# for the boundaries: a request or command that will write, and one that reads first
__all__ = ["begin_writing", "end_reading", "read_first"]
_log = logging.getLogger("hoshin")
# A process's source of sessions: the routes, pages and commands name these two types from
# here, and only the runtime and the store touch SQLAlchemy itself.
Sessions = sessionmaker[Session]
T = TypeVar("T")
READS = frozenset(("GET", "HEAD", "OPTIONS"))  # HTTP methods that change nothing
# What a COMMIT refuses when another change came first in the meantime: something the change
# refers to was deleted (foreign keys are checked at COMMIT) or a unique row was created.
# The boundaries answer it as changed_meanwhile's Conflict; nothing of the change is saved.
REFUSED_AT_COMMIT = IntegrityError
# What a statement raises when the connection it ran on was lost (the server restarted, or
# ended an idle connection): the pool checks no connection before use (runtime.engine), and
# SQLAlchemy replaces every connection older than the loss. The boundaries retry a read
# once and answer any other request connection_lost's Busy (503, retry).
DATABASE_ERROR = DBAPIError


class SchemaOutdated(HoshinError):
    """The database is not at the newest migration."""


def open_engine(url: str) -> Engine:
    """An engine for ``url``; raises HoshinError with the reason when it cannot connect."""
    try:
        engine = make_engine(url)
    except (ArgumentError, ValueError) as error:
        raise HoshinError(f"cannot use the database URL {_safe(url)}: {error}") from None
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as error:
        engine.dispose()
        if database_busy(error):  # a new SQLite file's first connection makes it WAL: a write
            raise busy_database(error) from None
        raise HoshinError(f"cannot open the database {_safe(url)}: {_reason(error)}") from None
    return engine


def check_schema(engine: Engine) -> None:
    """Raises SchemaOutdated, naming the command to run, unless the schema is the newest."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        state = "empty" if current is None else f"at migration {current}, not {head}"
        url = _safe(engine.url.render_as_string(hide_password=False))
        raise SchemaOutdated(f"the database {url} is {state}: run `hoshin db upgrade` first")


def open_sessions(url: str) -> Sessions:
    """Sessions on a database whose schema is current (for a server process)."""
    engine = open_engine(url)
    try:
        check_schema(engine)
    except SchemaOutdated:
        engine.dispose()
        raise
    return session_factory(engine)


@contextmanager
def one_session(url: str, *, writing: bool = True) -> Iterator[Session]:
    """A session for one command; the command commits, and the engine closes afterwards.

    A command that changes data (``writing``, the default) begins each transaction as
    begin_writing does: several commands at once on one SQLite file take turns instead of
    failing with "database is locked" (SQLite fails at once a transaction that read and then
    writes after another's commit). A command that only reads passes ``writing=False``, so
    that a long read (an export, a report) keeps no writer waiting.
    """
    engine = open_engine(url)
    try:
        check_schema(engine)
        with session_factory(engine)() as session:
            if writing:
                writes(session)
            yield session
    finally:
        engine.dispose()


def upgrade_database(url: str) -> tuple[str | None, str | None]:
    """Migrates the database to the newest schema; returns (before, after) revisions."""
    engine = open_engine(url)
    try:
        before = current_revision(engine)
        # In the writers' turn, as a command's change: a migration that read the schema
        # and then wrote beside another writer would fail on SQLite (one_session).
        upgrade(engine.execution_options(**{WRITES: True}))
        return before, current_revision(engine)
    finally:
        engine.dispose()


def busy_database(error: Exception) -> Busy:
    """The Busy to show for a statement SQLite refused because another connection held the
    write lock past the busy timeout (a DATABASE_ERROR: "database is locked"); any other
    error is raised again."""
    if not database_busy(error):
        raise error
    return Busy("the database is busy: another hoshin command is writing; try again")


def database_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's refusal of a statement while another connection held
    the write lock past the busy timeout ("database is locked")."""
    code = getattr(getattr(error, "orig", None), "sqlite_errorcode", None)
    # The primary code: SQLITE_BUSY_SNAPSHOT and SQLITE_BUSY_TIMEOUT are BUSY's extended ones.
    return isinstance(code, int) and code & 0xFF == sqlite3.SQLITE_BUSY


def _safe(url: str) -> str:
    """The URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable URL)"


def _reason(error: SQLAlchemyError) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def new_request_session(sessions: sessionmaker[Session], method: str) -> Session:
    """A session for one HTTP request, not yet connected (making it needs no database). A
    request whose method may change something writes from its first statement (SQLite then
    waits for its turn and the write lock instead of failing when another writer came
    first), unless it reads first (runtime.engine.read_first); one that reads runs outside a
    transaction on PostgreSQL (runtime.engine.reads)."""
    session = sessions()
    if method not in READS:
        writes(session)
    else:
        reads(session)
    return session


def request_session(sessions: sessionmaker[Session], method: str) -> Iterator[Session]:
    """A session for one HTTP request (a FastAPI dependency's body): committed when the
    route returns, rolled back on error."""
    with new_request_session(sessions, method) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def in_own_transaction(sessions: sessionmaker[Session], work: Callable[[Session], object]) -> None:
    """``work(session)`` in a writing transaction of its own, committed (a note that must
    not make the request around it a writer, such as a token's last use)."""
    with sessions() as session:
        begin_writing(session)
        work(session)
        session.commit()


def changed_meanwhile(error: Exception) -> Conflict:
    """The Conflict to answer for a change its COMMIT refused (REFUSED_AT_COMMIT)."""
    _log.warning("a change was refused by the database: %s", _reason_of(error))
    return Conflict(
        "another change was saved meanwhile (something this one refers to was deleted or "
        "created first): nothing of this one was saved; read it again and retry"
    )


def lost_connection(error: BaseException) -> bool:
    """Whether ``error`` is a statement's on a connection that was lost (DATABASE_ERROR)."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


def once_more_if_lost(run: Callable[[], T]) -> T:
    """``run()``, and once more when it failed on a lost connection (DATABASE_ERROR): for
    a read, which changed nothing; the second runs on a new connection."""
    try:
        return run()
    except DATABASE_ERROR as error:
        if not lost_connection(error):
            raise
    return run()


def connection_lost(error: Exception) -> Busy:
    """The Busy to answer for a request whose connection was lost, or whose statement SQLite
    refused because another program (a `hoshin` command, a backup) held the write lock past
    the busy timeout (DATABASE_ERROR); any other database error is raised again, for the
    server's 500."""
    if database_busy(error):
        _log.warning("the database was busy past the timeout: %s", _reason_of(error))
        return busy_database(error)
    if not lost_connection(error):
        raise error
    _log.warning("the connection to the database was lost: %s", _reason_of(error))
    return Busy("the connection to the database was lost and is open again: retry")


def _reason_of(error: Exception) -> str:
    return _reason(error) if isinstance(error, SQLAlchemyError) else str(error)

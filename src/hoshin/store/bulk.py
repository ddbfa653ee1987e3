"""Rows into a table in bulk, in the transaction of the connection: SQLite's executemany of
plain tuples, PostgreSQL's binary COPY (store.plan writes a whole plan with it).

SQLAlchemy's ORM insert of the same rows spent two thirds of its CPU time processing each
value of each row's dictionary and calling the ``updated_at`` default once per actual
(pyinstrument, 10,000 people on SQLite); here each row is a tuple handed to the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import repeat
from operator import add
from typing import Any

from sqlalchemy import Column, Connection, text
from sqlalchemy.exc import DBAPIError

from hoshin.store.base import Base, table_of

Row = tuple[Any, ...]
# Values of these types go to the drivers as they are, without SQLAlchemy's bind processing
# (SQLite's REAL affinity stores an int as a real, as the processor would).
PLAIN = (int, float, str)
_COLUMN_TYPES = text(
    "SELECT attname, atttypid::int FROM pg_attribute"
    " WHERE attrelid = CAST(:table AS regclass) AND attnum > 0 AND NOT attisdropped"
)


@dataclass(frozen=True, slots=True)
class TableRows:
    """The rows of one table: their columns and their values in that order."""

    table: type[Base]
    columns: tuple[str, ...]
    rows: Iterable[Row]  # read once (the actuals are made as they are written)


def insert_rows(connection: Connection, table_rows: TableRows) -> None:
    """Inserts the rows in bulk on ``connection``, in its transaction: SQLite's executemany,
    PostgreSQL's COPY. A column the rows leave out takes its default, one value for all
    (an import's actuals share their ``updated_at``); values go through SQLAlchemy's bind
    processing (JSON, dates) unless they are PLAIN. A refused row raises SQLAlchemy's
    error, as any statement's would (an IntegrityError for a duplicate id)."""
    table = table_of(table_rows.table)
    given = table_rows.columns
    defaults = {
        c.name: _default(c) for c in table.columns if c.name not in given and c.default is not None
    }
    constants = tuple(_processed_value(table.c[n], v, connection) for n, v in defaults.items())
    processors = [
        (i, p) for i, name in enumerate(given) if (p := _processor(table.c[name], connection))
    ]
    names = [*given, *defaults]
    rows = _processed(table_rows.rows, processors, constants)
    quote = connection.dialect.identifier_preparer.quote
    into = f"{quote(table.name)} ({', '.join(map(quote, names))})"
    if connection.dialect.name == "postgresql":
        _copy(
            connection,
            f"COPY {into} FROM STDIN (FORMAT BINARY)",
            _types(connection, table.name, names),
            rows,
        )
        return
    # SQLite is the other database: pysqlite's parameters are question marks
    statement = f"INSERT INTO {into} VALUES ({', '.join('?' * len(names))})"
    driver = connection.connection.driver_connection
    assert driver is not None
    # the driver's executemany reads the rows as they are made: no list of millions in memory
    with _statement_errors(connection, statement), closing(driver.cursor()) as cursor:
        cursor.executemany(statement, rows)


def _default(column: Column[Any]) -> Any:
    """The value of the column's Python-side default."""
    default = column.default
    assert default is not None
    return default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]


def _processor(column: Column[Any], connection: Connection) -> Callable[[Any], Any] | None:
    """SQLAlchemy's bind processing of the column on this database; None when its values
    go to the driver as they are."""
    dialect = connection.dialect
    try:
        if column.type.python_type in PLAIN:
            return None
    except NotImplementedError:
        pass
    processor: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(
        dialect
    )
    return processor


def _processed_value(column: Column[Any], value: Any, connection: Connection) -> Any:
    processor = _processor(column, connection)
    return value if processor is None else processor(value)


def _processed(
    rows: Iterable[Row], processors: list[tuple[int, Callable[[Any], Any]]], constants: Row
) -> Iterator[Row]:
    """The rows with their processed values, each followed by the constants."""
    if not processors:  # the constants joined on in C, not in a generator's frame per row
        return iter(rows) if not constants else map(add, rows, repeat(constants))
    return (_process(row, processors) + constants for row in rows)


def _process(row: Row, processors: list[tuple[int, Callable[[Any], Any]]]) -> Row:
    values = list(row)
    for i, processor in processors:
        if values[i] is not None:
            values[i] = processor(values[i])
    return tuple(values)


def _types(connection: Connection, table: str, columns: list[str]) -> list[int]:
    """The PostgreSQL types (oids) of the table's columns, as the database has them."""
    found = connection.execute(_COLUMN_TYPES, {"table": table})
    types = {str(name): int(oid) for name, oid in found}
    return [types[column] for column in columns]


def _copy(connection: Connection, statement: str, types: list[int], rows: Iterable[Row]) -> None:
    """The rows through psycopg's binary COPY ``statement`` (columns of ``types``), in the
    connection's transaction. Binary: psycopg's text format spent 6 times as long, in
    Python, turning each float and timestamp into text."""
    with (
        _statement_errors(connection, statement),
        connection.connection.driver_connection.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(statement) as copy,
    ):
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


@contextmanager
def _statement_errors(connection: Connection, statement: str) -> Iterator[None]:
    """The driver's errors raised as SQLAlchemy raises a statement's: the boundaries know
    its classes (an IntegrityError for a duplicate id)."""
    dbapi = connection.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as error:
        raise DBAPIError.instance(
            statement, None, error, dbapi.Error, dialect=connection.dialect
        ) from error

"""Rows into a table in bulk, in the transaction of the connection: SQLite's executemany of
plain tuples, PostgreSQL's binary COPY (store.plan writes a whole plan with it).

SQLAlchemy's ORM insert of the same rows spent two thirds of its CPU time processing each
value of each row's dictionary and calling the ``updated_at`` default once per actual
(pyinstrument, 10,000 people on SQLite); here each row is a tuple handed to the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
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
    shared: Mapping[str, Any] = field(default_factory=dict)  # column -> every row's value


def insert_rows(connection: Connection, table_rows: TableRows) -> None:
    """Inserts the rows in bulk on ``connection``, in its transaction: SQLite's executemany,
    PostgreSQL's COPY. The ``shared`` columns and those the rows leave out (their default,
    one value for all: an import's actuals share their ``updated_at``) take one value for
    every row; values go through SQLAlchemy's bind processing (JSON, dates) unless they are
    PLAIN. A refused row raises SQLAlchemy's error, as any statement's would (an
    IntegrityError for a duplicate id)."""
    table = table_of(table_rows.table)
    given = table_rows.columns
    shared = {
        **table_rows.shared,
        **{c.name: _default(c) for c in table.columns if _defaulted(c, table_rows)},
    }
    constants = tuple(_processed_value(table.c[n], v, connection) for n, v in shared.items())
    processors = [
        (i, p) for i, name in enumerate(given) if (p := _processor(table.c[name], connection))
    ]
    rows = _processed(table_rows.rows, processors)
    quote = connection.dialect.identifier_preparer.quote
    into = f"{quote(table.name)} ({', '.join(map(quote, [*given, *shared]))})"
    if connection.dialect.name == "postgresql":
        _copy(
            connection,
            f"COPY {into} FROM STDIN (FORMAT BINARY)",
            _types(connection, table.name, [*given, *shared]),
            _joined(rows, constants),
        )
        return
    # SQLite is the other database. The values every row shares are written into the
    # statement where they are exact as literals (ints, text): bound again in each of the
    # 3.7 million actuals they cost a second of CPU; any other value is bound in each row.
    literals = [_literal(value) or "" for value in constants]
    if "" in literals:
        literals, rows = ["?"] * len(constants), _joined(rows, constants)
    statement = f"INSERT INTO {into} VALUES ({', '.join(['?'] * len(given) + literals)})"
    driver = connection.connection.driver_connection
    assert driver is not None
    # the driver's executemany reads the rows as they are made: no list of millions in memory
    with _statement_errors(connection, statement), closing(driver.cursor()) as cursor:
        cursor.executemany(statement, rows)


def _defaulted(column: Column[Any], table_rows: TableRows) -> bool:
    """Whether the column takes its Python-side default: the rows do not give it."""
    given = column.name in table_rows.columns or column.name in table_rows.shared
    return not given and column.default is not None


def _literal(value: Any) -> str | None:
    """``value`` as an SQLite literal, where it is exactly that value as one (an int, a text
    without NUL), else None."""
    if isinstance(value, int):
        return str(int(value))  # a bool as 0 or 1, as the driver binds it
    if isinstance(value, str) and "\0" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


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
    rows: Iterable[Row], processors: list[tuple[int, Callable[[Any], Any]]]
) -> Iterator[Row]:
    """The rows with their values processed."""
    return iter(rows) if not processors else (_process(row, processors) for row in rows)


def _joined(rows: Iterator[Row], constants: Row) -> Iterator[Row]:
    """Each row followed by the constants (joined in C, not in a generator's frame per row)."""
    return map(add, rows, repeat(constants)) if constants else rows


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

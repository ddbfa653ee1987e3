"""The declarative base, naming convention and column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Double, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Alembic needs stable constraint names to alter them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
KEY_LENGTH = 100


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: hoshin stores UTC timestamps only")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # SQLite keeps no offset
        return value


class Base(DeclarativeBase):
    """Every table of hoshin."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        float: Double(),
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def table_of(row: type[Base]) -> Table:
    """The table of a mapped class, for Core statements: they skip the ORM's bulk and
    unit-of-work machinery where a hot path writes one row (a check-in)."""
    return Base.metadata.tables[row.__tablename__]


def key_column(*, nullable: bool = False) -> Mapped[Any]:
    """A plan id (the ``id`` of the plan file), unique within its organisation."""
    return mapped_column(String(KEY_LENGTH), nullable=nullable)


def strength_column() -> Mapped[Any]:
    """How strongly a link (supports, serves, moves) correlates: the X-matrix's ● ○ △."""
    return mapped_column(String(10), default="strong", server_default="strong")


def org_column(*, index: bool = True) -> Mapped[int]:
    """The organisation a row belongs to; every query filters on it (without ``index`` where
    a unique key that starts with it serves as its index)."""
    return mapped_column(
        Integer, ForeignKey("organizations.id", ondelete="CASCADE"), index=index, nullable=False
    )


def now() -> datetime:
    """The current UTC time (the boundary layers pass it in; this is the column default)."""
    return datetime.now(UTC)

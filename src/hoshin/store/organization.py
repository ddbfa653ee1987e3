"""Organisations with their vision and plan version; and the queries on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Text,
    bindparam,
    select,
    true,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from hoshin.errors import Conflict, NotFound
from hoshin.store.base import Base, now, table_of


class OrganizationRow(Base):
    """An organisation: its name, fiscal calendar and vision."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    fiscal_year_start: Mapped[int] = mapped_column(default=1)
    vision_statement: Mapped[str] = mapped_column(Text, default="")
    vision_purpose: Mapped[str] = mapped_column(Text, default="")
    vision_horizon: Mapped[int | None]
    vision_values: Mapped[list[Any]] = mapped_column(default=list)
    # Bumped by every change to the plan: an analysis cached at this number is current.
    plan_version: Mapped[int] = mapped_column(default=0)
    # Reminders: an actual is due this many days before its month ends (0: the day after),
    # and escalates to the unit's lead when still missing this many days after.
    reminder_lead_days: Mapped[int] = mapped_column(default=0, server_default="0")
    escalation_days: Mapped[int] = mapped_column(default=5, server_default="5")
    # False: members sign in through the organisation's identity provider (service.sso);
    # its admins keep their password, to get in when the provider is down.
    password_sign_in: Mapped[bool] = mapped_column(default=True, server_default=true())
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)


def find_organization(session: Session, *, slug: str) -> OrganizationRow | None:
    """The organisation with this slug, or None."""
    return session.scalars(select(OrganizationRow).where(OrganizationRow.slug == slug)).first()


def no_organization(slug: str) -> str:
    """The error for an organisation that is unknown or not the asker's (one answer: no
    leaks), its slug shortened and quoted."""
    return f"no organisation {slug[:100]!r}"


def get_organization(session: Session, *, slug: str) -> OrganizationRow:
    """The organisation with this slug; raises NotFound."""
    row = find_organization(session, slug=slug)
    if row is None:
        raise NotFound(no_organization(slug))
    return row


def create_organization(session: Session, *, slug: str, name: str) -> OrganizationRow:
    """A new, empty organisation; raises Conflict when the slug is taken."""
    if find_organization(session, slug=slug) is not None:
        raise Conflict(f"organisation '{slug}' exists already")
    row = OrganizationRow(slug=slug, name=name)
    session.add(row)
    session.flush()
    return row


def bump_plan_version(session: Session, *, org_id: int) -> int:
    """Marks the organisation's plan as changed (cached analyses of it are stale now);
    returns the new version, which the organisation's row in the session learns too.

    On the table, not the mapped class: the ORM's bulk UPDATE with synchronize_session was a
    third of a check-in's time in the database layer (py-spy, BENCHMARKS.md); and built once,
    as a statement made anew on every check-in cost more than running it."""
    version = session.execute(_BUMP_PLAN_VERSION, {"org_id": org_id}).scalar_one()
    loaded = session.identity_map.get(identity_key(OrganizationRow, org_id))
    if loaded is not None:
        set_committed_value(loaded, "plan_version", version)
    return int(version)


def plan_version_of(session: Session, *, org_id: int) -> int:
    """The organisation's current plan version."""
    return (
        session.scalar(select(OrganizationRow.plan_version).where(OrganizationRow.id == org_id))
        or 0
    )


def list_organizations(session: Session) -> list[OrganizationRow]:
    """Every organisation, by slug."""
    return list(session.scalars(select(OrganizationRow).order_by(OrganizationRow.slug)))


_ORGANIZATIONS = table_of(OrganizationRow)
_BUMP_PLAN_VERSION = (
    update(_ORGANIZATIONS)
    .where(_ORGANIZATIONS.c.id == bindparam("org_id"))
    .values(plan_version=_ORGANIZATIONS.c.plan_version + 1)
    .returning(_ORGANIZATIONS.c.plan_version)
)

"""SCIM provisioning: each organisation's directory tokens and the directory's groups.
The directory's users are the organisation's memberships (store.user.MembershipRow)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hoshin.store.base import Base, now
from hoshin.store.user import EXTERNAL_ID_LENGTH


class ScimTokenRow(Base):
    """A bearer token of one organisation's directory (``hoshin scim token``): only its
    SHA-256 is stored; revoked tokens stay listed."""

    __tablename__ = "scim_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text, default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class ScimGroupRow(Base):
    """A group of the organisation's directory; its name may give its members a role or a
    unit (SsoSettingsRow.group_roles and group_units)."""

    __tablename__ = "scim_groups"
    __table_args__ = (UniqueConstraint("org_id", "display_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    scim_id: Mapped[str] = mapped_column(String(36), unique=True)  # a UUID, the SCIM id
    display_name: Mapped[str] = mapped_column(String(255))
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class ScimGroupMemberRow(Base):
    """A user in a directory group."""

    __tablename__ = "scim_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("scim_groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

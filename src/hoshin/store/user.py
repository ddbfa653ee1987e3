"""Accounts: users, their roles in organisations, API tokens, sign-in sessions and
invitations to join an organisation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, now

EXTERNAL_ID_LENGTH = 255


class UserRow(Base):
    """Someone who signs in; the password is stored as an argon2 hash only."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(Text)
    person: Mapped[str | None] = mapped_column(String(100))  # their id in plans, if any
    created_at: Mapped[datetime] = mapped_column(default=now)
    active: Mapped[bool] = mapped_column(default=True)


class MembershipRow(Base):
    """A user's role in an organisation (service.policy.ROLES)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    # Kept by SCIM provisioning (service.scim): the directory's id of the user, and whether
    # the directory has them active here (an inactive membership is no membership).
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_LENGTH))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime | None] = mapped_column(default=now)
    updated_at: Mapped[datetime | None] = mapped_column(default=now, onupdate=now)


class ApiTokenRow(Base):
    """An API token for scripts: only its SHA-256 is stored; revoked tokens stay listed."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SessionRow(Base):
    """A browser sign-in: the cookie holds a random secret, the table its SHA-256."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    # The organisation whose identity provider signed this session in (service.sso); None
    # for a password sign-in.
    sso_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )


class InvitationRow(Base):
    """An invitation to join an organisation with a role: the link's secret is shown once,
    the table keeps only its SHA-256 (like an API token)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str] = mapped_column(String(20))
    person: Mapped[str | None] = mapped_column(String(100))  # their id in the plan, if any
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


def find_user(session: Session, *, email: str) -> UserRow | None:
    """The user with this email (case-insensitive), or None."""
    return session.scalars(select(UserRow).where(UserRow.email == email.lower())).first()

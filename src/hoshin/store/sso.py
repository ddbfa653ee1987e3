"""Single sign-on: each organisation's identity provider (OpenID Connect or SAML), and the
sign-ins under way (a state or request id, kept until the provider answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, now
from hoshin.store.organization import OrganizationRow

ROLE_LENGTH = 20


class SsoSettingsRow(Base):
    """An organisation's identity provider and what its sign-ins may do: one row at most per
    organisation. ``protocol`` is "oidc" or "saml"; the other protocol's fields stay empty."""

    __tablename__ = "sso_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), unique=True
    )
    protocol: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(Text, default="")  # "Sign in with <label>"
    email_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    oidc_issuer: Mapped[str] = mapped_column(Text, default="")
    oidc_client_id: Mapped[str] = mapped_column(Text, default="")
    # Needed at every sign-in to redeem the code; never shown, never in the audit trail.
    oidc_client_secret: Mapped[str] = mapped_column(Text, default="")
    # The provider's discovery document as last read (its endpoints and keys' address).
    oidc_metadata: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    saml_idp_metadata: Mapped[str] = mapped_column(Text, default="")  # the IdP's XML
    saml_idp_metadata_url: Mapped[str] = mapped_column(Text, default="")
    # Just-in-time accounts: a signed-in stranger of the provider becomes a member.
    jit: Mapped[bool] = mapped_column(default=False)
    jit_role: Mapped[str] = mapped_column(String(ROLE_LENGTH))  # service.sso sets it
    # A claim (OIDC) or attribute (SAML) listing the user's groups; the groups that give a
    # role, and those that put the person in a unit (SCIM groups use the same maps).
    group_claim: Mapped[str] = mapped_column(Text, default="")
    group_roles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    group_units: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class SsoRequestRow(Base):
    """A sign-in sent to a provider and not answered yet (OIDC: its state, nonce and PKCE
    verifier; SAML: its AuthnRequest id), or a SAML assertion already used (kept until it
    expires, so that a replay is refused). Only the key's SHA-256 is stored."""

    __tablename__ = "sso_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # "oidc", "saml", "saml-assertion"
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(Text, default="")
    verifier: Mapped[str] = mapped_column(Text, default="")
    next_path: Mapped[str] = mapped_column(Text, default="")  # where to go once signed in
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime] = mapped_column(index=True)


def find_settings(session: Session, *, org_id: int) -> SsoSettingsRow | None:
    """The organisation's identity provider settings, or None."""
    query = select(SsoSettingsRow).where(SsoSettingsRow.org_id == org_id)
    return session.scalars(query).first()


def settings_with_organizations(
    session: Session,
) -> list[tuple[SsoSettingsRow, OrganizationRow]]:
    """Every organisation's identity provider settings with the organisation, by slug."""
    query = (
        select(SsoSettingsRow, OrganizationRow)
        .join(OrganizationRow, OrganizationRow.id == SsoSettingsRow.org_id)
        .order_by(OrganizationRow.slug)
    )
    return [(row, org) for row, org in session.execute(query)]


def delete_settings(session: Session, *, org_id: int) -> None:
    """Deletes the organisation's identity provider settings and its sign-ins under way."""
    session.execute(delete(SsoSettingsRow).where(SsoSettingsRow.org_id == org_id))
    session.execute(delete(SsoRequestRow).where(SsoRequestRow.org_id == org_id))


def find_request(session: Session, *, kind: str, key_hash: str) -> SsoRequestRow | None:
    """The sign-in under way (or used assertion) of this kind whose key has this SHA-256."""
    query = select(SsoRequestRow).where(
        SsoRequestRow.kind == kind, SsoRequestRow.key_hash == key_hash
    )
    return session.scalars(query).first()


def delete_request(session: Session, *, request_id: int) -> bool:
    """Deletes one sign-in under way; False when another transaction deleted it first."""
    result = session.execute(delete(SsoRequestRow).where(SsoRequestRow.id == request_id))
    return bool(getattr(result, "rowcount", 0))


def delete_expired_requests(session: Session, *, now: datetime) -> None:
    """Deletes the sign-ins under way and used assertions that expired at or before ``now``."""
    session.execute(delete(SsoRequestRow).where(SsoRequestRow.expires_at <= now))

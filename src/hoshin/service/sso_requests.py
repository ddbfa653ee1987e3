"""Sign-ins under way at an identity provider: what hoshin keeps between sending a person
to the provider and its answer (OIDC: state, nonce and PKCE verifier; SAML: the request's
id), each answered once, and the SAML assertions already used; and the safe way back to a
page of this server afterwards."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from hoshin.domain.text import control_character
from hoshin.service import account
from hoshin.store import sso as store
from hoshin.store.organization import OrganizationRow
from hoshin.store.sso import SsoRequestRow

REQUEST_LIFETIME: Final = timedelta(minutes=10)  # to answer at the provider's sign-in page


def begin_request(
    session: Session,
    *,
    org: OrganizationRow,
    kind: str,
    key: str,
    now: datetime,
    nonce: str = "",
    verifier: str = "",
    next_path: str = "",
    lifetime: timedelta = REQUEST_LIFETIME,
) -> SsoRequestRow:
    """Keeps a sign-in sent to the provider (or a used assertion) under the SHA-256 of
    ``key`` until ``now + lifetime``; expired ones are dropped first."""
    store.delete_expired_requests(session, now=now)
    row = SsoRequestRow(
        org_id=org.id, kind=kind, key_hash=account.secret_hash(key), nonce=nonce,
        verifier=verifier, next_path=safe_next(next_path), created_at=now,
        expires_at=now + lifetime,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def take_request(session: Session, *, kind: str, key: str, now: datetime) -> SsoRequestRow | None:
    """The sign-in under way with this key, removed so that it is answered once; None when
    it is unknown, answered already or expired."""
    row = store.find_request(session, kind=kind, key_hash=account.secret_hash(key))
    if row is None:
        return None
    # Only the transaction whose delete removed it answers: a replay racing the real answer
    # read it too, but its delete waits for the first's and then removes nothing.
    if not store.delete_request(session, request_id=row.id):
        return None
    return row if row.expires_at > now else None


def was_used(session: Session, *, kind: str, key: str) -> bool:
    """Whether a key of this kind is kept (a SAML assertion's id seen before)."""
    return store.find_request(session, kind=kind, key_hash=account.secret_hash(key)) is not None


def safe_next(path: str) -> str:
    """Where to go after signing in: a path of this server only (never another site)."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path or len(path) > 500:
        return ""
    # Browsers drop tabs and line breaks from an address: "/\t/evil.example" is //evil.example.
    if control_character(path) is not None:
        return ""
    return path


def random_secret() -> str:
    """A random value for a state, nonce or PKCE verifier."""
    return secrets.token_urlsafe(32)

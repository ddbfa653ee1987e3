"""Invitations: how an admin adds someone to an organisation by email.

The admin gives an email, a role and perhaps a person of the plan, and gets a link to hand
over, shown once (the database keeps only its SHA-256); the answer is the same whether the
email has an account or not, so the admin learns nothing of other organisations. Whoever
opens the link accepts it as the invited email: signed in, or with that account's password,
or by choosing a name and password for a new account. An invitation lasts 7 days; a newer
one for the same email replaces it; the admin may revoke it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.text import text_problem
from hoshin.errors import Conflict, Forbidden, InvalidInput, NotFound
from hoshin.service import account, member
from hoshin.service import unit as unit_service
from hoshin.store import account as store
from hoshin.store.audit import record_event
from hoshin.store.organization import OrganizationRow
from hoshin.store.user import InvitationRow, UserRow, find_user

LIFETIME = timedelta(days=7)
LINK = "/invite/"
GONE = "this invitation link is not valid: it expired, was revoked or was used already"


@dataclass(frozen=True, slots=True)
class Invitation:
    """An invitation as its admin sees it (never its secret)."""

    id: int
    email: str
    role: str
    person: str | None
    status: str  # invited, accepted, revoked or expired
    created_at: datetime
    expires_at: datetime

    def as_json(self) -> dict[str, Any]:
        """The invitation as JSON values."""
        return {
            "id": self.id, "email": self.email, "role": self.role, "person": self.person,
            "status": self.status, "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Opened:
    """An open invitation, as the one who holds its link sees it."""

    org: OrganizationRow
    email: str
    role: str


def invite(
    session: Session,
    *,
    org: OrganizationRow,
    email: str,
    role: str,
    person: str | None,
    actor: str,
    actor_id: int | None,
    origin: str | None,
    now: datetime,
) -> tuple[Invitation, str]:
    """A new invitation and its link (``/invite/<secret>``, returned this once); an earlier
    open invitation of the email to ``org`` is revoked. Conflict when the email is a member
    of ``org`` already; InvalidInput for a bad email, role or person."""
    email = account.check_email(email)
    member.check_role(role)
    person = (person or "").strip() or None
    if person is not None:
        try:
            unit_service.read_person(session, org=org, key=person)
        except NotFound:
            reason = f"the plan has no person '{person}': choose one of its people"
            raise InvalidInput(reason, [{"field": "person", "reason": reason}]) from None
    user = find_user(session, email=email)
    if user is not None and store.find_membership(session, user_id=user.id, org_id=org.id):
        reason = (
            f"{email} is a member of {org.slug} already: "
            "change their role or person in the members list"
        )
        raise Conflict(reason, [{"field": "email", "reason": reason}])
    for earlier in store.open_invitations(session, org_id=org.id, email=email, now=now):
        earlier.revoked_at = now
    secret = secrets.token_urlsafe(32)
    row = InvitationRow(
        org_id=org.id, email=email, role=role, person=person, invited_by=actor_id,
        token_hash=account.secret_hash(secret), created_at=now, expires_at=now + LIFETIME,
    )  # fmt: skip
    session.add(row)
    session.flush()
    invitation = _invitation(row, now)
    _audit(session, org, actor, actor_id, origin, row, "create", invitation.as_json())
    return invitation, LINK + secret


def list_invitations(session: Session, *, org: OrganizationRow, now: datetime) -> list[Invitation]:
    """The organisation's invitations, newest first, with their status at ``now``."""
    return [_invitation(row, now) for row in store.list_invitations(session, org_id=org.id)]


def open_invitations(session: Session, *, org: OrganizationRow, now: datetime) -> list[Invitation]:
    """The organisation's invitations that can still be accepted at ``now``, newest first."""
    return [
        _invitation(row, now) for row in store.open_invitations(session, org_id=org.id, now=now)
    ]


def revoke_invitation(
    session: Session,
    *,
    org: OrganizationRow,
    invitation_id: int,
    actor: str,
    actor_id: int | None,
    origin: str | None,
    now: datetime,
) -> Invitation:
    """Revokes an open invitation (its link stops working); one that is no longer open is
    left as it is. NotFound for another organisation's."""
    row = store.find_invitation_by_id(session, org_id=org.id, invitation_id=invitation_id)
    if row is None:
        raise NotFound(f"no invitation {invitation_id} in {org.slug}")
    if _status(row, now) == "invited":
        row.revoked_at = now
        session.flush()
        _audit(session, org, actor, actor_id, origin, row, "revoke", {"status": "revoked"})
    return _invitation(row, now)


def open_invitation(session: Session, *, secret: str, now: datetime) -> Opened:
    """The invitation of this link if it can still be accepted; NotFound otherwise."""
    row = _open_row(session, secret, now)
    return Opened(_org(session, row), row.email, row.role)


def accept(
    session: Session, *, secret: str, user_id: int, now: datetime, origin: str | None
) -> member.Member:
    """The signed-in user accepts the invitation: they become a member. Forbidden when the
    invitation is for another email; NotFound when it is no longer open."""
    row = _open_row(session, secret, now)
    user = store.find_user_by_id(session, user_id=user_id)
    if user is None or not user.active:
        raise Forbidden("sign in first")
    if user.email != row.email:
        raise Forbidden(
            f"this invitation is for {row.email}, and you are signed in as {user.email}: "
            "sign out, then open the link again"
        )
    return _accept(session, row, user, now, origin)


def accept_new(
    session: Session,
    *,
    secret: str,
    name: str,
    password: str,
    now: datetime,
    origin: str | None,
) -> tuple[account.Principal, str]:
    """A new account for the invited email, with this name and password, made a member; and
    a sign-in session for it (principal, secret). Conflict when the email has an account
    (then its password accepts); InvalidInput for a missing name or a weak password."""
    row = _open_row(session, secret, now)
    name = name.strip()
    problem = "is missing: enter your name" if not name else text_problem(name, "line")
    if problem is not None:
        raise InvalidInput(f"the name {problem}", [{"field": "name", "reason": problem}])
    if find_user(session, email=row.email) is not None:
        reason = f"{row.email} has an account already: sign in with its password to accept"
        raise Conflict(reason, [{"field": "password", "reason": reason}])
    user = account.add_user(
        session, email=row.email, password=password, name=name, person=row.person,
        actor=row.email, origin=origin,
    )  # fmt: skip
    _accept(session, row, user, now, origin)
    secret_of_session = account.new_session(session, user_id=user.id, now=now)
    principal = account.Principal(user.id, user.email, user.name, user.person, by_session=True)
    return principal, secret_of_session


def _accept(
    session: Session, row: InvitationRow, user: UserRow, now: datetime, origin: str | None
) -> member.Member:
    org = _org(session, row)
    if user.person is None and row.person is not None:
        user.person = row.person
    joined = member.join(
        session, org=org, user=user, role=row.role, actor=user.email, actor_id=user.id,
        origin=origin,
    )  # fmt: skip
    row.accepted_at = now
    session.flush()
    _audit(session, org, user.email, user.id, origin, row, "accept", {"status": "accepted"})
    return joined


def _open_row(session: Session, secret: str, now: datetime) -> InvitationRow:
    row = store.find_invitation(session, token_hash=account.secret_hash(secret))
    if row is None or _status(row, now) != "invited":
        raise NotFound(GONE)
    return row


def _org(session: Session, row: InvitationRow) -> OrganizationRow:
    org = session.get(OrganizationRow, row.org_id)
    if org is None:  # the organisation was deleted: its invitations went with it
        raise NotFound(GONE)
    return org


def _status(row: InvitationRow, now: datetime) -> str:
    if row.accepted_at is not None:
        return "accepted"
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= now else "invited"


def _invitation(row: InvitationRow, now: datetime) -> Invitation:
    return Invitation(
        row.id, row.email, row.role, row.person, _status(row, now), row.created_at,
        row.expires_at,
    )  # fmt: skip


def _audit(
    session: Session,
    org: OrganizationRow,
    actor: str,
    actor_id: int | None,
    origin: str | None,
    row: InvitationRow,
    change: str,
    after: dict[str, Any],
) -> None:
    record_event(
        session, org_id=org.id, actor=actor, entity="invitation", key=row.email,
        change=change, before=None, after={"id": row.id, **after}, user_id=actor_id,
        origin=origin,
    )  # fmt: skip

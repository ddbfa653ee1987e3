"""An organisation's members and their roles (the admin's work), and a user's own API tokens.

New members come by invitation (service.invitation): an admin never learns here whether an
email has an account elsewhere, nor its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hoshin.errors import Conflict, Forbidden, InvalidInput, NotFound
from hoshin.service import account
from hoshin.service.policy import ADMIN, ROLES, Act, may
from hoshin.service.user_state import end_access_when_memberless
from hoshin.store import account as store
from hoshin.store.audit import record_event
from hoshin.store.organization import OrganizationRow
from hoshin.store.unit import find_person, person_names
from hoshin.store.user import MembershipRow, UserRow, find_user


@dataclass(frozen=True, slots=True)
class Member:
    """A user's membership of an organisation."""

    email: str
    name: str
    person: str | None
    role: str
    active: bool = True  # False: the account is disabled

    def as_json(self) -> dict[str, Any]:
        """The member as JSON values."""
        return {"email": self.email, "name": self.name, "person": self.person,
                "role": self.role, "active": self.active}  # fmt: skip


def member_of(user: UserRow, role: str) -> Member:
    """The member that the user is with this role."""
    return Member(user.email, user.name, user.person, role, user.active)


def list_members(session: Session, *, org: OrganizationRow) -> list[Member]:
    """The members of the organisation, by email."""
    return [member_of(user, role) for user, role in store.list_members(session, org_id=org.id)]


def get_member(session: Session, *, org: OrganizationRow, email: str) -> Member:
    """The organisation's member with this email; NotFound when there is none."""
    user, membership = _membership(session, org, email)
    return member_of(user, membership.role)


def join(
    session: Session,
    *,
    org: OrganizationRow,
    user: UserRow,
    role: str,
    actor: str,
    actor_id: int | None = None,
    origin: str | None = None,
) -> Member:
    """Makes the user a member with ``role`` (an accepted invitation); Conflict when they
    are one already."""
    check_role(role)
    if store.find_membership(session, user_id=user.id, org_id=org.id) is not None:
        raise Conflict(f"{user.email} is a member of {org.slug} already")
    session.add(MembershipRow(user_id=user.id, org_id=org.id, role=role))
    session.flush()
    member = member_of(user, role)
    _audit(session, org, actor, user.email, "create", None, member, actor_id, origin)
    return member


def set_member_role(
    session: Session,
    *,
    org: OrganizationRow,
    email: str,
    role: str,
    actor: str,
    actor_id: int | None = None,
    origin: str | None = None,
) -> Member:
    """Changes a member's role; the last admin cannot stop being one."""
    check_role(role)
    user, membership = _membership(session, org, email)
    before = member_of(user, membership.role)
    if role != ADMIN and is_last_admin(session, membership=membership):
        _keep_an_admin(org, user.email)
    membership.role = role
    session.flush()
    after = member_of(user, role)
    _audit(session, org, actor, user.email, "update", before, after, actor_id, origin)
    return after


def remove_member(
    session: Session,
    *,
    org: OrganizationRow,
    email: str,
    actor: str,
    now: datetime,
    actor_id: int | None = None,
    origin: str | None = None,
) -> None:
    """Ends a membership (the user keeps their account); never the last admin's. Removed
    from their last organisation, the user's sessions and API tokens end too."""
    user, membership = _membership(session, org, email)
    if is_last_admin(session, membership=membership):
        _keep_an_admin(org, user.email)
    before = member_of(user, membership.role)
    session.delete(membership)
    session.flush()
    _audit(session, org, actor, user.email, "delete", before, None, actor_id, origin)
    end_access_when_memberless(
        session, user=user, actor=actor, actor_id=actor_id, now=now, origin=origin
    )


def link_person(
    session: Session,
    *,
    org: OrganizationRow,
    email: str,
    person: str | None,
    admin_id: int,
    actor: str,
    origin: str | None = None,
) -> Member:
    """Links a member to a person of the plan (None or empty: unlinks them), so that their
    check-in and work are that person's. InvalidInput (field ``person``) for a person the
    plan lacks; Conflict when another member is linked to them. The link is the account's,
    so, as for disabling, Forbidden when the member also belongs to an organisation the
    admin does not administer."""
    user, membership = _membership(session, org, email)
    key = (person or "").strip() or None
    if key == user.person:
        return member_of(user, membership.role)
    if key is not None:
        _check_person(session, org, user, key)
    for other in store.organizations_of(session, user_id=user.id):
        mine = store.find_membership(session, user_id=admin_id, org_id=other.id)
        if mine is None or not may(mine.role, Act.MANAGE_MEMBERS):
            raise Forbidden(
                f"{user.email} is also a member of an organisation you do not administer: "
                "their person in the plan holds there too, so only an admin of both can "
                "change it"
            )
    before = member_of(user, membership.role)
    user.person = key
    session.flush()
    after = member_of(user, membership.role)
    _audit(session, org, actor, user.email, "update", before, after, admin_id, origin)
    return after


def _check_person(session: Session, org: OrganizationRow, user: UserRow, key: str) -> None:
    """Raises unless the plan has the person and no other member is linked to them."""
    if find_person(session, org_id=org.id, key=key) is None:
        reason = f"the plan has no person '{key}': choose one of its people"
        raise InvalidInput(reason, [{"field": "person", "reason": reason}])
    linked = store.find_member_with_person(session, org_id=org.id, person=key, other_than=user.id)
    if linked is not None:
        raise Conflict(
            f"person '{key}' is linked to {linked.email} already: unlink them first",
            [{"field": "person", "reason": f"linked to {linked.email}"}],
        )


def person_labels(session: Session, *, org: OrganizationRow, keys: list[str]) -> dict[str, str]:
    """The names of these people of the plan, by id (the id for a person without a name;
    absent: the plan has no such person)."""
    names = person_names(session, org_id=org.id, keys=keys)
    return {key: name or key for key, name in names.items()}


@dataclass(frozen=True, slots=True)
class OwnToken:
    """One of a user's API tokens, as its owner sees it (never its secret)."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    def as_json(self) -> dict[str, Any]:
        """The token as JSON values."""
        last_used = None if self.last_used_at is None else self.last_used_at.isoformat()
        return {"id": self.id, "name": self.name, "created_at": self.created_at.isoformat(),
                "last_used_at": last_used, "revoked": self.revoked}  # fmt: skip


def own_tokens(session: Session, *, user_id: int) -> list[OwnToken]:
    """The user's API tokens (never their secrets), oldest first."""
    return [
        OwnToken(row.id, row.name, row.created_at, row.last_used_at, row.revoked_at is not None)
        for row in store.list_user_tokens(session, user_id=user_id)
    ]


def revoke_own_token(
    session: Session,
    *,
    user_id: int,
    token_id: int,
    now: datetime,
    actor: str,
    origin: str | None,
) -> None:
    """Revokes one of the user's tokens; another user's token is NotFound, like none."""
    row = store.find_token_by_id(session, token_id=token_id)
    if row is None or row.user_id != user_id:
        raise NotFound(f"no API token {token_id}")
    account.revoke_token(
        session, token_id=token_id, now=now, actor=actor, origin=origin, actor_id=user_id
    )


def check_role(role: str) -> None:
    """Raises InvalidInput (field ``role``) unless ``role`` is one of ROLES."""
    if role not in ROLES:
        raise InvalidInput(
            f"'{role}' is not a role: use one of {', '.join(ROLES)}",
            [{"field": "role", "reason": f"one of {', '.join(ROLES)}"}],
        )


def _membership(
    session: Session, org: OrganizationRow, email: str
) -> tuple[UserRow, MembershipRow]:
    user = find_user(session, email=account.normal_email(email))
    membership = (
        None if user is None else store.find_membership(session, user_id=user.id, org_id=org.id)
    )
    if user is None or membership is None:
        raise NotFound(f"no member '{account.normal_email(email)}' in {org.slug}")
    return user, membership


def is_last_admin(session: Session, *, membership: MembershipRow) -> bool:
    """Whether the membership is its organisation's last active admin's: someone must keep
    the organisation's keys (and, with single sign-on, the break-glass password), whatever a
    form, a directory or a provider's groups say."""
    return (
        membership.role == ADMIN
        and membership.active
        and store.count_with_role(session, org_id=membership.org_id, role=ADMIN) <= 1
    )


def _keep_an_admin(org: OrganizationRow, email: str) -> None:
    raise Conflict(last_admin(email, org.slug))


def last_admin(email: str, slug: str) -> str:
    """The refusal to demote, deactivate or remove the last admin."""
    return f"{email} is the last admin of {slug}: make another admin first"


def _audit(
    session: Session,
    org: OrganizationRow,
    actor: str,
    email: str,
    change: str,
    before: Member | None,
    after: Member | None,
    actor_id: int | None = None,
    origin: str | None = None,
) -> None:
    record_event(
        session, org_id=org.id, actor=actor, entity="member", key=email, change=change,
        before=None if before is None else before.as_json(),
        after=None if after is None else after.as_json(), user_id=actor_id, origin=origin,
    )  # fmt: skip

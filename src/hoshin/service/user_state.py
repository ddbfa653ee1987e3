"""Disabling and enabling an account, and ending a user's access when it must end.

Disabling is account-wide: the user cannot sign in, and their sessions and API tokens end.
An operator may disable anyone (`hoshin user disable`); an organisation's admin only a
member of their own organisation who belongs to no organisation the admin does not also
administer (else one organisation's admin could lock someone out of another's).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hoshin.errors import Conflict, Forbidden, NotFound
from hoshin.service import account, policy
from hoshin.service.policy import Act
from hoshin.store import account as store
from hoshin.store.audit import record_event
from hoshin.store.organization import OrganizationRow
from hoshin.store.user import UserRow, find_user


def set_active(
    session: Session,
    *,
    email: str,
    active: bool,
    actor: str,
    now: datetime,
    origin: str,
    actor_id: int | None = None,
) -> UserRow:
    """Disables or enables the account; disabling ends its sessions and revokes its tokens
    (enabling brings none back). Raises NotFound."""
    user = account.get_user(session, email=email)
    if user.active == active:
        return user
    user.active = active
    ended = account.end_access(session, user_id=user.id, now=now) if not active else {}
    session.flush()
    record_event(
        session, org_id=None, actor=actor, entity="user", key=user.email,
        change="enable" if active else "disable", before={"active": not active},
        after={"active": active, **ended}, user_id=actor_id, origin=origin,
    )  # fmt: skip
    return user


def set_member_active(
    session: Session,
    *,
    org: OrganizationRow,
    email: str,
    active: bool,
    admin_id: int,
    actor: str,
    now: datetime,
    origin: str,
) -> UserRow:
    """An organisation admin disables or enables a member's account; Forbidden for their
    own account or for someone who is also a member of an organisation they do not
    administer. Raises NotFound when the email is no member of ``org``."""
    user = find_user(session, email=account.normal_email(email))
    if user is None or store.find_membership(session, user_id=user.id, org_id=org.id) is None:
        raise NotFound(f"no member '{account.normal_email(email)}' in {org.slug}")
    if user.id == admin_id:
        raise Conflict("you cannot disable or enable your own account")
    for other in store.organizations_of(session, user_id=user.id):
        mine = store.find_membership(session, user_id=admin_id, org_id=other.id)
        if mine is None or not policy.may(mine.role, Act.MANAGE_MEMBERS):
            raise Forbidden(
                f"{user.email} is also a member of an organisation you do not administer: "
                "only an operator can disable or enable their account (hoshin user "
                "disable|enable); you can remove them from this organisation"
            )
    return set_active(
        session, email=user.email, active=active, actor=actor, now=now, origin=origin,
        actor_id=admin_id,
    )  # fmt: skip


def end_access_when_memberless(
    session: Session, *, user: UserRow, actor: str, actor_id: int | None, now: datetime,
    origin: str | None,
) -> None:  # fmt: skip
    """Ends the sessions and tokens of a user who is a member of no organisation any more
    (removed from their last one): they had no use left but to make new tokens."""
    if store.organizations_of(session, user_id=user.id):
        return
    ended = account.end_access(session, user_id=user.id, now=now)
    record_event(
        session, org_id=None, actor=actor, entity="user", key=user.email, change="end access",
        before=None, after={"reason": "member of no organisation", **ended}, user_id=actor_id,
        origin=origin,
    )  # fmt: skip

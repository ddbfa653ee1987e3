"""Queries on accounts (users, memberships, tokens, sessions, invitations) and sign-in
attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    bindparam,
    delete,
    func,
    select,
    true,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base
from hoshin.store.organization import OrganizationRow
from hoshin.store.user import ApiTokenRow, InvitationRow, MembershipRow, SessionRow, UserRow

EMAIL_LENGTH = 320
CLIENT_LENGTH = 100


class SignInAttemptRow(Base):
    """A sign-in, in the database so that every process sees it: the failures, counted per
    email and per client address, and the latest success of each email from each address
    (an address the account's owner signed in from is not slowed by others' failures)."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), index=True)
    client: Mapped[str] = mapped_column(String(CLIENT_LENGTH), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)


def find_user_by_id(session: Session, *, user_id: int) -> UserRow | None:
    """The user with this id, or None."""
    return session.get(UserRow, user_id)


def find_member_organization(
    session: Session, *, slug: str, user_id: int
) -> tuple[OrganizationRow, str] | None:
    """The organisation with this slug and the user's role in it, in one query; None when
    either is missing or the membership is inactive (the directory deactivated it)."""
    query = select(OrganizationRow, MembershipRow.role).join(
        MembershipRow, MembershipRow.org_id == OrganizationRow.id
    )
    found = session.execute(
        query.where(
            OrganizationRow.slug == slug, MembershipRow.user_id == user_id, MembershipRow.active
        )
    ).first()
    return None if found is None else (found[0], found[1])


def find_membership(session: Session, *, user_id: int, org_id: int) -> MembershipRow | None:
    """The user's membership of the organisation, or None."""
    return session.scalars(
        select(MembershipRow).where(
            MembershipRow.user_id == user_id, MembershipRow.org_id == org_id
        )
    ).first()


def find_session(session: Session, *, token_hash: str) -> SessionRow | None:
    """The sign-in session whose secret has this SHA-256, or None."""
    return session.scalars(select(SessionRow).where(SessionRow.token_hash == token_hash)).first()


def delete_session(session: Session, *, token_hash: str) -> None:
    """Deletes the sign-in session whose secret has this SHA-256, if there is one."""
    session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))


def delete_expired_sessions(session: Session, *, user_id: int, now: datetime) -> None:
    """Deletes the user's sign-in sessions that expired at or before ``now``."""
    session.execute(
        delete(SessionRow).where(SessionRow.user_id == user_id, SessionRow.expires_at <= now)
    )


def find_token(session: Session, *, token_hash: str) -> ApiTokenRow | None:
    """The API token whose secret has this SHA-256, or None."""
    return session.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)).first()


def find_token_and_user(session: Session, *, token_hash: str) -> tuple[ApiTokenRow, UserRow] | None:
    """The API token whose secret has this SHA-256 and its user, in one query; or None."""
    query = select(ApiTokenRow, UserRow).join(UserRow, UserRow.id == ApiTokenRow.user_id)
    found = session.execute(query.where(ApiTokenRow.token_hash == token_hash)).first()
    return None if found is None else (found[0], found[1])


# Built once: a statement made anew on every request cost more than running it (its
# construction and cache key were two thirds of this query's 750 µs; built once, 275 µs,
# BENCHMARKS.md). Every API request with a token runs it.
_TOKEN_AND_MEMBER = (
    select(ApiTokenRow, UserRow, OrganizationRow, MembershipRow.role)
    .join(UserRow, UserRow.id == ApiTokenRow.user_id)
    .outerjoin(OrganizationRow, OrganizationRow.slug == bindparam("slug"))
    .outerjoin(
        MembershipRow,
        (MembershipRow.org_id == OrganizationRow.id)
        & (MembershipRow.user_id == UserRow.id)
        & MembershipRow.active,
    )
    .where(ApiTokenRow.token_hash == bindparam("token_hash"))
)


def find_token_and_member(
    session: Session, *, token_hash: str, slug: str
) -> tuple[ApiTokenRow, UserRow, OrganizationRow | None, str | None] | None:
    """The API token whose secret has this SHA-256, its user, and the organisation with this
    slug with the user's role in it (both None unless the user is a member), in one query;
    None for an unknown token. One query instead of find_token_and_user and
    find_member_organization: every API request asks both."""
    found = session.execute(_TOKEN_AND_MEMBER, {"slug": slug, "token_hash": token_hash}).first()
    if found is None:
        return None
    token, user, org, role = found
    return (token, user, org, role) if role is not None else (token, user, None, None)


def find_token_by_id(session: Session, *, token_id: int) -> ApiTokenRow | None:
    """The API token with this id, or None."""
    return session.get(ApiTokenRow, token_id)


def list_user_tokens(session: Session, *, user_id: int) -> list[ApiTokenRow]:
    """The user's API tokens, revoked ones included, oldest first."""
    query = select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
    return list(session.scalars(query))


def failure_times(
    session: Session, *, since: datetime, email: str | None = None, client: str | None = None
) -> list[datetime]:
    """When the failed sign-ins after ``since`` happened, oldest first, for an email, a
    client address, or both."""
    where: list[ColumnElement[bool]] = [
        SignInAttemptRow.at > since,
        SignInAttemptRow.succeeded.is_(False),
    ]
    if email is not None:
        where.append(SignInAttemptRow.email == email[:EMAIL_LENGTH])
    if client is not None:
        where.append(SignInAttemptRow.client == client[:CLIENT_LENGTH])
    return list(
        session.scalars(select(SignInAttemptRow.at).where(*where).order_by(SignInAttemptRow.at))
    )


def last_successes(
    session: Session, *, email: str, client: str
) -> tuple[datetime | None, datetime | None]:
    """When the email last signed in successfully from anywhere, and from this client."""
    from_client = SignInAttemptRow.client == client[:CLIENT_LENGTH]
    query = select(
        func.max(SignInAttemptRow.at), func.max(SignInAttemptRow.at).filter(from_client)
    ).where(SignInAttemptRow.email == email[:EMAIL_LENGTH], SignInAttemptRow.succeeded == true())
    found = session.execute(query).one()
    return found[0], found[1]


def add_failure(session: Session, *, email: str, client: str, at: datetime) -> SignInAttemptRow:
    """Adds a failed sign-in to the session (long inputs are cut to the column widths)."""
    row = SignInAttemptRow(email=email[:EMAIL_LENGTH], client=client[:CLIENT_LENGTH], at=at)
    session.add(row)
    return row


def add_success(session: Session, *, email: str, client: str, at: datetime) -> None:
    """Notes a successful sign-in of the email from the client, in place of the last one."""
    email, client = email[:EMAIL_LENGTH], client[:CLIENT_LENGTH]
    session.execute(
        delete(SignInAttemptRow).where(
            SignInAttemptRow.email == email,
            SignInAttemptRow.client == client,
            SignInAttemptRow.succeeded == true(),
        )
    )
    session.add(SignInAttemptRow(email=email, client=client, at=at, succeeded=True))


def prune_attempts(
    session: Session, *, failures_before: datetime, successes_before: datetime
) -> None:
    """Deletes the failures and successes that no longer count."""
    session.execute(
        delete(SignInAttemptRow).where(
            SignInAttemptRow.at <= failures_before, SignInAttemptRow.succeeded.is_(False)
        )
    )
    session.execute(
        delete(SignInAttemptRow).where(
            SignInAttemptRow.at <= successes_before, SignInAttemptRow.succeeded == true()
        )
    )


def delete_user_sessions(session: Session, *, user_id: int, keep: str | None = None) -> int:
    """Deletes the user's sign-in sessions, but the one whose secret has the SHA-256 ``keep``;
    returns how many."""
    query = delete(SessionRow).where(SessionRow.user_id == user_id)
    if keep is not None:
        query = query.where(SessionRow.token_hash != keep)
    return _count(session.execute(query))


def revoke_user_tokens(session: Session, *, user_id: int, at: datetime) -> int:
    """Revokes every API token of the user not revoked yet; returns how many."""
    query = (
        update(ApiTokenRow)
        .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return _count(session.execute(query))


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def find_invitation(session: Session, *, token_hash: str) -> InvitationRow | None:
    """The invitation whose secret has this SHA-256, or None."""
    query = select(InvitationRow).where(InvitationRow.token_hash == token_hash)
    return session.scalars(query).first()


def find_invitation_by_id(
    session: Session, *, org_id: int, invitation_id: int
) -> InvitationRow | None:
    """The organisation's invitation with this id, or None."""
    row = session.get(InvitationRow, invitation_id)
    return row if row is not None and row.org_id == org_id else None


def list_invitations(session: Session, *, org_id: int, limit: int = 200) -> list[InvitationRow]:
    """The organisation's invitations, newest first (at most ``limit``)."""
    query = (
        select(InvitationRow)
        .where(InvitationRow.org_id == org_id)
        .order_by(InvitationRow.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def open_invitations(
    session: Session, *, org_id: int, now: datetime, email: str | None = None
) -> list[InvitationRow]:
    """The organisation's invitations (of this email, if given) that can still be accepted,
    newest first."""
    query = select(InvitationRow).where(
        InvitationRow.org_id == org_id,
        InvitationRow.accepted_at.is_(None),
        InvitationRow.revoked_at.is_(None),
        InvitationRow.expires_at > now,
    )
    if email is not None:
        query = query.where(InvitationRow.email == email)
    return list(session.scalars(query.order_by(InvitationRow.id.desc())))


def list_members(session: Session, *, org_id: int) -> list[tuple[UserRow, str]]:
    """The organisation's members and their roles, by email."""
    query = (
        select(UserRow, MembershipRow.role)
        .join(MembershipRow, MembershipRow.user_id == UserRow.id)
        .where(MembershipRow.org_id == org_id)
        .order_by(UserRow.email)
    )
    return [(user, role) for user, role in session.execute(query)]


def find_member_with_person(
    session: Session, *, org_id: int, person: str, other_than: int
) -> UserRow | None:
    """A member of the organisation, other than user ``other_than``, linked to ``person``."""
    query = (
        select(UserRow)
        .join(MembershipRow, MembershipRow.user_id == UserRow.id)
        .where(MembershipRow.org_id == org_id, UserRow.person == person, UserRow.id != other_than)
    )
    return session.scalars(query.limit(1)).first()


def count_with_role(session: Session, *, org_id: int, role: str) -> int:
    """How many active members of the organisation have ``role`` (a membership the
    directory deactivated counts for nothing)."""
    query = select(func.count()).where(
        MembershipRow.org_id == org_id, MembershipRow.role == role, MembershipRow.active
    )
    return int(session.scalar(query) or 0)


def organizations_of(session: Session, *, user_id: int) -> list[OrganizationRow]:
    """The organisations the user is a member of, by name."""
    query = (
        select(OrganizationRow)
        .join(MembershipRow, MembershipRow.org_id == OrganizationRow.id)
        .where(MembershipRow.user_id == user_id, MembershipRow.active)
        .order_by(func.lower(OrganizationRow.name), OrganizationRow.slug)
    )
    return list(session.scalars(query))

"""SCIM provisioning: each organisation's directory tokens and the directory's groups.
The directory's users are the organisation's memberships (store.user.MembershipRow)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TypeVarTuple

from sqlalchemy import (
    ForeignKey,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from hoshin.store.base import Base, now
from hoshin.store.unit import PersonRow, UnitRow, find_person
from hoshin.store.user import EXTERNAL_ID_LENGTH, MembershipRow, UserRow

# Ids sent in one IN list at most: PostgreSQL refuses a statement of more than 65,535
# parameters and SQLite may be built to refuse more than 32,766, and a directory may have
# 50,000 members.
CHUNK = 1000
_Row = TypeVarTuple("_Row")


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    """The ids, CHUNK at a time."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


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


def find_token(session: Session, *, token_hash: str) -> ScimTokenRow | None:
    """The directory token with this SHA-256 (revoked or not), or None."""
    query = select(ScimTokenRow).where(ScimTokenRow.token_hash == token_hash)
    return session.scalars(query).first()


def org_tokens(session: Session, *, org_id: int) -> list[ScimTokenRow]:
    """The organisation's directory tokens, revoked ones included, oldest first."""
    query = select(ScimTokenRow).where(ScimTokenRow.org_id == org_id).order_by(ScimTokenRow.id)
    return list(session.scalars(query))


def find_member(
    session: Session, *, org_id: int, membership_id: int
) -> tuple[MembershipRow, UserRow] | None:
    """The organisation's membership with this id and its user, or None (another
    organisation's membership is none)."""
    query = (
        select(MembershipRow, UserRow)
        .join(UserRow, UserRow.id == MembershipRow.user_id)
        .where(MembershipRow.org_id == org_id, MembershipRow.id == membership_id)
    )
    found = session.execute(query).first()
    return None if found is None else (found[0], found[1])


def members(
    session: Session,
    *,
    org_id: int,
    email: str | None = None,
    external_id: str | None = None,
    membership_id: int | None = None,
    display_name: str | None = None,
    active: bool | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[tuple[MembershipRow, UserRow]]:
    """The organisation's memberships and their users by membership id, narrowed to an
    e-mail (lower-case), an external id, a membership id, a name (``display_name``, in
    lower case: compared with the name in lower case) or active ones when given; ``limit``
    of them from ``offset`` on."""
    query = _narrowed(
        select(MembershipRow, UserRow), org_id=org_id, email=email, external_id=external_id,
        membership_id=membership_id, display_name=display_name, active=active,
    )  # fmt: skip
    query = query.order_by(MembershipRow.id).offset(offset).limit(limit)
    return [(row[0], row[1]) for row in session.execute(query)]


def count_members(
    session: Session,
    *,
    org_id: int,
    email: str | None = None,
    external_id: str | None = None,
    membership_id: int | None = None,
    display_name: str | None = None,
    active: bool | None = None,
) -> int:
    """How many memberships ``members`` finds with the same narrowing."""
    query = _narrowed(
        select(func.count(MembershipRow.id)), org_id=org_id, email=email,
        external_id=external_id, membership_id=membership_id, display_name=display_name,
        active=active,
    )  # fmt: skip
    return int(session.scalar(query) or 0)


def _narrowed(
    query: Select[*_Row],
    *,
    org_id: int,
    email: str | None,
    external_id: str | None,
    membership_id: int | None,
    display_name: str | None,
    active: bool | None,
) -> Select[*_Row]:
    query = query.select_from(MembershipRow).join(UserRow, UserRow.id == MembershipRow.user_id)
    query = query.where(MembershipRow.org_id == org_id)
    if email is not None:
        query = query.where(UserRow.email == email)
    if external_id is not None:
        query = query.where(MembershipRow.external_id == external_id)
    if membership_id is not None:
        query = query.where(MembershipRow.id == membership_id)
    if display_name is not None:
        query = query.where(func.lower(UserRow.name) == display_name)
    if active is not None:
        query = query.where(MembershipRow.active == active)
    return query


def delete_membership(session: Session, *, membership_id: int) -> None:
    """Deletes the membership (the user's account stays)."""
    session.execute(delete(MembershipRow).where(MembershipRow.id == membership_id))


def find_group(session: Session, *, org_id: int, scim_id: str) -> ScimGroupRow | None:
    """The organisation's directory group with this SCIM id, or None."""
    query = select(ScimGroupRow).where(
        ScimGroupRow.org_id == org_id, ScimGroupRow.scim_id == scim_id
    )
    return session.scalars(query).first()


def find_group_named(session: Session, *, org_id: int, name: str) -> ScimGroupRow | None:
    """The organisation's directory group with this display name, or None."""
    query = select(ScimGroupRow).where(
        ScimGroupRow.org_id == org_id, ScimGroupRow.display_name == name
    )
    return session.scalars(query).first()


def groups(session: Session, *, org_id: int, display_name: str | None = None) -> list[ScimGroupRow]:
    """The organisation's directory groups, oldest first; those whose name in lower case
    is ``display_name`` when given."""
    query = select(ScimGroupRow).where(ScimGroupRow.org_id == org_id).order_by(ScimGroupRow.id)
    if display_name is not None:
        query = query.where(func.lower(ScimGroupRow.display_name) == display_name)
    return list(session.scalars(query))


def group_members(
    session: Session, *, group_ids: list[int]
) -> dict[int, list[tuple[MembershipRow, UserRow]]]:
    """Each group's members (their membership in the group's organisation, and user)."""
    found: dict[int, list[tuple[MembershipRow, UserRow]]] = {gid: [] for gid in group_ids}
    for chunk in _chunks(group_ids):
        for group_id, membership, user in session.execute(_group_members(chunk)):
            found[group_id].append((membership, user))
    return found


def _group_members(group_ids: list[int]) -> Select[int, MembershipRow, UserRow]:
    return (
        select(ScimGroupMemberRow.group_id, MembershipRow, UserRow)
        .join(ScimGroupRow, ScimGroupRow.id == ScimGroupMemberRow.group_id)
        .join(UserRow, UserRow.id == ScimGroupMemberRow.user_id)
        .join(
            MembershipRow,
            (MembershipRow.user_id == UserRow.id) & (MembershipRow.org_id == ScimGroupRow.org_id),
        )
        .where(ScimGroupMemberRow.group_id.in_(group_ids))
        .order_by(MembershipRow.id)
    )


def group_member_ids(session: Session, *, group_id: int) -> dict[int, int]:
    """The group's members, as ids only: each one's user id by membership id (in the
    group's organisation)."""
    query = (
        select(MembershipRow.id, ScimGroupMemberRow.user_id)
        .join(ScimGroupRow, ScimGroupRow.id == ScimGroupMemberRow.group_id)
        .join(
            MembershipRow,
            (MembershipRow.user_id == ScimGroupMemberRow.user_id)
            & (MembershipRow.org_id == ScimGroupRow.org_id),
        )
        .where(ScimGroupMemberRow.group_id == group_id)
    )
    return {membership_id: user_id for membership_id, user_id in session.execute(query)}


def user_groups(
    session: Session, *, org_id: int, user_ids: list[int]
) -> dict[int, list[ScimGroupRow]]:
    """The organisation's directory groups of each of these users, by user id."""
    found: dict[int, list[ScimGroupRow]] = {uid: [] for uid in user_ids}
    for chunk in _chunks(user_ids):
        query = (
            select(ScimGroupMemberRow.user_id, ScimGroupRow)
            .join(ScimGroupRow, ScimGroupRow.id == ScimGroupMemberRow.group_id)
            .where(ScimGroupRow.org_id == org_id, ScimGroupMemberRow.user_id.in_(chunk))
            .order_by(ScimGroupRow.id)
        )
        for user_id, group in session.execute(query):
            found[user_id].append(group)
    return found


def set_group_members(
    session: Session, *, group_id: int, before: set[int], after: set[int]
) -> None:
    """Makes the users ``after`` the group's members instead of those ``before``: only
    those who leave or join are written (a group may have thousands)."""
    for chunk in _chunks(sorted(before - after)):
        session.execute(
            delete(ScimGroupMemberRow).where(
                ScimGroupMemberRow.group_id == group_id, ScimGroupMemberRow.user_id.in_(chunk)
            )
        )
    session.add_all(
        ScimGroupMemberRow(group_id=group_id, user_id=uid) for uid in sorted(after - before)
    )
    session.flush()


def members_with_ids(
    session: Session, *, org_id: int, membership_ids: list[int]
) -> dict[int, tuple[MembershipRow, UserRow]]:
    """The organisation's memberships with these ids, and their users, by id (another
    organisation's are not found)."""
    found: dict[int, tuple[MembershipRow, UserRow]] = {}
    for chunk in _chunks(membership_ids):
        query = (
            select(MembershipRow, UserRow)
            .join(UserRow, UserRow.id == MembershipRow.user_id)
            .where(MembershipRow.org_id == org_id, MembershipRow.id.in_(chunk))
        )
        found.update((row[0].id, (row[0], row[1])) for row in session.execute(query))
    return found


def leave_groups(session: Session, *, org_id: int, user_id: int) -> None:
    """Takes the user out of every directory group of the organisation."""
    ids = select(ScimGroupRow.id).where(ScimGroupRow.org_id == org_id)
    session.execute(
        delete(ScimGroupMemberRow).where(
            ScimGroupMemberRow.user_id == user_id, ScimGroupMemberRow.group_id.in_(ids)
        )
    )


def delete_group(session: Session, *, group_id: int) -> None:
    """Deletes the directory group and its memberships."""
    session.execute(delete(ScimGroupMemberRow).where(ScimGroupMemberRow.group_id == group_id))
    session.execute(delete(ScimGroupRow).where(ScimGroupRow.id == group_id))


def person_for(
    session: Session, *, org_id: int, email: str, external_id: str | None
) -> PersonRow | None:
    """The plan person of the organisation whose id is the external id, else the one whose
    e-mail is this one (case-insensitive), or None."""
    if external_id:
        found = find_person(session, org_id=org_id, key=external_id)
        if found is not None:
            return found
    query = (
        select(PersonRow)
        .where(PersonRow.org_id == org_id, func.lower(PersonRow.email) == email.lower())
        .order_by(PersonRow.id)
    )
    return session.scalars(query).first()


def user_memberships(session: Session, *, user_id: int) -> list[MembershipRow]:
    """Every membership of the user, in any organisation."""
    return list(session.scalars(select(MembershipRow).where(MembershipRow.user_id == user_id)))


def unit_named(session: Session, *, org_id: int, text: str) -> str | None:
    """The id of the organisation's unit whose id or name is ``text`` (case-insensitive),
    or None."""
    wanted = text.strip().lower()
    query = (
        select(UnitRow.key)
        .where(
            UnitRow.org_id == org_id,
            (func.lower(UnitRow.key) == wanted) | (func.lower(UnitRow.name) == wanted),
        )
        .order_by(UnitRow.id)
    )
    return session.scalars(query).first()


def manager_unit(session: Session, *, org_id: int, membership_id: int) -> str | None:
    """The unit a manager's plan person stands for: the first unit they lead, else the unit
    they are in; None when the membership (of this organisation) has no plan person."""
    person = (
        select(PersonRow.key, PersonRow.unit)
        .join(UserRow, UserRow.person == PersonRow.key)
        .join(MembershipRow, MembershipRow.user_id == UserRow.id)
        .where(
            MembershipRow.org_id == org_id,
            MembershipRow.id == membership_id,
            PersonRow.org_id == org_id,
        )
    )
    found = session.execute(person).first()
    if found is None:
        return None
    led = select(UnitRow.key).where(UnitRow.org_id == org_id, UnitRow.lead == found[0])
    return session.scalars(led.order_by(UnitRow.id)).first() or found[1]

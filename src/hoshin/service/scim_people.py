"""What the directory's word does beyond the membership: the role its groups give
(SsoSettingsRow.group_roles, the strongest wins), and the plan person it is linked to (by
the person's id = externalId, or by e-mail), whose name and unit (group_units, or the
enterprise extension's department) follow the directory's through
service.unit.update_person, so the plan and its audit trail see them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Person
from hoshin.service import account, unit
from hoshin.service.asker import Who
from hoshin.service.policy import ADMIN
from hoshin.service.sso import role_from_groups
from hoshin.service.versioned import Change
from hoshin.store import scim as store
from hoshin.store import sso as sso_store
from hoshin.store.audit import record_event
from hoshin.store.unit import PersonRow, find_person
from hoshin.store.user import MembershipRow, UserRow

if TYPE_CHECKING:
    from hoshin.service.scim_directory import Directory


def keep_in_step(
    session: Session,
    d: Directory,
    member: tuple[MembershipRow, UserRow],
    department: str | None = None,
    manager: str | None = None,
) -> None:
    """Applies the member's groups (role, unit) and keeps their plan person in step: their
    name, and their unit (a mapped group's, else the enterprise extension's department
    when it names a unit of the plan by id or name, else the unit their manager (the
    extension's manager, a SCIM id of this directory) leads or is in)."""
    membership, user = member
    settings = sso_store.find_settings(session, org_id=d.org.id)
    names = tuple(
        g.display_name
        for g in store.user_groups(session, org_id=d.org.id, user_ids=[user.id])[user.id]
    )
    roles: dict[str, str] = {} if settings is None else dict(settings.group_roles)
    units: dict[str, str] = {} if settings is None else dict(settings.group_units)
    role = role_from_groups(session, membership=membership, group_roles=roles, groups=names)
    if role is not None and role != membership.role:
        account.set_role(
            session, email=user.email, org_slug=d.org.slug, role=role, actor=d.actor,
            origin=d.origin,
        )  # fmt: skip
    person = _linked_person(session, d, membership, user)
    if person is None:
        return
    given_unit = next((units[name] for name in names if name in units), None)
    if given_unit is None and department:
        given_unit = store.unit_named(session, org_id=d.org.id, text=department)
    if given_unit is None and manager and manager.isdigit() and manager != str(membership.id):
        given_unit = store.manager_unit(session, org_id=d.org.id, membership_id=int(manager))
    name = user.name or person.name
    new_unit = given_unit or person.unit
    if (name, new_unit) == (person.name, person.unit):
        return
    change = Change(d.org, Who(actor=d.actor, origin=d.origin), if_match=person.version)
    unit.update_person(
        session, change=change, role=ADMIN,
        person=Person(person.key, name, new_unit, person.email),
    )  # fmt: skip


def _linked_person(
    session: Session, d: Directory, membership: MembershipRow, user: UserRow
) -> PersonRow | None:
    """The user's plan person in this organisation, linking them when a person's id is
    their external id or a person's e-mail is theirs. A link another organisation's plan
    may rely on (the user is a member elsewhere too) is not moved."""
    current = (
        None if user.person is None else find_person(session, org_id=d.org.id, key=user.person)
    )
    if current is not None:
        return current
    found = store.person_for(
        session, org_id=d.org.id, email=user.email, external_id=membership.external_id
    )
    if found is None:
        return None
    elsewhere = len(store.user_memberships(session, user_id=user.id)) > 1
    if user.person is not None and elsewhere:
        return None
    before: dict[str, Any] = {"email": user.email, "name": user.name, "person": user.person}
    user.person = found.key
    session.flush()
    record_event(
        session, org_id=d.org.id, actor=d.actor, entity="user", key=user.email,
        change="link", before=before, after={**before, "person": found.key}, origin=d.origin,
    )  # fmt: skip
    return found

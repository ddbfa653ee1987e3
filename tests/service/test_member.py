"""Linking a member to a person of the plan, on SQLite and PostgreSQL: admins link, change
and unlink; the person must exist and be nobody else's; every change is audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import TESTS, add_member, make_organization
from hoshin.domain.model import Organization, Person, Plan
from hoshin.errors import Conflict, Forbidden, InvalidInput, NotFound
from hoshin.service import member
from hoshin.store.audit import AuditEventRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.user import UserRow, find_user

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PASSWORD = "correct horse"
PEOPLE = (Person("ada", "Ada Lovelace"), Person("bo", "Bo Lind"), Person("cy", ""))


def setup(session: Session) -> tuple[OrganizationRow, int]:
    """Acme with people ada, bo and cy; its admin (unlinked, their user id) and viewer
    vi@acme.org linked to bo."""
    org = make_organization(
        session, slug="acme", name="Acme", plan=Plan(Organization("Acme"), people=PEOPLE)
    )
    add_member(session, email="admin@acme.org", role="admin", password=PASSWORD, org="acme")
    add_member(
        session, email="vi@acme.org", role="viewer", password=PASSWORD, org="acme", person="bo"
    )
    session.commit()
    user = find_user(session, email="admin@acme.org")
    assert user is not None
    return org, user.id


def link(
    session: Session, org: OrganizationRow, admin_id: int, email: str, person: str | None
) -> member.Member:
    """The admin links ``email`` to ``person``."""
    return member.link_person(
        session, org=org, email=email, person=person, admin_id=admin_id,
        actor="admin@acme.org", origin="192.0.2.9",
    )  # fmt: skip


def events(session: Session) -> list[tuple[str, object, object]]:
    """The member events' (key, person before, person after), oldest first."""
    rows = session.scalars(
        select(AuditEventRow).where(AuditEventRow.entity == "member").order_by(AuditEventRow.id)
    )
    return [
        (row.key, (row.before or {}).get("person"), (row.after or {}).get("person"))
        for row in rows
        if row.change == "update"
    ]


def test_an_admin_links_changes_and_unlinks_a_member(session: Session) -> None:
    org, admin_id = setup(session)
    # The admin links themself to ada (the demo admin's case: an empty check-in before).
    assert link(session, org, admin_id, "Admin@Acme.org", " ada ").person == "ada"
    # Then to cy, then to nobody ("" and None both unlink): three events, one each.
    assert link(session, org, admin_id, "admin@acme.org", "cy").person == "cy"
    assert link(session, org, admin_id, "admin@acme.org", "").person is None
    assert link(session, org, admin_id, "admin@acme.org", None).person is None  # no change
    session.commit()
    assert [m.person for m in member.list_members(session, org=org)] == [None, "bo"]
    assert events(session) == [
        ("admin@acme.org", None, "ada"),
        ("admin@acme.org", "ada", "cy"),
        ("admin@acme.org", "cy", None),
    ]


def test_the_person_must_be_in_the_plan_and_nobody_elses(session: Session) -> None:
    org, admin_id = setup(session)
    with pytest.raises(InvalidInput, match="the plan has no person 'zed'") as unknown:
        link(session, org, admin_id, "admin@acme.org", "zed")
    assert unknown.value.detail == [
        {"field": "person", "reason": "the plan has no person 'zed': choose one of its people"}
    ]
    message = "person 'bo' is linked to vi@acme.org already: unlink them first"
    with pytest.raises(Conflict, match=re.escape(message)):
        link(session, org, admin_id, "admin@acme.org", "bo")
    with pytest.raises(NotFound, match=re.escape("no member 'ghost@acme.org' in acme")):
        link(session, org, admin_id, "ghost@acme.org", "ada")
    # vi's own link to bo is no conflict with themself: nothing changes, nothing is audited.
    assert link(session, org, admin_id, "vi@acme.org", "bo").person == "bo"
    assert events(session) == []


def test_a_member_of_another_organisation_is_linked_only_by_an_admin_of_both(
    session: Session,
) -> None:
    org, admin_id = setup(session)
    other = make_organization(session, slug="other", name="Other", plan=Plan(Organization("O")))
    add_member(session, email="boss@other.org", role="admin", password=PASSWORD, org="other")
    member.join(session, org=other, user=_user(session, "vi@acme.org"), role="viewer", actor=TESTS)
    with pytest.raises(Forbidden, match="also a member of an organisation you do not administer"):
        link(session, org, admin_id, "vi@acme.org", "ada")
    # Made an admin of Other too, acme's admin may: vi is linked to ada (bo is free again).
    member.join(
        session, org=other, user=_user(session, "admin@acme.org"), role="admin", actor=TESTS
    )
    assert link(session, org, admin_id, "vi@acme.org", "ada").person == "ada"


def test_people_are_named_by_their_names_else_their_ids(session: Session) -> None:
    org, _ = setup(session)
    # cy has no name (their id stands for it); the plan has no zed.
    labels = member.person_labels(session, org=org, keys=["cy", "bo", "zed"])
    assert labels == {"cy": "cy", "bo": "Bo Lind"}


def _user(session: Session, email: str) -> UserRow:
    user = find_user(session, email=email)
    assert user is not None
    return user

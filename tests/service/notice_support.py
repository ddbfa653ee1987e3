"""What the notice tests share: the clinic (examples/small.yaml, ward-a led by ben) with
its members, and what a change told, read back from the notifications and the outbox."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import add_member, make_organization
from hoshin.domain.model import Person
from hoshin.planfile import read_plan
from hoshin.service.account import Principal
from hoshin.service.asker import Asker
from hoshin.store.notification import NotificationRow, OutboxRow, WebhookRow
from hoshin.store.organization import OrganizationRow
from hoshin.store.user import find_user

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
PASSWORD = "pw-a-good-long-secret"
# email, role, plan person, account name: ana has the plan's address ana@riverside.example,
# ben none in the plan (his account's address is used for e-mail, store.addresses_of)
MEMBERS = (
    ("admin@x.example", "admin", None, ""),
    ("ana@riverside.example", "editor", "ana", "Ana"),
    ("ben@x.example", "contributor", "ben", "Benny"),
)


def make_clinic(session: Session) -> tuple[OrganizationRow, dict[str, Asker]]:
    """The clinic whose unit ward-a is led by ben (clinic has no lead), with three more
    people of ward-a (Cara Diaz, and two named Dan Roe), its members by plan person
    ("admin" for the admin, who is none), and a webhook that hears every event."""
    plan = read_plan(SMALL)
    units = tuple(replace(u, lead="ben") if u.id == "ward-a" else u for u in plan.units)
    people = (
        *plan.people, Person("cara", "Cara Diaz", "ward-a", "cara@riverside.example"),
        Person("dan", "Dan Roe", "ward-a"), Person("dan-2", "Dan Roe", "ward-a"),
    )  # fmt: skip
    org = make_organization(session, slug="clinic", name="Riverside Clinic",
                            plan=replace(plan, units=units, people=people))  # fmt: skip
    askers = {}
    for email, role, person, name in MEMBERS:
        add_member(session, email=email, role=role, password=PASSWORD, person=person, name=name)
        user = find_user(session, email=email)
        assert user is not None
        principal = Principal(user.id, email, name, person)
        askers[person or "admin"] = Asker(org, role, principal, "tests")
    session.add(WebhookRow(org_id=org.id, url="https://hooks.example/hoshin", events=[],
                           secret="s3cret", created_by="tests"))  # fmt: skip
    session.commit()
    return org, askers


def told(session: Session, org: OrganizationRow) -> list[tuple[str, str, str]]:
    """(person, key, title) of every notification, first first."""
    query = select(NotificationRow).where(NotificationRow.org_id == org.id)
    return [(n.person, n.key, n.title) for n in session.scalars(query.order_by(NotificationRow.id))]


def notification(session: Session, org: OrganizationRow, key: str) -> NotificationRow:
    """The notification with this key."""
    query = select(NotificationRow).where(
        NotificationRow.org_id == org.id, NotificationRow.key == key
    )
    return session.scalars(query).one()


def mailed(session: Session, org: OrganizationRow) -> list[tuple[str, str]]:
    """(address, subject) of every queued e-mail, first first."""
    return [(row.recipient, row.payload["subject"]) for row in _outbox(session, org, "email")]


def called(session: Session, org: OrganizationRow) -> list[tuple[str, str, dict[str, Any]]]:
    """(event, subject, data) of every queued webhook call, first first."""
    return [
        (row.payload["event"], row.payload["subject"], row.payload["data"])
        for row in _outbox(session, org, "webhook")
    ]


def _outbox(session: Session, org: OrganizationRow, channel: str) -> list[OutboxRow]:
    query = select(OutboxRow).where(OutboxRow.org_id == org.id, OutboxRow.channel == channel)
    return list(session.scalars(query.order_by(OutboxRow.id)))

"""Invitations on SQLite and PostgreSQL: a week's life, one open per email, the invited email
only, and every step in the audit trail (never the link's secret)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hoshin.errors import Conflict, Forbidden, InvalidInput, NotFound
from hoshin.service import account, invitation
from hoshin.store.audit import AuditEventRow
from hoshin.store.organization import OrganizationRow, create_organization

pytestmark = pytest.mark.usefixtures("cheap_hashing")

NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse"


def setup(session: Session) -> tuple[OrganizationRow, int]:
    """The organisation acme and its admin (their user id), committed."""
    org = create_organization(session, slug="acme", name="Acme")
    admin = account.add_user(
        session, email="admin@acme.org", password=PASSWORD, actor="tests", origin="tests"
    )
    session.commit()
    return org, admin.id


def invite(session: Session, org: OrganizationRow, admin_id: int, email: str, at: datetime) -> str:
    """An invitation to acme as a viewer, made by the admin at ``at``; the link's secret."""
    _, link = invitation.invite(
        session, org=org, email=email, role="viewer", person=None, actor="admin@acme.org",
        actor_id=admin_id, origin="192.0.2.9", now=at,
    )  # fmt: skip
    session.commit()
    return link.removeprefix("/invite/")


def test_an_invitation_lasts_seven_days(session: Session) -> None:
    org, admin_id = setup(session)
    secret = invite(session, org, admin_id, "bo@acme.org", NOON)
    # Made 2026-11-22 12:00: open until 2026-11-29 11:59:59, expired from 12:00.
    last = NOON + timedelta(days=7, seconds=-1)
    assert invitation.open_invitation(session, secret=secret, now=last).email == "bo@acme.org"
    with pytest.raises(NotFound, match="expired, was revoked or was used"):
        invitation.open_invitation(session, secret=secret, now=NOON + timedelta(days=7))
    listed = invitation.list_invitations(session, org=org, now=NOON + timedelta(days=7))
    assert [(i.email, i.status) for i in listed] == [("bo@acme.org", "expired")]


def test_only_the_invited_email_accepts_and_only_once(session: Session) -> None:
    org, admin_id = setup(session)
    secret = invite(session, org, admin_id, "Bo@Acme.org", NOON)
    with pytest.raises(Forbidden, match=re.escape("this invitation is for bo@acme.org")):
        invitation.accept(session, secret=secret, user_id=admin_id, now=NOON, origin="x")
    with pytest.raises(InvalidInput, match="too easy to guess"):
        invitation.accept_new(
            session, secret=secret, name="Bo", password="1234567890", now=NOON, origin="x"
        )
    session.rollback()
    with pytest.raises(InvalidInput, match="the name is missing"):
        invitation.accept_new(
            session, secret=secret, name="  ", password=PASSWORD, now=NOON, origin="x"
        )
    me, cookie = invitation.accept_new(
        session, secret=secret, name="Bo", password=PASSWORD, now=NOON, origin="198.51.100.4"
    )
    session.commit()
    assert (
        me.email == "bo@acme.org"
        and account.session_principal(session, secret=cookie, now=NOON) == me
    )
    with pytest.raises(NotFound):
        invitation.accept(session, secret=secret, user_id=me.user_id, now=NOON, origin="x")


def test_an_existing_account_accepts_with_its_password_not_a_new_one(session: Session) -> None:
    org, admin_id = setup(session)
    account.add_user(session, email="bo@acme.org", password=PASSWORD, actor="t", origin="t")
    secret = invite(session, org, admin_id, "bo@acme.org", NOON)
    with pytest.raises(Conflict, match="has an account already: sign in with its password"):
        invitation.accept_new(
            session, secret=secret, name="Bo", password="another good one", now=NOON, origin="x"
        )
    session.rollback()
    bo = account.get_user(session, email="bo@acme.org")
    joined = invitation.accept(session, secret=secret, user_id=bo.id, now=NOON, origin="x")
    assert (joined.email, joined.role) == ("bo@acme.org", "viewer")


def test_a_new_invitation_replaces_the_open_one_and_members_are_not_invited(
    session: Session,
) -> None:
    org, admin_id = setup(session)
    first = invite(session, org, admin_id, "bo@acme.org", NOON)
    invite(session, org, admin_id, "bo@acme.org", NOON + timedelta(hours=1))
    with pytest.raises(NotFound):
        invitation.open_invitation(session, secret=first, now=NOON + timedelta(hours=1))
    account.set_role(
        session, email="admin@acme.org", org_slug="acme", role="admin", actor="t", origin="t"
    )
    with pytest.raises(Conflict, match=re.escape("admin@acme.org is a member of acme already")):
        invite(session, org, admin_id, "admin@acme.org", NOON)


def test_every_step_is_an_audit_event_without_the_secret(session: Session) -> None:
    org, admin_id = setup(session)
    secret = invite(session, org, admin_id, "bo@acme.org", NOON)
    revoked = invitation.list_invitations(session, org=org, now=NOON)[0].id
    invitation.revoke_invitation(
        session, org=org, invitation_id=revoked, actor="admin@acme.org", actor_id=admin_id,
        origin="192.0.2.9", now=NOON,
    )  # fmt: skip
    again = invite(session, org, admin_id, "bo@acme.org", NOON)
    invitation.accept_new(
        session, secret=again, name="Bo", password=PASSWORD, now=NOON, origin="198.51.100.4"
    )
    session.commit()
    events = session.scalars(
        select(AuditEventRow).where(AuditEventRow.org_id == org.id).order_by(AuditEventRow.id)
    ).all()
    assert [(e.actor, e.entity, e.change, e.origin) for e in events] == [
        ("admin@acme.org", "invitation", "create", "192.0.2.9"),
        ("admin@acme.org", "invitation", "revoke", "192.0.2.9"),
        ("admin@acme.org", "invitation", "create", "192.0.2.9"),
        ("bo@acme.org", "member", "create", "198.51.100.4"),
        ("bo@acme.org", "invitation", "accept", "198.51.100.4"),
    ]
    text = str([(e.before, e.after) for e in session.scalars(select(AuditEventRow))])
    assert secret not in text and again not in text and PASSWORD not in text
    assert not re.search(r"\$argon2", text)

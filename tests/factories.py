"""Test data made the way every test suite needs it: an organisation with a plan, and its
members, each change recorded with the tests as its actor (importable from every folder of
tests/, which pytest puts on the path)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hoshin.domain.model import Plan
from hoshin.service import account
from hoshin.service.organization import create_organization
from hoshin.store.organization import OrganizationRow
from hoshin.store.plan import replace_plan

TESTS = "tests"  # the actor and origin of what the tests make


def make_organization(session: Session, *, slug: str, name: str, plan: Plan) -> OrganizationRow:
    """An organisation holding ``plan``."""
    org = create_organization(session, slug=slug, name=name, actor=TESTS, origin=TESTS)
    replace_plan(session, org=org, plan=plan)
    return org


def add_member(
    session: Session,
    *,
    email: str,
    role: str,
    password: str,
    org: str = "clinic",
    person: str | None = None,
    name: str = "",
) -> None:
    """A new user with ``role`` in the organisation ``org``."""
    account.add_user(
        session, email=email, password=password, person=person, name=name, actor=TESTS,
        origin=TESTS,
    )  # fmt: skip
    account.set_role(session, email=email, org_slug=org, role=role, actor=TESTS, origin=TESTS)

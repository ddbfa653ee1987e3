"""`hoshin setup --demo`: a database with the demo organisation and an admin to sign in with."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from hoshin.demo.plan import demo_plan
from hoshin.service import account
from hoshin.service.organization import create_organization
from hoshin.service.policy import ADMIN
from hoshin.store import organization as org_store
from hoshin.store.audit import record_event
from hoshin.store.plan import replace_plan
from hoshin.store.user import find_user

DEMO_SLUG = "demo"
ADMIN_EMAIL = "admin@demo.example"


@dataclass(frozen=True, slots=True)
class DemoSetup:
    """The demo organisation's slug, the admin's email, and a password when it is new."""

    slug: str
    email: str
    password: str | None


def setup_demo(session: Session, *, today: date, actor: str, origin: str | None) -> DemoSetup:
    """Loads a fresh demo plan into organisation 'demo' and makes sure an admin exists;
    each change is an audit event of ``actor`` from ``origin``."""
    plan = demo_plan(today)
    org = org_store.find_organization(session, slug=DEMO_SLUG)
    if org is None:
        org = create_organization(
            session, slug=DEMO_SLUG, name=plan.organization.name, actor=actor, origin=origin
        )
    replace_plan(session, org=org, plan=plan)
    record_event(
        session, org_id=org.id, actor=actor, entity="plan", key=DEMO_SLUG, change="import",
        after={"file": "demo", "objectives": len(plan.objectives)}, origin=origin,
    )  # fmt: skip
    password = None
    if find_user(session, email=ADMIN_EMAIL) is None:
        password = secrets.token_urlsafe(12)
        account.add_user(session, email=ADMIN_EMAIL, password=password, name="Demo admin",
                         actor=actor, origin=origin)  # fmt: skip
    account.set_role(
        session, email=ADMIN_EMAIL, org_slug=DEMO_SLUG, role=ADMIN, actor=actor, origin=origin
    )
    return DemoSetup(DEMO_SLUG, ADMIN_EMAIL, password)

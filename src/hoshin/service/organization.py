"""Use cases on organisations and their plans: create, import a plan file, export it."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import Session

from hoshin.domain.model import Plan
from hoshin.errors import InvalidInput, NotFound
from hoshin.fields import checked_text
from hoshin.planfile import PlanFileError, dump_plan, read_plan
from hoshin.store import account as account_store
from hoshin.store import organization as org_store
from hoshin.store.audit import record_event
from hoshin.store.organization import OrganizationRow as OrganizationRow  # the API types with it
from hoshin.store.plan import replace_plan
from hoshin.store.plan_load import load_plan

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def create_organization(
    session: Session,
    *,
    slug: str,
    name: str,
    actor: str,
    origin: str | None,
    actor_id: int | None = None,
) -> OrganizationRow:
    """A new, empty organisation, with its audit event; the slug is lower-case letters,
    digits and dashes."""
    if not SLUG.fullmatch(slug):
        raise InvalidInput(
            f"{slug!r} cannot name an organisation: use lower-case letters, digits and dashes"
        )
    name = checked_text(name, "line", "name")
    if not name:
        raise InvalidInput("an organisation needs a name")
    org = org_store.create_organization(session, slug=slug, name=name)
    record_event(
        session, org_id=org.id, actor=actor, entity="organization", key=slug, change="create",
        after={"slug": slug, "name": org.name}, user_id=actor_id, origin=origin,
    )  # fmt: skip
    return org


def import_plan(session: Session, *, slug: str, path: Path, actor: str, origin: str | None) -> Plan:
    """Replaces the organisation's plan with the file's, all or nothing."""
    try:  # before the first query: on SQLite that query takes the writers' lock
        plan = read_plan(path)
    except PlanFileError as error:
        raise InvalidInput(f"{path}: {len(error.problems)} problem(s)", error.problems) from None
    org = org_store.get_organization(session, slug=slug)
    replace_plan(session, org=org, plan=plan)
    summary = {
        "file": path.name,
        "objectives": len(plan.objectives),
        "metrics": len(plan.metrics()),
        "actions": len(plan.actions),
    }
    record_event(
        session, org_id=org.id, actor=actor, entity="plan", key=slug, change="import",
        after=summary, origin=origin,
    )  # fmt: skip
    return plan


def export_plan(session: Session, *, slug: str) -> str:
    """The organisation's plan as plan-file YAML, with every actual, action and countermeasure."""
    return dump_plan(load_plan(session, org=org_store.get_organization(session, slug=slug)))


def membership(session: Session, *, slug: str, user_id: int) -> tuple[OrganizationRow, str]:
    """The organisation and the user's role in it; NotFound when either is missing (no leaks)."""
    found = account_store.find_member_organization(session, slug=slug, user_id=user_id)
    if found is None:
        raise NotFound(org_store.no_organization(slug))
    return found


def list_organizations(session: Session) -> list[OrganizationRow]:
    """Every organisation."""
    return org_store.list_organizations(session)


def organizations_of(session: Session, *, user_id: int) -> list[OrganizationRow]:
    """The organisations the user is a member of, by name."""
    return account_store.organizations_of(session, user_id=user_id)

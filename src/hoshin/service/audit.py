"""The audit trail of an organisation, and the history of one entity of its plan."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hoshin.errors import NotFound
from hoshin.store.action import KEYED_TABLES
from hoshin.store.audit import AuditEventRow, list_events, page_events
from hoshin.store.organization import OrganizationRow, find_row

TABLES = dict(KEYED_TABLES)


def event_json(event: AuditEventRow) -> dict[str, Any]:
    """An audit event as JSON values."""
    return {
        "id": event.id, "at": event.at.isoformat(), "actor": event.actor,
        "entity": event.entity, "key": event.key, "change": event.change,
        "before": event.before, "after": event.after,
    }  # fmt: skip


def trail(
    session: Session,
    *,
    org: OrganizationRow,
    entity: str | None,
    key: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the organisation's audit events, newest first, and how many match."""
    events, total = page_events(
        session, org_id=org.id, entity=entity, key=key, limit=limit, offset=offset
    )
    return [event_json(event) for event in events], total


def history(
    session: Session, *, org: OrganizationRow, entity: str, key: str
) -> list[dict[str, Any]]:
    """Every change of one entity, oldest first (also of one deleted since); NotFound when
    the entity neither exists nor ever changed."""
    events = list_events(session, org_id=org.id, entity=entity, key=key)
    if not events and find_row(session, TABLES[entity], org_id=org.id, key=key) is None:
        raise NotFound(f"no {entity} '{key}'")
    return [event_json(event) for event in events]

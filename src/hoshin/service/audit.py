"""The audit trail of an organisation or of the accounts, and the history of one entity of
its plan."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.months import Month
from hoshin.errors import NotFound
from hoshin.store.action import KEYED_TABLES
from hoshin.store.audit import (
    AuditEventRow,
    actor_names,
    events_after,
    list_events,
    page_events,
    related_events,
)
from hoshin.store.changes import ACTUAL, actual_key
from hoshin.store.organization import OrganizationRow, get_organization
from hoshin.store.repository import find_row
from hoshin.store.situation import SituationItemRow

# The plan's ids share one namespace (KEYED_TABLES); a situation item's are its own.
TABLES: dict[str, type[Any]] = {**dict(KEYED_TABLES), "situation": SituationItemRow}
PAGE = 1000  # events read at a time by events_of
HISTORY = 50  # the latest changes an objective's history lists (the trail has them all)


def event_json(event: AuditEventRow) -> dict[str, Any]:
    """An audit event as JSON values."""
    return {
        "id": event.id, "at": event.at.isoformat(), "actor": event.actor,
        "origin": event.origin, "entity": event.entity, "key": event.key,
        "change": event.change, "before": event.before, "after": event.after,
    }  # fmt: skip


def full_json(event: AuditEventRow) -> dict[str, Any]:
    """An audit event as JSON values, every field: event_json's, the acting user's id and
    the plan version the change made."""
    return {**event_json(event), "user_id": event.user_id, "plan_version": event.plan_version}


def events_of(
    session: Session, *, slug: str | None, since: datetime | None
) -> Iterator[dict[str, Any]]:
    """Every event of the organisation ``slug`` (None: the account events of no
    organisation: users, passwords, API tokens) at or after ``since``, oldest first, as
    full_json; read PAGE at a time, so a long trail is never held whole. Raises NotFound
    for an unknown slug (at once, not when the first event is read)."""
    org_id = None if slug is None else get_organization(session, slug=slug).id
    return _events(session, org_id, since)


def _events(
    session: Session, org_id: int | None, since: datetime | None
) -> Iterator[dict[str, Any]]:
    after = 0
    while True:
        page = events_after(session, org_id=org_id, since=since, after_id=after, limit=PAGE)
        yield from (full_json(event) for event in page)
        if len(page) < PAGE:
            return
        after = page[-1].id


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


@dataclass(frozen=True, slots=True)
class Happened:
    """A change in an objective's history: when, by whom (``who``: their name as the
    organisation knows it, else the account), from where, and what it did."""

    at: datetime
    actor: str
    who: str
    origin: str | None
    entity: str
    key: str
    change: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def objective_history(
    session: Session,
    *,
    org: OrganizationRow,
    objective: str,
    metrics: Mapping[str, Iterable[Month]],
    countermeasures: Iterable[str],
    limit: int = HISTORY,
) -> list[Happened]:
    """The latest ``limit`` changes of an objective, of its metrics and their actuals (of the
    months given for each metric) and of its metrics' countermeasures, newest first."""
    keys = {
        "objective": [objective],
        "metric": list(metrics),
        ACTUAL: [
            actual_key(metric, month) for metric, months in metrics.items() for month in months
        ],
        "countermeasure": list(countermeasures),
    }
    events = related_events(session, org_id=org.id, keys=keys, limit=limit)
    names = actor_names(session, org_id=org.id, emails={event.actor for event in events})
    return [
        Happened(
            event.at, event.actor, names.get(event.actor) or _account(event.actor), event.origin,
            event.entity, event.key, event.change, event.before, event.after,
        )
        for event in events
    ]  # fmt: skip


def _account(actor: str) -> str:
    """An actor without a name: 'cli:ana' was the command line run by ana, else the email."""
    user = actor.removeprefix("cli:")
    return actor if user == actor else f"the command line ({user})"

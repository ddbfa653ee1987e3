"""The current position: the organisation's strengths, weaknesses, opportunities and threats,
each with the objectives that address it. Editors and admins put and delete items; every
member reads them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Organization, Plan, SituationItem, SituationKind
from hoshin.errors import InvalidInput, PreconditionFailed
from hoshin.service import policy
from hoshin.service.policy import Act
from hoshin.service.versioned import (
    Change,
    Referrers,
    Spec,
    changed,
    delete,
    detail,
    entity_problems,
    get_row,
    insert,
    refuse,
    update,
)
from hoshin.store.action import kind_of_key
from hoshin.store.organization import OrganizationRow
from hoshin.store.repository import find_row, next_position, values_where
from hoshin.store.situation import AddressesRow, SituationItemRow, addressing, situation_items

KIND = "situation"  # in messages ("no situation 'W9'") and as its audit events' entity
ANY = Organization("")


def item_state(session: Session, row: SituationItemRow) -> dict[str, Any]:
    """An item as JSON values: id, kind, text, the objectives that address it, version."""
    addressed = values_where(
        session, AddressesRow, org_id=row.org_id, column="item", equals=row.key, pick="objective"
    )
    return {
        "id": row.key, "kind": row.kind, "text": row.text, "addressed_by": addressed,
        "version": row.version,
    }  # fmt: skip


def situation(session: Session, *, org: OrganizationRow) -> list[dict[str, Any]]:
    """Every item in plan order with the objectives that address it (one query for the
    links, however many items)."""
    links = addressing(session, org_id=org.id)
    return [
        {"id": row.key, "kind": row.kind, "text": row.text,
         "addressed_by": links.get(row.key, []), "version": row.version}
        for row in situation_items(session, org_id=org.id)
    ]  # fmt: skip


def read_item(session: Session, *, org: OrganizationRow, key: str) -> dict[str, Any]:
    """One item; raises NotFound."""
    return item_state(session, get_row(session, SituationItemRow, org=org, kind=KIND, key=key))


def _problems(
    session: Session, org: OrganizationRow, item: SituationItem, _: bool
) -> list[dict[str, str]]:
    return entity_problems(Plan(ANY, situation=(item,)), "situation")


def _referrers(session: Session, org_id: int, key: str) -> Referrers:
    addressed = values_where(
        session, AddressesRow, org_id=org_id, column="item", equals=key, pick="objective"
    )
    return [("is still addressed by objectives", addressed)]


ITEMS: Spec[SituationItem] = Spec(
    KIND, SituationItemRow, lambda item: Plan(ANY, situation=(item,)), _problems, item_state,
    _referrers,
)  # fmt: skip


def put_item(
    session: Session, *, change: Change, role: str, item: SituationItem
) -> tuple[dict[str, Any], bool]:
    """Creates the item, or replaces its kind and text at the version read (If-Match);
    its state and whether it was created. Editors and admins."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    if find_row(session, SituationItemRow, org_id=change.org.id, key=item.id) is not None:
        return update(session, ITEMS, change=change, entity=item), False
    if change.if_match is not None:
        raise PreconditionFailed(f"{KIND} {item.id} is gone: it was deleted meanwhile", None)
    return _create(session, change, item), True


def create_item(
    session: Session, *, change: Change, role: str, item: SituationItem
) -> dict[str, Any]:
    """A new item (an empty id: the next free of its kind, W4 after W3); 422 at ``id`` when
    the situation holds it already. Editors and admins."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    keys = {row.key for row in situation_items(session, org_id=change.org.id)}
    if not item.id:
        org_id = change.org.id

        def taken(key: str) -> bool:
            return kind_of_key(session, org_id=org_id, key=key) is not None

        item = replace(item, id=next_id(taken, item.kind, keys))
    elif item.id in keys:
        reason = f"{item.id} is an item of the situation already: choose another id"
        raise InvalidInput(f"{KIND} {item.id} exists", [detail("id", reason)])
    return _create(session, change, item)


def update_item(
    session: Session, *, change: Change, role: str, item: SituationItem
) -> dict[str, Any]:
    """The item's kind and text replaced at the version read; editors and admins."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    return update(session, ITEMS, change=change, entity=item)


def next_id(taken: Callable[[str], bool], kind: SituationKind, keys: set[str]) -> str:
    """The next id of ``kind``: its initial and the number after the highest of ``keys``
    that follows it (S, W, O, T: W4 after W1 and W3), skipping those ``taken`` says are
    used (another entity's: a threat T1 beside an objective T1 would read as one)."""
    initial = kind[0].upper()
    numbers = [int(key[1:]) for key in keys if key[:1] == initial and key[1:].isdigit()]
    number = max(numbers, default=0) + 1
    while f"{initial}{number}" in keys or taken(f"{initial}{number}"):
        number += 1
    return f"{initial}{number}"


def _create(session: Session, change: Change, item: SituationItem) -> dict[str, Any]:
    refuse(KIND, item.id, _problems(session, change.org, item, True))
    row = SituationItemRow(
        org_id=change.org.id, key=item.id, kind=item.kind, text=item.text,
        position=next_position(session, SituationItemRow, org_id=change.org.id),
    )  # fmt: skip
    insert(session, row, kind=KIND)
    after = item_state(session, row)
    changed(session, change, entity=KIND, key=item.id, what="create", before=None, after=after)
    return after


def delete_item(session: Session, *, change: Change, role: str, key: str) -> None:
    """Deletes an item no objective addresses (409 naming those that do); editors, admins."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    delete(session, ITEMS, change=change, key=key)

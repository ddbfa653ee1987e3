"""The current position: the organisation's strengths, weaknesses, opportunities and threats,
each with the objectives that address it. Editors and admins put and delete items; every
member reads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hoshin.domain.model import Organization, Plan, SituationItem
from hoshin.errors import PreconditionFailed
from hoshin.service import policy
from hoshin.service.policy import Act
from hoshin.service.versioned import (
    Change,
    Referrers,
    Spec,
    changed,
    delete,
    entity_problems,
    get_row,
    insert,
    refuse,
    update,
)
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


@dataclass(frozen=True, slots=True)
class Position:
    """The situation as a page shows it: the items of each kind in plan order, each with
    the objectives that address it."""

    items: tuple[dict[str, Any], ...]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """The items of one kind (strength, weakness, opportunity or threat)."""
        return [item for item in self.items if item["kind"] == kind]


def situation(session: Session, *, org: OrganizationRow) -> list[dict[str, Any]]:
    """Every item in plan order with the objectives that address it (one query for the
    links, however many items)."""
    links = addressing(session, org_id=org.id)
    return [
        {"id": row.key, "kind": row.kind, "text": row.text,
         "addressed_by": links.get(row.key, []), "version": row.version}
        for row in situation_items(session, org_id=org.id)
    ]  # fmt: skip


def position(session: Session, *, org: OrganizationRow) -> Position:
    """The situation, for the page."""
    return Position(tuple(situation(session, org=org)))


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
    row = find_row(session, SituationItemRow, org_id=change.org.id, key=item.id)
    if row is not None:
        return update(session, ITEMS, change=change, entity=item), False
    if change.if_match is not None:
        raise PreconditionFailed(f"{KIND} {item.id} is gone: it was deleted meanwhile", None)
    refuse(KIND, item.id, _problems(session, change.org, item, True))
    row = SituationItemRow(
        org_id=change.org.id, key=item.id, kind=item.kind, text=item.text,
        position=next_position(session, SituationItemRow, org_id=change.org.id),
    )  # fmt: skip
    insert(session, row, kind=KIND)
    after = item_state(session, row)
    changed(session, change, entity=KIND, key=item.id, what="create", before=None, after=after)
    return after, True


def delete_item(session: Session, *, change: Change, role: str, key: str) -> None:
    """Deletes an item no objective addresses (409 naming those that do); editors, admins."""
    policy.require(role, Act.EDIT_PLAN, "do this", where=change.org.slug)
    delete(session, ITEMS, change=change, key=key)

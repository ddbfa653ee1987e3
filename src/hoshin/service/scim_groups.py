"""SCIM 2.0 Groups of an organisation's directory (RFC 7643 4.2): create, read, list with a
filter, replace, patch (members added and removed) and delete. A group whose displayName is
a key of the SSO settings' group_roles gives its members that role, one of group_units puts
their plan person in that unit (service.scim_people). Every change is audited."""

from __future__ import annotations

import re
import uuid
from typing import Any, TypeGuard, cast

from scim2_models import (
    Group,
    GroupMember,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    PatchOp,
    UniquenessException,
)
from scim2_models.path.expressions import (
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
)
from sqlalchemy.orm import Session

from hoshin.errors import InvalidInput
from hoshin.fields import checked_text
from hoshin.service import scim_people
from hoshin.service.scim import Member
from hoshin.service.scim_directory import (
    POLICY,
    Directory,
    bounds,
    check_if_match,
    listed,
    page,
    scim_filter,
    with_meta,
)
from hoshin.store import scim as store
from hoshin.store.audit import record_event
from hoshin.store.scim import ScimGroupRow
from hoshin.store.user import EXTERNAL_ID_LENGTH

NAME_LENGTH = 255
_ONE_MEMBER = re.compile(r'members\[value eq "([0-9]{1,11})"\]', re.IGNORECASE)


def group_resource(
    d: Directory, row: ScimGroupRow, members: list[Member], *, meta: bool = True
) -> Group:
    """The SCIM Group of a directory group: its members are Users (their membership ids);
    without its meta (and ETag: a digest of every member) when ``meta`` is False."""
    resource = Group(
        id=row.scim_id,
        external_id=row.external_id,
        display_name=row.display_name,
        members=[
            GroupMember(value=str(m.id), ref=cast(Any, f"{d.base_url}/Users/{m.id}"), type="User")
            for m, _ in members
        ]
        or None,
    )
    if not meta:
        return resource
    return with_meta(  # type: ignore[no-any-return]
        resource, kind="Group", location=f"{d.base_url}/Groups/{row.scim_id}",
        created=row.created_at, modified=row.updated_at or row.created_at,
    )  # fmt: skip


def get_group(session: Session, d: Directory, *, group_id: str) -> Group:
    """The directory's Group with this id; NotFoundException."""
    return _resource(session, d, _group(session, d, group_id))


def _group(session: Session, d: Directory, group_id: str) -> ScimGroupRow:
    row = store.find_group(session, org_id=d.org.id, scim_id=group_id[:36])
    if row is None:
        raise NotFoundException(detail=f"no group {group_id[:100]}")
    return row


def _resource(session: Session, d: Directory, row: ScimGroupRow) -> Group:
    return group_resource(d, row, store.group_members(session, group_ids=[row.id])[row.id])


def list_groups(
    session: Session, d: Directory, *, query: str | None, start_index: int, count: int | None
) -> ListResponse[Group]:
    """A page of the directory's Groups that match the filter, oldest first: only the
    page's groups are built, and a filter's displayName eq (what Entra ID sends to find a
    group) is narrowed by the database first."""
    found = scim_filter(Group, query)
    name = None if found is None else named(found.ast)
    rows = store.groups(session, org_id=d.org.id, display_name=name)
    if found is None:
        start, size = bounds(start_index, count)
        rows, total = rows[start - 1 : start - 1 + size], len(rows)
        members = store.group_members(session, group_ids=[row.id for row in rows])
        chosen = [group_resource(d, row, members[row.id]) for row in rows]
        return listed(Group, chosen, total=total, start=start)
    members = store.group_members(session, group_ids=[row.id for row in rows])
    groups = [group_resource(d, row, members[row.id]) for row in rows]
    groups = [group for group in groups if found.match(group)]
    return page(Group, groups, start_index=start_index, count=count)


def named(node: FilterNode) -> str | None:
    """The name (in lower case) a filter's displayName eq asks for, alone or in an "and";
    None for any other filter, or a value with other than ASCII characters (SQLite's
    lower() folds only those)."""
    if isinstance(node, LogicalExpr) and node.op == LogicalOperator.and_:
        return next((found for term in node.terms if (found := named(term))), None)
    if (
        isinstance(node, Comparison)
        and node.op == CompareOperator.eq
        and str(node.attr_path).rpartition(":")[2].lower() == "displayname"
        and isinstance(node.value, str)
        and node.value.isascii()
    ):
        return node.value.lower()
    return None


def create_group(session: Session, d: Directory, *, resource: Group) -> Group:
    """A new directory group with its members; UniquenessException when its name is
    taken."""
    row = ScimGroupRow(
        org_id=d.org.id, scim_id=str(uuid.uuid4()), display_name=_name(resource),
        external_id=_external_id(resource), created_at=d.now, updated_at=d.now,
    )  # fmt: skip
    _unique(session, d, row.display_name, None)
    session.add(row)
    session.flush()
    return cast(Group, _save(session, d, row, resource, old=None))


def replace_group(
    session: Session, d: Directory, *, group_id: str, resource: Group, if_match: str | None
) -> Group:
    """The Group replaced by the directory's (PUT); 412 on another version."""
    row = _group(session, d, group_id)
    old = _old_members(session, row)
    if if_match is not None:  # the version is a digest of the whole group: built only then
        check_if_match(group_resource(d, row, list(old.values())), if_match)
    return cast(Group, _save(session, d, row, resource, old=old))


def patch_group(
    session: Session,
    d: Directory,
    *,
    group_id: str,
    patch: PatchOp[Group],
    if_match: str | None,
    answer: bool = True,
) -> Group | None:
    """The Group changed by a PATCH's operations (members added, removed, replaced;
    displayName, externalId), applied by scim2-models; None when no ``answer`` is wanted.
    A group of thousands is read once and built once (to apply the operations), and once
    more for an answer: Entra ID sends one PATCH per membership change."""
    row = _group(session, d, group_id)
    changes = None if answer or if_match is not None else member_changes(patch)
    if changes is not None and _change_members(session, d, row, changes):
        return None
    old = _old_members(session, row)
    current = group_resource(d, row, list(old.values()), meta=if_match is not None)
    check_if_match(current, if_match)
    patch.patch(current, POLICY)
    return _save(session, d, row, current, old=old, answer=answer)


def member_changes(patch: PatchOp[Group]) -> list[tuple[bool, list[str]]] | None:
    """The PATCH's operations as (True to add or False to remove, member ids) when each
    adds members or removes them by id, the forms Entra ID and Okta send for a membership
    change; None when one is of another form (scim2-models applies those)."""
    found = []
    for operation in patch.operations or []:
        kind, path, value = operation.op, str(operation.path or ""), operation.value
        if kind in ("add", "remove") and path.lower() == "members" and _ids(value):
            found.append((kind == "add", [item["value"] for item in value]))
        elif kind == "remove" and value is None and (one := _ONE_MEMBER.fullmatch(path)):
            found.append((False, [one[1]]))
        else:
            return None
    return found


def _ids(value: Any) -> TypeGuard[list[dict[str, str]]]:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(i, dict) and isinstance(i.get("value"), str) for i in value)
        and all(i["value"].isdigit() and len(i["value"]) < 12 for i in value)
    )


def _change_members(
    session: Session, d: Directory, row: ScimGroupRow, changes: list[tuple[bool, list[str]]]
) -> bool:
    """Applies member_changes to the group from its members' ids, reading only those who
    join or leave (removing a non-member changes nothing, as in scim2-models); False,
    having changed nothing, when one names no user of the directory (scim2-models'
    reading then applies, and its error)."""
    old = store.group_member_ids(session, group_id=row.id)
    now = dict(old)
    for add, values in changes:
        wanted = sorted({int(value) for value in values})
        if add:
            unknown = [key for key in wanted if key not in now]
            found = store.members_with_ids(session, org_id=d.org.id, membership_ids=unknown)
            if len(found) != len(unknown):
                return False
            now.update((key, user.id) for key, (_, user) in found.items())
        else:
            for key in wanted:
                now.pop(key, None)
    row.updated_at = d.now
    store.set_group_members(
        session, group_id=row.id, before=set(old.values()), after=set(now.values())
    )
    before, after = _ids_state(row, old), _ids_state(row, now)
    if before != after:
        _event(session, d, row.display_name, "update", before, after)
    changed = sorted(old.keys() ^ now.keys())
    found = store.members_with_ids(session, org_id=d.org.id, membership_ids=changed)
    for key in changed:
        scim_people.keep_in_step(session, d, found[key])
    return True


def delete_group(session: Session, d: Directory, *, group_id: str, if_match: str | None) -> None:
    """Deletes the directory group (its members' roles stay), audited."""
    row = _group(session, d, group_id)
    old = _old_members(session, row)
    if if_match is not None:
        check_if_match(group_resource(d, row, list(old.values())), if_match)
    before = _state(row, old)
    store.delete_group(session, group_id=row.id)
    session.expunge(row)
    _event(session, d, row.display_name, "delete", before, None)


def _old_members(session: Session, row: ScimGroupRow) -> dict[int, Member]:
    """The group's members by membership id (in id order)."""
    return {m.id: (m, u) for m, u in store.group_members(session, group_ids=[row.id])[row.id]}


def _save(
    session: Session,
    d: Directory,
    row: ScimGroupRow,
    resource: Group,
    *,
    old: dict[int, Member] | None,
    answer: bool = True,
) -> Group | None:
    """Saves the group's name, external id and members (``old`` before: None for a new
    group), then their roles and units; the Group as saved (None without ``answer``)."""
    name = _name(resource)
    if name != row.display_name:
        _unique(session, d, name, row.id)
    before = None if old is None else _state(row, old)
    old = old or {}
    new = _members(session, d, resource, old)
    renamed = name != row.display_name
    row.display_name, row.external_id = name, _external_id(resource)
    row.updated_at = d.now
    store.set_group_members(
        session, group_id=row.id, before={u.id for _, u in old.values()},
        after={u.id for _, u in new.values()},
    )  # fmt: skip
    after = _state(row, new)
    if before != after:
        change = "create" if before is None else "update"
        _event(session, d, name, change, before, after)
    # Those who joined or left; everyone when the name (what the maps read) changed.
    changed = {key: m for key, m in {**old, **new}.items() if (key in old) != (key in new)}
    for member in ({**old, **new} if renamed else changed).values():
        scim_people.keep_in_step(session, d, member)
    return group_resource(d, row, [new[key] for key in sorted(new)]) if answer else None


def _members(
    session: Session, d: Directory, resource: Group, known: dict[int, Member]
) -> dict[int, Member]:
    """The resource's members by membership id: those ``known`` already, the others read."""
    values = [item.value or "" for item in resource.members or []]
    wanted = {int(v) for v in values if v.isdigit() and len(v) < 12}
    unknown = sorted(wanted - known.keys())
    found = store.members_with_ids(session, org_id=d.org.id, membership_ids=unknown)
    found.update((key, known[key]) for key in wanted & known.keys())
    for value in values:
        if not (value.isdigit() and len(value) < 12 and int(value) in found):
            raise InvalidValueException(detail=f"members: no user {value[:100]} in this directory")
    return found


def _unique(session: Session, d: Directory, name: str, own_id: int | None) -> None:
    other = store.find_group_named(session, org_id=d.org.id, name=name)
    if other is not None and other.id != own_id:
        raise UniquenessException(detail=f"a group '{name}' exists already")


def _name(resource: Group) -> str:
    try:
        name = checked_text(resource.display_name or "", "line", "displayName")
    except InvalidInput as error:
        raise InvalidValueException(detail=error.message) from None
    if not name or len(name) > NAME_LENGTH:
        raise InvalidValueException(detail=f"displayName: give 1 to {NAME_LENGTH} characters")
    return name


def _external_id(resource: Group) -> str | None:
    external = resource.external_id
    if external is not None and len(external) > EXTERNAL_ID_LENGTH:
        raise InvalidValueException(detail=f"externalId is longer than {EXTERNAL_ID_LENGTH}")
    return external


def _state(row: ScimGroupRow, members: dict[int, Member]) -> dict[str, Any]:
    return _ids_state(row, dict.fromkeys(members, 0))


def _ids_state(row: ScimGroupRow, members: dict[int, int]) -> dict[str, Any]:
    """What the audit trail keeps of a group: its members by membership id."""
    return {
        "display_name": row.display_name,
        "external_id": row.external_id,
        "members": sorted(members),
    }


def _event(session: Session, d: Directory, key: str, change: str, before: Any, after: Any) -> None:
    record_event(
        session, org_id=d.org.id, actor=d.actor, entity="scim-group", key=key, change=change,
        before=before, after=after, origin=d.origin,
    )  # fmt: skip

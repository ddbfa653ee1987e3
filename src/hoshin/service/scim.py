"""SCIM 2.0 provisioning (RFC 7643/7644) of an organisation's members by its directory: its
Users, which are the organisation's memberships (a user in several organisations is one
User in each directory, and each sees only its own).

Resources and messages are scim2-models objects; errors are its SCIMExceptions, which the
SCIM door renders as SCIM error bodies. Every change is an audit event of the organisation,
its actor "scim:<token name or id>". Nothing here commits or reads the clock.
"""

from __future__ import annotations

from typing import Any, Final, cast

from scim2_models import (
    ConflictException,
    Email,
    EnterpriseUser,
    GroupMembership,
    InvalidValueException,
    ListResponse,
    Name,
    NotFoundException,
    PatchOp,
    TooManyException,
    UniquenessException,
    User,
)
from scim2_models.path.expressions import (
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    ValuePath,
)
from sqlalchemy.orm import Session

from hoshin.errors import InvalidInput
from hoshin.fields import checked_text
from hoshin.service import account, scim_people
from hoshin.service.member import is_last_admin, last_admin
from hoshin.service.policy import LEAST
from hoshin.service.scim_directory import (
    POLICY,
    Directory,
    bounds,
    check_if_match,
    listed,
    scim_filter,
    with_meta,
)
from hoshin.store import scim as store
from hoshin.store import sso as sso_store
from hoshin.store.audit import record_event
from hoshin.store.scim import ScimGroupRow
from hoshin.store.user import EXTERNAL_ID_LENGTH, MembershipRow, UserRow, find_user

NO_PASSWORD: Final = "!scim"  # an unknown hash: a provisioned user signs in by SSO only
Member = tuple[MembershipRow, UserRow]
# A User as directories send it: Entra ID and Okta add the enterprise extension (department
# names a unit of the plan, manager a member whose unit the person joins; the rest is not
# kept).
ScimUser = User[EnterpriseUser]
# A filter the database cannot narrow is matched one user at a time (~0.15 ms each, 2
# cores shared): up to 5,000 of them, ~1 s of CPU, else the request is refused (tooMany).
IN_MEMORY_LIMIT: Final = 5000


def user_resource(
    d: Directory, member: Member, groups: list[ScimGroupRow], *, meta: bool = True
) -> ScimUser:
    """The SCIM User of a membership: userName and the work e-mail are the account's
    e-mail, displayName (and name.formatted) its name; without its meta (and ETag, half
    the cost) when ``meta`` is False, to be matched by a filter."""
    membership, user = member
    resource = ScimUser(
        id=str(membership.id),
        external_id=membership.external_id,
        user_name=user.email,
        display_name=user.name or None,
        # The address was checked when it was saved: validating it again (email-validator)
        # was two thirds of a User's cost, and a filter may build thousands.
        emails=[Email.model_construct(value=user.email, type=Email.Type.work, primary=True)],
        active=membership.active,
        groups=[
            GroupMembership(
                value=g.scim_id,
                display=g.display_name,
                type="direct",
                ref=cast(Any, f"{d.base_url}/Groups/{g.scim_id}"),
            )
            for g in groups
        ]
        or None,
    )
    if not meta:
        return resource
    created = membership.created_at or user.created_at
    return with_meta(  # type: ignore[no-any-return]
        resource, kind="User", location=f"{d.base_url}/Users/{membership.id}",
        created=created, modified=membership.updated_at or created,
    )  # fmt: skip


def get_user(session: Session, d: Directory, *, user_id: str) -> ScimUser:
    """The directory's User with this id; NotFoundException (another organisation's
    members are not found either)."""
    member = _member(session, d, user_id)
    return _resource(session, d, member)


def _member(session: Session, d: Directory, user_id: str) -> Member:
    found = None
    if user_id.isdigit() and len(user_id) < 12:
        found = store.find_member(session, org_id=d.org.id, membership_id=int(user_id))
    if found is None:
        raise NotFoundException(detail=f"no user {user_id[:100]}")
    return found


def _resource(session: Session, d: Directory, member: Member) -> ScimUser:
    groups = store.user_groups(session, org_id=d.org.id, user_ids=[member[1].id])
    return user_resource(d, member, groups[member[1].id])


def list_users(
    session: Session, d: Directory, *, query: str | None, start_index: int, count: int | None
) -> ListResponse[ScimUser]:
    """A page of the directory's Users that match the filter (RFC 7644 3.4.2), by id:
    ``start_index`` counts from 1; ``count`` at most MAX_RESULTS. TooManyException when
    more than IN_MEMORY_LIMIT members would be matched one by one."""
    found = scim_filter(ScimUser, query)
    start, size = bounds(start_index, count)
    narrowed = {} if found is None else narrowing(found.ast)
    total = store.count_members(session, org_id=d.org.id, **narrowed)
    if found is None or in_sql(found.ast):  # the database pages them
        rows = store.members(session, org_id=d.org.id, offset=start - 1, limit=size, **narrowed)
        return listed(ScimUser, _resources(session, d, rows), total=total, start=start)
    if total > IN_MEMORY_LIMIT:
        raise TooManyException(detail=too_many(total))
    # What the database narrowed the filter to (most often one user or none, for the
    # filters directories send) is matched one by one, by scim2-models, to the letter of
    # RFC 7644; a filter on meta needs it built (else half a User's cost).
    rows = store.members(session, org_id=d.org.id, **narrowed)
    groups = store.user_groups(session, org_id=d.org.id, user_ids=[u.id for _, u in rows])
    meta = "meta" in (query or "").lower()
    chosen = [r for r in rows if found.match(user_resource(d, r, groups[r[1].id], meta=meta))]
    users = [user_resource(d, r, groups[r[1].id]) for r in chosen[start - 1 : start - 1 + size]]
    return listed(ScimUser, users, total=len(chosen), start=start)


def too_many(total: int) -> str:
    """Why a filter is refused: what it would cost, and the filters served at any size."""
    return (
        f"this filter is matched one user at a time, and it leaves {total:,} of them (more "
        f"than {IN_MEMORY_LIMIT:,}): filter with userName, emails.value, externalId, id or "
        'displayName eq "…", or active eq true|false, or an "and" of them, which are served '
        "at any size, or page through all Users with startIndex and count"
    )


def _resources(session: Session, d: Directory, rows: list[Member]) -> list[ScimUser]:
    groups = store.user_groups(session, org_id=d.org.id, user_ids=[u.id for _, u in rows])
    return [user_resource(d, row, groups[row[1].id]) for row in rows]


def narrowing(node: FilterNode) -> dict[str, Any]:
    """What the database can narrow a filter's users to (a superset of those it matches):
    an e-mail address, external id, id or name compared with eq, active or not, or all
    of these an "and" names; {} when it cannot."""
    if isinstance(node, LogicalExpr) and node.op == LogicalOperator.and_:
        merged: dict[str, Any] = {}
        for term in node.terms:
            for key, value in narrowing(term).items():
                if merged.setdefault(key, value) != value:  # both cannot hold: none match
                    return {"membership_id": -1}
        return merged
    if isinstance(node, ValuePath) and node.attr_path.attr.lower() == "emails":
        inner = narrowing(node.val_filter)
        return {"email": inner["email_value"]} if "email_value" in inner else {}
    if not isinstance(node, Comparison) or node.op != CompareOperator.eq:
        return {}
    name = str(node.attr_path).rpartition(":")[2].lower()
    if name == "active" and isinstance(node.value, bool):
        return {"active": node.value}
    if not isinstance(node.value, str):
        return {}
    if name in ("username", "emails.value"):
        return {"email": node.value.strip().lower()}
    if name == "value":
        return {"email_value": node.value.strip().lower()}
    if name == "externalid":
        return {"external_id": node.value}
    if name == "id":
        return {"membership_id": int(node.value) if node.value.isdigit() else -1}
    # Compared as scim2-models does (lower case) by SQL's lower(), which SQLite applies to
    # ASCII letters only: a value with others is matched in memory.
    if name == "displayname" and node.value.isascii() and node.value:
        return {"display_name": node.value.lower()}
    return {}


def in_sql(node: FilterNode) -> bool:
    """Whether the database's narrowing is the filter, exactly (active eq true|false, and
    "and" of such): then the database pages it as it pages all Users."""
    if isinstance(node, LogicalExpr) and node.op == LogicalOperator.and_:
        return all(in_sql(term) for term in node.terms)
    return (
        isinstance(node, Comparison)
        and node.op == CompareOperator.eq
        and str(node.attr_path).rpartition(":")[2].lower() == "active"
        and isinstance(node.value, bool)
    )


def create_user(session: Session, d: Directory, *, resource: ScimUser) -> ScimUser:
    """A new member of the organisation from the directory's User: a new account (no
    usable password) or an existing one joining; its role the SSO settings' just-in-time
    role, else viewer. UniquenessException when it is a member already."""
    email = _email(resource)
    user = find_user(session, email=email)
    if user is not None and store.members(session, org_id=d.org.id, email=email):
        raise UniquenessException(detail=f"{email} is a member of {d.org.slug} already")
    if user is None:
        user = UserRow(email=email, name=_name(resource), password_hash=NO_PASSWORD)
        session.add(user)
        session.flush()
        record_event(
            session, org_id=None, actor=d.actor, entity="user", key=email, change="create",
            after={"email": email, "name": user.name, "person": None}, origin=d.origin,
        )  # fmt: skip
    settings = sso_store.find_settings(session, org_id=d.org.id)
    membership = account.set_role(
        session, email=email, org_slug=d.org.slug, actor=d.actor, origin=d.origin,
        role=settings.jit_role if settings is not None else LEAST,
    )  # fmt: skip
    membership.created_at = membership.updated_at = d.now
    member = (membership, user)
    _apply(session, d, member, resource, created=True)
    return _resource(session, d, member)


def replace_user(
    session: Session, d: Directory, *, user_id: str, resource: ScimUser, if_match: str | None
) -> ScimUser:
    """The User replaced by the directory's (PUT); 412 when If-Match names another version."""
    member = _member(session, d, user_id)
    check_if_match(_resource(session, d, member), if_match)
    _apply(session, d, member, resource, created=False)
    return _resource(session, d, member)


def patch_user(
    session: Session, d: Directory, *, user_id: str, patch: PatchOp[ScimUser], if_match: str | None
) -> ScimUser:
    """The User changed by a PATCH's operations (applied by scim2-models to the User as it
    is, then saved as a replacement would be)."""
    member = _member(session, d, user_id)
    current = _resource(session, d, member)
    check_if_match(current, if_match)
    patch.patch(current, POLICY)
    _apply(session, d, member, current, created=False)
    return _resource(session, d, member)


def delete_user(session: Session, d: Directory, *, user_id: str, if_match: str | None) -> None:
    """The membership goes (the account stays, for its other organisations), with it the
    user's place in the directory's groups; audited."""
    member = _member(session, d, user_id)
    check_if_match(_resource(session, d, member), if_match)
    membership, user = member
    _keep_an_admin(session, d, member)
    before = _state(member)
    store.leave_groups(session, org_id=d.org.id, user_id=user.id)
    store.delete_membership(session, membership_id=membership.id)
    session.expunge(membership)
    _event(session, d, user.email, "delete", before, None)


def _apply(
    session: Session, d: Directory, member: Member, resource: ScimUser, *, created: bool
) -> None:
    """Saves what the directory says of a member: e-mail, name, external id, active; ends
    the user's access when they become inactive; keeps their plan person in step."""
    membership, user = member
    before = None if created else _state(member)
    email = _email(resource)
    if email != user.email:
        _change_email(session, d, user, email)
    user.name = _name(resource)
    external = resource.external_id
    if external is not None and len(external) > EXTERNAL_ID_LENGTH:
        raise InvalidValueException(detail=f"externalId is longer than {EXTERNAL_ID_LENGTH}")
    membership.external_id = external
    active = resource.active is not False
    ended = None
    if membership.active and not active:
        _keep_an_admin(session, d, member)
        ended = account.end_access(session, user_id=user.id, now=d.now)
    membership.active = active
    membership.updated_at = d.now
    session.flush()
    after = _state(member)
    if after != before:
        # On creation account.set_role recorded the membership and its role ("create");
        # this event adds what the directory keeps of it.
        change = "provision" if created else ("deactivate" if ended is not None else "update")
        _event(session, d, user.email, change, before, {**after, **(ended or {})})
    extension = resource[EnterpriseUser]
    department = None if extension is None else extension.department
    boss = None if extension is None or extension.manager is None else extension.manager.value
    scim_people.keep_in_step(session, d, member, department, boss)


def _keep_an_admin(session: Session, d: Directory, member: Member) -> None:
    """ConflictException when the member is the organisation's last active admin: someone
    must keep its keys (and the break-glass password) when the directory errs."""
    membership, user = member
    if is_last_admin(session, membership=membership):
        raise ConflictException(detail=last_admin(user.email, d.org.slug))


def _change_email(session: Session, d: Directory, user: UserRow, email: str) -> None:
    if find_user(session, email=email) is not None:
        raise UniquenessException(detail=f"another user has the e-mail {email}")
    others = [m for m in store.user_memberships(session, user_id=user.id) if m.org_id != d.org.id]
    if others:  # the account is another organisation's member too: not this one's to rename
        raise InvalidValueException(
            detail=f"{user.email} is a member of other organisations: its userName stays"
        )
    user.email = email


def _email(resource: ScimUser) -> str:
    try:
        return account.check_email(resource.user_name or "")
    except InvalidInput:
        raise InvalidValueException(
            detail=f"userName '{(resource.user_name or '')[:100]}' is not an e-mail address: "
            "hoshin's userName is the user's e-mail"
        ) from None


def _name(resource: ScimUser) -> str:
    """displayName, else name.formatted, else given and family names."""
    name: Name | None = resource.name
    parts = [] if name is None else [name.given_name or "", name.family_name or ""]
    text = resource.display_name or (name and name.formatted) or " ".join(p for p in parts if p)
    try:
        return checked_text(text or "", "line", "displayName")
    except InvalidInput as error:
        raise InvalidValueException(detail=error.message) from None


def _state(member: Member) -> dict[str, Any]:
    membership, user = member
    return {"email": user.email, "name": user.name, "role": membership.role,
            "external_id": membership.external_id, "active": membership.active}  # fmt: skip


def _event(session: Session, d: Directory, key: str, change: str, before: Any, after: Any) -> None:
    record_event(
        session, org_id=d.org.id, actor=d.actor, entity="member", key=key, change=change,
        before=before, after=after, origin=d.origin,
    )  # fmt: skip

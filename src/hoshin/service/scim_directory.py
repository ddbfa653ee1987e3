"""SCIM 2.0 provisioning (RFC 7643/7644): the directory asking (an organisation's bearer
token, shown once, only its SHA-256 kept, every change audited) and what its Users
(service.scim) and Groups (service.scim_groups) share: meta and weak ETags, If-Match, filters,
pages, and the tolerance for what directories send. Nothing here commits or reads the clock.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from scim2_models import ListResponse, Meta, PreconditionFailedException, ScimFilter, ScimPolicy
from sqlalchemy.orm import Session

from hoshin.errors import NotFound
from hoshin.fields import checked_text
from hoshin.service import account
from hoshin.store import scim as store
from hoshin.store.audit import record_event
from hoshin.store.organization import OrganizationRow
from hoshin.store.scim import ScimTokenRow

TOKEN_PREFIX: Final = "hsc_"
USE_RESOLUTION: Final = timedelta(minutes=1)  # last_used_at is noted at most once a minute
MAX_RESULTS: Final = 200  # a page of a list, at most (ServiceProviderConfig's maxResults)
# What hoshin tolerates of the directories (scim2-models' strict reading otherwise): Entra
# ID removes group members with a "value" instead of a path filter, and replaces
# emails[type eq "work"].value of a user who has none.
POLICY: Final = ScimPolicy(
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


@dataclass(frozen=True)
class Directory:
    """An organisation's directory asking, through one of its tokens: for the audit trail
    (``actor``, ``origin``), the time of the request and the SCIM base URL (locations)."""

    org: OrganizationRow
    token_id: int
    actor: str
    origin: str | None
    now: datetime
    base_url: str


def create_token(
    session: Session, *, org: OrganizationRow, name: str, now: datetime, actor: str, origin: str
) -> tuple[ScimTokenRow, str]:
    """A new directory token of the organisation and its secret, returned this once (only
    its SHA-256 is stored), with an audit event naming it by its id."""
    name = checked_text(name, "line", "name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ScimTokenRow(
        org_id=org.id, name=name, token_hash=account.secret_hash(secret), created_at=now
    )
    session.add(row)
    session.flush()
    record_event(
        session, org_id=org.id, actor=actor, entity="scim-token", key=str(row.id),
        change="create", after={"name": name}, origin=origin,
    )  # fmt: skip
    return row, secret


def list_tokens(session: Session, *, org: OrganizationRow) -> list[ScimTokenRow]:
    """The organisation's directory tokens, revoked ones included, oldest first."""
    return store.org_tokens(session, org_id=org.id)


def revoke_token(
    session: Session,
    *,
    org: OrganizationRow,
    token_id: int,
    now: datetime,
    actor: str,
    origin: str,
) -> None:
    """Revokes the organisation's directory token with this id (it stays listed), audited;
    NotFound when it has none. Revoking a revoked token changes nothing."""
    row = next((t for t in list_tokens(session, org=org) if t.id == token_id), None)
    if row is None:
        raise NotFound(f"{org.slug} has no SCIM token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = now
        session.flush()
        record_event(
            session, org_id=org.id, actor=actor, entity="scim-token", key=str(row.id),
            change="revoke", before={"name": row.name, "revoked": False},
            after={"name": row.name, "revoked": True}, origin=origin,
        )  # fmt: skip


def directory(
    session: Session, *, token: str, now: datetime, origin: str | None, base_url: str
) -> tuple[Directory, bool] | None:
    """The directory of a valid token (None: unknown or revoked), and whether its use is
    due to be noted (note_use, once a minute). Writes nothing."""
    row = store.find_token(session, token_hash=account.secret_hash(token))
    org = None if row is None else session.get(OrganizationRow, row.org_id)
    if row is None or row.revoked_at is not None or org is None:
        return None
    due = row.last_used_at is None or now - row.last_used_at >= USE_RESOLUTION
    actor = f"scim:{row.name or row.id}"
    return Directory(org, row.id, actor, origin, now, base_url.rstrip("/")), due


def note_use(session: Session, *, token_id: int, now: datetime) -> None:
    """Notes that the directory token was used ``now``."""
    row = session.get(ScimTokenRow, token_id)
    if row is not None:
        row.last_used_at = now
        session.flush()


def etag(resource: Any) -> str:
    """A weak ETag of a resource: a digest of everything it says but its meta."""
    text = json.dumps(resource.model_dump(exclude={"meta"}, mode="json"), sort_keys=True)
    return f'W/"{hashlib.sha256(text.encode()).hexdigest()[:20]}"'


def with_meta(resource: Any, *, kind: str, location: str, created: Any, modified: Any) -> Any:
    """The resource with its meta: type, dates, location and version (its ETag)."""
    resource.meta = Meta(
        resource_type=kind, created=created, last_modified=modified, location=location
    )
    resource.meta.version = etag(resource)
    return resource


def check_if_match(resource: Any, if_match: str | None) -> None:
    """PreconditionFailedException (412) when If-Match names another version."""
    if if_match is None or if_match.strip() == "*":
        return
    wanted = {tag.strip() for tag in if_match.split(",")}
    version = resource.meta.version
    if version not in wanted and version.removeprefix("W/") not in wanted:
        raise PreconditionFailedException(detail=f"the resource is now at version {version}")


def scim_filter(model: Any, text: str | None) -> Any:
    """The parsed filter (None for none); InvalidFilterException when it is not one, or
    names an attribute the resource has not."""
    if text is None or not text.strip():
        return None
    found = ScimFilter[model](text)
    found.match(model(), strict=True)  # refuses an unknown attribute
    return found


def bounds(start_index: int, count: int | None) -> tuple[int, int]:
    """A page's first index (from 1) and greatest size (RFC 7644 3.4.2.4: less than 1 is
    1; a negative count is 0; at most MAX_RESULTS)."""
    size = MAX_RESULTS if count is None else min(max(count, 0), MAX_RESULTS)
    return max(start_index, 1), size


def page(model: Any, items: list[Any], *, start_index: int, count: int | None) -> ListResponse[Any]:
    """One page of ``items`` as a ListResponse."""
    start, size = bounds(start_index, count)
    return listed(model, items[start - 1 : start - 1 + size], total=len(items), start=start)


def listed(model: Any, chosen: list[Any], *, total: int, start: int) -> ListResponse[Any]:
    """A ListResponse of a page already chosen, of ``total`` resources."""
    found: ListResponse[Any] = ListResponse[model](
        total_results=total, start_index=start, items_per_page=len(chosen), resources=chosen
    )
    return found

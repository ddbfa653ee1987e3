"""Members and roles of an organisation (admins), and the signed-in user's own API tokens."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Response
from pydantic import Field

from hoshin.api.deps import Db, Me, Org, now
from hoshin.api.edits import CHANGES, READS, TEXT_PATTERN, Body, Id, Text
from hoshin.api.one_thread import OneThreadRoute
from hoshin.service import account, member

router = APIRouter(tags=["members and tokens"], responses=READS, route_class=OneThreadRoute)
Role = Literal["admin", "editor", "contributor", "viewer"]
Email = Annotated[
    str, Path(description="The member's email.", max_length=320, pattern=TEXT_PATTERN)
]
ADMINS = ("admin",)
MEMBER_CHANGES: dict[int | str, dict[str, Any]] = {
    key: CHANGES[key] for key in (400, 403, 409, 422)
}


class MemberCreate(Body):
    """A member: an existing user, or a new one (then with a password)."""

    email: Annotated[str, Field(max_length=320, pattern=TEXT_PATTERN)]
    role: Role
    name: Text = ""
    person: Id | None = Field(default=None, description="Their person id in the plan, if any.")
    password: Annotated[str, Field(max_length=1000, pattern=TEXT_PATTERN)] | None = Field(
        default=None, description="Only for a new user: at least 10 characters."
    )


class RoleChange(Body):
    """A member's new role."""

    role: Role


class TokenCreate(Body):
    """A new API token's name (what it is for)."""

    name: Annotated[str, Field(min_length=1, max_length=100, pattern=TEXT_PATTERN)]


@router.get("/orgs/{org}/members")
def list_members(org: Org, session: Db) -> dict[str, Any]:
    """The organisation's members and their roles, by email (admins)."""
    org.require(*ADMINS)
    return {"items": [item.as_json() for item in member.list_members(session, org=org.org)]}


@router.post("/orgs/{org}/members", status_code=201, responses=MEMBER_CHANGES)
def add_member(org: Org, session: Db, body: MemberCreate) -> dict[str, Any]:
    """Adds a member; an email without an account becomes a user with the password given."""
    org.require(*ADMINS)
    added = member.add_member(
        session, org=org.org, email=body.email, role=body.role, actor=org.principal.email,
        name=body.name, person=body.person, password=body.password,
    )  # fmt: skip
    return added.as_json()


@router.put("/orgs/{org}/members/{email}", responses=MEMBER_CHANGES)
def change_role(org: Org, session: Db, email: Email, body: RoleChange) -> dict[str, Any]:
    """Changes a member's role; the last admin stays one (409)."""
    org.require(*ADMINS)
    changed = member.set_member_role(
        session, org=org.org, email=email, role=body.role, actor=org.principal.email
    )
    return changed.as_json()


@router.delete("/orgs/{org}/members/{email}", status_code=204, responses=MEMBER_CHANGES)
def remove_member(org: Org, session: Db, email: Email) -> Response:
    """Ends a membership (the account stays); never the last admin's (409)."""
    org.require(*ADMINS)
    member.remove_member(session, org=org.org, email=email, actor=org.principal.email)
    return Response(status_code=204)


@router.get("/me/tokens")
def list_tokens(me: Me, session: Db) -> dict[str, Any]:
    """The signed-in user's API tokens (never their secrets)."""
    return {"items": member.own_tokens(session, user_id=me.user_id)}


@router.post("/me/tokens", status_code=201, responses={422: CHANGES[422]})
def create_token(me: Me, session: Db, body: TokenCreate) -> dict[str, Any]:
    """A new API token for the signed-in user; its secret is in this answer only."""
    secret = account.create_token(session, email=me.email, name=body.name, now=now())
    created = member.own_tokens(session, user_id=me.user_id)[-1]
    return {**created, "token": secret}


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_token(me: Me, session: Db, token_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
    """Revokes one of the signed-in user's API tokens (it stays listed, revoked)."""
    member.revoke_own_token(session, user_id=me.user_id, token_id=token_id, now=now())
    return Response(status_code=204)

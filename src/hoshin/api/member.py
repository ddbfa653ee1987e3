"""Members, roles and invitations of an organisation (admins), and the signed-in user's own
API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import Field

from hoshin.api.deps import Db, Me, Org, now
from hoshin.api.edits import CHANGES, READS, TEXT_PATTERN, Body
from hoshin.errors import InvalidInput
from hoshin.fields import LARGEST_ROW_ID, Id
from hoshin.fields import Email as EmailText
from hoshin.guard.client import origin_of
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import account, invitation, member, policy, user_state
from hoshin.service.asker import Asker
from hoshin.service.policy import Act, Role

router = APIRouter(tags=["members and tokens"], responses=READS, route_class=OneThreadRoute)
Email = Annotated[
    str, Path(description="The member's email.", max_length=320, pattern=TEXT_PATTERN)
]
MEMBER_CHANGES: dict[int | str, dict[str, Any]] = {
    key: CHANGES[key] for key in (400, 403, 409, 422)
}
InvitationId = Annotated[int, Path(ge=1, le=LARGEST_ROW_ID)]


def _admins_only(org: Asker) -> None:
    """Raises Forbidden unless the asker manages the organisation's members (policy)."""
    policy.require(org.role, Act.MANAGE_MEMBERS, "do this", where=org.org.slug)


class MemberCreate(Body):
    """Whom to invite: an email, the role they will have, and their person in the plan."""

    email: EmailText
    role: Role
    person: Id | None = Field(default=None, description="Their person id in the plan, if any.")


class MemberChange(Body):
    """A member's new role, or person in the plan (null: none), or both."""

    role: Role | None = None
    person: Id | None = Field(
        default=None,
        description="Their person id in the plan; null unlinks them; absent: unchanged.",
    )


class ActiveChange(Body):
    """Whether the member's account is enabled (false: disabled, for every organisation)."""

    active: bool


class TokenCreate(Body):
    """A new API token's name (what it is for)."""

    name: Annotated[str, Field(min_length=1, max_length=100, pattern=TEXT_PATTERN)]


@router.get("/orgs/{org}/members")
def list_members(org: Org, session: Db) -> dict[str, Any]:
    """The organisation's members and their roles, by email (admins)."""
    _admins_only(org)
    return {"items": [item.as_json() for item in member.list_members(session, org=org.org)]}


@router.post("/orgs/{org}/members", status_code=201, responses=MEMBER_CHANGES)
def add_member(org: Org, session: Db, body: MemberCreate) -> dict[str, Any]:
    """Invites the email to be a member with the role: the answer (the same whether the email
    has an account or not) holds the invitation's link, shown this once, to hand over; it
    lasts 7 days. 409 if the email is a member already."""
    _admins_only(org)
    made, link = invitation.invite(
        session, org=org.org, email=body.email, role=body.role, person=body.person,
        actor=org.principal.email, actor_id=org.principal.user_id, origin=org.origin, now=now(),
    )  # fmt: skip
    return {**made.as_json(), "link": link}


@router.get("/orgs/{org}/invitations")
def list_invitations(org: Org, session: Db) -> dict[str, Any]:
    """The organisation's invitations, newest first, with their status: invited, accepted,
    revoked or expired (admins; never their links)."""
    _admins_only(org)
    found = invitation.list_invitations(session, org=org.org, now=now())
    return {"items": [item.as_json() for item in found]}


@router.delete("/orgs/{org}/invitations/{invitation_id}", status_code=204, responses=MEMBER_CHANGES)
def revoke_invitation(org: Org, session: Db, invitation_id: InvitationId) -> Response:
    """Revokes an invitation: its link stops working (admins)."""
    _admins_only(org)
    invitation.revoke_invitation(
        session, org=org.org, invitation_id=invitation_id, actor=org.principal.email,
        actor_id=org.principal.user_id, origin=org.origin, now=now(),
    )  # fmt: skip
    return Response(status_code=204)


@router.put("/orgs/{org}/members/{email}", responses=MEMBER_CHANGES)
def change_member(org: Org, session: Db, email: Email, body: MemberChange) -> dict[str, Any]:
    """Changes a member's role (the last admin stays one: 409) and/or the person of the
    plan they are (422 for a person the plan lacks, 409 for one linked to another member)."""
    _admins_only(org)
    if body.role is None and "person" not in body.model_fields_set:
        raise InvalidInput(
            "give a role, a person or both", [{"field": "role", "reason": "missing"}]
        )
    current = member.get_member(session, org=org.org, email=email)
    if body.role is not None and body.role != current.role:  # no event for no change
        member.set_member_role(
            session, org=org.org, email=email, role=body.role, actor=org.principal.email,
            actor_id=org.principal.user_id, origin=org.origin,
        )  # fmt: skip
    if "person" in body.model_fields_set:
        member.link_person(
            session, org=org.org, email=email, person=body.person, admin_id=org.principal.user_id,
            actor=org.principal.email, origin=org.origin,
        )  # fmt: skip
    return member.get_member(session, org=org.org, email=email).as_json()


@router.put("/orgs/{org}/members/{email}/active", responses=MEMBER_CHANGES)
def change_active(org: Org, session: Db, email: Email, body: ActiveChange) -> dict[str, Any]:
    """Disables or enables a member's account, for every organisation: disabled, they cannot
    sign in and their sessions and tokens end. 403 if they are also a member of an
    organisation the asker does not administer (an operator can: hoshin user disable)."""
    _admins_only(org)
    user_state.set_member_active(
        session, org=org.org, email=email, active=body.active, admin_id=org.principal.user_id,
        actor=org.principal.email, now=now(), origin=org.origin,
    )  # fmt: skip
    return member.get_member(session, org=org.org, email=email).as_json()


@router.delete("/orgs/{org}/members/{email}", status_code=204, responses=MEMBER_CHANGES)
def remove_member(org: Org, session: Db, email: Email) -> Response:
    """Ends a membership (the account stays); never the last admin's (409). Removed from
    their last organisation, the user's sessions and API tokens end."""
    _admins_only(org)
    member.remove_member(
        session, org=org.org, email=email, actor=org.principal.email, now=now(),
        actor_id=org.principal.user_id, origin=org.origin,
    )  # fmt: skip
    return Response(status_code=204)


@router.get("/me/tokens")
def list_tokens(me: Me, session: Db) -> dict[str, Any]:
    """The signed-in user's API tokens (never their secrets)."""
    return {"items": [token.as_json() for token in member.own_tokens(session, user_id=me.user_id)]}


@router.post("/me/tokens", status_code=201, responses={422: CHANGES[422]})
def create_token(request: Request, me: Me, session: Db, body: TokenCreate) -> dict[str, Any]:
    """A new API token for the signed-in user; its secret is in this answer only."""
    secret = account.create_token(
        session, email=me.email, name=body.name, now=now(), actor=me.email,
        origin=origin_of(request), actor_id=me.user_id,
    )  # fmt: skip
    created = member.own_tokens(session, user_id=me.user_id)[-1]
    return {**created.as_json(), "token": secret}


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_token(
    request: Request, me: Me, session: Db, token_id: Annotated[int, Path(ge=1, le=LARGEST_ROW_ID)]
) -> Response:
    """Revokes one of the signed-in user's API tokens (it stays listed, revoked)."""
    member.revoke_own_token(
        session, user_id=me.user_id, token_id=token_id, now=now(), actor=me.email,
        origin=origin_of(request),
    )  # fmt: skip
    return Response(status_code=204)

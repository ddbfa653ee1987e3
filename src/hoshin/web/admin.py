"""The admin page: members, their roles, invitations and disabled accounts (admins only),
and anyone's own API tokens and password (web.password)."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.errors import Conflict, HoshinError, InvalidInput
from hoshin.fields import LARGEST_ROW_ID
from hoshin.service import account, invitation, member, policy, search, user_state
from hoshin.service.policy import LEAST, ROLES, Act
from hoshin.web import password
from hoshin.web.deps import Db, Here, Place, now
from hoshin.web.forms import Form as Typed
from hoshin.web.outcome import attempt, page_status
from hoshin.web.references import Reference, resolve_names
from hoshin.web.render import render

router = APIRouter()
router.include_router(password.router)
MEMBERS_PER_PAGE = 100
# A member's person is chosen by name with a picker (_picker.html), at any size of plan;
# without JavaScript the name (or id) typed is resolved here, as in the plan's forms.
PERSON = {"person": Reference("people")}
EMPTY_MEMBER = {"email": "", "role": LEAST, "person": ""}
Text = Annotated[str, Form(max_length=1000)]
Email = Annotated[str, Path(max_length=320)]
NOTICES = {
    "disabled": "{}'s account is disabled: they cannot sign in, their sessions and tokens ended.",
    "enabled": "{}'s account is enabled again: they can sign in.",
    "uninvited": "The invitation of {} is revoked: its link no longer works.",
    "changed": "{}'s role is changed.",
    "linked": "{}'s person in the plan is changed: their check-in and work are that person's.",
    "removed": "{} is no longer a member.",
    "revoked": "Token {} is revoked: it no longer signs anything in.",
}


@router.get("/orgs/{org}/admin", response_class=HTMLResponse)
def members_page(
    request: Request,
    session: Db,
    here: Place,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[str, Query(max_length=20)] = "",
    who: Annotated[str, Query(max_length=320)] = "",
    member: Annotated[str, Query(max_length=320)] = "",
) -> Response:
    """The members with their roles, the form that adds one; 403 unless an admin.
    ``member``: the page that holds that member's row, marked (My work links here)."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    notice = _notice(done, who)
    return _members(request, session, here, page=page, notice=notice, sought=member)


@router.post("/orgs/{org}/admin/members", response_class=HTMLResponse)
def add_member(
    request: Request,
    session: Db,
    here: Place,
    email: Text = "",
    role: Text = "",
    person: Text = "",
) -> Response:
    """Invites the email with the role: the answer shows the invitation's link once, to hand
    over. It says the same whether the email has an account or not."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    key, problem = _person_id(session, here, person)
    typed = {"email": email.strip(), "role": role, "person": key}
    errors = _member_errors(typed) | ({"person": problem} if problem else {})
    if not errors:
        invited = attempt(
            session, invitation.invite, session, org=here.org, email=typed["email"], role=role,
            person=key or None, actor=here.me.email, actor_id=here.me.user_id,
            origin=here.origin, now=now(),
        )  # fmt: skip
        if isinstance(invited, HoshinError):
            errors = _add_errors(invited)
        else:
            made, link = invited
            shown = {"email": made.email, "expires_at": made.expires_at,
                     "link": str(request.base_url).rstrip("/") + link}  # fmt: skip
            answer = _members(request, session, here, invited=shown, status=201)
            answer.headers["Cache-Control"] = "no-store"  # the link must not stay in a cache
            return answer
    return _members(request, session, here, form=typed, errors=errors, status=422)


@router.post("/orgs/{org}/admin/invitations/{invitation_id}/revoke", response_class=HTMLResponse)
def revoke_invitation(
    request: Request,
    session: Db,
    here: Place,
    invitation_id: Annotated[int, Path(ge=1, le=LARGEST_ROW_ID)],
) -> Response:
    """Revokes an invitation: its link stops working."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    revoked = invitation.revoke_invitation(
        session, org=here.org, invitation_id=invitation_id, actor=here.me.email,
        actor_id=here.me.user_id, origin=here.origin, now=now(),
    )  # fmt: skip
    return _back(here, "uninvited", revoked.email)


@router.post("/orgs/{org}/admin/members/{email}/active", response_class=HTMLResponse)
def change_active(
    request: Request, session: Db, here: Place, email: Email, active: Text = ""
) -> Response:
    """Disables (active=0) or enables (active=1) a member's account, for every organisation;
    refused, with the reason, for someone who is also a member elsewhere."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    refused = attempt(
        session, user_state.set_member_active, session, org=here.org, email=email,
        active=active == "1", admin_id=here.me.user_id, actor=here.me.email, now=now(),
        origin=here.origin,
    )  # fmt: skip
    if isinstance(refused, HoshinError):
        return _row_refused(request, session, here, email, refused)
    return _back(here, "enabled" if active == "1" else "disabled", email)


@router.post("/orgs/{org}/admin/members/{email}/role", response_class=HTMLResponse)
def change_role(
    request: Request, session: Db, here: Place, email: Email, role: Text = ""
) -> Response:
    """Changes a member's role; the last admin stays one (the message says so)."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    refused = attempt(
        session, member.set_member_role, session, org=here.org, email=email, role=role,
        actor=here.me.email, actor_id=here.me.user_id, origin=here.origin,
    )  # fmt: skip
    if isinstance(refused, HoshinError):
        return _row_refused(request, session, here, email, refused)
    return _back(here, "changed", email)


@router.post("/orgs/{org}/admin/members/{email}/person", response_class=HTMLResponse)
def change_person(
    request: Request, session: Db, here: Place, email: Email, person: Text = ""
) -> Response:
    """Links a member to a person of the plan, named by id or exact name (empty: unlinks
    them); a person the plan lacks, a name several share or another member's person is
    refused next to the row."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    key, problem = _person_id(session, here, person)
    if problem is not None:
        return _row_refused(request, session, here, email, InvalidInput(problem))
    refused = attempt(
        session, member.link_person, session, org=here.org, email=email, person=key,
        admin_id=here.me.user_id, actor=here.me.email, origin=here.origin,
    )  # fmt: skip
    if isinstance(refused, HoshinError):
        return _row_refused(request, session, here, email, refused)
    return _back(here, "linked", email)


@router.get("/orgs/{org}/admin/members/{email}/remove", response_class=HTMLResponse)
def confirm_removal(request: Request, session: Db, here: Place, email: Email) -> Response:
    """Asks whether to end the membership."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    found = member.get_member(session, org=here.org, email=email)
    return render(request, "admin_remove.html", {"here": here, "member": found, "problem": None})


@router.post("/orgs/{org}/admin/members/{email}/remove", response_class=HTMLResponse)
def remove_member(request: Request, session: Db, here: Place, email: Email) -> Response:
    """Ends the membership (the account stays); never the last admin's."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    found = member.get_member(session, org=here.org, email=email)
    refused = attempt(
        session, member.remove_member, session, org=here.org, email=email, actor=here.me.email,
        now=now(), actor_id=here.me.user_id, origin=here.origin,
    )  # fmt: skip
    if isinstance(refused, HoshinError):
        context = {"here": here, "member": found, "problem": refused.message}
        return render(request, "admin_remove.html", context, page_status(refused))
    return _back(here, "removed", found.email)


@router.get("/orgs/{org}/admin/tokens", response_class=HTMLResponse)
def tokens_page(
    request: Request,
    session: Db,
    here: Place,
    done: Annotated[str, Query(max_length=20)] = "",
    who: Annotated[str, Query(max_length=320)] = "",
) -> Response:
    """The signed-in user's own API tokens and the form that creates one (any member)."""
    return _tokens(request, session, here, notice=_notice(done, who))


@router.post("/orgs/{org}/admin/tokens", response_class=HTMLResponse)
def create_token(request: Request, session: Db, here: Place, name: Text = "") -> Response:
    """A new token; its secret is on this answer only (it is never shown again)."""
    name = name.strip()
    if not name:
        problem = "Give the token a name: what it is for, e.g. 'monthly import'."
        return _tokens(request, session, here, name_problem=problem, status=422)
    if len(name) > 100:
        problem = "A token's name has at most 100 characters."
        return _tokens(request, session, here, name=name, name_problem=problem, status=422)
    secret = account.create_token(
        session, email=here.me.email, name=name, now=now(), actor=here.me.email,
        origin=here.origin, actor_id=here.me.user_id,
    )  # fmt: skip
    return _tokens(request, session, here, secret={"name": name, "token": secret})


@router.post("/orgs/{org}/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    session: Db, here: Place, token_id: Annotated[int, Path(ge=1, le=LARGEST_ROW_ID)]
) -> Response:
    """Revokes one of the signed-in user's tokens (it stays listed, revoked)."""
    mine = {t.id: t for t in member.own_tokens(session, user_id=here.me.user_id)}
    member.revoke_own_token(
        session, user_id=here.me.user_id, token_id=token_id, now=now(), actor=here.me.email,
        origin=here.origin,
    )  # fmt: skip
    query = urlencode({"done": "revoked", "who": mine[token_id].name})
    return RedirectResponse(f"/orgs/{here.org.slug}/admin/tokens?{query}", status_code=303)


def _members(
    request: Request,
    session: Db,
    here: Here,
    *,
    page: int = 1,
    notice: str | None = None,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    row_problem: dict[str, str] | None = None,
    invited: dict[str, Any] | None = None,
    sought: str = "",
    status: int = 200,
) -> Response:
    everyone = member.list_members(session, org=here.org)
    pages = max(1, -(-len(everyone) // MEMBERS_PER_PAGE))
    sought = account.normal_email(sought) if sought.strip() else ""
    at = next((i for i, m in enumerate(everyone) if m.email == sought), None)
    page = min(page if at is None else at // MEMBERS_PER_PAGE + 1, pages)
    shown = everyone[(page - 1) * MEMBERS_PER_PAGE : page * MEMBERS_PER_PAGE]
    linked = [m.person for m in shown if m.person is not None]
    if form and form.get("person"):
        linked.append(form["person"])
    context: dict[str, Any] = {
        "here": here, "members": shown, "total": len(everyone), "page": page, "pages": pages,
        "names": search.labels(session, org=here.org, kind="people", keys=linked),
        "sought": sought, "roles": ROLES, "notice": notice, "form": form or EMPTY_MEMBER,
        "errors": errors or {},
        "row_problem": row_problem, "invited": invited,
        "invitations": invitation.open_invitations(session, org=here.org, now=now()),
    }  # fmt: skip
    return render(request, "admin.html", context, status)


def _tokens(
    request: Request,
    session: Db,
    here: Here,
    *,
    notice: str | None = None,
    name: str = "",
    name_problem: str | None = None,
    secret: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "here": here, "tokens": member.own_tokens(session, user_id=here.me.user_id)[::-1],
        "notice": notice, "name": name, "name_problem": name_problem, "secret": secret,
    }  # fmt: skip
    answer = render(request, "admin_tokens.html", context, status)
    if secret is not None:  # the secret must not stay in a cache or the history
        answer.headers["Cache-Control"] = "no-store"
    return answer


def _not_admin(request: Request, here: Here) -> Response:
    return render(request, "admin_forbidden.html", {"here": here}, 403)


def _person_id(session: Db, here: Here, typed: str) -> tuple[str, str | None]:
    """The id of the person ``typed`` names (an id or an exact name, as the plan's forms
    take them), and the problem when several people share that name."""
    form = Typed({"person": typed.strip()})
    resolve_names(session, here, form, PERSON)
    problems = form.problems.get("person")
    return form.value("person"), (_sentence(problems[0]) if problems else None)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def _member_errors(typed: dict[str, str]) -> dict[str, str]:
    """What the form lacks before the service is asked: an email and a role."""
    errors: dict[str, str] = {}
    if not typed["email"]:
        errors["email"] = "Enter the member's email."
    if typed["role"] not in ROLES:
        errors["role"] = f"Choose a role: {', '.join(ROLES)}."
    return errors


def _add_errors(error: HoshinError) -> dict[str, str]:
    """The service's refusal, next to the field it is about."""
    detail = error.detail if isinstance(error, (InvalidInput, Conflict)) else None
    items = detail if isinstance(detail, list) else []
    fields = [str(item.get("field")) for item in items if isinstance(item, dict)]
    message = error.message
    if re.match(r"[a-z]+ ", message):  # a sentence, not an email or a quoted value first
        message = message[:1].upper() + message[1:]
    if fields and fields[0] in EMPTY_MEMBER:
        return {fields[0]: message}
    text = message.lower()
    if isinstance(error, Conflict) or "email" in text:
        return {"email": message}
    return {"form": message}


def _row_refused(
    request: Request, session: Db, here: Here, email: str, error: HoshinError
) -> Response:
    """The members page again, with the refusal next to the member's row."""
    problem = {"email": account.normal_email(email), "message": error.message}
    return _members(request, session, here, row_problem=problem, status=page_status(error))


def _notice(done: str, who: str) -> str | None:
    return NOTICES[done].format(who) if done in NOTICES and who else None


def _back(here: Here, done: str, who: str) -> Response:
    """After a change: the members page again, saying what changed (no form resent)."""
    query = urlencode({"done": done, "who": account.normal_email(who)})
    return RedirectResponse(f"/orgs/{here.org.slug}/admin?{query}", status_code=303)

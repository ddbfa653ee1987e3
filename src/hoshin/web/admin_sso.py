"""The admin's single sign-on page: the organisation's identity provider (OpenID Connect or
SAML), who may sign in through it, whether passwords still sign its members in, and the
addresses to copy into the provider (admins only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.config import settings
from hoshin.domain.text import LONGEST
from hoshin.errors import HoshinError, InvalidInput
from hoshin.service import policy, sso
from hoshin.service.policy import ADMIN, LEAST, ROLES, Act
from hoshin.service.sso_addresses import sso_addresses
from hoshin.web.deps import Db, Here, Place
from hoshin.web.outcome import attempt, page_status
from hoshin.web.render import render

router = APIRouter()
Line = Annotated[str, Form(max_length=LONGEST["line"])]
Url = Annotated[str, Form(max_length=sso.URL_LENGTH)]
Lines = Annotated[str, Form(max_length=LONGEST["text"])]
Flag = Annotated[str, Form(max_length=5)]
NOTICES = {
    "saved": "Single sign-on is saved.",
    "removed": "Single sign-on is removed: members sign in with their passwords again.",
}
EMPTY: dict[str, Any] = {
    "protocol": "oidc", "label": "", "email_domains": "", "oidc_issuer": "", "client_id": "",
    "client_secret_set": False, "saml_idp_metadata_url": "", "saml_idp_metadata_set": False,
    "jit": False, "jit_role": LEAST, "group_claim": "", "group_roles": "",
    "group_units": "", "password_sign_in": True,
}  # fmt: skip


@router.get("/orgs/{org}/admin/sso", response_class=HTMLResponse)
def sso_page(
    request: Request, session: Db, here: Place, done: Annotated[str, Query(max_length=20)] = ""
) -> Response:
    """The identity provider's settings in a form, and the addresses to give it; 403 unless
    an admin."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    row = sso.find_settings(session, org=here.org)
    form = EMPTY if row is None else _typed(sso.settings_view(row, here.org))
    return _page(request, here, form=form, saved=row is not None, notice=NOTICES.get(done))


@router.post("/orgs/{org}/admin/sso", response_class=HTMLResponse)
def save_sso(
    request: Request,
    session: Db,
    here: Place,
    protocol: Annotated[str, Form(max_length=10)] = "",
    label: Line = "",
    email_domains: Lines = "",
    oidc_issuer: Url = "",
    client_id: Line = "",
    client_secret: Line = "",
    saml_idp_metadata_url: Url = "",
    saml_idp_metadata: Lines = "",
    jit: Flag = "",
    jit_role: Annotated[str, Form(max_length=20)] = LEAST,
    group_claim: Line = "",
    group_roles: Lines = "",
    group_units: Lines = "",
    password_sign_in: Flag = "",
) -> Response:
    """Saves the identity provider (a blank client secret or metadata keeps the stored one);
    a wrong field is shown in place (422)."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    row = sso.find_settings(session, org=here.org)
    typed = {
        "protocol": protocol, "label": label, "email_domains": email_domains,
        "oidc_issuer": oidc_issuer, "client_id": client_id,
        "client_secret_set": row is not None and bool(row.oidc_client_secret),
        "saml_idp_metadata_url": saml_idp_metadata_url,
        "saml_idp_metadata_set": row is not None and bool(row.saml_idp_metadata),
        "jit": jit == "1", "jit_role": jit_role, "group_claim": group_claim,
        "group_roles": group_roles, "group_units": group_units,
        "password_sign_in": password_sign_in == "1",
    }  # fmt: skip
    pasted = saml_idp_metadata.strip()
    if not pasted and not saml_idp_metadata_url.strip() and row is not None:
        pasted = row.saml_idp_metadata  # blank keeps the metadata pasted before
    try:
        if protocol not in sso.PROTOCOLS:
            reason = "choose OpenID Connect or SAML"
            raise InvalidInput(f"protocol: {reason}", [{"field": "protocol", "reason": reason}])
        wanted = sso.SsoSettings(
            protocol="saml" if protocol == "saml" else "oidc", label=label,
            email_domains=tuple(d for d in email_domains.replace(",", " ").split() if d),
            oidc_issuer=oidc_issuer, client_id=client_id,
            client_secret=client_secret.strip() or None, saml_idp_metadata=pasted,
            saml_idp_metadata_url=saml_idp_metadata_url, jit=jit == "1", jit_role=jit_role,
            group_claim=group_claim, group_roles=pairs(group_roles, "group_roles"),
            group_units=pairs(group_units, "group_units"),
            password_sign_in=password_sign_in == "1",
        )  # fmt: skip
    except InvalidInput as error:
        return _page(request, here, form=typed, saved=row is not None, errors=_errors(error),
                     status=422)  # fmt: skip
    saved = attempt(
        session, sso.set_settings, session, org=here.org, settings=wanted, actor=here.me.email,
        origin=here.origin, actor_id=here.me.user_id,
    )  # fmt: skip
    if isinstance(saved, HoshinError):
        errors = _errors(saved)
        return _page(request, here, form=typed, saved=row is not None, errors=errors,
                     status=page_status(saved))  # fmt: skip
    return RedirectResponse(f"/orgs/{here.org.slug}/admin/sso?done=saved", status_code=303)


@router.post("/orgs/{org}/admin/sso/remove", response_class=HTMLResponse)
def remove_sso(request: Request, session: Db, here: Place) -> Response:
    """Removes the identity provider: passwords sign the members in again."""
    if not policy.may(here.role, Act.MANAGE_MEMBERS):
        return _not_admin(request, here)
    sso.remove_settings(
        session, org=here.org, actor=here.me.email, origin=here.origin,
        actor_id=here.me.user_id,
    )  # fmt: skip
    return RedirectResponse(f"/orgs/{here.org.slug}/admin/sso?done=removed", status_code=303)


def pairs(text: str, field: str) -> dict[str, str]:
    """``group = value`` lines as a dict (blank lines skipped); InvalidInput naming the
    field and line of one without '=' or with an empty side."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        group, sign, value = line.partition("=")
        if not sign or not group.strip() or not value.strip():
            reason = f"line {number}: write one 'group = value' on each line"
            raise InvalidInput(f"{field}: {reason}", [{"field": field, "reason": reason}])
        found[group.strip()] = value.strip()
    return found


def _typed(view: dict[str, Any]) -> dict[str, Any]:
    """The settings as the form shows them: lists and maps as text."""
    lines = {name: "\n".join(f"{g} = {v}" for g, v in view[name].items())
             for name in ("group_roles", "group_units")}  # fmt: skip
    return {**view, "email_domains": ", ".join(view["email_domains"]), **lines}


def _errors(error: HoshinError) -> dict[str, str]:
    """The refusal next to the field it names (else above the form)."""
    items = error.detail if isinstance(error.detail, list) else []
    field = next((str(i["field"]) for i in items if isinstance(i, dict) and "field" in i), "form")
    if field == "email":  # a domain is checked as the end of an address
        field = "email_domains"
    message = error.message.split(": ", 1)[-1] if field != "form" else error.message
    return {field: message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")}


def _page(
    request: Request,
    here: Here,
    *,
    form: dict[str, Any],
    saved: bool,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "here": here, "form": form, "saved": saved, "notice": notice, "errors": errors or {},
        "roles": [r for r in ROLES if r != ADMIN], "all_roles": ROLES,
        "addresses": sso_addresses(settings().base_url, here.org.slug),
    }  # fmt: skip
    return render(request, "admin_sso.html", context, status)


def _not_admin(request: Request, here: Here) -> Response:
    return render(request, "admin_forbidden.html", {"here": here}, 403)

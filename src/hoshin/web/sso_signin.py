"""The sign-in page's single sign-on: "Sign in with <provider>" for ``/signin?org=SLUG``, and
the e-mail-first box that finds the provider by the address's domain."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.domain.text import LONGEST
from hoshin.errors import Forbidden
from hoshin.runtime.sessions import Session
from hoshin.service import sso, sso_requests
from hoshin.service.sso_addresses import start_path
from hoshin.web.deps import Db
from hoshin.web.render import render

router = APIRouter()


def provider_link(session: Session, *, slug: str, next_path: str = "") -> dict[str, str] | None:
    """The organisation's "Sign in with <label>" link (a GET to the start of its provider's
    sign-in, which goes on to ``next_path``), or None when it has no single sign-on."""
    found = sso.provider_for(session, slug=slug) if slug else None
    if found is None:
        return None
    org, settings = found
    href = start_path(org.slug, settings.protocol, sso_requests.safe_next(next_path))
    return {"label": settings.label or org.name, "href": href}


def signin_context(
    session: Session, *, org: str = "", next_path: str = "", email: str = ""
) -> dict[str, Any]:
    """What the sign-in page shows: the password form's e-mail, and the organisation's
    provider when ``org`` names one that has single sign-on."""
    provider = provider_link(session, slug=org, next_path=next_path)
    problem = None
    if org and provider is None:
        problem = f"No single sign-on for '{org[:64]}': sign in with your password."
    return {"email": email, "problem": None, "provider": provider, "sso_email": "",
            "sso_problem": problem, "next": sso_requests.safe_next(next_path)}  # fmt: skip


@router.post("/signin/sso", response_class=HTMLResponse)
def find_provider(
    request: Request,
    session: Db,
    email: Annotated[str, Form(max_length=LONGEST["email"])] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Goes to the sign-in page of the organisation whose provider signs in this e-mail
    address (by its domain); says so in place when none does."""
    typed = email.strip()
    domain = typed.rpartition("@")[2].lower()
    found = sso.provider_for(session, email=typed) if "@" in typed and domain else None
    if found is not None:
        query = {"org": found[0].slug} | (
            {"next": sso_requests.safe_next(next)} if sso_requests.safe_next(next) else {}
        )
        return RedirectResponse(f"/signin?{urlencode(query)}", status_code=303)
    context = signin_context(session, next_path=next)
    problem = (
        f"No single sign-on for {domain}."
        if "@" in typed and domain
        else ("Type your work e-mail address, like name@example.com.")
    )
    context.update(sso_email=typed, sso_problem=problem)
    return render(request, "signin.html", context, 422)


def refusal_page(request: Request, slug: str, refusal: Forbidden) -> Response:
    """The page of a refused single sign-on, of either protocol (403): its reason under the
    heading, and a way to sign in again."""
    reason = refusal.message.removeprefix("single sign-on refused: ")
    if "@" not in reason.split(" ", 1)[0]:  # "Zoe@acme.org" would misspell the address
        reason = reason[:1].upper() + reason[1:]
    return render(request, "sso_refused.html", {"reason": reason, "slug": slug}, refusal.status)

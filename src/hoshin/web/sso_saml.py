"""SAML single sign-on pages: the start (to the IdP by HTTP-Redirect), the assertion
consumer service (the IdP's answer, posted by the browser) and hoshin's metadata."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hoshin.config import settings
from hoshin.errors import Forbidden, NotFound
from hoshin.guard.client import origin_of, set_session_cookie
from hoshin.runtime.engine import writes
from hoshin.service import saml, sso
from hoshin.service.organization import OrganizationRow
from hoshin.service.saml import SsoSettingsRow
from hoshin.web.deps import Db, now
from hoshin.web.sso_signin import refusal_page

router = APIRouter()
# A SAMLResponse is base64 of a signed XML answer: an IdP's with a few dozen attributes and its
# certificate stays far below this; RelayState is at most 80 bytes (SAML bindings 3.4.3).
RESPONSE_LENGTH = 400_000
RELAY_STATE_LENGTH = 80
SLUG = re.compile(r"[A-Za-z0-9_-]{1,64}")  # guard.csrf's rule for the ACS path


@router.get("/sso/{slug}/saml/metadata")
def metadata(session: Db, slug: str) -> Response:
    """hoshin's SAML service provider metadata for the organisation (what its IdP is given);
    it names only hoshin's addresses, so it is shown whether or not SAML is set up yet."""
    xml = saml.organization_metadata(session, slug=_slug(slug), base_url=settings().base_url)
    return Response(xml, media_type="application/samlmetadata+xml")


@router.get("/sso/{slug}/saml/start")
def start(
    request: Request, session: Db, slug: str, next: Annotated[str, Query(max_length=500)] = ""
) -> Response:
    """Sends the browser to the organisation's IdP with an AuthnRequest (HTTP-Redirect)."""
    writes(session)  # a GET that keeps the request under way: a writer from its first query
    org, row = _provider(session, slug)
    try:
        location = saml.start(
            session, org=org, settings=row, next_path=next, now=now(),
            base_url=settings().base_url, origin=origin_of(request),
        )  # fmt: skip
    except Forbidden as refusal:
        return _refused(request, session, slug, refusal)
    return RedirectResponse(location, status_code=303)


@router.post("/sso/{slug}/saml/acs", response_class=HTMLResponse)
def acs(
    request: Request,
    session: Db,
    slug: str,
    saml_response: Annotated[str, Form(alias="SAMLResponse", max_length=RESPONSE_LENGTH)],
    relay_state: Annotated[str, Form(alias="RelayState", max_length=RELAY_STATE_LENGTH)] = "",
) -> Response:
    """Signs in the user whom the IdP's answer vouches for, and goes to where they were
    going (or the organisation's page); a refused answer shows why (403)."""
    org, row = _provider(session, slug)
    try:
        _, secret, next_path = saml.finish(
            session, org=org, settings=row, saml_response=saml_response, now=now(),
            base_url=settings().base_url, origin=origin_of(request),
        )  # fmt: skip
    except Forbidden as refusal:
        return _refused(request, session, slug, refusal)
    answer = RedirectResponse(next_path or f"/orgs/{org.slug}/", status_code=303)
    set_session_cookie(request, answer, secret)
    return answer


def _provider(session: Db, slug: str) -> tuple[OrganizationRow, SsoSettingsRow]:
    """The organisation and its SAML settings; NotFound when it signs in otherwise."""
    found = sso.provider_for(session, slug=_slug(slug))
    if found is None or found[1].protocol != "saml":
        raise NotFound(f"{slug[:64]} has no SAML single sign-on")
    return found


def _slug(slug: str) -> str:
    if not SLUG.fullmatch(slug):
        raise NotFound(f"no organisation {slug[:64]!r}")
    return slug


def _refused(request: Request, session: Db, slug: str, refusal: Forbidden) -> Response:
    """The refusal's page (403), its audit event committed first."""
    session.commit()
    return refusal_page(request, slug, refusal)

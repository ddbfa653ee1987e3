"""SAML 2.0 single sign-on: hoshin as a service provider (pysaml2) of each organisation that
signs in with SAML. Its entity id is ``{base_url}/sso/{slug}/saml/metadata`` (where its
metadata is), its assertion consumer service ``{base_url}/sso/{slug}/saml/acs`` (HTTP-POST).

hoshin checks an IdP's answer before pysaml2 does, against the ``now`` passed in, so that a
refusal names its reason (not signed, expired, another audience, not a sign-in hoshin
started, used already); then pysaml2 verifies it all again (the signature with xmlsec1 and the
IdP's certificate from its metadata, the conditions against the system clock: pysaml2 reads
no other), and only its verified assertion gives the user's claims.

The service provider has no key of its own: its AuthnRequests go unsigned by the HTTP-Redirect
binding (what an IdP accepts by default), nothing is encrypted to it (an encrypted assertion is
refused, naming the IdP setting to change), and it signs no metadata. A key would have to be
made, kept and rolled over per organisation for no gain in what hoshin checks.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import httpx
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, SAMLError, samlp
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS
from saml2.sigver import SignatureError, SigverError
from saml2.time_util import str_to_time
from sqlalchemy.orm import Session

from hoshin.errors import Forbidden
from hoshin.fields import secure_address_problem
from hoshin.service import sso, sso_requests
from hoshin.service.account import Principal
from hoshin.service.sso_addresses import sso_addresses
from hoshin.store.organization import OrganizationRow, get_organization
from hoshin.store.sso import SsoSettingsRow as SsoSettingsRow  # the pages name it

REQUEST: Final = "saml"  # an AuthnRequest sent, by its id
ASSERTION: Final = "saml-assertion"  # an assertion used, by its id, until it expires
CLOCK_SKEW: Final = timedelta(minutes=2)  # between the IdP's clock and ours
METADATA_MAX_AGE: Final = timedelta(days=1)  # an IdP's metadata read from its URL, kept
FETCH_TIMEOUT: Final = 10.0  # seconds, to read an IdP's metadata
SUCCESS: Final = "urn:oasis:names:tc:SAML:2.0:status:Success"
# Where the IdPs put the e-mail address and the name: the names pysaml2 gives the standard
# attributes (urn:oid:...), then Microsoft's claim names (Entra ID, AD FS).
_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
EMAIL_ATTRIBUTES: Final = ("mail", "email", "emailAddress", _CLAIMS + "emailaddress")
NAME_ATTRIBUTES: Final = (
    "displayName", "http://schemas.microsoft.com/identity/claims/displayname", "name",
)  # fmt: skip
GIVEN_ATTRIBUTES: Final = ("givenName", "firstName", _CLAIMS + "givenname")
SURNAME_ATTRIBUTES: Final = ("sn", "surname", "lastName", _CLAIMS + "surname")
# pysaml2 logs whole answers at DEBUG and INFO and its failures (with their text) at ERROR: a
# SAML answer is a bearer credential, and each failure is a refusal of hoshin's, audited with
# its reason.
logging.getLogger("saml2").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Addresses:
    """hoshin's addresses as an organisation's service provider."""

    entity_id: str
    acs_url: str


def addresses(*, base_url: str, slug: str) -> Addresses:
    """The entity id (its metadata's address) and assertion consumer service of ``slug``,
    as every door shows them (service.sso_addresses)."""
    shown = sso_addresses(base_url, slug)
    return Addresses(entity_id=shown["saml_entity_id"], acs_url=shown["saml_acs_url"])


def sp_metadata(*, base_url: str, slug: str) -> str:
    """hoshin's SAML metadata for ``slug`` (what the IdP is given): entity id, ACS, e-mail
    NameID, signed assertions wanted."""
    config = _config(addresses(base_url=base_url, slug=slug), idp_metadata=None)
    return str(create_metadata_string(None, config=config).decode())


def organization_metadata(session: Session, *, slug: str, base_url: str) -> str:
    """sp_metadata of an organisation (whether or not it signs in with SAML yet: the admin
    gives it to the IdP first); NotFound when there is no such organisation."""
    org = get_organization(session, slug=slug)
    return sp_metadata(base_url=base_url, slug=org.slug)


def start(
    session: Session,
    *,
    org: OrganizationRow,
    settings: SsoSettingsRow,
    next_path: str,
    now: datetime,
    base_url: str,
    origin: str,
) -> str:
    """The address at the IdP that signs the user in (an AuthnRequest by HTTP-Redirect),
    the request kept to be answered once; Forbidden (audited) when the IdP is unusable."""
    client = _client(session, org=org, settings=settings, now=now, base_url=base_url, origin=origin)
    idps = list(client.metadata.identity_providers())
    if len(idps) != 1:
        reason = f"the IdP's metadata names {len(idps)} identity providers, not one"
        raise sso.refuse(session, org=org, reason=reason, origin=origin)
    try:
        request_id, info = client.prepare_for_authenticate(
            entityid=idps[0],
            binding=BINDING_HTTP_REDIRECT,
            nameid_format=NAMEID_FORMAT_EMAILADDRESS,
        )
    except (SAMLError, ValueError, TypeError):  # pysaml2 raises these when no address fits
        reason = "the IdP's metadata has no sign-in address for the HTTP-Redirect binding"
        raise sso.refuse(session, org=org, reason=reason, origin=origin) from None
    sso_requests.begin_request(
        session, org=org, kind=REQUEST, key=str(request_id), now=now, next_path=next_path
    )
    return str(dict(info["headers"])["Location"])


def finish(
    session: Session,
    *,
    org: OrganizationRow,
    settings: SsoSettingsRow,
    saml_response: str,
    now: datetime,
    base_url: str,
    origin: str,
) -> tuple[Principal, str, str]:
    """The user whom the IdP's answer (the posted SAMLResponse) vouches for, signed in:
    returns the principal, the new session's secret and where to go next. Forbidden
    (audited, with the reason and never the XML) when the answer is refused."""

    def refused(reason: str) -> Forbidden:
        return sso.refuse(session, org=org, reason=reason, origin=origin)

    sp = addresses(base_url=base_url, slug=org.slug)
    saml_response = "".join(saml_response.split())  # some IdPs break base64 into lines
    response = _read(saml_response)
    if response is None:
        raise refused("the SAMLResponse is not a base64-encoded SAML response")
    assertion = _checked(response, sp=sp, now=now, refused=refused)
    if sso_requests.was_used(session, kind=ASSERTION, key=str(assertion.id)):
        raise refused("the assertion was used already")
    request = None
    if response.in_response_to:
        request = sso_requests.take_request(
            session, kind=REQUEST, key=response.in_response_to, now=now
        )
    if request is None or request.org_id != org.id:
        raise refused("this answer does not answer a sign-in hoshin started")
    client = _client(session, org=org, settings=settings, now=now, base_url=base_url, origin=origin)
    verified = _verified(client, saml_response, response.in_response_to, refused)
    if str(verified.assertion.id) != str(assertion.id):  # one assertion read, another signed
        raise refused("the signed assertion is not the one the answer shows")
    until = _instant(verified.assertion.conditions.not_on_or_after) + CLOCK_SKEW
    sso_requests.begin_request(
        session, org=org, kind=ASSERTION, key=str(assertion.id), now=now, lifetime=until - now
    )
    claims = _claims(verified.ava or {}, str(verified.name_id.text or ""), settings.group_claim)
    principal, secret = sso.sign_in(
        session, org=org, settings=settings, claims=claims, now=now, origin=origin
    )
    return principal, secret, request.next_path


def _read(saml_response: str) -> Any:
    """The posted answer as pysaml2's (unverified) Response, or None when it is none."""
    try:
        xml = base64.b64decode(saml_response, validate=True)
        return samlp.response_from_string(xml)
    except (binascii.Error, ValueError, SyntaxError, TypeError, AttributeError):
        # not base64; not XML (ParseError is a SyntaxError); with entities (defusedxml's
        # refusals are ValueErrors); not a SAML response
        return None


def _checked(response: Any, *, sp: Addresses, now: datetime, refused: Any) -> Any:
    """The one assertion of the answer, once its status, signature's presence, times and
    audience were checked against ``now`` (only to refuse: pysaml2 verifies all again)."""
    status = response.status.status_code if response.status else None
    if status is None or status.value != SUCCESS:
        code = "no status" if status is None else str(status.value).rpartition(":")[2]
        raise refused(f"the identity provider did not sign the user in ({code})")
    if response.encrypted_assertion:
        raise refused("the assertion is encrypted: turn assertion encryption off at the IdP")
    if len(response.assertion) != 1:
        raise refused(f"the answer holds {len(response.assertion)} assertions, not one")
    assertion = response.assertion[0]
    if assertion.signature is None:
        raise refused("the assertion is not signed")
    conditions = assertion.conditions
    if conditions is None or not conditions.not_on_or_after:
        raise refused("the assertion has no end of validity (Conditions NotOnOrAfter)")
    end = _instant(conditions.not_on_or_after, refused)
    if now >= end + CLOCK_SKEW:
        raise refused(f"the assertion expired at {end:%Y-%m-%d %H:%M:%S} UTC")
    if conditions.not_before:
        begin = _instant(conditions.not_before, refused)
        if now + CLOCK_SKEW < begin:
            raise refused(f"the assertion is not valid before {begin:%Y-%m-%d %H:%M:%S} UTC")
    audiences = [
        str(audience.text).strip()
        for restriction in conditions.audience_restriction
        for audience in restriction.audience
    ]
    if sp.entity_id not in audiences:
        named = ", ".join(a[:200] for a in audiences[:3]) or "none"
        raise refused(f"the assertion is for another audience: {named}")
    if not assertion.id:
        raise refused("the assertion has no id")
    return assertion


def _verified(client: Saml2Client, saml_response: str, request_id: str, refused: Any) -> Any:
    """pysaml2's verified answer: the assertion's signature against the IdP's certificate,
    conditions, recipient and InResponseTo."""
    try:
        verified = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: ""}
        )
    except (SignatureError, SigverError):
        reason = "the assertion's signature does not verify with the IdP's certificate"
        raise refused(reason) from None
    except Exception as error:  # pysaml2 raises bare Exceptions for some failed conditions
        raise refused(f"the answer fails pysaml2's checks ({type(error).__name__})") from None
    if verified is None or verified.assertion is None or verified.name_id is None:
        raise refused("the answer names no user")
    return verified


def _instant(text: str, refused: Any = None) -> datetime:
    """A SAML instant ("2026-12-05T19:49:49Z") as a UTC datetime."""
    try:
        return datetime.fromtimestamp(calendar.timegm(str_to_time(text)), UTC)
    except (ValueError, TypeError, OverflowError):
        if refused is None:
            raise
        raise refused(f"'{str(text)[:40]}' is not a SAML time") from None


def _claims(ava: dict[str, list[str]], name_id: str, group_claim: str) -> sso.Claims:
    """What the verified assertion says of the user: the e-mail from a mail attribute or an
    e-mail NameID; the display name or the given name and surname; the groups attribute."""

    def first(names: tuple[str, ...]) -> str:
        found = [str(ava[n][0]).strip() for n in names if ava.get(n)]
        return found[0] if found else ""

    email = first(EMAIL_ATTRIBUTES) or (name_id if "@" in name_id else "")
    name = first(NAME_ATTRIBUTES) or " ".join(
        part for part in (first(GIVEN_ATTRIBUTES), first(SURNAME_ATTRIBUTES)) if part
    )
    groups = tuple(str(g) for g in ava.get(group_claim, ())) if group_claim else ()
    return sso.Claims(subject=name_id, email=email, name=name[:200], groups=groups)


def _client(
    session: Session,
    *,
    org: OrganizationRow,
    settings: SsoSettingsRow,
    now: datetime,
    base_url: str,
    origin: str,
) -> Saml2Client:
    """pysaml2's service provider for the organisation, with its IdP's metadata."""
    metadata, problem = _idp_metadata(settings, now=now)
    if problem:
        raise sso.refuse(session, org=org, reason=problem, origin=origin)
    try:
        config = _config(addresses(base_url=base_url, slug=org.slug), idp_metadata=metadata)
        return Saml2Client(config=config)
    except Exception as error:  # pysaml2 raises many kinds on bad metadata
        reason = f"the IdP's metadata is not usable ({type(error).__name__})"
        raise sso.refuse(session, org=org, reason=reason, origin=origin) from None


def _idp_metadata(settings: SsoSettingsRow, *, now: datetime) -> tuple[str, str]:
    """The IdP's metadata XML, pasted or read from its URL, and the problem ("" when none).
    Read from a URL, it is kept in the row and read again after a day (for the IdP's
    certificate roll-over); the kept copy serves while the URL fails. The URL must be https
    (the metadata carries the certificate that every signature is checked with), but for
    this machine's own addresses (an IdP beside hoshin, and the tests')."""
    url, kept = settings.saml_idp_metadata_url, settings.saml_idp_metadata
    if not url or (kept and settings.updated_at + METADATA_MAX_AGE > now):
        return kept, "" if kept else "the IdP's metadata is not set"
    if secure_address_problem(url) is not None:
        return kept, "" if kept else f"the IdP's metadata URL must be https: {url[:200]}"
    try:
        answer = httpx.get(url, timeout=FETCH_TIMEOUT, follow_redirects=True)
        answer.raise_for_status()
    except httpx.HTTPError as error:
        problem = f"the IdP's metadata cannot be read from {url[:200]} ({type(error).__name__})"
        return kept, "" if kept else problem
    if len(answer.text) > sso.METADATA_LENGTH:
        too_long = f"the IdP's metadata at {url[:200]} is longer than {sso.METADATA_LENGTH}"
        return kept, "" if kept else too_long
    settings.saml_idp_metadata = answer.text.strip()
    return settings.saml_idp_metadata, ""


def _config(sp: Addresses, *, idp_metadata: str | None) -> SPConfig:
    """pysaml2's configuration of the service provider."""
    config = SPConfig()
    config.load(
        {
            "entityid": sp.entity_id,
            "metadata": {"inline": [idp_metadata]} if idp_metadata else {},
            "accepted_time_diff": int(CLOCK_SKEW.total_seconds()),
            "allow_unknown_attributes": True,
            "delete_tmpfiles": True,
            "service": {
                "sp": {
                    "endpoints": {"assertion_consumer_service": [(sp.acs_url, BINDING_HTTP_POST)]},
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "authn_requests_signed": False,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "allow_unsolicited": False,
                }
            },
        }
    )
    return config

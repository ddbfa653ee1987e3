"""SAML single sign-on (service.saml) against a real IdP (pysaml2's Server, tests/saml_idp.py,
with a key made for the test), on SQLite and PostgreSQL: the round trip, just-in-time
accounts and group roles, and every refusal audited with its reason and never the XML.

pysaml2 checks the assertion's times against the system clock, so these tests pass the real
time as ``now``; hoshin's own checks use ``now`` (a refusal for "expired" is shown by passing
a later one)."""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from hoshin.errors import Forbidden, InvalidInput
from hoshin.service import account, saml, sso
from hoshin.service.sso import SsoSettings
from hoshin.store.account import find_membership
from hoshin.store.audit import list_events
from hoshin.store.organization import OrganizationRow, create_organization
from hoshin.store.sso import SsoSettingsRow
from hoshin.store.user import find_user
from saml_idp import SamlIdp, make_idp

BASE = "https://hoshin.example.test"
SP = saml.addresses(base_url=BASE, slug="acme")
ADA = "ada@example.com"


@pytest.fixture
def idp(tmp_path: Path) -> SamlIdp:
    """An IdP that knows hoshin's acme service provider."""
    metadata = saml.sp_metadata(base_url=BASE, slug="acme")
    return make_idp(tmp_path, sp_metadata=metadata, sp_entity_id=SP.entity_id, acs_url=SP.acs_url)


def make_org(session: Session) -> OrganizationRow:
    """The organisation Acme, committed."""
    org = create_organization(session, slug="acme", name="Acme")
    session.commit()
    return org


def set_up(session: Session, idp: SamlIdp, **changes: Any) -> OrganizationRow:
    """The organisation acme, signing in with the IdP (its metadata pasted), committed."""
    org = make_org(session)
    settings = SsoSettings(protocol="saml", label="Acme SAML", saml_idp_metadata=idp.metadata)
    sso.set_settings(session, org=org, settings=replace(settings, **changes), actor="t", origin="t")
    session.commit()
    return org


def add_ada(session: Session, org: OrganizationRow, role: str = "viewer") -> None:
    """Ada, a member of the organisation."""
    account.add_user(session, email=ADA, password="correct horse", name="A.", actor="t", origin="t")
    account.set_role(session, email=ADA, org_slug=org.slug, role=role, actor="t", origin="t")
    session.commit()


def start(session: Session, org: OrganizationRow, idp: SamlIdp, next_path: str = "") -> str:
    """Starts a sign-in as the page does; the AuthnRequest's id, as the IdP read it."""
    row = sso.get_settings(session, org=org)
    location = saml.start(
        session, org=org, settings=row, next_path=next_path, now=datetime.now(UTC),
        base_url=BASE, origin="198.51.100.4",
    )  # fmt: skip
    session.commit()
    return idp.read_request(location)


def finish(
    session: Session, org: OrganizationRow, answer: str, now: datetime | None = None
) -> tuple[str, str]:
    """Posts the answer as the ACS does (committing, refused or not); (email, next path)."""
    row = sso.get_settings(session, org=org)
    try:
        principal, secret, next_path = saml.finish(
            session, org=org, settings=row, saml_response=answer,
            now=now or datetime.now(UTC), base_url=BASE, origin="198.51.100.4",
        )  # fmt: skip
    finally:
        session.commit()
    assert secret
    return principal.email, next_path


def refusals(session: Session, org: OrganizationRow) -> list[str]:
    """The reasons of the organisation's audited refusals, oldest first."""
    found = list_events(session, org_id=org.id, entity="sso")
    return [str(e.after["reason"]) for e in found if e.change == "refuse" and e.after]


def test_a_member_signs_in_through_the_idp_and_goes_where_they_were_going(
    session: Session, idp: SamlIdp
) -> None:
    org = set_up(session, idp)
    add_ada(session, org)
    request_id = start(session, org, idp, next_path="/orgs/acme/plan")
    assert finish(session, org, idp.answer(request_id)) == (ADA, "/orgs/acme/plan")
    user = find_user(session, email=ADA)
    assert user is not None and user.name == "Ada Lovelace"  # displayName replaces "A."
    (event,) = [e for e in list_events(session, org_id=org.id, entity="sso") if e.user_id]
    assert (event.change, event.actor, event.after) == (
        "sign-in", ADA, {"protocol": "saml", "subject": ADA},
    )  # fmt: skip


def test_a_stranger_gets_an_account_just_in_time_with_the_role_of_their_group(
    session: Session, idp: SamlIdp
) -> None:
    org = set_up(
        session, idp, jit=True, group_claim="groups",
        group_roles={"planners": "editor", "staff": "contributor"},
    )  # fmt: skip
    request_id = start(session, org, idp)
    # No displayName: the name is givenName and sn; of the two groups' roles, the stronger.
    attributes = {"mail": ["bo@example.com"], "givenName": ["Bo"], "sn": ["Berg"],
                  "groups": ["staff", "planners"]}  # fmt: skip
    answer = idp.answer(request_id, email="bo@example.com", attributes=attributes)
    assert finish(session, org, answer) == ("bo@example.com", "")
    user = find_user(session, email="bo@example.com")
    assert user is not None and user.name == "Bo Berg"
    membership = find_membership(session, user_id=user.id, org_id=org.id)
    assert membership is not None and membership.role == "editor"


def test_entra_ids_claim_names_give_the_email_name_and_groups(
    session: Session, idp: SamlIdp
) -> None:
    claims = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
    groups = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
    # Entra ID names groups by their object id; the NameID is a pairwise id, not an address.
    planners = "6f1c1a52-0d5e-4c4e-9a57-3a2b8f0e7d11"
    org = set_up(session, idp, jit=True, group_claim=groups, group_roles={planners: "editor"})
    attributes = {
        claims + "emailaddress": ["cy@example.com"], claims + "givenname": ["Cy"],
        claims + "surname": ["Dale"], groups: [planners],
    }  # fmt: skip
    answer = idp.answer(start(session, org, idp), name_id="AAF3x9_pairwise", attributes=attributes)
    assert finish(session, org, answer)[0] == "cy@example.com"
    user = find_user(session, email="cy@example.com")
    assert user is not None and user.name == "Cy Dale"
    membership = find_membership(session, user_id=user.id, org_id=org.id)
    assert membership is not None and membership.role == "editor"


def test_an_answer_for_one_organisation_does_not_sign_in_to_another(
    session: Session, idp: SamlIdp
) -> None:
    # Both organisations trust the same IdP; the answer to acme's sign-in is for acme's
    # entity id, and beta's is another.
    acme = set_up(session, idp)
    add_ada(session, acme)
    beta = create_organization(session, slug="beta", name="Beta")
    chosen = SsoSettings(protocol="saml", saml_idp_metadata=idp.metadata)
    sso.set_settings(session, org=beta, settings=chosen, actor="t", origin="t")
    account.set_role(session, email=ADA, org_slug="beta", role="viewer", actor="t", origin="t")
    session.commit()
    answer = idp.answer(start(session, acme, idp))
    reason = f"the assertion is for another audience: {SP.entity_id}"
    with pytest.raises(Forbidden, match=re.escape(reason)):
        finish(session, beta, answer)
    assert finish(session, acme, answer)[0] == ADA  # acme's sign-in is still under way


def test_the_email_comes_from_the_name_id_when_no_attribute_gives_it(
    session: Session, idp: SamlIdp
) -> None:
    org = set_up(session, idp)
    add_ada(session, org)
    answer = idp.answer(start(session, org, idp), attributes={"displayName": ["Ada"]})
    assert finish(session, org, answer)[0] == ADA


def test_an_answer_in_lines_of_base64_is_read(session: Session, idp: SamlIdp) -> None:
    org = set_up(session, idp)
    add_ada(session, org)
    answer = idp.answer(start(session, org, idp))
    # MIME's 76 characters a line, as some IdPs send it
    lines = "\r\n".join(answer[i : i + 76] for i in range(0, len(answer), 76))
    assert finish(session, org, lines)[0] == ADA


def test_a_stranger_without_just_in_time_accounts_is_refused(
    session: Session, idp: SamlIdp
) -> None:
    org = set_up(session, idp)
    with pytest.raises(Forbidden, match=r"ada@example\.com is not a member of Acme"):
        finish(session, org, idp.answer(start(session, org, idp)))


GARBAGE = "the SAMLResponse is not a base64-encoded SAML response"
# An entity expansion ("billion laughs", shortened): pysaml2 parses with defusedxml.
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&b;</samlp:Response>'
)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(
            lambda i, r: i.answer(r, signed=False), "the assertion is not signed", id="unsigned"
        ),
        pytest.param(
            lambda i, r: i.answer(r, audience="https://other.example/sp"),
            "the assertion is for another audience: https://other.example/sp",
            id="audience",
        ),
        pytest.param(
            lambda i, r: i.answer(None),
            "this answer does not answer a sign-in hoshin started",
            id="unsolicited",
        ),
        pytest.param(
            lambda i, r: i.answer("id-never-sent"),
            "this answer does not answer a sign-in hoshin started",
            id="unknown-request",
        ),
        pytest.param(lambda i, r: "not base64 at all!", GARBAGE, id="not-base64"),
        pytest.param(lambda i, r: base64.b64encode(b"no XML <").decode(), GARBAGE, id="not-xml"),
        pytest.param(lambda i, r: base64.b64encode(b"<a>XML</a>").decode(), GARBAGE, id="not-saml"),
        pytest.param(lambda i, r: base64.b64encode(BOMB).decode(), GARBAGE, id="entities"),
    ],
)
def test_an_answer_hoshin_cannot_trust_is_refused_and_audited_with_its_reason(
    session: Session, idp: SamlIdp, make: object, reason: str
) -> None:
    org = set_up(session, idp)
    add_ada(session, org)
    answer = make(idp, start(session, org, idp))  # type: ignore[operator]
    with pytest.raises(Forbidden, match=f"single sign-on refused: {reason}") as refused:
        finish(session, org, answer)
    assert "<" not in refused.value.message  # the XML is never repeated
    (said,) = refusals(session, org)
    assert reason in said
    assert find_user(session, email=ADA) is not None and not [
        e for e in list_events(session, org_id=org.id, entity="sso") if e.change == "sign-in"
    ]


def test_an_expired_assertion_is_refused_with_its_end(session: Session, idp: SamlIdp) -> None:
    org = set_up(session, idp)
    add_ada(session, org)
    answer = idp.answer(start(session, org, idp))
    # The IdP's policy gives 15 minutes; with 2 minutes' allowance for clocks, an hour later
    # it expired at its NotOnOrAfter.
    end = saml._checked(saml._read(answer), sp=SP, now=datetime.now(UTC), refused=Forbidden)
    expired_at = saml._instant(end.conditions.not_on_or_after)
    with pytest.raises(Forbidden, match=f"expired at {expired_at:%Y-%m-%d %H:%M:%S} UTC"):
        finish(session, org, answer, now=datetime.now(UTC) + timedelta(hours=1))


def test_an_assertion_made_expired_by_the_idp_is_refused(session: Session, tmp_path: Path) -> None:
    metadata = saml.sp_metadata(base_url=BASE, slug="acme")
    old = make_idp(
        tmp_path, sp_metadata=metadata, sp_entity_id=SP.entity_id, acs_url=SP.acs_url,
        lifetime_minutes=-10,
    )  # fmt: skip
    org = set_up(session, old)
    add_ada(session, org)
    with pytest.raises(Forbidden, match="the assertion expired at "):
        finish(session, org, old.answer(start(session, org, old)))


def test_a_replayed_assertion_is_refused(session: Session, idp: SamlIdp) -> None:
    org = set_up(session, idp)
    add_ada(session, org)
    answer = idp.answer(start(session, org, idp))
    assert finish(session, org, answer)[0] == ADA
    with pytest.raises(Forbidden, match="the assertion was used already"):
        finish(session, org, answer)


def test_an_assertion_signed_with_another_key_is_refused(
    session: Session, idp: SamlIdp, tmp_path: Path
) -> None:
    # An impostor with the IdP's entity id and its own key: hoshin trusts only the
    # certificate in the IdP's metadata, never the one the signature carries.
    folder = tmp_path / "impostor"
    folder.mkdir()
    impostor = make_idp(
        folder,
        sp_metadata=saml.sp_metadata(base_url=BASE, slug="acme"),
        sp_entity_id=SP.entity_id, acs_url=SP.acs_url,
    )  # fmt: skip
    org = set_up(session, idp)
    add_ada(session, org)
    forged = impostor.answer(start(session, org, idp))
    with pytest.raises(Forbidden, match="signature does not verify with the IdP's certificate"):
        finish(session, org, forged)


def test_the_service_provider_metadata_names_its_addresses_and_wants_signed_assertions() -> None:
    xml = saml.sp_metadata(base_url=BASE + "/", slug="acme")
    assert f'entityID="{BASE}/sso/acme/saml/metadata"' in xml
    assert f'Location="{BASE}/sso/acme/saml/acs"' in xml
    assert 'WantAssertionsSigned="true"' in xml and 'AuthnRequestsSigned="false"' in xml
    assert "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" in xml
    assert "KeyDescriptor" not in xml  # no key of its own


@pytest.fixture
def metadata_server(idp: SamlIdp) -> Iterator[tuple[str, list[int]]]:
    """The IdP's metadata served over HTTP; its URL and the number of times it was read."""
    reads: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reads.append(1)
            body = idp.metadata.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/samlmetadata+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/metadata", reads
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_metadata_from_a_url_is_read_once_and_kept(
    session: Session, idp: SamlIdp, metadata_server: tuple[str, list[int]]
) -> None:
    url, reads = metadata_server
    org = set_up(session, idp, saml_idp_metadata="", saml_idp_metadata_url=url)
    add_ada(session, org)
    answer = idp.answer(start(session, org, idp))
    assert finish(session, org, answer)[0] == ADA
    # Read at the start, kept in the row (updated now), used again by the answer.
    assert len(reads) == 1
    assert sso.get_settings(session, org=org).saml_idp_metadata == idp.metadata.strip()


def test_an_unreachable_metadata_url_refuses_the_sign_in(session: Session, idp: SamlIdp) -> None:
    url = "http://127.0.0.1:9/metadata"  # the discard port: nothing answers
    org = set_up(session, idp, saml_idp_metadata="", saml_idp_metadata_url=url)
    reason = f"the IdP's metadata cannot be read from {url} (ConnectError)"
    with pytest.raises(Forbidden, match=re.escape(reason)):
        start(session, org, idp)
    session.commit()
    assert refusals(session, org) == [reason]


def test_a_metadata_url_must_be_https_but_on_this_machine(session: Session, idp: SamlIdp) -> None:
    # The metadata carries the certificate that signatures are checked with: over plain
    # http, anyone on the way could swap it.
    # The settings refuse it; a row stored before that rule is refused at the sign-in.
    url = "http://idp.example.test/metadata"
    org = set_up(session, idp)
    with pytest.raises(InvalidInput, match=re.escape(f"'{url}' is not an https address")):
        changed = SsoSettings(protocol="saml", saml_idp_metadata_url=url)
        sso.set_settings(session, org=org, settings=changed, actor="t", origin="t")
    session.rollback()
    session.execute(
        update(SsoSettingsRow).where(SsoSettingsRow.org_id == org.id).values(
            saml_idp_metadata="", saml_idp_metadata_url=url)
    )  # fmt: skip
    session.commit()
    with pytest.raises(Forbidden, match=f"the IdP's metadata URL must be https: {url}"):
        start(session, org, idp)

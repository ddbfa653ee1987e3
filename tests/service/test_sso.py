"""Single sign-on's settings, sign-ins under way and addresses (service.sso), on SQLite and
PostgreSQL: every change audited without the secret, every rule's message naming its field."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hoshin.errors import InvalidInput, NotFound
from hoshin.runtime.engine import session_factory
from hoshin.service import sso
from hoshin.service import sso_requests as pending
from hoshin.service.sso import SsoSettings
from hoshin.store.audit import list_events
from hoshin.store.organization import OrganizationRow, create_organization

NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
SECRET = "s3cret-of-the-client"
OIDC = SsoSettings(
    protocol="oidc", label="Acme Login", email_domains=("@Acme.ORG ", "acme.example"),
    oidc_issuer=" https://login.acme.org/realms/acme/ ", client_id="hoshin",
    client_secret=SECRET, jit=True, jit_role="contributor", group_claim="groups",
    group_roles={"planners": "editor"}, group_units={"sales": "sales"},
)  # fmt: skip
METADATA = "<EntityDescriptor entityID='https://idp.acme.org'/>"
SAML = SsoSettings(protocol="saml", saml_idp_metadata=METADATA, email_domains=("acme.org",))


def make_org(session: Session, slug: str = "acme") -> OrganizationRow:
    """A committed, empty organisation."""
    org = create_organization(session, slug=slug, name=slug.title())
    session.commit()
    return org


def put(session: Session, org: OrganizationRow, settings: SsoSettings) -> None:
    """Sets the organisation's provider and commits, as a door would."""
    sso.set_settings(session, org=org, settings=settings, actor="cli:ops", origin="cli")
    session.commit()


def events(session: Session, org: OrganizationRow) -> list[tuple[str, str]]:
    """The organisation's sso events: (actor, change), oldest first."""
    return [(e.actor, e.change) for e in list_events(session, org_id=org.id, entity="sso")]


def test_settings_are_set_normalised_shown_without_the_secret_and_audited(
    session: Session,
) -> None:
    org = make_org(session)
    put(session, org, OIDC)
    row = sso.get_settings(session, org=org)
    # "@Acme.ORG " -> "acme.org": stripped, lower-case, without the @; the issuer without
    # its spaces and trailing slash (its discovery document is {issuer}/.well-known/...).
    assert row.email_domains == ["acme.org", "acme.example"]
    assert row.oidc_issuer == "https://login.acme.org/realms/acme"
    assert row.oidc_client_secret == SECRET
    view = sso.settings_view(row, org)
    assert view == {
        "organization": "acme", "protocol": "oidc", "label": "Acme Login",
        "email_domains": ["acme.org", "acme.example"],
        "oidc_issuer": "https://login.acme.org/realms/acme", "client_id": "hoshin",
        "client_secret_set": True, "saml_idp_metadata_url": "", "saml_idp_metadata_set": False,
        "jit": True, "jit_role": "contributor", "group_claim": "groups",
        "group_roles": {"planners": "editor"}, "group_units": {"sales": "sales"},
        "password_sign_in": True,
    }  # fmt: skip
    (event,) = list_events(session, org_id=org.id, entity="sso")
    assert (event.actor, event.change, event.key, event.origin) == (
        "cli:ops",
        "create",
        "acme",
        "cli",
    )
    assert event.before is None
    assert event.after == {**view, "client_secret_changed": True}
    assert SECRET not in repr(event.after) and SECRET not in repr(OIDC)


def test_a_second_set_replaces_all_but_a_secret_left_out(session: Session) -> None:
    org = make_org(session)
    put(session, org, OIDC)
    # The secret left out (None) is kept; everything else is what this set says.
    put(session, org, SsoSettings(protocol="oidc", oidc_issuer="https://login.acme.org/realms/acme",
                                  client_id="hoshin-2", password_sign_in=False))  # fmt: skip
    row = sso.get_settings(session, org=org)
    assert (row.oidc_client_secret, row.oidc_client_id, row.jit, row.group_roles, row.label) == (
        SECRET,
        "hoshin-2",
        False,
        {},
        "",
    )
    assert org.password_sign_in is False
    update = list_events(session, org_id=org.id, entity="sso")[-1]
    assert update.change == "update" and update.after is not None and update.before is not None
    assert update.after["client_secret_changed"] is False
    assert (update.before["client_id"], update.after["client_id"]) == ("hoshin", "hoshin-2")
    assert (update.before["password_sign_in"], update.after["password_sign_in"]) == (True, False)
    # The same settings again change nothing and write no event; a new secret alone does.
    put(session, org, SsoSettings(protocol="oidc", oidc_issuer="https://login.acme.org/realms/acme",
                                  client_id="hoshin-2", password_sign_in=False))  # fmt: skip
    assert len(events(session, org)) == 2
    put(session, org, SsoSettings(protocol="oidc", oidc_issuer="https://login.acme.org/realms/acme",
                                  client_id="hoshin-2", client_secret="another secret",
                                  password_sign_in=False))  # fmt: skip
    last = list_events(session, org_id=org.id, entity="sso")[-1]
    assert last.after is not None and last.after["client_secret_changed"] is True
    assert "another secret" not in repr(last.after) + repr(last.before)


def test_switching_to_saml_forgets_the_oidc_secret_and_discovery(session: Session) -> None:
    org = make_org(session)
    put(session, org, OIDC)
    row = sso.get_settings(session, org=org)
    row.oidc_metadata = {"issuer": "https://login.acme.org/realms/acme"}  # as discovery saves it
    session.commit()
    put(session, org, SAML)
    row = sso.get_settings(session, org=org)
    assert (row.protocol, row.oidc_issuer, row.oidc_client_id, row.oidc_client_secret) == (
        "saml",
        "",
        "",
        "",
    )
    assert row.oidc_metadata == {} and row.saml_idp_metadata == METADATA
    view = sso.settings_view(row, org)
    assert (view["client_secret_set"], view["saml_idp_metadata_set"]) == (False, True)


def test_removing_lets_passwords_in_again_and_is_audited(session: Session) -> None:
    org = make_org(session)
    put(session, org, replace(SAML, password_sign_in=False))
    assert org.password_sign_in is False
    sso.remove_settings(session, org=org, actor="cli:ops", origin="cli")
    session.commit()
    assert sso.find_settings(session, org=org) is None and org.password_sign_in is True
    assert events(session, org) == [("cli:ops", "create"), ("cli:ops", "delete")]
    removed = list_events(session, org_id=org.id, entity="sso")[-1]
    assert removed.before is not None and removed.before["protocol"] == "saml"
    assert removed.after is None
    with pytest.raises(NotFound, match=r"^acme has no single sign-on$"):
        sso.remove_settings(session, org=org, actor="cli:ops", origin="cli")
    with pytest.raises(NotFound, match=r"^acme has no single sign-on$"):
        sso.get_settings(session, org=org)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"protocol": "ldap"}, "protocol: 'ldap' is not one of oidc or saml"),
        ({"jit_role": "admin"}, "jit_role: use editor, contributor or viewer"),
        ({"jit_role": "boss"}, "jit_role: use editor, contributor or viewer"),
        ({"group_roles": {"ops": "boss"}}, "group_roles: 'boss' for group 'ops' is not a role"),
        ({"group_roles": {"x" * 301: "viewer"}}, "group_roles: "),
        ({"group_units": {"sales": "no such id!"}}, "group_units: "),
        ({"oidc_issuer": "ftp://login.acme.org"}, "oidc_issuer: 'ftp://login.acme.org' is not"),
        (
            {"oidc_issuer": "https://"},
            "oidc_issuer: 'https://' is not an https address (http only on this machine)",
        ),
        ({"oidc_issuer": "https://a.org/" + "x" * 2000}, "oidc_issuer: "),
        ({"client_id": ""}, "client_id: an OpenID Connect provider needs the client id"),
        ({"client_secret": None}, "client_secret: an OpenID Connect provider needs the client"),
        ({"label": "x" * 301}, "label: "),
        ({"label": "Acme\x07"}, "label: "),
        ({"group_claim": "x" * 301}, "group_claim: "),
        ({"email_domains": ("acme",)}, "email_domains: 'acme' is not an e-mail domain"),
        ({"email_domains": ("",)}, "email_domains: '' is not an e-mail domain"),
        ({"email_domains": ("a@b.org",)}, "email_domains: 'a@b.org' is not an e-mail domain"),
    ],
)
def test_each_rule_names_its_field(session: Session, change: dict[str, Any], message: str) -> None:
    org = make_org(session)
    with pytest.raises(InvalidInput) as refused:
        sso.set_settings(
            session,
            org=org,
            settings=replace(OIDC, **change),
            actor="cli:ops",
            origin="cli",
        )
    assert refused.value.message.startswith(message), refused.value.message
    field = message.partition(":")[0]
    assert refused.value.detail == [
        {"field": field, "reason": refused.value.message.partition(": ")[2]}
    ]
    session.rollback()
    assert sso.find_settings(session, org=org) is None and events(session, org) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"saml_idp_metadata": ""}, "saml_idp_metadata: give the IdP's metadata (a file or a URL)"),
        ({"saml_idp_metadata": "<x/>" * 250_001}, "saml_idp_metadata: longer than 1000000"),
        ({"saml_idp_metadata_url": "file:///etc/passwd"}, "saml_idp_metadata_url: 'file:///etc"),
    ],
)
def test_saml_rules_name_their_field(
    session: Session, change: dict[str, Any], message: str
) -> None:
    org = make_org(session)
    with pytest.raises(InvalidInput) as refused:
        sso.set_settings(session, org=org, settings=replace(SAML, **change), actor="t", origin="t")
    assert refused.value.message.startswith(message)


def test_a_refused_oidc_setting_leaves_no_row_behind(session: Session) -> None:
    """A door that commits after showing the problem must not keep a half-made provider."""
    org = make_org(session)
    with pytest.raises(InvalidInput, match=r"^client_secret: "):
        sso.set_settings(session, org=org, settings=replace(OIDC, client_secret=None),
                         actor="t", origin="t")  # fmt: skip
    session.commit()
    assert sso.find_settings(session, org=org) is None
    assert sso.provider_for(session, slug="acme") is None


def test_the_provider_is_found_by_domain_or_slug(session: Session) -> None:
    acme, beta = make_org(session), make_org(session, "beta")
    make_org(session, "gamma")  # signs in with passwords
    put(session, acme, OIDC)
    put(session, beta, replace(SAML, email_domains=("beta.example",)))
    found = sso.provider_for(session, email=" Ana@ACME.org ")
    assert found is not None and (found[0].slug, found[1].protocol) == ("acme", "oidc")
    found = sso.provider_for(session, email="bo@beta.example")
    assert found is not None and found[0].slug == "beta"
    found = sso.provider_for(session, slug="beta")
    assert found is not None and found[1].protocol == "saml"
    assert sso.provider_for(session, email="cy@other.example") is None
    assert sso.provider_for(session, email="cy@sub.acme.org") is None  # no sub-domains
    assert sso.provider_for(session, slug="gamma") is None
    assert sso.provider_for(session, slug="nobody") is None
    assert sso.provider_for(session) is None


def test_a_domain_belongs_to_one_organisation(session: Session) -> None:
    """Another organisation's admin may not send acme's people to their own provider."""
    acme, rogue = make_org(session), make_org(session, "aaa")
    put(session, acme, OIDC)
    with pytest.raises(InvalidInput, match=r"^email_domains: acme\.org is acme's already$"):
        put(session, rogue, replace(SAML, email_domains=("ACME.org",)))
    session.rollback()
    found = sso.provider_for(session, email="ana@acme.org")
    assert found is not None and found[0].slug == "acme"
    put(session, acme, OIDC)  # setting one's own domains again is no conflict


def test_a_request_is_answered_once_and_before_it_expires(session: Session) -> None:
    org = make_org(session)
    row = pending.begin_request(session, org=org, kind="oidc", key="state-1", now=NOON, nonce="n1",
                                verifier="v1", next_path="/orgs/acme/review")  # fmt: skip
    # Only the key's SHA-256 is stored; the request lives REQUEST_LIFETIME (10 minutes).
    assert row.key_hash == hashlib.sha256(b"state-1").hexdigest()
    assert row.expires_at == NOON + timedelta(minutes=10)
    session.commit()
    assert pending.was_used(session, kind="oidc", key="state-1")
    assert not pending.was_used(session, kind="saml", key="state-1")  # another kind
    taken = pending.take_request(
        session, kind="oidc", key="state-1", now=NOON + timedelta(minutes=9)
    )
    assert taken is not None and (taken.nonce, taken.verifier, taken.next_path) == (
        "n1",
        "v1",
        "/orgs/acme/review",
    )
    session.commit()
    assert pending.take_request(session, kind="oidc", key="state-1", now=NOON) is None  # replayed
    assert not pending.was_used(session, kind="oidc", key="state-1")
    assert pending.take_request(session, kind="oidc", key="never-sent", now=NOON) is None


def test_a_request_is_refused_at_its_expiry_and_dropped_later(session: Session) -> None:
    org = make_org(session)
    pending.begin_request(session, org=org, kind="oidc", key="late", now=NOON)
    pending.begin_request(
        session, org=org, kind="oidc", key="later", now=NOON, next_path="//evil.example"
    )
    session.commit()
    # now == expires_at (12:10): expired, and the take removed it all the same.
    assert (
        pending.take_request(session, kind="oidc", key="late", now=NOON + timedelta(minutes=10))
        is None
    )
    assert not pending.was_used(session, kind="oidc", key="late")
    # "later" expired too; the next request drops it, and its next_path was made safe.
    assert pending.was_used(session, kind="oidc", key="later")
    pending.begin_request(
        session, org=org, kind="oidc", key="next", now=NOON + timedelta(minutes=10)
    )
    assert not pending.was_used(session, kind="oidc", key="later")


def test_a_request_taken_twice_at_once_is_answered_once(
    session: Session, engine: Engine, backend: str
) -> None:
    """Two callbacks with one state (a replay racing the real one): the second waits for the
    first's delete (PostgreSQL's row lock, SQLite's writers' turn), then finds it gone."""
    org = make_org(session)
    pending.begin_request(session, org=org, kind="oidc", key="raced", now=NOON)
    session.commit()
    assert pending.take_request(session, kind="oidc", key="raced", now=NOON) is not None
    second: list[object] = []

    def take() -> None:
        try:
            with session_factory(engine)() as other:
                second.append(pending.take_request(other, kind="oidc", key="raced", now=NOON))
                other.commit()
        except OperationalError:  # SQLite: the first take's commit made its reading stale
            second.append("busy")

    racer = threading.Thread(target=take)
    racer.start()
    racer.join(timeout=1.0)  # it read the request, and waits for the first take's delete
    session.commit()
    racer.join(timeout=30.0)
    assert second == [None] or (backend == "sqlite" and second == ["busy"])


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("/orgs/acme/", "/orgs/acme/"),
        ("/orgs/acme/objectives?year=2026#top", "/orgs/acme/objectives?year=2026#top"),
        ("//evil.example", ""),
        ("https://evil", ""),
        ("\\\\evil", ""),
        ("/\\evil", ""),
        ("/\t/evil.example", ""),  # browsers drop tabs and line breaks: //evil.example
        ("/\n/evil.example", ""),
        ("/orgs\r\nSet-Cookie: x=1", ""),
        ("orgs/acme", ""),
        ("", ""),
        ("/" + "a" * 499, "/" + "a" * 499),  # 500 characters
        ("/" + "a" * 500, ""),  # 501
    ],
)
def test_safe_next_keeps_paths_of_this_server_only(path: str, safe: str) -> None:
    assert pending.safe_next(path) == safe


def test_random_secrets_differ_and_are_long() -> None:
    secrets = {pending.random_secret() for _ in range(100)}
    assert len(secrets) == 100 and all(len(s) == 43 for s in secrets)  # 32 bytes, base64url


def test_end_session_url_only_for_an_oidc_provider_that_has_one(session: Session) -> None:
    acme, beta, gamma = make_org(session), make_org(session, "beta"), make_org(session, "gamma")
    put(session, acme, OIDC)
    put(session, beta, replace(SAML, email_domains=()))
    base = "https://hoshin.acme.org/"
    assert sso.end_session_url(session, org_id=acme.id, base_url=base) is None  # not discovered
    assert sso.end_session_url(session, org_id=beta.id, base_url=base) is None  # SAML
    assert sso.end_session_url(session, org_id=gamma.id, base_url=base) is None  # no provider
    row = sso.get_settings(session, org=acme)
    row.oidc_metadata = {"end_session_endpoint": "https://login.acme.org/logout"}
    session.commit()
    assert sso.end_session_url(session, org_id=acme.id, base_url=base) == (
        "https://login.acme.org/logout?client_id=hoshin"
        "&post_logout_redirect_uri=https%3A%2F%2Fhoshin.acme.org%2Fsignin"
    )
    row.oidc_metadata = {"end_session_endpoint": "https://login.acme.org/logout?tenant=7"}
    session.commit()
    url = sso.end_session_url(session, org_id=acme.id, base_url=base)
    assert url is not None and url.startswith("https://login.acme.org/logout?tenant=7&client_id=")

"""A provider's word becomes a hoshin session (service.sso.sign_in), on SQLite and
PostgreSQL: members, just-in-time accounts, group roles, audited refusals; and which
sessions an organisation without password sign-in lets in (account.check_sign_in_method)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hoshin.errors import Forbidden
from hoshin.service import account, sso
from hoshin.service.account import Principal
from hoshin.service.sso import Claims, SsoSettings
from hoshin.store.account import find_membership
from hoshin.store.audit import events_after, list_events
from hoshin.store.organization import OrganizationRow, create_organization
from hoshin.store.user import SessionRow, find_user

pytestmark = pytest.mark.usefixtures("cheap_hashing")
NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse"
SAML = SsoSettings(protocol="saml", saml_idp_metadata="<EntityDescriptor/>")
ANA = Claims(subject="sub-ana", email="Ana@Acme.org", name="Ana Lima")


def make_org(session: Session, slug: str = "acme", settings: SsoSettings = SAML) -> OrganizationRow:
    """A committed organisation whose provider has these settings."""
    org = create_organization(session, slug=slug, name=slug.title())
    sso.set_settings(session, org=org, settings=settings, actor="t", origin="t")
    session.commit()
    return org


def add_member(session: Session, org: OrganizationRow, email: str, role: str) -> None:
    """A committed user with a password, and this role in ``org``."""
    if find_user(session, email=email) is None:
        account.add_user(session, email=email, password=PASSWORD, actor="t", origin="t")
    account.set_role(session, email=email, org_slug=org.slug, role=role, actor="t", origin="t")
    session.commit()


def signed_in(
    session: Session, org: OrganizationRow, claims: Claims = ANA
) -> tuple[Principal, str]:
    """sign_in with the organisation's stored settings, committed."""
    row = sso.get_settings(session, org=org)
    answer = sso.sign_in(session, org=org, settings=row, claims=claims, now=NOON, origin="10.0.0.1")
    session.commit()
    return answer


def refused(session: Session, org: OrganizationRow, claims: Claims = ANA) -> str:
    """The message of a refused sign_in; the refusal's audit event committed, as doors do."""
    row = sso.get_settings(session, org=org)
    with pytest.raises(Forbidden) as refusal:
        sso.sign_in(session, org=org, settings=row, claims=claims, now=NOON, origin="10.0.0.1")
    session.commit()
    return refusal.value.message


def sso_events(session: Session, org: OrganizationRow) -> list[tuple[str, str, object]]:
    """The organisation's sso events but its settings': (actor, change, after)."""
    return [
        (e.actor, e.change, e.after)
        for e in list_events(session, org_id=org.id, entity="sso")
        if e.change in ("sign-in", "refuse")
    ]


def role_of(session: Session, org: OrganizationRow, email: str) -> str | None:
    """The user's role in ``org``, or None."""
    user = find_user(session, email=email)
    member = None if user is None else find_membership(session, user_id=user.id, org_id=org.id)
    return None if member is None else member.role


def test_a_member_signs_in_with_a_session_of_the_provider(session: Session) -> None:
    org = make_org(session)
    add_member(session, org, "ana@acme.org", "editor")
    principal, secret = signed_in(session, org)
    assert (principal.email, principal.by_session, principal.sso_org_id) == (
        "ana@acme.org", True, org.id,
    )  # fmt: skip
    stored = session.scalars(
        select(SessionRow).where(
            SessionRow.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        )
    ).one()
    assert stored.sso_org_id == org.id and stored.user_id == principal.user_id
    again = account.session_principal(session, secret=secret, now=NOON)
    assert again is not None and again.sso_org_id == org.id
    assert role_of(session, org, "ana@acme.org") == "editor"  # no group gave a role: kept
    assert find_user(session, email="ana@acme.org").name == "Ana Lima"  # type: ignore[union-attr]
    assert sso_events(session, org) == [
        ("ana@acme.org", "sign-in", {"protocol": "saml", "subject": "sub-ana"})
    ]


def test_a_stranger_is_refused_without_just_in_time_accounts(session: Session) -> None:
    org = make_org(session)
    reason = "bo@acme.org is not a member of Acme; ask an admin to invite them"
    assert refused(session, org, Claims("sub-bo", "bo@acme.org")) == (
        f"single sign-on refused: {reason}"
    )
    assert sso_events(session, org) == [("sso:acme", "refuse", {"reason": reason})]
    assert find_user(session, email="bo@acme.org") is None
    # A member of another organisation is a stranger here too.
    other = make_org(session, "beta")
    add_member(session, other, "cy@beta.example", "admin")
    assert "cy@beta.example is not a member of Acme" in refused(
        session, org, Claims("sub-cy", "cy@beta.example")
    )


def test_just_in_time_makes_a_member_who_has_no_password(session: Session) -> None:
    org = make_org(session, settings=replace(SAML, jit=True, jit_role="contributor"))
    principal, _ = signed_in(session, org, Claims("sub-bo", "Bo@Acme.org", "Bo Berg"))
    assert (principal.email, principal.name) == ("bo@acme.org", "Bo Berg")
    assert role_of(session, org, "bo@acme.org") == "contributor"
    member_events = list_events(session, org_id=org.id, entity="member")
    assert [(e.actor, e.change, e.key) for e in member_events] == [
        ("sso:acme", "create", "bo@acme.org")
    ]
    # No usable password ("!sso" is no hash): a password sign-in reads like a wrong one.
    for password in (PASSWORD, "!sso", ""):
        with pytest.raises(Forbidden, match=r"^wrong email or password$"):
            account.sign_in(
                session, email="bo@acme.org", password=password, now=NOON, client="10.0.0.2"
            )
        session.rollback()
    # The second sign-in finds the member made by the first.
    assert signed_in(session, org, Claims("sub-bo", "bo@acme.org"))[0].user_id == principal.user_id


@pytest.mark.parametrize(
    ("group_roles", "groups", "role"),
    [
        ({"a": "viewer", "b": "editor"}, ("a", "b"), "editor"),  # the strongest of the two
        ({"a": "viewer", "b": "editor"}, ("b", "a"), "editor"),  # whatever their order
        ({"a": "admin", "b": "viewer"}, ("b", "a"), "admin"),
        ({"a": "viewer"}, ("c",), None),  # no group of the map
        ({"a": "viewer"}, (), None),
        ({"a": "boss"}, ("a",), None),  # not a role: ignored
    ],
)
def test_group_role_is_the_strongest_given(
    group_roles: dict[str, str], groups: tuple[str, ...], role: str | None
) -> None:
    assert sso.group_role(group_roles, groups) == role


def test_groups_set_the_role_of_new_and_existing_members(session: Session) -> None:
    roles = {"planners": "editor", "staff": "viewer"}
    org = make_org(session, settings=replace(SAML, jit=True, group_roles=roles))
    signed_in(session, org, Claims("sub-bo", "bo@acme.org", groups=("staff", "planners")))
    assert role_of(session, org, "bo@acme.org") == "editor"  # not jit_role viewer
    add_member(session, org, "ana@acme.org", "editor")
    signed_in(session, org, replace(ANA, groups=("staff",)))
    assert role_of(session, org, "ana@acme.org") == "viewer"  # the directory decides
    signed_in(session, org, replace(ANA, groups=("unmapped",)))
    assert role_of(session, org, "ana@acme.org") == "viewer"  # no mapped group: kept


def test_disabled_accounts_deactivated_members_and_bad_addresses_are_refused(
    session: Session,
) -> None:
    org = make_org(session, settings=replace(SAML, jit=True))
    add_member(session, org, "ana@acme.org", "editor")
    user = find_user(session, email="ana@acme.org")
    assert user is not None
    user.active = False
    session.commit()
    assert refused(session, org) == "single sign-on refused: the account ana@acme.org is disabled"
    user.active = True
    membership = find_membership(session, user_id=user.id, org_id=org.id)
    assert membership is not None
    membership.active = False
    session.commit()
    # Even with just-in-time accounts: the directory deactivated them, a sign-in may not undo it.
    assert refused(session, org) == (
        "single sign-on refused: ana@acme.org was deactivated by the directory"
    )
    for email in ("", "not-an-address", "ana@acme", "a b@acme.org"):
        assert refused(session, org, Claims("sub-x", email)) == (
            "single sign-on refused: the provider sent no valid e-mail address for this user"
        )
    reasons = [after for _, change, after in sso_events(session, org) if change == "refuse"]
    assert len(reasons) == 6
    assert session.scalars(select(SessionRow)).all() == []


# check_sign_in_method: an organisation with password_sign_in False lets in its admins (any
# session: break-glass), sessions of its own provider, and API tokens; nothing else.
MATRIX = [
    # role, how the principal came, allowed
    ("admin", "password", True),
    ("admin", "this provider", True),
    ("admin", "another provider", True),
    ("admin", "API token", True),
    ("editor", "password", False),
    ("editor", "this provider", True),
    ("editor", "another provider", False),
    ("editor", "API token", True),
]


@pytest.mark.parametrize(("role", "how", "allowed"), MATRIX)
def test_who_gets_in_when_passwords_are_off(
    session: Session, role: str, how: str, allowed: bool
) -> None:
    org = make_org(session, settings=replace(SAML, password_sign_in=False))
    other = make_org(session, "beta")
    sso_org = {"password": None, "this provider": org.id, "another provider": other.id}
    principal = Principal(
        1, "ana@acme.org", "Ana", None, by_session=how != "API token", sso_org_id=sso_org.get(how)
    )
    if allowed:
        account.check_sign_in_method(principal, org, role)
    else:
        with pytest.raises(Forbidden) as refusal:
            account.check_sign_in_method(principal, org, role)
        assert refusal.value.message == (
            "Acme signs its members in through its identity provider: sign out, then sign in "
            "with single sign-on"
        )
    # With passwords on, every one of them gets in.
    org.password_sign_in = True
    account.check_sign_in_method(principal, org, role)


def test_the_providers_name_is_taken_when_fit_and_its_change_audited(session: Session) -> None:
    """A name hoshin cannot keep (a control character, 301 characters) is no reason to refuse
    the sign-in: it is left out. A name the provider changed is an audited change."""
    org = make_org(session, settings=replace(SAML, jit=True))
    signed_in(session, org, Claims("sub-bo", "bo@acme.org", "Bo\x07 Berg"))
    assert find_user(session, email="bo@acme.org").name == ""  # type: ignore[union-attr]
    add_member(session, org, "ana@acme.org", "editor")
    signed_in(session, org, replace(ANA, name="A" * 301))
    assert find_user(session, email="ana@acme.org").name == ""  # type: ignore[union-attr]
    signed_in(session, org, replace(ANA, name=" Ana Lima "))
    signed_in(session, org, replace(ANA, name="Ana Lima"))  # the same: no event
    updates = [
        (e.actor, e.key, e.before, e.after)
        for e in events_after(session, org_id=None, since=None, after_id=0, limit=100)
        if (e.entity, e.change) == ("user", "update")
    ]
    assert updates == [
        ("sso:acme", "ana@acme.org", {"name": ""}, {"name": "Ana Lima"}),
    ]


def test_groups_never_demote_the_last_admin(session: Session) -> None:
    # Ana is acme's only admin and her provider puts her in "staff" (viewer): she stays
    # admin, or with passwords off no one could get in when the provider is down. Once Ben
    # is an admin too, the same sign-in makes her a viewer.
    settings = replace(SAML, group_roles={"staff": "viewer"})
    org = make_org(session, settings=settings)
    add_member(session, org, "ana@acme.org", "admin")
    staff = replace(ANA, groups=("staff",))
    signed_in(session, org, staff)
    assert role_of(session, org, "ana@acme.org") == "admin"
    add_member(session, org, "ben@acme.org", "admin")
    signed_in(session, org, staff)
    assert role_of(session, org, "ana@acme.org") == "viewer"

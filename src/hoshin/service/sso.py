"""Single sign-on, whatever the protocol: each organisation's identity provider settings
(set, shown, removed, every change audited), which provider an e-mail address or slug signs
in with, the sign-ins under way, and the one way a provider's word about a user becomes a
hoshin session (service.oidc and service.saml check the word; this module acts on it).

The client secret is kept to redeem codes and never shown, nor written to the audit trail.
Nothing here commits or reads the clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from hoshin.domain.text import text_problem
from hoshin.errors import Forbidden, InvalidInput, NotFound
from hoshin.fields import checked_text, secure_address_problem
from hoshin.service import account
from hoshin.service.account import Principal, check_email
from hoshin.service.member import is_last_admin
from hoshin.service.policy import ADMIN, LEAST, ROLES
from hoshin.store import sso as store
from hoshin.store.account import find_membership
from hoshin.store.audit import record_event
from hoshin.store.organization import OrganizationRow
from hoshin.store.sso import SsoSettingsRow
from hoshin.store.user import MembershipRow, UserRow, find_user

_log = logging.getLogger("hoshin")
Protocol = Literal["oidc", "saml"]
PROTOCOLS: Final[tuple[Protocol, ...]] = ("oidc", "saml")
URL_LENGTH: Final = 2000
METADATA_LENGTH: Final = 1_000_000  # an IdP's SAML metadata, signing certificates included
# Who is stronger, for roles given by several groups: the first of ROLES that any gives.
_RANK: Final[dict[str, int]] = {role: rank for rank, role in enumerate(ROLES)}


@dataclass(frozen=True)
class SsoSettings:
    """What an admin sets for an organisation's identity provider (no secret in ``repr``).
    ``client_secret`` None keeps the one stored."""

    protocol: Protocol
    label: str = ""
    email_domains: tuple[str, ...] = ()
    oidc_issuer: str = ""
    client_id: str = ""
    client_secret: str | None = field(default=None, repr=False)
    saml_idp_metadata: str = ""
    saml_idp_metadata_url: str = ""
    jit: bool = False
    jit_role: str = LEAST
    group_claim: str = ""
    group_roles: dict[str, str] = field(default_factory=dict)
    group_units: dict[str, str] = field(default_factory=dict)
    password_sign_in: bool = True


@dataclass(frozen=True)
class Claims:
    """What a provider says about the user who signed in, once its signature and conditions
    were checked: their e-mail, name and groups, and its own id of them (``subject``)."""

    subject: str
    email: str
    name: str = ""
    groups: tuple[str, ...] = ()


def settings_view(row: SsoSettingsRow, org: OrganizationRow) -> dict[str, Any]:
    """The settings as the doors show them: every field but the secret, which is only said
    to be set or not."""
    return {
        "organization": org.slug,
        "protocol": row.protocol,
        "label": row.label,
        "email_domains": list(row.email_domains),
        "oidc_issuer": row.oidc_issuer,
        "client_id": row.oidc_client_id,
        "client_secret_set": bool(row.oidc_client_secret),
        "saml_idp_metadata_url": row.saml_idp_metadata_url,
        "saml_idp_metadata_set": bool(row.saml_idp_metadata),
        "jit": row.jit,
        "jit_role": row.jit_role,
        "group_claim": row.group_claim,
        "group_roles": dict(row.group_roles),
        "group_units": dict(row.group_units),
        "password_sign_in": org.password_sign_in,
    }


def find_settings(session: Session, *, org: OrganizationRow) -> SsoSettingsRow | None:
    """The organisation's identity provider settings, or None."""
    return store.find_settings(session, org_id=org.id)


def get_settings(session: Session, *, org: OrganizationRow) -> SsoSettingsRow:
    """The organisation's identity provider settings; NotFound when it has none."""
    row = find_settings(session, org=org)
    if row is None:
        raise NotFound(f"{org.slug} has no single sign-on")
    return row


def set_settings(
    session: Session,
    *,
    org: OrganizationRow,
    settings: SsoSettings,
    actor: str,
    origin: str | None,
    actor_id: int | None = None,
) -> SsoSettingsRow:
    """Creates or replaces the organisation's identity provider settings, with an audit
    event (the secret only said to be set); InvalidInput names the first wrong field."""
    checked = _checked(settings)
    _check_domains_free(session, org, checked.email_domains)
    row = find_settings(session, org=org)
    before = None if row is None else settings_view(row, org)
    # Checked before a new row joins the session: a door that commits after showing the
    # problem would otherwise keep a half-made provider.
    stored_secret = "" if row is None else row.oidc_client_secret
    if checked.client_secret is None and checked.protocol == "oidc" and not stored_secret:
        raise _invalid("client_secret", "an OpenID Connect provider needs the client secret")
    if row is None:
        row = SsoSettingsRow(org_id=org.id, protocol=checked.protocol)
        session.add(row)
    _apply(row, checked)
    org.password_sign_in = checked.password_sign_in
    session.flush()
    after = settings_view(row, org)
    if after != before or checked.client_secret is not None:
        record_event(
            session, org_id=org.id, actor=actor, entity="sso", key=org.slug,
            change="create" if before is None else "update", before=before,
            after={**after, "client_secret_changed": checked.client_secret is not None},
            user_id=actor_id, origin=origin,
        )  # fmt: skip
    return row


def remove_settings(
    session: Session,
    *,
    org: OrganizationRow,
    actor: str,
    origin: str | None,
    actor_id: int | None = None,
) -> None:
    """Removes the organisation's identity provider (passwords sign in again), with an audit
    event; NotFound when it has none."""
    row = get_settings(session, org=org)
    before = settings_view(row, org)
    store.delete_settings(session, org_id=org.id)
    org.password_sign_in = True
    session.flush()
    record_event(
        session, org_id=org.id, actor=actor, entity="sso", key=org.slug, change="delete",
        before=before, user_id=actor_id, origin=origin,
    )  # fmt: skip


def _checked(settings: SsoSettings) -> SsoSettings:
    if settings.protocol not in PROTOCOLS:
        raise _invalid("protocol", f"'{settings.protocol}' is not one of oidc or saml")
    if settings.jit_role not in ROLES or settings.jit_role == ADMIN:
        raise _invalid("jit_role", "use editor, contributor or viewer")
    for group, role in settings.group_roles.items():
        checked_text(group, "line", "group_roles")
        if role not in ROLES:
            raise _invalid("group_roles", f"'{role}' for group '{group}' is not a role")
    for group, unit in settings.group_units.items():
        checked_text(group, "line", "group_units")
        checked_text(unit, "id", "group_units")
    if settings.protocol == "oidc":
        _check_url(settings.oidc_issuer, "oidc_issuer")
        if not settings.client_id:
            raise _invalid("client_id", "an OpenID Connect provider needs the client id")
    elif not settings.saml_idp_metadata and not settings.saml_idp_metadata_url:
        raise _invalid("saml_idp_metadata", "give the IdP's metadata (a file or a URL)")
    if settings.saml_idp_metadata_url:
        _check_url(settings.saml_idp_metadata_url, "saml_idp_metadata_url")
    if len(settings.saml_idp_metadata) > METADATA_LENGTH:
        raise _invalid("saml_idp_metadata", f"longer than {METADATA_LENGTH} characters")
    return SsoSettings(
        protocol=settings.protocol,
        label=checked_text(settings.label, "line", "label"),
        email_domains=tuple(_domain(d) for d in settings.email_domains),
        oidc_issuer=settings.oidc_issuer.strip().rstrip("/"),
        client_id=checked_text(settings.client_id, "line", "client_id"),
        client_secret=None
        if settings.client_secret is None
        else checked_text(settings.client_secret, "line", "client_secret"),
        saml_idp_metadata=settings.saml_idp_metadata.strip(),
        saml_idp_metadata_url=settings.saml_idp_metadata_url.strip(),
        jit=settings.jit,
        jit_role=settings.jit_role,
        group_claim=checked_text(settings.group_claim, "line", "group_claim"),
        group_roles=dict(settings.group_roles),
        group_units=dict(settings.group_units),
        password_sign_in=settings.password_sign_in,
    )


def _apply(row: SsoSettingsRow, settings: SsoSettings) -> None:
    if row.protocol != settings.protocol or row.oidc_issuer != settings.oidc_issuer:
        row.oidc_metadata = {}  # another provider: discover it again
    row.protocol = settings.protocol
    row.label = settings.label
    row.email_domains = list(settings.email_domains)
    row.oidc_issuer = settings.oidc_issuer if settings.protocol == "oidc" else ""
    row.oidc_client_id = settings.client_id if settings.protocol == "oidc" else ""
    if settings.protocol != "oidc":
        row.oidc_client_secret = ""
    elif settings.client_secret is not None:
        row.oidc_client_secret = settings.client_secret
    saml = settings.protocol == "saml"
    row.saml_idp_metadata = settings.saml_idp_metadata if saml else ""
    row.saml_idp_metadata_url = settings.saml_idp_metadata_url if saml else ""
    row.jit, row.jit_role = settings.jit, settings.jit_role
    row.group_claim = settings.group_claim
    row.group_roles, row.group_units = settings.group_roles, settings.group_units


def _check_url(url: str, name: str) -> None:
    # The rule the sign-ins apply when they fetch from it: refused here, not at each sign-in.
    problem = secure_address_problem(url)
    if len(url) > URL_LENGTH or problem is not None:
        reason = problem or f"longer than {URL_LENGTH} characters"
        raise _invalid(name, f"{reason} (http only on this machine)")


def _domain(domain: str) -> str:
    text = domain.strip().lower().lstrip("@")
    try:
        check_email(f"someone@{text}")  # a domain is what may follow the @ of an address
    except InvalidInput:
        raise _invalid("email_domains", f"'{text[:100]}' is not an e-mail domain") from None
    return text


def _check_domains_free(session: Session, org: OrganizationRow, domains: tuple[str, ...]) -> None:
    """A domain names one organisation's provider: another's admin may not send its people
    (who find their provider by their address) to a provider of their own choosing."""
    for row, other in store.settings_with_organizations(session):
        taken = next((d for d in domains if d in row.email_domains), None)
        if other.id != org.id and taken is not None:
            raise _invalid("email_domains", f"{taken} is {other.slug}'s already")


def _invalid(name: str, reason: str) -> InvalidInput:
    return InvalidInput(f"{name}: {reason}", [{"field": name, "reason": reason}])


def provider_for(
    session: Session, *, email: str = "", slug: str = ""
) -> tuple[OrganizationRow, SsoSettingsRow] | None:
    """The organisation and identity provider that sign in this e-mail address (by its
    domain) or the organisation with this slug; None when none does."""
    domain = email.strip().lower().rpartition("@")[2]
    for row, org in store.settings_with_organizations(session):
        if (slug and org.slug == slug) or (domain and domain in row.email_domains):
            return org, row
    return None


def sign_in(
    session: Session,
    *,
    org: OrganizationRow,
    settings: SsoSettingsRow,
    claims: Claims,
    now: datetime,
    origin: str,
) -> tuple[Principal, str]:
    """The user the provider vouched for, signed in: a member with this e-mail, or (with
    just-in-time accounts) a new member; the groups' role applied. Returns the principal
    and the new session's secret; Forbidden (audited) when they may not sign in."""
    email = _claimed_email(session, org, claims, origin)
    user = find_user(session, email=email)
    membership = None if user is None else _membership(session, user, org)
    if user is not None and not user.active:
        raise refuse(session, org=org, reason=f"the account {email} is disabled", origin=origin)
    if membership is not None and not membership.active:
        reason = f"{email} was deactivated by the directory"
        raise refuse(session, org=org, reason=reason, origin=origin)
    if membership is None and not settings.jit:
        reason = f"{email} is not a member of {org.name}; ask an admin to invite them"
        raise refuse(session, org=org, reason=reason, origin=origin)
    actor = f"sso:{org.slug}"
    # A name hoshin cannot keep (too long, a control character) is left out, not a refusal.
    name = "" if text_problem(claims.name.strip(), "line") else claims.name.strip()
    if user is None:
        user = _new_user(session, email=email, name=name, actor=actor, origin=origin)
    role = role_from_groups(
        session, membership=membership, group_roles=settings.group_roles, groups=claims.groups
    )
    if membership is None or (role is not None and role != membership.role):
        account.set_role(
            session, email=user.email, org_slug=org.slug,
            role=role or (membership.role if membership else settings.jit_role),
            actor=actor, origin=origin,
        )  # fmt: skip
    if name and name != user.name:
        record_event(
            session, org_id=None, actor=actor, entity="user", key=user.email, change="update",
            before={"name": user.name}, after={"name": name}, origin=origin,
        )  # fmt: skip
        user.name = name
    secret = account.new_session(session, user_id=user.id, now=now, sso_org_id=org.id)
    record_event(
        session, org_id=org.id, actor=user.email, entity="sso", key=org.slug,
        change="sign-in", after={"protocol": settings.protocol, "subject": claims.subject[:200]},
        user_id=user.id, origin=origin,
    )  # fmt: skip
    principal = Principal(
        user.id, user.email, user.name, user.person, by_session=True, sso_org_id=org.id
    )
    return principal, secret


def refuse(session: Session, *, org: OrganizationRow, reason: str, origin: str) -> Forbidden:
    """The refusal of a sign-in, audited: the reason (never a token or an assertion) goes to
    the page, the log and the audit trail. The caller raises it, and commits the event."""
    record_event(
        session, org_id=org.id, actor=f"sso:{org.slug}", entity="sso", key=org.slug,
        change="refuse", after={"reason": reason[:500]}, origin=origin,
    )  # fmt: skip
    refusal = Forbidden(f"single sign-on refused: {reason}")
    _log.warning("%s (organisation %s)", refusal.message, org.slug)  # the reason names no token
    return refusal


def role_from_groups(
    session: Session,
    *,
    membership: MembershipRow | None,
    group_roles: dict[str, str],
    groups: tuple[str, ...],
) -> str | None:
    """The role the user's groups give (group_role), or None when none gives one or when it
    would demote the organisation's last active admin (an IdP's or directory's groups, for
    a provider's sign-in and SCIM alike)."""
    role = group_role(group_roles, groups)
    if role is None or role == ADMIN or membership is None:
        return role
    return None if is_last_admin(session, membership=membership) else role


def group_role(group_roles: dict[str, str], groups: tuple[str, ...]) -> str | None:
    """The strongest role that the user's groups give, or None when none gives one."""
    given = [group_roles[g] for g in groups if group_roles.get(g) in _RANK]
    return min(given, key=_RANK.__getitem__) if given else None


def end_session_url(session: Session, *, org_id: int, base_url: str) -> str | None:
    """Where to send a browser whose session an OpenID Connect provider made, to end the
    provider's session too (its end_session_endpoint, back to the sign-in page); None when
    there is nowhere to go."""
    row = store.find_settings(session, org_id=org_id)
    endpoint = None if row is None else row.oidc_metadata.get("end_session_endpoint")
    if row is None or row.protocol != "oidc" or not isinstance(endpoint, str):
        return None
    back = base_url.rstrip("/") + "/signin"
    query = urlencode({"client_id": row.oidc_client_id, "post_logout_redirect_uri": back})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _claimed_email(session: Session, org: OrganizationRow, claims: Claims, origin: str) -> str:
    try:
        return check_email(claims.email)
    except InvalidInput:
        reason = "the provider sent no valid e-mail address for this user"
        raise refuse(session, org=org, reason=reason, origin=origin) from None


def _membership(session: Session, user: UserRow, org: OrganizationRow) -> MembershipRow | None:
    return find_membership(session, user_id=user.id, org_id=org.id)


def _new_user(session: Session, *, email: str, name: str, actor: str, origin: str) -> UserRow:
    """A just-in-time account: no usable password (an unknown hash), so only the provider
    signs them in until they set one."""
    row = UserRow(email=email, name=checked_text(name, "line", "name"), password_hash="!sso")
    session.add(row)
    session.flush()
    record_event(
        session, org_id=None, actor=actor, entity="user", key=email, change="create",
        after={"email": email, "name": row.name, "person": None}, origin=origin,
    )  # fmt: skip
    return row

"""An organisation's single sign-on settings: its identity provider (OpenID Connect or SAML),
who may sign in through it, and whether passwords still sign its members in (admins)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Response
from pydantic import Field

from hoshin.api.deps import Db, Org
from hoshin.api.edits import CHANGES, READS, TEXT_PATTERN, Body
from hoshin.config import settings
from hoshin.domain.text import LONGEST, PATTERN
from hoshin.fields import ID_PATTERN, Line
from hoshin.runtime.one_thread import OneThreadRoute
from hoshin.service import policy, sso
from hoshin.service.asker import Asker
from hoshin.service.policy import LEAST, Act, Role
from hoshin.service.sso_addresses import sso_addresses

router = APIRouter(tags=["single sign-on"], responses=READS, route_class=OneThreadRoute)
SSO_CHANGES: dict[int | str, dict[str, Any]] = {key: CHANGES[key] for key in (400, 403, 422)}
SSO_READS: dict[int | str, dict[str, Any]] = {403: CHANGES[403]}
Url = Annotated[str, Field(max_length=sso.URL_LENGTH, pattern=TEXT_PATTERN)]
Domain = Annotated[str, Field(min_length=1, max_length=253, pattern=TEXT_PATTERN)]
GroupName = Annotated[str, Field(min_length=1, max_length=LONGEST["line"], pattern=TEXT_PATTERN)]
Secret = Annotated[str, Field(min_length=1, max_length=LONGEST["line"], pattern=TEXT_PATTERN)]
UnitId = Annotated[str, Field(min_length=1, max_length=LONGEST["id"], pattern=ID_PATTERN)]
MAP_SIZE = 500  # groups that give a role or a unit: a directory's, not a whole forest's


class SsoChange(Body):
    """The organisation's identity provider, replaced as a whole; the client secret, written
    only, is kept when left out."""

    protocol: Literal["oidc", "saml"] = Field(description="oidc (OpenID Connect) or saml.")
    label: Line = Field(
        default="", description='Shown as "Sign in with <label>" (default: the organisation).'
    )
    email_domains: list[Domain] = Field(
        default_factory=list,
        max_length=50,
        description="E-mail domains whose users sign in with this provider (example.com).",
    )
    oidc_issuer: Url = Field(
        default="", description="OpenID Connect: the issuer URL (its discovery document's)."
    )
    client_id: Line = Field(default="", description="OpenID Connect: the client id.")
    client_secret: Secret | None = Field(
        default=None,
        description="OpenID Connect: the client secret; never shown again; absent: kept.",
    )
    saml_idp_metadata: str = Field(
        default="",
        max_length=LONGEST["text"],
        pattern=PATTERN[True],
        description="SAML: the identity provider's metadata XML (or give its URL).",
    )
    saml_idp_metadata_url: Url = Field(
        default="", description="SAML: where the identity provider's metadata is published."
    )
    jit: bool = Field(
        default=False, description="Make a member of anyone the provider signs in (JIT)."
    )
    jit_role: Role = Field(
        default=LEAST, description="The role of a just-in-time member (not admin)."
    )
    group_claim: Line = Field(
        default="", description="The claim (OIDC) or attribute (SAML) that lists the groups."
    )
    group_roles: dict[GroupName, Role] = Field(
        default_factory=dict, max_length=MAP_SIZE, description="Group -> the role it gives."
    )
    group_units: dict[GroupName, UnitId] = Field(
        default_factory=dict, max_length=MAP_SIZE, description="Group -> the unit it puts in."
    )
    password_sign_in: bool = Field(
        default=True,
        description="False: members sign in only through the provider (admins keep passwords).",
    )


def _admins_only(org: Asker) -> None:
    """Raises Forbidden unless the asker manages the organisation (policy)."""
    policy.require(org.role, Act.MANAGE_MEMBERS, "do this", where=org.org.slug)


def _shown(org: Asker, view: dict[str, Any]) -> dict[str, Any]:
    """The settings as the API shows them, with hoshin's addresses to give the provider."""
    return {**view, "service_provider": sso_addresses(settings().base_url, org.org.slug)}


@router.get("/orgs/{org}/sso", responses=SSO_READS)
def show_sso(org: Org, session: Db) -> dict[str, Any]:
    """The organisation's identity provider settings (the client secret only said to be
    set), with the addresses to give the provider (admins); 404 when it has none."""
    _admins_only(org)
    return _shown(org, sso.settings_view(sso.get_settings(session, org=org.org), org.org))


@router.put("/orgs/{org}/sso", responses=SSO_CHANGES)
def set_sso(org: Org, session: Db, body: SsoChange) -> dict[str, Any]:
    """Sets or replaces the organisation's identity provider (admins); every field is
    replaced but the client secret, which is kept when left out. An audit event records the
    change, never the secret."""
    _admins_only(org)
    wanted = sso.SsoSettings(
        protocol=body.protocol, label=body.label, email_domains=tuple(body.email_domains),
        oidc_issuer=body.oidc_issuer, client_id=body.client_id, client_secret=body.client_secret,
        saml_idp_metadata=body.saml_idp_metadata,
        saml_idp_metadata_url=body.saml_idp_metadata_url, jit=body.jit, jit_role=body.jit_role,
        group_claim=body.group_claim, group_roles=dict(body.group_roles),
        group_units=dict(body.group_units), password_sign_in=body.password_sign_in,
    )  # fmt: skip
    row = sso.set_settings(
        session, org=org.org, settings=wanted, actor=org.principal.email, origin=org.origin,
        actor_id=org.principal.user_id,
    )  # fmt: skip
    return _shown(org, sso.settings_view(row, org.org))


@router.delete("/orgs/{org}/sso", status_code=204, responses=SSO_READS)
def remove_sso(org: Org, session: Db) -> Response:
    """Removes the organisation's identity provider: its members sign in with passwords
    again (admins); 404 when it has none."""
    _admins_only(org)
    sso.remove_settings(
        session, org=org.org, actor=org.principal.email, origin=org.origin,
        actor_id=org.principal.user_id,
    )  # fmt: skip
    return Response(status_code=204)

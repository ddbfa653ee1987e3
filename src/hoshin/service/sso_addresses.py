"""The addresses of hoshin's side of single sign-on, which an admin copies into the identity
provider: OpenID Connect's redirect URI, SAML's service provider entity id, assertion
consumer service (ACS) and metadata. One place, so that every door shows the same."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def sso_addresses(base_url: str, slug: str) -> dict[str, str]:
    """The addresses for the organisation ``slug`` on the server at ``base_url``."""
    root = f"{base_url.rstrip('/')}/sso/{quote(slug, safe='')}"
    return {
        "oidc_redirect_uri": f"{root}/oidc/callback",
        "saml_entity_id": f"{root}/saml/metadata",
        "saml_acs_url": f"{root}/saml/acs",
        "saml_metadata_url": f"{root}/saml/metadata",
        "sign_in_url": f"{base_url.rstrip('/')}/signin?org={quote(slug, safe='')}",
    }


def start_path(slug: str, protocol: str, next_path: str = "") -> str:
    """The path that starts a sign-in at the organisation's provider (a GET: a link, never a
    form, for the pages' CSP allows forms to post only to hoshin), going on to ``next_path``
    (a path of this server) once signed in."""
    path = f"/sso/{quote(slug, safe='')}/{protocol}/start"
    return f"{path}?{urlencode({'next': next_path})}" if next_path else path

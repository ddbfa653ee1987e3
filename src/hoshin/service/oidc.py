"""OpenID Connect sign-in: the authorization code flow with PKCE (S256), state and nonce.

The provider is found from its issuer URL (discovery: ``{issuer}/.well-known/openid-
configuration`` and the keys at its ``jwks_uri``, kept in ``SsoSettingsRow.oidc_metadata`` for
an hour, read again sooner when the ID token's key is not among them). The code is redeemed
at the token endpoint with the client secret, and the ID token is checked with joserfc
(Authlib's JOSE): signature against the provider's keys, issuer, audience, expiry, issue time
and nonce. Only then does service.sso.sign_in act on the claims.

The flow has three steps, so that no database transaction waits on the network: ``start``
(keeps the sign-in under way, returns the provider's address), ``take_answer`` (the provider
came back: the sign-in under way is used up) and ``redeem`` (network, no database), then
``sign_in``. Reasons for a refusal name the problem and never carry a token. Nothing here
commits or reads the clock.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final
from urllib.parse import urlsplit

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from hoshin.errors import Forbidden, NotFound
from hoshin.fields import secure_address_problem
from hoshin.service import sso, sso_requests
from hoshin.service.account import Principal
from hoshin.store.organization import OrganizationRow
from hoshin.store.sso import SsoSettingsRow

KIND: Final = "oidc"  # of the sign-ins under way (service.sso_requests.begin_request)
SCOPES: Final = "openid email profile"
TIMEOUT: Final = 10.0  # seconds for each call to the provider
METADATA_MAX_AGE: Final = timedelta(hours=1)
LEEWAY: Final = 60  # seconds of clock skew allowed for exp and iat
MAX_GROUPS: Final = 1000
# Asymmetric algorithms only: "none" and the HMAC ones (keyed with the client secret) never.
ALGORITHMS: Final = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                     "ES256", "ES384", "ES512", "EdDSA")  # fmt: skip
# Kept beside the provider's own discovery document (its keys are part of its metadata).
FETCHED_AT: Final = "hoshin_fetched_at"
JWKS: Final = "hoshin_jwks"


class ProviderProblem(Exception):
    """The provider's answer cannot be trusted or used; ``reason`` says why (no token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    """What the flow needs of an organisation's OpenID Connect settings (no secret in repr)."""

    slug: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    metadata: dict[str, Any]
    group_claim: str = ""


@dataclass(frozen=True)
class Answer:
    """The provider's answer to a sign-in under way: its code, and what the sign-in kept."""

    code: str
    nonce: str
    verifier: str = field(repr=False)
    next_path: str


def find_provider(session: Session, *, slug: str) -> tuple[OrganizationRow, Provider]:
    """The organisation with this slug and its OpenID Connect provider; NotFound when it
    signs in with none."""
    org, row = _settings(session, slug)
    return org, provider_of(row, slug=org.slug)


def provider_of(row: SsoSettingsRow, *, slug: str) -> Provider:
    """The provider of these settings."""
    return Provider(
        slug=slug, issuer=row.oidc_issuer, client_id=row.oidc_client_id,
        client_secret=row.oidc_client_secret, metadata=dict(row.oidc_metadata),
        group_claim=row.group_claim,
    )  # fmt: skip


def redirect_uri(base_url: str, slug: str) -> str:
    """Where the provider sends the browser back (to register at the provider)."""
    return f"{base_url.rstrip('/')}/sso/{slug}/oidc/callback"


def fresh_metadata(provider: Provider, *, now: datetime) -> dict[str, Any] | None:
    """The provider's kept discovery document and keys, or None when they are older than
    METADATA_MAX_AGE (or were never read)."""
    fetched = provider.metadata.get(FETCHED_AT)
    try:
        when = datetime.fromisoformat(fetched) if isinstance(fetched, str) else None
    except ValueError:
        when = None
    if when is None or not now - METADATA_MAX_AGE <= when <= now:
        return None
    return provider.metadata


def discover(issuer: str, *, now: datetime) -> dict[str, Any]:
    """The provider's discovery document with its keys (``hoshin_jwks``) and when they were
    read; ProviderProblem when either cannot be read or the document is not the issuer's."""
    document = _get_json(f"{issuer}/.well-known/openid-configuration", "discovery document")
    # The settings keep the issuer without its trailing slash; some providers' (Auth0's)
    # has one, and their tokens' "iss" is exactly the document's.
    if not isinstance(document.get("issuer"), str) or document["issuer"].rstrip("/") != issuer:
        raise ProviderProblem(
            f"the discovery document names the issuer '{str(document.get('issuer'))[:200]}', "
            f"not '{issuer}'"
        )
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(name), str):
            raise ProviderProblem(f"the discovery document has no {name}")
        _check_address(document[name], name)
    keys = _get_json(document["jwks_uri"], "signing keys (jwks_uri)")
    return {**document, JWKS: keys, FETCHED_AT: now.isoformat()}


def start(
    session: Session,
    *,
    slug: str,
    metadata: dict[str, Any],
    next_path: str,
    now: datetime,
    base_url: str,
) -> str:
    """Keeps a new sign-in under way (state, nonce and PKCE verifier) and returns the
    provider's authorization address to send the browser to; the discovery document and
    keys are kept when they are newer than the stored ones."""
    org, row = _settings(session, slug)
    if metadata != row.oidc_metadata:
        row.oidc_metadata = metadata
    state, nonce, verifier = (
        sso_requests.random_secret(),
        sso_requests.random_secret(),
        sso_requests.random_secret(),
    )
    sso_requests.begin_request(
        session, org=org, kind=KIND, key=state, now=now, nonce=nonce, verifier=verifier,
        next_path=next_path,
    )  # fmt: skip
    address: str = prepare_grant_uri(
        metadata["authorization_endpoint"], client_id=row.oidc_client_id,
        response_type="code", redirect_uri=redirect_uri(base_url, org.slug), scope=SCOPES,
        state=state, nonce=nonce, code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )  # fmt: skip
    return address


def take_answer(
    session: Session, *, slug: str, params: Mapping[str, str], now: datetime, origin: str
) -> Answer:
    """The provider's answer (the callback's query) to a sign-in under way, which is used up
    (a replayed answer finds nothing); Forbidden (audited) for a provider's error, an
    unknown, used or expired state, or no code."""
    org, _row = _settings(session, slug)
    state = params.get("state", "")
    # Used up whatever the answer: an error's state is not kept for a second answer.
    pending = sso_requests.take_request(session, kind=KIND, key=state, now=now) if state else None
    if params.get("error"):
        described = params.get("error_description", "")[:200]
        reason = f"the provider answered '{params['error'][:100]}'" + (
            f": {described}" if described else ""
        )
        raise sso.refuse(session, org=org, reason=reason, origin=origin)
    if pending is None or pending.org_id != org.id:
        reason = "this sign-in is unknown, expired or answered already (a replayed answer?)"
        raise sso.refuse(session, org=org, reason=reason, origin=origin)
    if not params.get("code"):
        raise sso.refuse(session, org=org, reason="the provider sent no code", origin=origin)
    return Answer(params["code"], pending.nonce, pending.verifier, pending.next_path)


def redeem(
    provider: Provider, *, answer: Answer, now: datetime, base_url: str
) -> tuple[sso.Claims, dict[str, Any]]:
    """The user's claims from the ID token that the provider gives for the answer's code,
    checked, with the provider's metadata (read again when kept too long or when the token's
    key was not among the kept ones); ProviderProblem says why not. Network only."""
    metadata = fresh_metadata(provider, now=now) or discover(provider.issuer, now=now)
    id_token = _id_token(provider, metadata, answer, base_url)
    try:
        claims = verified_claims(
            id_token, keys=metadata[JWKS], provider=provider, nonce=answer.nonce, now=now,
            issuer=metadata["issuer"],
        )  # fmt: skip
    except _UnknownKey:  # the provider may have rolled its keys over since they were read
        metadata = discover(provider.issuer, now=now)
        claims = verified_claims(
            id_token, keys=metadata[JWKS], provider=provider, nonce=answer.nonce, now=now,
            issuer=metadata["issuer"],
        )  # fmt: skip
    return claims_of(claims, group_claim=provider.group_claim), metadata


def sign_in(
    session: Session,
    *,
    slug: str,
    claims: sso.Claims,
    metadata: dict[str, Any],
    now: datetime,
    origin: str,
) -> tuple[Principal, str]:
    """The user the ID token vouched for, signed in (service.sso.sign_in), and the
    provider's metadata kept; Forbidden (audited) when they may not sign in."""
    org, row = _settings(session, slug)
    if metadata != row.oidc_metadata:
        row.oidc_metadata = metadata
    return sso.sign_in(session, org=org, settings=row, claims=claims, now=now, origin=origin)


def refuse(session: Session, *, slug: str, reason: str, origin: str) -> Forbidden:
    """The audited refusal of a sign-in at this organisation (service.sso.refuse)."""
    org, _row = _settings(session, slug)
    return sso.refuse(session, org=org, reason=reason, origin=origin)


class _UnknownKey(ProviderProblem):
    """The ID token's signature does not verify with the keys kept."""


def verified_claims(
    id_token: str,
    *,
    keys: Any,
    provider: Provider,
    nonce: str,
    now: datetime,
    issuer: str = "",
) -> dict[str, Any]:
    """The ID token's claims once its signature (with ``keys``, a JWKS), issuer (the
    discovery document's, else the settings'), audience, expiry, issue time and nonce were
    checked; ProviderProblem says which failed."""
    try:
        key_set = KeySet.import_key_set(keys)
    except (JoseError, ValueError, TypeError, KeyError):
        raise ProviderProblem("the provider's signing keys (jwks_uri) cannot be read") from None
    try:
        token = jwt.decode(id_token, key_set, algorithms=list(ALGORITHMS))
    except (BadSignatureError, InvalidKeyIdError):
        raise _UnknownKey("the ID token's signature does not verify") from None
    except (JoseError, ValueError):
        raise ProviderProblem("the ID token is not a signed JWT hoshin accepts") from None
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        now=int(now.timestamp()), leeway=LEEWAY, iss={"essential": True,
        "value": issuer or provider.issuer}, aud={"essential": True, "value": provider.client_id},
        sub={"essential": True}, exp={"essential": True}, iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )  # fmt: skip
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise ProviderProblem("the ID token expired") from None
    except MissingClaimError as error:
        raise ProviderProblem(f"the ID token has no '{error.claim}' claim") from None
    except ClaimError as error:
        raise ProviderProblem(_CLAIM_REASONS.get(error.claim, _bad(error.claim))) from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    # OpenID Connect Core 3.1.3.7: with several audiences, the token must be for this client.
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise ProviderProblem(_CLAIM_REASONS["aud"])
    return claims


_CLAIM_REASONS: Final = {
    "iss": "the ID token's issuer is not this organisation's provider",
    "aud": "the ID token's audience is not this client",
    "iat": "the ID token was issued in the future (is a clock wrong?)",
    "nbf": "the ID token is not valid yet (is a clock wrong?)",
    "nonce": "the nonce does not match this sign-in (a replayed token?)",
}


def _bad(claim: str) -> str:
    return f"the ID token's '{claim[:50]}' claim is not valid"


def claims_of(claims: Mapping[str, Any], *, group_claim: str) -> sso.Claims:
    """What hoshin takes from verified ID token claims: subject, e-mail, name and the groups
    of ``group_claim`` (a list of names, or one name); an e-mail the provider says it has
    not verified is refused (ProviderProblem)."""
    if claims.get("email_verified") is False:  # absent is fine: Entra ID never sends it
        raise ProviderProblem("the provider has not verified the user's e-mail address")
    email = claims.get("email")
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p for p in parts if isinstance(p, str) and p.strip())
    found = claims.get(group_claim) if group_claim else None
    listed = [found] if isinstance(found, str) else found if isinstance(found, list) else []
    groups = tuple(g for g in listed if isinstance(g, str) and 0 < len(g) <= 500)[:MAX_GROUPS]
    return sso.Claims(
        subject=str(claims["sub"]), email=email if isinstance(email, str) else "",
        name=name.strip()[:200], groups=groups,
    )  # fmt: skip


def _settings(session: Session, slug: str) -> tuple[OrganizationRow, SsoSettingsRow]:
    found = sso.provider_for(session, slug=slug)
    if found is None or found[1].protocol != "oidc":
        raise NotFound(f"no organisation '{slug[:100]}' signs in with OpenID Connect")
    return found


def _id_token(provider: Provider, metadata: dict[str, Any], answer: Answer, base: str) -> str:
    """Redeems the code at the token endpoint (client secret as HTTP Basic, or in the body
    when the provider takes only that) and returns the ID token."""
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    form = {
        "grant_type": "authorization_code", "code": answer.code,
        "redirect_uri": redirect_uri(base, provider.slug), "code_verifier": answer.verifier,
    }  # fmt: skip
    auth: httpx.Auth | None = None
    if "client_secret_basic" in methods:
        auth = httpx.BasicAuth(provider.client_id, provider.client_secret)
    else:
        form |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
    url = metadata["token_endpoint"]
    _check_address(url, "token_endpoint")
    try:
        headers = {"Accept": "application/json"}
        reply = (
            _client().post(url, data=form, headers=headers)
            if auth is None
            else _client().post(url, data=form, auth=auth, headers=headers)
        )
    except httpx.HTTPError as error:
        raise ProviderProblem(_unreachable(url, "token endpoint", error)) from None
    if reply.status_code != 200:
        try:
            said = reply.json()
        except ValueError:
            said = None
        said = said if isinstance(said, dict) else {}
        code = str(said.get("error", f"HTTP {reply.status_code}"))[:100]
        described = str(said.get("error_description", ""))[:200]
        raise ProviderProblem(
            f"the token endpoint refused the code: {code}"
            + (f" ({described})" if described else "")
        )
    body = _json(reply, "token endpoint")
    id_token = body.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise ProviderProblem("the token endpoint sent no ID token (is 'openid' allowed?)")
    return id_token


def _get_json(url: str, what: str) -> dict[str, Any]:
    _check_address(url, what)
    try:
        reply = _client().get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as error:
        raise ProviderProblem(_unreachable(url, what, error)) from None
    if reply.status_code != 200:
        raise ProviderProblem(f"the provider's {what} answered HTTP {reply.status_code}")
    return _json(reply, what)


@functools.cache
def _client() -> httpx.Client:
    """One HTTP client for every call to the providers, made at the first: a new client for
    each call built its TLS context anew (30-50 ms of the token exchange's 35-48 ms on
    loopback, bench.identity), and the pool keeps the providers' connections open."""
    return httpx.Client(timeout=TIMEOUT)


def _json(reply: httpx.Response, what: str) -> dict[str, Any]:
    try:
        body = reply.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ProviderProblem(f"the provider's {what} did not answer with a JSON object")
    return body


def _unreachable(url: str, what: str, error: httpx.HTTPError) -> str:
    host = urlsplit(url).netloc[:200]
    timed_out = isinstance(error, httpx.TimeoutException)
    why = f"no answer within {TIMEOUT:.0f} s" if timed_out else type(error).__name__
    return f"the provider's {what} at {host} cannot be reached ({why})"


def _check_address(url: str, what: str) -> None:
    """https only, except to this machine (fields.secure_address_problem)."""
    if secure_address_problem(url) is not None:
        raise ProviderProblem(f"the provider's {what} must be an https address, not '{url[:200]}'")

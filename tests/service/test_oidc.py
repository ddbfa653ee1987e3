"""The checks of an ID token and of a provider's metadata (service.oidc), from tokens signed
here with joserfc and hand-computed times: at noon, 2026-12-05 12:00:00 UTC (1796472000),
with 60 s of leeway, a token that expired at 11:59:00 is refused and one at 11:59:01 taken;
one issued at 12:01:00 is taken and one at 12:01:01 refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from hoshin.service import oidc
from hoshin.service.oidc import FETCHED_AT, Provider, ProviderProblem
from hoshin.service.sso import Claims
from oidc_provider import tiny_provider

NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
T = 1796472000  # NOON as a timestamp: 2026-12-05 is day 20792 since 1970 (* 86400 + 43200)
ISSUER = "https://login.acme.example"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
KEYS = KeySet([KEY]).as_dict(private=False)
PROVIDER = Provider(
    slug="acme", issuer=ISSUER, client_id="hoshin", client_secret="s", metadata={},
    group_claim="groups",
)  # fmt: skip
GOOD = {"iss": ISSUER, "aud": "hoshin", "sub": "u-1", "email": "ann@acme.example",
        "nonce": "n-1", "iat": T - 10, "exp": T + 300}  # fmt: skip


def test_noon_is_the_timestamp_computed_by_hand() -> None:
    assert int(NOON.timestamp()) == T


def token(changes: dict[str, Any], *, header: dict[str, Any] | None = None) -> str:
    """A token signed with KEY: GOOD's claims with ``changes`` (None removes a claim)."""
    claims = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    return jwt.encode(header or {"alg": "RS256", "kid": "k1"}, claims, KEY)


def verified(id_token: str) -> dict[str, Any]:
    return oidc.verified_claims(id_token, keys=KEYS, provider=PROVIDER, nonce="n-1", now=NOON)


def problem(id_token: str) -> str:
    with pytest.raises(ProviderProblem) as raised:
        verified(id_token)
    return raised.value.reason


def test_a_good_token_gives_its_claims() -> None:
    assert verified(token({}))["email"] == "ann@acme.example"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"exp": T - 60}, "the ID token expired"),  # 11:59:00, at the leeway's edge
        ({"iat": T + 61}, "the ID token was issued in the future (is a clock wrong?)"),
        ({"aud": "another-client"}, "the ID token's audience is not this client"),
        # several audiences: the token must name this client as its authorised party
        ({"aud": ["hoshin", "another"]}, "the ID token's audience is not this client"),
        ({"iss": "https://evil.example"},
         "the ID token's issuer is not this organisation's provider"),
        ({"nonce": "n-2"}, "the nonce does not match this sign-in (a replayed token?)"),
        ({"nonce": None}, "the ID token has no 'nonce' claim"),
        ({"sub": None}, "the ID token has no 'sub' claim"),
        ({"exp": None}, "the ID token has no 'exp' claim"),
    ],
)  # fmt: skip
def test_a_bad_claim_is_refused_naming_it(changes: dict[str, Any], reason: str) -> None:
    assert problem(token(changes)) == reason


@pytest.mark.parametrize(
    "changes",
    [{"exp": T - 59}, {"iat": T + 60}, {"aud": ["hoshin", "another"], "azp": "hoshin"}],
)
def test_within_the_leeway_or_with_this_authorised_party_a_token_is_taken(
    changes: dict[str, Any],
) -> None:
    assert verified(token(changes))["sub"] == "u-1"


def test_a_token_signed_by_another_key_or_with_the_client_secret_is_refused() -> None:
    other = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    forged = jwt.encode({"alg": "RS256", "kid": "k1"}, GOOD, other)
    assert problem(forged) == "the ID token's signature does not verify"
    # HS256 with the client secret: a client could mint its own tokens; never taken.
    secret = OctKey.import_key("s" * 32)
    hashed = jwt.encode({"alg": "HS256"}, GOOD, secret, algorithms=["HS256"])
    assert problem(hashed) == "the ID token is not a signed JWT hoshin accepts"
    assert problem("not.a.token") == "the ID token is not a signed JWT hoshin accepts"


def test_claims_give_the_name_email_and_groups() -> None:
    given = {"sub": "u-1", "email": "ann@acme.example", "given_name": "Ann",
             "family_name": "Lee", "groups": ["planners", 7, "", "staff"]}  # fmt: skip
    # not a string, or empty: no group
    assert oidc.claims_of(given, group_claim="groups") == Claims(
        subject="u-1", email="ann@acme.example", name="Ann Lee", groups=("planners", "staff")
    )
    one = {"sub": "u-2", "email": "bo@acme.example", "name": "Bo", "role": "planners"}
    assert oidc.claims_of(one, group_claim="role").groups == ("planners",)
    assert oidc.claims_of(one, group_claim="").groups == ()


def test_an_email_the_provider_has_not_verified_is_refused() -> None:
    unverified = {"sub": "u-1", "email": "ann@acme.example", "email_verified": False}
    with pytest.raises(ProviderProblem, match="has not verified the user's e-mail address"):
        oidc.claims_of(unverified, group_claim="")


@pytest.mark.parametrize(
    ("fetched", "kept"),
    [(NOON - timedelta(minutes=59), True), (NOON - timedelta(minutes=61), False),
     (NOON + timedelta(minutes=1), False), (None, False)],
)  # fmt: skip
def test_metadata_is_kept_for_an_hour(fetched: datetime | None, kept: bool) -> None:
    metadata = {} if fetched is None else {FETCHED_AT: fetched.isoformat()}
    provider = Provider("acme", ISSUER, "hoshin", "s", metadata)
    assert (oidc.fresh_metadata(provider, now=NOON) is not None) is kept


def test_the_redirect_uri_is_under_the_public_address() -> None:
    assert (
        oidc.redirect_uri("https://hoshin.acme.example/", "acme")
        == "https://hoshin.acme.example/sso/acme/oidc/callback"
    )


def test_discovery_reads_the_document_and_keys_and_refuses_plain_http_elsewhere() -> None:
    with tiny_provider() as provider:
        found = oidc.discover(provider.issuer, now=NOON)
        assert found["token_endpoint"] == f"{provider.issuer}/token"
        assert found[oidc.JWKS]["keys"][0]["kid"] == "k1"
        assert found[FETCHED_AT] == "2026-12-05T12:00:00+00:00"
        provider.document_issuer = f"{provider.issuer}/"  # Auth0's form: taken
        assert oidc.discover(provider.issuer, now=NOON)["issuer"] == f"{provider.issuer}/"
        provider.document_issuer = "https://someone-else.example"
        with pytest.raises(ProviderProblem, match="names the issuer 'https://someone-else"):
            oidc.discover(provider.issuer, now=NOON)
    with pytest.raises(ProviderProblem, match="must be an https address"):
        oidc.discover("http://login.acme.example", now=NOON)

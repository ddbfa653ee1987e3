"""OpenID Connect sign-in through the pages (/sso/clinic/oidc/start and /callback), without a
browser, on SQLite and PostgreSQL, against a tiny provider over real HTTP (tests/
oidc_provider.py) that gives the ID token each test chooses: a good one signs a member in
where they started; a wrong audience, an expired token, a bad signature, a replayed nonce,
a replayed answer and a provider's error are refused, audited, the page saying why and
carrying no token."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from hoshin.errors import InvalidInput
from hoshin.runtime.engine import session_factory
from hoshin.service import sso
from hoshin.service.sso import SsoSettings
from hoshin.store.account import find_membership
from hoshin.store.audit import list_events
from hoshin.store.organization import get_organization
from hoshin.store.sso import SsoSettingsRow
from hoshin.store.user import find_user
from oidc_provider import CLIENT_ID, CLIENT_SECRET, TinyProvider, mock_provider, tiny_provider

from .web_support import clinic_pages

BEN = "ben@clinic.example"


def configure(sessions: sessionmaker[Session], issuer: str, **changes: Any) -> None:
    """Sets clinic's OpenID Connect provider (``changes`` over the defaults) and commits."""
    defaults: dict[str, Any] = {
        "protocol": "oidc", "label": "Tiny", "oidc_issuer": issuer, "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET, "group_claim": "groups",
    }  # fmt: skip
    with sessions() as session:
        org = get_organization(session, slug="clinic")
        settings = SsoSettings(**(defaults | changes))
        sso.set_settings(session, org=org, settings=settings, actor="t", origin="t")
        session.commit()


@dataclass
class Flow:
    """The pages of 'clinic', its database and its OpenID Connect provider."""

    client: TestClient
    sessions: sessionmaker[Session]
    provider: TinyProvider

    def configure(self, **changes: Any) -> None:
        """Sets clinic's provider (the tiny one; ``changes`` over the defaults)."""
        configure(self.sessions, self.provider.issuer, **changes)

    def callback_url(self, next_path: str = "") -> str:
        """The path and query the provider sends the browser back to (after /start)."""
        query = f"?next={next_path}" if next_path else ""
        start = self.client.get(f"/sso/clinic/oidc/start{query}", follow_redirects=False)
        assert start.status_code == 303, start.text
        at_provider = httpx.get(start.headers["location"], follow_redirects=False)
        back = urlsplit(at_provider.headers["location"])
        return f"{back.path}?{back.query}"

    def sign_in(self, next_path: str = "") -> httpx.Response:
        """The callback's answer to a whole round trip through the provider."""
        return self.client.get(self.callback_url(next_path), follow_redirects=False)

    def events(self) -> list[tuple[str, dict[str, Any] | None]]:
        """clinic's sso audit events after the settings': (change, after)."""
        with self.sessions() as session:
            org = get_organization(session, slug="clinic")
            found = list_events(session, org_id=org.id, entity="sso")
            return [(e.change, e.after) for e in found if e.change in ("sign-in", "refuse")]


@pytest.fixture
def flow(engine: Engine, cheap_hashing: None) -> Iterator[Flow]:
    """clinic with its admin and ben (contributor, person ben), its provider set."""
    users = {"admin": ("admin", None), "ben": ("contributor", "ben")}
    with tiny_provider() as provider, clinic_pages(engine, users) as client:
        flow = Flow(client, session_factory(engine), provider)
        flow.configure()
        yield flow


def test_a_member_signs_in_and_lands_where_they_started(flow: Flow) -> None:
    flow.provider.user = {"sub": "u-ben", "email": BEN, "name": "Ben Okafor"}
    start = flow.client.get("/sso/clinic/oidc/start?next=/orgs/clinic/x-matrix",
                            follow_redirects=False)  # fmt: skip
    asked = parse_qs(urlsplit(start.headers["location"]).query)
    # The authorization request: code flow, PKCE S256, the three scopes, a state and nonce.
    assert asked["response_type"] == ["code"] and asked["code_challenge_method"] == ["S256"]
    assert asked["scope"] == ["openid email profile"] and asked["client_id"] == [CLIENT_ID]
    assert asked["redirect_uri"][0].endswith("/sso/clinic/oidc/callback")
    assert len(asked["state"][0]) >= 43 and len(asked["nonce"][0]) >= 43  # 32 random bytes
    at_provider = httpx.get(start.headers["location"], follow_redirects=False)
    back = urlsplit(at_provider.headers["location"])
    answer = flow.client.get(f"{back.path}?{back.query}", follow_redirects=False)
    # The tiny provider gave the token only for the right secret and PKCE verifier.
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/orgs/clinic/x-matrix"
    assert flow.client.get("/orgs/clinic/").status_code == 200
    assert flow.events() == [("sign-in", {"protocol": "oidc", "subject": "u-ben"})]
    with flow.sessions() as session:
        user = find_user(session, email=BEN)
        assert user is not None and user.name == "Ben Okafor"  # the provider's name kept


def test_a_member_signs_in_at_a_real_provider_gets_their_groups_role_and_signs_out_there(
    engine: Engine, cheap_hashing: None
) -> None:
    users = {"admin": ("admin", None), "ben": ("contributor", "ben")}
    ben: dict[str, object] = {"email": BEN, "name": "Ben Okafor", "groups": ["planners"]}
    with mock_provider({"ben-at-idp": ben}) as issuer, clinic_pages(engine, users) as client:
        sessions = session_factory(engine)
        configure(sessions, issuer, group_roles={"planners": "editor"})
        start = client.get("/sso/clinic/oidc/start", follow_redirects=False)
        # oidc-provider-mock's sign-in page: its form takes the user's subject.
        signed = httpx.post(start.headers["location"], data={"sub": "ben-at-idp"})
        assert signed.status_code == 302, signed.text
        back = urlsplit(signed.headers["location"])
        answer = client.get(f"{back.path}?{back.query}", follow_redirects=False)
        assert answer.status_code == 303, said(answer)
        assert answer.headers["location"] == "/orgs/clinic/"
        assert client.get("/orgs/clinic/").status_code == 200
        with sessions() as session:
            org = get_organization(session, slug="clinic")
            user = find_user(session, email=BEN)
            assert user is not None
            membership = find_membership(session, user_id=user.id, org_id=org.id)
            assert membership is not None and membership.role == "editor"  # was contributor
        # Signing out ends the provider's session too: a page that goes to its endpoint.
        out = client.post("/signout", follow_redirects=False)
        assert f"{issuer}/oauth2/end_session?client_id={CLIENT_ID}" in said(out)


@pytest.mark.parametrize("next_path", ["", "//evil.example/", "https://evil.example/"])
def test_without_a_next_page_here_the_member_lands_on_the_organisations_page(
    flow: Flow, next_path: str
) -> None:
    flow.provider.user = {"sub": "u-ben", "email": BEN}
    assert flow.sign_in(next_path).headers["location"] == "/orgs/clinic/"  # never elsewhere


def said(answer: httpx.Response) -> str:
    """The page's text, its HTML entities read (an apostrophe is &#39;)."""
    return html.unescape(answer.text)


def shown(reason: str) -> str:
    """How the refusal's page shows a reason: a sentence under "Single sign-on refused"."""
    return f"{reason[:1].upper()}{reason[1:]}."


def _other_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "k1"})  # same kid, another key


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"claims": {"aud": "someone-else"}}, "the ID token's audience is not this client"),
        # issued 15 minutes ago, expired 10 minutes ago: past the 60 s leeway
        ({"claims": {"iat": -900, "exp": -600}}, "the ID token expired"),
        ({"signing_key": "other"}, "the ID token's signature does not verify"),
        # a token minted for another sign-in (its nonce), replayed into this one
        ({"claims": {"nonce": "the nonce of another sign-in"}},
         "the nonce does not match this sign-in (a replayed token?)"),
        ({"claims": {"iss": "https://evil.example"}},
         "the ID token's issuer is not this organisation's provider"),
        ({"claims": {"email_verified": False}},
         "the provider has not verified the user's e-mail address"),
    ],
)  # fmt: skip
def test_a_bad_id_token_is_refused_saying_why_audited_and_logged(
    flow: Flow, change: dict[str, Any], reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    flow.provider.user = {"sub": "u-ben", "email": BEN}
    claims = dict(change.get("claims", {}))
    for name in ("iat", "exp"):  # relative to now
        if name in claims:
            claims[name] += int(time.time())
    flow.provider.claims = claims
    if change.get("signing_key"):
        flow.provider.signing_key = _other_key()
    answer = flow.sign_in()
    assert answer.status_code == 403
    assert shown(reason) in said(answer)
    token = flow.provider.issued[0]
    assert token not in said(answer) and token.split(".")[1] not in said(answer)
    logged = [r.getMessage() for r in caplog.records if r.name == "hoshin"]
    assert logged == [f"single sign-on refused: {reason} (organisation clinic)"]
    assert flow.events() == [("refuse", {"reason": reason})]
    assert flow.client.get("/orgs/clinic/", follow_redirects=False).status_code == 303  # signin


def test_an_answer_opened_in_another_browser_is_refused(flow: Flow) -> None:
    # Mallory starts a sign-in of her own and sends its callback link to Ben: Ben's browser
    # lacks the start's cookie, so it is not signed in as Mallory (login CSRF), and the
    # state is used up. The browser that started it has the cookie: answered already.
    flow.provider.user = {"sub": "u-ben", "email": BEN}
    url = flow.callback_url()
    started_here = dict(flow.client.cookies)
    assert started_here["hoshin_oidc_state"] == parse_qs(urlsplit(url).query)["state"][0]
    flow.client.cookies.clear()
    elsewhere = flow.client.get(url, follow_redirects=False)
    assert elsewhere.status_code == 403 and "hoshin_session" not in elsewhere.cookies
    reason = "this sign-in was started in another browser, or long ago: start it again here"
    assert shown(reason) in said(elsewhere)
    assert flow.events() == [("refuse", {"reason": reason})]
    assert flow.provider.token_requests == 0  # refused before the code was redeemed


def test_a_replayed_answer_is_refused(flow: Flow) -> None:
    flow.provider.user = {"sub": "u-ben", "email": BEN}
    url = flow.callback_url()
    assert flow.client.get(url, follow_redirects=False).status_code == 303
    flow.client.cookies.clear()
    again = flow.client.get(url, follow_redirects=False)
    assert again.status_code == 403
    reason = "this sign-in is unknown, expired or answered already (a replayed answer?)"
    assert shown(reason) in said(again)
    assert [c for c, _ in flow.events()] == ["sign-in", "refuse"]
    assert flow.provider.token_requests == 1  # the replay never reached the provider


def test_the_providers_error_is_refused_with_its_words(flow: Flow) -> None:
    answer = flow.client.get(
        "/sso/clinic/oidc/callback?error=access_denied&error_description=User+said+no&state=x"
    )
    assert answer.status_code == 403
    reason = "the provider answered 'access_denied': User said no"
    assert shown(reason) in said(answer) and flow.events() == [("refuse", {"reason": reason})]


def test_a_stranger_is_refused_without_just_in_time_accounts(flow: Flow) -> None:
    flow.provider.user = {"sub": "u-zoe", "email": "zoe@clinic.example"}
    answer = flow.sign_in()
    assert answer.status_code == 403
    assert "zoe@clinic.example is not a member of Riverside Clinic" in said(answer)


def test_a_stranger_gets_an_account_just_in_time_with_the_role_of_their_groups(
    flow: Flow,
) -> None:
    flow.configure(jit=True, group_roles={"planners": "editor", "staff": "viewer"})
    flow.provider.user = {"sub": "u-zoe", "email": "zoe@clinic.example", "name": "Zoe",
                          "groups": ["staff", "planners", "unknown"]}  # fmt: skip
    assert flow.sign_in().status_code == 303
    # staff gives viewer, planners editor: the stronger, editor, is zoe's role.
    assert flow.client.get("/orgs/clinic/").status_code == 200
    with flow.sessions() as session:
        org = get_organization(session, slug="clinic")
        zoe = find_user(session, email="zoe@clinic.example")
        assert zoe is not None and zoe.name == "Zoe"
        membership = find_membership(session, user_id=zoe.id, org_id=org.id)
        assert membership is not None and membership.role == "editor"


def test_rolled_over_keys_are_read_again(flow: Flow) -> None:
    flow.provider.user = {"sub": "u-ben", "email": BEN}
    url = flow.callback_url()  # discovery and keys read at the start, kept
    assert flow.provider.jwks_reads == 1
    flow.provider.key = _other_key()  # the provider rolls its key over meanwhile
    assert flow.client.get(url, follow_redirects=False).status_code == 303
    assert flow.provider.jwks_reads == 2


def test_an_http_issuer_elsewhere_than_this_machine_is_refused(flow: Flow) -> None:
    # The settings refuse it (fields.secure_address_problem); a row stored before that rule,
    # or changed in the database, is refused at the sign-in by the same rule.
    with pytest.raises(InvalidInput, match=re.escape("'http://login.example.org' is not an https")):
        flow.configure(oidc_issuer="http://login.example.org")
    with flow.sessions() as session:
        org = get_organization(session, slug="clinic")
        session.execute(
            update(SsoSettingsRow).where(SsoSettingsRow.org_id == org.id).values(
                oidc_issuer="http://login.example.org", oidc_metadata={})
        )  # fmt: skip
        session.commit()
    answer = flow.client.get("/sso/clinic/oidc/start", follow_redirects=False)
    assert answer.status_code == 403
    reason = (
        "the provider's discovery document must be an https address, not "
        "'http://login.example.org/.well-known/openid-configuration'"
    )
    assert shown(reason) in said(answer) and flow.events() == [("refuse", {"reason": reason})]


def test_an_unreachable_provider_is_refused_saying_so(flow: Flow) -> None:
    flow.configure(oidc_issuer="http://127.0.0.1:9")  # the discard port: nobody listens
    answer = flow.client.get("/sso/clinic/oidc/start", follow_redirects=False)
    assert answer.status_code == 403
    assert "The provider's discovery document at 127.0.0.1:9 cannot be reached" in said(answer)


def test_an_organisation_without_openid_connect_is_not_found(flow: Flow) -> None:
    assert flow.client.get("/sso/nowhere/oidc/start").status_code == 404
    assert flow.client.get("/sso/nowhere/oidc/callback?code=x&state=y").status_code == 404

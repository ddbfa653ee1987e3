"""OpenID Connect sign-in in a real browser: a real ``hoshin serve`` and a real provider
(oidc-provider-mock, in the test process); ben signs in on the provider's page and lands on
the clinic's page (from the sign-in page's "Sign in with Riverside Login"; desktop and
390 px screenshots), and a sign-in denied at the provider
comes back to a page that says so."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import serving
from hoshin.runtime.engine import make_engine, session_factory
from oidc_provider import mock_provider

from .test_sso_oidc import configure
from .web_support import BEN, ORG, axe_violations, copy_database, fits_the_width, running_server
from .web_support import screenshot as save_screenshot

SUBJECT = "ben-at-idp"


@pytest.fixture
def sso_server(
    chromium_executable: Path, web_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A server whose clinic signs in with oidc-provider-mock, which knows ben; the server's
    public address (HOSHIN_BASE_URL, the provider's way back) is its own."""
    url = copy_database(web_database, tmp_path)
    with mock_provider({SUBJECT: {"email": BEN, "name": "Ben"}}) as issuer:
        engine = make_engine(url)
        configure(session_factory(engine), issuer, label="Riverside Login")
        engine.dispose()
        port = serving.free_port()  # known before the server starts: it is its base URL
        monkeypatch.setattr(serving, "free_port", lambda: port)
        base_env = {"HOSHIN_BASE_URL": f"http://127.0.0.1:{port}"}
        with running_server(url, tmp_path / "server.log", env=base_env) as base:
            yield base


def test_ben_signs_in_at_the_provider_and_lands_on_the_clinic(sso_server: str, page: Page) -> None:
    page.goto(f"{sso_server}/signin?org={ORG}")
    page.get_by_role("link", name="Sign in with Riverside Login").click()
    # The provider's own sign-in page: its form takes the user's subject.
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("sub").fill(SUBJECT)
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(f"{sso_server}/orgs/{ORG}/")
    expect(page.locator("h1")).to_be_visible()
    assert axe_violations(page) == []
    save_screenshot(page, "sso-oidc-signed-in-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert fits_the_width(page)
    save_screenshot(page, "sso-oidc-signed-in-390")


def test_a_sign_in_denied_at_the_provider_says_so(sso_server: str, page: Page) -> None:
    page.goto(f"{sso_server}/sso/{ORG}/oidc/start")
    page.get_by_role("button", name="Deny").click()
    expect(page).to_have_url(re.compile(rf"/sso/{ORG}/oidc/callback\?"))
    expect(page.get_by_role("alert")).to_have_text(
        "The provider answered 'access_denied': "
        "The resource owner or authorization server denied the request."
    )
    expect(page.get_by_role("link", name="Sign in again")).to_have_attribute(
        "href", f"/signin?org={ORG}"
    )
    assert axe_violations(page) == []
    save_screenshot(page, "sso-oidc-refused-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_the_width(page)
    save_screenshot(page, "sso-oidc-refused-390")

"""Security headers on every kind of answer, and the pages under their policy in a browser.

The headers do not depend on the database, so the checks without a browser run on the
browser suite's SQLite copy only (the clinic of web_support.py, signed in as its admin).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from hoshin.config import settings
from hoshin.guard.headers import CONTENT_SECURITY_POLICY, SecurityHeaders
from hoshin.runtime.engine import make_engine, session_factory
from hoshin.server import create_server

from .web_support import ADMIN, BEN, ORG, PASSWORD, copy_database, sign_in, with_csrf

EXPECTED = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
JULY = "as_of=2026-07-10"
# One request for each kind of answer: (method, path, status, content type).
ANSWERS = {
    "a page": ("GET", f"/orgs/{ORG}/?{JULY}", 200, "text/html"),
    "the sign-in page": ("GET", "/signin", 200, "text/html"),
    "a static file": ("GET", "/static/hoshin.css", 200, "text/css"),
    "a vendor file": ("GET", "/vendor/htmx.min.js", 200, "text/javascript"),
    "the API docs": ("GET", "/api/docs", 200, "text/html"),
    "an API answer": ("GET", "/api/v1/me", 200, "application/json"),
    "an API error": ("GET", f"/api/v1/orgs/{ORG}/objectives/Z9", 404, "application/json"),
    "a page that is not there": ("GET", f"/orgs/{ORG}/objectives/Z9", 404, "text/html"),
    "a missing static file": ("GET", "/static/nothing.css", 404, "text/html"),
    "a bad query": ("GET", f"/orgs/{ORG}/?as_of=0001-01-01", 422, "text/html"),
    "a wrong method": ("GET", "/signout", 405, "text/html"),
}


@pytest.fixture(scope="module")
def database_url(web_database: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the clinic's database for this module's clients."""
    return copy_database(web_database, tmp_path_factory.mktemp("headers"))


@pytest.fixture(scope="module")
def admin(database_url: str) -> Iterator[TestClient]:
    """The server without a browser, signed in as the clinic's admin."""
    engine = make_engine(database_url)
    with with_csrf(TestClient(create_server(session_factory(engine)))) as client:
        answer = client.post("/signin", data={"email": ADMIN, "password": PASSWORD})
        assert answer.url.path == f"/orgs/{ORG}/"
        yield client
    engine.dispose()


@pytest.fixture(scope="module")
def over_https(database_url: str) -> Iterator[TestClient]:
    """The server as a TLS proxy passes it on: the request's scheme is https."""
    engine = make_engine(database_url)
    with TestClient(create_server(session_factory(engine)), base_url="https://testserver") as c:
        yield c
    engine.dispose()


@pytest.mark.parametrize("kind", ANSWERS)
def test_every_kind_of_answer_has_the_security_headers(admin: TestClient, kind: str) -> None:
    method, path, status, content_type = ANSWERS[kind]
    answer = admin.request(method, path, follow_redirects=False)
    assert answer.status_code == status, kind
    assert answer.headers["content-type"].startswith(content_type), kind
    assert {name: answer.headers.get(name) for name in EXPECTED} == EXPECTED, kind
    assert "strict-transport-security" not in answer.headers, "HSTS over plain http"


def test_a_body_refused_as_too_large_has_the_security_headers(admin: TestClient) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    too_large = b"x" * (settings().max_body_bytes + 1)
    answer = admin.post("/signin", content=too_large, headers=form)
    assert answer.status_code == 413
    assert {name: answer.headers.get(name) for name in EXPECTED} == EXPECTED


def test_the_policy_allows_no_inline_script_and_no_other_origin() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert all("unsafe-eval" not in v and "http" not in v for v in directives.values())


def test_over_https_every_answer_also_asks_for_https(over_https: TestClient) -> None:
    for path in ("/signin", "/static/hoshin.css", "/api/v1/me", "/nowhere", "/api/docs"):
        answer = over_https.get(path, follow_redirects=False)
        assert answer.headers.get("strict-transport-security") == HSTS, path
        assert answer.headers.get("x-frame-options") == "DENY", path


def test_vendor_files_answer_with_their_types_and_may_be_kept(admin: TestClient) -> None:
    types = {
        "htmx.min.js": "text/javascript",
        "swagger-ui-bundle.js": "text/javascript",
        "swagger-ui.css": "text/css",
        "favicon-32x32.png": "image/png",
    }
    for name, content_type in types.items():
        answer = admin.get(f"/vendor/{name}")
        assert answer.status_code == 200, name
        assert answer.headers["content-type"].startswith(content_type), name
        assert answer.headers["cache-control"] == "public, max-age=86400", name
    assert (
        admin.get("/static/swagger-init.js").headers["content-type"].startswith("text/javascript")
    )


def test_the_api_docs_start_swagger_from_files_without_inline_script(admin: TestClient) -> None:
    html = admin.get("/api/docs").text
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.DOTALL)
    assert scripts == ["", ""], "an inline script (or a missing one)"
    for url in (
        "/vendor/swagger-ui-bundle.js",
        "/vendor/swagger-ui.css",
        "/static/swagger-init.js",
    ):
        assert f'"{url}"' in html
    assert 'data-openapi-url="/api/openapi.json"' in html
    assert "cdn" not in html.lower() and "https://" not in html


def _own_policy(request: Request) -> PlainTextResponse:
    return PlainTextResponse("x", headers={"Content-Security-Policy": "sandbox"})


def test_a_header_the_answer_set_itself_is_kept() -> None:
    app = SecurityHeaders(Starlette(routes=[Route("/", _own_policy)]))
    answer = TestClient(app).get("/")
    assert answer.headers.get_list("content-security-policy") == ["sandbox"]
    assert answer.headers["x-frame-options"] == "DENY"


# In the browser: every main page of the clinic and /api/docs, with a listener for the
# policy's refusals installed before any script of the page runs.
PAGES = (
    "",
    "alignment",
    "x-matrix",
    "backward",
    "check-in",
    "my-work",
    "catchball",
    "reviews/monthly",
    "reviews/monthly/ward-a/2026-05",
    "reviews/annual",
    "plan",
    "admin",
    "admin/tokens",
    "admin/password",
    "objectives/T1",
)
LISTEN = """window.cspRefusals = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspRefusals.push(e.violatedDirective);
  console.error(`CSP: ${e.violatedDirective} refused ${e.blockedURI} in ${e.sourceFile}`);
});"""


def _messages(page: Page) -> list[str]:
    """The console messages and uncaught errors of page from now on, as they come."""
    seen: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda m: seen.append(f"{m.type}: {m.text} at {m.location['url']}"))
    page.on("pageerror", lambda error: seen.append(f"uncaught: {error}"))
    return seen


def test_every_page_and_the_api_docs_run_under_the_policy(server: str, page: Page) -> None:
    seen = _messages(page)
    sign_in(page, server, ADMIN)
    for path in PAGES:
        answer = page.goto(f"{server}/orgs/{ORG}/{path}?{JULY}")
        assert answer is not None and answer.status == 200, path
        page.wait_for_load_state("load")
        assert page.evaluate("() => typeof htmx") == "object", f"htmx missing on {path}"
        assert seen == [], path
    # htmx is told not to inject a <style> of its own (the policy would refuse it)
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0

    page.goto(f"{server}/api/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    assert page.locator(".opblock").count() > 20
    assert seen == []

    # The listener hears a refusal, and a script added inline does not run.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.body.append(s); }"
    )
    page.wait_for_function("() => window.cspRefusals.length > 0")
    assert page.evaluate("() => window.inlineRan") is None
    assert any(m.startswith("error: CSP: script-src") for m in seen), seen


def test_check_in_saves_in_place_and_print_prints_under_the_policy(
    fresh_server: str, page: Page
) -> None:
    """htmx posts a value and swaps its row without a refusal; the review's Print button
    works without its old onclick attribute."""
    server = fresh_server
    seen = _messages(page)
    sign_in(page, server, BEN)
    page.goto(f"{server}/orgs/{ORG}/check-in?{JULY}")
    page.evaluate("() => { window.hoshinNoReload = true; }")
    trained = page.get_by_role("spinbutton", name="Nurses trained, 2026-06", exact=True)
    trained.fill("25")
    trained.press("Enter")
    row = page.get_by_role("row").filter(has_text="Nurses trained")
    expect(row).to_contain_text(re.compile("saved", re.IGNORECASE))
    assert page.evaluate("() => window.hoshinNoReload === true"), "the page was loaded again"

    page.goto(f"{server}/orgs/{ORG}/reviews/monthly/ward-a/2026-05?as_of=2026-06-15")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print", exact=True).click()
    assert page.evaluate("() => window.printed") == 1
    assert seen == []

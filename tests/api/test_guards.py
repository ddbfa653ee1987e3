"""What every request to ``hoshin serve`` passes (hoshin.guard), on SQLite and PostgreSQL:
forged form posts, control characters and sizes, answered without a 500 and saving nothing."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from api_support import PASSWORD, Seeded, seed
from api_support import served as serving
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hoshin.guard.csrf import token_for
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.service.account import SESSION_COOKIE

MEMBERS = "/orgs/clinic/admin/members"
COMMENTS = "/orgs/clinic/objectives/A1/comments"
REFUSED = "did not come from a hoshin page you opened"


@pytest.fixture
def served(engine: Engine) -> Iterator[Seeded]:
    """The seeded organisations behind the whole server (API, pages and guards)."""
    seeded = seed(engine, create_server)
    with seeded.client:
        yield seeded


def _page_token(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(url).text)
    assert found is not None, url
    return found.group(1)


def _signed_in(client: TestClient, who: str = "admin") -> str:
    """Signs ``who`` in through the sign-in form as a browser does; their session's token."""
    token = _page_token(client, "/signin")  # the form comes with a pre-session cookie
    data = {"email": f"{who}@clinic.example", "password": PASSWORD, "csrf_token": token}
    assert client.post("/signin", data=data).url.path == "/orgs/clinic/"
    return token_for(client.cookies[SESSION_COOKIE])


def _comments(served: Seeded) -> list[Any]:
    answer = served.client.get(
        "/api/v1/orgs/clinic/objectives/A1/comments", headers=served.headers("admin")
    )
    assert answer.status_code == 200
    comments: list[Any] = answer.json()
    return comments


def test_a_form_post_needs_its_sessions_token(served: Seeded) -> None:
    """No token, another session's token, or a token in a form from another origin: 403 with
    a page that says why, nothing saved. The page's own token, sent as the form's field or
    as htmx's header, saves."""
    client = served.client
    token = _signed_in(client)
    assert _page_token(client, "/orgs/clinic/objectives/A1") == token
    for data, headers in [
        ({"body": "forged"}, {}),
        ({"body": "forged", "csrf_token": token_for("another session")}, {}),
        ({"body": "forged", "csrf_token": token}, {"Origin": "http://evil.example"}),
        ({"body": "forged", "csrf_token": token}, {"Sec-Fetch-Site": "same-site"}),
        ({"body": "forged", "csrf_token": token}, {"Sec-Fetch-Site": "cross-site"}),
    ]:
        answer = client.post(COMMENTS, data=data, headers=headers, follow_redirects=False)
        assert answer.status_code == 403, (data, headers)
        assert REFUSED in answer.text and answer.headers["content-type"].startswith("text/html")
    assert _comments(served) == []
    own = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    saved = client.post(COMMENTS, data={"body": "field", "csrf_token": token}, headers=own)
    assert saved.status_code == 200
    by_htmx = client.post(
        COMMENTS, data={"body": "header"}, headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    assert by_htmx.status_code == 200
    assert [c["body"] for c in _comments(served)] == ["field", "header"]


def test_the_forged_add_member_of_the_review_is_refused(served: Seeded) -> None:
    """The review's attack: a page on another port auto-posts the admin's "add member" form
    with the admin's cookie (same site, so the cookie goes along): 403, no member added."""
    client = served.client
    _signed_in(client)
    forged = {"email": "attacker@evil.example", "role": "admin", "password": "x" * 20}
    answer = client.post(MEMBERS, data=forged, headers={"Origin": "http://testserver:8666"})
    assert answer.status_code == 403
    members = client.get("/api/v1/orgs/clinic/members", headers=served.headers("admin")).json()
    assert "attacker@evil.example" not in {m["email"] for m in members["items"]}


def test_the_api_with_a_session_cookie_needs_the_token_and_a_bearer_token_does_not(
    served: Seeded,
) -> None:
    """Signing in to the API needs no token (no cookie yet) and answers the session's;
    a change with the cookie then needs it as X-CSRF-Token (403 JSON without); a change with
    an API token is exempt."""
    client = served.client
    answer = client.post(
        "/api/v1/session", json={"email": "admin@clinic.example", "password": PASSWORD}
    )
    assert answer.status_code == 200
    token = answer.json()["csrf_token"]
    assert token == token_for(client.cookies[SESSION_COOKIE])
    url = "/api/v1/orgs/clinic/objectives/A1/comments"
    refused = client.post(url, json={"body": "no token"})
    assert refused.status_code == 403
    assert REFUSED in refused.json()["error"]
    assert (
        client.post(url, json={"body": "cookie"}, headers={"X-CSRF-Token": token}).status_code
        == 201
    )
    client.cookies.clear()
    by_token = client.post(url, json={"body": "bearer"}, headers=served.headers("admin"))
    assert by_token.status_code == 201
    assert [c["body"] for c in _comments(served)] == ["cookie", "bearer"]


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/signin", {"email": "x\x00@y.z", "password": "whatever password"}),
        (COMMENTS, {"body": "a\x00b"}),
        ("/orgs/clinic/reviews/monthly/ward-a/2026-05", {"attendees": "Ann\x00", "notes": ""}),
        ("/orgs/clinic/admin/tokens", {"name": "ci\x00"}),
        (MEMBERS, {"email": "new\x00@clinic.example", "role": "viewer"}),
        ("/orgs/clinic/admin/members/viewer%40clinic.example/role", {"role": "edi\x00tor"}),
    ],
)
def test_a_nul_in_a_form_is_refused_naming_the_field(
    served: Seeded, url: str, form: dict[str, str]
) -> None:
    """PostgreSQL cannot store NUL: these page requests gave 500s there. Now 422, and the
    page names the field."""
    client = served.client
    if url != "/signin":
        _signed_in(client)
        token = token_for(client.cookies[SESSION_COOKIE])
    else:
        token = _page_token(client, "/signin")
    answer = client.post(url, data={**form, "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 422, answer.text
    bad = next(name for name, value in form.items() if "\x00" in value)
    assert f"{bad}: contains the control character U+0000" in answer.text


def test_control_characters_in_paths_bodies_and_days_are_refused(served: Seeded) -> None:
    """A NUL in a path (/orgs/o%00rgb/) or a query: 422 for pages and API; a JSON body's
    NUL anywhere, or a tab in a one-line title: 422 naming the field; a line break in a
    multi-line description is kept. as_of=0 was 1970-01-01: now refused."""
    client = served.client
    admin = served.headers("admin")
    assert client.get("/orgs/o%00rgb/").status_code == 422
    assert client.get("/api/v1/orgs/o%00rgb/analysis", headers=admin).status_code == 422
    url = "/api/v1/orgs/clinic/objectives/A1"
    current = client.get(url, headers=admin)
    version = current.headers["etag"]
    for body, field in [({"title": "A\u0000"}, "body.title"), ({"title": "A\tB"}, "title")]:
        answer = client.put(url, json=body, headers={**admin, "If-Match": version})
        assert answer.status_code == 422, answer.text
        assert field in str(answer.json()["detail"])
    for as_of in ("0", "20260615", "2026-6-15"):
        answer = client.get(f"/api/v1/orgs/clinic/analysis?as_of={as_of}", headers=admin)
        assert answer.status_code == 422, as_of
        assert "YYYY-MM-DD" in answer.text
    _signed_in(client)
    assert client.get("/orgs/clinic/?as_of=0").status_code == 422


def test_text_longer_than_its_field_is_refused(served: Seeded) -> None:
    """A unit name of 301 characters (a line holds 300): 422 naming body.name; the review's
    104,857,560-character name never reaches a route (413 at the door, 1 MB)."""
    admin = served.headers("admin")
    long_name = {"id": "long", "name": "n" * 301}
    answer = served.client.post("/api/v1/orgs/clinic/units", json=long_name, headers=admin)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "body.name"
    huge = {"id": "huge", "name": "n" * 2_000_000}
    assert (
        served.client.post("/api/v1/orgs/clinic/units", json=huge, headers=admin).status_code == 413
    )
    units = served.client.get("/api/v1/orgs/clinic/units", headers=admin).json()["items"]
    assert {"long", "huge"}.isdisjoint({u["id"] for u in units})


def test_a_100_mb_post_without_credentials_is_refused_before_its_body_is_sent(
    engine: Engine,
) -> None:
    """The review's attack on a served hoshin: a POST announcing 100 MB to the sign-in, with
    no credentials. The server answers 413 at once, with not one byte of the body sent (it
    used to read it all, 220 -> 507 MB, before answering 401), and closes the connection."""
    seed(engine)
    with serving(create_server(session_factory(engine))) as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(
                b"POST /api/v1/session HTTP/1.1\r\nHost: hoshin\r\n"
                b"Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
            )
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b"connection: close" in head.lower()
    assert json.loads(body)["detail"] == [
        {"reason": "the body may hold at most 1,048,576 bytes (HOSHIN_MAX_BODY_BYTES)"}
    ]


def test_every_form_of_every_page_carries_the_sessions_token(served: Seeded) -> None:
    """Every page an admin reaches from the organisation's pages (followed link by link,
    three steps deep): each answers 200, and each of its forms that posts carries the hidden
    csrf_token of the session, so none can fail the guard when a person submits it."""
    client = served.client
    token = _signed_in(client)
    start = "/orgs/clinic/?as_of=2026-06-15"
    seen: set[str] = set()
    frontier = [start]
    forms = 0
    for _ in range(3):
        found: list[str] = []
        for url in frontier:
            if url in seen:
                continue
            seen.add(url)
            answer = client.get(url)
            assert answer.status_code == 200, url
            for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", answer.text, re.S):
                forms += 1
                assert f'name="csrf_token" value="{token}"' in form, (url, form[:200])
            links = re.findall(r'href="(/orgs/clinic/[^"#]*)"', answer.text)
            found += [link.replace("&amp;", "&") for link in links]
        frontier = sorted(set(found) - seen)
    assert len(seen) > 40 and forms > 40, (len(seen), forms)


def test_an_id_past_what_the_database_holds_is_refused_not_a_server_error(
    served: Seeded,
) -> None:
    """Schemathesis found it on PostgreSQL: DELETE .../invitations/4611686018427387903 was a
    500 (its INTEGER key holds 2**31 - 1 at most). Every id numbered by hoshin is now
    refused past that, 422; the largest it holds is simply not found (404)."""
    admin = served.headers("admin")
    huge, largest = 2**62 - 1, 2**31 - 1
    for url in (f"/api/v1/orgs/clinic/invitations/{huge}", f"/api/v1/me/tokens/{huge}"):
        assert served.client.delete(url, headers=admin).status_code == 422, url
    assert (
        served.client.get(f"/api/v1/orgs/clinic/catchball/{huge}", headers=admin).status_code == 422
    )
    for url in (f"/api/v1/orgs/clinic/invitations/{largest}", f"/api/v1/me/tokens/{largest}"):
        assert served.client.delete(url, headers=admin).status_code == 404, url

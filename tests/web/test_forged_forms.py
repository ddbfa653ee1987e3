"""Forged form posts, as the security review made them: a page on the same site (another
port of the same host) auto-posts the admin's "add member" form. The browser sends the
admin's cookie with it (same site, SameSite=Lax), so only hoshin's own checks stop it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import Page, expect

from .web_support import ADMIN, axe_violations, screenshot, sign_in

MEMBERS = "/orgs/clinic/admin/members"
REFUSED = "This change was refused: it did not come from a hoshin page you opened"


@contextmanager
def evil_site(target: str) -> Iterator[str]:
    """A page on another port of 127.0.0.1 that posts a new admin to ``target`` on load."""
    page = f"""<!doctype html><html><body>
<form id="f" method="post" action="{escape(target)}">
<input name="email" value="attacker@evil.example"><input name="role" value="admin">
<input name="csrf_token" value="guessed">
</form><script>document.getElementById("f").submit()</script></body></html>""".encode()

    class Evil(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test reads what the browser shows."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Evil)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_forged_add_member_from_another_port_is_refused(fresh_server: str, page: Page) -> None:
    """The admin, signed in, opens the attacker's page: the browser posts the form with the
    admin's cookie; hoshin answers 403 with a page that says what happened, and the member
    list is unchanged. On a phone the refusal reads as well."""
    sign_in(page, fresh_server, ADMIN)
    with evil_site(f"{fresh_server}{MEMBERS}") as evil:
        with page.expect_response(f"{fresh_server}{MEMBERS}") as posted:
            page.goto(evil)
        assert posted.value.status == 403
        assert posted.value.request.headers.get("origin") == evil.rstrip("/")
    expect(page.get_by_role("alert")).to_contain_text(REFUSED)
    assert axe_violations(page) == []
    screenshot(page, "forged-form-refused")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "forged-form-refused-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{fresh_server}/orgs/clinic/admin")
    expect(page.get_by_text("attacker@evil.example")).to_have_count(0)

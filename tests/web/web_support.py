"""The browser suite's helpers: a real ``hoshin serve`` on a database prepared with the CLI
as a user would, and what the tests do with a page (sign in, run axe, take a screenshot).

The database holds examples/small.yaml as organisation ``clinic`` ("Riverside Clinic") with
two users, both with the password PASSWORD: ADMIN (role admin, no person in the plan) and
BEN (role contributor, linked to person ``ben``, who owns objectives A1 and T1 and so the
metrics ``huddles`` and ``trained``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from factories import add_member, make_organization
from hoshin.domain.model import Plan
from hoshin.guard.csrf import PRESESSION_COOKIE, token_for
from hoshin.planfile import read_plan
from hoshin.runtime.engine import session_factory
from hoshin.server import create_server
from hoshin.service.account import SESSION_COOKIE
from serving import hoshin_serve

REPO = Path(__file__).resolve().parents[2]
SMALL_PLAN = REPO / "examples" / "small.yaml"
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the suite runs as root in CI, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",  # no network but loopback here: no update checks
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The servers' databases, as the storage suites' (tests/conftest.py, whose pg_admin_url gives
# PostgreSQL here too, or fails under CI=true).
BACKENDS = ("sqlite", "postgresql")
ORG = "clinic"
ORG_NAME = "Riverside Clinic"
ADMIN = "admin@clinic.example"
BEN = "ben@clinic.example"
PASSWORD = "correct horse battery"
SERVER_START_SECONDS = 20.0
# Each running server's output file, by base URL: a failed test's report ends with it.
SERVER_LOGS: dict[str, Path] = {}


def with_csrf(client: TestClient) -> TestClient:
    """``client``, sending the CSRF token of its session (or of a pre-session cookie of its
    own) with every request, as hoshin's pages do in each form."""

    def add_token(request: httpx.Request) -> None:
        jar = SimpleCookie(request.headers.get("cookie", ""))
        chosen = jar.get(SESSION_COOKIE) or jar.get(PRESESSION_COOKIE)
        secret = chosen.value if chosen is not None else "a-test-presession"
        if chosen is None:
            cookie = request.headers.get("cookie")
            own = f"{PRESESSION_COOKIE}={secret}"
            request.headers["cookie"] = f"{cookie}; {own}" if cookie else own
        request.headers["x-csrf-token"] = token_for(secret)

    client.event_hooks = {"request": [add_token], "response": []}
    return client


@contextmanager
def clinic_pages(
    engine: Engine, users: Mapping[str, tuple[str, str | None]], plan: Plan | None = None
) -> Iterator[TestClient]:
    """A client of the pages on ``plan`` (examples/small.yaml) as 'clinic', with a member
    NAME@clinic.example for each of ``users`` (name -> role, person), sending the CSRF token
    as the forms do."""
    sessions = session_factory(engine)
    with sessions() as session:
        make_organization(
            session, slug="clinic", name="Riverside Clinic", plan=plan or read_plan(SMALL_PLAN)
        )
        for name, (role, person) in users.items():
            email = f"{name}@clinic.example"
            add_member(session, email=email, role=role, person=person, password=PASSWORD)
        session.commit()
    with with_csrf(TestClient(create_server(sessions))) as client:
        yield client


def signed_in_as(client: TestClient, name: str) -> None:
    """``client`` signed in as NAME@clinic.example (and no one else)."""
    client.cookies.clear()
    data = {"email": f"{name}@clinic.example", "password": PASSWORD}
    assert client.post("/signin", data=data).url.path == "/orgs/clinic/"


def page_token(page: Page) -> str:
    """The CSRF token of the page shown (what its forms and htmx requests send)."""
    headers = json.loads(page.locator("body").get_attribute("hx-headers") or "{}")
    token: str = headers["X-CSRF-Token"]
    return token


def _hoshin(database_url: str, *args: str, stdin: str | None = None) -> None:
    """Runs one ``hoshin`` command on the database; a failure shows what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "hoshin", *args],
        env={**os.environ, "HOSHIN_DATABASE_URL": database_url},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"hoshin {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )


def prepare_database(folder: Path) -> Path:
    """Makes the clinic's SQLite database in folder with the CLI, as a user would."""
    path = folder / "web.db"
    prepare_clinic(f"sqlite:///{path}")
    return path


def prepare_clinic(url: str) -> None:
    """Makes the clinic in the empty database at ``url`` with the CLI, as a user would."""
    _hoshin(url, "db", "upgrade")
    _hoshin(url, "org", "create", ORG, ORG_NAME)
    _hoshin(url, "import", str(SMALL_PLAN), "--org", ORG)
    password = f"{PASSWORD}\n"
    admin = ["user", "add", ADMIN, "--org", ORG, "--role", "admin"]
    _hoshin(url, *admin, "--password-stdin", stdin=password)
    ben = ["user", "add", BEN, "--org", ORG, "--role", "contributor", "--person", "ben"]
    _hoshin(url, *ben, "--name", "Ben Ode", "--password-stdin", stdin=password)


def copy_database(template: Path, folder: Path) -> str:
    """A copy of the prepared database in folder, for one server; returns its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / template.name
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def _admin(admin_url: str) -> Engine:
    """An engine for CREATE/DROP DATABASE; no pool, so nothing stays connected."""
    return create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@contextmanager
def postgres_database(admin_url: str, *, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database beside ``admin_url``'s, empty or a copy of ``template``;
    yields its URL and drops it afterwards."""
    name = f"hoshin_web_{uuid.uuid4().hex[:10]}"
    copied = f' TEMPLATE "{template}"' if template else ""
    admin = _admin(admin_url)
    try:
        with admin.connect() as connection:
            for attempt in range(20):  # a server on the template may still be closing
                try:
                    connection.execute(text(f'CREATE DATABASE "{name}"{copied}'))
                    break
                except OperationalError:
                    if attempt == 19:
                        raise
                    time.sleep(0.1)
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def running_server(
    database_url: str, log: Path, *, env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """``hoshin serve`` on a free loopback port, answering; yields its base URL. ``env`` adds
    to the environment (PYTHONPATH: a server run from an installed wheel)."""
    more = {**(env or {}), "PYTHONUNBUFFERED": "1"}
    with hoshin_serve(database_url, env=more, log=log, wait=SERVER_START_SECONDS) as served:
        port, process = served
        base_url = f"http://127.0.0.1:{port}"
        SERVER_LOGS[base_url] = log
        try:
            yield base_url
        finally:
            SERVER_LOGS.pop(base_url, None)
            died = process.poll()
    if died is not None:
        output_text = log.read_text()
        sys.stderr.write(f"hoshin serve died during the tests (exit {died}):\n{output_text}")
        pytest.fail(f"hoshin serve died during the tests (exit {died}):\n{output_text}")


def server_log_tail(base_url: str, lines: int = 40) -> str | None:
    """The last lines the server at base_url printed, if it is one of ours."""
    log = SERVER_LOGS.get(base_url)
    if log is None or not log.exists():
        return None
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Signs in through the form, by its labels, and waits until the page leaves /signin."""
    page.goto(f"{base_url}/signin")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # argon2 at its real cost (64 MiB, 3 passes) is slow on a loaded 2-core machine
    expect(page).not_to_have_url(re.compile(r"/signin(\?.*)?$"), timeout=30_000)
    page.wait_for_load_state()  # the page signed in to, before the test goes elsewhere


_SERIOUS_VIOLATIONS = """async () => {
  const results = await axe.run(document);
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} ${v.impact} ${v.nodes.length ? v.nodes[0].target.join(" ") : ""}`);
}"""


def axe_violations(page: Page) -> list[str]:
    """The page's serious and critical axe-core violations: "id impact first-target" each."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT.relative_to(REPO)} is missing: run make setup (npm ci)")
    # evaluated, not added as a <script>: the Content-Security-Policy refuses inline scripts
    page.evaluate(AXE_SCRIPT.read_text())
    violations: list[str] = page.evaluate(_SERIOUS_VIOLATIONS)
    return violations


def fits_the_width(page: Page) -> bool:
    """Whether the page fits the window's width (no sideways scroll), after two frames:
    the charts follow a new width when their ResizeObserver is called."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def screenshot(page: Page, name: str) -> Path:
    """Saves the whole page as build/screenshots/<name>.png; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path

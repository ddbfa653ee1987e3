"""Every account and organisation change from the command line is an audit event of the
operating-system user, and `hoshin audit` prints the trail; on both databases."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select, update
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.runtime.sessions import one_session
from hoshin.service import account
from hoshin.service import audit as audit_service
from hoshin.store.audit import AuditEventRow

runner = CliRunner()
SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
PASSWORD = "Zq8#vorpal-Teapot-44"
FIELDS = {"id", "at", "actor", "origin", "entity", "key", "change", "before", "after",
          "user_id", "plan_version"}  # fmt: skip


@pytest.fixture(autouse=True)
def operator(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands run as the operating-system user "ops", and argon2 is cheap."""
    monkeypatch.setattr("getpass.getuser", lambda: "ops")
    hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account, "password_hash", PasswordHash((hasher,)))


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """A database with the organisation acme, made by the command line."""
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    yield database_url


def hoshin(url: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    env = {"HOSHIN_DATABASE_URL": url, "COLUMNS": "200"}
    result = runner.invoke(app, list(args), input=input, env=env)
    return result.exit_code, result.stdout, result.stderr


def trail(url: str, *args: str) -> list[dict[str, Any]]:
    """`hoshin audit ... --format json`: one object per line."""
    code, out, err = hoshin(url, "audit", *args, "--format", "json")
    assert (code, err) == (0, "")
    return [json.loads(line) for line in out.splitlines()]


def brief(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Who, from where, what, and the state before and after of each event."""
    return [
        (e["actor"], e["origin"], e["entity"], e["key"], e["change"], e["before"], e["after"])
        for e in events
    ]


def add_ana(url: str, role: str = "editor") -> None:
    """Adds ana@acme.org to acme, the password on stdin."""
    args = ("user", "add", "ana@acme.org", "--org", "acme", "--role", role, "--name", "Ana")
    assert hoshin(url, *args, "--password-stdin", input=PASSWORD + "\n")[0] == 0


ANA = {"email": "ana@acme.org", "name": "Ana", "person": None}


def test_org_create_user_add_and_user_role_are_events_of_the_operator(url: str) -> None:
    add_ana(url)
    assert hoshin(url, "user", "role", "ana@acme.org", "--org", "acme", "--role", "viewer")[0] == 0
    # the same role again changes nothing, so it adds no event
    assert hoshin(url, "user", "role", "ana@acme.org", "--org", "acme", "--role", "viewer")[0] == 0
    assert brief(trail(url, "--org", "acme")) == [
        ("cli:ops", "cli", "organization", "acme", "create", None,
         {"slug": "acme", "name": "Acme"}),
        ("cli:ops", "cli", "member", "ana@acme.org", "create", None,
         {**ANA, "role": "editor"}),
        ("cli:ops", "cli", "member", "ana@acme.org", "update", {**ANA, "role": "editor"},
         {**ANA, "role": "viewer"}),
    ]  # fmt: skip
    # The account itself belongs to no organisation: its event is in the system trail.
    assert brief(trail(url, "--system")) == [
        ("cli:ops", "cli", "user", "ana@acme.org", "create", None, ANA)
    ]


def test_token_create_and_revoke_are_system_events_without_the_secret(url: str) -> None:
    add_ana(url)
    code, out, _ = hoshin(url, "token", "create", "--user", "ana@acme.org", "--name", "ci")
    assert code == 0
    token = out.strip()
    assert hoshin(url, "token", "revoke", "1")[0] == 0
    assert hoshin(url, "token", "revoke", "1")[0] == 0  # revoked already: no second event
    events = trail(url, "--system")
    ci = {"name": "ci", "user": "ana@acme.org"}
    assert brief(events)[1:] == [
        ("cli:ops", "cli", "token", "1", "create", None, ci),
        ("cli:ops", "cli", "token", "1", "revoke", {**ci, "revoked": False},
         {**ci, "revoked": True}),
    ]  # fmt: skip
    text = json.dumps(events)
    assert token not in text and hashlib.sha256(token.encode()).hexdigest() not in text
    assert "password" not in text and "argon2" not in text


def test_import_is_an_event_of_the_operator(url: str) -> None:
    assert hoshin(url, "import", str(SMALL), "--org", "acme")[0] == 0
    (event,) = [e for e in trail(url, "--org", "acme") if e["entity"] == "plan"]
    assert (event["actor"], event["origin"], event["key"], event["change"]) == (
        "cli:ops", "cli", "acme", "import"
    )  # fmt: skip
    assert event["after"]["file"] == "small.yaml"


def test_setup_demo_records_its_changes_as_the_operator(database_url: str) -> None:
    code, _, err = hoshin(database_url, "setup", "--demo")
    assert code == 0, err
    assert [e[:5] for e in brief(trail(database_url, "--org", "demo"))] == [
        ("cli:ops", "cli", "organization", "demo", "create"),
        ("cli:ops", "cli", "plan", "demo", "import"),
        ("cli:ops", "cli", "member", "admin@demo.example", "create"),
    ]
    assert [e[:5] for e in brief(trail(database_url, "--system"))] == [
        ("cli:ops", "cli", "user", "admin@demo.example", "create")
    ]


def test_the_json_trail_has_every_field(url: str) -> None:
    add_ana(url)
    events = trail(url, "--org", "acme")
    assert [set(event) for event in events] == [FIELDS, FIELDS]
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)  # oldest first
    at = datetime.fromisoformat(events[0]["at"])
    assert at.tzinfo is not None and at.utcoffset() is not None


def test_the_text_trail_is_a_table_of_when_who_where_what_and_the_change(url: str) -> None:
    add_ana(url)
    assert hoshin(url, "user", "role", "ana@acme.org", "--org", "acme", "--role", "viewer")[0] == 0
    code, out, err = hoshin(url, "audit", "--org", "acme")
    assert (code, err) == (0, "")
    lines = [line.split() for line in out.splitlines() if line.strip()]
    assert lines[0] == ["when", "(UTC)", "who", "from", "what", "change"]
    rows = [line for line in lines if line[0][:2] == "20"]
    assert [row[2:] for row in rows] == [
        ["cli:ops", "cli", "organization", "acme", "create", "slug=acme,", "name=Acme"],
        ["cli:ops", "cli", "member", "ana@acme.org", "create", "email=ana@acme.org,",
         "name=Ana,", "person=null,", "role=editor"],
        ["cli:ops", "cli", "member", "ana@acme.org", "update", "role:", "editor", "→", "viewer"],
    ]  # fmt: skip
    code, out, _ = hoshin(url, "audit", "--system")
    assert "user ana@acme.org create" in " ".join(out.split())


def dated(url: str, days: list[str]) -> None:
    """Dates acme's events, oldest first, at these UTC moments."""
    with one_session(url) as session:
        query = select(AuditEventRow.id).where(AuditEventRow.org_id.is_not(None))
        ids = session.scalars(query.order_by(AuditEventRow.id)).all()
        for event_id, day in zip(ids, days, strict=True):
            moment = datetime.fromisoformat(day).replace(tzinfo=UTC)
            session.execute(update(AuditEventRow).where(AuditEventRow.id == event_id)
                            .values(at=moment))  # fmt: skip
        session.commit()


@pytest.mark.parametrize(
    ("since", "kept"),
    [
        # events at Jan 10 12:00, Feb 1 00:00 and Mar 5 08:30 (UTC)
        ("2026-01-01", ["organization", "member", "member"]),
        ("2026-02-01", ["member", "member"]),  # a day counts from its first moment
        ("2026-02-01T00:00:01Z", ["member"]),
        ("2026-02-01T01:00:00+02:00", ["member", "member"]),  # 2026-01-31 23:00 UTC
        ("2026-03-05T08:30:00", ["member"]),  # without an offset: UTC
        ("2026-03-06", []),
    ],
)
def test_since_keeps_the_events_from_that_moment(url: str, since: str, kept: list[str]) -> None:
    add_ana(url)
    assert hoshin(url, "user", "role", "ana@acme.org", "--org", "acme", "--role", "viewer")[0] == 0
    dated(url, ["2026-01-10T12:00", "2026-02-01T00:00", "2026-03-05T08:30"])
    assert [e["entity"] for e in trail(url, "--org", "acme", "--since", since)] == kept


def test_an_empty_trail_says_so(url: str) -> None:
    assert hoshin(url, "audit", "--org", "acme", "--since", "2999-01-01") == (
        0, "no audit events of acme since 2999-01-01\n", ""
    )  # fmt: skip
    assert hoshin(url, "audit", "--system") == (0, "no audit events of the accounts\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--org", "acme", "--since", "last week"),
         "--since: 'last week' is neither a date nor a timestamp: write YYYY-MM-DD or an ISO "
         "timestamp such as 2026-12-04T18:30:00Z"),
        (("--org", "acme", "--since", "2026-02-30"),
         "--since: '2026-02-30' is neither a date nor a timestamp: write YYYY-MM-DD or an ISO "
         "timestamp such as 2026-12-04T18:30:00Z"),
        ((), "give either --org SLUG or --system"),
        (("--org", "acme", "--system"), "give either --org SLUG or --system"),
        (("--org", "nobody"), "no organisation 'nobody'"),
    ],
)  # fmt: skip
def test_bad_options_exit_2_with_a_message(url: str, args: tuple[str, ...], message: str) -> None:
    assert hoshin(url, "audit", *args) == (2, "", f"hoshin: {message}\n")


def test_a_long_trail_is_read_a_page_at_a_time(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    add_ana(url)
    for role in ("viewer", "admin", "contributor"):
        assert hoshin(url, "user", "role", "ana@acme.org", "--org", "acme", "--role", role)[0] == 0
    everything = trail(url, "--org", "acme")
    monkeypatch.setattr(audit_service, "PAGE", 2)  # 5 events: pages of 2, 2 and 1
    assert trail(url, "--org", "acme") == everything
    assert [e["after"].get("role") for e in everything] == [
        None, "editor", "viewer", "admin", "contributor"
    ]  # fmt: skip

"""user password, user disable and user enable from the command line, on both databases,
and the password rule at user add."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.errors import Forbidden
from hoshin.runtime.sessions import one_session
from hoshin.service import account
from hoshin.store.audit import AuditEventRow

runner = CliRunner()
PASSWORD = "correct horse"
NEW = "a much better secret"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2: the commands run in this process."""
    hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account, "password_hash", PasswordHash((hasher,)))


def hoshin(url: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    result = runner.invoke(app, list(args), input=input, env={"HOSHIN_DATABASE_URL": url})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """A database with the organisation acme and its editor ana@acme.org."""
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    add = ("user", "add", "ana@acme.org", "--org", "acme", "--role", "editor")
    assert hoshin(database_url, *add, "--password-stdin", input=PASSWORD + "\n")[0] == 0
    yield database_url


def sign_in(url: str, password: str) -> str:
    """Signs ana in through the service; the session's secret (Forbidden if refused)."""
    with one_session(url) as session:
        _, secret = account.sign_in(
            session, email="ana@acme.org", password=password, now=NOW, client="127.0.0.1"
        )
        session.commit()
        return secret


def account_events(url: str) -> list[tuple[str, str, str, dict[str, object] | None]]:
    """(actor, key, change, after) of the events of no organisation, oldest first."""
    with one_session(url) as session:
        rows = session.query(AuditEventRow).filter(AuditEventRow.org_id.is_(None))
        return [(r.actor, r.key, r.change, r.after) for r in rows.order_by(AuditEventRow.id)]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("1234567890", "the password is too easy to guess: This is a top-100 common password. "
         "Add another word or two. Uncommon words are better."),
        ("ana@acme.org", "the password is too easy to guess: It contains your email or name. "
         "Add another word or two. Uncommon words are better."),
    ],
)  # fmt: skip
def test_user_add_refuses_a_weak_password_with_the_reason(
    database_url: str, password: str, message: str
) -> None:
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    add = ("user", "add", "ana@acme.org", "--org", "acme", "--role", "editor", "--password-stdin")
    assert hoshin(database_url, *add, input=password + "\n") == (2, "", f"hoshin: {message}\n")


def test_user_password_sets_it_and_ends_sessions_and_tokens(url: str) -> None:
    old_session = sign_in(url, PASSWORD)
    code, token, _ = hoshin(url, "token", "create", "--user", "ana@acme.org", "--name", "ci")
    assert code == 0
    done = hoshin(url, "user", "password", "ANA@acme.org", "--password-stdin", input=NEW + "\n")
    assert done == (
        0, "changed the password of ana@acme.org; their sessions and API tokens ended\n", "",
    )  # fmt: skip
    with one_session(url) as session:
        assert account.session_principal(session, secret=old_session, now=NOW) is None
        assert account.token_principal(session, token=token.strip(), now=NOW) is None
    with pytest.raises(Forbidden):
        sign_in(url, PASSWORD)
    assert sign_in(url, NEW)
    actor, key, change, after = account_events(url)[-1]
    assert (actor.startswith("cli:"), key, change) == (True, "ana@acme.org", "password")
    assert after == {"password": "changed", "sessions_ended": 1, "tokens_revoked": 1}
    assert PASSWORD not in str(account_events(url)) and NEW not in str(account_events(url))


def test_user_password_asks_twice_and_refuses_a_weak_one(url: str) -> None:
    code, out, _ = hoshin(url, "user", "password", "ana@acme.org", input=f"{NEW}\n{NEW}\n")
    assert code == 0 and out.count("New password") == 1 and NEW not in out
    assert sign_in(url, NEW)
    weak = hoshin(url, "user", "password", "ana@acme.org", "--password-stdin", input="aaaaaaaaaa\n")
    assert weak[0] == 2 and weak[2].startswith("hoshin: the password is too easy to guess: Repeats")
    unknown = hoshin(url, "user", "password", "bo@acme.org", "--password-stdin", input=NEW + "\n")
    assert unknown == (2, "", "hoshin: no user 'bo@acme.org'\n")


def test_user_disable_and_enable(url: str) -> None:
    session_secret = sign_in(url, PASSWORD)
    assert hoshin(url, "user", "disable", "ana@acme.org") == (
        0, "disabled ana@acme.org: their sessions and API tokens ended\n", "",
    )  # fmt: skip
    with one_session(url) as session:
        assert account.session_principal(session, secret=session_secret, now=NOW) is None
    with pytest.raises(Forbidden, match="wrong email or password"):
        sign_in(url, PASSWORD)
    assert hoshin(url, "user", "disable", "ana@acme.org")[0] == 0  # already: nothing changes
    assert hoshin(url, "user", "enable", "ana@acme.org") == (0, "enabled ana@acme.org\n", "")
    assert sign_in(url, PASSWORD)
    changes = [(key, change, after) for _, key, change, after in account_events(url)[-2:]]
    assert changes == [
        ("ana@acme.org", "disable", {"active": False, "sessions_ended": 1, "tokens_revoked": 0}),
        ("ana@acme.org", "enable", {"active": True}),
    ]
    assert hoshin(url, "user", "enable", "bo@acme.org") == (
        2,
        "",
        "hoshin: no user 'bo@acme.org'\n",
    )

"""user add/role and token create/list/revoke from the command line, on both databases."""

from __future__ import annotations

import re
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
from hoshin.service.account import Principal
from hoshin.store.account import find_membership
from hoshin.store.organization import get_organization
from hoshin.store.user import find_user

runner = CliRunner()
PASSWORD = "correct horse"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2: the commands run in this process."""
    hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account, "password_hash", PasswordHash((hasher,)))


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """A database with the organisation acme."""
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    yield database_url


def hoshin(url: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    result = runner.invoke(app, list(args), input=input, env={"HOSHIN_DATABASE_URL": url})
    return result.exit_code, result.stdout, result.stderr


def add_ana(url: str, role: str = "editor") -> None:
    """Adds ana@acme.org to acme, the password on stdin."""
    code, out, err = hoshin(
        url,
        *("user", "add", "Ana@Acme.org", "--org", "acme", "--role", role, "--name", "Ana"),
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert (code, out, err) == (0, f"added ana@acme.org as {role} of acme\n", "")


def signed_in(url: str, password: str = PASSWORD) -> Principal:
    """Signs ana@acme.org in through the service, as the server would."""
    with one_session(url) as session:
        principal, _ = account.sign_in(
            session, email="ana@acme.org", password=password, now=NOW, client="127.0.0.1"
        )
        return principal


def role_in_acme(url: str) -> str | None:
    """ana@acme.org's role in acme."""
    with one_session(url) as session:
        user = account.get_user(session, email="ana@acme.org")
        org = get_organization(session, slug="acme")
        member = find_membership(session, user_id=user.id, org_id=org.id)
        return None if member is None else member.role


def test_user_add_reads_the_password_from_stdin(url: str) -> None:
    add_ana(url)
    assert signed_in(url).email == "ana@acme.org"
    assert role_in_acme(url) == "editor"


def test_user_add_asks_for_the_password_twice(url: str) -> None:
    code, out, _ = hoshin(
        url,
        *("user", "add", "ana@acme.org", "--org", "acme", "--role", "viewer"),
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert code == 0 and out.endswith("added ana@acme.org as viewer of acme\n")
    assert "Password" in out and PASSWORD not in out  # hidden input
    assert signed_in(url).email == "ana@acme.org"


def test_user_add_refuses_and_changes_nothing(url: str) -> None:
    cases = [
        ("ana@acme.org", "acme", "editor", "short\n", "a password needs at least 10 characters"),
        ("ana@acme.org", "acme", "editor", "", "a password needs at least 10 characters"),
        ("ana@acme.org", "nobody", "editor", PASSWORD, "no organisation 'nobody'"),
        ("ana", "acme", "editor", PASSWORD, "'ana' is not an email address"),
        (
            "ana@acme.org",
            "acme",
            "boss",
            PASSWORD,
            "'boss' is not a role: use one of admin, editor, contributor, viewer",
        ),
    ]
    for email, org, role, stdin, message in cases:
        args = ("user", "add", email, "--org", org, "--role", role, "--password-stdin")
        assert hoshin(url, *args, input=stdin) == (2, "", f"hoshin: {message}\n")
    # The refused adds left no user behind: the email is still free.
    add_ana(url)


def test_user_add_twice_points_to_user_role(url: str) -> None:
    add_ana(url)
    code, out, err = hoshin(
        url,
        *("user", "add", "ana@acme.org", "--org", "acme", "--role", "admin", "--password-stdin"),
        input="another password\n",
    )
    assert (code, out) == (2, "")
    assert err == (
        "hoshin: a user 'ana@acme.org' exists already: change their role with `hoshin user role`\n"
    )
    assert "Traceback" not in err
    assert signed_in(url).email == "ana@acme.org"  # the first password still holds


def test_user_role_changes_the_role(url: str) -> None:
    add_ana(url, role="viewer")
    code, out, _ = hoshin(url, "user", "role", "ANA@acme.org", "--org", "acme", "--role", "admin")
    assert (code, out) == (0, "ana@acme.org is admin of acme\n")
    assert role_in_acme(url) == "admin"
    code, _, err = hoshin(url, "user", "role", "bob@acme.org", "--org", "acme", "--role", "admin")
    assert (code, err) == (2, "hoshin: no user 'bob@acme.org'\n")


def test_token_create_list_and_revoke(url: str) -> None:
    add_ana(url)
    code, out, err = hoshin(url, "token", "create", "--user", "ana@acme.org", "--name", "ci")
    assert code == 0 and re.fullmatch(r"hsn_[A-Za-z0-9_-]{43}\n", out)
    assert err == "this token will not be shown again: keep it somewhere safe\n"
    token = out.strip()
    with one_session(url) as session:
        principal = account.token_principal(session, token=token, now=NOW)
        assert principal is not None and principal.email == "ana@acme.org"
        session.commit()

    code, out, _ = hoshin(url, "token", "list", "--user", "ana@acme.org")
    assert code == 0 and token not in out
    fields = out.rstrip("\n").split("\t")
    assert len(out.splitlines()) == 1 and fields[:2] == ["1", "ci"]
    assert re.fullmatch(r"created \d{4}-\d\d-\d\d \d\d:\d\d UTC", fields[2])
    assert fields[3:] == ["used 2026-11-22 12:00 UTC", "active"]

    assert hoshin(url, "token", "revoke", "1") == (0, "revoked API token 1\n", "")
    with one_session(url) as session:
        assert account.token_principal(session, token=token, now=NOW) is None
    out = hoshin(url, "token", "list", "--user", "ana@acme.org")[1]
    assert out.split("\t")[4].startswith("revoked ")


def test_token_errors_are_messages(url: str) -> None:
    assert hoshin(url, "token", "create", "--user", "bob@acme.org") == (
        2,
        "",
        "hoshin: no user 'bob@acme.org'\n",
    )
    assert hoshin(url, "token", "list", "--user", "bob@acme.org")[2] == (
        "hoshin: no user 'bob@acme.org'\n"
    )
    assert hoshin(url, "token", "revoke", "99") == (2, "", "hoshin: no API token 99\n")
    add_ana(url)
    assert hoshin(url, "token", "list", "--user", "ana@acme.org") == (
        0,
        "ana@acme.org has no API tokens\n",
        "",
    )


def test_a_wrong_password_is_refused_after_user_add(url: str) -> None:
    add_ana(url)
    with pytest.raises(Forbidden, match="wrong email or password"):
        signed_in(url, password="not the password")


def test_control_characters_and_overlong_names_are_refused_on_the_command_line(url: str) -> None:
    """The CLI is a door like the others (domain.text): an organisation's name of 301
    characters, a user's name with BEL, a token's name with an ANSI escape (it would recolour
    the terminal of whoever lists the tokens) exit 2 naming the field; nothing is made."""
    code, _, err = hoshin(url, "org", "create", "long", "n" * 301)
    assert (code, err) == (2, "hoshin: name: is 301 characters long: at most 300\n")
    code, _, err = hoshin(url, "org", "create", "b\x01d", "Bad")
    assert code == 2 and "'b\\x01d' cannot name an organisation" in err
    add = ("user", "add", "bo@acme.org", "--org", "acme", "--role", "viewer", "--password-stdin")
    code, _, err = hoshin(url, *add, "--name", "Bo\x07", input=PASSWORD + "\n")
    assert code == 2
    assert err == "hoshin: name: contains the control character U+0007, which is not allowed\n"
    add_ana(url)
    code, _, err = hoshin(url, "token", "create", "--user", "ana@acme.org", "--name", "ci\x1b[31m")
    assert code == 2 and "U+001B" in err
    code, out, _ = hoshin(url, "token", "list", "--user", "ana@acme.org")
    assert code == 0 and "ci" not in out
    code, out, _ = hoshin(url, "org", "list")
    assert "long" not in out and "Bad" not in out
    with one_session(url) as session:
        assert find_user(session, email="bo@acme.org") is None

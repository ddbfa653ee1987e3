"""hoshin scim token, tokens and revoke on both databases: the token printed once (only its
SHA-256 kept), listed without it, revoked, mistakes said in one line, the operator audited."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.cli.app import operator
from hoshin.runtime.sessions import one_session
from hoshin.store.audit import list_events
from hoshin.store.organization import get_organization
from hoshin.store.scim import ScimTokenRow

runner = CliRunner()
BASE = "https://hoshin.acme.org"


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """A database with the organisation acme."""
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    yield database_url


def hoshin(url: str, *args: str) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    env = {"HOSHIN_DATABASE_URL": url, "HOSHIN_BASE_URL": BASE + "/"}
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_a_token_is_printed_once_listed_and_revoked(url: str) -> None:
    code, out, err = hoshin(url, "scim", "token", "--org", "acme", "--name", "entra")
    assert code == 0, err
    token = out.strip()
    assert token.startswith("hsc_") and len(token) > 40
    assert f"base URL {BASE}/scim/v2" in err
    with one_session(url) as session:
        (row,) = session.query(ScimTokenRow).all()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    code, out, _ = hoshin(url, "scim", "tokens", "--org", "acme")
    assert code == 0
    assert out.startswith(f"{row.id}\tentra\tcreated ")
    assert "never used\tactive" in out and token not in out
    assert hoshin(url, "scim", "revoke", "--org", "acme", str(row.id))[:2] == (
        0, f"revoked SCIM token {row.id} of acme\n",
    )  # fmt: skip
    assert "\trevoked " in hoshin(url, "scim", "tokens", "--org", "acme")[1]
    with one_session(url) as session:
        org = get_organization(session, slug="acme")
        found = [(e.actor, e.entity, e.change) for e in list_events(session, org_id=org.id)]
    assert (operator(), "scim-token", "create") in found
    assert (operator(), "scim-token", "revoke") in found


def test_mistakes_are_one_line(url: str) -> None:
    assert hoshin(url, "scim", "token", "--org", "nowhere")[::2] == (
        2, "hoshin: no organisation 'nowhere'\n",
    )  # fmt: skip
    assert hoshin(url, "scim", "revoke", "--org", "acme", "7")[::2] == (
        2, "hoshin: acme has no SCIM token 7\n",
    )  # fmt: skip
    assert hoshin(url, "scim", "tokens", "--org", "acme")[1] == "acme has no SCIM tokens\n"

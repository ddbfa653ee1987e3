"""hoshin sso set, show and remove on both databases: the secret read from stdin and never
shown, SAML metadata from a file, the addresses to give the provider, one clear line for
every mistake, and the operator in the audit trail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.cli.app import operator
from hoshin.runtime.sessions import one_session
from hoshin.store.audit import list_events
from hoshin.store.organization import get_organization

runner = CliRunner()
BASE = "https://hoshin.acme.org"
SECRET = "the-client-secret-from-entra"
ISSUER = "https://login.microsoftonline.com/0000-tenant/v2.0"
METADATA = "<EntityDescriptor xmlns='urn:oasis:names:tc:SAML:2.0:metadata' entityID='idp'/>"
OIDC_SET = (
    "sso", "set", "--org", "acme", "--oidc-issuer", ISSUER, "--client-id", "hoshin-app",
    "--client-secret-stdin", "--label", "Entra ID", "--domain", "acme.org", "--domain",
    "@Acme.Example", "--group-role", "CN=Planners,OU=Groups=editor", "--group-role",
    "staff=viewer", "--no-password-sign-in",
)  # fmt: skip


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """A database with the organisation acme."""
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    yield database_url


def hoshin(url: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    env = {"HOSHIN_DATABASE_URL": url, "HOSHIN_BASE_URL": BASE + "/"}
    result = runner.invoke(app, list(args), input=input, env=env)
    return result.exit_code, result.stdout, result.stderr


def shown(url: str) -> dict[str, object]:
    """hoshin sso show --format json, read."""
    code, out, err = hoshin(url, "sso", "show", "--org", "acme", "--format", "json")
    assert (code, err) == (0, "")
    view: dict[str, object] = json.loads(out)
    return view


def test_oidc_is_set_with_the_secret_from_stdin_and_shown_without_it(url: str) -> None:
    code, out, err = hoshin(url, *OIDC_SET, input=SECRET + "\n")
    assert (code, err) == (0, "")
    assert out == (
        "set single sign-on of acme: OpenID Connect\n"
        f"redirect URI: {BASE}/sso/acme/oidc/callback\n"
        f"sign-in page: {BASE}/signin?org=acme\n"
        "password sign-in is off: members sign in through the provider (admins keep their "
        "password, to get in when it is down)\n"
    )
    assert shown(url) == {
        "organization": "acme", "protocol": "oidc", "label": "Entra ID",
        "email_domains": ["acme.org", "acme.example"], "oidc_issuer": ISSUER,
        "client_id": "hoshin-app", "client_secret_set": True, "saml_idp_metadata_url": "",
        "saml_idp_metadata_set": False, "jit": False, "jit_role": "viewer", "group_claim": "",
        # The last "=" splits: a directory's group name may hold its own.
        "group_roles": {"CN=Planners,OU=Groups": "editor", "staff": "viewer"},
        "group_units": {}, "password_sign_in": False,
        "addresses": {
            "redirect URI": f"{BASE}/sso/acme/oidc/callback",
            "sign-in page": f"{BASE}/signin?org=acme",
        },
    }  # fmt: skip
    code, text, _ = hoshin(url, "sso", "show", "--org", "acme")
    assert code == 0 and SECRET not in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for line in (
        "client secret set set",
        f"oidc issuer {ISSUER}",
        "email domains acme.org, acme.example",
        "password sign in false",
        f"redirect URI {BASE}/sso/acme/oidc/callback",
    ):
        assert line in lines, line
    with one_session(url) as session:
        org = get_organization(session, slug="acme")
        (event,) = list_events(session, org_id=org.id, entity="sso")
    assert (event.actor, event.origin, event.change) == (operator(), "cli", "create")
    assert event.actor.startswith("cli:") and SECRET not in json.dumps(event.after)


def test_a_second_set_replaces_everything_but_the_secret(url: str) -> None:
    assert hoshin(url, *OIDC_SET, input=SECRET + "\n")[0] == 0
    args = ("sso", "set", "--org", "acme", "--oidc-issuer", ISSUER, "--client-id", "hoshin-2")
    assert hoshin(url, *args)[0] == 0  # no --client-secret-stdin: the secret is kept
    view = shown(url)
    assert (view["client_secret_set"], view["client_id"], view["label"]) == (True, "hoshin-2", "")
    assert (view["group_roles"], view["email_domains"], view["password_sign_in"]) == ({}, [], True)
    with one_session(url) as session:
        org = get_organization(session, slug="acme")
        changes = [e.after for e in list_events(session, org_id=org.id, entity="sso")]
    assert [after["client_secret_changed"] for after in changes if after] == [True, False]


def test_saml_is_set_from_a_metadata_file_and_removed(url: str, tmp_path: Path) -> None:
    path = tmp_path / "idp.xml"
    path.write_text(METADATA, encoding="utf-8")
    code, out, err = hoshin(
        url, "sso", "set", "--org", "acme", "--saml-metadata", str(path), "--jit",
        "--jit-role", "contributor", "--group-claim", "memberOf", "--group-unit", "sales=sales",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "set single sign-on of acme: SAML\n"
        f"SP entity id: {BASE}/sso/acme/saml/metadata\n"
        f"ACS URL: {BASE}/sso/acme/saml/acs\n"
        f"SP metadata: {BASE}/sso/acme/saml/metadata\n"
        f"sign-in page: {BASE}/signin?org=acme\n"
    )
    view = shown(url)
    assert (view["protocol"], view["saml_idp_metadata_set"], view["client_secret_set"]) == (
        "saml", True, False,
    )  # fmt: skip
    assert (view["jit"], view["jit_role"], view["group_claim"], view["group_units"]) == (
        True, "contributor", "memberOf", {"sales": "sales"},
    )  # fmt: skip
    code, out, err = hoshin(url, "sso", "remove", "--org", "acme")
    assert (code, out, err) == (
        0, "removed single sign-on of acme: members sign in with passwords\n", "",
    )  # fmt: skip
    assert hoshin(url, "sso", "show", "--org", "acme") == (
        2, "", "hoshin: acme has no single sign-on\n",
    )  # fmt: skip
    assert hoshin(url, "sso", "remove", "--org", "acme") == (
        2, "", "hoshin: acme has no single sign-on\n",
    )  # fmt: skip
    with one_session(url) as session:
        org = get_organization(session, slug="acme")
        trail = [(e.actor, e.change) for e in list_events(session, org_id=org.id, entity="sso")]
    assert trail == [(operator(), "create"), (operator(), "delete")]


def test_a_metadata_url_is_kept(url: str) -> None:
    args = ("sso", "set", "--org", "acme", "--saml-metadata-url", "https://idp.acme.org/meta")
    assert hoshin(url, *args)[0] == 0
    assert shown(url)["saml_idp_metadata_url"] == "https://idp.acme.org/meta"


def test_each_mistake_is_one_clear_line(url: str, tmp_path: Path) -> None:
    (tmp_path / "latin1.xml").write_bytes("<x>Müller</x>".encode("latin-1"))
    (tmp_path / "huge.xml").write_bytes(b"<" + b"x" * 1_000_000)  # 1,000,001 bytes
    (tmp_path / "folder").mkdir()
    oidc = ("--oidc-issuer", ISSUER, "--client-id", "c")
    cases: list[tuple[tuple[str, ...], str | None, str]] = [
        (("--org", "nobody", *oidc, "--client-secret-stdin"), SECRET, "no organisation 'nobody'"),
        (("--org", "acme", "--oidc-issuer", "ftp://x", "--client-id", "c",
          "--client-secret-stdin"), SECRET,
         "oidc_issuer: 'ftp://x' is not an https address (http only on this machine)"),
        (("--org", "acme", *oidc), None,
         "client_secret: an OpenID Connect provider needs the client secret"),
        (("--org", "acme", *oidc, "--client-secret-stdin"), "\n",
         "--client-secret-stdin: the first line of stdin is empty"),
        (("--org", "acme", *oidc, "--client-secret-stdin"), None,  # stdin empty
         "--client-secret-stdin: the first line of stdin is empty"),
        (("--org", "acme", "--saml-metadata", str(tmp_path / "missing.xml")), None,
         f"--saml-metadata: no file '{tmp_path / 'missing.xml'}'"),
        (("--org", "acme", "--saml-metadata", str(tmp_path / "folder")), None,
         f"--saml-metadata: cannot read '{tmp_path / 'folder'}': Is a directory"),
        (("--org", "acme", "--saml-metadata", str(tmp_path / "latin1.xml")), None,
         f"--saml-metadata: '{tmp_path / 'latin1.xml'}' is not UTF-8 text"),
        (("--org", "acme", "--saml-metadata", str(tmp_path / "huge.xml")), None,
         f"--saml-metadata: '{tmp_path / 'huge.xml'}' is longer than 1000000 bytes"),
        (("--org", "acme"), None, "give --oidc-issuer URL (OpenID Connect) or --saml-metadata "
         "FILE or --saml-metadata-url URL (SAML)"),
        (("--org", "acme", *oidc, "--saml-metadata-url", "https://idp.example/m"), None,
         "give --oidc-issuer (OpenID Connect) or SAML's metadata, not both"),
        (("--org", "acme", "--saml-metadata", str(tmp_path / "huge.xml"), "--saml-metadata-url",
          "https://idp.example/m"), None,
         "give --saml-metadata FILE or --saml-metadata-url URL, not both"),
        (("--org", "acme", "--saml-metadata-url", "https://i.example/m", "--client-id", "c"),
         None, "--client-id and --client-secret-stdin are for OpenID Connect"),
        (("--org", "acme", *oidc, "--client-secret-stdin", "--group-role", "planners"), SECRET,
         "--group-role: 'planners' is not GROUP=VALUE"),
        (("--org", "acme", *oidc, "--client-secret-stdin", "--group-unit", "=sales"), SECRET,
         "--group-unit: '=sales' is not GROUP=VALUE"),
        (("--org", "acme", *oidc, "--client-secret-stdin", "--group-role", "ops=boss"), SECRET,
         "group_roles: 'boss' for group 'ops' is not a role"),
        (("--org", "acme", *oidc, "--client-secret-stdin", "--jit-role", "admin"), SECRET,
         "jit_role: use editor, contributor or viewer"),
        (("--org", "acme", *oidc, "--client-secret-stdin", "--domain", "acme"), SECRET,
         "email_domains: 'acme' is not an e-mail domain"),
    ]  # fmt: skip
    for args, stdin, message in cases:
        result = hoshin(url, "sso", "set", *args, input=None if stdin is None else stdin + "\n")
        assert result == (2, "", f"hoshin: {message}\n"), args
    assert hoshin(url, "sso", "show", "--org", "nobody") == (
        2, "", "hoshin: no organisation 'nobody'\n",
    )  # fmt: skip
    # Nothing of the refused sets was kept.
    assert hoshin(url, "sso", "show", "--org", "acme") == (
        2, "", "hoshin: acme has no single sign-on\n",
    )  # fmt: skip

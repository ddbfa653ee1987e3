"""db upgrade, org create, import and export from the command line, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.planfile import parse_plan, read_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
runner = CliRunner()


def hoshin(url: str, *args: str) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    result = runner.invoke(app, list(args), env={"HOSHIN_DATABASE_URL": url})
    return result.exit_code, result.stdout, result.stderr


def test_upgrade_then_create_import_and_export(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    code, _, err = hoshin(url, "org", "create", "acme", "Acme")
    assert code == 2 and "is empty: run `hoshin db upgrade` first" in err
    assert hoshin(url, "db", "upgrade")[1].startswith("migrated the database from empty to ")
    assert hoshin(url, "db", "upgrade")[1].startswith("the database is current")
    assert hoshin(url, "org", "create", "acme", "Acme Hospital")[0] == 0
    code, out, _ = hoshin(url, "import", str(SMALL), "--org", "acme")
    assert code == 0 and "3 objectives, 3 metrics, 3 actions" in out
    code, out, _ = hoshin(url, "export", "--org", "acme")
    assert code == 0 and parse_plan(out, "exported.yaml") == read_plan(SMALL)
    assert hoshin(url, "org", "list")[1] == "acme\tRiverside Clinic\n"


@pytest.mark.parametrize("slug", ["Acme", "a b", "x_y", ""])
def test_org_slug_must_be_simple(database_url: str, slug: str) -> None:
    code, _, err = hoshin(database_url, "org", "create", slug, "Name")
    assert code == 2 and "cannot name an organisation" in err


def test_a_bad_file_changes_nothing(database_url: str, tmp_path: Path) -> None:
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    assert hoshin(database_url, "import", str(SMALL), "--org", "acme")[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("target: 100", "target: lots"))
    code, _, err = hoshin(database_url, "import", str(bad), "--org", "acme")
    assert code == 2
    assert f"{bad}:49: objectives[1].metrics[0].target: expected a number, got 'lots'" in err
    exported = hoshin(database_url, "export", "--org", "acme")[1]
    assert parse_plan(exported, "exported.yaml") == read_plan(SMALL)


def test_unknown_organisation_and_duplicate_slug(database_url: str) -> None:
    code, _, err = hoshin(database_url, "export", "--org", "nobody")
    assert code == 2 and "no organisation 'nobody'" in err
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    code, _, err = hoshin(database_url, "org", "create", "acme", "Acme again")
    assert code == 2 and "organisation 'acme' exists already" in err


def test_unreachable_database_is_a_message_not_a_traceback() -> None:
    code, _, err = hoshin("postgresql+psycopg://nobody@127.0.0.1:1/none", "db", "upgrade")
    assert code == 2 and err.startswith("hoshin: cannot open the database")
    assert "Traceback" not in err


def test_setup_demo_creates_the_admin_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    code, out, _ = hoshin(url, "setup", "--demo")
    assert code == 0 and "migrated the database from empty" in out
    assert "sign in as admin@demo.example with password " in out
    code, again, _ = hoshin(url, "setup", "--demo")
    assert code == 0 and "its password was shown when it was created" in again
    assert hoshin(url, "org", "list")[1].startswith("demo\t")


def test_serve_refuses_an_outdated_schema_and_names_the_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hoshin.db'}"
    code, _, err = hoshin(url, "serve", "--port", "1")
    assert code == 2
    assert err.startswith("hoshin: the database sqlite:///")
    assert "is empty: run `hoshin db upgrade` first" in err

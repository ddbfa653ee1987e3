"""`hoshin export` as YAML, JSON, Excel and CSV, from a plan file or an organisation, and
`hoshin import` / `hoshin check` of the workbook; the organisation's on both databases."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.planfile import parse_plan, read_plan

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
runner = CliRunner()


def hoshin(url: str, *args: str) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    result = runner.invoke(app, list(args), env={"HOSHIN_DATABASE_URL": url, "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def url(database_url: str) -> str:
    """A database with the organisation acme holding examples/small.yaml."""
    assert hoshin(database_url, "org", "create", "acme", "Acme")[0] == 0
    assert hoshin(database_url, "import", str(SMALL), "--org", "acme")[0] == 0
    return database_url


def test_a_plan_file_as_a_workbook_needs_no_server(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    code, text, err = hoshin("sqlite:///nowhere.db", "export", str(SMALL), "--format", "xlsx",
                             "-o", str(out), "--as-of", "2026-06-15")  # fmt: skip
    assert (code, err) == (0, "") and text.startswith(f"wrote {out} (")
    book = openpyxl.load_workbook(out)
    metrics = {row[0]: row for row in book["Metrics"].iter_rows(min_row=2, values_only=True)}
    # tests/cli/test_check.py: falls in May 2026 is 22 against a plan of 20 (decrease): amber
    assert metrics["falls"][-3:] == (22, 20, "amber")
    plan_sheet = {row[0]: row[1] for row in book["Plan"].iter_rows(min_row=2, values_only=True)}
    assert plan_sheet["as of"] == datetime.fromisoformat("2026-06-15")
    assert read_plan(out) == read_plan(SMALL)


def test_check_reads_a_workbook_and_names_its_cells(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert (
        hoshin("sqlite:///x.db", "export", str(SMALL), "--format", "xlsx", "-o", str(out))[0] == 0
    )
    code, text, _ = hoshin("sqlite:///x.db", "check", str(out), "--as-of", "2026-06-15")
    assert code in (0, 1) and "falls" in text
    book = openpyxl.load_workbook(out)
    book["Objectives"]["D2"] = "p99"
    book["Metrics"]["F2"] = "forty"
    book.save(out)
    code, _, err = hoshin("sqlite:///x.db", "check", str(out))
    assert code == 2
    assert err.splitlines() == [f"{out}:Metrics:2: baseline: expected a number, got 'forty'"]
    book["Metrics"]["F2"] = 40
    book.save(out)
    code, _, err = hoshin("sqlite:///x.db", "check", str(out))
    assert code == 2 and err.splitlines() == [f"{out}:Objectives:2: owner: unknown person 'p99'"]


def test_csv_is_a_zip_of_the_same_tables(url: str, tmp_path: Path) -> None:
    out = tmp_path / "plan.zip"
    args = ("export", "--org", "acme", "--format", "csv", "-o", str(out), "--as-of", "2026-06-15")
    assert hoshin(url, *args)[0] == 0
    archive = zipfile.ZipFile(out)
    assert "Targets.csv" in archive.namelist() and "X-matrix.csv" not in archive.namelist()
    rows = list(csv.DictReader(io.StringIO(archive.read("Metrics.csv").decode("utf-8-sig"))))
    falls = next(row for row in rows if row["id"] == "falls")
    assert (falls["current"], falls["planned"], falls["status"]) == ("22", "20", "amber")


def test_an_organisations_workbook_imports_into_another_as_the_same_plan(
    url: str, tmp_path: Path
) -> None:
    out = tmp_path / "acme.xlsx"
    assert hoshin(url, "export", "--org", "acme", "--format", "xlsx", "-o", str(out))[0] == 0
    assert hoshin(url, "org", "create", "copy", "Copy")[0] == 0
    code, text, _ = hoshin(url, "import", str(out), "--org", "copy")
    assert code == 0 and text.startswith(f"imported {out} into copy: 3 objectives")
    exported = hoshin(url, "export", "--org", "copy")[1]
    assert parse_plan(exported, "copy.yaml") == read_plan(SMALL)
    code, text, _ = hoshin(url, "audit", "--org", "copy", "--format", "json")
    events = [json.loads(line) for line in text.splitlines()]
    assert any(e["change"] == "import" and e["after"]["file"] == "acme.xlsx" for e in events)


def test_a_bad_workbook_changes_nothing(url: str, tmp_path: Path) -> None:
    out = tmp_path / "acme.xlsx"
    assert hoshin(url, "export", "--org", "acme", "--format", "xlsx", "-o", str(out))[0] == 0
    book = openpyxl.load_workbook(out)
    book["Targets"]["D3"] = "n/a"
    book.save(out)
    code, _, err = hoshin(url, "import", str(out), "--org", "acme")
    assert code == 2 and err.splitlines() == [
        f"{out}:Targets:3: actual: expected a number, got 'n/a'"
    ]
    assert parse_plan(hoshin(url, "export", "--org", "acme")[1], "a.yaml") == read_plan(SMALL)


def test_yaml_and_json_print_or_write_the_plan_file(url: str, tmp_path: Path) -> None:
    code, text, _ = hoshin(url, "export", "--org", "acme", "--format", "json")
    assert code == 0 and parse_plan(text, "plan.json") == read_plan(SMALL)
    assert json.loads(text)["organization"]["name"] == "Riverside Clinic"
    out = tmp_path / "plan.yaml"
    assert hoshin(url, "export", str(SMALL), "-o", str(out))[0] == 0
    assert read_plan(out) == read_plan(SMALL)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--org", "acme", "--format", "xlsx"), "--format xlsx writes a file: give it with -o"),
        (("--org", "acme", "--format", "pdf"), "--format 'pdf': choose one of yaml, json"),
        ((str(SMALL), "--org", "acme"), "give a plan file or --org SLUG (one of them)"),
        ((), "give a plan file or --org SLUG (one of them)"),
        (("--org", "nobody", "--format", "csv", "-o", "x.zip"), "no organisation 'nobody'"),
    ],
)  # fmt: skip
def test_export_says_what_is_wrong(url: str, args: tuple[str, ...], message: str) -> None:
    code, _, err = hoshin(url, "export", *args)
    assert code == 2 and err.strip().startswith(f"hoshin: {message}")

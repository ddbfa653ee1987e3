"""hoshin report xmatrix: from a plan file alone (no database), and from an organisation on
both databases (examples/small.yaml as clinic); read back with pdfinfo and pdftotext. The
matrix's contents are worked out in tests/service/test_xmatrix_pdf.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from xmatrix_support import SMALL, one_a3_landscape_page, pdf_facts

runner = CliRunner()


def hoshin(*args: str, url: str = "sqlite:///nowhere.db") -> tuple[int, str, str]:
    """Runs a command: (exit code, stdout, stderr)."""
    result = runner.invoke(app, list(args), env={"HOSHIN_DATABASE_URL": url})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """A database with examples/small.yaml as clinic."""
    assert hoshin("org", "create", "clinic", "Riverside Clinic", url=database_url)[0] == 0
    assert hoshin("import", str(SMALL), "--org", "clinic", url=database_url)[0] == 0
    yield database_url


def test_the_x_matrix_of_a_plan_file_needs_no_server(tmp_path: Path) -> None:
    out = tmp_path / "xmatrix.pdf"
    code, said, _ = hoshin("report", "xmatrix", str(SMALL), "--as-of", "2026-06-15", "-o", str(out))
    assert code == 0 and said.startswith(f"wrote {out}")
    info, _, text = pdf_facts(out)
    assert one_a3_landscape_page(info), info
    assert "X-matrix of Riverside Clinic" in text and "2026: 13 falls" in text


def test_the_x_matrix_of_an_organisation_and_of_one_breakthrough(url: str, tmp_path: Path) -> None:
    out = tmp_path / "xmatrix.pdf"
    code, _, err = hoshin("report", "xmatrix", "--org", "clinic", "--breakthrough", "B1",
                          "--as-of", "2026-06-15", "-o", str(out), url=url)  # fmt: skip
    assert code == 0, err
    info, _, text = pdf_facts(out)
    assert one_a3_landscape_page(info), info
    for said in (
        "X-matrix of Riverside Clinic", "breakthrough objective B1 Cut patient falls",
        "A1 Run a daily fall-risk huddle on 100% of ward days in 2026",
        "huddles Ward days with a huddle 2026: 100 %", "Ben Ode",
        "Riverside Clinic · as of 2026-06-15",
    ):  # fmt: skip
        assert said in text, said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "clinic", "--breakthrough", "A1"],
         "hoshin: breakthrough: 'A1' is not the id of a breakthrough objective of the plan"
         " (they are: B1)"),
        ([], "hoshin: give a plan file or --org SLUG (one of them)"),
        (["--org", "nowhere"], "nowhere"),
        (["--org", "clinic", "--as-of", "2026-13-01"], "--as-of: '2026-13-01'"),
    ],
)  # fmt: skip
def test_a_wrong_breakthrough_organisation_or_source_is_said_in_one_line_exit_2(
    url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "xmatrix.pdf"
    code, _, err = hoshin("report", "xmatrix", *args, "-o", str(out), url=url)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()

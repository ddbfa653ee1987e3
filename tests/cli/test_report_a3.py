"""hoshin report a3: from a plan file alone (no database), and from an organisation on both
databases (examples/small.yaml as clinic); read back with pdfinfo and pdftotext."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from a3_support import pdf_info, pdf_text, write_plan
from hoshin.cli import app

runner = CliRunner()
SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
A3_PAGE = "Page size:       1190.55 x 841.89 pts (A3)"


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


def test_the_a3_of_a_plan_files_objective_needs_no_server(tmp_path: Path) -> None:
    out = tmp_path / "a3.pdf"
    code, said, _ = hoshin(
        "report", "a3", str(write_plan(tmp_path)), "A1", "-o", str(out), "--as-of", "2026-05-01"
    )
    assert code == 0 and said.startswith(f"wrote {out}")
    info = pdf_info(out)
    assert "Pages:           1\n" in info and A3_PAGE in info
    text = pdf_text(out)
    # tests/a3_support.py: a3 starts by 2026-04-11, 20 days late; the next review
    # is next month's of A1's unit
    assert "A3 · A1 Answer 96% of yard calls" in text and "Owner Sam Okoye" in text
    assert "20 days late" in text and "monthly review of Dry dock yard, 2026-06" in text


def test_the_a3_of_an_organisations_objective(url: str, tmp_path: Path) -> None:
    out = tmp_path / "a3.pdf"
    code, _, err = hoshin(
        "report", "a3", "A1", "--org", "clinic", "-o", str(out), "--as-of", "2026-06-15", url=url
    )
    assert code == 0, err
    assert "Pages:           1\n" in pdf_info(out)
    text = pdf_text(out)
    for said in (
        "A3 · A1 Run a daily fall-risk huddle on 100% of ward days in 2026", "Owner Ben Ode",
        "Unit Ward A", "supports B1 Cut patient falls", "Ward days with a huddle (%)",
        "Write the huddle checklist", "Roll out huddles to every ward",
        "Night shifts skip the huddle", "Move it to the shift handover",
        # no meeting recorded: next month's review of the unit
        "monthly review of Ward A, 2026-07", "Riverside Clinic · as of 2026-06-15",
    ):  # fmt: skip
        assert said in text, said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["A9", "--org", "clinic"], "hoshin: no objective 'A9'"),
        (["A1"], "hoshin: give a plan file or --org SLUG (one of them)"),
        (["A1", "--org", "nowhere"], "nowhere"),
        (["a.yaml", "A1", "B1"], "give OBJECTIVE (with --org) or PLAN.yaml OBJECTIVE"),
        (["A1", "--org", "clinic", "--as-of", "2026-13-01"], "--as-of: '2026-13-01'"),
    ],
)
def test_a_wrong_objective_organisation_or_source_is_said_in_one_line_exit_2(
    url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "a3.pdf"
    code, _, err = hoshin("report", "a3", *args, "-o", str(out), url=url)
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()

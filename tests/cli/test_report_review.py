"""``hoshin report review`` and ``hoshin report summary`` on both databases and on a plan
file, read back with pdfinfo and pdftotext.

examples/small.yaml as of 2026-08-15, unit ward-a, 2026-05 (tests/web/test_review.py):
trained is red (10 against a planned 20) with cm1, whose cause is "Two trainers were on
leave in April and May"; a1 was due 2026-06-30 and a2 2026-07-31, neither done: 31 (July)
+ 15 = 46 and 15 days late.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from hoshin.cli import app

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
runner = CliRunner()


def hoshin(url: str, *args: str) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    result = runner.invoke(app, list(args), env={"HOSHIN_DATABASE_URL": url})
    return result.exit_code, result.stdout, result.stderr


def read(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def pages(path: Path) -> str:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return next(line.split()[-1] for line in out.stdout.splitlines() if line.startswith("Pages"))


def clinic(url: str) -> None:
    assert hoshin(url, "org", "create", "clinic", "Riverside Clinic")[0] == 0
    assert hoshin(url, "import", str(SMALL), "--org", "clinic")[0] == 0


def test_the_review_pack_of_a_unit_is_written(database_url: str, tmp_path: Path) -> None:
    clinic(database_url)
    pack = tmp_path / "pack.pdf"
    code, out, err = hoshin(
        database_url, "report", "review", "--org", "clinic", "--unit", "ward-a",
        "--month", "2026-05", "--as-of", "2026-08-15", "-o", str(pack),
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"wrote {pack} (")
    said = read(pack)
    for part in ("Ward A", "Nurses trained", "Two trainers were on leave in April and May",
                 "Write the huddle checklist Ben Ode 2026-06-30 46",
                 "Roll out huddles to every ward Ben Ode 2026-07-31 15"):  # fmt: skip
        assert part in said, part


def test_a_wrong_unit_month_or_organisation_is_said_plainly(
    database_url: str, tmp_path: Path
) -> None:
    clinic(database_url)
    out = str(tmp_path / "pack.pdf")
    base = ("report", "review", "--org", "clinic", "-o", out)
    code, _, err = hoshin(database_url, *base, "--unit", "nope", "--month", "2026-05")
    assert (code, err.strip()) == (2, "hoshin: unknown unit 'nope'")
    code, _, err = hoshin(database_url, *base, "--unit", "ward-a", "--month", "2026-5")
    assert code == 2
    assert err.strip() == "hoshin: --month: '2026-5' is not a month: write YYYY-MM, e.g. 2026-06"
    code, _, err = hoshin(database_url, "report", "review", "--org", "nobody", "--unit",
                          "ward-a", "--month", "2026-05", "-o", out)  # fmt: skip
    assert code == 2 and "no organisation 'nobody'" in err
    assert not Path(out).exists()


def test_the_summary_from_a_file_and_from_an_organisation(
    database_url: str, tmp_path: Path
) -> None:
    from_file = tmp_path / "file.pdf"
    code, _, err = hoshin(database_url, "report", "summary", str(SMALL), "--as-of",
                          "2026-06-15", "-o", str(from_file))  # fmt: skip
    assert code == 0, err
    clinic(database_url)
    from_org = tmp_path / "org.pdf"
    code, _, err = hoshin(database_url, "report", "summary", "--org", "clinic", "--as-of",
                          "2026-06-15", "--output", str(from_org))  # fmt: skip
    assert code == 0, err
    for path in (from_file, from_org):
        assert pages(path) == "1"
        said = read(path)
        assert "No patient is harmed by the care meant to heal them" in said
        assert "B1 Cut patient falls from 40 to 10 a month by the end of 2027" in said
    code, _, err = hoshin(database_url, "report", "summary", str(SMALL), "--org", "clinic",
                          "-o", str(from_file))  # fmt: skip
    assert (code, err.strip()) == (2, "hoshin: give a plan file or --org SLUG (one of them)")

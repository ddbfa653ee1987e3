"""hoshin actuals import on both databases: examples/small.yaml as organisation clinic, whose
stored actuals are falls 2026-03..05 = 27, 25, 22; huddles 2026-04..05 = 45, 60; trained
2026-04..05 = 8, 10."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.runtime.engine import session_factory
from hoshin.store.audit import AuditEventRow
from hoshin.store.metric import ActualRow

runner = CliRunner()
SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"


@pytest.fixture
def url(database_url: str) -> Iterator[str]:
    """A database with examples/small.yaml as clinic."""
    assert hoshin(database_url, "org", "create", "clinic", "Riverside Clinic")[0] == 0
    assert hoshin(database_url, "import", str(SMALL), "--org", "clinic")[0] == 0
    yield database_url


def hoshin(url: str, *args: str) -> tuple[int, str, str]:
    """Runs a command against the database at ``url``: (exit code, stdout, stderr)."""
    result = runner.invoke(app, list(args), env={"HOSHIN_DATABASE_URL": url})
    return result.exit_code, result.stdout, result.stderr


def stored(engine: Engine) -> dict[tuple[str, int], tuple[float, int]]:
    """Every actual of clinic: (value, version) by (metric, YYYYMM as stored)."""
    with session_factory(engine)() as session:
        rows = session.execute(select(ActualRow.metric, ActualRow.period, ActualRow.value,
                                      ActualRow.version))  # fmt: skip
        return {(m, p): (v, version) for m, p, v, version in rows}


def audited(engine: Engine) -> list[tuple[str, str, str]]:
    """The actuals' audit events: (actor's prefix, key, change)."""
    with session_factory(engine)() as session:
        rows = session.execute(
            select(AuditEventRow.actor, AuditEventRow.key, AuditEventRow.change)
            .where(AuditEventRow.entity == "actual")
            .order_by(AuditEventRow.id)
        )
        return [(actor.partition(":")[0], key, change) for actor, key, change in rows]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_records_new_months_and_leaves_equal_ones_unchanged(
    url: str, engine: Engine, tmp_path: Path
) -> None:
    before = stored(engine)
    # June is new for all three; huddles 2026-05 = 60 is what is stored: unchanged.
    path = write(tmp_path, "june.csv", "metric,month,value\nfalls,2026-06,19\n"
                 "huddles,2026-06,72.5\ntrained,2026-06,14\nhuddles,2026-05,60\n")  # fmt: skip
    code, out, err = hoshin(url, "actuals", "import", str(path), "--org", "clinic")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "recorded 3 actuals (0 corrected, 1 unchanged) for clinic"
    assert "huddles" in out and "72.5" in out and "new" in out
    after = stored(engine)
    # Months are stored as a count of months: 2026 * 12 + (6 - 1) = 24317 for 2026-06.
    june = 2026 * 12 + 5
    assert {k: v for k, v in after.items() if k not in before} == {
        ("falls", june): (19.0, 1), ("huddles", june): (72.5, 1), ("trained", june): (14.0, 1),
    }  # fmt: skip
    # Three audit events (the unchanged row has none), by the operator, as a check-in's.
    assert sorted(audited(engine)) == [
        ("cli", "falls/2026-06", "create"), ("cli", "huddles/2026-06", "create"),
        ("cli", "trained/2026-06", "create"),
    ]  # fmt: skip


def test_bad_rows_are_each_named_and_nothing_is_saved(
    url: str, engine: Engine, tmp_path: Path
) -> None:
    before = stored(engine)
    path = write(tmp_path, "actuals.csv", "\n".join([
        "metric,month,value",  # row 1
        "falls,2026-06,19",  # 2: good
        "M99,2026-06,3",  # 3: unknown metric
        "huddles,2026-13,50",  # 4: no month 13
        "trained,2026-06,n/a",  # 5: not a number
        "falls,2026-05,41",  # 6: 22 is stored for 2026-05
        "falls,2026-06,20",  # 7: falls 2026-06 is on row 2 too
    ]) + "\n")  # fmt: skip
    code, out, err = hoshin(url, "actuals", "import", str(path), "--org", "clinic")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "actuals.csv:3: metric: unknown metric 'M99'",
        "actuals.csv:4: month: '2026-13' is not a month: write YYYY-MM or use a date cell",
        "actuals.csv:5: value: 'n/a' is not a number",
        "actuals.csv:6: value: 2026-05 already has 22 for falls; use --correct to replace it",
        "actuals.csv:7: month: falls 2026-06 is also on row 2",
    ]
    assert stored(engine) == before and audited(engine) == []


def test_correct_replaces_a_stored_value_and_dry_run_saves_nothing(
    url: str, engine: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path, "fix.csv", "Value;MONTH;metric\n23;2026-05;falls\n")
    may = 2026 * 12 + 4
    code, out, _ = hoshin(url, "actuals", "import", str(path), "--org", "clinic", "--dry-run",
                          "--correct")  # fmt: skip
    assert code == 0
    assert out.splitlines()[-1] == "would record 1 actual (1 corrected, 0 unchanged) for clinic"
    assert stored(engine)[("falls", may)] == (22.0, 1) and audited(engine) == []
    code, out, _ = hoshin(url, "actuals", "import", str(path), "--org", "clinic", "--correct")
    assert code == 0
    assert out.splitlines()[-1] == "recorded 1 actual (1 corrected, 0 unchanged) for clinic"
    assert stored(engine)[("falls", may)] == (23.0, 2)  # a correction: version 2
    assert audited(engine) == [("cli", "falls/2026-05", "update")]


def test_a_workbook_takes_date_cells_and_number_cells(
    url: str, engine: Engine, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Metric", "Month", "Value", "Note"])
    sheet.append(["falls", date(2026, 6, 17), 18, "new bed alarms"])  # any day of June
    sheet.append(["trained", "2026-06", "12", None])  # text: a month and a number
    path = tmp_path / "june.xlsx"
    book.save(path)
    code, out, err = hoshin(url, "actuals", "import", str(path), "--org", "clinic")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "recorded 2 actuals (0 corrected, 0 unchanged) for clinic"
    june = 2026 * 12 + 5
    assert stored(engine)[("falls", june)] == (18.0, 1)
    assert stored(engine)[("trained", june)] == (12.0, 1)


def test_an_empty_file_a_missing_column_and_an_unknown_org_are_one_problem_each(
    url: str, tmp_path: Path
) -> None:
    empty = write(tmp_path, "empty.csv", "")
    assert hoshin(url, "actuals", "import", str(empty), "--org", "clinic")[1:] == (
        "", "empty.csv: is empty: the first row must name the columns metric, month and value "
        "(and optionally note)\n",
    )  # fmt: skip
    missing = write(tmp_path, "two.csv", "metric,value\nfalls,3\n")
    code, _, err = hoshin(url, "actuals", "import", str(missing), "--org", "clinic")
    assert code == 2
    assert err == ("two.csv:1: month: is missing: the first row must name the columns metric, "
                   "month and value (and optionally note)\n")  # fmt: skip
    good = write(tmp_path, "good.csv", "metric,month,value\nfalls,2026-06,3\n")
    assert hoshin(url, "actuals", "import", str(good), "--org", "nowhere") == (
        2, "", "hoshin: no organisation 'nowhere'\n",
    )  # fmt: skip
    assert hoshin(url, "actuals", "import", str(tmp_path / "none.csv"), "--org", "clinic")[0] == 2


def test_at_most_a_hundred_problems_are_listed(url: str, tmp_path: Path) -> None:
    # 130 rows of an unknown metric: rows 2..131; the first 100 (rows 2..101) listed.
    rows = "".join(f"nope,2026-06,{n}\n" for n in range(130))
    path = write(tmp_path, "many.csv", "metric,month,value\n" + rows)
    code, _, err = hoshin(url, "actuals", "import", str(path), "--org", "clinic")
    lines = err.splitlines()
    assert code == 2 and len(lines) == 101
    assert lines[0] == "many.csv:2: metric: unknown metric 'nope'"
    assert lines[99] == "many.csv:101: metric: unknown metric 'nope'"
    assert lines[100] == "and 30 more"

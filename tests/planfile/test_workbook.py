"""The plan as a workbook and a zip of CSV files, read back with openpyxl and csv; the
workbook read back into the same plan, and its problems named at their cells."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.utils import get_column_letter
from plan_strategies import plans

from hoshin.demo.plan import demo_plan
from hoshin.domain.analysis import analyze
from hoshin.domain.model import Plan
from hoshin.domain.sheets import SHEETS
from hoshin.planfile import PlanFileError, read_plan
from hoshin.planfile.workbook import csv_zip_bytes, workbook_bytes
from hoshin.planfile.workbook_reader import MOST_BYTES
from sheet_plan import AS_OF, PLAN, without_empty_text

GREEN, AMBER, RED = "00C6EFCE", "00FFEB9C", "00FFC7CE"


def cell_day(text: str) -> datetime:
    """A date cell's value as openpyxl reads it: a datetime with no zone, as Excel keeps it."""
    return datetime.fromisoformat(text)


def written(plan: Plan = PLAN, as_of: date = AS_OF, **options: Any) -> bytes:
    return workbook_bytes(plan, analyze(plan, as_of), as_of=as_of, **options)


def book(body: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body))


def saved(tmp_path: Path, body: bytes, name: str = "plan.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def edited(tmp_path: Path, change: Any, plan: Plan = PLAN) -> Path:
    """The plan's workbook after ``change(book)``, saved as plan.xlsx."""
    workbook = book(written(plan))
    change(workbook)
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        read_plan(path)
    return [str(problem) for problem in caught.value.problems]


def test_cells_have_real_types_formats_and_status_fills() -> None:
    workbook = book(written())
    targets = workbook["Targets"]
    header = [cell.value for cell in targets[1]]
    assert header == ["metric", "month", "plan", "actual", "status", "target"]
    assert all(cell.font.b for cell in targets[1])
    # row 2 is M1's 2026-01 (the course's first month); 2026-03 is row 4: plan 12, actual 11.5
    month, plan, actual, status = (targets.cell(4, column) for column in (2, 3, 4, 5))
    assert isinstance(month.value, datetime) and month.value == cell_day("2026-03-01")
    assert month.number_format == "yyyy-mm"
    assert isinstance(plan.value, int | float) and plan.value == 12
    assert actual.value == 11.5 and status.value == "amber"
    assert actual.fill.fgColor.rgb == AMBER and status.fill.fgColor.rgb == AMBER
    assert targets.cell(3, 5).value == "green" and targets.cell(3, 4).fill.fgColor.rgb == GREEN
    assert targets.cell(5, 5).value == "red" and targets.cell(5, 5).fill.fgColor.rgb == RED
    assert targets.cell(6, 4).value is None and targets.cell(6, 4).fill.fill_type is None
    actions = workbook["Actions"]
    assert actions.cell(2, 8).value == cell_day("2026-03-01")
    assert actions.cell(2, 8).number_format == "yyyy-mm-dd"
    assert actions.cell(3, 12).value is True  # done
    objectives = workbook["Objectives"]
    assert objectives.cell(2, 15).number_format == "0.0%"  # progress


def test_every_sheet_has_a_frozen_header_a_filter_and_fitting_widths() -> None:
    workbook = book(written())
    assert workbook.sheetnames == [sheet.name for sheet in SHEETS] + ["X-matrix"]
    for sheet in SHEETS:
        page = workbook[sheet.name]
        assert page.freeze_panes == "A2"
        last = get_column_letter(len(sheet.columns))
        assert page.auto_filter.ref == f"A1:{last}{page.max_row}"
    objectives = workbook["Objectives"]
    # "title" is widest at "Keep promises" (13), plus 2; "id" at its header (2), plus 2
    assert objectives.column_dimensions["B"].width == 15
    assert objectives.column_dimensions["A"].width == 4


def test_a_long_table_continues_on_numbered_sheets_and_reads_back(tmp_path: Path) -> None:
    # 12 rows of M1 and 2 of Q1: 5 a sheet makes Targets, Targets (2) and Targets (3)
    body = written(rows_per_sheet=5)
    workbook = book(body)
    assert [name for name in workbook.sheetnames if name.startswith("Targets")] == [
        "Targets", "Targets (2)", "Targets (3)",
    ]  # fmt: skip
    assert [workbook[name].max_row for name in ("Targets", "Targets (2)", "Targets (3)")] == [
        6, 6, 5,
    ]  # fmt: skip
    assert workbook["Targets (3)"].cell(1, 1).value == "metric"
    assert read_plan(saved(tmp_path, body)) == PLAN


def test_text_that_starts_with_an_equals_sign_stays_text(tmp_path: Path) -> None:
    plan = Plan(PLAN.organization, objectives=(PLAN.objectives[1].__class__(
        "B1", "=HYPERLINK(\"http://x\")", "breakthrough"),))  # fmt: skip
    body = written(plan)
    cell = book(body)["Objectives"].cell(2, 2)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert read_plan(saved(tmp_path, body)) == plan


def test_the_csv_zip_holds_the_same_tables() -> None:
    body = csv_zip_bytes(PLAN, analyze(PLAN, AS_OF), as_of=AS_OF)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist() == [f"{sheet.name}.csv" for sheet in SHEETS]
    text = archive.read("Targets.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["metric", "month", "plan", "actual", "status", "target"]
    assert rows[3] == ["M1", "2026-03", "12", "11.5", "amber", ""]
    actions = list(csv.reader(io.StringIO(archive.read("Actions.csv").decode("utf-8-sig"))))
    assert actions[1][7:12] == ["2026-03-01", "2026-03-31", "", "", "false"]
    plan_rows = list(csv.reader(io.StringIO(archive.read("Plan.csv").decode("utf-8-sig"))))
    assert plan_rows[2] == ["organisation", "Ørsted & Co"]


def test_the_demo_plan_goes_out_and_back_the_same(tmp_path: Path) -> None:
    today = date(2026, 7, 1)
    plan = demo_plan(today)
    again = read_plan(saved(tmp_path, written(plan, today)))
    assert again == plan
    # and exported again, it is still the same plan
    assert read_plan(saved(tmp_path, written(again, today), "again.xlsx")) == plan


def test_a_hand_made_plan_with_every_field_goes_out_and_back_the_same(tmp_path: Path) -> None:
    assert read_plan(saved(tmp_path, written())) == PLAN


# Writing and reading a workbook takes about 0.1 s: a few examples, each a whole plan.
@settings(deadline=None, max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_any_plan_goes_out_and_back_the_same(plan: Plan) -> None:
    """Every number with all its digits, text with carriage returns and _x000D_ as typed;
    empty text comes back as none (a spreadsheet keeps no empty cell text)."""
    body = workbook_bytes(plan, analyze(plan, AS_OF), as_of=AS_OF)
    # tmp_path is one directory for every example: a name of the test's own
    path = Path(f"/tmp/hoshin-property-{id(plan)}.xlsx")
    try:
        path.write_bytes(body)
        assert read_plan(path) == without_empty_text(plan)
    finally:
        path.unlink(missing_ok=True)


def test_a_problem_of_the_plan_is_named_at_its_row_and_column(tmp_path: Path) -> None:
    def unknown_owner(workbook: openpyxl.Workbook) -> None:
        workbook["Objectives"]["D3"] = "p99"  # B2's owner

    assert problems(edited(tmp_path, unknown_owner)) == [
        f"{tmp_path / 'plan.xlsx'}:Objectives:3: owner: unknown person 'p99'"
    ]


def test_a_cell_of_the_wrong_kind_is_named_at_its_cell(tmp_path: Path) -> None:
    def wrong(workbook: openpyxl.Workbook) -> None:
        workbook["Metrics"]["F2"] = "ten"  # baseline
        workbook["Targets"]["B4"] = "March"  # month
        workbook["Targets"]["D5"] = True  # actual
        workbook["Actions"]["L2"] = "maybe"  # done
        workbook["Objectives"]["J4"] = "B1 (heavy)"  # supports

    name = tmp_path / "plan.xlsx"
    assert problems(edited(tmp_path, wrong)) == [
        f"{name}:Objectives:4: supports: 'heavy' after B1 is not a weight or strong, medium, weak",
        f"{name}:Metrics:2: baseline: expected a number, got 'ten'",
        f"{name}:Targets:4: month: 'March' is not a month: write YYYY-MM, e.g. 2026-06, "
        "or use a date cell",
        f"{name}:Targets:5: actual: expected a number, got True",
        f"{name}:Actions:2: done: expected TRUE or FALSE, got 'maybe'",
    ]


def test_rows_that_name_what_is_not_there_are_refused(tmp_path: Path) -> None:
    def dangling(workbook: openpyxl.Workbook) -> None:
        workbook["Metrics"]["B3"] = "X9"
        workbook["Risks"]["A2"] = "act9"
        workbook["Targets"]["B3"] = cell_day("2026-03-01")  # M1's 2026-03 again
        workbook["Objectives"]["R1"] = "notes"

    name = tmp_path / "plan.xlsx"
    assert problems(edited(tmp_path, dangling)) == [
        f"{name}:Objectives:1: unknown column 'notes': the columns are id, title, level, owner, "
        "owner name, unit, unit name, start, end, supports, description, customer benefit, "
        "tolerance, addresses, progress, planned progress, status",
        f"{name}:Metrics:3: objective: unknown objective 'X9'",
        f"{name}:Targets:4: month: M1 2026-03 is also on row 3",
        f"{name}:Risks:2: action: unknown action 'act9'",
    ]


def test_a_missing_value_is_named_by_its_column(tmp_path: Path) -> None:
    def missing(workbook: openpyxl.Workbook) -> None:
        workbook["Objectives"]["B2"] = None  # title
        workbook["Plan"]["B2"] = 2  # format version

    name = tmp_path / "plan.xlsx"
    assert problems(edited(tmp_path, missing)) == [
        f"{name}:Plan:2: format version: must be 1, not 2",
        f"{name}:Objectives:2: title: missing required key 'title'",
    ]


def test_computed_columns_and_the_x_matrix_are_not_read(tmp_path: Path) -> None:
    def scribbled(workbook: openpyxl.Workbook) -> None:
        workbook["Objectives"]["P2"] = "whatever"  # status
        workbook["Targets"]["C3"] = "n/a"  # plan
        workbook["X-matrix"]["A1"] = "drawn over"

    assert read_plan(edited(tmp_path, scribbled)) == PLAN


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"hoshin: 1\n", "not an Excel workbook (.xlsx)"),
        (b"", "not an Excel workbook (.xlsx)"),
    ],
)
def test_a_file_that_is_no_workbook_says_so(tmp_path: Path, body: bytes, message: str) -> None:
    assert problems(saved(tmp_path, body)) == [f"{tmp_path / 'plan.xlsx'}:1: {message}"]


def test_a_zip_that_is_no_workbook_says_so(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert problems(path) == [f"{path}:1: not an Excel workbook (.xlsx)"]


def test_a_workbook_too_large_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with path.open("wb") as file:
        file.truncate(MOST_BYTES + 1)
    assert problems(path) == [f"{path}:1: the workbook is 50 MB: at most 50 MB"]


def test_an_unknown_sheet_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, lambda workbook: workbook.create_sheet("Notes"))
    assert problems(path) == [
        f"{path}:Notes:1: unknown sheet 'Notes': the sheets read are Objectives, Metrics, "
        "Targets, Actions, Risks, Countermeasures, Situation, People, Units, Plan"
    ]


def test_carriage_returns_and_excels_own_escapes_stay_as_typed(tmp_path: Path) -> None:
    # XML reads a carriage return as a line feed: it is written _x000D_, and a typed
    # "_x000D_" is written _x005F_x000D_, as Excel writes them
    typed = "line\r\nnext _x000D_ _x41_"
    objective = dataclasses.replace(PLAN.objectives[0], description=typed)
    plan = dataclasses.replace(PLAN, objectives=(objective, *PLAN.objectives[1:]))
    body = written(plan)
    assert book(body)["Objectives"].cell(2, 11).value == "line_x000D_\nnext _x005F_x000D_ _x41_"
    assert read_plan(saved(tmp_path, body)).objectives[0].description == typed

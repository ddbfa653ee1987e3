"""The workbook's X-matrix sheet, written to a write-only workbook and read back.

examples/small.yaml as of 2026-06-15 (hand-worked in tests/web/test_xmatrix.py): one west
column (A1), so the titles are column B; three east metrics C falls, D huddles, E trained;
owner F Ben Ode; G FTE, H budget. Rows: 1 title, 2 as of, 3 blank, 4 "Carrying A1",
5 a1, 6 a2, 7 T1, 8 the upright headers, 9 the targets, 10 B1, then the legend.
Marks: a1 carries A1 △, a2 ●, T1 ○; a2 moves huddles ● (D6), T1 moves trained ● (E7);
Ben owns a1, a2, T1 (F5:F7 ■); A1 supports B1 ● (A10); falls and huddles measure B1 ●,
trained ○ (C10:E10). Targets at 2026-12: falls 40 * 0.25 ** (19 / 24) = 13.348 (shown in
whole falls), huddles 100, trained 40. Statuses: A1, B1 and falls amber, huddles green,
trained red.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from hoshin.domain.analysis import analyze
from hoshin.planfile import read_plan
from hoshin.planfile.xmatrix_sheet import add_x_matrix_sheet

SMALL = Path(__file__).parents[2] / "examples" / "small.yaml"
JUNE = date(2026, 6, 15)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Worksheet:
    """The sheet of the small plan, saved and read back."""
    plan = read_plan(SMALL)
    book = Workbook(write_only=True)
    add_x_matrix_sheet(book, plan, analyze(plan, JUNE), as_of=JUNE)
    path = tmp_path_factory.mktemp("xmatrix") / "plan.xlsx"
    book.save(path)
    read = load_workbook(path)
    assert read.sheetnames == ["X-matrix"]
    return read["X-matrix"]


def marks(sheet: Worksheet) -> dict[str, str]:
    """Every cell holding a mark, by its coordinate."""
    return {
        cell.coordinate: str(cell.value)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in ("●", "○", "△", "■")
    }


def test_the_marks_are_in_the_hand_worked_cells(sheet: Worksheet) -> None:
    assert marks(sheet) == {
        "A5": "△", "A6": "●", "A7": "○",  # a1, a2, T1 carry A1
        "D6": "●", "E7": "●",  # a2 moves huddles, T1 moves trained
        "F5": "■", "F6": "■", "F7": "■",  # Ben Ode owns a1, a2, T1
        "A10": "●",  # A1 supports B1
        "C10": "●", "D10": "●", "E10": "○",  # falls, huddles, trained measure B1
    }  # fmt: skip


def test_the_sides_hold_whole_titles_upright_headers_and_status(sheet: Worksheet) -> None:
    assert sheet["A1"].value == "X-matrix of Riverside Clinic"
    assert sheet["B4"].value == "Carrying A1"
    assert sheet["B5"].value == "action a1 Write the huddle checklist"
    assert sheet["B7"].value == "objective T1 Train 40 nurses in fall prevention by September 2026"
    west = sheet["A8"]
    assert west.value == "A1 Run a daily fall-risk huddle on 100% of ward days in 2026 (▲ amber)"
    assert west.alignment.text_rotation == 90 and west.fill.fgColor.rgb == "00FFE9B3"
    assert sheet["B10"].value == (
        "B1 Cut patient falls from 40 to 10 a month by the end of 2027 (▲ amber)"
    )
    headers = [sheet.cell(8, column).value for column in range(3, 9)]
    assert headers == [
        "falls Patient falls per month (▲ amber)",
        "huddles Ward days with a huddle (● green)",
        "trained Nurses trained (■ red)",
        "Ben Ode",
        "FTE",
        "Budget",
    ]
    fills = [sheet.cell(8, column).fill.fgColor.rgb for column in range(3, 6)]
    assert fills == ["00FFE9B3", "00D9F2D9", "00F8CFCF"]  # amber, green, red
    assert all(sheet.cell(8, column).alignment.text_rotation == 90 for column in range(3, 9))


def test_targets_and_resources_are_numbers(sheet: Worksheet) -> None:
    falls, huddles, trained = (sheet.cell(9, column) for column in (3, 4, 5))
    assert falls.value == pytest.approx(40 * 0.25 ** (19 / 24))  # 13.348
    assert falls.number_format == '0 "falls"'  # falls are counted whole
    assert (huddles.value, huddles.number_format) == (100, '0 "%"')
    assert (trained.value, trained.number_format) == (40, "0")
    assert sheet["G5"].value == 0.5  # a1's FTE, a number
    assert sheet.column_dimensions["B"].width == 60


def test_the_legend_says_what_the_signs_mean(sheet: Worksheet) -> None:
    texts = [str(sheet.cell(row, 1).value) for row in range(12, 15)]
    assert texts[1].startswith("● strong · ○ medium · △ weak")
    assert texts[2] == "Status: ● green · ▲ amber · ■ red · ○ no data (also as the cell's fill)."

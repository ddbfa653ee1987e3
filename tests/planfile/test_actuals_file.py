"""Reading a spreadsheet of actuals: the rows, or each problem where the spreadsheet shows it
(the header is row 1)."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from hoshin.domain.months import Month
from hoshin.planfile.actuals_file import MOST_ROWS, ActualLine, read_actuals


def workbook(*rows: list[object], title: str = "Sheet") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    body = io.BytesIO()
    book.save(body)
    return body.getvalue()


def lines(name: str, body: bytes) -> list[str]:
    return [problem.line(name) for problem in read_actuals(name, body).problems]


def test_csv_rows_in_any_column_order_and_case_with_a_bom() -> None:
    body = "\ufeffVALUE,Note,metric,Month\n41,first,M3,2026-10\n-2.5e1,,M4,2026-11\n".encode()
    assert read_actuals("a.csv", body).lines == [
        ActualLine(2, "M3", Month.of(2026, 10), 41.0, "first"),
        ActualLine(3, "M4", Month.of(2026, 11), -25.0, ""),  # -2.5e1 = -25
    ]


def test_semicolons_take_a_decimal_comma() -> None:
    body = b"metric;month;value\nM3;2026-10;41,5\n"
    assert read_actuals("a.csv", body).lines == [ActualLine(2, "M3", Month.of(2026, 10), 41.5)]


def test_empty_rows_are_skipped_but_keep_their_numbers() -> None:
    # Row 2 is empty, row 3 holds only commas: the actual is on row 4, as Excel numbers it.
    body = b"metric,month,value\n\n,,\nM3,2026-10,7\n"
    assert read_actuals("a.csv", body).lines == [ActualLine(4, "M3", Month.of(2026, 10), 7.0)]


def test_a_quoted_note_over_two_lines_is_one_row() -> None:
    body = b'metric,month,value,note\nM3,2026-10,7,"two\nlines"\nM4,2026-10,8\n'
    assert [line.row for line in read_actuals("a.csv", body).lines] == [2, 3]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("M99 x,2026-10,1", "a.csv:2: metric: 'M99 x' contains a space, which an id cannot hold: "
         "letters, digits, '.', '_' and '-' only"),
        (",2026-10,1", "a.csv:2: metric: is empty"),
        ("M3,2026-13,1", "a.csv:2: month: '2026-13' is not a month: write YYYY-MM or use a "
         "date cell"),
        ("M3,2026-10-01,1", "a.csv:2: month: '2026-10-01' is not a month: write YYYY-MM or use a "
         "date cell"),
        ("M3,,1", "a.csv:2: month: is empty"),
        ("M3,2026-10,n/a", "a.csv:2: value: 'n/a' is not a number"),
        ("M3,2026-10,nan", "a.csv:2: value: 'nan' is not a number"),
        ("M3,2026-10,1_000", "a.csv:2: value: '1_000' is not a number"),
        ("M3,2026-10,1e400", "a.csv:2: value: '1e400' is too large a number"),
        ('M3,2026-10,"1,5"', "a.csv:2: value: '1,5' is not a number"),  # a comma: two cells
        ("M3,2026-10,", "a.csv:2: value: is empty"),
        ("M3,2026-10,1,,x", "a.csv:2: a value in column 5, which has no name in row 1"),
        ("M3,2026-10,1,bell\x07", "a.csv:2: note: contains the control character U+0007, "
         "which is not allowed"),
    ],
)  # fmt: skip
def test_a_bad_cell_is_named_by_row_and_column(row: str, problem: str) -> None:
    assert lines("a.csv", f"metric,month,value,note\n{row}\n".encode()) == [problem]


def test_a_note_longer_than_a_check_in_note_is_refused() -> None:
    # A note is text (hoshin.fields.Text): at most 20,000 characters.
    body = f"metric,month,value,note\nM3,2026-10,1,{'x' * 20_001}\n".encode()
    assert lines("a.csv", body) == ["a.csv:2: note: is 20,001 characters long: at most 20,000"]


def test_every_problem_of_a_row_is_listed() -> None:
    body = b"metric,month,value\n,May,lots\n"
    assert lines("a.csv", body) == [
        "a.csv:2: metric: is empty",
        "a.csv:2: month: 'May' is not a month: write YYYY-MM or use a date cell",
        "a.csv:2: value: 'lots' is not a number",
    ]


def test_the_header_names_each_column_once_and_no_other() -> None:
    assert lines("a.csv", b"Metric,Period,Value,Value\n") == [
        "a.csv:1: Period: 'Period' is not a column of actuals: the columns are metric, month, "
        "value and note",
        "a.csv:1: value: is named twice",
        "a.csv:1: month: is missing: the first row must name the columns metric, month and value "
        "(and optionally note)",
    ]


@pytest.mark.parametrize("body", [b"", b"\n", b",,\nM3,2026-10,1\n"])
def test_an_empty_file_or_header_is_one_problem(body: bytes) -> None:
    assert lines("a.csv", body) == [
        "a.csv: is empty: the first row must name the columns metric, month and value "
        "(and optionally note)"
    ]


def test_a_file_that_is_not_utf8_a_workbook_or_either_is_one_problem() -> None:
    assert lines("a.csv", b"metric,month,value\nM\xe9,2026-10,1\n") == [
        "a.csv: is not UTF-8 text (byte 21): save it as 'CSV UTF-8' and try again"
    ]  # "metric,month,value\n" is 19 bytes, "M" the 20th: \xe9 is byte 21
    assert lines("a.xlsx", b"metric,month,value\n") == [
        "a.xlsx: is not an Excel workbook (.xlsx): save it from Excel as .xlsx or .csv"
    ]
    assert lines("a.txt", b"") == ["a.txt: is not a .xlsx or .csv file (its name ends '.txt')"]


def test_a_workbook_takes_date_cells_numbers_and_numeric_text() -> None:
    body = workbook(
        ["Metric", "Month", "Value", "Note"],
        ["M3", datetime(2026, 10, 31), 41, "last day"],  # noqa: DTZ001 - a spreadsheet's date
        ["M4", date(2026, 11, 1), "12.5", None],
        [101, "2026-12", 3.25, None],  # an id of digits, typed as a number
        [None, None, None, None],
        ["M5", "2026-12", True, None],  # TRUE is no number
    )
    read = read_actuals("a.xlsx", body)
    assert read.lines == [
        ActualLine(2, "M3", Month.of(2026, 10), 41.0, "last day"),
        ActualLine(3, "M4", Month.of(2026, 11), 12.5),
        ActualLine(4, "101", Month.of(2026, 12), 3.25),
    ]
    assert [p.line("a.xlsx") for p in read.problems] == ["a.xlsx:6: value: 'True' is not a number"]


def test_a_workbook_reads_its_actuals_sheet_when_it_has_one() -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.append(["Read me first"])
    book.create_sheet("Actuals").append(["metric", "month", "value"])
    book["Actuals"].append(["M3", "2026-07", 2])
    body = io.BytesIO()
    book.save(body)
    assert read_actuals("a.xlsx", body.getvalue()).lines == [
        ActualLine(2, "M3", Month.of(2026, 7), 2.0)
    ]


def test_a_file_of_too_many_rows_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hoshin.planfile.actuals_file.MOST_ROWS", 3)
    assert MOST_ROWS > 150_000  # a month of the largest plan fits
    body = b"metric,month,value\n" + b"M3,2026-10,1\n" * 3
    assert lines("a.csv", body) == ["a.csv: has more than 3 rows: split it into several files"]

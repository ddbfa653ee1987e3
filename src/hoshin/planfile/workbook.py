"""Writes the plan as an Excel workbook or as a zip of CSV files, in the layout of
hoshin.domain.sheets (the reader, planfile.workbook_reader, reads the workbook back).

The workbook is written in openpyxl's write-only mode: rows stream to the file, so the
millions of target rows of a 50,000-person plan never sit in memory as cells.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import chain, islice
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from hoshin.domain.analysis import Analysis
from hoshin.domain.model import Plan
from hoshin.domain.months import Month
from hoshin.domain.sheets import EXCEL_ROWS, FILLED, Row, Sheet, Table, Value, plan_tables
from hoshin.planfile.cells import escaped
from hoshin.planfile.xmatrix_sheet import add_x_matrix_sheet

# The status colours of Excel's own "good, neutral, bad" cell styles.
FILLS = {
    "green": PatternFill("solid", fgColor="C6EFCE"),
    "amber": PatternFill("solid", fgColor="FFEB9C"),
    "red": PatternFill("solid", fgColor="FFC7CE"),
}
MONTH_FORMAT, DAY_FORMAT, SHARE_FORMAT = "yyyy-mm", "yyyy-mm-dd", "0.0%"
WIDEST = 60  # characters: a longer title wraps in the cell rather than widen the column
# Write-only mode writes the columns' widths before the first row, so they are measured on
# the first rows: all of most tables, a sample of the long ones, whose rows are alike.
MEASURED_ROWS = 1_000
_BOLD = Font(bold=True)


def workbook_bytes(
    plan: Plan, analysis: Analysis, *, as_of: date, rows_per_sheet: int = EXCEL_ROWS - 1
) -> bytes:
    """The plan and the engine's numbers at ``as_of`` as an xlsx workbook."""
    buffer = io.BytesIO()
    write_workbook(buffer, plan, analysis, as_of=as_of, rows_per_sheet=rows_per_sheet)
    return buffer.getvalue()


def write_workbook(
    target: IO[bytes],
    plan: Plan,
    analysis: Analysis,
    *,
    as_of: date,
    rows_per_sheet: int = EXCEL_ROWS - 1,
) -> None:
    """Writes the workbook to ``target``: a sheet per table of domain.sheets, a table longer
    than ``rows_per_sheet`` continued on ``Targets (2)``..., and the X-matrix last."""
    book = Workbook(write_only=True)
    for table in plan_tables(plan, analysis, as_of=as_of):
        _write_table(book, table, rows_per_sheet)
    add_x_matrix_sheet(book, plan, analysis, as_of=as_of)
    book.save(target)


def _write_table(book: Workbook, table: Table, rows_per_sheet: int) -> None:
    rows = iter(table.rows)
    part = 1
    while True:
        sheet_rows = islice(rows, rows_per_sheet)
        measured = list(islice(sheet_rows, MEASURED_ROWS))
        if not measured and part > 1:
            return  # every row is written: no empty continuation sheet
        name = table.sheet.name if part == 1 else f"{table.sheet.name} ({part})"
        _write_sheet(book.create_sheet(name), table.sheet, measured, sheet_rows)
        part += 1


def _write_sheet(
    sheet: Any,  # a WriteOnlyWorksheet: its stubs lack column_dimensions and auto_filter
    layout: Sheet,
    measured: list[Row],
    rest: Iterable[Row],
) -> None:
    """Writes the header and the rows."""
    headers = layout.headers
    for at, width in enumerate(_widths(headers, measured), start=1):
        sheet.column_dimensions[get_column_letter(at)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, header, font=_BOLD) for header in headers])
    shares = [at for at, column in enumerate(layout.columns) if column.kind == "share"]
    inputs = [
        at for at, column in enumerate(layout.columns)
        if column.field is not None and column.kind in ("number", "share", "item")
    ]  # fmt: skip
    count = 0
    for row in chain(measured, rest):
        cells = _cells(sheet, row, layout, shares)
        for at in inputs:
            _keep_exact(sheet, cells, at, row[at])
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"


def _cells(sheet: WriteOnlyWorksheet, row: Row, layout: Sheet, shares: list[int]) -> list[Any]:
    """The row's values as openpyxl writes them; a cell of its own where it needs a style."""
    cells: list[Any] = list(row)
    for at, value in enumerate(row):
        if isinstance(value, Month):
            cells[at] = _cell(sheet, value.first_day(), number_format=MONTH_FORMAT)
        elif isinstance(value, date):
            cells[at] = _cell(sheet, value, number_format=DAY_FORMAT)
        elif isinstance(value, str) and (value.startswith("=") or "\r" in value or "_x" in value):
            cells[at] = _cell(sheet, escaped(value))  # text, never a formula
    for at in shares:
        value = row[at]
        if value is not None:
            cells[at] = _cell(sheet, value, number_format=SHARE_FORMAT)
    for at, status_at in layout.fills:
        status = row[status_at]
        if status in FILLED and row[at] is not None:
            cell = cells[at]
            if not isinstance(cell, Cell):
                cell = cells[at] = _cell(sheet, row[at])
            cell.fill = FILLS[str(status)]
    return cells


def _keep_exact(sheet: WriteOnlyWorksheet, cells: list[Any], at: int, value: Value) -> None:
    """Writes a number that is read back into the plan with all its digits: openpyxl writes
    16 significant digits, which changes some numbers in their last digit (and the largest
    into infinity); Python's repr is the shortest text that reads back exactly."""
    if not isinstance(value, float) or float(f"{value:.16g}") == value:
        return
    cell = cells[at]
    if not isinstance(cell, Cell):
        cell = cells[at] = _cell(sheet, value)
    setattr(cell, "_value", repr(value))  # noqa: B010 (written as is: a number cell, type n)


def _cell(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    number_format: str | None = None,
    font: Font | None = None,
) -> Cell:
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take text that starts with = for a formula
    if number_format is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _widths(headers: tuple[str, ...], rows: list[Row]) -> list[float]:
    """Each column's width in characters: its longest value or header, at most WIDEST."""
    longest = [len(header) for header in headers]
    for row in rows:
        for at, value in enumerate(row):
            size = _shown_length(value)
            if size > longest[at]:
                longest[at] = size
    return [min(size, WIDEST) + 2 for size in longest]


def _shown_length(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, Month):
        return 7
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return min(len(repr(value)), 12)  # Excel shows at most about 11 digits
    if isinstance(value, str):
        return max(len(line) for line in value.splitlines()) if value else 0
    return len(str(value))


def csv_zip_bytes(plan: Plan, analysis: Analysis, *, as_of: date) -> bytes:
    """The same tables as the workbook (but the X-matrix), one UTF-8 CSV file each, zipped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in plan_tables(plan, analysis, as_of=as_of):
            with archive.open(f"{table.sheet.name}.csv", "w") as raw:
                # a byte-order mark: without it Excel reads UTF-8 as the machine's code page
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow(table.sheet.headers)
                writer.writerows(_csv_rows(table.rows))
                text.flush()
                text.detach()
    return buffer.getvalue()


# What Excel or LibreOffice would run as a formula when it opens a CSV file (OWASP's
# "CSV injection"): such text is written after a ' as those programs' own escape.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_rows(rows: Iterable[Row]) -> Iterator[list[str]]:
    for row in rows:
        yield [_csv_value(value) for value in row]


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Month):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return str(value)

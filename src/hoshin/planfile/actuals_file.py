"""A spreadsheet of actuals (``.xlsx`` or ``.csv``): a header row naming the columns
``metric``, ``month`` and ``value`` (and optionally ``note``), in any order and any case,
then one actual a row. Read into typed rows, or the problems of each row as the spreadsheet
numbers it (the header is row 1), so that a person can find the cell and fix it.

Nothing here knows the organisation: whether a metric exists, or a month has a value
already, is the import's question (service.actuals_import)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final
from xml.parsers.expat import ExpatError

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from hoshin.domain.months import Month
from hoshin.domain.text import text_problem
from hoshin.fields import month_of, text_of

COLUMNS: Final = ("metric", "month", "value", "note")
REQUIRED: Final = ("metric", "month", "value")
SUFFIXES: Final = (".xlsx", ".csv")
# More rows than the largest plan has metrics in a year (150,000 x 12) is no one's month of
# check-ins: a file past it (a zip bomb among them) is refused before it fills the memory.
MOST_ROWS: Final = 2_000_000
# Numeric text as people type it: 41, -3.5, .5, 1e3. Not float()'s "nan", "inf" or "1_000".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# A decimal comma (41,5), as a semicolon-separated file from a European Excel writes it.
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_NAMES = "metric, month, value and note"
_NAME_THEM = "the first row must name the columns metric, month and value (and optionally note)"
Cell = object  # what openpyxl or csv gives: str, int, float, Decimal, date, None, ...


@dataclass(frozen=True, slots=True)
class RowProblem:
    """What is wrong where: the row as the spreadsheet numbers it (None: the whole file),
    the column (None: the whole row) and why."""

    row: int | None
    column: str | None
    reason: str

    def line(self, name: str) -> str:
        """``FILE:ROW: column: reason``, as the command line prints it."""
        where = name if self.row is None else f"{name}:{self.row}"
        return (
            f"{where}: {self.reason}"
            if self.column is None
            else (f"{where}: {self.column}: {self.reason}")
        )

    def as_json(self) -> dict[str, object]:
        """The problem as the API's error detail lists it."""
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ActualLine:
    """One actual of the file: its row, the metric's id, the month, the value, a note."""

    row: int
    metric: str
    month: Month
    value: float
    note: str = ""


@dataclass(slots=True)
class ActualsFile:
    """The rows read, and the problems of those that could not be."""

    lines: list[ActualLine] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def read_actuals(name: str, body: bytes) -> ActualsFile:
    """The actuals of a file named ``name`` (``.xlsx`` or ``.csv``, by its suffix) holding
    ``body``; every problem found, never an exception."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in SUFFIXES:
        return _refused(f"is not a .xlsx or .csv file (its name ends '{suffix or name}')")
    if suffix == ".csv":
        return _read_csv(body)
    return _read_xlsx(body)


def _refused(reason: str) -> ActualsFile:
    return ActualsFile(problems=[RowProblem(None, None, reason)])


def _read_csv(body: bytes) -> ActualsFile:
    try:
        text = body.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError as error:
        return _refused(
            f"is not UTF-8 text (byte {error.start + 1:,}): save it as 'CSV UTF-8' and try again"
        )
    first = text.partition("\n")[0]
    # Excel writes ';' where the decimal separator is a comma: the header row tells which.
    delimiter = ";" if ";" in first and "," not in first else ","
    try:
        rows = list(_bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except (csv.Error, _TooLong) as error:
        return _refused(str(error) or "cannot be read as CSV")
    return _read_rows(rows, decimal_comma=delimiter == ";")


def _read_xlsx(body: bytes) -> ActualsFile:
    try:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, ExpatError):
        return _refused("is not an Excel workbook (.xlsx): save it from Excel as .xlsx or .csv")
    try:
        sheet = book.worksheets[0] if "Actuals" not in book.sheetnames else book["Actuals"]
        rows = list(_bounded(sheet.iter_rows(values_only=True)))
    except _TooLong as error:
        return _refused(str(error))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ExpatError, AttributeError):
        return _refused("is not an Excel workbook (.xlsx): its sheet cannot be read")
    finally:
        book.close()
    return _read_rows(rows, decimal_comma=False)


class _TooLong(Exception):
    """A file of more rows than MOST_ROWS."""


def _bounded(rows: Iterable[Sequence[Cell]]) -> Iterator[Sequence[Cell]]:
    for count, row in enumerate(rows, start=1):
        if count > MOST_ROWS:
            raise _TooLong(f"has more than {MOST_ROWS:,} rows: split it into several files")
        yield row


def _read_rows(rows: list[Sequence[Cell]], *, decimal_comma: bool) -> ActualsFile:
    """The header (row 1), then each row that is not empty."""
    read = ActualsFile()
    if not rows or all(_blank(cell) for cell in rows[0]):
        read.problems.append(RowProblem(None, None, f"is empty: {_NAME_THEM}"))
        return read
    columns, problems = _header(rows[0])
    if problems:
        read.problems.extend(problems)
        return read
    for number, cells in enumerate(rows[1:], start=2):
        if all(_blank(cell) for cell in cells):
            continue
        _read_row(read, number, cells, columns, decimal_comma=decimal_comma)
    return read


def _header(cells: Sequence[Cell]) -> tuple[dict[str, int], list[RowProblem]]:
    """Where each column is, by its name in row 1; the problems of the header."""
    columns: dict[str, int] = {}
    problems: list[RowProblem] = []
    for index, cell in enumerate(cells):
        if _blank(cell):
            continue
        name = str(cell).strip().lower()
        shown = _shown(str(cell).strip())
        if name not in COLUMNS:
            reason = f"'{shown}' is not a column of actuals: the columns are {_NAMES}"
            problems.append(RowProblem(1, shown, reason))
        elif name in columns:
            problems.append(RowProblem(1, name, "is named twice"))
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            problems.append(RowProblem(1, name, f"is missing: {_NAME_THEM}"))
    return columns, problems


def _read_row(
    read: ActualsFile,
    number: int,
    cells: Sequence[Cell],
    columns: dict[str, int],
    *,
    decimal_comma: bool,
) -> None:
    """Appends the row's actual to ``read``, or its problems."""

    def cell(name: str) -> Cell:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    known = set(columns.values())
    stray = [i for i, value in enumerate(cells) if i not in known and not _blank(value)]
    before = len(read.problems)
    if stray:
        reason = f"a value in column {stray[0] + 1}, which has no name in row 1"
        read.problems.append(RowProblem(number, None, reason))
    metric = _metric(cell("metric"))
    month = _month(cell("month"))
    value = _value(cell("value"), decimal_comma=decimal_comma)
    note = _note(cell("note"))
    for column, found in (("metric", metric), ("month", month), ("value", value), ("note", note)):
        if isinstance(found, RowProblem):
            read.problems.append(RowProblem(number, column, found.reason))
    if len(read.problems) > before:
        return
    assert isinstance(metric, str) and isinstance(month, Month)
    assert isinstance(value, float) and isinstance(note, str)
    read.lines.append(ActualLine(number, metric, month, value, note))


def _metric(cell: Cell) -> str | RowProblem:
    if _blank(cell):
        return _why("is empty")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # an id of digits, which a spreadsheet took for a number
    # A space is never part of an id: a spreadsheet's cell often ends with one unseen.
    text = cell.isoformat() if isinstance(cell, date) else str(cell).strip()
    problem = text_problem(text, "id")
    return _why(f"'{_shown(text)}' {problem}") if problem else text


def _month(cell: Cell) -> Month | RowProblem:
    if _blank(cell):
        return _why("is empty")
    if isinstance(cell, date):  # a date cell (datetime is a date): any day of the month
        return Month.of_date(cell)
    text = str(cell).strip()
    try:
        if isinstance(cell, str) and len(text) == 7:
            return month_of(text)
    except ValueError:
        pass
    return _why(f"'{_shown(text)}' is not a month: write YYYY-MM or use a date cell")


def _value(cell: Cell, *, decimal_comma: bool) -> float | RowProblem:
    if _blank(cell):
        return _why("is empty")
    if isinstance(cell, (int, float, Decimal)) and not isinstance(cell, bool):
        number = float(cell)
    else:
        text = str(cell).strip()
        if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
            text = text.replace(",", ".")
        if _NUMBER.fullmatch(text) is None:
            return _why(f"'{_shown(text)}' is not a number")
        number = float(text)
    if number in (float("inf"), float("-inf")) or number != number:
        return _why(f"'{_shown(str(cell))}' is too large a number")
    return number


def _note(cell: Cell) -> str | RowProblem:
    if _blank(cell):
        return ""
    try:
        return text_of("text", str(cell))
    except ValueError as error:
        return _why(str(error))


def _why(reason: str) -> RowProblem:
    return RowProblem(None, None, reason)


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _shown(text: str) -> str:
    """``text`` as a message may quote it: short, and no control character printed."""
    shown = "".join(c if c.isprintable() else "?" for c in text[:40])
    return shown + ("…" if len(text) > 40 else "")


__all__ = ["COLUMNS", "ActualLine", "ActualsFile", "RowProblem", "read_actuals"]

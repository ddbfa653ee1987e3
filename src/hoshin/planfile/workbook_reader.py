"""Reads a workbook in the export's layout (hoshin.domain.sheets) back into a plan.

The sheets become the plan-file data that planfile.writer.plan_to_data makes, each value
remembered with its cell, and the plan file's own checks (reader.plan_of_data) judge it: a
problem reads ``plan.xlsx:Objectives:7: owner: unknown person 'p99'``, the row as the
spreadsheet shows it. Computed columns (names, progress, status, the schedule) and the
X-matrix sheet are not read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook

from hoshin.domain.model import Plan
from hoshin.domain.months import Month
from hoshin.domain.sheets import (
    ACTIONS,
    COUNTERMEASURES,
    EXCEL_ROWS,
    METRICS,
    OBJECTIVES,
    PEOPLE,
    PLAN,
    PLAN_ITEMS,
    RISKS,
    SHEETS,
    SITUATION,
    TARGETS,
    UNITS,
    X_MATRIX,
    Column,
    Kind,
    Sheet,
)
from hoshin.planfile.cells import cell_value
from hoshin.planfile.reader import (
    MOST_PROBLEMS,
    FileProblem,
    Found,
    PlanFileError,
    plan_of_data,
)
from hoshin.planfile.schema import shown

MOST_BYTES = 50 * 1024 * 1024  # a workbook as stored; the 10,000-person export is smaller
MOST_UNPACKED = 1024**3  # its parts unpacked: a zip can pack a gigabyte into a few kilobytes
_CONTINUED = re.compile(r"(.+) \(([0-9]{1,4})\)")
_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
_ITEMS = {item.name: item for item in PLAN_ITEMS}
# Where each list of the plan file comes from, for a problem at no cell (a missing sheet).
_LISTS = {"units": UNITS, "people": PEOPLE, "objectives": OBJECTIVES, "actions": ACTIONS,
          "countermeasures": COUNTERMEASURES, "situation": SITUATION}  # fmt: skip

Place = tuple[str, int, str | None]  # sheet, row, header (None: the row as a whole)
Path_ = tuple[Any, ...]


def read_workbook(path: Path) -> Plan:
    """The plan in the workbook at ``path``; raises ``PlanFileError`` for any problem."""
    name = str(path)
    book = _open(path, name)
    sheets = _Sheets(name)
    try:
        sheets.read(book)
    except PlanFileError:
        raise
    except Exception as error:  # a damaged part of the zip, XML openpyxl cannot parse
        raise _refused(name, f"not an Excel workbook that can be read: {error}") from None
    finally:
        book.close()
    if sheets.problems:
        raise PlanFileError(_capped(sheets.problems))
    return plan_of_data(sheets.data, sheets.located)


def _refused(name: str, message: str) -> PlanFileError:
    return PlanFileError([FileProblem(name, 1, message)])


def _open(path: Path, name: str) -> Workbook:
    """The workbook, read only; PlanFileError for a file too large or no workbook at all."""
    try:
        size = path.stat().st_size
        if size > MOST_BYTES:
            raise _refused(
                name, f"the workbook is {size / 2**20:,.0f} MB: at most {MOST_BYTES // 2**20} MB"
            )
        if not zipfile.is_zipfile(path):
            raise _refused(name, "not an Excel workbook (.xlsx)")
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MOST_UNPACKED:
            raise _refused(
                name, f"the workbook unpacks to {unpacked / 2**30:,.1f} GB: at most 1 GB"
            )
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except PlanFileError:
        raise
    except OSError as error:
        raise _refused(name, f"cannot read the file: {error.strerror}") from None
    except Exception:  # openpyxl's errors for a zip that holds no workbook are of many kinds
        raise _refused(name, "not an Excel workbook (.xlsx)") from None


def _capped(problems: list[FileProblem]) -> list[FileProblem]:
    if len(problems) <= MOST_PROBLEMS:
        return problems
    last = problems[MOST_PROBLEMS - 1]
    more = FileProblem(
        last.file, last.line, f"... and {len(problems) - MOST_PROBLEMS:,} more problem(s)",
        last.sheet,
    )  # fmt: skip
    return [*problems[:MOST_PROBLEMS], more]


class _Sheets:
    """The plan-file data of a workbook's sheets, where each value came from, and the
    problems of cells that hold no value of their column's kind."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.data: dict[str, Any] = {}
        self.problems: list[FileProblem] = []
        self.places: dict[Path_, Place] = {}
        self.layouts: dict[Path_, Sheet] = {}
        self.objective_at: dict[str, int] = {}
        self.metric_at: dict[str, tuple[int, int]] = {}
        self.action_at: dict[str, int] = {}
        self.month_row: dict[tuple[str, Month], tuple[str, int]] = {}
        self.left_out: set[str] = set()  # metrics whose row has a problem already

    def problem(self, sheet: str, row: int, message: str) -> None:
        """Notes a problem at a row of a sheet."""
        self.problems.append(FileProblem(self.name, row, message, sheet))

    def read(self, book: Workbook) -> None:
        """Reads every sheet, in the order that lets a row name what an earlier sheet holds
        (a metric's objective, a target's metric, a risk's action)."""
        parts: dict[str, list[Any]] = {}
        for sheet in book.worksheets:
            title = sheet.title
            if title == X_MATRIX:
                continue
            continued = _CONTINUED.fullmatch(title)
            base = continued.group(1) if continued and continued.group(1) in _BY_NAME else title
            if base not in _BY_NAME:
                known = ", ".join(layout.name for layout in SHEETS)
                self.problem(title, 1, f"unknown sheet {shown(title)}: the sheets read are {known}")
                continue
            parts.setdefault(base, []).append(sheet)
        for layout in SHEETS:
            for sheet in parts.get(layout.name, []):
                for row, values in self._rows(sheet, layout):
                    self._take(layout, sheet.title, row, values)

    def _rows(self, sheet: Any, layout: Sheet) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each row that holds a value (its number, and its input columns' cells by header)."""
        title = sheet.title
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        columns = self._columns(title, layout, header)
        for number, cells in enumerate(rows, start=2):
            if number > EXCEL_ROWS:
                self.problem(title, number, f"more rows than Excel's {EXCEL_ROWS:,}")
                return
            values: dict[str, Any] = {}
            for at, column in columns:
                cell = cells[at] if at < len(cells) else None
                if cell is None or cell == "":
                    continue
                # None for a cell that holds no value of its kind (its problem is noted)
                values[column.header] = (
                    cell if column.kind == "item"
                    else self._value(title, number, column.header, column.kind, cell)
                )  # fmt: skip
            if any(value is not None for value in values.values()):
                yield number, values

    def _columns(
        self, title: str, layout: Sheet, header: tuple[Any, ...]
    ) -> list[tuple[int, Column]]:
        """The input columns of a header row, by position; computed ones are left out."""
        by_header = {column.header: column for column in layout.columns}
        found: list[tuple[int, Column]] = []
        seen: set[str] = set()
        for at, cell in enumerate(header):
            if cell is None or cell == "":
                continue
            text = str(cell).strip().lower()
            column = by_header.get(text)
            if column is None:
                known = ", ".join(by_header)
                self.problem(title, 1, f"unknown column {shown(cell)}: the columns are {known}")
            elif text in seen:
                self.problem(title, 1, f"column {shown(text)} appears twice")
            elif column.field is not None:
                found.append((at, column))
            seen.add(text)
        return found

    def _value(self, title: str, row: int, header: str, kind: Kind, cell: Any) -> Any:
        """The cell's value as the plan file writes it; None, and a problem, when the cell
        holds no value of its column's kind."""
        try:
            return cell_value(kind, cell)
        except ValueError as error:
            self.problem(title, row, f"{header}: {error}")
            return None

    def _take(self, layout: Sheet, title: str, row: int, values: dict[str, Any]) -> None:
        """Puts a row's values into the plan-file data."""
        if layout is PLAN:
            self._plan_item(title, row, values)
        elif layout is METRICS:
            self._metric(title, row, values)
        elif layout is TARGETS:
            self._target(title, row, values)
        elif layout is RISKS:
            self._risk(title, row, values)
        else:
            key = next(name for name, sheet in _LISTS.items() if sheet is layout)
            items = self.data.setdefault(key, [])
            path = (key, len(items))
            items.append(self._entity(layout, path, title, row, values))
            index = {"objectives": self.objective_at, "actions": self.action_at}.get(key)
            if index is not None and isinstance(values.get("id"), str):
                index.setdefault(values["id"], len(items) - 1)

    def _entity(
        self, layout: Sheet, path: Path_, title: str, row: int, values: dict[str, Any]
    ) -> dict[str, Any]:
        """A row as a plan-file mapping, its cells' places noted under ``path``."""
        self.places[path] = (title, row, None)
        self.layouts[path] = layout
        entity: dict[str, Any] = {}
        for column in layout.columns:
            value = values.get(column.header)
            if value is None or column.field is None:
                continue
            *outer, last = column.field.split(".")
            inner = entity
            for part in outer:
                inner = inner.setdefault(part, {})
            inner[last] = value
            self.places[(*path, *column.field.split("."))] = (title, row, column.header)
        return entity

    def _plan_item(self, title: str, row: int, values: dict[str, Any]) -> None:
        name = values.get("item")
        item = _ITEMS.get(str(name).strip().lower()) if name is not None else None
        if item is None:
            known = ", ".join(_ITEMS)
            self.problem(title, row, f"item: {shown(name)} is not an item: the items are {known}")
            return
        if item.path is None:
            return  # computed (the as-of day): not read back
        raw = values.get("value")
        if raw is None and item.kind != "text":
            return  # a number left empty: the plan file's default
        try:
            # a spreadsheet keeps no empty text: an empty cell is the empty statement
            value = "" if raw is None else cell_value(item.kind, raw)
        except ValueError as error:
            self.problem(title, row, f"{item.name}: {error}")
            return
        *outer, last = item.path.split(".")
        inner = self.data
        for part in outer:
            inner = inner.setdefault(part, {})
        path: Path_ = tuple(item.path.split("."))
        if item.repeated:
            path = (*path, len(inner.setdefault(last, [])))
            inner[last].append(value)
        elif last in inner:
            self.problem(title, row, f"item: {item.name} is given twice")
            return
        else:
            inner[last] = value
        self.places[path] = (title, row, item.name)

    def _owner_at(
        self, title: str, row: int, values: dict[str, Any], column: str, index: dict[str, int]
    ) -> int | None:
        """Where the objective or action the row's ``column`` names is in the data; None, with
        the row's problem, when the cell is empty or names none."""
        key = values.get(column)
        at = index.get(key) if isinstance(key, str) else None
        if at is None:
            why = "is empty" if key is None else f"unknown {column} {shown(key)}"
            self.problem(title, row, f"{column}: {why}")
        return at

    def _metric(self, title: str, row: int, values: dict[str, Any]) -> None:
        if _failed(values, "objective"):
            return
        at = self._owner_at(title, row, values, "objective", self.objective_at)
        if at is None:
            if isinstance(values.get("id"), str):
                self.left_out.add(values["id"])  # its targets' rows say nothing more
            return
        metrics = self.data["objectives"][at].setdefault("metrics", [])
        path = ("objectives", at, "metrics", len(metrics))
        metric = self._entity(METRICS, path, title, row, values)
        metric.pop("objective", None)
        self.places.pop((*path, "objective"), None)
        metrics.append(metric)
        if isinstance(values.get("id"), str):
            self.metric_at.setdefault(values["id"], (at, len(metrics) - 1))

    def _target(self, title: str, row: int, values: dict[str, Any]) -> None:
        actual, target = values.get("actual"), values.get("target")
        if actual is None and target is None:
            return  # a month of the plan: computed, nothing to read back
        if _failed(values, "metric", "month"):
            return
        key, month_text = values.get("metric"), values.get("month")
        at = self.metric_at.get(key) if isinstance(key, str) else None
        if key in self.left_out:
            return
        if at is None or month_text is None:
            column, why = (
                ("month", "is empty") if at is not None
                else ("metric", "is empty" if key is None else f"unknown metric {shown(key)}")
            )  # fmt: skip
            self.problem(title, row, f"{column}: {why}")
            return
        month = Month.parse(month_text)
        earlier = self.month_row.setdefault((str(key), month), (title, row))
        if earlier != (title, row):
            where = f"row {earlier[1]}" if earlier[0] == title else f"{earlier[0]} row {earlier[1]}"
            self.problem(title, row, f"month: {key} {month} is also on {where}")
            return
        metric = self.data["objectives"][at[0]]["metrics"][at[1]]
        for name, value in (("actuals", actual), ("targets", target)):
            if value is not None:
                metric.setdefault(name, {})[month_text] = value
                header = "actual" if name == "actuals" else "target"
                self.places[("objectives", at[0], "metrics", at[1], name, month_text)] = (
                    title, row, header,
                )  # fmt: skip

    def _risk(self, title: str, row: int, values: dict[str, Any]) -> None:
        if _failed(values, "action"):
            return
        at = self._owner_at(title, row, values, "action", self.action_at)
        if at is None:
            return
        risks = self.data["actions"][at].setdefault("risks", [])
        path = ("actions", at, "risks", len(risks))
        risk = self._entity(RISKS, path, title, row, values)
        risk.pop("action", None)
        risk.setdefault("risk", "")  # a spreadsheet keeps no empty text
        risks.append(risk)

    def located(self, found: list[Found]) -> PlanFileError:
        """The problems at their cells (reader.plan_of_data's locator)."""
        problems = []
        for path, message in found:
            sheet, row, header = self._place(tuple(path))
            problems.append(
                FileProblem(self.name, row, f"{header}: {message}" if header else message, sheet)
            )
        return PlanFileError(_capped(problems))

    def _place(self, path: Path_) -> Place:
        """The cell of a data path: of its longest part a row was read into."""
        for end in range(len(path), 0, -1):
            place = self.places.get(path[:end])
            if place is None:
                continue
            title, row, header = place
            layout = self.layouts.get(path[:end])
            rest = [part for part in path[end:] if isinstance(part, str)]
            if header is None and layout is not None and rest:
                header = _header(layout, rest)
            return title, row, header
        for item in PLAN_ITEMS:  # a missing item of the Plan sheet
            if item.path is not None and tuple(item.path.split("."))[: len(path)] == path:
                return PLAN.name, 1, item.name
        layout = _LISTS.get(str(path[0])) if path else None
        return (layout or PLAN).name, 1, None


def _failed(values: dict[str, Any], *headers: str) -> bool:
    """Whether a cell of ``headers`` held no value of its kind (its problem is noted)."""
    return any(header in values and values[header] is None for header in headers)


def _header(layout: Sheet, rest: list[str]) -> str:
    """The header of the column of a field (``resources.budget``: budget), or the field."""
    for end in range(len(rest), 0, -1):
        column = layout.column(".".join(rest[:end]))
        if column is not None:
            return column.header
    return rest[0]

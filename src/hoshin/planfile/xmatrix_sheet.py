"""The workbook's ``X-matrix`` sheet, drawn as the classic template around its centre.

Top to bottom (a write-only sheet is written row by row): the title; the improvement
priorities (north), grouped by the annual objective they carry; the middle row of column
headers turned upright (annual objectives to the west of the centre, metrics to its east,
then the owners and the resources); the values planned for the fiscal year's end under the
metrics; the breakthrough objectives (south); the legend. A corner's cell holds the
relation's strength as ● ○ △, an owner's cell ■; objectives and metrics carry their status
as a fill, a symbol and a word, so that a grey print still reads.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from hoshin.domain.analysis import Analysis
from hoshin.domain.annual import fiscal_year_of
from hoshin.domain.figures import decimals
from hoshin.domain.model import Plan
from hoshin.domain.xmatrix import Choice, XMatrix, x_index, x_matrix

TITLE = "X-matrix"
SIGN = {"strong": "●", "medium": "○", "weak": "△"}
OWNS = "■"
SYMBOL = {"green": "●", "amber": "▲", "red": "■", "no_data": "○", "unmeasured": "·"}
FILL = {
    "green": "D9F2D9",
    "amber": "FFE9B3",
    "red": "F8CFCF",
    "no_data": "F0F0F0",
    "unmeasured": "F0F0F0",
}
CORNER = PatternFill("solid", fgColor="F7F9FC")
FAR_EAST = PatternFill("solid", fgColor="F5F3FA")
LINE = Side(style="thin", color="AAAAAA")
GRID = Border(left=LINE, right=LINE, top=LINE, bottom=LINE)
UPRIGHT = Alignment(text_rotation=90, wrap_text=True, vertical="bottom", horizontal="center")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center")
TARGET = Alignment(text_rotation=90, horizontal="center")
MARK_WIDTH = 4.5  # characters: a mark's square column
TITLE_WIDTH = 60  # characters: the rows' titles wrap in this column
HEAD_HEIGHT = 190  # points: the upright headers' row


def add_x_matrix_sheet(book: Workbook, plan: Plan, analysis: Analysis, *, as_of: date) -> None:
    """Adds the ``X-matrix`` sheet of the whole plan (targets at the end of the fiscal year
    holding ``as_of``) to ``book``, a write-only workbook."""
    year = fiscal_year_of(as_of, plan.organization.fiscal_year_start)
    matrix = x_matrix(x_index(plan), Choice(year.last))
    sheet = book.create_sheet(TITLE)
    if not isinstance(sheet, WriteOnlyWorksheet):
        raise TypeError("add_x_matrix_sheet writes to a write-only workbook")
    west, east = len(matrix.west.entries), len(matrix.east.entries)
    owners = len(matrix.far_east.entries)
    centre = west + 1  # the column of the rows' titles and of the centre
    _widths(sheet, west, centre, east + owners + 2)
    write = _Writer(sheet, centre + east + owners + 2)
    heading = f"X-matrix of {plan.organization.name}"
    write.row({1: _cell(sheet, heading, font=Font(bold=True, size=14))})
    about = (
        f"As of {as_of.isoformat()} · fiscal year {year.year} · targets planned for"
        f" {year.last} · generated from the plan by hoshin"
    )
    write.row({1: _cell(sheet, about)})
    write.row({})
    _north(write, sheet, matrix, centre)
    _middle(write, sheet, matrix, analysis, centre, year.year)
    _targets(write, sheet, matrix, centre, str(year.last))
    _south(write, sheet, matrix, analysis, centre)
    _legend(write, sheet, matrix)


class _Writer:
    """Appends rows given as {column number: cell}, blank between."""

    def __init__(self, sheet: WriteOnlyWorksheet, columns: int) -> None:
        self.sheet, self.columns, self.count = sheet, columns, 0
        # the stubs of a write-only sheet lack its row_dimensions (openpyxl has them)
        self.dimensions: Any = sheet

    def row(self, cells: dict[int, Cell], height: float | None = None) -> None:
        """Writes the next row."""
        self.count += 1
        if height is not None:
            self.dimensions.row_dimensions[self.count].height = height
        last = max(cells, default=0)
        self.sheet.append([cells.get(column) for column in range(1, last + 1)])


def _cell(
    sheet: WriteOnlyWorksheet,
    value: str | float | None,
    *,
    fill: PatternFill | None = None,
    font: Font | None = None,
    align: Alignment | None = None,
    border: bool = False,
    number_format: str | None = None,
) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    if align is not None:
        cell.alignment = align
    if border:
        cell.border = GRID
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _status(status: str) -> PatternFill:
    return PatternFill("solid", fgColor=FILL.get(status, "FFFFFF"))


def _mark(sheet: WriteOnlyWorksheet, sign: str | None, fill: PatternFill) -> Cell:
    return _cell(sheet, sign, fill=fill, align=CENTRE, border=True)


def _widths(sheet: Any, west: int, centre: int, east: int) -> None:
    """Narrow square columns for the marks, a wide one for the titles (``sheet``: a
    write-only sheet, whose stubs lack the column_dimensions openpyxl gives it)."""
    for column in range(1, west + 1):
        sheet.column_dimensions[get_column_letter(column)].width = MARK_WIDTH
    sheet.column_dimensions[get_column_letter(centre)].width = TITLE_WIDTH
    for column in range(centre + 1, centre + east + 1):
        sheet.column_dimensions[get_column_letter(column)].width = MARK_WIDTH + 1
    for column in (centre + east - 1, centre + east):  # FTE and budget: figures across
        sheet.column_dimensions[get_column_letter(column)].width = 10


def _north(write: _Writer, sheet: WriteOnlyWorksheet, x: XMatrix, centre: int) -> None:
    """The improvement priorities, each group under its annual objective's name."""
    group = None
    east, owners = x.east.entries, x.far_east.entries
    for p in x.north.entries:
        if p.group != group:
            group = p.group
            write.row({centre: _cell(sheet, f"Carrying {p.group}", font=Font(bold=True))})
        cells = {
            i + 1: _mark(sheet, SIGN.get(x.carries.get((p.id, a.id), "")), CORNER)
            for i, a in enumerate(x.west.entries)
        }
        cells[centre] = _cell(sheet, f"{p.kind} {p.id} {p.label}", align=WRAP, border=True)
        for i, m in enumerate(east):
            cells[centre + 1 + i] = _mark(sheet, SIGN.get(x.moves.get((p.id, m.id), "")), CORNER)
        for i, o in enumerate(owners):
            owns = OWNS if (o.id, p.id) in x.owns else None
            cells[centre + 1 + len(east) + i] = _mark(sheet, owns, FAR_EAST)
        after = centre + len(east) + len(owners)
        cells[after + 1] = _cell(sheet, p.fte, fill=FAR_EAST, border=True, number_format="0.0#")
        cells[after + 2] = _cell(sheet, p.budget, fill=FAR_EAST, border=True, number_format="#,##0")
        write.row(cells)


def _middle(
    write: _Writer, sheet: WriteOnlyWorksheet, x: XMatrix, analysis: Analysis, centre: int,
    year: int,
) -> None:  # fmt: skip
    """The upright headers either side of the centre."""
    cells: dict[int, Cell] = {}
    for i, a in enumerate(x.west.entries):
        status = analysis.objectives[a.id].status
        text = f"{a.id} {a.label} ({SYMBOL[status]} {status.replace('_', ' ')})"
        cells[i + 1] = _cell(sheet, text, fill=_status(status), align=UPRIGHT, border=True,
                             font=Font(bold=True))  # fmt: skip
    cells[centre] = _cell(
        sheet,
        f"↑ Improvement priorities\n← Annual objectives · Targets {year} →\n"
        "↓ Breakthrough objectives",
        align=Alignment(horizontal="center", vertical="center", wrap_text=True),
        border=True,
    )
    for i, m in enumerate(x.east.entries):
        status = analysis.metrics[m.id].status
        text = f"{m.id} {m.label} ({SYMBOL[status]} {status.replace('_', ' ')})"
        cells[centre + 1 + i] = _cell(sheet, text, fill=_status(status), align=UPRIGHT, border=True)
    after = centre + len(x.east.entries)
    for i, o in enumerate(x.far_east.entries):
        cells[after + 1 + i] = _cell(sheet, o.label, fill=FAR_EAST, align=UPRIGHT, border=True)
    after += len(x.far_east.entries)
    cells[after + 1] = _cell(sheet, "FTE", fill=FAR_EAST, align=UPRIGHT, border=True)
    cells[after + 2] = _cell(sheet, "Budget", fill=FAR_EAST, align=UPRIGHT, border=True)
    write.row(cells, height=HEAD_HEIGHT)


def _targets(
    write: _Writer, sheet: WriteOnlyWorksheet, x: XMatrix, centre: int, year_end: str
) -> None:
    """The value each metric plans for the year's end, a number in its own precision (a
    metric to maintain keeps its band instead)."""
    cells = {centre: _cell(sheet, f"Planned for {year_end} →", align=Alignment(horizontal="right"))}
    for i, m in enumerate(x.east.entries):
        if m.planned is not None:
            places = decimals(m.metric)
            form = "0" if places == 0 else "0." + "0" * places
            if m.metric.unit:  # shown beside the figure, which stays a number
                form += ' "' + m.metric.unit.replace('"', "") + '"'
            value: str | float = m.planned
        else:
            low, high = m.metric.minimum, m.metric.maximum
            value = "keep " + ", ".join(
                part for part in (f"≥ {low:g}" if low is not None else "",
                                  f"≤ {high:g}" if high is not None else "") if part
            )  # fmt: skip
            form = "General"
        cells[centre + 1 + i] = _cell(sheet, value, border=True, number_format=form, align=TARGET)
    write.row(cells, height=40)


def _south(
    write: _Writer, sheet: WriteOnlyWorksheet, x: XMatrix, analysis: Analysis, centre: int
) -> None:
    """The breakthrough objectives, and how each annual objective and metric relates to it."""
    for b in x.south.entries:
        cells = {
            i + 1: _mark(sheet, SIGN.get(x.supports.get((a.id, b.id), "")), CORNER)
            for i, a in enumerate(x.west.entries)
        }
        status = analysis.objectives[b.id].status
        text = f"{b.id} {b.label} ({SYMBOL[status]} {status.replace('_', ' ')})"
        cells[centre] = _cell(sheet, text, fill=_status(status), align=WRAP, border=True,
                              font=Font(bold=True))  # fmt: skip
        for i, m in enumerate(x.east.entries):
            cells[centre + 1 + i] = _mark(sheet, SIGN.get(x.measures.get((m.id, b.id), "")), CORNER)
        write.row(cells)


def _legend(write: _Writer, sheet: WriteOnlyWorksheet, x: XMatrix) -> None:
    """What the signs and fills mean, and what the caps left off."""
    write.row({})
    lines = [
        "Breakthrough objectives are the rows below the centre, annual objectives the columns"
        " to its left, improvement priorities the rows above it (grouped by the annual"
        " objective they carry), metrics with the value planned for the year's end the"
        " columns to its right, the priorities' owners and resources at the far right.",
        "● strong · ○ medium · △ weak: how strongly the row and the column relate (along a"
        " chain of links, its weakest link). ■ the column's person owns the row.",
        "Status: ● green · ▲ amber · ■ red · ○ no data (also as the cell's fill).",
    ]
    left = [(x.south.more, "breakthrough objectives"), (x.west.more, "annual objectives"),
            (x.north.more, "improvement priorities"), (x.east.more, "metrics"),
            (x.far_east.more, "owners")]  # fmt: skip
    shown = [f"{count} more {what}" for count, what in left if count]
    if shown:
        lines.append(f"And {', '.join(shown)} not shown: one page holds this many.")
    for line in lines:
        write.row({1: _cell(sheet, line)})

"""The X-matrix: the part of the plan a choice names (for the page and the document alike),
and the matrix printed on one A3 landscape page.

The page and the PDF draw the same table (templates/shared/_xmatrix_table.html). On paper
the titles are whole: they wrap, and the rotated column headers grow as wide as their
wrapped lines. Every size on the page is a multiple of one font size, chosen here so that
the matrix fills at most one page: the caps of domain.xmatrix bound how many rows and
columns there are, the font size shrinks for long titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hoshin.domain.annual import FiscalYear, fiscal_year_of
from hoshin.domain.model import Plan
from hoshin.domain.xmatrix import Choice, Depth, Target, XIndex, XMatrix, x_index, x_matrix
from hoshin.errors import InvalidInput
from hoshin.service.analysis import Analysed
from hoshin.service.document.pdf import render_pdf
from hoshin.service.plan import Checked

Source = Analysed | Checked

# The page, in mm: A3 landscape less the margins (document.css), less the heading, the
# legend and the note of what was left off above and below the table.
WIDTH = 420 - 24
HEIGHT = 297 - 26 - 27
SAFE = 0.96  # the estimates of lines below are close, not exact
BORDER = 0.3 * 25.4 / 72  # mm: a cell's border (document.css), whatever the font size
PT = 25.4 / 72  # mm
# Each size below is a multiple of the font size (in pt): the whole layout scales with it.
LINE = 1.2 * PT  # a line of text
CHAR = 0.62 * PT  # DejaVu Sans's widest usual letters; bold and capitals are wider than its mean
CELL = 2.1 * PT  # a mark's square cell
HEAD = 8.0  # mm per pt: the rotated headers' height (about 36 characters a line)
TITLE = 18.0  # mm per pt: the rows' titles' width (about 80 characters a line)
LARGEST = 11.0  # pt: a small plan is printed at this size
SMALLEST = 1.5  # pt: long titles at the caps still fit the page (read zoomed in, or choose a part)


def index_of(found: Source) -> XIndex:
    """The X-matrix's lookups of the plan, kept with an organisation's analysis."""
    if isinstance(found, Analysed):
        return found.derived("x_index", lambda _: x_index(found.plan))
    return x_index(found.plan)


def year_of(plan: Plan, as_of: date) -> FiscalYear:
    """The fiscal year holding ``as_of``: the matrix shows the targets for its last month."""
    return fiscal_year_of(as_of, plan.organization.fiscal_year_start)


def breakthrough_problem(index: XIndex, chosen: str) -> str | None:
    """Why ``chosen`` cannot be the matrix's breakthrough objective, or None if it can."""
    if chosen in index.breakthroughs:
        return None
    return f"'{chosen}' is not the id of a breakthrough objective: choose one from the list"


def matrix_of(found: Source, index: XIndex, choice: Choice) -> XMatrix:
    """The X-matrix of ``choice``; of the whole plan or one breakthrough, kept with an
    organisation's analysis (a handful per analysis: the breakthroughs times three depths;
    a unit's part is small and units are many, so it is not kept)."""
    if choice.unit is None and isinstance(found, Analysed):
        key = f"x_matrix:{choice.breakthrough or ''}:{choice.depth}:{choice.year_end}"
        return found.derived(key, lambda _: x_matrix(index, choice))
    return x_matrix(index, choice)


@dataclass(frozen=True, slots=True)
class Layout:
    """The document's sizes: the font size (pt), and in mm the rotated headers' height, the
    rows' titles' width, a mark's cell, and each column header's width by its id."""

    font: float
    head: float
    title: float
    cell: float
    widths: dict[str, float]


def layout(matrix: XMatrix, year: FiscalYear) -> Layout:
    """The largest font size (at most LARGEST) at which ``matrix`` fits the page, and the
    sizes that follow from it. Lines are counted in characters of the font size, so that
    both the matrix's width and its height are proportional to the font size."""
    head_chars = HEAD / CHAR - 3  # less the status symbol's room below the text
    title_chars = TITLE / CHAR - 2
    columns: dict[str, int] = {}  # header id -> lines of its rotated text
    for i, a in enumerate(matrix.west.entries):
        columns[f"xw-{i}"] = _lines([f"{a.id} {a.label}"], head_chars)
    for i, m in enumerate(matrix.east.entries):
        columns[f"xe-{i}"] = _lines([f"{m.id} {m.label}", _target_text(m, year)], head_chars)
    for i, o in enumerate(matrix.far_east.entries):
        columns[f"xo-{i}"] = _lines([o.label], head_chars)
    resources = max(
        [len("Resources") / (HEAD / CHAR)]
        + [len(_resources(p.fte, p.budget)) * CHAR / LINE for p in matrix.north.entries]
    )  # the resources' column holds its figures across, in lines' widths
    wide = sum(max(lines * LINE + 0.4 * LINE, CELL) for lines in columns.values())
    wide += max(resources, 1) * LINE + LINE + TITLE
    groups = len({p.group for p in matrix.north.entries})
    rows = [_lines([f"ACTION {p.id} {p.label}"], title_chars) for p in matrix.north.entries]
    rows += [_lines([f"{b.id} ● {b.label}"], title_chars) for b in matrix.south.entries]
    high = HEAD + sum(max(n * LINE + 0.2 * LINE, CELL) for n in rows) + groups * CELL
    # the borders do not grow with the font: one a column (a row), and a margin for error
    font = min(
        LARGEST,
        (WIDTH * SAFE - BORDER * (len(columns) + 3)) / wide,
        (HEIGHT * SAFE - BORDER * (len(rows) + groups + 2)) / high,
    )
    font = max(SMALLEST, font)
    widths = {key: round(font * max(n * LINE + 0.4 * LINE, CELL), 2) for key, n in columns.items()}
    widths["xr"] = round(font * (max(resources, 1) * LINE + LINE), 2)
    return Layout(font, round(font * HEAD, 2), round(font * TITLE, 2), round(font * CELL, 2),
                  widths)  # fmt: skip


def _target_text(target: Target, year: FiscalYear) -> str:
    """About as long as a metric's target under its name (for counting lines only)."""
    planned = "keep ≥ 0, ≤ 0" if target.planned is None else f"{target.planned:.2f}"
    return f"{year.year}: {planned} {target.metric.unit or ''}"


def _resources(fte: float | None, budget: float | None) -> str:
    return max(f"{fte} FTE" if fte is not None else "", f"{budget:,.0f}" if budget else "", key=len)


def _lines(paragraphs: Iterable[str], width: float) -> int:
    """How many lines ``paragraphs`` wrap to at ``width`` characters a line (words longer
    than a line break anywhere, as the document's CSS lets them)."""
    total = 0
    for text in paragraphs:
        lines, used = 1, 0.0
        for word in text.split():
            size = len(word)
            if used and used + 1 + size > width:
                lines, used = lines + 1, 0.0
            used += (1 if used else 0) + size
            while used > width:  # a word longer than a line
                lines, used = lines + 1, used - width
        total += lines
    return max(total, 1)


def chosen(
    found: Source,
    *,
    as_of: date,
    breakthrough: str | None = None,
    unit: str | None = None,
    depth: Depth = "team",
) -> tuple[XIndex, Choice]:
    """The index and the choice of a document's matrix; InvalidInput naming a breakthrough
    or a unit the plan lacks."""
    index = index_of(found)
    if breakthrough and breakthrough not in index.breakthroughs:
        known = ", ".join(index.breakthroughs) or "none"
        raise InvalidInput(
            f"breakthrough: '{breakthrough}' is not the id of a breakthrough objective of the"
            f" plan (they are: {known})"
        )
    if unit and unit not in index.unit_parent:
        raise InvalidInput(f"unit: '{unit}' is not a unit of the plan")
    year = year_of(found.plan, as_of)
    return index, Choice(year.last, breakthrough or None, unit or None, depth)


def xmatrix_pdf(
    found: Source,
    *,
    as_of: date,
    organization: str | None = None,
    breakthrough: str | None = None,
    unit: str | None = None,
    depth: Depth = "team",
) -> bytes:
    """The X-matrix of the plan (or of one breakthrough objective, or one unit's part) as one
    A3 landscape page of PDF; InvalidInput naming a breakthrough or a unit the plan lacks."""
    index, choice = chosen(found, as_of=as_of, breakthrough=breakthrough, unit=unit, depth=depth)
    matrix = matrix_of(found, index, choice)
    year = year_of(found.plan, as_of)
    names = {u.id: u.name for u in found.plan.units}
    context = {
        "organization": organization or found.plan.organization.name,
        "as_of": as_of,
        "x": matrix,
        "analysis": found.analysis,
        "year": year,
        "choice": choice,
        "breakthrough_title": index.objectives[choice.breakthrough].title
        if choice.breakthrough
        else "",
        "unit_name": names.get(choice.unit, "") if choice.unit else "",
        "size": layout(matrix, year),
        "left": [
            (count, what)
            for count, what in (
                (matrix.south.more, "breakthrough objectives"),
                (matrix.west.more, "annual objectives"),
                (matrix.north.more, "improvement priorities"),
                (matrix.east.more, "metrics"),
                (matrix.far_east.more, "owners"),
            )
            if count
        ],
    }
    return render_pdf("xmatrix.html", context)

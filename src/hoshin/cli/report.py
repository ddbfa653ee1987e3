"""The human report of ``hoshin check``: status tree, bowling chart, findings, critical paths."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from hoshin.domain.analysis import Analysis
from hoshin.domain.findings import SEVERITIES
from hoshin.domain.model import LEVELS, Metric, Objective, Plan
from hoshin.domain.months import Month
from hoshin.domain.rollup import supporters_of
from hoshin.domain.status import BowlingCell, Status, bowling

# Colour is never the only signal: every status also has a symbol and a word.
BADGES: dict[Status, tuple[str, str]] = {
    "green": ("●", "green"),
    "amber": ("▲", "yellow"),
    "red": ("■", "red"),
    "no_data": ("○", "grey50"),
    "unmeasured": ("·", "grey50"),
}
BAR_WIDTH = 10
MONTH_WIDTH = 6
LABEL_WIDTH = 8


def badge(status: Status) -> Text:
    """The status as a coloured symbol and word, e.g. '▲ amber'."""
    symbol, style = BADGES[status]
    return Text(f"{symbol} {status.replace('_', ' ')}", style=style)


def progress_bar(progress: float | None, planned: float | None, status: Status) -> Text:
    """``[█████|░░░░]``: filled to the progress, '|' at the planned progress."""
    if progress is None:
        return Text(" " * (BAR_WIDTH + 2))
    filled = round(min(max(progress, 0.0), 1.0) * BAR_WIDTH)
    marker = None if planned is None else min(round(max(planned, 0.0) * BAR_WIDTH), BAR_WIDTH - 1)
    bar = Text("[")
    for cell in range(BAR_WIDTH):
        if cell == marker:
            bar.append("|", style="bold")
        elif cell < filled:
            bar.append("█", style=BADGES[status][1])
        else:
            bar.append("░", style="grey50")
    bar.append("]")
    return bar


def render_report(console: Console, plan: Plan, analysis: Analysis, *, depth: int = 4) -> None:
    """Prints the whole report: header, tree, bowling chart, findings, critical paths."""
    shown = {o.id for o in plan.objectives if LEVELS.index(o.level) < depth}
    _header(console, plan, analysis)
    _tree(console, plan, analysis, shown)
    _bowling(console, plan, analysis, shown)
    _findings(console, analysis)
    _critical_paths(console, plan, analysis)


def _header(console: Console, plan: Plan, analysis: Analysis) -> None:
    title = Text(plan.organization.name, style="bold")
    title.append(f" as of {analysis.as_of}")
    console.print(title)
    vision = plan.vision
    if vision.statement:
        horizon = f" (by {vision.horizon})" if vision.horizon else ""
        console.print(Text(f"Vision: {vision.statement}{horizon}"))
    summary = analysis.summary
    counts = Text(f"{summary.objectives} objectives: ")
    for status in BADGES:
        counts.append_text(badge(status))
        counts.append(f" {summary.by_status[status]}  ")
    counts.append(f"aligned to a breakthrough {summary.alignment_coverage:.0%}")
    console.print(counts)


def _line(objective: Objective, analysis: Analysis, weight: float = 1.0) -> Text:
    result = analysis.objectives[objective.id]
    line = badge(result.status)
    line.pad_right(13 - len(line.plain))
    line.append_text(progress_bar(result.progress, result.planned_progress, result.status))
    if result.progress is not None and result.planned_progress is not None:
        line.append(f" {result.progress:>4.0%}/{result.planned_progress:<4.0%}")
    else:
        line.append(" " * 10)
    schedule = analysis.schedules[objective.id]
    if not schedule.feasible:
        line.append(f" {schedule.days_late}d late", style="red")
    if weight != 1:
        line.append(f" w={weight:g}", style="grey50")
    line.append(f" {objective.id}", style="bold")
    line.append(f" {objective.title}")
    line.no_wrap = True
    line.overflow = "ellipsis"
    return line


def _tree(console: Console, plan: Plan, analysis: Analysis, shown: set[str]) -> None:
    by_id = {o.id: o for o in plan.objectives}
    supporters = supporters_of(plan.objectives)
    root = Tree(Text("\nObjectives  (status, progress [bar, | = planned], progress/planned)"))

    def grow(branch: Tree, key: str, path: frozenset[str]) -> None:
        for child, weight in supporters[key]:
            if child in shown and child not in path:
                label = _line(by_id[child], analysis, weight)
                grow(branch.add(label), child, path | {child})

    for objective in plan.objectives:
        if objective.level == "breakthrough" and objective.id in shown:
            grow(root.add(_line(objective, analysis)), objective.id, frozenset({objective.id}))
    loose = [o for o in plan.objectives if o.level != "breakthrough" and not o.supports]
    if any(o.id in shown for o in loose):
        orphans = root.add(Text("not linked to any objective", style="bold"))
        for objective in loose:
            if objective.id in shown:
                node = orphans.add(_line(objective, analysis))
                grow(node, objective.id, frozenset({objective.id}))
    console.print(root)


def _bowling(console: Console, plan: Plan, analysis: Analysis, shown: set[str]) -> None:
    metrics: list[Metric] = [m for o in plan.objectives if o.id in shown for m in o.metrics]
    if not metrics:
        return
    month = Month.of_date(analysis.as_of)
    charts = [bowling(m, month, plan.organization.fiscal_year_start) for m in metrics]
    first = charts[0][0].period
    console.print(Text(f"\nBowling chart, fiscal year from {first}  (plan / actual)", style="bold"))
    header = _grid()
    header.add_row("", *[_month_name(cell.period) for cell in charts[0]])
    console.print(header)
    for metric, cells in zip(metrics, charts, strict=True):
        title = badge(analysis.metrics[metric.id].status)
        title.pad_right(LABEL_WIDTH + 2 - len(title.plain))
        title.append(f"{metric.id} ", style="bold")
        title.append(metric.name)
        if metric.unit:
            title.append(f" ({metric.unit})", style="grey50")
        console.print(title, no_wrap=True, overflow="ellipsis")
        console.print(_bowling_rows(cells))


def _grid() -> Table:
    grid = Table.grid(padding=0)
    grid.add_column(width=LABEL_WIDTH, no_wrap=True)
    for _ in range(12):
        grid.add_column(width=MONTH_WIDTH, justify="right", no_wrap=True)
    return grid


def _bowling_rows(cells: Sequence[BowlingCell]) -> Table:
    grid = _grid()
    grid.add_row(
        Text("  plan", style="grey50"), *[Text(_number(c.plan), style="grey50") for c in cells]
    )
    actuals = [Text("  actual")]
    for cell in cells:
        symbol, style = BADGES[cell.status]
        actuals.append(
            Text("" if cell.actual is None else f"{_number(cell.actual)}{symbol}", style)
        )
    grid.add_row(*actuals)
    return grid


def _month_name(month: Month) -> str:
    return date(month.year, month.number, 1).strftime("%b")


def _number(value: float | None) -> str:
    """At most five characters: 3 significant digits, or thousands as 12k."""
    if value is None:
        return ""
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:.4g}" if abs(value) >= 1000 else f"{value:.3g}"


def _findings(console: Console, analysis: Analysis) -> None:
    if not analysis.findings:
        console.print(Text("\nNo findings.", style="green"))
        return
    for severity in SEVERITIES:
        items = [f for f in analysis.findings if f.severity == severity]
        if not items:
            continue
        console.print(Text(f"\n{severity.capitalize()}s ({len(items)})", style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="yellow" if severity == "warning" else "cyan")
        grid.add_column()
        for item in items:
            grid.add_row(item.code, item.message)
        console.print(grid)


def _critical_paths(console: Console, plan: Plan, analysis: Analysis) -> None:
    titles = {a.id: a.title for a in plan.actions}
    for objective in plan.objectives:
        schedule = analysis.schedules[objective.id]
        if schedule.feasible:
            continue
        heading = Text(f"\nCritical path of {objective.id}: {schedule.days_late} days late")
        heading.stylize("bold")
        console.print(heading)
        width = max(len("action"), *(len(key) for key in schedule.critical))
        columns = (
            f"{'action':<{width}}  {'earliest start..finish':<22}  {'latest start..finish':<22}"
        )
        console.print(Text(f"{columns}  slack", style="grey50"), no_wrap=True, overflow="ellipsis")
        for key in schedule.critical:
            dates = analysis.actions[key]
            line = Text(f"{key:<{width}}  ")
            line.append(f"{dates.earliest_start}..{dates.earliest_finish}  ")
            line.append(f"{dates.latest_start}..{dates.latest_finish}  ")
            line.append(f"{dates.slack_days:>5}", style="red")
            line.append(f"  {titles[key]}")
            console.print(line, no_wrap=True, overflow="ellipsis")

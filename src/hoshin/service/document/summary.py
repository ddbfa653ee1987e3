"""The strategy on a page: true north printed on one A3 landscape page, from a plan file or
an organisation: the vision, each breakthrough objective with its status, progress against
plan, headline metrics with their trend, the annual objectives under it, and the findings
that need attention.

It must stay one page however big the plan: every list is capped and counts the rest, and
every text is shortened to what a box of the page holds.
"""

from __future__ import annotations

from typing import Any

from hoshin.domain import chart
from hoshin.domain.analysis import Analysis
from hoshin.domain.findings import SEVERITIES, Finding
from hoshin.domain.model import Objective, Plan
from hoshin.domain.months import Month
from hoshin.service.document.pdf import render_pdf

BREAKTHROUGHS = 6  # Hoshin Kanri keeps three to five; a seventh is counted, not drawn
ANNUALS = 3  # under each breakthrough
HEADLINES = 2  # metrics of each breakthrough
VALUES = 8
FINDINGS = 10
# What a box of the page holds, in characters (the plan allows 300 to a title and 10,000
# to a purpose): longer texts end in an ellipsis. A breakthrough's title takes three lines
# of its card at most, a metric's name or an annual objective's title two.
TITLE, NAME, ANNUAL, STATEMENT, PURPOSE, VALUE, MESSAGE = 90, 40, 60, 160, 220, 40, 130


def strategy_on_a_page(plan: Plan, analysis: Analysis) -> bytes:
    """The strategy on a page of ``plan`` as PDF (one A3 landscape page)."""
    return render_pdf("summary.html", summary_context(plan, analysis))


def summary_context(plan: Plan, analysis: Analysis) -> dict[str, Any]:
    """What the page shows: true north's content, capped to one page."""
    month = Month.of_date(analysis.as_of)
    breakthroughs = [o for o in plan.objectives if o.level == "breakthrough"]
    under: dict[str, list[Objective]] = {o.id: [] for o in breakthroughs}
    for objective in plan.objectives:
        if objective.level == "annual":
            for parent in objective.supports:
                if parent in under:
                    under[parent].append(objective)
    order = {severity: rank for rank, severity in enumerate(SEVERITIES)}  # warnings first
    findings = sorted(analysis.findings, key=lambda f: order[f.severity])  # stable: plan order
    vision = plan.vision
    return {
        "organization": plan.organization.name,
        "as_of": analysis.as_of,
        "statement": shortened(vision.statement, STATEMENT),
        "purpose": shortened(vision.purpose, PURPOSE),
        "horizon": vision.horizon,
        "values": [shortened(value, VALUE) for value in vision.values[:VALUES]],
        "more_values": max(len(vision.values) - VALUES, 0),
        "summary": analysis.summary,
        "cards": [
            _card(analysis, objective, under[objective.id], month)
            for objective in breakthroughs[:BREAKTHROUGHS]
        ],
        "more_breakthroughs": max(len(breakthroughs) - BREAKTHROUGHS, 0),
        "findings": [_finding(f) for f in findings[:FINDINGS]],
        "more_findings": max(len(findings) - FINDINGS, 0),
    }


def shortened(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:") + "\u2026"


def _card(
    analysis: Analysis, objective: Objective, annuals: list[Objective], month: Month
) -> dict[str, Any]:
    """A breakthrough as true north shows it (web.pages' card: the same sparkline and trend
    of domain.chart), with the annual objectives that support it."""
    return {
        "objective": objective,
        "title": shortened(objective.title, TITLE),
        "result": analysis.objectives[objective.id],
        "metrics": [
            {
                "metric": metric,
                "name": shortened(metric.name, NAME),
                "result": analysis.metrics[metric.id],
                "trend": chart.sparkline(metric.actuals),
                "change": chart.trend(metric, month),
            }
            for metric in objective.metrics[:HEADLINES]
        ],
        "more_metrics": max(len(objective.metrics) - HEADLINES, 0),
        "annuals": [
            (o, shortened(o.title, ANNUAL), analysis.objectives[o.id]) for o in annuals[:ANNUALS]
        ],
        "more_annuals": max(len(annuals) - ANNUALS, 0),
    }


def _finding(finding: Finding) -> dict[str, str]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": shortened(finding.message, MESSAGE),
    }

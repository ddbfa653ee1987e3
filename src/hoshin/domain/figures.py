"""How a figure reads to people, one rule for the pages and the messages about figures."""

from __future__ import annotations

import math
from decimal import Decimal

from hoshin.domain.model import Metric
from hoshin.domain.trajectory import end_value

MOST_DECIMALS = 3  # past this a figure is noise to its readers, whatever was typed
RECENT = 12  # the actuals that say how a metric is written now (a page formats many figures)


def number(value: float | None) -> str:
    """A figure as people read it: no trailing zeros, at most 3 significant decimals."""
    if value is None:
        return ""
    return f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"


def exact(value: float | None) -> str:
    """A figure as stored, to the last digit (for a field that sends it back: a value shown
    rounded would be saved rounded); a whole number without its ".0"."""
    if value is None:
        return ""
    text = repr(float(value))
    return text.removesuffix(".0")


def decimals(metric: Metric) -> int:
    """How many decimals the figures of ``metric`` show, one rule for all of them.

    As many as the most precise figure written for the metric (baseline, target, band,
    monthly targets and its latest RECENT actuals, each as written: 0.8 has one, 85.28 two,
    12 none), and at least enough for the way from baseline to target (or across the band)
    to read with two significant digits (12 to 0.8: none; 2 to 1: one, so that the plan
    halfway reads 1.5), and so for a target that a rate compounds to, which nobody wrote
    (24 halving for five years: 0.75, two), never more than MOST_DECIMALS.
    """
    written = [metric.baseline, metric.target, metric.minimum, metric.maximum]
    written += metric.targets.values()
    written += [metric.actuals[month] for month in sorted(metric.actuals)[-RECENT:]]
    most = max((written_decimals(value) for value in written if value is not None), default=0)
    compounded = end_value(metric) if metric.rate_per_year is not None else None
    least = max(_span_decimals(metric), _significant(compounded))
    return min(max(most, least), MOST_DECIMALS)


def written_decimals(value: float) -> int:
    """The decimals of ``value`` in its shortest exact form: 0.8 -> 1, 12.0 -> 0, 1e-05 -> 5;
    0 for infinities and NaN."""
    if not math.isfinite(value):
        return 0
    text = repr(float(value))
    if "e" in text:  # repr's scientific form, below 1e-4 or from 1e16
        exponent = Decimal(text).normalize().as_tuple().exponent
        return max(-exponent, 0) if isinstance(exponent, int) else 0
    return len(text.partition(".")[2].rstrip("0"))


def _span_decimals(metric: Metric) -> int:
    if metric.direction == "maintain":
        ends = (metric.minimum, metric.maximum)
    else:
        ends = (metric.baseline, end_value(metric))
    low, high = ends
    return 0 if low is None or high is None else _significant(high - low)


def _significant(value: float | None) -> int:
    """The decimals that show ``value`` with two significant digits (none for 0)."""
    if value is None or value == 0 or not math.isfinite(value):
        return 0
    return max(1 - math.floor(math.log10(abs(value))), 0)


def figure(value: float | None, places: int) -> str:
    """``value`` rounded to ``places`` decimals, thousands grouped (9.524 at one decimal:
    '9.5'; 12345.6 at none: '12,346'); '' for None, and never '-0'."""
    if value is None:
        return ""
    text = f"{value:,.{places}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        return text[1:]
    return text

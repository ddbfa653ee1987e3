"""What the pages and the PDF documents show, computed from the engine's results: labels,
percentages, figures. Pure functions, so that the templates only place values (the charts:
hoshin.domain.chart)."""

from __future__ import annotations

from pathlib import Path

from hoshin.domain import figures
from hoshin.domain.figures import number as number  # the templates' filter
from hoshin.domain.model import Metric

# The partials the pages and the PDF documents both include (the bowling chart, the metric's
# SVG chart, the X-matrix): one template each, on both environments' search paths.
SHARED_TEMPLATES = Path(__file__).parent / "templates" / "shared"

# Colour is never the only signal: every status also has a symbol and a word.
SYMBOL = {"green": "●", "amber": "▲", "red": "■", "no_data": "○", "unmeasured": "·"}


def status_word(status: str) -> str:
    """'no data' for no_data: the status as people say it."""
    return status.replace("_", " ")


def figure(value: float | None, of: Metric | int) -> str:
    """``value`` with the precision of the metric ``of``'s own figures
    (domain.figures.decimals), or with ``of`` decimals: the templates' filter,
    ``{{ result.planned | figure(metric) }}``."""
    return figures.figure(value, of if isinstance(of, int) else figures.decimals(of))


def decimals(metric: Metric) -> int:
    """How many decimals ``metric``'s figures show: a filter for a table of many figures,
    ``{% set places = metric | decimals %}``, so that each cell does not count them again."""
    return figures.decimals(metric)


def percent(value: float | None) -> str:
    """0.514 -> '51%'; None -> an en dash."""
    return "\u2013" if value is None else f"{value:.0%}"
